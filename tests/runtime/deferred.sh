#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/deferred.sh — deferred calls under pressure: the per-caller quotas (calls, bytes), more callers than the bus allows
# match rules, callers that go away (rt-service on a private bus whose max_match_rules_per_connection is 30), and a
# bus that allows no match rule at all
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus dbus-daemon /usr/bin/python3
if ! /usr/bin/python3 -c "import dbus, dbus.mainloop.glib, gi" 2>/dev/null; then
        echo "SKIP: python3-dbus and python3-gi are not installed"
        exit 77
fi
rt=$top_builddir/tests/runtime
flood=$top_srcdir/tests/runtime/defer-flood.py
NAME=org.dbidl.RuntimeTest1
RT_PATH=/org/dbidl/RuntimeTest1
MATCH_LIMIT=30

# start_bus DIR LIMIT: a private bus like the session bus, listening in DIR, whose connections may each have LIMIT
# match rules (dbus-daemon's session default is 50,000; before runtime/defer.c, every deferred call added a rule of
# its own, and the one after the limit broke the connection); DBUS_SESSION_BUS_ADDRESS names it.
start_bus() {
        mkdir -p "$1"
        cat >"$1/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$1/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_match_rules_per_connection">$2</limit>
</busconfig>
EOF
        dbus-daemon --config-file="$1/session.conf" --nofork --nopidfile --print-address=3 \
                3>"$1/address" 2>"$1/dbus-daemon.log" &
        DBIDL_PIDS+=($!)
        for _ in $(seq 100); do
                [ -s "$1/address" ] && break
                sleep 0.05
        done
        DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$1/address")
        export DBUS_SESSION_BUS_ADDRESS
        unset DBUS_SYSTEM_BUS_ADDRESS
}

start_bus "$DBIDL_TMP/bus1" "$MATCH_LIMIT"
# quotas: 100 deferred calls per caller, holding at most 1 MiB of arguments
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$rt/rt-service" --pending-limit 100 --pending-bytes 1048576
service_pid=$!
wait_name "$NAME" || exit 1

# property NAME: a property of the service as gdbus prints it ("(<uint32 3>,)")
property() {
        gdbus call --session -d "$NAME" -o "$RT_PATH" -m org.freedesktop.DBus.Properties.Get \
                org.dbidl.RuntimeTest1 "$1" 2>&1
}

# wait_for DESCRIPTION EXPECTED COMMAND…: run COMMAND every 0.1 s, for up to 30 s, until its output is EXPECTED; then
# check it (exactly).
wait_for() {
        local what=$1 expected=$2 out _
        shift 2
        for _ in $(seq 300); do
                out=$("$@" 2>&1)
                [ "$out" = "$expected" ] && break
                sleep 0.1
        done
        check "$what" "$expected" "$out"
}

# flood NAME CONNECTIONS CALLS ERRORS [BYTES]: defer-flood.py in the background, its output in $DBIDL_TMP/NAME.out, its pid
# in ${NAME}_pid (killing it makes its callers go away)
flood() {
        local name=$1
        /usr/bin/python3 -I "$flood" "${@:2}" >"$DBIDL_TMP/$name.out" 2>&1 &
        DBIDL_PIDS+=($!)
        eval "${name}_pid=$!"
}

# 1. one caller, 150 deferred calls, a quota of 100: the last 50 get LimitsExceeded, the first 100 wait
flood greedy 1 150 50
wait_for "one caller over its quota of 100: 50 calls get LimitsExceeded" \
        "org.freedesktop.DBus.Error.LimitsExceeded 50
ready" cat "$DBIDL_TMP/greedy.out"
wait_for "100 of its calls wait" "(<uint32 100>,)" property Pending

# 2. everyone else is served: 40 more callers (more than the bus's 30 match rules per connection) defer one call
# each, and plain calls are answered
flood many 40 1 0
wait_for "40 callers of one call each: no error" "ready" cat "$DBIDL_TMP/many.out"
wait_for "their 40 calls wait too" "(<uint32 140>,)" property Pending
check "a plain call is answered meanwhile" "(<uint32 0>,)" "$(property Cancelled)"

# 3. the callers go away: every call of theirs is cancelled, the service stays on the bus
kill "$greedy_pid"
wait_for "the first caller went away: its 100 calls are cancelled" "(<uint32 100>,)" property Cancelled
kill "$many_pid"
wait_for "the 40 callers went away: their calls are cancelled" "(<uint32 140>,)" property Cancelled
check "nothing waits any more" "(<uint32 0>,)" "$(property Pending)"
check_status "the service is still running" kill -0 "$service_pid"
check "it still owns its name" "(true,)" \
        "$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
                -m org.freedesktop.DBus.NameHasOwner "$NAME" 2>&1)"

# 4. the quota of bytes: Keep calls of 300,000 bytes each (300,004 counted: the array and its length), from one
# caller with a quota of 1 MiB: three fit (900,012 bytes), the next two get LimitsExceeded; another caller's Keep is
# kept alongside
flood heavy 1 5 2 300000
wait_for "one caller over its quota of 1 MiB: 2 of 5 calls of 300,000 bytes get LimitsExceeded" \
        "org.freedesktop.DBus.Error.LimitsExceeded 2
ready" cat "$DBIDL_TMP/heavy.out"
flood light 1 1 0 300000
wait_for "another caller's call of 300,000 bytes is kept meanwhile" "ready" cat "$DBIDL_TMP/light.out"
wait_for "4 calls wait" "(<uint32 4>,)" property Pending
kill "$heavy_pid"
wait_for "the first caller went away: its 3 calls are cancelled" "(<uint32 143>,)" property Cancelled
kill "$light_pid"
wait_for "the other went away too: nothing waits" "(<uint32 0>,)" property Pending
check_empty "its log has no error" "$(grep -i 'error\|fail' "$DBIDL_TMP/service.log")"

# 5. a bus that allows no match rule at all: the service cannot follow its callers, so each deferred call is
# answered with LimitsExceeded (and cancelled), never left silent; the service stays connected, and the next
# deferral tries the match again
start_bus "$DBIDL_TMP/bus0" 0
start_service "$DBIDL_TMP/service0.log" $DBIDL_RUN "$rt/rt-service"
service0_pid=$!
wait_name "$NAME" || exit 1
flood refused 1 5 5
wait_for "no match rule allowed: 5 deferred calls get LimitsExceeded" "org.freedesktop.DBus.Error.LimitsExceeded 5
ready" cat "$DBIDL_TMP/refused.out"
wait_for "they count as cancelled" "(<uint32 5>,)" property Cancelled
flood again 1 1 1
wait_for "the next deferral tries again, and is answered the same way" "org.freedesktop.DBus.Error.LimitsExceeded 1
ready" cat "$DBIDL_TMP/again.out"
check "nothing waits" "(<uint32 0>,)" "$(property Pending)"
check_status "that service is still running" kill -0 "$service0_pid"
check "and still owns its name" "(true,)" \
        "$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
                -m org.freedesktop.DBus.NameHasOwner "$NAME" 2>&1)"

finish

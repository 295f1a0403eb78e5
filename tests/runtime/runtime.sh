#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/runtime.sh — the runtime on a private bus: rt-client against rt-service, object manager, D-Bus activation
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus busctl dbus-send dbus-daemon stdbuf
rt=$top_builddir/tests/runtime
NAME=org.dbidl.RuntimeTest1
ACTIVATED=org.dbidl.RuntimeTest1.Activated
RT_PATH=/org/dbidl/RuntimeTest1

# start_private_bus_with_services: like start_private_bus (tests/lib/bus.sh), but with a configuration of our
# own: the session bus's (/usr/share/dbus-1/session.conf) without the system's service and policy directories,
# and with $DBIDL_TMP/services as the one <servicedir>, for D-Bus activation.  What the services it starts
# print goes to $DBIDL_TMP/activated.log.
start_private_bus_with_services() {
        mkdir -p "$DBIDL_TMP/services"
        cat >"$DBIDL_TMP/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$DBIDL_TMP/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$DBIDL_TMP/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="service_start_timeout">120000</limit>
</busconfig>
EOF
        dbus-daemon --config-file="$DBIDL_TMP/session.conf" --nofork --nopidfile --print-address=3 \
                3>"$DBIDL_TMP/address" >"$DBIDL_TMP/activated.log" 2>"$DBIDL_TMP/dbus-daemon.log" &
        DBIDL_PIDS+=($!)
        for _ in $(seq 100); do
                [ -s "$DBIDL_TMP/address" ] && break
                sleep 0.05
        done
        DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$DBIDL_TMP/address")
        if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
                echo "FAIL: the private dbus-daemon did not start"
                cat "$DBIDL_TMP/dbus-daemon.log"
                exit 1
        fi
        export DBUS_SESSION_BUS_ADDRESS
        unset DBUS_SYSTEM_BUS_ADDRESS
}

# owner_pid NAME: the pid of NAME's owner, as the bus knows it.
owner_pid() {
        dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                org.freedesktop.DBus.GetConnectionUnixProcessID "string:$1" 2>/dev/null | awk '{ print $2 }'
}

# stop_activated NAME: SIGTERM the process the bus started for NAME and wait until it is gone (it is the
# dbus-daemon's child, not ours: no exit status; its valgrind log says whether it exited cleanly).
stop_activated() {
        local pid
        pid=$(owner_pid "$1")
        [ -n "$pid" ] || return 1
        kill -TERM "$pid"
        for _ in $(seq 300); do
                alive "$pid" || break
                sleep 0.1
        done
        ! alive "$pid" && ! name_has_owner "$1"
}

# managed_objects: gdbus's rendering of a GetManagedObjects reply on stdin, one object a line ('PATH': {INTERFACE:
# {PROPERTIES}, …}), sorted by path (a dictionary has no order); the type gdbus writes on the first empty dictionary
# it prints (@a{sv} {}, on whichever object comes first) left out.
managed_objects() {
        sed -E "s/^\(\{objectpath //; s/\},\)\$//; s/\}\}, '\//}}\n'\//g; s/@a\{sv\} \{\}/{}/g" | LC_ALL=C sort
}

# the interfaces sd-bus adds to every object, as a GetManagedObjects reply lists them
STD_IFACES="'org.freedesktop.DBus.Peer': {}, 'org.freedesktop.DBus.Introspectable': {}, \
'org.freedesktop.DBus.Properties': {}"

# The activatable service: a .service file in the bus's service directory.
# The activation file, written by dbidlc --emit=service
start_private_bus_with_services
# $DBIDL_RUN is a word list (empty, or the valgrind command line); dbus-daemon splits Exec= into words too
check_status "dbidlc --emit=service writes the activation file" "$DBIDLC" --emit=service --bus-name="$ACTIVATED" \
        --exec="${DBIDL_RUN:+$DBIDL_RUN }$rt/rt-service --name $ACTIVATED" -o "$DBIDL_TMP/services"
check "the activation file names the service, and the command that starts it" "[D-BUS Service]
Name=$ACTIVATED
Exec=${DBIDL_RUN:+$DBIDL_RUN }$rt/rt-service --name $ACTIVATED" \
        "$(sed -n '/^\[D-BUS Service\]$/,$p' "$DBIDL_TMP/services/$ACTIVATED.service" 2>&1)"

start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$rt/rt-service"
wait_name "$NAME" || exit 1
D=(-d "$NAME" -o "$RT_PATH")

# ---- third-party clients ----
check "gdbus Double" "(42,)" "$(gdbus call --session "${D[@]}" -m $NAME.Double 21 2>&1)"
check "busctl Double" "i 8" "$(busctl --user call "$NAME" "$RT_PATH" "$NAME" Double i 4 2>&1)"
check "gdbus Set of readonly Counter: PropertyReadOnly" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.PropertyReadOnly: Property 'Counter' is not writable." \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set $NAME Counter '<1>' 2>&1)"

# ---- a @stored interface through busctl and gdbus (rt-client checks the rest; nothing here calls Bump) ----
KEPT=$RT_PATH/kept
check "gdbus GetAll of @stored Kept: the empty values, the const Origin, no handler" \
        "({'Count': <0>, 'Title': <''>, 'Tags': <@as []>, 'Where': <(0, '')>, 'Epoch': <uint32 0>, 'Quiet': <0>, 'Origin': <objectpath '/org/dbidl/Origin'>, 'Mode': <''>, 'Untouched': <objectpath '/'>},)" \
        "$(gdbus call --session -d "$NAME" -o "$KEPT" -m org.freedesktop.DBus.Properties.GetAll $NAME.Kept 2>&1)"
check "busctl get-property of the const Origin" 'o "/org/dbidl/Origin"' \
        "$(busctl --user get-property "$NAME" "$KEPT" $NAME.Kept Origin 2>&1)"
check "busctl set-property Mode bad: refused by the set_mode handler" \
        "Failed to set property Mode on interface $NAME.Kept: Mode 'bad' is refused" \
        "$(busctl --user set-property "$NAME" "$KEPT" $NAME.Kept Mode s bad 2>&1)"
check "busctl get-property Mode after the refused Set: still empty" 's ""' \
        "$(busctl --user get-property "$NAME" "$KEPT" $NAME.Kept Mode 2>&1)"

# ---- the object manager: GetManagedObjects, InterfacesAdded, InterfacesRemoved ----
start_service "$DBIDL_TMP/monitor.log" stdbuf -oL gdbus monitor --session --dest "$NAME"
monitor_pid=${DBIDL_PIDS[-1]}
for _ in $(seq 100); do
        grep -q "is owned by" "$DBIDL_TMP/monitor.log" 2>/dev/null && break
        sleep 0.05
done
objects=$(gdbus call --session -d "$NAME" -o / -m org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>&1 |
        managed_objects)
check "GetManagedObjects lists the service's own object (and the @stored one)" "'$RT_PATH'
'$KEPT'" "$(cut -d: -f1 <<<"$objects")"
props="'Label': <'initial'>, 'Counter': <0>, 'Generation': <uint32 0>, 'DefaultZone': <uint32 0>, "
props+="'Pending': <uint32 0>, 'Cancelled': <uint32 0>, 'EmptyStrings': <@as []>, 'EmptyNumbers': <@ai []>, "
props+="'EmptyPlaces': <@a(su) []>"
check "GetManagedObjects includes its properties" "'$RT_PATH': {$STD_IFACES, '$NAME': {$props}}" \
        "$(grep -F "'$RT_PATH': " <<<"$objects")"
check "gdbus AddItem first" "()" "$(gdbus call --session "${D[@]}" -m $NAME.AddItem \
        "$RT_PATH/items/first" First 2>&1)"
check "gdbus AddItem second" "()" "$(gdbus call --session "${D[@]}" -m $NAME.AddItem \
        "$RT_PATH/items/second" Second 2>&1)"
objects=$(gdbus call --session -d "$NAME" -o / -m org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>&1 |
        managed_objects)
check "GetManagedObjects lists the first and the second item, next to the objects before" "'$RT_PATH'
'$RT_PATH/items/first'
'$RT_PATH/items/second'
'$KEPT'" "$(cut -d: -f1 <<<"$objects")"
check "GetManagedObjects lists the first item's Item interface" \
        "'$RT_PATH/items/first': {$STD_IFACES, '$NAME.Item': {'Name': <'First'>}}" \
        "$(grep -F "'$RT_PATH/items/first': " <<<"$objects")"
check "GetManagedObjects lists the second item's Item interface" \
        "'$RT_PATH/items/second': {$STD_IFACES, '$NAME.Item': {'Name': <'Second'>}}" \
        "$(grep -F "'$RT_PATH/items/second': " <<<"$objects")"
check "gdbus RemoveItem first" "()" "$(gdbus call --session "${D[@]}" -m $NAME.RemoveItem "$RT_PATH/items/first" 2>&1)"
check "RemoveItem of an unknown path: UnknownObject" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.UnknownObject: no item at $RT_PATH/items/none" \
        "$(gdbus call --session "${D[@]}" -m $NAME.RemoveItem "$RT_PATH/items/none" 2>&1)"
objects=$(gdbus call --session -d "$NAME" -o / -m org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>&1 |
        managed_objects)
DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
if printf '%s' "$objects" | grep -qF "items/first"; then
        echo "not ok $DBIDL_CHECKS - GetManagedObjects no longer lists the removed item"
        echo "#   got: $objects"
        DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
else
        echo "ok $DBIDL_CHECKS - GetManagedObjects no longer lists the removed item"
fi
check "GetManagedObjects still lists the second item" "'$RT_PATH'
'$RT_PATH/items/second'
'$KEPT'" "$(cut -d: -f1 <<<"$objects")"
check_empty "busctl set-property Mode of @stored Kept" \
        "$(busctl --user set-property "$NAME" "$KEPT" $NAME.Kept Mode s from-busctl 2>&1)"
check "busctl get-property Mode: the kept value" 's "from-busctl"' \
        "$(busctl --user get-property "$NAME" "$KEPT" $NAME.Kept Mode 2>&1)"
for _ in $(seq 100); do
        grep -q "InterfacesRemoved" "$DBIDL_TMP/monitor.log" && grep -q "from-busctl" "$DBIDL_TMP/monitor.log" && break
        sleep 0.05
done
kill -TERM "$monitor_pid" 2>/dev/null
monitor=$(cat "$DBIDL_TMP/monitor.log")
check "gdbus monitor: the remote Set of Mode, kept and announced once, with its value" \
        "$KEPT: org.freedesktop.DBus.Properties.PropertiesChanged ('$NAME.Kept', {'Mode': <'from-busctl'>}, @as [])" \
        "$(printf '%s\n' "$monitor" | grep -F "$KEPT: ")"
# the object manager's signals, in the order of the calls above: one line each, from the object manager at /
om=$(printf '%s\n' "$monitor" | grep '^/: ')
check "gdbus monitor: InterfacesAdded for the first item" \
        "/: org.freedesktop.DBus.ObjectManager.InterfacesAdded (objectpath '$RT_PATH/items/first', \
{'$NAME.Item': {'Name': <'First'>}})" "$(sed -n 1p <<<"$om")"
check "gdbus monitor: InterfacesAdded for the second item" \
        "/: org.freedesktop.DBus.ObjectManager.InterfacesAdded (objectpath '$RT_PATH/items/second', \
{'$NAME.Item': {'Name': <'Second'>}})" "$(sed -n 2p <<<"$om")"
check "gdbus monitor: InterfacesRemoved for the first item, the last of them" \
        "/: org.freedesktop.DBus.ObjectManager.InterfacesRemoved (objectpath '$RT_PATH/items/first', ['$NAME.Item'])" \
        "$(sed -n '3,$p' <<<"$om")"

# ---- the generated client: async order, deferred replies, timeouts, cancellation, identity, cache,
# ---- signals, bad messages, name ownership, and last the service killed and restarted
# SIGKILL is the real crash; under valgrind SIGTERM, so that the killed instance still writes its report
# (bash then reports the first instance as "Killed": that is rt-client's doing)
kill_signal=KILL
[ -z "$DBIDL_RUN" ] || kill_signal=TERM
out=$($DBIDL_RUN "$rt/rt-client" --kill-signal "$kill_signal" --log "$DBIDL_TMP/restarted.log" -- \
        $DBIDL_RUN "$rt/rt-service" 2>&1)
status=$?
printf '%s\n' "$out" | sed 's/^/#   /'
# its last line counts the "ok N - …" lines it printed (how many there are is rt-client's business; none is a failure)
passed=$(grep -c '^ok ' <<<"$out")
[ "$passed" -gt 0 ] || passed="(no check passed)"
check "rt-client: every check passed" "$passed passed, 0 failed" "$(printf '%s\n' "$out" | tail -n1)"
check "rt-client exit status" "status 0" "status $status"
# the first to go away is the second connection of rt-client's test_cancel_on_disconnect, while the four Never calls
# of its test_timeouts (on its own connection, which stays) are still pending
check "the first service instance saw the caller of Never go away" \
        "Never: the caller went away (pending 4, cancelled 1)" \
        "$(grep -m1 '^Never: the caller went away' "$DBIDL_TMP/service.log")"

# ---- D-Bus activation: calling a service that is not running starts it ----
DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
if name_has_owner "$ACTIVATED"; then
        echo "not ok $DBIDL_CHECKS - $ACTIVATED is not running before the first call"
        DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
else
        echo "ok $DBIDL_CHECKS - $ACTIVATED is not running before the first call"
fi
check_status "rt-client --activate: the generated proxy's call starts the service" \
        $DBIDL_RUN "$rt/rt-client" --activate "$ACTIVATED"
# Whoami: the caller's uid, the caller's pid (gdbus's, unknown), the service's pid (that of $ACTIVATED's owner)
whoami=$(gdbus call --session -d "$ACTIVATED" -o "$RT_PATH" -m $NAME.Whoami 2>&1)
check_match "activated: it runs as $ACTIVATED" "\(uint32 $(id -u), uint32 [0-9]+, uint32 $(owner_pid "$ACTIVATED")\)" \
        "$whoami"
check_status "activated instance stopped with SIGTERM" stop_activated "$ACTIVATED"
check "gdbus call starts it again" "(42,)" \
        "$(gdbus call --session -d "$ACTIVATED" -o "$RT_PATH" -m $NAME.Double 21 2>&1)"
check_status "activated instance stopped again" stop_activated "$ACTIVATED"
# the log's lines about a successful activation, without the daemon's "dbus-daemon[PID]: [session uid=… pid=…]"
check "dbus-daemon started it twice (its log)" "Successfully activated service '$ACTIVATED'
Successfully activated service '$ACTIVATED'" \
        "$(sed -E 's/^dbus-daemon\[[0-9]+\]: \[session uid=[0-9]+ pid=[0-9]+\] //' "$DBIDL_TMP/dbus-daemon.log" |
                grep '^Successfully activated ')"
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/big-inputs.sh — `as`, `a{sv}` and `ai` arguments near the bus's message limit, to the types example
# and the notification daemon: each answered, with the right values, within a bound that linear decoding meets by far
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon gdbus /usr/bin/python3
if ! /usr/bin/python3 -c "import dbus" 2>/dev/null; then
        echo "SKIP: python3-dbus is not installed"
        exit 77
fi
ex=$top_builddir/examples

# The bus: the session configuration with dbus-daemon's own default message limit, 32 MiB (the system bus's; the
# session configuration raises it to 1,000,000,000 bytes).  The arguments: 30,000,000 bytes on the wire, near it.
LIMIT=$((32 << 20))
SIZE=30000000
# The bound.  `make bench-scaling` reads 1,000,000 strings of `as` in 0.057 s and 100,000 entries of `a{sv}` in
# 0.035 s (docs/benchmarks.md, "Scaling"), so the services' part of each case below takes well under a second; the
# round trip as a whole took 1.6 to 3.1 s on a 2-core machine under load, most of it in dbus-daemon, which validates
# every string of the call and of the reply, and in libdbus on the client's side.  30 s leaves a margin of 10 for a
# loaded machine; the quadratic readers issue 11 replaced would have taken minutes (sd_bus_message_read_strv() of
# libsystemd 252: 5.8 s for 200,000 strings, four times as long for each doubling, some 500 s for 1,875,000).
BOUND=30
# Under valgrind, which runs the services some 50 times slower, an eighth of the size, with the same bound.  Under
# AddressSanitizer a quarter: the first call of 30,000,000 bytes took the types service 16 s (the second 1.3 s), its
# time in memmove() and the page faults of fresh memory, where ASan's allocator copies on every realloc() and maps
# its large blocks anew; without ASan the same call costs the service under 1 s.
[ -z "$DBIDL_RUN" ] || SIZE=$((SIZE / 8))
[ -z "${SANITIZER_CFLAGS:-}" ] || SIZE=$((SIZE / 4))

start_private_bus "max_message_size=$LIMIT"
start_service "$DBIDL_TMP/types.log" $DBIDL_RUN "$ex/types/types-service"
types_pid=$!
start_service "$DBIDL_TMP/notifications.log" $DBIDL_RUN "$ex/notifications/notification-daemon"
notifications_pid=$!
wait_name org.dbidl.Types1 || exit 1
wait_name org.freedesktop.Notifications || exit 1
[ -z "$DBIDL_RUN${SANITIZER_CFLAGS:-}" ] || echo "# valgrind or sanitizers: $SIZE bytes a case"

out=$(/usr/bin/python3 -I "$top_srcdir/tests/integration/big-inputs.py" "$SIZE" "$BOUND" 2>&1)
grep '^#' <<<"$out"
check "every big input answered in time, with its values" \
        "EchoArrays ai: answered within $BOUND s, the values checked
EchoArrays as: answered within $BOUND s, the values checked
EchoDicts a{sv}: answered within $BOUND s, the values checked
Notify as a{sv}: answered within $BOUND s, the values checked" "$(grep -v '^#' <<<"$out")"

# both services still answer, and said nothing about a failure
check_status "the types service is still running" kill -0 "$types_pid"
check_status "the notification daemon is still running" kill -0 "$notifications_pid"
check "the types service answers a small call" "(<42>,)" \
        "$(gdbus call --session -d org.dbidl.Types1 -o /org/dbidl/Types1 -m org.dbidl.Types1.EchoVariant '<int32 42>' 2>&1)"
check_empty "no failure in the services' logs" "$(grep -i 'fail\|error' "$DBIDL_TMP/types.log" \
        "$DBIDL_TMP/notifications.log")"

finish

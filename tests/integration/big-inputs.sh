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

# VmRSS of each service before the big inputs (both answered a call: what start-up allocates is in), to compare
# with after them.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
gdbus call --session -d org.dbidl.Types1 -o /org/dbidl/Types1 -m org.dbidl.Types1.EchoVariant '<int32 1>' >/dev/null
gdbus call --session -d org.freedesktop.Notifications -o /org/freedesktop/Notifications \
        -m org.freedesktop.Notifications.GetServerInformation >/dev/null
types_rss0=$(rss "$types_pid") notifications_rss0=$(rss "$notifications_pid")

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
# The heap the big inputs grew goes back to the kernel about 1 s after the last of them: libdbidl arms a timer on
# the service's loop that calls dbidl_trim_memory() (runtime/memory.c).  Without it each service stayed at several
# times its VmRSS (glibc keeps blocks of this size in the heap after free(): malloc(3), M_MMAP_THRESHOLD).  Back
# within 10 % of the baseline, 5 s at most.  Under valgrind and the sanitizers VmRSS is their allocator's, which
# malloc_trim() does not reach, so there the check is not made (and says so).
# back_to_baseline NAME PID RSS0: wait up to 5 s for VmRSS <= RSS0 * 1.10, then check it.
back_to_baseline() {
        local name=$1 pid=$2 rss0=$3 rss i
        for i in $(seq 50); do
                rss=$(rss "$pid")
                [ -n "$rss" ] && [ $((rss * 10)) -le $((rss0 * 11)) ] && break
                sleep 0.1
        done
        echo "# $name: VmRSS $rss0 kB before the big inputs, $rss kB after them (within $((i / 10)).$((i % 10)) s)"
        check "$name: VmRSS back within 10 % of its baseline after the big inputs" "yes" \
                "$([ $((rss * 10)) -le $((rss0 * 11)) ] && echo yes || echo "no: $rss kB against $rss0 kB")"
}
if [ -z "$DBIDL_RUN${SANITIZER_CFLAGS:-}" ]; then
        back_to_baseline "the types service" "$types_pid" "$types_rss0"
        back_to_baseline "the notification daemon" "$notifications_pid" "$notifications_rss0"
else
        echo "# valgrind or sanitizers: VmRSS is their allocator's, not checked"
fi
check_empty "no failure in the services' logs" "$(grep -i 'fail\|error' "$DBIDL_TMP/types.log" \
        "$DBIDL_TMP/notifications.log")"

finish

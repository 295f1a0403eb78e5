#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dying-peers.sh — callers of rt-service that die during a deferred call, during a big call and
# after subscribing to signals, 200 to 1,000 times each: the service's descriptors and memory stay at their baseline
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon dbus-send /usr/bin/python3
if ! /usr/bin/python3 -c "import dbus" 2>/dev/null; then
        echo "SKIP: python3-dbus is not installed"
        exit 77
fi
peers=$top_srcdir/tests/integration/dying-peers.py
NAME=org.dbidl.RuntimeTest1
# The big calls: 2 MiB, well above what glibc's malloc serves from its heap at first (128 KiB, M_MMAP_THRESHOLD); under
# valgrind, where each takes the service about 0.2 s per MiB, 1 MiB (the whole test then takes about 80 s).
BIG=$((2 << 20))
[ -z "$DBIDL_RUN" ] || BIG=$((1 << 20))

fds() { ls "/proc/$pid/fd" 2>/dev/null | wc -l; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null; }

# grown DESCRIPTION LIMIT BEFORE AFTER: AFTER - BEFORE (numbers, kB) must not be above LIMIT.
grown() {
        if ! [[ $3 =~ ^[0-9]+$ && $4 =~ ^[0-9]+$ ]]; then
                check "$1" "at most $2" "no measure: '$3', '$4'"
        elif [ $(($4 - $3)) -le "$2" ]; then
                check "$1" "at most $2" "at most $2"
        else
                check "$1" "at most $2" "$(($4 - $3))"
        fi
}

# still_running WHEN: the service must still run; if it is gone, stop here (nothing more can be measured).
still_running() {
        if alive "$pid"; then
                check_pass "rt-service still running $1"
        else
                check_fail "rt-service still running $1" "expected" "running" "gone; the end of its log:
$(tail -n 5 "$DBIDL_TMP/service.log")"
                finish
                exit
        fi
}

# dying KIND LIMIT CHECKPOINT…: dying-peers.py KIND after a warm-up of 10 rounds (the allocator's free lists, sd-bus's
# buffers and hash tables, the runtime's NameOwnerChanged match reach their steady size), which gives the baseline;
# then rounds up to each CHECKPOINT (a total), each ending with the descriptor count, which must be the baseline's,
# and VmRSS, which must not have grown by more than LIMIT kB since the previous measure.
dying() {
        local kind=$1 limit=$2 done=0 fd0 rss0 rss_prev fd rss n figures
        shift 2
        check "$kind: warm-up" "$(expected "$kind" 10)" "$(/usr/bin/python3 -I "$peers" "$kind" 10 "$BIG" 2>&1)"
        still_running "after the $kind warm-up"
        fd0=$(fds) rss0=$(rss)
        rss_prev=$rss0
        figures="descriptors $fd0, VmRSS $rss0 kB at the baseline"
        for n in "$@"; do
                check "$kind: rounds $((done + 1)) to $n" "$(expected "$kind" $((n - done)))" \
                        "$(/usr/bin/python3 -I "$peers" "$kind" $((n - done)) "$BIG" 2>&1)"
                still_running "after $n $kind rounds"
                fd=$(fds) rss=$(rss)
                figures="$figures; $fd, $rss kB after $n"
                check "$kind: descriptors after $n rounds: the baseline" "$fd0" "$fd"
                # Under valgrind, VmRSS is valgrind's: it keeps freed blocks aside (--freelist-vol, 20 MB) and its
                # own bookkeeping grows with every allocation, so it would not come back; there only the descriptors
                # are checked, and leaks are valgrind's to find (at exit: memory still reachable then, such as a
                # list that only grows, is no leak to valgrind, which is what the VmRSS checks are for).
                [ -n "$DBIDL_RUN" ] || grown "$kind: VmRSS growth in kB from round $done to $n" "$limit" \
                        "$rss_prev" "$rss"
                done=$n rss_prev=$rss
        done
        echo "# $kind: $figures"
}

# expected KIND ROUNDS: what dying-peers.py KIND ROUNDS prints when the service caught up.
expected() {
        case $1 in
        deferred)
                echo "deferred: $2 callers went away during Never; Pending back to its value, Cancelled grown by $2"
                ;;
        big) echo "big: $2 callers went away after a Set of $BIG bytes; every 10th and the last value stored" ;;
        signals) echo "signals: $2 callers went away subscribed, a Tick not dispatched" ;;
        esac
}

start_private_bus
# Built with AddressSanitizer, the service would keep every freed block in ASan's quarantine (256 MB by default) before
# reusing it, so its VmRSS would grow with every round and say nothing about losses: the service runs without the
# quarantine here (use after free is the rest of the suite's to find).  Measured that way, its VmRSS is as flat as
# without ASan (10192 kB from the baseline to round 1000).
asan_options=${ASAN_OPTIONS:-}
[ -z "${SANITIZER_CFLAGS:-}" ] ||
        asan_options="${asan_options:+$asan_options:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
ASAN_OPTIONS=$asan_options start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$top_builddir/tests/runtime/rt-service"
wait_name "$NAME" || exit 1
# the service's pid as the bus knows it (the process valgrind runs it in, under valgrind)
pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID "string:$NAME" 2>&1 | awk '{ print $2 }')
still_running "at the start (pid '$pid' from the bus)"

# The limits of VmRSS growth.  Deferred calls and subscriptions leave nothing in the service once their caller is
# gone: measured, VmRSS does not move by a page in 1,000 rounds.  A block lost every round is absorbed at first by the
# free space the heap already has (measured with a sabotaged service that loses 64 bytes a round: nothing for 300
# rounds, then 4 kB every 50), hence the last 800 rounds, where that service grows by about 45 kB.  8 kB (two pages
# of the allocator's own, a heap top that moves) over 800 rounds is 10 bytes a round: a loss of some 40 bytes a round
# shows, once the heap's free space is used up.
dying deferred 8 50 200 1000
dying signals 8 50 200 1000
# Every big round allocates and frees blocks of BIG bytes (the message read, the value, the stored copy, the
# PropertiesChanged sent).  Once one such block is freed, glibc serves the next ones from its heap (the mmap
# threshold rises to the size freed) and keeps up to twice that size unreturned at the top of the heap
# (M_TRIM_THRESHOLD follows at twice the threshold: mallopt(3)), so VmRSS may move by 2 * BIG between two measures
# without anything lost; one value lost a round grows it by 50, then 150 times BIG.  Last: their blocks would make the
# allocator's state less steady for the others' baselines.
dying big $((2 * BIG / 1024)) 50 200
[ -z "$DBIDL_RUN" ] || echo "# valgrind: the VmRSS checks left out, the descriptors checked (see dying above)"
check_empty "rt-service: no failure in its log" "$(grep -i 'fail' "$DBIDL_TMP/service.log")"

finish

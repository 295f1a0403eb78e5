#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/stress/run.sh — the stress run: calculator-service and stress-client on a private bus (make stress)
# Arguments go to stress-client (--help lists them).  Exits with the client's status, or 1 if the service logged a failure.
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/bus.sh"

# Every client is a connection, one descriptor in stress-client and one in the bus daemon: both inherit the soft
# limit raised to the hard one here (stress-client raises its own too, and says so if even the hard limit is short).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start_private_bus
# In a sanitizer build, ASan's quarantine (256 MB) would hold every freed block of the service and make its VmRSS
# grow with every call: the service runs without it, as in tests/integration/dying-peers.sh.
asan_options=${ASAN_OPTIONS:-}
[ -z "${SANITIZER_CFLAGS:-}" ] ||
        asan_options="${asan_options:+$asan_options:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
ASAN_OPTIONS=$asan_options start_service "$DBIDL_TMP/service.log" \
        "$top_builddir/examples/calculator/calculator-service"
if ! wait_name org.example.Calculator1; then
        sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
        exit 1
fi
"$top_builddir/tests/stress/stress-client" "$@"
status=$?
# Where the time went: the bus daemon routes every call and reply (and the service's PropertiesChanged after each
# call), one thread for all connections, so it is what bounds the rate.
cpu() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "?"; return; }
        stat=${stat##*) }
        echo "$stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($12 + $13) / hz }'
}
echo "CPU time: dbus-daemon $(cpu "${DBIDL_PIDS[0]}") s, calculator-service $(cpu "${DBIDL_PIDS[1]}") s"
stop_services
DBIDL_FINISHED=1
# The service prints one line per call (on success and for a division by zero) and a line with "failed" for
# anything that went wrong on its side (a PropertiesChanged it could not send, its loop).
failures=$(grep -ci 'fail' "$DBIDL_TMP/service.log")
if [ "$failures" -ne 0 ]; then
        echo "service log: $failures lines about failures; the first ones:"
        grep -i 'fail' "$DBIDL_TMP/service.log" | head -n 10 | sed 's/^/# [service] /'
        status=1
else
        echo "service log: $(wc -l <"$DBIDL_TMP/service.log") lines, none about a failure"
fi
exit "$status"

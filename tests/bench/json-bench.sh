#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/json-bench.sh — make bench-json: JSON ↔ message throughput (bench-json), then the wall time of one
# `dbidl call` process next to `busctl call` for the same method on a private bus with the types example
#
# usage: json-bench.sh [ROUNDS]   (default 41 runs of each command, interleaved; the median, best and worst)
# Three commands call org.dbidl.Types1.EchoVariant("x") and the bus driver's GetId:
#   busctl call … v s x          the signature on the command line: one round trip
#   dbidl call … '{"v":"x"}'     typed by the live introspection: Introspect, then the call (two round trips)
#   dbidl --signature=v call …   typed by the command line, as busctl: one round trip
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/bus.sh"
rounds=${1:-41}

echo "== JSON ↔ message (tests/bench/bench-json)"
"$top_builddir/tests/bench/bench-json" 1 15 || exit 1
echo

start_private_bus
start_service "$DBIDL_TMP/service.log" "$top_builddir/examples/types/types-service"
wait_name org.dbidl.Types1 || exit 1
# the program itself, not libtool's wrapper script in the build tree (which costs a shell and tens of ms per run):
# an installed dbidl is the binary
dbidl=$top_builddir/dbidl
if [ -x "$top_builddir/.libs/dbidl" ]; then
        dbidl=$top_builddir/.libs/dbidl
        export LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
T=(org.dbidl.Types1 /org/dbidl/Types1)
B=(org.freedesktop.DBus /org/freedesktop/DBus)
# the commands, by name; each must succeed once before timing
declare -A cmd=(
        [busctl-echo]="busctl --user call ${T[*]} org.dbidl.Types1 EchoVariant v s x"
        [dbidl-echo]="$dbidl --json=short call ${T[*]} org.dbidl.Types1.EchoVariant {\"v\":\"x\"}"
        [dbidl-sig-echo]="$dbidl --json=short --signature=v call ${T[*]} org.dbidl.Types1.EchoVariant [\"x\"]"
        [busctl-getid]="busctl --user call ${B[*]} org.freedesktop.DBus GetId"
        [dbidl-getid]="$dbidl --json=short call ${B[*]} org.freedesktop.DBus.GetId"
        [dbidl-sig-getid]="$dbidl --json=short --signature= call ${B[*]} org.freedesktop.DBus.GetId"
)
order=(busctl-echo dbidl-echo dbidl-sig-echo busctl-getid dbidl-getid dbidl-sig-getid)
for k in "${order[@]}"; do
        # shellcheck disable=SC2086
        if ! ${cmd[$k]} >/dev/null; then
                echo "$k failed: ${cmd[$k]}"
                exit 1
        fi
done
declare -A times
for ((r = 0; r < rounds; r++)); do
        for k in "${order[@]}"; do
                t0=$(date +%s%N)
                # shellcheck disable=SC2086
                ${cmd[$k]} >/dev/null
                t1=$(date +%s%N)
                times[$k]+="$(((t1 - t0) / 1000)) "
        done
done
echo "== one process, wall time in ms ($rounds runs each, interleaved): median, best, worst"
declare -A median
for k in "${order[@]}"; do
        read -r -a v <<<"$(tr ' ' '\n' <<<"${times[$k]}" | sed '/^$/d' | sort -n | tr '\n' ' ')"
        n=${#v[@]}
        median[$k]=${v[n / 2]}
        awk -v k="$k" -v a="${v[n / 2]}" -v b="${v[0]}" -v c="${v[n - 1]}" \
                'BEGIN { printf "%-16s %7.2f %7.2f %7.2f\n", k, a / 1000, b / 1000, c / 1000 }'
done
for m in echo getid; do
        awk -v m="$m" -v d="${median[dbidl-$m]}" -v s="${median[dbidl-sig-$m]}" -v b="${median[busctl-$m]}" \
                'BEGIN { printf "dbidl/busctl (%s): introspected %.2f, --signature %.2f\n", m, d / b, s / b }'
done
stop_services
DBIDL_FINISHED=1
exit 0

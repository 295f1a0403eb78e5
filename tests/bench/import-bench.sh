#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/import-bench.sh — `make bench-import`: introspection XML to C, dbidlc against gdbus-codegen, wall times and ratio
# Inputs: every XML file under /usr/share/dbus-1/interfaces/ and a synthetic interface of 2,000 members (1,000
# methods, 500 signals, 500 properties; generated below, deterministic).  Each round runs, one file after the other,
#   dbidlc -o DIR FILE.xml                                   (import and C generation in one process), and
#   gdbus-codegen --generate-c-code STEM --output-directory DIR FILE.xml
# ROUNDS times (default 5), alternating the tools.  Printed: per input the best (minimum) wall time of each tool
# and their ratio, then the median and best of whole rounds.  The target is dbidlc at least 20 times faster.
# For the record, and outside the ratio, `dbidlc --import-xml -o DIR FILE.xml` (the import alone) is timed too.
# Environment: top_builddir (set by make), DBIDLC (default $top_builddir/dbidlc), ROUNDS, MEMBERS (default 2000).
set -u
: "${top_builddir:?import-bench.sh needs top_builddir (make bench-import sets it)}"
DBIDLC=${DBIDLC:-$top_builddir/dbidlc}
ROUNDS=${ROUNDS:-5}
MEMBERS=${MEMBERS:-2000}
sysdir=/usr/share/dbus-1/interfaces
if ! command -v gdbus-codegen >/dev/null 2>&1; then
        echo "SKIP: gdbus-codegen is not installed (Debian: libglib2.0-dev-bin)"
        exit 77
fi
if ! command -v /usr/bin/python3 >/dev/null 2>&1; then
        echo "SKIP: /usr/bin/python3 is not installed"
        exit 77
fi
[ -x "$DBIDLC" ] || { echo "import-bench: $DBIDLC is not built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-import-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The synthetic interface: names Method0000…, Signal0002…, Property0003…; argument counts 0-4; signatures drawn
# from a fixed mix: 60 % basic types, 30 % the containers real interfaces use most (as, a{sv}, a(ss), …), 10 %
# random nesting up to three levels.  Every second member carries a DocString.
/usr/bin/python3 - "$MEMBERS" >"$tmp/org.example.Synthetic1.xml" <<'EOF'
import random
import sys

n = int(sys.argv[1])
rng = random.Random(6)
BASIC = list("ybnqiuxtdsoghv")
COMMON = ["as", "ao", "ay", "a{sv}", "a{ss}", "a(ss)", "a{sa{sv}}", "(ii)", "(sv)", "a(uss)", "aay", "a{oa{sa{sv}}}"]


def nested(depth=0):
        r = rng.random()
        if depth >= 3 or r < 0.3:
                return rng.choice(BASIC)
        if r < 0.55:
                return "a" + nested(depth + 1)
        if r < 0.75:
                return "a{" + rng.choice("suo") + nested(depth + 1) + "}"
        return "(" + "".join(nested(depth + 1) for _ in range(rng.randint(1, 4))) + ")"


def signature():
        r = rng.random()
        if r < 0.6:
                return rng.choice(BASIC)
        if r < 0.9:
                return rng.choice(COMMON)
        return nested()


print('<node>\n  <interface name="org.example.Synthetic1">')
for i in range(n):
        kind = ("method", "method", "signal", "property")[i % 4]
        doc = f'\n      <annotation name="org.gtk.GDBus.DocString" value="{kind} {i}, generated."/>' if i % 2 else ""
        if kind == "property":
                access = rng.choice(["read", "readwrite"])
                print(f'    <property name="Property{i:04d}" type="{signature()}" access="{access}">{doc}\n    </property>')
                continue
        name = ("Method" if kind == "method" else "Signal") + f"{i:04d}"
        print(f'    <{kind} name="{name}">{doc}')
        for a in range(rng.randint(0, 4)):
                direction = f' direction="{rng.choice(["in", "in", "out"])}"' if kind == "method" else ""
                print(f'      <arg name="a{a}" type="{signature()}"{direction}/>')
        print(f'    </{kind}>')
print('  </interface>\n</node>')
EOF
inputs=()
for f in "$sysdir"/*.xml; do
        [ -e "$f" ] && inputs+=("$f")
done
[ "${#inputs[@]}" -gt 0 ] || echo "import-bench: no XML under $sysdir (Debian: packagekit); the synthetic interface only"
inputs+=("$tmp/org.example.Synthetic1.xml")

now() {
        printf '%s' "${EPOCHREALTIME/,/.}"
}

# run TOOL FILE OUTDIR: one run of TOOL on FILE; prints its wall time in seconds; exit 1 if it failed.
run() {
        local tool=$1 file=$2 out=$3 stem t0 t1 status
        stem=$(basename "$file" .xml)
        rm -rf "$out"
        mkdir -p "$out"
        t0=$(now)
        if [ "$tool" = dbidlc ]; then
                "$DBIDLC" -Wno-member-name-style -o "$out" "$file" >/dev/null 2>"$out.err"
        elif [ "$tool" = import ]; then
                "$DBIDLC" --import-xml -o "$out" "$file" >/dev/null 2>"$out.err"
        else
                gdbus-codegen --generate-c-code "$stem" --output-directory "$out" "$file" >/dev/null 2>"$out.err"
        fi
        status=$?
        t1=$(now)
        if [ "$status" -ne 0 ] || [ -z "$(ls -A "$out")" ]; then
                echo "import-bench: $tool failed on $file:" >&2
                cat "$out.err" >&2
                return 1
        fi
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }'
}

# times/TOOL.INPUT: one line per round; rounds/TOOL: the sum of a round's runs, one line per round
mkdir -p "$tmp/times" "$tmp/rounds"
echo "import-bench: ${#inputs[@]} inputs, $ROUNDS rounds; $DBIDLC against $(command -v gdbus-codegen)"
for ((round = 1; round <= ROUNDS; round++)); do
        tools=(dbidlc gdbus-codegen import)
        ((round % 2 == 0)) && tools=(gdbus-codegen dbidlc import)
        for tool in "${tools[@]}"; do
                total=0
                for i in "${!inputs[@]}"; do
                        t=$(run "$tool" "${inputs[i]}" "$tmp/out/$tool.$i") || exit 1
                        echo "$t" >>"$tmp/times/$tool.$i"
                        total=$(awk -v a="$total" -v b="$t" 'BEGIN { printf "%.6f", a + b }')
                done
                echo "$total" >>"$tmp/rounds/$tool"
        done
done

min() {
        sort -g "$1" | head -n 1
}
median() {
        sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() {
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'
}
members() {
        grep -c '<method\|<signal\|<property' "$1"
}

printf '\n%-44s %7s %11s %14s %8s %13s\n' "input (best of $ROUNDS, seconds)" members dbidlc gdbus-codegen ratio "(import only)"
for i in "${!inputs[@]}"; do
        a=$(min "$tmp/times/dbidlc.$i")
        b=$(min "$tmp/times/gdbus-codegen.$i")
        c=$(min "$tmp/times/import.$i")
        printf '%-44s %7s %11.4f %14.4f %7s× %13.4f\n' "$(basename "${inputs[i]}")" "$(members "${inputs[i]}")" "$a" "$b" \
                "$(ratio "$b" "$a")" "$c"
done
a_med=$(median "$tmp/rounds/dbidlc")
b_med=$(median "$tmp/rounds/gdbus-codegen")
a_min=$(min "$tmp/rounds/dbidlc")
b_min=$(min "$tmp/rounds/gdbus-codegen")
printf '%-44s %7s %11.4f %14.4f %7s×\n' "all inputs, one round: median" "" "$a_med" "$b_med" "$(ratio "$b_med" "$a_med")"
printf '%-44s %7s %11.4f %14.4f %7s×\n' "all inputs, one round: best" "" "$a_min" "$b_min" "$(ratio "$b_min" "$a_min")"
r=$(ratio "$b_med" "$a_med")
echo
echo "ratio (median rounds): dbidlc is ${r}× faster than gdbus-codegen (target: 20×)"
if awk -v r="$r" 'BEGIN { exit !(r >= 20) }'; then
        echo "target met"
else
        echo "target NOT met"
fi

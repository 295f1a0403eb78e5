#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/import-bench.sh — `make bench-import`: dbidlc's start-up, and introspection XML to C against sdbus-c++-xml2cpp and gdbus-codegen
# Three measurements, each over ROUNDS rounds (default 5) in which the tools take turns, the order rotated one place
# every round; printed: the median, best and worst round of each tool and the ratios of the medians.
# 1. Start-up, per process (a loop of STARTS runs, default 200, divided by STARTS):
#      /bin/true                                            (a process that only starts and exits)
#      dbidlc --version                                     (dbidlc starting and exiting)
#      dbidlc -o NEWDIR examples/calculator/calculator.idl  (generating C for a small .idl; a new directory each run,
#                                                           in memory: a tmpfs, /dev/shm where there is one)
#      the same into a new directory on disk, under TMPDIR  (what the file system adds: creating a file on the ext4
#                                                           of a virtual machine can cost more than the whole run)
#    Target: the calculator in memory at most 1.5 times /bin/true.
# 2. Every XML file under /usr/share/dbus-1/interfaces/ (about 120 on a machine with tools/install-deps.sh's
#    packages), one process per file, the round's total:
#      dbidlc -Wno-member-name-style -o DIR FILE.xml        (import and C generation in one process)
#      sdbus-c++-xml2cpp --proxy=DIR/STEM-proxy.h --adaptor=DIR/STEM-adaptor.h FILE.xml
#      gdbus-codegen --generate-c-code STEM --output-directory DIR FILE.xml
#    and, outside the ratios, `dbidlc --import-xml -o DIR FILE.xml` (the import alone).  Targets: dbidlc at least 1.1
#    times faster than sdbus-c++-xml2cpp and 30 times faster than gdbus-codegen.
# 3. A synthetic interface of MEMBERS members (default 2,000: 1,000 methods, 500 signals, 500 properties; generated
#    below, deterministic) through the same tools: where the tools do real work rather than start.
# A missing sdbus-c++-xml2cpp (Debian: libsdbus-c++-bin) is said so and its columns are left out; a missing
# gdbus-codegen skips the whole benchmark (exit 77).  Exit status 0 whatever the figures, 1 if a tool fails.
# Environment: top_builddir and top_srcdir (set by make), DBIDLC (default $top_builddir/dbidlc), ROUNDS, STARTS,
# MEMBERS, TMPDIR (default /tmp: the disk case), MEMDIR (default /dev/shm: everything else).
set -u
: "${top_builddir:?import-bench.sh needs top_builddir (make bench-import sets it)}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
DBIDLC=${DBIDLC:-$top_builddir/dbidlc}
ROUNDS=${ROUNDS:-5}
STARTS=${STARTS:-200}
MEMBERS=${MEMBERS:-2000}
sysdir=/usr/share/dbus-1/interfaces
calc=$top_srcdir/examples/calculator/calculator.idl
if ! command -v gdbus-codegen >/dev/null 2>&1; then
        echo "SKIP: gdbus-codegen is not installed (Debian: libglib2.0-dev-bin)"
        exit 77
fi
if ! command -v /usr/bin/python3 >/dev/null 2>&1; then
        echo "SKIP: /usr/bin/python3 is not installed"
        exit 77
fi
[ -x "$DBIDLC" ] || { echo "import-bench: $DBIDLC is not built"; exit 1; }
[ -r "$calc" ] || { echo "import-bench: $calc is missing"; exit 1; }
xml_tools=(dbidlc gdbus-codegen import)
if command -v sdbus-c++-xml2cpp >/dev/null 2>&1; then
        xml_tools=(dbidlc sdbus-c++-xml2cpp gdbus-codegen import)
        have_sdbus=1
else
        have_sdbus=0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-import-bench.XXXXXX")
# where the tools write (but for the disk case): a tmpfs, so that the figures are the tools' and not the disk's
mem=$(mktemp -d "${MEMDIR:-/dev/shm}/dbidl-import-bench.XXXXXX" 2>/dev/null) || mem=$tmp
trap 'rm -rf "$tmp" "$mem"' EXIT

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
sys_inputs=()
for f in "$sysdir"/*.xml; do
        [ -e "$f" ] && sys_inputs+=("$f")
done
synthetic=$tmp/org.example.Synthetic1.xml

# Clocks are read as ${EPOCHREALTIME/[.,]/}, microseconds, without a subshell: the timed loops fork nothing else.

# xml_run TOOL FILE OUTDIR: one run of TOOL on FILE into the existing OUTDIR; its status.
xml_run() {
        local tool=$1 file=$2 out=$3 stem
        stem=${file##*/}
        stem=${stem%.xml}
        case $tool in
        dbidlc) "$DBIDLC" -Wno-member-name-style -o "$out" "$file" >/dev/null 2>"$out.err" ;;
        import) "$DBIDLC" --import-xml -o "$out" "$file" >/dev/null 2>"$out.err" ;;
        sdbus-c++-xml2cpp)
                sdbus-c++-xml2cpp --proxy="$out/$stem-proxy.h" --adaptor="$out/$stem-adaptor.h" "$file" \
                        >/dev/null 2>"$out.err" ;;
        gdbus-codegen) gdbus-codegen --generate-c-code "$stem" --output-directory "$out" "$file" >/dev/null 2>"$out.err" ;;
        esac
}

# xml_round TOOL SET FILE…: TOOL on each FILE, one process each, into fresh directories (made before the clock
# starts); appends the round's total (seconds) to $tmp/rounds/SET.TOOL.  Exit 1 (with its errors) if a run fails or
# writes nothing.
xml_round() {
        local tool=$1 set=$2 i t0 t1 dirs=()
        shift 2
        rm -rf "$mem/out"
        for ((i = 1; i <= $#; i++)); do
                dirs+=("$mem/out/$i")
        done
        mkdir -p "${dirs[@]}"
        t0=${EPOCHREALTIME/[.,]/}
        i=0
        for f in "$@"; do
                xml_run "$tool" "$f" "${dirs[i]}" || { failed "$tool" "$f" "${dirs[i]}"; return 1; }
                i=$((i + 1))
        done
        t1=${EPOCHREALTIME/[.,]/}
        for d in "${dirs[@]}"; do
                [ -n "$(ls -A "$d")" ] || { failed "$tool" "(one of the inputs)" "$d"; return 1; }
        done
        echo "$(((t1 - t0) / 1000000)).$(printf '%06d' $(((t1 - t0) % 1000000)))" >>"$tmp/rounds/$set.$tool"
}

failed() {
        echo "import-bench: $1 failed on $2:" >&2
        cat "$3.err" >&2 2>/dev/null
}

# start_round NAME: STARTS runs of the start-up case NAME; appends the time per process (ms) to
# $tmp/rounds/start.NAME.  Exit 1 if a run fails.
start_round() {
        local name=$1 i t0 t1 dir=$mem/calc
        [ "$name" = calculator-disk ] && dir=$tmp/calc
        rm -rf "$dir"
        mkdir -p "$dir"
        t0=${EPOCHREALTIME/[.,]/}
        case $name in
        true)
                for ((i = 0; i < STARTS; i++)); do
                        /bin/true || return 1
                done ;;
        version)
                for ((i = 0; i < STARTS; i++)); do
                        "$DBIDLC" --version >/dev/null || return 1
                done ;;
        calculator | calculator-disk)
                # a new directory each run: the three files are written, never found up to date (atomic-write.c)
                for ((i = 0; i < STARTS; i++)); do
                        "$DBIDLC" -o "$dir/$i" "$calc" || return 1
                done ;;
        esac
        t1=${EPOCHREALTIME/[.,]/}
        awk -v us=$((t1 - t0)) -v n="$STARTS" 'BEGIN { printf "%.4f\n", us / n / 1000 }' >>"$tmp/rounds/start.$name"
}

# rotated N WORD…: the WORDs rotated left by N places.
rotated() {
        local n=$1
        shift
        local a=("$@") k=$#
        for ((j = 0; j < k; j++)); do
                printf '%s\n' "${a[(j + n) % k]}"
        done
}

min() {
        sort -g "$1" | head -n 1
}
max() {
        sort -g "$1" | tail -n 1
}
median() {
        sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() {
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'
}
# at_least R TARGET: whether R >= TARGET
at_least() {
        awk -v r="$1" -v t="$2" 'BEGIN { exit !(r >= t) }'
}
verdict() {
        if at_least "$@"; then echo "met"; else echo "NOT met"; fi
}

mkdir -p "$tmp/rounds"
if readelf -l "$DBIDLC" 2>/dev/null | grep -q 'program interpreter'; then
        linked="$(ldd "$DBIDLC" 2>/dev/null | grep -c '=>') shared libraries"
else
        linked="a static PIE"
fi
echo "import-bench: $ROUNDS rounds; $DBIDLC ($linked)"
echo "  outputs in $mem ($(stat -f -c %T "$mem")); the disk case in $tmp ($(stat -f -c %T "$tmp"))"
echo "  start-up: $STARTS processes per case and round"
echo "  XML: ${#sys_inputs[@]} files under $sysdir, and a synthetic interface of $MEMBERS members"
if [ "$have_sdbus" = 1 ]; then
        echo "  against $(command -v sdbus-c++-xml2cpp) and $(command -v gdbus-codegen)"
else
        echo "  against $(command -v gdbus-codegen); sdbus-c++-xml2cpp is NOT installed (Debian: libsdbus-c++-bin):"
        echo "  its columns are left out"
fi
[ "${#sys_inputs[@]}" -gt 0 ] ||
        echo "import-bench: no XML under $sysdir (Debian: packagekit, tools/install-deps.sh); the synthetic interface only"
start_cases=(true version calculator calculator-disk)
for ((round = 0; round < ROUNDS; round++)); do
        mapfile -t order < <(rotated "$round" "${start_cases[@]}")
        for c in "${order[@]}"; do
                start_round "$c" || { echo "import-bench: start-up case $c failed" >&2; exit 1; }
        done
        mapfile -t order < <(rotated "$round" "${xml_tools[@]}")
        for tool in "${order[@]}"; do
                if [ "${#sys_inputs[@]}" -gt 0 ]; then
                        xml_round "$tool" system "${sys_inputs[@]}" || exit 1
                fi
                xml_round "$tool" synthetic "$synthetic" || exit 1
        done
        printf '  round %d of %d done\n' "$((round + 1))" "$ROUNDS"
done

echo
printf '%-52s %9s %9s %9s %8s\n' "start-up (ms per process)" median best worst ratio
base=$(median "$tmp/rounds/start.true")
for c in "${start_cases[@]}"; do
        case $c in
        true) label="/bin/true" ;;
        version) label="dbidlc --version" ;;
        calculator) label="dbidlc -o DIR calculator.idl" ;;
        calculator-disk) label="  the same, DIR on disk ($(stat -f -c %T "$tmp"))" ;;
        esac
        f=$tmp/rounds/start.$c
        printf '%-52s %9.3f %9.3f %9.3f %7s×\n' "$label" "$(median "$f")" "$(min "$f")" "$(max "$f")" \
                "$(ratio "$(median "$f")" "$base")"
done
calc_ratio=$(ratio "$(median "$tmp/rounds/start.calculator")" "$base")
version_ratio=$(ratio "$(median "$tmp/rounds/start.calculator")" "$(median "$tmp/rounds/start.version")")
echo "(ratios: to /bin/true; the calculator is ${version_ratio}× dbidlc --version)"

for set in system synthetic; do
        [ -e "$tmp/rounds/$set.dbidlc" ] || continue
        echo
        if [ "$set" = system ]; then
                printf '%-52s %9s %9s %9s %8s\n' "${#sys_inputs[@]} files of $sysdir (s per round)" median best \
                        worst "dbidlc is"
        else
                printf '%-52s %9s %9s %9s %8s\n' "synthetic interface, $MEMBERS members (s per round)" median best \
                        worst "dbidlc is"
        fi
        a=$(median "$tmp/rounds/$set.dbidlc")
        for tool in "${xml_tools[@]}"; do
                f=$tmp/rounds/$set.$tool
                label=$tool
                [ "$tool" = import ] && label="(dbidlc --import-xml alone)"
                r=""
                case $tool in
                sdbus-c++-xml2cpp | gdbus-codegen) r="$(ratio "$(median "$f")" "$a")× faster" ;;
                esac
                printf '%-52s %9.4f %9.4f %9.4f %s\n' "$label" "$(median "$f")" "$(min "$f")" "$(max "$f")" "$r"
        done
done

echo
echo "targets (medians):"
echo "  start-up: dbidlc -o DIR calculator.idl costs ${calc_ratio}× /bin/true (target: at most 1.5×): $(
        if awk -v r="$calc_ratio" 'BEGIN { exit !(r <= 1.5) }'; then echo met; else echo NOT met; fi)"
if [ -e "$tmp/rounds/system.dbidlc" ]; then
        a=$(median "$tmp/rounds/system.dbidlc")
        if [ "$have_sdbus" = 1 ]; then
                r=$(ratio "$(median "$tmp/rounds/system.sdbus-c++-xml2cpp")" "$a")
                echo "  system XML: dbidlc is ${r}× faster than sdbus-c++-xml2cpp (target: 1.1×): $(verdict "$r" 1.1)"
        else
                echo "  system XML: against sdbus-c++-xml2cpp: NOT measured (not installed; Debian: libsdbus-c++-bin)"
        fi
        r=$(ratio "$(median "$tmp/rounds/system.gdbus-codegen")" "$a")
        echo "  system XML: dbidlc is ${r}× faster than gdbus-codegen (target: 30×): $(verdict "$r" 30)"
else
        echo "  system XML: NOT measured (no XML under $sysdir)"
fi

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/random-idl.sh — 2,000 random and adversarial .idl files through dbidlc; every accepted one compiles strictly and as C++17
#
# tests/gen/random-idl.py writes the files (deterministic from a seed: a failure reproduces), full of names
# that collide after snake-casing or with derived names, C and C++ keywords, C library and runtime names,
# the fixed parameters of generated functions, and deeply nested types.  Each file goes through dbidlc:
#  - exit 0 (accepted): its header, client and server must compile with $STRICT_CFLAGS, and its header as
#    C++17 (-Wall -Wextra -Werror -Wshadow);
#  - exit 1 (rejected): fine, if dbidlc said why (an "error:" line);
#  - anything else (a crash, a signal, valgrind's error code 99): a failure.
# The test fails on any compile failure or crash, and when fewer than half of the files are accepted (so that
# it cannot pass by rejecting everything).  Each failure is printed with its .idl and the first compiler
# errors; the last line before the checks is the summary "N files, A accepted, R rejected, C compile failures".
#
# Environment: DBIDL_RANDOM_IDL_SEED (default 1), DBIDL_RANDOM_IDL_COUNT (default 2000),
# DBIDL_RANDOM_IDL_BATCH (files per translation unit, default 25).  One file again:
#     python3 tests/gen/random-idl.py --seed 1 --first 123 --count 1 --out /tmp/x
#
# Speed (2 cores, about a minute and a half): dbidlc and the compilers run two at a time (xargs -P2), and the
# generated files are compiled in batches: one translation unit #includes the client .c files of 25 accepted
# files, another their server .c files, a C++ one their headers.  That cannot hide a mistake of one file:
# every generated file has the same fixed list of system #includes, every name a file generates carries
# its interface's or file's name, which random-idl.py makes distinct across files, and gcc warns in an
# included file as in the main file (it is compiled with -c, not -fsyntax-only, which skips
# -Wunused-function).  A batch that fails is split: each file named in an error is compiled alone (the
# errors shown are its own), the others again as a batch; a batch failure that no file alone reproduces
# is reported as a clash between the files of the batch ("two headers in one translation unit").
#
# Under `configure --enable-valgrind` (DBIDL_RUN set, $DBIDLC a script running dbidlc under valgrind),
# running dbidlc 2,000 times under valgrind would take an hour: then only a sample of 50 files, spread over
# the whole set, goes through $DBIDLC (under valgrind), and the others through the real compiler,
# $top_builddir/dbidlc, natively.  The compilers never run under valgrind (they are not ours).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/bus.sh"

skip_unless python3
: "${DBIDLC:?DBIDLC must name the dbidlc to test}"
: "${CC:=cc}" "${CXX:=c++}"
: "${STRICT_CFLAGS:=-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wundef}"
: "${SYSTEMD_CFLAGS:=}"
skip_unless "${CC%% *}" "${CXX%% *}"
seed=${DBIDL_RANDOM_IDL_SEED:-1}
count=${DBIDL_RANDOM_IDL_COUNT:-2000}
batch=${DBIDL_RANDOM_IDL_BATCH:-25}
start=$SECONDS

idl=$DBIDL_TMP/idl out=$DBIDL_TMP/out res=$DBIDL_TMP/res
mkdir -p "$idl" "$out" "$res/err" "$res/fail" "$res/tu"
if ! python3 "$top_srcdir/tests/gen/random-idl.py" --seed "$seed" --count "$count" --out "$idl"; then
        echo "FAIL: tests/gen/random-idl.py did not run"
        exit 1
fi

# ---- dbidlc on every file ----
native=$DBIDLC
if [ -n "$DBIDL_RUN" ] && [ -x "${top_builddir:-}/dbidlc" ]; then
        native=$top_builddir/dbidlc
fi
sample=$((count / 50 > 0 ? count / 50 : 1))
# run_dbidlc FILE…: prints "STEM STATUS" for each
run_dbidlc() {
        local f stem n compiler
        for f in "$@"; do
                stem=${f##*/}
                stem=${stem%.idl}
                n=$((10#${stem#r}))
                compiler=$native
                [ $((n % sample)) -eq 0 ] && compiler=$DBIDLC
                "$compiler" -o "$out" "$f" >"$res/err/$stem" 2>&1
                echo "$stem $?"
        done
}
export -f run_dbidlc
export out res native sample DBIDLC
find "$idl" -name 'r*.idl' | sort | xargs -P2 -n 20 bash -c 'run_dbidlc "$@"' _ >"$res/status"

accepted=() rejected=0 crashes=0 quiet=0
while read -r stem status; do
        case $status in
        0)
                if [ -f "$out/$stem.h" ] && [ -f "$out/$stem-client.c" ] && [ -f "$out/$stem-server.c" ]; then
                        accepted+=("$stem")
                else
                        echo "FAIL: dbidlc accepted $stem.idl but did not write $stem.h, $stem-client.c and $stem-server.c"
                        crashes=$((crashes + 1))
                fi
                ;;
        1)
                rejected=$((rejected + 1))
                if ! grep -q 'error:' "$res/err/$stem"; then
                        echo "FAIL: dbidlc rejected $stem.idl without an error message:"
                        sed 's/^/#   /' "$res/err/$stem"
                        quiet=$((quiet + 1))
                fi
                ;;
        *)
                crashes=$((crashes + 1))
                echo "FAIL: dbidlc exited with status $status on $stem.idl:"
                sed 's/^/#   /' "$idl/$stem.idl"
                echo "# its output:"
                head -n 30 "$res/err/$stem" | sed 's/^/#   /'
                ;;
        esac
done <"$res/status"
total=$(wc -l <"$res/status")
echo "# dbidlc: $total files in $((SECONDS - start)) s (seed $seed)"

# ---- compile the accepted files, in batches ----
# compile KIND TU STEM…: KIND client, server (C) or cxx (the header as C++17); TU names the translation unit
# (written only for a batch).  Output in TU.log; status 0 when it compiles.
compile() {
        local kind=$1 tu=$2 s src
        shift 2
        if [ $# -eq 1 ] && [ "$kind" != cxx ]; then
                src=$out/$1-$kind.c
        else
                src=$tu.$([ "$kind" = cxx ] && echo cc || echo c)
                for s in "$@"; do
                        if [ "$kind" = cxx ]; then
                                printf '#include "%s.h"\n' "$s"
                        else
                                printf '#include "%s-%s.c"\n' "$s" "$kind"
                        fi
                done >"$src"
        fi
        if [ "$kind" = cxx ]; then
                # shellcheck disable=SC2086
                $CXX -std=c++17 -Wall -Wextra -Werror -Wshadow -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                        -c "$src" -o /dev/null >"$tu.log" 2>&1
        else
                # shellcheck disable=SC2086
                $CC $STRICT_CFLAGS -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS -c "$src" -o /dev/null \
                        >"$tu.log" 2>&1
        fi
}

# check_batch KIND STEM…: compile the batch; on failure find the files that fail alone and write
# $res/fail/STEM.KIND for each (their first errors), or $res/fail/batch-FIRST.KIND for a clash between files.
check_batch() {
        local kind=$1 tu named=() rest=() s found=0
        shift
        tu=$res/tu/$kind-$1-$#
        compile "$kind" "$tu" "$@" && return 0
        if [ $# -eq 1 ]; then
                grep -m 15 -E 'error|note|^ ' "$tu.log" >"$res/fail/$1.$kind"
                [ -s "$res/fail/$1.$kind" ] || head -n 15 "$tu.log" >"$res/fail/$1.$kind"
                return 0
        fi
        for s in "$@"; do
                if grep -qE "(^|/)$s(-client\.c|-server\.c|\.h):[0-9]+:[0-9]+: (fatal )?error" "$tu.log"; then
                        named+=("$s")
                else
                        rest+=("$s")
                fi
        done
        # no file named in the errors (an error in a system header, say): each file alone
        [ ${#named[@]} -gt 0 ] || { named=("${rest[@]}"); rest=(); }
        for s in "${named[@]}"; do
                if ! compile "$kind" "$res/tu/$kind-$s" "$s"; then
                        grep -m 15 -E 'error|note|^ ' "$res/tu/$kind-$s.log" >"$res/fail/$s.$kind"
                        found=1
                fi
        done
        if [ ${#rest[@]} -gt 0 ] && [ $found -eq 1 ]; then
                check_batch "$kind" "${rest[@]}"
        elif [ $found -eq 0 ]; then
                # nothing fails alone: the files clash with each other
                { echo "# the batch $* fails, none of its files alone:"; grep -m 20 -E 'error|note' "$tu.log"; } \
                        >"$res/fail/batch-$1.$kind"
        fi
        return 0
}
export -f compile check_batch
export CC CXX STRICT_CFLAGS SYSTEMD_CFLAGS top_srcdir

cstart=$SECONDS
for ((i = 0; i < ${#accepted[@]}; i += batch)); do
        for kind in client server cxx; do
                echo "$kind ${accepted[*]:i:batch}"
        done
done | xargs -P2 -L1 bash -c 'check_batch "$@"' _
echo "# compilers: ${#accepted[@]} accepted files in $((SECONDS - cstart)) s"

# ---- report ----
failures=0
failed_stems=()
for f in "$res"/fail/*; do
        [ -e "$f" ] || continue
        failures=$((failures + 1))
        name=${f##*/}
        stem=${name%.*}
        kind=${name##*.}
        case $kind in client | server) what="$stem-$kind.c, strict C11" ;; *) what="$stem.h, C++17" ;; esac
        echo "FAIL: $what"
        if [ "${stem#batch-}" = "$stem" ]; then
                failed_stems+=("$stem")
                sed 's/^/#   /' "$idl/$stem.idl"
                echo "# first errors:"
        fi
        sed 's/^/#     /' "$f"
done
n_failed=$(printf '%s\n' "${failed_stems[@]}" | sort -u | grep -c .)

echo "$total files, ${#accepted[@]} accepted, $rejected rejected, $failures compile failures" \
        "($n_failed files), $crashes dbidlc crashes; seed $seed, $((SECONDS - start)) s"
check "dbidlc: exit status 0 or 1 on every file" "0 crashes" "$crashes crashes"
check "dbidlc: a rejected file gets an error message" "0 without" "$quiet without"
check "at least half of the files are accepted" "yes" \
        "$([ $((2 * ${#accepted[@]})) -ge "$total" ] && echo yes || echo "no: ${#accepted[@]} of $total")"
check "every accepted file compiles (strict C11 and C++17)" "0 compile failures" "$failures compile failures"
finish

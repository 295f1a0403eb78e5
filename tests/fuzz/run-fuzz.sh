#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/run-fuzz.sh — run a libFuzzer target for a bounded time; non-zero and the reproducer on a crash
#
# usage: tests/fuzz/run-fuzz.sh [TARGET] SECONDS
#
# TARGET is idl (the default: the front end, tests/fuzz/fuzz-idl), import-xml (the introspection XML importer,
# tests/fuzz/fuzz-import-xml), skeleton (generated skeletons and the runtime, tests/fuzz/fuzz-skeleton) or json
# (JSON → message → JSON with random signatures, tests/fuzz/fuzz-json).  Run
# from a build directory configured with --enable-fuzz CC=clang, after `make tests/fuzz/fuzz-TARGET`; this script
# builds nothing. The seed corpus is every .idl (for idl) or .xml (for import-xml) under tests/ and examples/ in
# the source tree, or every file of tests/fuzz/skeleton-seeds/ (for skeleton) or tests/fuzz/json-seeds/ (for
# json), copied into a fresh working corpus at each run, and the dictionary tests/fuzz/TARGET.dict (xml.dict for
# import-xml; none for skeleton, whose inputs are bytes, not text). Environment:
#   FUZZER        the fuzzer binary (default: tests/fuzz/fuzz-TARGET in the current directory)
#   FUZZ_OUT      where crash reproducers and the log go (default: fuzz-out in the current directory)
#   FUZZ_CORPUS   a corpus directory to use and keep (default: a temporary one, removed at exit)
#   FUZZ_ARGS     extra libFuzzer options
# Exit status: 0 when the time ran out without a finding, 1 on a crash, leak,
# timeout or out-of-memory (the reproducer is printed), 2 on usage errors.
set -uo pipefail

target=idl
if [ $# -eq 2 ]; then
        target=$1
        shift
fi
if [ $# -ne 1 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
        echo "usage: $0 [idl|import-xml|skeleton|json] SECONDS" >&2
        exit 2
fi
case $target in
idl) ext=idl dict=idl.dict ;;
import-xml) ext=xml dict=xml.dict ;;
skeleton) ext='' dict='' ;;
json) ext='' dict=json.dict ;;
*)
        echo "usage: $0 [idl|import-xml|skeleton|json] SECONDS" >&2
        exit 2
        ;;
esac
seconds=$1
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
name=fuzz-$target
fuzzer=${FUZZER:-tests/fuzz/$name}
out=${FUZZ_OUT:-fuzz-out}

if ! [ -x "$fuzzer" ]; then
        echo "$0: no fuzzer at $fuzzer: configure with --enable-fuzz CC=clang and run 'make tests/fuzz/$name' first" >&2
        exit 2
fi
fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

if [ -n "${FUZZ_CORPUS:-}" ]; then
        corpus=$FUZZ_CORPUS
        mkdir -p "$corpus" || exit 2
else
        corpus=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-fuzz.XXXXXX") || exit 2
        trap 'rm -rf "$corpus"' EXIT
fi
# seeds: every .idl (.xml) of the source tree's tests and examples, or tests/fuzz/TARGET-seeds/*, under a name
# that keeps them apart
if [ -n "$ext" ]; then
        seed_find=(find "$srcdir/tests" "$srcdir/examples" -name "*.$ext" -type f -print0)
else
        seed_find=(find "$srcdir/tests/fuzz/$target-seeds" -type f -print0)
fi
seeds=0
while IFS= read -r -d '' f; do
        rel=${f#"$srcdir"/}
        cp "$f" "$corpus/seed-${rel//\//_}" && seeds=$((seeds + 1))
done < <("${seed_find[@]}")
dict_args=()
[ -z "$dict" ] || dict_args=(-dict="$srcdir/tests/fuzz/$dict")

log=$out/fuzz.log
rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* "$out"/slow-unit-*
echo "$name: ${seconds}s, $seeds seed files, dictionary ${dict:+$srcdir/tests/fuzz/}${dict:-none}, log $log"

# Sanitizer reports are findings: abort on the first, with a stack trace; leaks count too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# shellcheck disable=SC2086
"$fuzzer" "$corpus" \
        "${dict_args[@]}" \
        -max_total_time="$seconds" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -max_len=16384 \
        -use_value_profile=1 \
        -print_final_stats=1 \
        -artifact_prefix="$out/" \
        ${FUZZ_ARGS:-} >"$log" 2>&1
status=$?

findings=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | sort)
if [ $status -eq 0 ] && [ -z "$findings" ]; then
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb):' "$log"
        grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
        echo "$name: no crash in ${seconds}s"
        exit 0
fi

echo "$name: FAILED (libFuzzer exit status $status); the end of $log:"
tail -n 80 "$log"
for f in $findings; do
        echo
        echo "=== reproducer: $f ($(stat -c %s "$f") bytes); rerun with: $fuzzer $f"
        od -An -c -v "$f" | head -n 40
done
[ -n "$findings" ] || echo "(libFuzzer wrote no reproducer; see the log above)"
exit 1

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/compat/check-compat.sh — dbidlc --check-compat on every case in tests/compat against its expected output
#
# A case is CASE.idl (the new version), compared with CASE.old.idl if there is one and base.idl otherwise;
# CASE.expected is what dbidlc prints (stdout and stderr) followed by "exit status: N".  Runs in the source
# directory with relative names, so the expected text is the same in every build tree; writes only to a
# temporary directory.  DBIDL_REGENERATE=1 rewrites the .expected files instead (then review the diff).
set -u
cd "$top_srcdir/tests/compat" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-compat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
n=0
failed=0
breaking_kinds=0
for new in *.idl; do
        case $new in
        base.idl | *.old.idl) continue ;;
        esac
        name=${new%.idl}
        old=base.idl
        [ -e "$name.old.idl" ] && old=$name.old.idl
        n=$((n + 1))
        "$DBIDLC" --check-compat "$old" "$new" >"$tmp/$name.out" 2>&1
        echo "exit status: $?" >>"$tmp/$name.out"
        if [ "${DBIDL_REGENERATE:-}" = 1 ]; then
                cp "$tmp/$name.out" "$name.expected"
                echo "ok $n - $name (regenerated)"
        elif diff -u "$name.expected" "$tmp/$name.out" >"$tmp/$name.diff" 2>&1; then
                echo "ok $n - $name"
        else
                echo "not ok $n - $name: output differs from $name.expected"
                sed 's/^/#   /' "$tmp/$name.diff"
                failed=$((failed + 1))
        fi
        breaking_kinds=$((breaking_kinds + $(grep -c ': error: ' "$tmp/$name.out")))
done

# usage errors: exit status 2
n=$((n + 1))
"$DBIDLC" --check-compat base.idl >"$tmp/usage.out" 2>&1
status=$?
if [ "$status" -eq 2 ] && grep -q 'needs two files' "$tmp/usage.out"; then
        echo "ok $n - one file: usage error (exit 2)"
else
        echo "not ok $n - one file: exit $status, expected 2"
        failed=$((failed + 1))
fi
# a file that does not check: its diagnostics, exit status 1, no comparison
n=$((n + 1))
printf 'interface org.example.Broken1 {\n        method M(a: nosuchtype);\n}\n' >"$tmp/broken.idl"
"$DBIDLC" --check-compat base.idl "$tmp/broken.idl" >"$tmp/broken.out" 2>&1
status=$?
if [ "$status" -eq 1 ] && grep -q 'nosuchtype' "$tmp/broken.out" && ! grep -q 'breaking change' "$tmp/broken.out"; then
        echo "ok $n - an input with errors: its diagnostics, exit 1"
else
        echo "not ok $n - an input with errors: exit $status"
        sed 's/^/#   /' "$tmp/broken.out"
        failed=$((failed + 1))
fi
# the same file twice: compatible
n=$((n + 1))
if "$DBIDLC" --check-compat base.idl base.idl >"$tmp/same.out" 2>&1 && [ ! -s "$tmp/same.out" ]; then
        echo "ok $n - a file against itself: silent, exit 0"
else
        echo "not ok $n - a file against itself"
        sed 's/^/#   /' "$tmp/same.out"
        failed=$((failed + 1))
fi

echo "# $breaking_kinds breaking changes reported over the cases"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]

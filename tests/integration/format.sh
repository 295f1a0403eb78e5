#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/format.sh — dbidlc --format on every .idl in the tree: idempotent, and the generated C is unchanged
set -u
. "$top_srcdir/tests/lib/bus.sh"

# every .idl of the source tree, by path relative to it (the formatted copies keep the layout, so imports resolve)
files=$(cd "$top_srcdir" && find . -name '*.idl' -not -path './.git/*' -not -path './autom4te.cache/*' | sed 's|^\./||' | sort)
[ -n "$files" ] || { echo "FAIL: no .idl files found under $top_srcdir"; exit 1; }
mirror=$DBIDL_TMP/formatted
n_formatted=0
refused=" "
for rel in $files; do
        mkdir -p "$mirror/$(dirname "$rel")"
        if "$DBIDLC" --format "$top_srcdir/$rel" >"$mirror/$rel" 2>"$DBIDL_TMP/format.err"; then
                n_formatted=$((n_formatted + 1))
        else
                # input that does not parse is refused (exit 1, diagnostics, nothing on stdout); keep it as it is
                check_status "$rel: refused with exit 1 and no output" \
                        test "$("$DBIDLC" --format "$top_srcdir/$rel" 2>/dev/null; echo "rc=$?")" = "rc=1"
                cp "$top_srcdir/$rel" "$mirror/$rel"
                refused="$refused$rel "
        fi
done
check_status "some files were formatted" test "$n_formatted" -gt 0

for rel in $files; do
        stem=$(basename "$rel" .idl)
        # idempotent: formatting the formatted file changes nothing
        case $refused in
        *" $rel "*) ;;
        *) check_status "$rel: formatting is idempotent" \
                bash -c '"$1" --format "$2" | cmp - "$2"' _ "$DBIDLC" "$mirror/$rel" ;;
        esac
        # the same C before and after formatting (for the files that compile)
        before=$DBIDL_TMP/c-before/$rel
        after=$DBIDL_TMP/c-after/$rel
        mkdir -p "$before" "$after"
        if "$DBIDLC" -o "$before" "$top_srcdir/$rel" 2>/dev/null; then
                check_status "$rel: the formatted file compiles" "$DBIDLC" -o "$after" "$mirror/$rel"
                for out in "$stem.h" "$stem-client.c" "$stem-server.c"; do
                        check_status "$rel: $out is unchanged by formatting" cmp "$before/$out" "$after/$out"
                done
        else
                check_status "$rel: still does not compile after formatting" \
                        bash -c '! "$1" -o "$2" "$3" 2>/dev/null' _ "$DBIDLC" "$after" "$mirror/$rel"
        fi
done

# -i rewrites in place, atomically, and keeps the file's mode
cp "$top_srcdir/tests/idl/good/files-and-docs.idl" "$DBIDL_TMP/inplace.idl"
chmod 0640 "$DBIDL_TMP/inplace.idl"
check_status "-i rewrites the file" "$DBIDLC" --format -i "$DBIDL_TMP/inplace.idl"
check_status "-i writes what --format prints" cmp "$DBIDL_TMP/inplace.idl" "$mirror/tests/idl/good/files-and-docs.idl"
check_status "-i keeps the mode" test "$(stat -c %a "$DBIDL_TMP/inplace.idl")" = 640
check_status "-i leaves no temporary file" test -z "$(find "$DBIDL_TMP" -maxdepth 1 -name 'inplace.idl.*')"
printf 'interface org.example.Broken { method A(; }\n' >"$DBIDL_TMP/broken.idl"
cp "$DBIDL_TMP/broken.idl" "$DBIDL_TMP/broken.orig"
check_status "-i refuses input that does not parse" bash -c '! "$1" --format -i "$2" 2>/dev/null' _ "$DBIDLC" \
        "$DBIDL_TMP/broken.idl"
check_status "-i leaves a refused file alone" cmp "$DBIDL_TMP/broken.idl" "$DBIDL_TMP/broken.orig"
finish

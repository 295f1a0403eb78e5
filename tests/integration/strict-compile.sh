#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/strict-compile.sh — every .idl in the tree through dbidlc, compiled with the strict flags and as C++17
set -u
. "$top_srcdir/tests/lib/bus.sh"
CXXFLAGS_STRICT="-std=c++17 -Wall -Wextra -Werror -Wshadow"
files=$(find "$top_srcdir/examples" "$top_srcdir/tests/idl/good" -name '*.idl' | sort)
[ -n "$files" ] || { echo "FAIL: no .idl files found under $top_srcdir"; exit 1; }
# Generated files go into one directory per source directory, so that a file's
# imports find the headers generated from the files beside it.
outdir() { printf '%s/%s' "$DBIDL_TMP" "$(dirname "$1" | tr '/' '_')"; }
for idl in $files; do
        out=$(outdir "$idl")
        mkdir -p "$out"
        check_status "dbidlc $(basename "$idl")" "$DBIDLC" -o "$out" "$idl"
done
for idl in $files; do
        stem=$(basename "$idl" .idl)
        out=$(outdir "$idl")
        [ -f "$out/$stem.h" ] || continue
        for f in "$stem-client.c" "$stem-server.c"; do
                check_status "$f: strict C11" $CC $STRICT_CFLAGS -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                        -c "$out/$f" -o "$out/$f.o"
        done
        printf '#include "%s.h"\nint main(void) { return 0; }\n' "$stem" >"$out/$stem-use.cc"
        check_status "$stem.h: C++17" $CXX $CXXFLAGS_STRICT -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                -c "$out/$stem-use.cc" -o "$out/$stem-use.o"
done
finish

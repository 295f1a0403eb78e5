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
# clang too, when it is installed (tools/install-deps.sh installs it): it warns about unused static inline functions of
# a .c file, which gcc does not
clang=$(command -v clang)
[ -n "$clang" ] || echo "# clang is not installed: the strict C11 checks run with $CC only"
for idl in $files; do
        stem=$(basename "$idl" .idl)
        out=$(outdir "$idl")
        [ -f "$out/$stem.h" ] || continue
        for f in "$stem-client.c" "$stem-server.c"; do
                check_status "$f: strict C11" $CC $STRICT_CFLAGS -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                        -c "$out/$f" -o "$out/$f.o"
                [ -z "$clang" ] || check_status "$f: strict C11, clang" "$clang" $STRICT_CFLAGS -I"$out" \
                        -I"$top_srcdir/include" $SYSTEMD_CFLAGS -c "$out/$f" -o "$out/$f.clang.o"
        done
        printf '#include "%s.h"\nint main(void) { return 0; }\n' "$stem" >"$out/$stem-use.cc"
        check_status "$stem.h: C++17" $CXX $CXXFLAGS_STRICT -I"$out" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                -c "$out/$stem-use.cc" -o "$out/$stem-use.o"
done

# parameters named after ISO C library functions get a trailing underscore, so that a handler can still call them
mkdir -p "$DBIDL_TMP/names"
cat >"$DBIDL_TMP/names/names.idl" <<'IDL'
interface org.example.Names1 {
        method At(time: int64, signal: string, exit: bool) -> (remove: uint32);
}
IDL
check_status "dbidlc names.idl" "$DBIDLC" -o "$DBIDL_TMP/names" "$DBIDL_TMP/names/names.idl"
# the blocking call's declaration out of the generated header, whole, on one line (whitespace runs as one space)
check "time, signal, exit, remove: renamed in the blocking call" \
        "int org_example_names1_call_at(org_example_names1_proxy *proxy, int64_t time_, const char *signal_, bool exit_, uint32_t *ret_remove_, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(tr -s ' \n' ' ' <"$DBIDL_TMP/names/names.h" | grep -o '[^ ]* org_example_names1_call_at([^;]*;')"
cat >"$DBIDL_TMP/names/handler.c" <<'C'
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include "names.h"
/* the parameters as the header names them: time(), signal() and exit() stay callable */
static int at(sd_bus_message *call, void *userdata, int64_t time_, const char *signal_, bool exit_,
              uint32_t *ret_remove_, sd_bus_error *ret_error) {
        (void) call, (void) userdata, (void) signal_, (void) ret_error;
        if (exit_ && signal(SIGINT, SIG_DFL) == SIG_ERR)
                exit(1);
        *ret_remove_ = (uint32_t) (time(NULL) - time_);
        return 0;
}
const org_example_names1_handlers handlers = { .handle_at = at };
C
check_status "a handler with those parameters calls time(), signal() and exit()" $CC $STRICT_CFLAGS \
        -I"$DBIDL_TMP/names" -I"$top_srcdir/include" $SYSTEMD_CFLAGS -c "$DBIDL_TMP/names/handler.c" \
        -o "$DBIDL_TMP/names/handler.o"
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/library.sh — libdbidl as a library: what libdbidl.so links and what libdbidl.a defines
# (runtime/local.mk), and libyajl opened at the first JSON call (runtime/yajl-dl.c): a program has it mapped only
# after a JSON call, the first calls from four threads at once agree, and with a libyajl.so.2 that lacks the
# functions the JSON calls fail with -ENOPKG and the reason while the rest of libdbidl works
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless readelf nm
T=$DBIDL_TMP
prog=$top_builddir/tests/runtime/json-lazy
lib=$top_builddir/.libs/libdbidl.so.0

# (besides the dynamic loader, and the sanitizers' runtimes in a sanitizer build)
check "libdbidl.so links libsystemd and the C library, not libyajl" "libsystemd.so.0
libc.so.6" "$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | grep -Ev '^(ld-linux|lib(a|ub)san\.so)')"
# -Bsymbolic-functions (runtime/local.mk): the library's uses of its own dbidl_* functions are bound at link time, so
# the loader has no relocation to resolve against them (without it, 95 PLT slots and a GOT entry)
check_empty "libdbidl.so has no dynamic relocation against a dbidl_* symbol" \
        "$(readelf -rW "$lib" | awk '$5 ~ /^dbidl_/ { print $3, $5 }')"
# libdbidl.a: its internal functions have names in dbidl's namespace, so that a statically linked program's own
# cannot clash with them (a program that defines some of their names links and runs)
archive=$top_builddir/.libs/libdbidl.a
# link_archive NAME: $T/NAME from $T/NAME.c and libdbidl.a (the compiler's output shown if the link fails)
link_archive() {
        # shellcheck disable=SC2086 # flag lists
        ${CC:-cc} ${SANITIZER_CFLAGS:-} $SYSTEMD_CFLAGS -I"$top_srcdir/include" -o "$T/$1" "$T/$1.c" "$archive" \
                $SYSTEMD_LIBS >"$T/$1.log" 2>&1 || cat "$T/$1.log"
}
if [ "${HAVE_LIBDBIDL_A:-yes}" = yes ]; then
        globals=$(nm -g --defined-only "$archive" | awk 'NF == 3 { print $3 }')
        check_match "libdbidl.a defines the public functions" ".*dbidl_proxy_new.*" "$globals"
        check_empty "libdbidl.a defines no global symbol but dbidl_*" "$(printf '%s\n' "$globals" | grep -v '^dbidl_')"
        # the JSON call pulls in the runtime's own strbuf_append() and yj (with an archive of plain objects: "multiple
        # definition of `yj'")
        cat >"$T/clash.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <dbidl/dbidl.h>
/* names of libdbidl's internal functions and data */
int strbuf_append(void) { return 1; }
int value_check(void) { return 2; }
int memory_note = 3;
int yj = 4;
int main(void) {
        char *sig = NULL;
        int r = dbidl_json_infer_signature("[1, \"x\"]", 8, &sig, NULL);
        printf("%d %s %d %d %d %d\n", r, r >= 0 ? sig : "-", strbuf_append(), value_check(), memory_note, yj);
        free(sig);
        return 0;
}
C
        link_archive clash
        check "a program with those names links libdbidl.a and runs" "0 is 1 2 3 4" "$($DBIDL_RUN "$T/clash" 2>&1)"
        # one object per source file: a program that calls dbidl_version() alone takes runtime/version.c alone (with
        # the whole runtime in one object it took every dbidl_* function)
        printf '#include <stdio.h>\n#include <dbidl/dbidl.h>\nint main(void) { puts(dbidl_version()); return 0; }\n' \
                >"$T/version.c"
        link_archive version
        check "a program that calls dbidl_version() alone takes no other dbidl function from libdbidl.a" "dbidl_version" \
                "$(nm "$T/version" | awk '$3 ~ /^dbidl_/ { print $3 }')"
else
        check_status "configured --disable-static: no libdbidl.a" test ! -e "$archive"
fi

check "with libyajl.so.2: mapped only after the first JSON call" "libyajl mapped before any JSON call: no
dbidl_json_infer_signature, 4 threads at once: 0 isa{sv}
dbidl_json_append_value: 0
dbidl_json_read: 0 [{\"n\":{\"type\":\"i\",\"data\":1}}]
libyajl mapped after: yes" "$($DBIDL_RUN "$prog" 2>&1 | sed 1s/'^libdbidl [^;]*; '//)"

# A libyajl.so.2 without the functions, found first through LD_LIBRARY_PATH (as the loader would find a broken or
# foreign one): dlopen() succeeds, dlsym() does not.
mkdir "$T/fakelib"
printf 'int dbidl_nothing_here;\n' >"$T/fakelib/empty.c"
${CC:-cc} -shared -fPIC -Wl,-soname,libyajl.so.2 -o "$T/fakelib/libyajl.so.2" "$T/fakelib/empty.c"
out=$(LD_LIBRARY_PATH=$T/fakelib $DBIDL_RUN "$prog" 2>&1)
check_match "without a usable libyajl.so.2: libdbidl loads and answers" "libdbidl [0-9][^;]*; .*" "$out"
check "without a usable libyajl.so.2: -ENOPKG and why, on every JSON call" "libyajl mapped before any JSON call: no
dbidl_json_infer_signature, 4 threads at once: ENOPKG -
dbidl_json_append_value: ENOPKG org.freedesktop.DBus.Error.NotSupported: JSON needs libyajl.so.2 (Debian: libyajl2), which cannot be loaded: $T/fakelib/libyajl.so.2: undefined symbol: yajl_alloc
dbidl_json_read: ENOPKG -
libyajl mapped after: no" "$(printf '%s\n' "$out" | sed 1s/'^libdbidl [^;]*; '//)"
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/cli.sh — dbidlc's command line and diagnostics as a user sees them: usage errors (exit 2) for
# options that do not go together or do not exist, -Werror=NAME, diagnostics in source order, import errors at the
# import line, long lines shown as a window (and fast), exit status 1 for files that cannot be read or written.
# No bus is needed.
set -u
. "$top_srcdir/tests/lib/bus.sh"
T=$DBIDL_TMP
cd "$T" || exit 1
CALC=$top_srcdir/examples/calculator/calculator.idl

# check_text DESCRIPTION EXPECTED ACTUAL: ACTUAL contains EXPECTED as one piece.  (check's grep -F takes each line
# of a multi-line EXPECTED as a pattern of its own, and is content with any one of them.)
check_text() {
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        case $3 in
        *"$2"*) echo "ok $DBIDL_CHECKS - $1" ;;
        *)
                echo "not ok $DBIDL_CHECKS - $1"
                echo "#   expected to contain:"
                printf '%s\n' "$2" | sed 's/^/#     /'
                echo "#   got:"
                printf '%s\n' "$3" | sed 's/^/#     /'
                DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
                ;;
        esac
}

# usage ARGS… — run dbidlc, "status N" and what it said on stderr
usage() {
        local err
        err=$("$DBIDLC" "$@" 2>&1 >/dev/null)
        printf 'status %s\n%s' "$?" "$err"
}

# ---- usage errors: exit 2, one "dbidlc: error:" line and where to look, nothing written ----
mkdir out
check_text "--signatures --format" "status 2
dbidlc: error: --signatures and --format cannot be combined
Try 'dbidlc --help' for more information." "$(usage --signatures --format "$CALC")"
check_text "--format --check-compat" "dbidlc: error: --format and --check-compat cannot be combined" \
        "$(usage --format --check-compat "$CALC" "$CALC")"
check_text "--signatures --check-compat" "dbidlc: error: --signatures and --check-compat cannot be combined" \
        "$(usage --signatures --check-compat "$CALC" "$CALC")"
check_text "--import-xml --import-bus" "dbidlc: error: --import-xml and --import-bus cannot be combined" \
        "$(usage --import-xml --import-bus x.xml)"
check_text "--format -o" "status 2
dbidlc: error: --format and -o cannot be combined" "$(usage --format -o out "$CALC")"
check_text "--signatures -o" "dbidlc: error: --signatures and -o cannot be combined" "$(usage -o out --signatures "$CALC")"
check_text "--check-compat -o" "dbidlc: error: --check-compat and -o cannot be combined" \
        "$(usage --check-compat -o out "$CALC" "$CALC")"
check_text "--signatures --emit" "dbidlc: error: --signatures and --emit cannot be combined" \
        "$(usage --emit=json --signatures "$CALC")"
check_text "--bus-name without --emit=service" "status 2
dbidlc: error: --bus-name only goes with --emit=service" "$(usage --bus-name=org.example.X -o out "$CALC")"
check_text "--exec without --emit=service" "dbidlc: error: --exec only goes with --emit=service" \
        "$(usage --exec=/bin/true -o out "$CALC")"
check_text "--system without --import-bus" "dbidlc: error: --system only goes with --import-bus" \
        "$(usage --system "$CALC")"
check_text "-i without --format" "dbidlc: error: -i only goes with --format" "$(usage -i "$CALC")"
check_text "--version with an argument" "status 2
dbidlc: error: --version takes no other arguments" "$(usage --version extra)"
check_text "--version alone" "dbidlc $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")" \
        "$("$DBIDLC" --version 2>&1; echo "status $?")
status 0"
check_status "usage errors wrote nothing" test -z "$(ls out)"

# unknown options: our own message, the program's name (not its path), a suggestion when one is near
out=$(usage --frobnicate "$CALC")
check_text "--frobnicate" "status 2
dbidlc: error: unknown option '--frobnicate'
Try 'dbidlc --help' for more information." "$out"
check_status "--frobnicate: no path in the message" bash -c '! printf "%s" "$1" | grep -qF -- "$2"' _ "$out" "$DBIDLC"
check_text "--formt" "dbidlc: error: unknown option '--formt'; did you mean '--format'?" "$(usage --formt "$CALC")"
check_text "-q" "dbidlc: error: unknown option '-q'" "$(usage -q "$CALC")"
check_text "--s is ambiguous" \
        "dbidlc: error: option '--s' is ambiguous; possibilities: '--signatures' '--session' '--system' '--server'" \
        "$(usage --s "$CALC")"
check_text "--format=yes" "dbidlc: error: option '--format' takes no argument" "$(usage --format=yes "$CALC")"
check_text "-o without its argument" "status 2
dbidlc: error: option '-o' needs an argument" "$(usage "$CALC" -o)"
check_text "--output without its argument" "dbidlc: error: option '--output' needs an argument" \
        "$(usage "$CALC" --output)"
check_text "-Wmember-name-styl" "status 2
dbidlc: error: unknown warning option '-Wmember-name-styl'; did you mean '-Wmember-name-style'?" \
        "$(usage -Wmember-name-styl "$CALC")"
check_text "-Wno-depracated" "dbidlc: error: unknown warning option '-Wno-depracated'; did you mean '-Wno-deprecated'?" \
        "$(usage -Wno-depracated "$CALC")"
check_text "-Werror=bogus" "dbidlc: error: unknown warning option '-Werror=bogus'" "$(usage -Werror=bogus "$CALC")"

# ---- -Werror=NAME, -Wno-error=NAME ----
cat >style.idl <<'IDL'
interface org.example.Style1 {
        method get_value() -> (v: int32);
}
IDL
out=$(usage --signatures --color=never -Werror=member-name-style style.idl)
check_text "-Werror=member-name-style: an error" "status 1
style.idl:2:16: error: method name 'get_value' is not UpperCamelCase" "$out"
check_text "-Werror=member-name-style: named so" "[-Werror=member-name-style]" "$out"
out=$(usage --signatures --color=never -Werror -Wno-error=member-name-style style.idl)
check_text "-Werror -Wno-error=member-name-style: still a warning" "status 0
style.idl:2:16: warning: method name 'get_value' is not UpperCamelCase" "$out"
check_text "-Werror=deprecated leaves the other warnings alone" "status 0" \
        "$(usage --signatures -Werror=deprecated style.idl)"

# ---- diagnostics in source order, notes with their error, --max-errors over that order ----
cat >order.idl <<'IDL'
interface org.example.Order1 {
        method A(x: Nope1);
        method A();
        method B(x: Nope2);
}
interface org.example.Order1 {
}
IDL
out=$(usage --signatures --color=never order.idl)
check_text "source order" "order.idl:2:21: error: unknown type 'Nope1'
    2 |         method A(x: Nope1);
      |                     ^~~~~
order.idl:3:16: error: redefinition of method 'A'
    3 |         method A();
      |                ^
order.idl:2:16: note: previous definition of 'A' is here
    2 |         method A(x: Nope1);
      |                ^
order.idl:4:21: error: unknown type 'Nope2'" "$out"
check_text "source order: the last line last" "order.idl:6:11: error: redefinition of interface 'org.example.Order1'
    6 | interface org.example.Order1 {
      |           ^~~~~~~~~~~~~~~~~~
order.idl:1:11: note: previous definition of 'org.example.Order1' is here
    1 | interface org.example.Order1 {
      |           ^~~~~~~~~~~~~~~~~~" "$out"
lines=$(printf '%s\n' "$out" | sed -n 's/^order\.idl:\([0-9]*\):[0-9]*: error:.*/\1/p' | tr '\n' ' ')
check_text "source order: the errors' lines" "2 3 4 6 " "$lines"
check_text "--max-errors=2: the first two in the file" "order.idl:3:16: error: redefinition of method 'A'
    3 |         method A();
      |                ^
order.idl:2:16: note: previous definition of 'A' is here
    2 |         method A(x: Nope1);
      |                ^
dbidlc: fatal: too many errors emitted, stopping now [--max-errors=2]" \
        "$(usage --signatures --color=never --max-errors=2 order.idl)"

# ---- import errors at the import line; errors in an imported file say where it was imported ----
mkdir -p imp/sub.idl imp/inc
printf 'import "/dev/zero";\ninterface org.example.Z1 { }\n' >imp/zero.idl
check_text "import \"/dev/zero\"" "status 1
imp/zero.idl:1:8: error: cannot import '/dev/zero': the file is too large (the limit is 10 MiB)
    1 | import \"/dev/zero\";
      |        ^~~~~~~~~~~" "$(usage --signatures --color=never imp/zero.idl)"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >imp/big.idl
printf '\nimport "big.idl";\n' >imp/import-big.idl
check_text "an imported file too large" \
        "imp/import-big.idl:2:8: error: cannot import 'big.idl': the file is too large (the limit is 10 MiB)" \
        "$(usage --signatures --color=never imp/import-big.idl)"
printf 'import "sub.idl";\n' >imp/dir.idl
check_text "importing a directory" "status 1
imp/dir.idl:1:8: error: cannot import 'sub.idl': 'imp/sub.idl' is a directory" \
        "$(usage --signatures --color=never imp/dir.idl)"
printf 'import "inc/b.idl";\ninterface org.example.M1 { method M(x: Q); }\n' >imp/main.idl
printf '// b\nimport "c.idl";\nstruct Q { x: int32; }\n' >imp/inc/b.idl
printf 'struct C { y: nope; }\n' >imp/inc/c.idl
check_text "an error in an imported file" "status 1
In file imported from imp/inc/b.idl:2,
                 from imp/main.idl:1:
imp/inc/c.idl:1:15: error: unknown type 'nope'" "$(usage --signatures --color=never imp/main.idl)"

# ---- a long line: a window around the caret, and fast ----
/usr/bin/python3 -I -c '
import sys
body = "".join("method M%d(a: uint23); " % i for i in range(60000))
sys.stdout.write("interface org.example.Long1 { " + body + "}\n")' >long.idl
start=$(date +%s%N)
"$DBIDLC" --signatures --color=never long.idl >/dev/null 2>long.err
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
check_text "a 1.4 MB line with errors: exit status 1" "status 1" "status $status"
check_text "a 1.4 MB line: 20 errors, then the limit" \
        "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=20]" "$(cat long.err)"
check_text "a 1.4 MB line: a window of it, the caret under the place" \
        "long.idl:1:66: error: unknown type 'uint23'; did you mean 'uint32'?
    1 | ...ple.Long1 { method M0(a: uint23); method M1(a: uint23); method M2(a: uint23); method M3(a: uint23); ...
      |                                                   ^~~~~~" "$(cat long.err)"
check_status "a 1.4 MB line: no output line longer than 130 bytes" \
        awk 'length($0) > 130 { bad = 1 } END { exit bad }' long.err
check_status "a 1.4 MB line: under 8 KiB of diagnostics ($(wc -c <long.err) bytes)" test "$(wc -c <long.err)" -lt 8192
# generous: the old byte-at-a-time excerpts took minutes here; under valgrind everything is slower
if [ -z "${DBIDL_RUN:-}" ]; then
        check_status "a 1.4 MB line: done in ${elapsed_ms} ms (less than 10 s)" test "$elapsed_ms" -lt 10000
fi

# ---- exit status 1 (not 2) for files that cannot be read or written ----
check_text "a missing input file" "status 1
dbidlc: error: cannot read no-such.idl: No such file or directory" "$(usage no-such.idl)"
: >not-a-dir
check_text "an output directory that cannot be made" "status 1" "$(usage -o not-a-dir/gen "$CALC")"

# ---- --help and the man pages name the documents where make install puts them ----
check_match "--help: the installed documents" 'Documentation: man dbidlc, man 5 dbidl\.idl, and in /.*/doc/dbidl:' \
        "$("$DBIDLC" --help | grep '^Documentation:')"
check_status "dbidlc(1) names the installed c-api.md, no %docdir% left" sh -c \
        'grep -q "/doc/dbidl/c\\\\-api\.md" "$1" && ! grep -q "%docdir%" "$1"' sh "$top_builddir/man/dbidlc.1"

# ---- C prefixes: the default is the whole interface name; --c-prefix and --c-namespace (docs/c-api.md) ----
cat >two.idl <<'IDL'
interface org.example.a.Device { method Ping(); }
interface org.example.b.Device { method Ping(); }
IDL
mkdir -p prefix/default prefix/one prefix/ns
check_status "two interfaces with one last component: default prefixes" "$DBIDLC" -o prefix/default two.idl
check "the default prefixes are the whole names" "int org_example_a_device_call_ping(org_example_a_device_proxy *proxy, uint64_t timeout_usec, sd_bus_error *ret_error);
int org_example_b_device_call_ping(org_example_b_device_proxy *proxy, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(grep '_call_ping(' prefix/default/two.h)"
check_status "--c-prefix=INTERFACE=PREFIX" "$DBIDLC" --c-prefix=org.example.b.Device=bdev -o prefix/one two.idl
check "--c-prefix names one interface, the other keeps its default" "int org_example_a_device_call_ping(org_example_a_device_proxy *proxy, uint64_t timeout_usec, sd_bus_error *ret_error);
int bdev_call_ping(bdev_proxy *proxy, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(grep '_call_ping(' prefix/one/two.h)"
check_status "--c-prefix over @c_prefix" "$DBIDLC" --c-prefix=k -o prefix/one "$CALC"
check "--c-prefix=PREFIX: the file's only interface" "int k_call_add(k_proxy *proxy, int32_t a, int32_t b, int32_t *ret_sum, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(grep '_call_add(' prefix/one/calculator.h)"
printf 'interface org.freedesktop.NetworkManager { method Ping(); }\n' >nm.idl
check_status "--c-namespace" "$DBIDLC" --c-namespace=ex -o prefix/ns nm.idl
check "--c-namespace: NS_ and the last component in snake_case" \
        "int ex_network_manager_call_ping(ex_network_manager_proxy *proxy, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(grep '_call_ping(' prefix/ns/nm.h)"
check_text "--c-namespace: the namespace and the last component; the two Devices collide" "status 1" \
        "$(usage --c-namespace=ex -o prefix/ns two.idl)"
check_text "--c-namespace keeps @c_prefix" "status 0" "$(usage --c-namespace=ex -o prefix/ns "$CALC")"
check "--c-namespace keeps @c_prefix: calc_" "int calc_call_add(calc_proxy *proxy, int32_t a, int32_t b, int32_t *ret_sum, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(grep '_call_add(' prefix/ns/calculator.h)"
check "--c-prefix=PREFIX for a file of two interfaces" "status 2
dbidlc: error: --c-prefix=p: the file has 2 interfaces; name one: --c-prefix=INTERFACE=PREFIX" \
        "$(usage --c-prefix=p -o prefix/one two.idl)"
check "--c-prefix for an interface the file does not have" "status 2
dbidlc: error: --c-prefix=org.example.C=p: the file has no interface 'org.example.C'" \
        "$(usage --c-prefix=org.example.C=p -o prefix/one two.idl)"
check "--c-prefix that is no C identifier" "status 2
dbidlc: error: --c-prefix needs a C identifier that starts with a letter, not '9x'" \
        "$(usage --c-prefix=9x -o prefix/one "$CALC")"
check "--c-prefix with --emit=xml" "status 2
dbidlc: error: --c-prefix only goes with the C outputs (no --emit, or --emit=c)
Try 'dbidlc --help' for more information." "$(usage --c-prefix=k --emit=xml -o prefix/one "$CALC")"
# ---- what the compiler links (its ELF header; the binaries, not $DBIDLC, which valgrind's wrapper replaces with a
# script): libsystemd never, and nothing at all when configure linked it as a static PIE (DBIDLC_STATIC, configure.ac);
# --import-bus runs dbidlc-import-bus, which links libsystemd (tools/local.mk) ----
needed() {
        readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | grep -Ev '^lib(a|ub)san\.so'
}
if [ "${DBIDLC_STATIC:-no}" = yes ]; then
        check "dbidlc is a static PIE: position-independent, no program interpreter, no shared library" \
                "type DYN, 0 interpreters, needs: " \
                "type $(readelf -h "$top_builddir/dbidlc" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p'), $(
                        readelf -l "$top_builddir/dbidlc" | grep -c 'Requesting program interpreter') interpreters, needs: $(
                        needed "$top_builddir/dbidlc" | tr '\n' ' ')"
else
        check_empty "dbidlc links no libsystemd (configured without the static PIE)" \
                "$(needed "$top_builddir/dbidlc" | grep '^libsystemd')"
fi
check "dbidlc-import-bus links libsystemd" "libsystemd.so.0" \
        "$(needed "$top_builddir/dbidlc-import-bus" | grep '^libsystemd')"
# A copy of dbidlc alone in a directory, without the helper beside it, looks for the installed one: where that is
# missing, exit 1 and the path it looked for.
mkdir lonely && cp "$top_builddir/dbidlc" lonely/
if [ -e "$DBIDL_PKGLIBEXECDIR/dbidlc-import-bus" ]; then
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        echo "ok $DBIDL_CHECKS # SKIP --import-bus without its helper: one is installed in $DBIDL_PKGLIBEXECDIR"
else
        check "--import-bus without dbidlc-import-bus" "status 1
dbidlc: error: --import-bus runs $DBIDL_PKGLIBEXECDIR/dbidlc-import-bus: No such file or directory" \
                "$(DBIDLC=$T/lonely/dbidlc usage --import-bus -o out org.example.Nothing)"
fi
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/outputs.sh — dbidlc's output files: names chosen with --header/--client/--server (only those
# written, the .c files including the header by its name, and compiling), --header-include, the usage errors of
# those options, and outputs whose content is unchanged left untouched (mtime kept) for every kind of output.
# No bus is needed.
set -u
. "$top_srcdir/tests/lib/bus.sh"
T=$DBIDL_TMP
cd "$T" || exit 1
CALC=$top_srcdir/examples/calculator/calculator.idl
OLD=978307200   # 2001-01-01 00:00:00 UTC: the mtime an untouched output keeps

# usage ARGS… — run dbidlc, "status N" and what it said on stderr
usage() {
        local err
        err=$("$DBIDLC" "$@" 2>&1 >/dev/null)
        printf 'status %s\n%s' "$?" "$err"
}

# listing DIR: the names in DIR (dot files too), one line
listing() { (cd "$1" && ls -A | tr '\n' ' '); }

# local_includes FILE: the #include "…" lines of FILE (the <…> ones are the code generator's business)
local_includes() { grep '^#include "' "$1"; }

# usage_error MESSAGE: what usage prints for a usage error (status 2, the message, the hint)
usage_error() { printf "status 2\ndbidlc: error: %s\nTry 'dbidlc --help' for more information." "$1"; }

# declaration FUNCTION FILE: the declarations of FUNCTION in the header FILE, from its return type (one word) to the
# semicolon, each on one line (whitespace runs as one space)
declaration() { tr -s ' \n' ' ' <"$2" | grep -o "[^ ]* $1([^;]*;"; }

# compiles DESCRIPTION FILE -I… : FILE compiles with the strict flags
compiles() {
        local what=$1 file=$2
        shift 2
        check_status "$what" $CC $STRICT_CFLAGS -fsyntax-only "$@" -I"$top_srcdir/include" $SYSTEMD_CFLAGS "$file"
}

# ---- the default names, as a reference ----
check_status "dbidlc -o ref" "$DBIDLC" -o ref "$CALC"
check "-o ref: the three default outputs" "calculator-client.c calculator-server.c calculator.h " "$(listing ref)"

# ---- --header, --client, --server: each output to its own path, nothing else ----
mkdir -p named/inc named/src
(cd named && "$DBIDLC" --header=inc/calc-api.h --client=src/calc-stubs.c --server="$T/named/src/calc-skel.c" "$CALC")
check "all three named: exit status 0" "0" "$?"
check "all three named: the header, and nothing else in inc/" "calc-api.h " "$(listing named/inc)"
check "all three named: the two .c files, and nothing else in src/" "calc-skel.c calc-stubs.c " "$(listing named/src)"
check "all three named: nothing in the current directory" "inc src " "$(listing named)"
check_status "the named header is the default header" cmp ref/calculator.h named/inc/calc-api.h
check "the client includes the header by its name, and no other" '#include "calc-api.h"' \
        "$(local_includes named/src/calc-stubs.c)"
check "the server includes the header by its name, and no other" '#include "calc-api.h"' \
        "$(local_includes named/src/calc-skel.c)"
check_status "the client is the default client but for the #include" \
        cmp <(sed 's/#include "calc-api.h"/#include "calculator.h"/' named/src/calc-stubs.c) ref/calculator-client.c
check_status "the server is the default server but for the #include" \
        cmp <(sed 's/#include "calc-api.h"/#include "calculator.h"/' named/src/calc-skel.c) ref/calculator-server.c
check_status "no #include of calculator.h left" bash -c '! grep -q "calculator\.h" "$@"' _ named/src/*.c
compiles "the named client compiles against the named header" named/src/calc-stubs.c -Inamed/inc
compiles "the named server compiles against the named header" named/src/calc-skel.c -Inamed/inc

# only the output asked for, so that a build can write each with a rule of its own
mkdir only
(cd only && "$DBIDLC" --client=my-calc-client.c "$CALC")
check "--client alone: exit status 0" "0" "$?"
check "--client alone: that file only" "my-calc-client.c " "$(listing only)"
check "--client alone: includes the default header name" '#include "calculator.h"' "$(local_includes only/my-calc-client.c)"
compiles "--client alone: compiles against the default header" only/my-calc-client.c -Iref

# --header-include: the name the .c files include, whatever is written in this run
mkdir -p hi/inc/calc
"$DBIDLC" --header=hi/inc/calc/api.h --header-include=calc/api.h --server=hi/server.c "$CALC"
check "--header-include: exit status 0" "0" "$?"
check "--header-include: the header under its path" "api.h " "$(listing hi/inc/calc)"
check "--header-include: the server includes NAME" '#include "calc/api.h"' "$(local_includes hi/server.c)"
compiles "--header-include: compiles with -I of the include root" hi/server.c -Ihi/inc
"$DBIDLC" --header-include=calc/api.h -o hi/default "$CALC"
check "--header-include with the default outputs" '#include "calc/api.h"' "$(local_includes hi/default/calculator-client.c)"

# an introspection XML input takes the names too
"$DBIDLC" --emit=xml -o xml "$CALC"
"$DBIDLC" --header=xml/c.h --client=xml/c-client.c xml/org.example.Calculator1.xml
check "an XML input: the named outputs" "c-client.c c.h org.example.Calculator1.xml " "$(listing xml)"
compiles "an XML input: the named client compiles" xml/c-client.c -Ixml

# ---- usage errors: exit status 2, the message, nothing written ----
mkdir bad
cd bad || exit 1
check "--header and --client to one file" "status 2
dbidlc: error: --header and --client name the same file 'x.h'
Try 'dbidlc --help' for more information." "$(usage --header=x.h --client=x.h "$CALC")"
check "--client and --server to one file, spelt differently" \
        "$(usage_error "--client and --server name the same file './sub/../x.c'")" \
        "$(mkdir -p sub && usage --client=x.c --server=./sub/../x.c "$CALC")"
ln -s x.h link.h && : >x.h
check "--header and --server: a symbolic link to the same file" \
        "$(usage_error "--header and --server name the same file 'link.h'")" \
        "$(usage --header=x.h --server=link.h "$CALC")"
rm -f link.h x.h
cp "$CALC" in.idl
check "an output over the input" "$(usage_error "--server=./in.idl would overwrite the input file")" \
        "$(usage --server=./in.idl in.idl)"
check_status "the input is left as it was" cmp "$CALC" in.idl
check "-o and --header" "$(usage_error "-o and --header cannot be combined (give each output its whole path)")" \
        "$(usage -o out --header=x.h "$CALC")"
check "--emit and --client" "$(usage_error "--emit and --client cannot be combined")" \
        "$(usage --emit=c --client=x.c "$CALC")"
check "--format and --server" "$(usage_error "--format and --server cannot be combined")" \
        "$(usage --format --server=x.c "$CALC")"
check "--check-compat and --header" "$(usage_error "--check-compat and --header cannot be combined")" \
        "$(usage --check-compat --header=x.h "$CALC" "$CALC")"
check "--import-xml and --client" "$(usage_error "--import-xml and --client cannot be combined")" \
        "$(usage --import-xml --client=x.c ../xml/org.example.Calculator1.xml)"
check "--import-bus and --header" "$(usage_error "--import-bus and --header cannot be combined")" \
        "$(usage --import-bus --header=x.h org.example.Calculator1)"
check "--signatures and --client" "$(usage_error "--signatures and --client cannot be combined")" \
        "$(usage --signatures --client=x.c "$CALC")"
check "--header naming a directory" "$(usage_error "--header needs a file name, not 'sub/'")" \
        "$(usage --header=sub/ "$CALC")"
check "an empty --client" "$(usage_error "--client needs a file name, not ''")" "$(usage --client= "$CALC")"
check "--header-include with a quote" \
        "$(usage_error "'a\"b.h' cannot be #included (empty, or a '\"' or a newline in it)")" \
        "$(usage --client=x.c --header-include='a"b.h' "$CALC")"
check "--header-include without the C outputs" "$(usage_error "--header-include only goes with the C outputs")" \
        "$(usage --emit=json --header-include=x.h "$CALC")"
check "--header without its argument" "$(usage_error "option '--header' needs an argument")" \
        "$(usage "$CALC" --header)"
check "usage errors wrote nothing" "in.idl sub " "$(listing .)"
check "a directory that does not exist: exit status 1" "status 1
dbidlc: error: cannot write no-dir/x.h: No such file or directory" "$(usage --header=no-dir/x.h "$CALC")"
cd "$T" || exit 1

# ---- unchanged outputs are left alone: the mtime stays, so make does not rebuild ----
# old OUTPUT…: give each an mtime in 2001; kept OUTPUT…: the mtimes, as "old" for the untouched ones
old() { touch -d @$OLD "$@"; }
kept() { for f; do [ "$(stat -c %Y "$f")" = $OLD ] && echo "$f old" || echo "$f new"; done; }
cp "$CALC" calc.idl
"$DBIDLC" -o gen calc.idl
old gen/*
check_status "dbidlc again, same input" "$DBIDLC" -o gen calc.idl
check "the three C outputs keep their mtime" "gen/calc-client.c old
gen/calc-server.c old
gen/calc.h old" "$(kept gen/*)"
check "no temporary file left" "calc-client.c calc-server.c calc.h " "$(listing gen)"
"$DBIDLC" --header=gen/calc.h --client=gen/calc-client.c calc.idl
check "named outputs, same content: mtime kept" "gen/calc.h old
gen/calc-client.c old" "$(kept gen/calc.h gen/calc-client.c)"

# a changed input: the outputs whose text changed are written, with the change
sed 's|^\( *\)method Add(|\1method Negate(x: int32) -> (r: int32);\n&|' "$CALC" >calc.idl
check "the changed input has a new method" "        method Negate(x: int32) -> (r: int32);" "$(grep -F 'Negate' calc.idl)"
check_status "dbidlc, a changed input" "$DBIDLC" -o gen calc.idl
check "a changed input: every C output rewritten" "gen/calc-client.c new
gen/calc-server.c new
gen/calc.h new" "$(kept gen/*)"
check "a changed input: the new method in the header" \
        "int calc_call_negate(calc_proxy *proxy, int32_t x, int32_t *ret_r, uint64_t timeout_usec, sd_bus_error *ret_error);" \
        "$(declaration calc_call_negate gen/calc.h)"

# mode, kind of file: as before, only the mtime of the same bytes in the same regular file is spared
old gen/*
chmod 600 gen/calc.h
cp gen/calc-server.c gen/elsewhere.c && rm gen/calc-server.c && ln -s elsewhere.c gen/calc-server.c
old gen/elsewhere.c
"$DBIDLC" -o gen calc.idl
check "another mode: rewritten with the usual mode" "644" "$(stat -c %a gen/calc.h)"
check "a symbolic link: replaced by a file, as before" "regular file" "$(stat -c %F gen/calc-server.c)"
check "a symbolic link: its target left alone" "gen/elsewhere.c old" "$(kept gen/elsewhere.c)"
check "the regular file of the same mode: kept" "gen/calc-client.c old" "$(kept gen/calc-client.c)"
rm -f gen/elsewhere.c

# one byte more or less is a change
printf '\n' >>gen/calc.h
old gen/calc.h
"$DBIDLC" -o gen calc.idl
check "an output with a byte more: rewritten" "gen/calc.h new" "$(kept gen/calc.h)"
"$DBIDLC" -o fresh calc.idl
check_status "an output with a byte more: its content restored" cmp fresh/calc.h gen/calc.h
truncate -s -1 gen/calc-client.c
old gen/calc-client.c
"$DBIDLC" -o gen calc.idl
check "an output a byte short: rewritten" "gen/calc-client.c new" "$(kept gen/calc-client.c)"
check_status "an output a byte short: its content restored" cmp fresh/calc-client.c gen/calc-client.c
sed -i 's/Generated by/generated by/' gen/calc-server.c
old gen/calc-server.c
"$DBIDLC" -o gen calc.idl
check "an output of the same size, other bytes: rewritten" "gen/calc-server.c new" "$(kept gen/calc-server.c)"
check "an output of the same size, other bytes: restored" "/* Generated by" "$(head -c 15 gen/calc-server.c)"

# the other outputs: --emit=xml,json,markdown,service and --import-xml -o
"$DBIDLC" --emit=xml,json,markdown,service --bus-name=org.example.Calculator1 --exec=/usr/bin/true -o desc calc.idl
old desc/*
"$DBIDLC" --emit=xml,json,markdown,service --bus-name=org.example.Calculator1 --exec=/usr/bin/true -o desc calc.idl
check "--emit outputs keep their mtime" "desc/calc.json old
desc/calc.md old
desc/org.example.Calculator1.service old
desc/org.example.Calculator1.xml old" "$(kept desc/*)"
"$DBIDLC" --import-xml -o imported desc/org.example.Calculator1.xml
old imported/*
"$DBIDLC" --import-xml -o imported desc/org.example.Calculator1.xml
check "--import-xml -o keeps the mtime" "imported/org.example.Calculator1.idl old" "$(kept imported/*)"
finish

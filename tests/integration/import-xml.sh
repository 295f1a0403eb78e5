#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/import-xml.sh — dbidlc --import-xml: the system's interface files, round trips through --emit=xml, invalid documents, diagnostics located in the XML
# 1. Every XML file under /usr/share/dbus-1/interfaces/ (tools/install-deps.sh installs ~130: PackageKit, the desktop
#    portals, NetworkManager, ModemManager; none at all fails the test), every tests/xml/system file the system lacks
#    (systemd-logind's Manager, which Debian does not install) and every tests/xml/good case is imported, generated
#    both directly (dbidlc FILE.xml) and from the imported .idl (the outputs must be the same), and compiled with the
#    strict flags, the header also as C++17.
# 2. IDL → XML → IDL reaches a fixed point for every .idl of tests/idl/good and examples/.
# 3. XML → IDL → XML keeps every interface, member, argument, signature, direction, access, documentation and
#    annotation, up to the normalisations tests/integration/import-xml.py lists.
# 4. tests/xml/bad/X.xml gives exactly X.err (file:line:col, excerpt, caret) and exit status 1, through both modes;
#    tests/xml/front-end/X.xml imports, and `dbidlc X.xml` prints exactly X.err, the front end's diagnostics pointing
#    into X.xml (exit status 1 if one is an error; warnings become those errors under -Werror).
# 5. Importer bugs fixed earlier stay fixed.
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless /usr/bin/python3
CXXFLAGS_STRICT="-std=c++17 -Wall -Wextra -Werror -Wshadow"
xmldir=$top_srcdir/tests/xml
compare=$top_srcdir/tests/integration/import-xml.py
sysdir=/usr/share/dbus-1/interfaces

# same_output A B: two generated files are equal apart from the banner's source name (FILE.xml or FILE.idl).
same_output() {
        cmp -s <(sed '1s/\.\(xml\|idl\) — do not edit/ — do not edit/' "$1") \
                <(sed '1s/\.\(xml\|idl\) — do not edit/ — do not edit/' "$2")
}

# compile_all DIR STEM: the generated client and server with the strict flags, the header as C++17.
compile_all() {
        local dir=$1 stem=$2 f
        for f in "$stem-client.c" "$stem-server.c"; do
                check_status "$f: strict C11" $CC $STRICT_CFLAGS -I"$dir" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                        -c "$dir/$f" -o "$dir/$f.o"
        done
        printf '#include "%s.h"\nint main(void) { return 0; }\n' "$stem" >"$dir/$stem-use.cc"
        check_status "$stem.h: C++17" $CXX $CXXFLAGS_STRICT -I"$dir" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                -c "$dir/$stem-use.cc" -o "$dir/$stem-use.o"
}

# import_and_generate XML: import, generate both ways, compare, compile.  Leaves $DBIDL_TMP/gen/STEM/idl/STEM.idl.
import_and_generate() {
        local xml=$1 stem d f
        stem=$(basename "$xml" .xml)
        d=$DBIDL_TMP/gen/$stem
        mkdir -p "$d/idl" "$d/from-xml" "$d/from-idl"
        check_status "$stem: --import-xml" "$DBIDLC" --import-xml -o "$d/idl" "$xml"
        check_status "$stem: dbidlc $stem.xml" "$DBIDLC" -Wno-member-name-style -o "$d/from-xml" "$xml"
        check_status "$stem: dbidlc $stem.idl" "$DBIDLC" -Wno-member-name-style -o "$d/from-idl" "$d/idl/$stem.idl"
        for f in "$stem.h" "$stem-client.c" "$stem-server.c"; do
                check_status "$stem: $f the same from the .xml and from the .idl" \
                        same_output "$d/from-xml/$f" "$d/from-idl/$f"
        done
        compile_all "$d/from-xml" "$stem"
}

# ---- 1. the system's interface files and the good cases: import, generate, compile
sys_xml=$(find "$sysdir" -maxdepth 1 -name '*.xml' 2>/dev/null | sort)
check_status "$sysdir holds introspection XML files (Debian: packagekit)" test -n "$sys_xml"
# tests/xml/system: copies of system interfaces that Debian packages do not install (each says where it comes from);
# a system that installs one is tested with its own file instead
for xml in "$xmldir"/system/*.xml; do
        [ -e "$sysdir/$(basename "$xml")" ] || sys_xml+=$'\n'$xml
done
good_xml=$(find "$xmldir/good" -name '*.xml' | sort)
check_status "tests/xml/good holds cases" test -n "$good_xml"
for xml in $sys_xml $good_xml; do
        import_and_generate "$xml"
done

# Every system interface's header in one translation unit, C and C++: the default C prefix is the whole interface name,
# so NetworkManager's Manager, Device and Settings (C.Name Manager, Device, Settings), logind's Manager and the portals'
# Device and Settings (issue 10: they all generated device_/settings_/manager_ before) no longer redefine each other's
# names.
all_tu=$DBIDL_TMP/gen/all-system-headers
mkdir -p "$all_tu"
for xml in $sys_xml; do
        stem=$(basename "$xml" .xml)
        cp "$DBIDL_TMP/gen/$stem/from-xml/$stem.h" "$all_tu/"
        printf '#include "%s.h"\n' "$stem"
done >"$all_tu/all.c"
printf 'int main(void) { return 0; }\n' >>"$all_tu/all.c"
cp "$all_tu/all.c" "$all_tu/all.cc"
check_status "the one translation unit has NetworkManager's and the portals' Device and Settings" \
        test "$(grep -cE '^#include "org\.freedesktop\.(NetworkManager|portal|impl\.portal)\.(Device|Settings)\.h"' \
                "$all_tu/all.c")" -ge 5
check "the one translation unit has NetworkManager's (C.Name Manager) and logind's Manager" \
        '#include "org.freedesktop.NetworkManager.h"
#include "org.freedesktop.login1.Manager.h"' \
        "$(grep -E '^#include "org\.freedesktop\.(NetworkManager|login1\.Manager)\.h"$' "$all_tu/all.c")"
check_status "all system headers in one C translation unit" $CC $STRICT_CFLAGS -I"$all_tu" -I"$top_srcdir/include" \
        $SYSTEMD_CFLAGS -c "$all_tu/all.c" -o "$all_tu/all.o"
check_status "all system headers in one C++ translation unit" $CXX $CXXFLAGS_STRICT -I"$all_tu" -I"$top_srcdir/include" \
        $SYSTEMD_CFLAGS -c "$all_tu/all.cc" -o "$all_tu/all-cc.o"

# XML comments as documentation: the indentation their lines have in common is removed, not the rest; the first line,
# which starts right after "<!--", does not count
# has_lines TEXT LINE…: the lines follow each other in TEXT (check's grep -F would take each line on its own)
has_lines() {
        local text=$1
        shift
        [[ $'\n'$text$'\n' == *$'\n'"$(printf '%s\n' "$@")"* ]]
}
comments=$("$DBIDLC" --import-xml "$xmldir/good/comments.xml")
check_status "comments.xml: a comment's common indentation is removed" has_lines "$comments" \
        '         * Switches a light.' '         *' '         * Lights that do not exist are ignored.'
check_status "comments.xml: the first line does not count, deeper lines stay deeper" has_lines "$comments" \
        '         * A light changed:' '         *   its number, and whether it is on now.' '         * Sent once per light.'

# ---- 2. IDL → --emit=xml → --import-xml → IDL is a fixed point after one step
# Each interface file is imported from inside its directory, so that the banner names the same file both times.
idl_files=$(find "$top_srcdir/examples" "$top_srcdir/tests/idl/good" -name '*.idl' | sort)
n_idl=0
for idl in $idl_files; do
        n_idl=$((n_idl + 1))
        d=$DBIDL_TMP/fixed/$n_idl
        mkdir -p "$d/xml0" "$d/idl1" "$d/xml1" "$d/idl2"
        name=${idl#"$top_srcdir"/}
        check_status "$name: --emit=xml" "$DBIDLC" --emit=xml -o "$d/xml0" "$idl"
        for x in "$d"/xml0/*.xml; do
                i=$(basename "$x" .xml)
                (cd "$d/xml0" && "$DBIDLC" --import-xml "$i.xml") >"$d/idl1/$i.idl" 2>"$d/idl1/$i.err"
                "$DBIDLC" --emit=xml -o "$d/xml1" "$d/idl1/$i.idl" 2>>"$d/idl1/$i.err"
                (cd "$d/xml1" && "$DBIDLC" --import-xml "$i.xml") >"$d/idl2/$i.idl" 2>>"$d/idl1/$i.err"
                check_status "$name: $i: XML → IDL → XML → IDL gives the same .idl twice" \
                        cmp "$d/idl1/$i.idl" "$d/idl2/$i.idl"
                check_status "$name: $i: no diagnostics on the way" test ! -s "$d/idl1/$i.err"
        done
        check_status "$name: the same interfaces after the round trip" \
                cmp <(cd "$d/xml0" && ls) <(cd "$d/xml1" && ls)
done
check_status "IDL files found for the fixed point" test "$n_idl" -gt 0

# ---- 3. XML → IDL → XML keeps everything (import-xml.py)
for xml in $sys_xml $good_xml; do
        stem=$(basename "$xml" .xml)
        d=$DBIDL_TMP/gen/$stem
        mkdir -p "$d/xml"
        check_status "$stem: --emit=xml from the imported .idl" "$DBIDLC" --emit=xml -o "$d/xml" "$d/idl/$stem.idl"
        /usr/bin/python3 -I "$compare" "$xml" "$d/xml"
        check_status "$stem: XML → IDL → XML keeps interfaces, members, arguments and annotations" test $? -eq 0
done

# the comparison must see differences: rename an argument, drop an annotation, change an access and a signature, drop
# an argument's annotation and change an argument's documentation
case_dir=$DBIDL_TMP/gen/annotations/xml
mkdir -p "$DBIDL_TMP/broken"
sed -e 's/name="what"/name="which"/' -e '/org.example.Empty/d' -e 's/name="Silent" type="u" access="readwrite"/name="Silent" type="u" access="read"/' \
        -e 's/name="Invalidates" type="as"/name="Invalidates" type="ao"/' -e '/org.gtk.GDBus.C.ForceGVariant/d' \
        -e 's/value="Where they went."/value="Somewhere."/' \
        "$case_dir/org.example.Annotated1.xml" >"$DBIDL_TMP/broken/org.example.Annotated1.xml"
out=$(/usr/bin/python3 -I "$compare" "$xmldir/good/annotations.xml" "$DBIDL_TMP/broken" 2>&1)
check "the comparison exits with status 1" "status 1" "status $?"
check "the comparison notices a renamed argument, lost annotations (also an argument's), changed documentation, access and signature, and counts them" \
        "# annotations.xml: interface org.example.Annotated1: method Fire: argument 0 (what): name 'what' came back as 'which'
# annotations.xml: interface org.example.Annotated1: method ArgumentAnnotations: argument 0 (data): annotation org.gtk.GDBus.C.ForceGVariant='true' lost
# annotations.xml: interface org.example.Annotated1: method ArgumentAnnotations: argument 1 (handle): documentation 'Where they went.' came back as 'Somewhere.'
# annotations.xml: interface org.example.Annotated1: method Everything: annotation org.example.Empty='' lost
# annotations.xml: interface org.example.Annotated1: property Invalidates: type 'as' came back as 'ao'
# annotations.xml: interface org.example.Annotated1: property Silent: access 'readwrite' came back as 'read'
# annotations.xml: 1 interfaces, 21 members, 6 differences" "$out"

# ---- 4. invalid documents: exactly the expected diagnostics, exit status 1, in both modes
bad_xml=$(cd "$xmldir/bad" && ls -- *.xml)
check_status "tests/xml/bad holds cases" test -n "$bad_xml"
mkdir -p "$DBIDL_TMP/bad"
for x in $bad_xml; do
        # from inside the directory: diagnostics name the file as the .err files do
        (cd "$xmldir/bad" && "$DBIDLC" --color=never --import-xml "$x") >"$DBIDL_TMP/bad/$x.out" 2>"$DBIDL_TMP/bad/$x.err"
        status=$?
        check_status "bad/$x: --import-xml exits with status 1" test "$status" -eq 1
        check_status "bad/$x: nothing on stdout" test ! -s "$DBIDL_TMP/bad/$x.out"
        check_status "bad/$x: diagnostics as in ${x%.xml}.err" diff -u "$xmldir/bad/${x%.xml}.err" "$DBIDL_TMP/bad/$x.err"
        (cd "$xmldir/bad" && "$DBIDLC" --color=never -o "$DBIDL_TMP/bad" "$x") >/dev/null 2>"$DBIDL_TMP/bad/$x.gen.err"
        status=$?
        check_status "bad/$x: dbidlc $x exits with status 1" test "$status" -eq 1
        check_status "bad/$x: dbidlc $x says the same" diff -u "$xmldir/bad/${x%.xml}.err" "$DBIDL_TMP/bad/$x.gen.err"
done
check_status "no output from the bad cases" test -z "$(cd "$DBIDL_TMP/bad" && ls -- *.h *.c *.idl 2>/dev/null)"

# several files: each file's diagnostics in the order of the files, also when a later one cannot be read
check "--import-xml a bad file, then a missing one: the bad file's diagnostics (bad-signature.err), then the missing one's" \
        "$(cat "$xmldir/bad/bad-signature.err")
dbidlc: error: cannot read no-such-file.xml: No such file or directory" \
        "$(cd "$xmldir/bad" && "$DBIDLC" --color=never --import-xml bad-signature.xml no-such-file.xml 2>&1 >/dev/null)"

# ---- 4b. valid documents the front end reports on: `dbidlc X.xml` points into X.xml (line, column, excerpt, caret)
fe_xml=$(cd "$xmldir/front-end" && ls -- *.xml)
check_status "tests/xml/front-end holds cases" test -n "$fe_xml"
mkdir -p "$DBIDL_TMP/front-end"
for x in $fe_xml; do
        want=$xmldir/front-end/${x%.xml}.err
        # X.flags: dbidlc options the case needs (one line)
        flags=()
        [ ! -f "$xmldir/front-end/${x%.xml}.flags" ] || read -r -a flags <"$xmldir/front-end/${x%.xml}.flags"
        check_status "front-end/$x: --import-xml takes it" "$DBIDLC" --import-xml -o "$DBIDL_TMP/front-end" "$xmldir/front-end/$x"
        (cd "$xmldir/front-end" && "$DBIDLC" --color=never "${flags[@]}" -o "$DBIDL_TMP/front-end" "$x") \
                2>"$DBIDL_TMP/front-end/$x.err"
        status=$?
        expected=0
        ! grep -q ': error: ' "$want" || expected=1
        check_status "front-end/$x: dbidlc ${flags[*]} $x exits with status $expected" test "$status" -eq "$expected"
        check_status "front-end/$x: diagnostics as in ${x%.xml}.err" diff -u "$want" "$DBIDL_TMP/front-end/$x.err"
        if grep -q ': warning: ' "$want"; then
                (cd "$xmldir/front-end" && "$DBIDLC" --color=never "${flags[@]}" -Werror -o "$DBIDL_TMP/front-end" "$x") \
                        2>"$DBIDL_TMP/front-end/$x.werror"
                status=$?
                check_status "front-end/$x: -Werror: exit status 1" test "$status" -eq 1
                check_status "front-end/$x: -Werror: the same places, warnings as errors" diff -u \
                        <(sed -e 's/: warning: /: error: /' -e 's/\[-W\([a-z-]*\)\]$/[-Werror=\1]/' "$want") \
                        "$DBIDL_TMP/front-end/$x.werror"
        fi
done
check_status "front-end cases with warnings and with errors" \
        sh -c 'grep -q ": warning: " "$1"/*.err && grep -q ": error: " "$1"/*.err' sh "$xmldir/front-end"
# the member names of an XML input are someone else's: no -Wmember-name-style unless asked for, then also by -Wall
out=$(cd "$xmldir/front-end" && "$DBIDLC" --color=never -o "$DBIDL_TMP/front-end" member-names.xml 2>&1)
check_status "member-names.xml: no member-name-style warning by default" test -z "$out"
check "member-names.xml: -Wall warns as -Wmember-name-style does (member-names.err)" "$(cat "$xmldir/front-end/member-names.err")" \
        "$(cd "$xmldir/front-end" && "$DBIDLC" --color=never -Wall -o "$DBIDL_TMP/front-end" member-names.xml 2>&1)"

# ---- 5. importer bugs fixed earlier (their cases are in good/ and bad/, which check the rest)
no_c_name() {
        local out
        out=$("$DBIDLC" --import-xml "$xmldir/good/readonly-no-collision.xml") && ! printf '%s' "$out" | grep -q '@c_name'
}
check_status "readonly-no-collision.xml: a read-only property does not collide with a method Set<Name> or Notify<Name>" \
        no_c_name
# repeated names are numbered from a counter per name ("_in2", "_in3", …), no longer made longer and longer
# ("_in_in_in": quadratic in the number of repeats, issue 11)
repeats=$("$DBIDLC" --import-xml "$xmldir/good/repeated-names.xml")
same_in='        method Same(x: int32, x_in2: int32, x_in: int32, x_in3: int32, x_in4: int32)'
same_out=' -> (x: string, x_out: string, x_out2: string);'
check "repeated-names.xml: the interface, exactly" "$(printf '%s\n' \
        'interface org.example.Repeats1 {' \
        "$same_in$same_out" \
        '        @dbus_name("a-b") property readonly AB: bool;' \
        '        @dbus_name("a--b") property readonly AB_property: bool;' \
        '        @dbus_name("-a-b") property readonly AB_property2: bool;' \
        '}')" "$(printf '%s\n' "$repeats" | sed -n '/^interface/,/^}/p')"
finish

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

# comments in awkward places (an acceptance tester's files): after annotations, after an interface's name and
# its '{', between an annotation and its declaration, before 'raises', between a name and ':', inside dict<>
# and [] — idempotent, nothing indented as a continuation that is none, and the same C before and after
shapes=$DBIDL_TMP/shapes
mkdir -p "$shapes"
printf 'struct Shared { a: int32; }\n' >"$shapes/shared.idl"
cat >"$shapes/comments-f01.idl" <<'END'
// header comment
import /* inline */ "shared.idl" ; // after import


/** Doc for iface */
@c_prefix( "svc" ) @deprecated("old")   // trailing on annotations
interface   org.example.Fmt1   // after name
{ // after brace
   /* before error */ error   Oops ; /* after error */

   enum Mode:byte{A=1,B,/* mid enum */C=0x10}   // trailing enum
   flags F : uint16 {
       R = 0x1, // read
       /// doc on W
       W = 0x2
   }
   struct P {x:double;/* between fields */y:double;
   // own line in struct
   }
   method   Add( a :int32 , /* c1 */ b: int32 )->( sum:int32 ) raises(Oops) ; // t
   method Multi(a: int32,
                b: int32)
       -> (c: int32);
   method Wrapped(
           /** The a */
           @annotation("x.y", "z") a: int32, // after a
           b: dict<string,dict<string,int32>>
   ) -> (
           r: (int32,string)[]
   );
   @noreply method Reset() ; ;
   signal   Sig ( x : Shared ) ; /* multi
    * line
       * comment */
   @emits( invalidates ) property readonly   H : double [ ] ;
   property readwrite Q: P // comment before semicolon
   ;
   method /* inside decl */ Odd(a /* after a */: int32);
   // last comment in body
}
// trailing file comment
/* final block */
END
cat >"$shapes/comments-f03.idl" <<'END'
interface org /* a */ . /* b */ example.F3 {
        enum E : int32 { A = /* neg */ -5, B = /* x */ 0x10 }
        method M(a: dict< /* k */ string, /* v */ int32 /* end */ >, b: int32 /* arr */ [ ]);
        @deprecated /* between annot and decl */ method N();
        @deprecated
        // line comment between annotation and decl
        method O();
        method P() -> () // before raises
                raises (Err);
        error Err; // e
        method Q(a: (int32, /* in anon */ string));
        property readonly /* before name */ R /* after name */ : /* before type */ int32 /* before semi */ ;
}
END
for stem in comments-f01 comments-f03; do
        src=$shapes/$stem.idl
        mkdir -p "$shapes/c-before/$stem" "$shapes/c-after/$stem"
        check_status "$stem: compiles" "$DBIDLC" -o "$shapes/c-before/$stem" "$src"
        check_status "$stem: formats" bash -c '"$1" --format -i "$2"' _ "$DBIDLC" "$src"
        check_status "$stem: formatting is idempotent" bash -c '"$1" --format "$2" | cmp - "$2"' _ "$DBIDLC" "$src"
        check_status "$stem: no declaration, '{' or comment after annotations indented as a continuation" \
                bash -c '! grep -En "^ +(interface|\{) |^ {16}(method O|// line comment)" "$1"' _ "$src"
        check_status "$stem: 'raises (' keeps its space on a continuation line" bash -c '! grep -n "raises(" "$1"' _ "$src"
        check_status "$stem: no space between a block comment and ':'" bash -c '! grep -n "\*/ :" "$1"' _ "$src"
        check_status "$stem: the formatted file compiles" "$DBIDLC" -o "$shapes/c-after/$stem" "$src"
        for out in "$stem.h" "$stem-client.c" "$stem-server.c"; do
                check_status "$stem: $out is unchanged by formatting" \
                        cmp "$shapes/c-before/$stem/$out" "$shapes/c-after/$stem/$out"
        done
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

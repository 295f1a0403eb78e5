#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/emit.sh — dbidlc --emit: option parsing, and the xml, json and markdown back ends' output
# The JSON is checked with python3's json module against docs/json-schema.md's field names; the XML with
# xml.etree.  No bus is needed (tests/integration/xml-introspect.sh compares the XML with live services).
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless /usr/bin/python3
T=$DBIDL_TMP
cd "$T" || exit 1

# md_section HEADING: from Markdown on stdin, the line HEADING (a whole line, such as '#### `Do`') and the text under
# it, up to the next heading of any level; the first such section.
md_section() {
        awk -v heading="$1" 'found && /^#/ { exit } $0 == heading { found = 1 } found'
}

# --emit's list: unknown values and empty items are usage errors (exit 2) that write nothing
for bad in bogus c,,xml "" c,XML; do
        out=$("$DBIDLC" --emit="$bad" -o "$T" "$top_srcdir/examples/calculator/calculator.idl" 2>&1)
        status=$?
        case $bad in
        bogus) item=bogus ;;
        c,XML) item=XML ;;
        *) item= ;;
        esac
        check "--emit='$bad': the message, exit status 2" "dbidlc: error: unknown --emit value '$item' (expected c, xml, json, markdown or service)
Try 'dbidlc --help' for more information.
status 2" "$out
status $status"
done
check "--emit=bogus names the value" "dbidlc: error: unknown --emit value 'bogus' (expected c, xml, json, markdown or service)
Try 'dbidlc --help' for more information." \
        "$("$DBIDLC" --emit=bogus "$top_srcdir/examples/calculator/calculator.idl" 2>&1)"
check_status "usage errors wrote nothing" test -z "$(ls "$T")"

# the default is C; --emit=json writes only the JSON; all four together write everything
mkdir c only-json all
check_status "default: C" "$DBIDLC" -o c "$top_srcdir/examples/calculator/calculator.idl"
check "default: the three C files" "calculator-client.c calculator-server.c calculator.h" "$(cd c && echo *)"
check_status "--emit=json" "$DBIDLC" --emit=json -o only-json "$top_srcdir/examples/calculator/calculator.idl"
check "--emit=json: only STEM.json" "calculator.json" "$(cd only-json && echo *)"
check_status "--emit=c,xml,json,markdown" "$DBIDLC" --emit=c,xml,json,markdown -o all \
        "$top_srcdir/examples/calculator/calculator.idl"
check "all: every file" "calculator-client.c calculator-server.c calculator.h calculator.json calculator.md org.example.Calculator1.xml" \
        "$(cd all && echo *)"
check_status "C output does not depend on --emit" cmp c/calculator.h all/calculator.h

# -o DIR is made when it is missing, parents included; a file in the way is an input error that names it
check_status "-o makes a missing directory, parents included" \
        "$DBIDLC" -o made/sub/dir "$top_srcdir/examples/calculator/calculator.idl"
check "-o made/sub/dir: the three C files" "calculator-client.c calculator-server.c calculator.h" \
        "$(cd made/sub/dir && echo *)"
check_status "--import-xml -o makes its directory too" \
        "$DBIDLC" --import-xml -o made/xml "$top_srcdir/tests/xml/good/annotations.xml"
check "--import-xml -o made/xml: the .idl" "annotations.idl" "$(cd made/xml && echo *)"
: >in-the-way
out=$("$DBIDLC" -o in-the-way/gen "$top_srcdir/examples/calculator/calculator.idl" 2>&1)
check "a file in the way of -o: the message, exit status 1" "dbidlc: error: cannot create the directory in-the-way/gen: Not a directory
status 1" "$out
status $?"

# a file with every feature the description back ends render
cat >feat.idl <<'IDL'
/** File-level <types> & "friends". */
struct Header { id: uint64; label: string; }

/** Levels. */
enum Level : int16 {
        /** The lowest. */
        LOW = -1,
        HIGH = 1
}

/**
 * The feature interface: a & b < c > "d".
 *
 * Second paragraph | with a pipe.
 */
@since("1.0")
@annotation("org.example.Custom", "x&y")
interface org.example.Features1 {
        flags Caps : uint32 { READ = 0x1, WRITE = 0x2 }
        error Failed;

        /** Does it. */
        @deprecated("use Other") @c_name("do_thing") method Do(
                /** The header. */
                h: Header,
                @annotation("org.example.ArgNote", "n&m") pairs: dict<string, (int32, Level[])>)
                -> (@annotation("org.qtproject.QtDBus.QtTypeName.Out0", "uint") caps: Caps) raises (Failed);
        @noreply @since("1.1") method Fire(what: string);
        signal Changed(/** The new level. */ @annotation("org.example.Empty", "") level: Level);
        @emits(invalidates) property readonly Big: byte[];
        @emits(const) property readonly Version: string;
        @emits(none) property readwrite Quiet: bool;
        @emits(none) property writeonly Secret: string;
        @deprecated property readwrite Old: int32;
        /* a writable property cannot be @emits(const): its own EmitsChangedSignal replaces @emits's */
        @annotation("org.freedesktop.DBus.Property.EmitsChangedSignal", "const") @emits(invalidates)
        property readwrite Pinned: string;
}

@c_prefix("second")
interface org.example.Second1 {
        method Ping();
}
IDL
mkdir feat feat2
check_status "feat.idl: --emit=xml,json,markdown" "$DBIDLC" --emit=xml,json,markdown -o feat feat.idl
check "feat.idl: one XML file per interface, JSON, Markdown" \
        "feat.json feat.md org.example.Features1.xml org.example.Second1.xml" "$(cd feat && echo *)"
"$DBIDLC" --emit=xml,json,markdown -o feat2 feat.idl
check_status "the output is deterministic" diff -r feat feat2

# JSON: parse it and check the fields docs/json-schema.md promises
check_status "JSON: the fields of docs/json-schema.md" /usr/bin/python3 -I - feat/feat.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def eq(what, want, got):
    if want != got:
        sys.exit(f"{what}: expected {want!r}, got {got!r}")
eq("format", ("dbidl-ast", 1), (d["format"], d["version"]))
eq("file", "feat.idl", d["file"])
hdr, lvl = d["types"]
eq("struct Header", ("struct", "Header", "(ts)", None), (hdr["kind"], hdr["name"], hdr["signature"], hdr["scope"]))
eq("Header fields", [("id", "uint64", "t"), ("label", "string", "s")],
   [(f["name"], f["type"]["kind"], f["type"]["signature"]) for f in hdr["fields"]])
eq("Header doc", 'File-level <types> & "friends".', hdr["doc"])
eq("Header location", {"file": "feat.idl", "line": 2, "column": 8, "length": 6}, hdr["location"])
eq("enum Level", ("enum", "int16", "n"), (lvl["kind"], lvl["backing"], lvl["backing_signature"]))
eq("Level values", [("LOW", -1, "The lowest."), ("HIGH", 1, None)],
   [(v["name"], v["value"], v["doc"]) for v in lvl["values"]])
f1, s1 = d["interfaces"]
eq("interfaces", ["org.example.Features1", "org.example.Second1"], [i["name"] for i in d["interfaces"]])
eq("interface since and annotations", ("1.0", [{"name": "org.example.Custom", "value": "x&y"}], ["since", "annotation"]),
   (f1["since"], f1["xml_annotations"], [a["name"] for a in f1["annotations"]]))
eq("c_prefix", "org_example_features1", f1["c_prefix"])
eq("scoped flags", ("flags", "Caps", "org.example.Features1", [("READ", 1), ("WRITE", 2)]),
   (f1["types"][0]["kind"], f1["types"][0]["name"], f1["types"][0]["scope"],
    [(v["name"], v["value"]) for v in f1["types"][0]["values"]]))
eq("error", ("Failed", "org.example.Features1.Error.Failed"), (f1["errors"][0]["name"], f1["errors"][0]["dbus_name"]))
do, fire = f1["methods"]
eq("Do", ("Do", "do_thing", True, "use Other", "Does it."),
   (do["dbus_name"], do["c_name"], do["deprecated"], do["deprecated_reason"], do["doc"]))
eq("Do signatures", ("(ts)a{s(ian)}", "u"), (do["in_signature"], do["out_signature"]))
eq("Do args", [("h", "named", "(ts)", "The header."), ("pairs", "dict", "a{s(ian)}", None)],
   [(a["name"], a["type"]["kind"], a["type"]["signature"], a["doc"]) for a in do["in"]])
eq("argument annotations", ([], [{"name": "org.example.ArgNote", "value": "n&m"}], ["annotation"], 26),
   (do["in"][0]["xml_annotations"], do["in"][1]["xml_annotations"], [a["name"] for a in do["in"][1]["annotations"]],
    do["in"][1]["annotations"][0]["location"]["line"]))
pairs = do["in"][1]["type"]
eq("dict key and value", ("string", "struct", "dict<string, (int32, Level[])>"),
   (pairs["key"]["kind"], pairs["value"]["kind"], pairs["spelling"]))
eq("anonymous struct members", ["int32", "array"], [m["kind"] for m in pairs["value"]["members"]])
elem = pairs["value"]["members"][1]["element"]
eq("named type", ("named", "Level", "enum", None, 5), (elem["kind"], elem["name"], elem["declaration"], elem["scope"],
                                                       elem["declaration_location"]["line"]))
eq("Do out", [("caps", "Caps", "u")], [(a["name"], a["type"]["spelling"], a["type"]["signature"]) for a in do["out"]])
eq("raises", [("Failed", "org.example.Features1.Error.Failed")], [(r["name"], r["dbus_name"]) for r in do["raises"]])
eq("Fire", (True, "1.1", "s", ""), (fire["noreply"], fire["since"], fire["in_signature"], fire["out_signature"]))
eq("signal", ("Changed", "n", ["level"]), (f1["signals"][0]["name"], f1["signals"][0]["signature"],
                                           [a["name"] for a in f1["signals"][0]["args"]]))
eq("signal argument", ("The new level.", [{"name": "org.example.Empty", "value": ""}]),
   (f1["signals"][0]["args"][0]["doc"], f1["signals"][0]["args"][0]["xml_annotations"]))
eq("properties", [("Big", "readonly", "ay", "invalidates", False), ("Version", "readonly", "s", "const", False),
                  ("Quiet", "readwrite", "b", "none", False), ("Secret", "writeonly", "s", "none", False),
                  ("Old", "readwrite", "i", "change", True), ("Pinned", "readwrite", "s", "invalidates", False)],
   [(p["name"], p["access"], p["signature"], p["emits"], p["deprecated"]) for p in f1["properties"]])
eq("Second1", (["Ping"], "", ""), ([m["name"] for m in s1["methods"]], s1["methods"][0]["in_signature"],
                                  s1["methods"][0]["out_signature"]))
eq("Second1 c_prefix", "second", s1["c_prefix"])
PY

# JSON of every .idl in the tree: valid, with every interface and method
for idl in "$top_srcdir"/examples/*/*.idl "$top_srcdir"/tests/idl/good/*.idl; do
        base=$(basename "$idl" .idl)
        mkdir -p "tree/$base"
        if ! "$DBIDLC" --emit=json,xml,markdown -o "tree/$base" "$idl" 2>"tree/$base.err"; then
                # a good case may need -I for its imports: dbidlc --signatures fails the same way then
                "$DBIDLC" --signatures "$idl" >/dev/null 2>&1 && check_status "$base: --emit=json,xml,markdown" false
                continue
        fi
        sigs=$("$DBIDLC" --signatures "$idl")
        check_status "$base: JSON parses, and has each interface and method of --signatures" \
                /usr/bin/python3 -I -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = [l.split()[1] for l in sys.argv[2].splitlines() if l.startswith("interface ")]
got = [i["name"] for i in d["interfaces"]]
assert want == got, (want, got)
meth = [l.split()[1].split("(")[0] for l in sys.argv[2].splitlines() if l.strip().startswith("method ")]
assert meth == [m["dbus_name"] for i in d["interfaces"] for m in i["methods"]], meth
' "tree/$base/$base.json" "$sigs"
        check_status "$base: every XML file parses, one interface each" /usr/bin/python3 -I -c '
import sys, xml.etree.ElementTree as ET
for p in sys.argv[1:]:
    r = ET.parse(p).getroot()
    assert r.tag == "node" and len(r.findall("interface")) == 1, p
' "tree/$base"/*.xml
done

# XML: annotations and escaping
check_status "XML: annotations and escaping" /usr/bin/python3 -I - feat/org.example.Features1.xml <<'PY'
import sys, xml.etree.ElementTree as ET
text = open(sys.argv[1]).read()
assert text.startswith('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"'), text[:80]
root = ET.parse(sys.argv[1]).getroot()
(iface,) = root.findall("interface")
def ann(e):
    return {a.get("name"): a.get("value") for a in e.findall("annotation")}
def eq(what, want, got):
    if want != got:
        sys.exit(f"{what}: expected {want!r}, got {got!r}")
eq("interface", {"org.gtk.GDBus.DocString": 'The feature interface: a & b < c > "d".\n\nSecond paragraph | with a pipe.',
                 "org.gtk.GDBus.Since": "1.0", "org.example.Custom": "x&y"}, ann(iface))
m = {e.get("name"): e for e in iface.findall("method")}
eq("Do", {"org.gtk.GDBus.DocString": "Does it.", "org.freedesktop.DBus.Deprecated": "true",
          "org.gtk.GDBus.C.Name": "do_thing"}, ann(m["Do"]))
eq("Do args", [("h", "(ts)", "in"), ("pairs", "a{s(ian)}", "in"), ("caps", "u", "out")],
   [(a.get("name"), a.get("type"), a.get("direction")) for a in m["Do"].findall("arg")])
eq("Do's argument doc", {"org.gtk.GDBus.DocString": "The header."}, ann(m["Do"].findall("arg")[0]))
eq("Do's argument annotations", [{"org.example.ArgNote": "n&m"}, {"org.qtproject.QtDBus.QtTypeName.Out0": "uint"}],
   [ann(a) for a in m["Do"].findall("arg")[1:]])
eq("Fire", {"org.gtk.GDBus.Since": "1.1", "org.freedesktop.DBus.Method.NoReply": "true"}, ann(m["Fire"]))
s = iface.find("signal")
eq("signal", ("Changed", [("level", "n", None)]),
   (s.get("name"), [(a.get("name"), a.get("type"), a.get("direction")) for a in s.findall("arg")]))
eq("signal argument", {"org.gtk.GDBus.DocString": "The new level.", "org.example.Empty": ""}, ann(s.find("arg")))
p = {e.get("name"): e for e in iface.findall("property")}
E = "org.freedesktop.DBus.Property.EmitsChangedSignal"
eq("properties", {"Big": ("ay", "read", "invalidates"), "Version": ("s", "read", "const"),
                  "Quiet": ("b", "readwrite", "false"), "Secret": ("s", "write", "false"), "Old": ("i", "readwrite", None),
                  "Pinned": ("s", "readwrite", "const")},
   {n: (e.get("type"), e.get("access"), ann(e).get(E)) for n, e in p.items()})
eq("one EmitsChangedSignal per property", {n: 1 if ann(e).get(E) else 0 for n, e in p.items()},
   {n: len([a for a in e.findall("annotation") if a.get("name") == E]) for n, e in p.items()})
eq("deprecated property", "true", ann(p["Old"]).get("org.freedesktop.DBus.Deprecated"))
PY
check "XML: an interface's @c_prefix is its org.gtk.GDBus.C.Name" '        <interface name="org.example.Second1">
                <annotation name="org.gtk.GDBus.C.Name" value="second"/>
                <method name="Ping"/>
        </interface>' "$(xml_element '<interface name="org.example.Second1">' <feat/org.example.Second1.xml)"

# Markdown: headings, tables, docs
md=$(cat feat/feat.md)
check "Markdown: title, the one level-1 heading" "# feat.idl" "$(grep '^# ' <<<"$md")"
# a file-level type is a level-3 heading under "## Types"; an interface's, a level-4 one under its "### Types"
check "Markdown: file-level struct" '### struct `Header`

D-Bus signature: `(ts)`

File-level <types> & "friends".

| Field | Type | D-Bus | Description |
|---|---|---|---|
| `id` | `uint64` | `t` |  |
| `label` | `string` | `s` |  |' "$(md_section '### struct `Header`' <<<"$md")"
check "Markdown: enum value with doc" '| `LOW` | `-1` | The lowest. |' "$(grep -F '| `LOW` |' <<<"$md")"
check "Markdown: interface headings" '## interface `org.example.Features1`
## interface `org.example.Second1`' "$(grep '^## interface ' <<<"$md")"
check "Markdown: interface doc, both paragraphs" '## interface `org.example.Features1`

*Since 1.0.*

The feature interface: a & b < c > "d".

Second paragraph | with a pipe.

C prefix: `org_example_features1`' "$(md_section '## interface `org.example.Features1`' <<<"$md")"
do_md=$(md_section '#### `Do`' <<<"$md")
check "Markdown: method signature" '`Do(h: Header, pairs: dict<string, (int32, Level[])>) -> (caps: Caps)`' \
        "$(grep '^`Do(' <<<"$do_md")"
check "Markdown: deprecation" "**Deprecated:** use Other" "$(grep -F '**Deprecated' <<<"$do_md")"
check "Markdown: argument row with doc" '| in | `h` | `Header` | `(ts)` | The header. |' \
        "$(grep -F '| `h` |' <<<"$do_md")"
check "Markdown: raises" 'Errors:

- `Failed` (`org.example.Features1.Error.Failed`)' "$(sed -n '/^Errors:$/,$p' <<<"$do_md")"
check "Markdown: noreply" 'D-Bus signature: in `s`, out none; no reply is sent (`@noreply`)' \
        "$(md_section '#### `Fire`' <<<"$md" | grep '^D-Bus signature:')"
check "Markdown: signal" '#### `Changed`

`Changed(level: Level)`

D-Bus signature: `n`

| Argument | Type | D-Bus | Description |
|---|---|---|---|
| `level` | `Level` | `n` | The new level. |' "$(md_section '#### `Changed`' <<<"$md")"
check "Markdown: property row" \
        '| `Big` | `byte[]` | `ay` | readonly | invalidates (PropertiesChanged without the value) |  |' \
        "$(grep -F '| `Big` |' <<<"$md")"
check "Markdown: deprecated property" \
        '| `Old` | `int32` | `i` | readwrite | change (PropertiesChanged with the value) | **Deprecated.** |' \
        "$(grep -F '| `Old` |' <<<"$md")"
check "Markdown: errors table" '### Errors

| Error | D-Bus name | Description |
|---|---|---|
| `Failed` | `org.example.Features1.Error.Failed` |  |' "$(md_section '### Errors' <<<"$md")"
check "Markdown: scoped flags in hex" '#### flags `Caps` : `uint32`

D-Bus signature: `u`

| Name | Value | Description |
|---|---|---|
| `READ` | `0x1` |  |
| `WRITE` | `0x2` |  |' "$(md_section '#### flags `Caps` : `uint32`' <<<"$md")"

# a property named as GDBus allows but D-Bus member names do not (client-only with sd-bus): every description back
# end keeps its name on the wire
cat >dashed.idl <<'IDL'
interface org.example.Lockdown1 {
        @dbus_name("disable-printing") property readwrite DisablePrinting: bool;
}
IDL
mkdir dashed
out=$("$DBIDLC" --color=never --emit=xml,json,markdown -o dashed dashed.idl 2>&1)
check "dashed.idl: -Wproperty-name" "dashed.idl:2:21: warning: property name 'disable-printing' is not a valid D-Bus \
member name: sd-bus cannot serve it, so the server skeleton leaves it out; clients can still read and write it \
[-Wproperty-name]
    2 |         @dbus_name(\"disable-printing\") property readwrite DisablePrinting: bool;
      |                     ^~~~~~~~~~~~~~~~" "$out"
check "dashed.idl: XML keeps the wire name" '        <interface name="org.example.Lockdown1">
                <property name="disable-printing" type="b" access="readwrite"/>
        </interface>' "$(xml_element '<interface name="org.example.Lockdown1">' <dashed/org.example.Lockdown1.xml)"
check "dashed.idl: JSON has the IDL name and the wire name" "DisablePrinting disable-printing disable_printing" \
        "$(/usr/bin/python3 -I -c 'import json, sys; p = json.load(open(sys.argv[1]))["interfaces"][0]["properties"][0]
print(p["name"], p["dbus_name"], p["c_name"])' dashed/dashed.json 2>&1)"
check "dashed.idl: Markdown keeps the wire name" \
        '| `disable-printing` | `bool` | `b` | readwrite | change (PropertiesChanged with the value) |  |' \
        "$(grep -F '| `disable-printing` |' dashed/dashed.md)"
# blobs: 'h' on the wire, marked by org.dbidl.Blob (the signature with blob positions as 'H') in the XML, "blob" in
# the JSON and Markdown; an fd stays unmarked
cat >blobs.idl <<'IDL'
struct Page { title: string; data: blob; }
interface org.example.Blobs1 {
        method Put(data: blob, pages: Page[], named: dict<string, blob>, plain: fd) -> (copy: blob);
        signal Changed(data: blob);
        property readonly Last: blob;
}
IDL
mkdir blobs
check_status "blobs.idl: --emit=xml,json,markdown" "$DBIDLC" --emit=xml,json,markdown -o blobs blobs.idl
check "blobs.idl: XML marks every blob position" '        <interface name="org.example.Blobs1">
                <method name="Put">
                        <arg name="data" type="h" direction="in">
                                <annotation name="org.dbidl.Blob" value="H"/>
                        </arg>
                        <arg name="pages" type="a(sh)" direction="in">
                                <annotation name="org.dbidl.Blob" value="a(sH)"/>
                        </arg>
                        <arg name="named" type="a{sh}" direction="in">
                                <annotation name="org.dbidl.Blob" value="a{sH}"/>
                        </arg>
                        <arg name="plain" type="h" direction="in"/>
                        <arg name="copy" type="h" direction="out">
                                <annotation name="org.dbidl.Blob" value="H"/>
                        </arg>
                </method>
                <signal name="Changed">
                        <arg name="data" type="h">
                                <annotation name="org.dbidl.Blob" value="H"/>
                        </arg>
                </signal>
                <property name="Last" type="h" access="read">
                        <annotation name="org.dbidl.Blob" value="H"/>
                </property>
        </interface>' "$(xml_element '<interface name="org.example.Blobs1">' <blobs/org.example.Blobs1.xml)"
check "blobs.idl: JSON kinds, signatures and spellings" "blob h blob
array a(sh) Page[]
fd h fd
blob h blob" \
        "$(/usr/bin/python3 -I -c 'import json, sys
m = json.load(open(sys.argv[1]))["interfaces"][0]["methods"][0]
for a in m["in"][0], m["in"][1], m["in"][3], m["out"][0]:
    t = a["type"]
    print(t["kind"], t["signature"], t["spelling"])' blobs/blobs.json 2>&1)"
check "blobs.idl: Markdown" '| `Last` | `blob` | `h` | readonly | change (PropertiesChanged with the value) |  |' \
        "$(grep -F '| `Last` |' blobs/blobs.md)"
check "blobs.idl: XML → IDL gives the blobs back" "        method Put(data: blob, pages: (string, blob)[], named: dict<string, blob>, plain: fd) -> (copy: blob);
        signal Changed(data: blob);
        property readonly Last: blob;" \
        "$("$DBIDLC" --import-xml blobs/org.example.Blobs1.xml | grep -E '^        (method|signal|property)')"
finish

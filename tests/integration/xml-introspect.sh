#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/xml-introspect.sh — dbidlc --emit=xml against what the generated services say in Introspect
# The calculator, types and media-player services run on a private bus; each object's live introspection data (busctl, raw XML)
# must match the interface files dbidlc writes for its .idl, apart from what sd-bus cannot express
# (tests/integration/xml-introspect.py says what is normalised).  python3 -I: tests/integration/types.py would
# otherwise shadow the standard library's types module (the script's directory comes first on sys.path).
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless busctl /usr/bin/python3
start_private_bus

# compare NAME PATH IDL SERVICE: start SERVICE, wait for NAME, compare PATH's Introspect with IDL's --emit=xml.
compare() {
        local name=$1 path=$2 idl=$3 service=$4 out live
        out=$DBIDL_TMP/$name
        live=$DBIDL_TMP/$name-live.xml
        mkdir -p "$out"
        check_status "$name: dbidlc --emit=xml" "$DBIDLC" --emit=xml -o "$out" "$idl"
        start_service "$DBIDL_TMP/$name.log" $DBIDL_RUN "$service"
        wait_name "$name" || exit 1
        busctl --user introspect --xml-interface "$name" "$path" >"$live" 2>&1
        check_status "$name: busctl introspect --xml-interface" test -s "$live"
        check_status "$name: generated XML matches the live object" \
                /usr/bin/python3 -I "$top_srcdir/tests/integration/xml-introspect.py" "$live" "$out"/*.xml
}

compare org.example.Calculator1 /org/example/Calculator1 "$top_srcdir/examples/calculator/calculator.idl" \
        "$top_builddir/examples/calculator/calculator-service"
compare org.dbidl.Types1 /org/dbidl/Types1 "$top_srcdir/examples/types/types.idl" \
        "$top_builddir/examples/types/types-service"
# two interfaces at one path, from one .idl: two files against one object
compare org.mpris.MediaPlayer2.dbidl_demo /org/mpris/MediaPlayer2 "$top_srcdir/examples/media-player/mpris.idl" \
        "$top_builddir/examples/media-player/media-player"

# the comparison itself must see a difference: drop the NoReply annotation and rename an argument
calc=$DBIDL_TMP/org.example.Calculator1
sed -e '/Method.NoReply/d' -e 's/name="separator"/name="sep"/' "$calc/org.example.Calculator1.xml" >"$DBIDL_TMP/broken.xml"
out=$(/usr/bin/python3 -I "$top_srcdir/tests/integration/xml-introspect.py" "$DBIDL_TMP/org.example.Calculator1-live.xml" \
        "$DBIDL_TMP/broken.xml")
check "a changed file does not match: Concat's arguments and Reset's annotations, nothing else" "ok - $DBIDL_TMP/broken.xml: one <interface> in a <node>
ok - the object's interfaces (without org.freedesktop.DBus.*)
ok - org.example.Calculator1: interface annotations
ok - org.example.Calculator1: the method names
ok - org.example.Calculator1: method Add: arguments
ok - org.example.Calculator1: method Add: annotations
not ok - org.example.Calculator1: method Concat: arguments
#   generated: [('parts', 'as', 'in'), ('sep', 's', 'in'), ('joined', 's', 'out')]
#   live:      [('parts', 'as', 'in'), ('separator', 's', 'in'), ('joined', 's', 'out')]
ok - org.example.Calculator1: method Concat: annotations
ok - org.example.Calculator1: method Divide: arguments
ok - org.example.Calculator1: method Divide: annotations
ok - org.example.Calculator1: method Reset: arguments
not ok - org.example.Calculator1: method Reset: annotations
#   generated: {}
#   live:      {'org.freedesktop.DBus.Method.NoReply': 'true'}
ok - org.example.Calculator1: method Sum: arguments
ok - org.example.Calculator1: method Sum: annotations
ok - org.example.Calculator1: the signal names
ok - org.example.Calculator1: signal Overflow: arguments
ok - org.example.Calculator1: signal Overflow: annotations
ok - org.example.Calculator1: the property names
ok - org.example.Calculator1: property LastResult: type and access
ok - org.example.Calculator1: property LastResult: annotations
ok - org.example.Calculator1: property Precision: type and access
ok - org.example.Calculator1: property Precision: annotations
# 20 of 22 comparisons agree" "$out"
finish

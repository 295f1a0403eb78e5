#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/types.sh — every D-Bus type through the types service: its generated client, python3-dbus, gdbus, busctl and dbus-send
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus busctl dbus-send /usr/bin/python3
start_private_bus
ex=$top_builddir/examples/types
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$ex/types-service"
wait_name org.dbidl.Types1 || exit 1

I=org.dbidl.Types1
D=(-d org.dbidl.Types1 -o /org/dbidl/Types1)
B=(org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1)
S=(--session --print-reply --dest=org.dbidl.Types1 /org/dbidl/Types1)
INVALID_ARGS=org.freedesktop.DBus.Error.InvalidArgs

# the generated proxy against the generated skeleton: every type, edge values, fds, signals, async, properties
check_status "types-client: every type through the generated proxy" $DBIDL_RUN "$ex/types-client"

# python3-dbus, a second client nobody here wrote: every type, fds as dbus.types.UnixFd, properties, signals
check_status "python3-dbus client" /usr/bin/python3 "$top_srcdir/tests/integration/types-echo.py"

# gdbus (GLib) with GVariant text for nested types; "--" lets negative numbers through as arguments
check "gdbus a{uas}, a{oa{sv}}, a{sv}, a{sa{si}}" \
        "({uint32 7: ['x', 'y']}, {objectpath '/a': {'k': <1>}}, @a{sv} {}, {'o': {'i': 1}, 'e': {}})" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoDicts "{uint32 7: ['x', 'y']}" "{'/a': {'k': <1>}}" '{}' \
                "{'o': {'i': 1}, 'e': {}}" 2>&1)"
check "gdbus nested empty dicts" "({uint32 0: @as []}, {objectpath '/b': @a{sv} {}}, @a{sv} {}, {'e': @a{si} {}})" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoDicts '{uint32 0: @as []}' "{'/b': @a{sv} {}}" '{}' \
                "{'e': @a{si} {}}" 2>&1)"
check "gdbus ai, ay, as, ab, aad" "([1, -2], [byte 0x01, 0xff], ['', 'x'], [true, false], [[1.5, 2.5], []])" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoArrays '[1, -2]' '[byte 0x01, 0xff]' "['', 'x']" \
                '[true, false]' '[[1.5, 2.5], []]' 2>&1)"
check "gdbus empty arrays" "(@ai [], @ay [], @as [], @ab [], @aad [])" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoArrays '@ai []' '@ay []' '@as []' '@ab []' '@aad []' 2>&1)"
check "gdbus structs: file-level, interface-level, (i(so)), a(ias), empty a(...)" \
        "((uint64 18446744073709551615, 'l', objectpath '/p'), ((uint64 1, 'r', objectpath '/'), byte 0x02, (-1, ('w', objectpath '/w')), ['t'], {'k': 3}, [[0.5]]), (5, ('s', objectpath '/o')), [(1, ['a', 'b']), (2, [])], @a((tso)y(i(so))asa{si}aad) [])" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoStructs -- "(18446744073709551615, 'l', '/p')" \
                "((1, 'r', '/'), 2, (-1, ('w', '/w')), ['t'], {'k': 3}, [[0.5]])" "(5, ('s', '/o'))" \
                "[(1, ['a', 'b']), (2, [])]" '@a((tso)y(i(so))asa{si}aad) []' 2>&1)"
check "gdbus basics at their limits, NaN" \
        "(byte 0xff, true, int16 -32768, uint16 65535, -2147483648, uint32 4294967295, int64 -9223372036854775808, uint64 18446744073709551615, nan, '', objectpath '/', signature '')" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoBasics -- 255 true -32768 65535 -2147483648 4294967295 \
                -9223372036854775808 18446744073709551615 nan "''" "'/'" "''" 2>&1)"
check "gdbus variant holding a{sv}" "(<{'a': <[1, 2]>}>,)" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoVariant "<{'a': <[1, 2]>}>" 2>&1)"

# enums: every backing comes back; a value outside the declared set is InvalidArgs naming the argument
check "gdbus enums of three backings" "(byte 0x01, int16 -1, uint32 7, uint32 0)" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoEnums -- 1 -1 7 0 2>&1)"
out=$(dbus-send "${S[@]}" $I.EchoEnums byte:9 int16:0 uint32:0 uint32:0 2>&1)
check_contains "dbus-send undeclared byte enum: InvalidArgs" "$INVALID_ARGS" "$out"
check_contains "dbus-send undeclared byte enum: the message names the argument" "argument 'color' of EchoEnums" "$out"
out=$(gdbus call --session "${D[@]}" -m $I.EchoEnums -- 1 2 0 0 2>&1)
check_contains "gdbus undeclared int16 enum: InvalidArgs" "$INVALID_ARGS" "$out"
check_contains "gdbus undeclared int16 enum: the message names the argument" "argument 'level' of EchoEnums" "$out"
out=$(gdbus call --session "${D[@]}" -m $I.EchoEnums -- 1 0 3 0 2>&1)
check_contains "gdbus undeclared uint32 enum: the message names the argument" "argument 'mode' of EchoEnums" "$out"
out=$(gdbus call --session "${D[@]}" -m $I.EchoStructs -- "(1, 'l', '/p')" \
        "((1, 'r', '/'), 9, (0, ('', '/')), @as [], @a{si} {}, @aad [])" "(5, ('s', '/o'))" '@a(ias) []' \
        '@a((tso)y(i(so))asa{si}aad) []' 2>&1)
check_contains "gdbus undeclared enum inside a struct: InvalidArgs naming the struct argument" "argument 'record' of EchoStructs" \
        "$out"
check_contains "busctl set-property Level to an undeclared value: InvalidArgs naming the property" \
        "Invalid value for property 'Level'" "$(busctl --user set-property "${B[@]}" Level n 5 2>&1)"
out=$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set $I Level '<int16 3>' 2>&1)
check_contains "gdbus Set of Level to an undeclared value: InvalidArgs" "$INVALID_ARGS" "$out"
check_contains "gdbus Set of Level to an undeclared value: the message names the property, not an argument" \
        "Invalid value for property 'Level': the value is not one of its enum's declared values" "$out"
check "Level unchanged (NORMAL, 0)" "n 0" "$(busctl --user get-property "${B[@]}" Level 2>&1)"
check "service still running after undeclared enum values" "ynuu 1 0 0 0" \
        "$(busctl --user call "${B[@]}" EchoEnums ynuu 1 0 0 0 2>&1)"

# flags: undeclared bits pass through unchanged, in calls and in properties
check "busctl flags with undeclared bits pass through" "ynuu 2 1 1 3221225473" \
        "$(busctl --user call "${B[@]}" EchoEnums ynuu 2 1 1 3221225473 2>&1)"
check_contains "dbus-send flags 0xffffffff pass through" "uint32 4294967295" \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:255 int16:32767 uint32:0 uint32:4294967295 2>&1)"
check_status "busctl set-property Caps with undeclared bits" busctl --user set-property "${B[@]}" Caps u 2147483656
check "Caps reads back with its undeclared bits" "u 2147483656" "$(busctl --user get-property "${B[@]}" Caps 2>&1)"
check_status "busctl set-property Caps back to READ" busctl --user set-property "${B[@]}" Caps u 1

# mismatched calls: the wrong signature, too few and too many arguments, a wrong dict key type
check_contains "dbus-send wrong argument type: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" $I.EchoEnums string:x int16:0 uint32:0 uint32:0 2>&1)"
check_contains "dbus-send too few arguments: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:1 int16:0 uint32:0 2>&1)"
check_contains "dbus-send too many arguments: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:1 int16:0 uint32:0 uint32:0 uint32:0 2>&1)"
check_contains "dbus-send no arguments at all: InvalidArgs" "$INVALID_ARGS" "$(dbus-send "${S[@]}" $I.EchoFds 2>&1)"
check_contains "busctl a{sas} for a{uas}: refused" "Invalid arguments 'a{sas}a{oa{sv}}a{sv}a{sa{si}}'" \
        "$(busctl --user call "${B[@]}" EchoDicts 'a{sas}a{oa{sv}}a{sv}a{sa{si}}' 0 0 0 0 2>&1)"
check_contains "dbus-send an int32 for a variant: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" $I.EchoVariant int32:1 2>&1)"
check_contains "dbus-send Set of Current (a struct) with a string: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" org.freedesktop.DBus.Properties.Set string:$I string:Current variant:string:wrong 2>&1)"
check_contains "dbus-send Set of Level (int16) with an int32: InvalidArgs" "$INVALID_ARGS" \
        "$(dbus-send "${S[@]}" org.freedesktop.DBus.Properties.Set string:$I string:Level variant:int32:1 2>&1)"

# introspection shows the wire signature of every composite argument
intro=$(gdbus introspect --session --xml "${D[@]}" 2>&1)
check_contains "introspection: a{oa{sv}} argument" '<arg type="a{oa{sv}}" name="objects" direction="in"/>' "$intro"
check_contains "introspection: a(ias) result" '<arg type="a(ias)" name="out_items" direction="out"/>' "$intro"
check_contains "introspection: a struct with an fd" '<arg type="(sh)" name="file" direction="in"/>' "$intro"
check_contains "introspection: the fd signal argument" '<arg type="h" name="handle"/>' "$intro"
check_contains "introspection: the struct property" \
        '<property name="Current" type="((tso)y(i(so))asa{si}aad)" access="readwrite">' "$intro"
check_contains "introspection: the fd property" '<property name="Handle" type="h" access="readwrite">' "$intro"

# the service survived everything above
check "service still running" "ynuu 1 1 0 0" "$(busctl --user call "${B[@]}" EchoEnums ynuu 1 1 0 0 2>&1)"
finish

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
check "dbus-send undeclared byte enum: InvalidArgs naming the argument" \
        "Error $INVALID_ARGS: Invalid value for argument 'color' of EchoEnums: the value is not one of its enum's declared values" \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:9 int16:0 uint32:0 uint32:0 2>&1)"
check "gdbus undeclared int16 enum: InvalidArgs naming the argument" \
        "Error: GDBus.Error:$INVALID_ARGS: Invalid value for argument 'level' of EchoEnums: the value is not one of its enum's declared values
(According to introspection data, you need to pass 'ynuu')" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoEnums -- 1 2 0 0 2>&1)"
check "gdbus undeclared uint32 enum: InvalidArgs naming the argument" \
        "Error: GDBus.Error:$INVALID_ARGS: Invalid value for argument 'mode' of EchoEnums: the value is not one of its enum's declared values
(According to introspection data, you need to pass 'ynuu')" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoEnums -- 1 0 3 0 2>&1)"
check "gdbus undeclared enum inside a struct: InvalidArgs naming the struct argument" \
        "Error: GDBus.Error:$INVALID_ARGS: Invalid value for argument 'record' of EchoStructs: the value is not one of its enum's declared values
(According to introspection data, you need to pass '(tso)((tso)y(i(so))asa{si}aad)(i(so))a(ias)a((tso)y(i(so))asa{si}aad)')" \
        "$(gdbus call --session "${D[@]}" -m $I.EchoStructs -- "(1, 'l', '/p')" \
                "((1, 'r', '/'), 9, (0, ('', '/')), @as [], @a{si} {}, @aad [])" "(5, ('s', '/o'))" '@a(ias) []' \
                '@a((tso)y(i(so))asa{si}aad) []' 2>&1)"
check "busctl set-property Level to an undeclared value: InvalidArgs naming the property" \
        "Failed to set property Level on interface $I: Invalid value for property 'Level': the value is not one of its enum's declared values" \
        "$(busctl --user set-property "${B[@]}" Level n 5 2>&1)"
check "gdbus Set of Level to an undeclared value: InvalidArgs naming the property, not an argument" \
        "Error: GDBus.Error:$INVALID_ARGS: Invalid value for property 'Level': the value is not one of its enum's declared values
(According to introspection data, you need to pass 'ssv')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set $I Level '<int16 3>' 2>&1)"
check "Level unchanged (NORMAL, 0)" "n 0" "$(busctl --user get-property "${B[@]}" Level 2>&1)"
check "service still running after undeclared enum values" "ynuu 1 0 0 0" \
        "$(busctl --user call "${B[@]}" EchoEnums ynuu 1 0 0 0 2>&1)"

# flags: undeclared bits pass through unchanged, in calls and in properties
check "busctl flags with undeclared bits pass through" "ynuu 2 1 1 3221225473" \
        "$(busctl --user call "${B[@]}" EchoEnums ynuu 2 1 1 3221225473 2>&1)"
check "dbus-send flags 0xffffffff pass through" "method return time=… sender=… -> destination=… serial=… reply_serial=…
   byte 255
   int16 32767
   uint32 0
   uint32 4294967295" \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:255 int16:32767 uint32:0 uint32:4294967295 2>&1 | mask_dbus_send)"
check_status "busctl set-property Caps with undeclared bits" busctl --user set-property "${B[@]}" Caps u 2147483656
check "Caps reads back with its undeclared bits" "u 2147483656" "$(busctl --user get-property "${B[@]}" Caps 2>&1)"
check_status "busctl set-property Caps back to READ" busctl --user set-property "${B[@]}" Caps u 1

# mismatched calls: the wrong signature, too few and too many arguments, a wrong dict key type
check "dbus-send wrong argument type: InvalidArgs" \
        "Error $INVALID_ARGS: Invalid arguments 'snuu' to call $I.EchoEnums(), expecting 'ynuu'." \
        "$(dbus-send "${S[@]}" $I.EchoEnums string:x int16:0 uint32:0 uint32:0 2>&1)"
check "dbus-send too few arguments: InvalidArgs" \
        "Error $INVALID_ARGS: Invalid arguments 'ynu' to call $I.EchoEnums(), expecting 'ynuu'." \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:1 int16:0 uint32:0 2>&1)"
check "dbus-send too many arguments: InvalidArgs" \
        "Error $INVALID_ARGS: Invalid arguments 'ynuuu' to call $I.EchoEnums(), expecting 'ynuu'." \
        "$(dbus-send "${S[@]}" $I.EchoEnums byte:1 int16:0 uint32:0 uint32:0 uint32:0 2>&1)"
check "dbus-send no arguments at all: InvalidArgs" \
        "Error $INVALID_ARGS: Invalid arguments '' to call $I.EchoFds(), expecting 'haha{sh}(sh)'." \
        "$(dbus-send "${S[@]}" $I.EchoFds 2>&1)"
check "busctl a{sas} for a{uas}: refused" \
        "Call failed: Invalid arguments 'a{sas}a{oa{sv}}a{sv}a{sa{si}}' to call $I.EchoDicts(), expecting 'a{uas}a{oa{sv}}a{sv}a{sa{si}}'." \
        "$(busctl --user call "${B[@]}" EchoDicts 'a{sas}a{oa{sv}}a{sv}a{sa{si}}' 0 0 0 0 2>&1)"
check "dbus-send an int32 for a variant: InvalidArgs" \
        "Error $INVALID_ARGS: Invalid arguments 'i' to call $I.EchoVariant(), expecting 'v'." \
        "$(dbus-send "${S[@]}" $I.EchoVariant int32:1 2>&1)"
check "dbus-send Set of Current (a struct) with a string: InvalidArgs" \
        "Error $INVALID_ARGS: Incorrect parameters for property 'Current', expected '((tso)y(i(so))asa{si}aad)', got 's'." \
        "$(dbus-send "${S[@]}" org.freedesktop.DBus.Properties.Set string:$I string:Current variant:string:wrong 2>&1)"
check "dbus-send Set of Level (int16) with an int32: InvalidArgs" \
        "Error $INVALID_ARGS: Incorrect parameters for property 'Level', expected 'n', got 'i'." \
        "$(dbus-send "${S[@]}" org.freedesktop.DBus.Properties.Set string:$I string:Level variant:int32:1 2>&1)"

# introspection shows the wire signature of every composite argument
intro=$(gdbus introspect --session --xml "${D[@]}" 2>&1)
check "introspection: EchoDicts, a{oa{sv}} among its arguments" '  <method name="EchoDicts">
   <arg type="a{uas}" name="lists" direction="in"/>
   <arg type="a{oa{sv}}" name="objects" direction="in"/>
   <arg type="a{sv}" name="options" direction="in"/>
   <arg type="a{sa{si}}" name="nested" direction="in"/>
   <arg type="a{uas}" name="out_lists" direction="out"/>
   <arg type="a{oa{sv}}" name="out_objects" direction="out"/>
   <arg type="a{sv}" name="out_options" direction="out"/>
   <arg type="a{sa{si}}" name="out_nested" direction="out"/>
  </method>' "$(xml_element '<method name="EchoDicts">' <<<"$intro")"
check "introspection: EchoStructs, an a(ias) result among its arguments" '  <method name="EchoStructs">
   <arg type="(tso)" name="header" direction="in"/>
   <arg type="((tso)y(i(so))asa{si}aad)" name="record" direction="in"/>
   <arg type="(i(so))" name="anon" direction="in"/>
   <arg type="a(ias)" name="items" direction="in"/>
   <arg type="a((tso)y(i(so))asa{si}aad)" name="records" direction="in"/>
   <arg type="(tso)" name="out_header" direction="out"/>
   <arg type="((tso)y(i(so))asa{si}aad)" name="out_record" direction="out"/>
   <arg type="(i(so))" name="out_anon" direction="out"/>
   <arg type="a(ias)" name="out_items" direction="out"/>
   <arg type="a((tso)y(i(so))asa{si}aad)" name="out_records" direction="out"/>
  </method>' "$(xml_element '<method name="EchoStructs">' <<<"$intro")"
check "introspection: EchoFds, a struct with an fd among its arguments" '  <method name="EchoFds">
   <arg type="h" name="handle" direction="in"/>
   <arg type="ah" name="handles" direction="in"/>
   <arg type="a{sh}" name="named" direction="in"/>
   <arg type="(sh)" name="file" direction="in"/>
   <arg type="h" name="out_handle" direction="out"/>
   <arg type="ah" name="out_handles" direction="out"/>
   <arg type="a{sh}" name="out_named" direction="out"/>
   <arg type="(sh)" name="out_file" direction="out"/>
  </method>' "$(xml_element '<method name="EchoFds">' <<<"$intro")"
check "introspection: the fd signal" '  <signal name="FdsEchoed">
   <arg type="h" name="handle"/>
   <arg type="(sh)" name="file"/>
  </signal>' "$(xml_element '<signal name="FdsEchoed">' <<<"$intro")"
check "introspection: the struct property" '  <property name="Current" type="((tso)y(i(so))asa{si}aad)" access="readwrite">
  </property>' "$(xml_element '<property name="Current"' <<<"$intro")"
check "introspection: the fd property" '  <property name="Handle" type="h" access="readwrite">
  </property>' "$(xml_element '<property name="Handle"' <<<"$intro")"

# the service survived everything above
check "service still running" "ynuu 1 1 0 0" "$(busctl --user call "${B[@]}" EchoEnums ynuu 1 1 0 0 2>&1)"
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/calculator.sh — the calculator service against its generated client, gdbus, busctl, dbus-send and python3-dbus
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus busctl dbus-send /usr/bin/python3
start_private_bus
ex=$top_builddir/examples/calculator
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$ex/calculator-service"
wait_name org.example.Calculator1 || exit 1

D=(-d org.example.Calculator1 -o /org/example/Calculator1)
B=(org.example.Calculator1 /org/example/Calculator1 org.example.Calculator1)

# the generated proxy against the generated skeleton: every method, signal, property and error
check_status "calculator-client: every member through the generated proxy" $DBIDL_RUN "$ex/calculator-client"

# gdbus (GLib)
check "gdbus Add" "(5,)" "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Add 2 3 2>&1)"
check "gdbus Divide" "(0.25,)" "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Divide 1.0 4.0 2>&1)"
check "gdbus Divide by zero: error name" "org.example.Calculator1.Error.DivisionByZero" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Divide 1.0 0.0 2>&1)"
check "gdbus Add overflow: error name" "org.example.Calculator1.Error.Overflow" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Add 2147483647 1 2>&1)"
check "gdbus Sum" "(6.5,)" "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Sum '[1.0, 2.5, 3.0]' 2>&1)"
check "gdbus Concat" "('a-b-c',)" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Concat "['a', 'b', 'c']" '-' 2>&1)"
check "wrong argument types: InvalidArgs" "org.freedesktop.DBus.Error.InvalidArgs" \
        "$(dbus-send --session --print-reply --dest=org.example.Calculator1 /org/example/Calculator1 \
                org.example.Calculator1.Add string:x 2>&1)"
intro=$(gdbus introspect --session --xml "${D[@]}" 2>&1)
check "introspection: Add's argument names" '<arg type="i" name="a" direction="in"/>' "$intro"
check "introspection: Add's result name" '<arg type="i" name="sum" direction="out"/>' "$intro"
check "introspection: Concat's array argument" '<arg type="as" name="parts" direction="in"/>' "$intro"
check "introspection: Overflow signal arguments" '<arg type="i" name="b"/>' "$intro"
check "introspection: Reset is NoReply" 'org.freedesktop.DBus.Method.NoReply' "$intro"
check "introspection: Precision is readwrite" '<property name="Precision" type="u" access="readwrite">' "$intro"
check "introspection: LastResult is read" '<property name="LastResult" type="d" access="read">' "$intro"

# busctl (systemd)
check "busctl Add" "i 42" "$(busctl --user call "${B[@]}" Add ii 40 2 2>&1)"
check "busctl get Precision (default 6)" "u 6" "$(busctl --user get-property "${B[@]}" Precision 2>&1)"
check_status "busctl set Precision 4" busctl --user set-property "${B[@]}" Precision u 4
check "busctl Precision read back" "u 4" "$(busctl --user get-property "${B[@]}" Precision 2>&1)"
check "Set of readonly LastResult: PropertyReadOnly" "org.freedesktop.DBus.Error.PropertyReadOnly" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set org.example.Calculator1 \
                LastResult '<1.0>' 2>&1)"
check_status "busctl set Precision back to 6" busctl --user set-property "${B[@]}" Precision u 6
check "busctl introspect lists Sum" ".Sum" "$(busctl --user introspect "${B[@]}" 2>&1)"

# dbus-send (libdbus reference tools)
check "dbus-send Sum" "double 6" "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Sum array:double:1,2,3 2>&1)"
check "dbus-send Concat" 'string "x+y"' "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Concat array:string:x,y string:+ 2>&1)"
check "dbus-send GetAll" 'string "LastResult"' "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.freedesktop.DBus.Properties.GetAll string:org.example.Calculator1 2>&1)"
check_status "dbus-send Reset (no reply expected)" dbus-send --session --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Reset

# python3-dbus: replies, errors, Get/Set/GetAll, PropertiesChanged, signals
check_status "python3-dbus client" /usr/bin/python3 "$top_srcdir/tests/integration/calculator.py"

# the service survived everything above
check "service still running" "i 3" "$(busctl --user call "${B[@]}" Add ii 1 2 2>&1)"
finish

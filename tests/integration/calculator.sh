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
check "gdbus Divide by zero: error name and message" \
        "Error: GDBus.Error:org.example.Calculator1.Error.DivisionByZero: cannot divide 1 by zero" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Divide 1.0 0.0 2>&1)"
check "gdbus Add overflow: error name and message" \
        "Error: GDBus.Error:org.example.Calculator1.Error.Overflow: 2147483647 + 1 does not fit in int32" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Add 2147483647 1 2>&1)"
check "gdbus Sum" "(6.5,)" "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Sum '[1.0, 2.5, 3.0]' 2>&1)"
check "gdbus Concat" "('a-b-c',)" \
        "$(gdbus call --session "${D[@]}" -m org.example.Calculator1.Concat "['a', 'b', 'c']" '-' 2>&1)"
check "wrong argument types: InvalidArgs" \
        "Error org.freedesktop.DBus.Error.InvalidArgs: Invalid arguments 's' to call org.example.Calculator1.Add(), expecting 'ii'." \
        "$(dbus-send --session --print-reply --dest=org.example.Calculator1 /org/example/Calculator1 \
                org.example.Calculator1.Add string:x 2>&1)"
intro=$(gdbus introspect --session --xml "${D[@]}" 2>&1)
check "introspection: Add's argument and result names" '  <method name="Add">
   <arg type="i" name="a" direction="in"/>
   <arg type="i" name="b" direction="in"/>
   <arg type="i" name="sum" direction="out"/>
  </method>' "$(xml_element '<method name="Add">' <<<"$intro")"
check "introspection: Concat's array argument" '  <method name="Concat">
   <arg type="as" name="parts" direction="in"/>
   <arg type="s" name="separator" direction="in"/>
   <arg type="s" name="joined" direction="out"/>
  </method>' "$(xml_element '<method name="Concat">' <<<"$intro")"
check "introspection: Overflow signal arguments" '  <signal name="Overflow">
   <arg type="i" name="a"/>
   <arg type="i" name="b"/>
  </signal>' "$(xml_element '<signal name="Overflow">' <<<"$intro")"
check "introspection: Reset is NoReply" '  <method name="Reset">
   <annotation name="org.freedesktop.DBus.Method.NoReply" value="true"/>
  </method>' "$(xml_element '<method name="Reset">' <<<"$intro")"
check "introspection: Precision is readwrite" '  <property name="Precision" type="u" access="readwrite">
  </property>' "$(xml_element '<property name="Precision"' <<<"$intro")"
check "introspection: LastResult is read" '  <property name="LastResult" type="d" access="read">
  </property>' "$(xml_element '<property name="LastResult"' <<<"$intro")"
check "introspection: the whole interface, in IDL order" ' <interface name="org.example.Calculator1">
  <method name="Add">
   <arg type="i" name="a" direction="in"/>
   <arg type="i" name="b" direction="in"/>
   <arg type="i" name="sum" direction="out"/>
  </method>
  <method name="Divide">
   <arg type="d" name="a" direction="in"/>
   <arg type="d" name="b" direction="in"/>
   <arg type="d" name="quotient" direction="out"/>
  </method>
  <method name="Sum">
   <arg type="ad" name="values" direction="in"/>
   <arg type="d" name="total" direction="out"/>
  </method>
  <method name="Concat">
   <arg type="as" name="parts" direction="in"/>
   <arg type="s" name="separator" direction="in"/>
   <arg type="s" name="joined" direction="out"/>
  </method>
  <method name="Reset">
   <annotation name="org.freedesktop.DBus.Method.NoReply" value="true"/>
  </method>
  <signal name="Overflow">
   <arg type="i" name="a"/>
   <arg type="i" name="b"/>
  </signal>
  <property name="Precision" type="u" access="readwrite">
  </property>
  <property name="LastResult" type="d" access="read">
  </property>
 </interface>' "$(xml_element '<interface name="org.example.Calculator1">' <<<"$intro")"

# busctl (systemd)
check "busctl Add" "i 42" "$(busctl --user call "${B[@]}" Add ii 40 2 2>&1)"
check "busctl get Precision (default 6)" "u 6" "$(busctl --user get-property "${B[@]}" Precision 2>&1)"
check_status "busctl set Precision 4" busctl --user set-property "${B[@]}" Precision u 4
check "busctl Precision read back" "u 4" "$(busctl --user get-property "${B[@]}" Precision 2>&1)"
check "Set of readonly LastResult: PropertyReadOnly" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.PropertyReadOnly: Property 'LastResult' is not writable." \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set org.example.Calculator1 \
                LastResult '<1.0>' 2>&1)"
check_status "busctl set Precision back to 6" busctl --user set-property "${B[@]}" Precision u 6
check "busctl introspect: every member, LastResult 42 from Add" \
        "NAME                    TYPE      SIGNATURE RESULT/VALUE FLAGS
.Add                    method    ii        i            -
.Concat                 method    ass       s            -
.Divide                 method    dd        d            -
.Reset                  method    -         -            no-reply
.Sum                    method    ad        d            -
.LastResult             property  d         42           emits-change
.Precision              property  u         6            emits-change writable
.Overflow               signal    ii        -            -" "$(busctl --user introspect "${B[@]}" 2>&1)"

# dbus-send (libdbus reference tools)
R="method return time=… sender=… -> destination=… serial=… reply_serial=…"
check "dbus-send Sum" "$R
   double 6" "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Sum array:double:1,2,3 2>&1 | mask_dbus_send)"
check "dbus-send Concat" "$R
   string \"x+y\"" "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Concat array:string:x,y string:+ 2>&1 | mask_dbus_send)"
check "dbus-send GetAll" "$R"'
   array [
      dict entry(
         string "Precision"
         variant             uint32 6
      )
      dict entry(
         string "LastResult"
         variant             double 6
      )
   ]' "$(dbus-send --session --print-reply --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.freedesktop.DBus.Properties.GetAll string:org.example.Calculator1 2>&1 |
        mask_dbus_send)"
check_status "dbus-send Reset (no reply expected)" dbus-send --session --dest=org.example.Calculator1 \
        /org/example/Calculator1 org.example.Calculator1.Reset

# python3-dbus: replies, errors, Get/Set/GetAll, PropertiesChanged, signals
check_status "python3-dbus client" /usr/bin/python3 "$top_srcdir/tests/integration/calculator.py"

# the service survived everything above
check "service still running" "i 3" "$(busctl --user call "${B[@]}" Add ii 1 2 2>&1)"
finish

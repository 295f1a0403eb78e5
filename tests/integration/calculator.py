# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/calculator.py — python3-dbus drives the calculator service: calls, errors, properties, signals
import sys

import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
obj = bus.get_object("org.example.Calculator1", "/org/example/Calculator1")
calc = dbus.Interface(obj, "org.example.Calculator1")
props = dbus.Interface(obj, "org.freedesktop.DBus.Properties")
failures = 0
checks = 0


def check(what, ok, detail=""):
    global failures, checks
    checks += 1
    print(("ok %d - %s" % (checks, what)) if ok else ("not ok %d - %s %s" % (checks, what, detail)))
    if not ok:
        failures += 1


check("Add", calc.Add(7, 8) == 15)
check("Add types", isinstance(calc.Add(1, 1), dbus.Int32))
check("Divide", calc.Divide(9.0, 3.0) == 3.0)
check("Sum", calc.Sum(dbus.Array([0.5, 0.25], signature="d")) == 0.75)
check("Sum of nothing", calc.Sum(dbus.Array([], signature="d")) == 0.0)
check("Concat", calc.Concat(["one", "two"], ", ") == "one, two")
check("Concat of nothing", calc.Concat(dbus.Array([], signature="s"), "x") == "")
for name, call in (("DivisionByZero", lambda: calc.Divide(1.0, 0.0)),
                   ("Overflow", lambda: calc.Add(-2147483648, -1))):
    try:
        call()
        check("%s raised" % name, False, "no error")
    except dbus.DBusException as e:
        check("%s raised" % name, e.get_dbus_name() == "org.example.Calculator1.Error." + name, e.get_dbus_name())

check("Get Precision", props.Get("org.example.Calculator1", "Precision") == 6)
props.Set("org.example.Calculator1", "Precision", dbus.UInt32(9))
check("Set Precision", props.Get("org.example.Calculator1", "Precision") == 9)
try:
    props.Set("org.example.Calculator1", "Precision", dbus.UInt32(1000))
    check("Set Precision 1000 refused", False)
except dbus.DBusException as e:
    check("Set Precision 1000 refused", e.get_dbus_name() == "org.freedesktop.DBus.Error.InvalidArgs", e.get_dbus_name())
props.Set("org.example.Calculator1", "Precision", dbus.UInt32(6))
all_props = props.GetAll("org.example.Calculator1")
check("GetAll", set(all_props.keys()) == {"Precision", "LastResult"}, repr(all_props))

# PropertiesChanged after a call, and the Overflow signal
changes = []
overflows = []
loop = GLib.MainLoop()
bus.add_signal_receiver(lambda iface, changed, invalidated: changes.append((iface, dict(changed))),
                        signal_name="PropertiesChanged", dbus_interface="org.freedesktop.DBus.Properties",
                        path="/org/example/Calculator1")
bus.add_signal_receiver(lambda a, b: overflows.append((int(a), int(b))), signal_name="Overflow",
                        dbus_interface="org.example.Calculator1", path="/org/example/Calculator1")


def after_calls():
    calc.Add(100, 23)
    try:
        calc.Add(2147483647, 2147483647)
    except dbus.DBusException:
        pass
    GLib.timeout_add(2000, loop.quit)
    return False


GLib.idle_add(after_calls)
GLib.timeout_add(8000, loop.quit)
loop.run()
check("PropertiesChanged LastResult=123",
      ("org.example.Calculator1", {"LastResult": 123.0}) in changes, repr(changes))
check("Overflow signal", (2147483647, 2147483647) in overflows, repr(overflows))
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)

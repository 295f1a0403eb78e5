# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/types-echo.py — python3-dbus sends every type to the types service and checks the echo
# (not named types.py: in this directory that would shadow the standard module "types" for every script here)
import os
import sys

import math
import tempfile

import dbus
import dbus.types
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.dbidl.Types1"
PATH = "/org/dbidl/Types1"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"

DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
obj = bus.get_object(NAME, PATH)
types = dbus.Interface(obj, NAME)
props = dbus.Interface(obj, "org.freedesktop.DBus.Properties")
failures = 0
checks = 0


def check(what, ok, detail=""):
    global failures, checks
    checks += 1
    print(("ok %d - %s" % (checks, what)) if ok else ("not ok %d - %s %s" % (checks, what, detail)))
    if not ok:
        failures += 1


def same(a, b):
    """Deep equality of plain Python values, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def plain(v):
    """dbus-python values as plain Python values."""
    if isinstance(v, (dbus.Array, list)):
        return [plain(x) for x in v]
    if isinstance(v, (dbus.Struct, tuple)):
        return tuple(plain(x) for x in v)
    if isinstance(v, (dbus.Dictionary, dict)):
        return {plain(k): plain(x) for k, x in v.items()}
    if isinstance(v, dbus.Boolean):
        return bool(v)
    if isinstance(v, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32, dbus.Int64, dbus.UInt64)):
        return int(v)
    if isinstance(v, dbus.Double):
        return float(v)
    if isinstance(v, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(v)
    return v


def expect_error(what, name, fragment, call):
    try:
        call()
        check(what, False, "no error")
    except dbus.DBusException as e:
        msg = e.get_dbus_message() or ""
        check(what, e.get_dbus_name() == name and fragment in msg, "%s: %s" % (e.get_dbus_name(), msg))


# basics, with edge values
for args in (
    (dbus.Byte(255), True, dbus.Int16(-32768), dbus.UInt16(65535), dbus.Int32(-2**31), dbus.UInt32(2**32 - 1),
     dbus.Int64(-2**63), dbus.UInt64(2**64 - 1), dbus.Double(float("nan")), "", dbus.ObjectPath("/"),
     dbus.Signature("")),
    (dbus.Byte(0), False, dbus.Int16(32767), dbus.UInt16(0), dbus.Int32(2**31 - 1), dbus.UInt32(0),
     dbus.Int64(2**63 - 1), dbus.UInt64(0), dbus.Double(-0.0), "h\u00e9llo \u2713", dbus.ObjectPath("/a/b_c"),
     dbus.Signature("a{sv}(iab)")),
):
    out = types.EchoBasics(*args)
    check("EchoBasics %r" % (plain(args[6]),), same(plain(list(out)), plain(list(args))), repr(out))
out = types.EchoBasics(*(dbus.Byte(1), True, dbus.Int16(0), dbus.UInt16(0), dbus.Int32(0), dbus.UInt32(0),
                         dbus.Int64(0), dbus.UInt64(2**64 - 1), dbus.Double(float("nan")), "", dbus.ObjectPath("/"),
                         dbus.Signature("")))
check("EchoBasics: NaN is NaN", math.isnan(out[8]), repr(out[8]))
check("EchoBasics: uint64 max", out[7] == 2**64 - 1 and isinstance(out[7], dbus.UInt64), repr(out[7]))

# variants
for v in (dbus.Int64(-2**63), dbus.UInt64(2**64 - 1), dbus.String(""), dbus.ObjectPath("/x"),
          dbus.Array([], signature="s"), dbus.Array([dbus.Int32(1), dbus.Int32(2)], signature="i"),
          dbus.Dictionary({"k": dbus.Int32(1), "inner": dbus.Dictionary({}, signature="sv")}, signature="sv"),
          dbus.Struct((dbus.Int32(1), "two", dbus.Array([], signature="d")), signature="isad"),
          dbus.Dictionary({dbus.UInt32(7): dbus.Array(["x"], signature="s")}, signature="uas")):
    out = types.EchoVariant(v)
    check("EchoVariant %s" % type(v).__name__, same(plain(out), plain(v)) and type(out) is type(v), repr(out))

# arrays
for ai, ay, as_, ab, aad in (([], [], [], [], []),
                             ([-2**31, 0, 2**31 - 1], [0, 255], ["", "x"], [True, False], [[1.5, 2.5], []])):
    out = types.EchoArrays(dbus.Array(ai, signature="i"), dbus.Array([dbus.Byte(b) for b in ay], signature="y"),
                           dbus.Array(as_, signature="s"), dbus.Array(ab, signature="b"),
                           dbus.Array([dbus.Array(r, signature="d") for r in aad], signature="ad"))
    check("EchoArrays %r" % (ai,), same(plain(list(out)), [ai, ay, as_, ab, aad]), repr(out))

# dicts, including nested empty ones
for lists, objects, options, nested in (
    ({}, {}, {}, {}),
    ({7: ["x", "y"], 0: [], 2**32 - 1: [""]},
     {"/a": {"k": dbus.Int32(1)}, "/b": {}},
     {"s": "v", "i": dbus.Int32(-1), "d": dbus.Dictionary({}, signature="sv")},
     {"outer": {"a": 1, "min": -2**31}, "empty": {}}),
):
    out = types.EchoDicts(
        dbus.Dictionary({dbus.UInt32(k): dbus.Array(v, signature="s") for k, v in lists.items()}, signature="uas"),
        dbus.Dictionary({dbus.ObjectPath(k): dbus.Dictionary(v, signature="sv") for k, v in objects.items()},
                        signature="oa{sv}"),
        dbus.Dictionary(options, signature="sv"),
        dbus.Dictionary({k: dbus.Dictionary(v, signature="si") for k, v in nested.items()}, signature="sa{si}"))
    check("EchoDicts of %d lists" % len(lists),
          same(plain(list(out)), [lists, plain(objects), plain(options), nested]), repr(out))

# structs: file-level, interface-level, anonymous, nested, arrays of them
header = (dbus.UInt64(2**64 - 1), "label", dbus.ObjectPath("/p"))
record = (header, dbus.Byte(255), (dbus.Int32(-1), ("where", dbus.ObjectPath("/w"))), ["a", ""],
          dbus.Dictionary({"max": dbus.Int32(2**31 - 1)}, signature="si"),
          dbus.Array([dbus.Array([float("nan")], signature="d"), dbus.Array([], signature="d")], signature="ad"))
empty_record = ((dbus.UInt64(0), "", dbus.ObjectPath("/")), dbus.Byte(1), (dbus.Int32(0), ("", dbus.ObjectPath("/"))),
                dbus.Array([], signature="s"), dbus.Dictionary({}, signature="si"), dbus.Array([], signature="ad"))
anon = (dbus.Int32(5), ("s", dbus.ObjectPath("/o")))
for items, records in (([], []), ([(dbus.Int32(1), ["x"]), (dbus.Int32(2), dbus.Array([], signature="s"))],
                                  [record, empty_record])):
    args = (header, record, anon, dbus.Array(items, signature="(ias)"),
            dbus.Array(records, signature="((tso)y(i(so))asa{si}aad)"))
    out = types.EchoStructs(*args)
    check("EchoStructs with %d records" % len(records), same(plain(list(out)), plain(list(args))), repr(out))

# enums: every backing; flags keep undeclared bits; undeclared enum values are refused
for color, level, mode, caps in ((1, -1, 0, 0), (2, 32767, 7, 0x80000001), (255, 1, 1, 0xffffffff)):
    out = types.EchoEnums(dbus.Byte(color), dbus.Int16(level), dbus.UInt32(mode), dbus.UInt32(caps))
    check("EchoEnums (%d, %d, %d, 0x%x)" % (color, level, mode, caps),
          plain(list(out)) == [color, level, mode, caps], repr(out))
expect_error("EchoEnums: undeclared Color 9 is InvalidArgs naming 'color'", INVALID_ARGS, "'color'",
             lambda: types.EchoEnums(dbus.Byte(9), dbus.Int16(0), dbus.UInt32(0), dbus.UInt32(0)))
expect_error("EchoEnums: undeclared Level 2 is InvalidArgs naming 'level'", INVALID_ARGS, "'level'",
             lambda: types.EchoEnums(dbus.Byte(1), dbus.Int16(2), dbus.UInt32(0), dbus.UInt32(0)))
expect_error("EchoEnums: undeclared Mode 2 is InvalidArgs naming 'mode'", INVALID_ARGS, "'mode'",
             lambda: types.EchoEnums(dbus.Byte(1), dbus.Int16(0), dbus.UInt32(2), dbus.UInt32(0)))
expect_error("EchoEnums with the wrong signature is InvalidArgs", INVALID_ARGS, "",
             lambda: types.EchoEnums("a", "b", "c", "d", signature="ssss"))

# fds: alone, in an array, in a dict, in a struct; each comes back as the same file
with tempfile.TemporaryFile() as f:
    f.write(b"dbidl types\n")
    f.flush()
    fd = f.fileno()
    ino = os.fstat(fd).st_ino
    null = os.open("/dev/null", os.O_RDONLY)
    null_ino = os.fstat(null).st_ino
    out = types.EchoFds(dbus.types.UnixFd(fd), dbus.Array([dbus.types.UnixFd(fd), dbus.types.UnixFd(null)],
                                                          signature="h"),
                        dbus.Dictionary({"tmp": dbus.types.UnixFd(fd)}, signature="sh"),
                        dbus.Struct(("file", dbus.types.UnixFd(fd)), signature="sh"))
    received = []

    def take(u):
        n = u.take()
        received.append(n)
        return n

    h = take(out[0])
    check("EchoFds: fd is the same file", os.fstat(h).st_ino == ino and isinstance(out[0], dbus.types.UnixFd))
    check("EchoFds: fd[] holds the same files", [os.fstat(take(u)).st_ino for u in out[1]] == [ino, null_ino])
    check("EchoFds: dict<string, fd>", list(out[2].keys()) == ["tmp"] and os.fstat(take(out[2]["tmp"])).st_ino == ino)
    check("EchoFds: struct FileRef", out[3][0] == "file" and os.fstat(take(out[3][1])).st_ino == ino)
    check("EchoFds: the echoed fd reads the file", os.pread(h, 64, 0) == b"dbidl types\n")
    for n in received:
        os.close(n)

    # properties of composite types read back what was set
    props.Set(NAME, "Current", dbus.Struct(record, signature="(tso)y(i(so))asa{si}aad"))
    check("Set/Get Current (a struct)", same(plain(props.Get(NAME, "Current")), plain(record)))
    lists = dbus.Dictionary({dbus.UInt32(3): dbus.Array(["p", "q"], signature="s")}, signature="uas")
    props.Set(NAME, "Lists", lists)
    check("Set/Get Lists (a dict)", plain(props.Get(NAME, "Lists")) == {3: ["p", "q"]})
    props.Set(NAME, "Level", dbus.Int16(32767))
    check("Set/Get Level (an enum)", props.Get(NAME, "Level") == 32767)
    expect_error("Set Level to an undeclared value is InvalidArgs", INVALID_ARGS, "",
                 lambda: props.Set(NAME, "Level", dbus.Int16(3)))
    check("Level unchanged after the refused Set", props.Get(NAME, "Level") == 32767)
    props.Set(NAME, "Caps", dbus.UInt32(0x80000004))
    check("Set/Get Caps (flags, an undeclared bit kept)", props.Get(NAME, "Caps") == 0x80000004)
    props.Set(NAME, "Handle", dbus.types.UnixFd(fd))
    got = props.Get(NAME, "Handle")
    n = got.take()
    check("Set/Get Handle (an fd): the same file", os.fstat(n).st_ino == ino)
    os.close(n)
    props.Set(NAME, "Handle", dbus.types.UnixFd(null))
    props.Set(NAME, "Level", dbus.Int16(0))
    props.Set(NAME, "Caps", dbus.UInt32(1))
    os.close(null)
all_props = props.GetAll(NAME)
check("GetAll", set(all_props.keys()) == {"Current", "Lists", "Level", "Caps", "Handle"}, repr(all_props.keys()))

# signals carry the same types
got = {}
loop = GLib.MainLoop()
bus.add_signal_receiver(lambda *a: got.setdefault("enums", plain(list(a))), signal_name="EnumsEchoed",
                        dbus_interface=NAME, path=PATH)
bus.add_signal_receiver(lambda *a: got.setdefault("dicts", plain(list(a))), signal_name="DictsEchoed",
                        dbus_interface=NAME, path=PATH)


def send():
    types.EchoEnums(dbus.Byte(2), dbus.Int16(-1), dbus.UInt32(7), dbus.UInt32(0x40000000))
    types.EchoDicts(dbus.Dictionary({dbus.UInt32(1): ["a"]}, signature="uas"),
                    dbus.Dictionary({"/x": dbus.Dictionary({}, signature="sv")}, signature="oa{sv}"),
                    dbus.Dictionary({}, signature="sv"),
                    dbus.Dictionary({"e": dbus.Dictionary({}, signature="si")}, signature="sa{si}"))
    GLib.timeout_add(1000, loop.quit)
    return False


GLib.idle_add(send)
GLib.timeout_add(8000, loop.quit)
loop.run()
check("signal EnumsEchoed", got.get("enums") == [2, -1, 7, 0x40000000], repr(got.get("enums")))
check("signal DictsEchoed", got.get("dicts") == [{1: ["a"]}, {"/x": {}}, {"e": {}}], repr(got.get("dicts")))

print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)

#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/hostile.py — hostile calls generated from the JSON form of an IDL (dbidlc --emit=json) to a service
"""Usage: hostile.py [--list] JSON NAME INTERFACE=PATH…

Reads the checked syntax tree JSON (docs/json-schema.md) and sends the service
that owns NAME on the session bus, for every interface of the file (each at the
PATH given for it: every interface needs one), calls no client should send:

  too-few, too-many       one argument less (the last one left out), one more (a string)
  wrong-type              for each argument, a value of another type: the nearest
                          one, same size on the wire where there is one (int32 for
                          uint32, object path for string, an array of those, a struct
                          whose first member is such)
  in-struct, in-variant   all arguments wrapped in a struct, in a variant
  bad-enum                for each enum inside an argument (in structs, arrays and
                          dictionaries too), a value the enum does not declare
  flags-bits              for each flags inside an argument, a bit no value declares
  set-readonly            Properties.Set of each readonly property, with a value of its type
  set-wrong-type          Set of each writable property with a variant of another type
  set-unwrapped           Set of each writable property with the value itself, not in a variant
  set-bad-enum            Set of each writable property holding an enum, with an undeclared value
  set-flags-bits          Set of each writable property holding flags, with an undeclared bit
  get-unknown, set-unknown                  Get and Set of a property no interface declares
  unknown-method          a method the interface does not declare
  unknown-interface       every method, right arguments, under an interface nobody exports
  no-interface            every method, right arguments, without an interface
  unknown-object          every method and GetAll, right arguments, below the interface's path
  get-unknown-interface, getall-unknown-interface   Get and GetAll of an unknown interface

The calls go in 6 batches (signatures, enums, property writes, unknown
members, unknown interfaces, unknown objects); after each batch, and at once
after an answer that says the service is gone, the service must still own
NAME with the same unique name and answer org.freedesktop.DBus.Peer.Ping at
every PATH; if it does not, no more calls are sent.  Prints one line per kind that had cases, "KIND: COUNT ERROR, …"
with the error names got (org.freedesktop.DBus.Error. left out; "(reply)" for
a call that was answered), sorted, then one line for every case that got
another answer than EXPECTED below says, and a last line with the totals.
--list prints every case first.  Exits 0 when every case got its expected
answer and the service stayed up, 1 if not, 2 on a usage error.
"""

import collections
import os
import sys

import dbus

ERR = "org.freedesktop.DBus.Error."
REPLY = "(reply)"
NO_SUCH_INTERFACE = "org.dbidl.NoSuchInterface"
NO_SUCH_MEMBER = "NoSuchMember"
NO_SUCH_OBJECT = "NoSuchObject"
PROPERTIES = "org.freedesktop.DBus.Properties"
TIMEOUT = 25.0
# the answers of a service that is gone (or hangs): after one, the service is checked at once, and if it is gone no
# more calls are sent
GONE = (ERR + "NoReply", ERR + "ServiceUnknown", ERR + "Disconnected", ERR + "NameHasNoOwner")

# What each kind of case must get, and why.
EXPECTED = {
        # sd-bus compares the call's signature with the vtable's before anything of ours runs
        # (method_callbacks_run() in systemd's bus-objects.c: "Invalid arguments '…' to call …, expecting '…'")
        "too-few": ERR + "InvalidArgs",
        "too-many": ERR + "InvalidArgs",
        "wrong-type": ERR + "InvalidArgs",
        "in-struct": ERR + "InvalidArgs",
        "in-variant": ERR + "InvalidArgs",
        # the signature is right; the generated reader refuses the value (-EDOM), and dbidl_object_method()
        # answers InvalidArgs naming the argument, before the handler runs
        "bad-enum": ERR + "InvalidArgs",
        # flags pass unknown bits through unchanged (codegen/types.c, docs/idl.md): the handler gets the call
        "flags-bits": REPLY,
        # sd-bus, before our setter: "Property '…' is not writable."
        "set-readonly": ERR + "PropertyReadOnly",
        # sd-bus checks the variant's contents against the property's signature: "Incorrect parameters for property"
        "set-wrong-type": ERR + "InvalidArgs",
        # Set's own signature is not "ssv": sd-bus answers InvalidSignature ("Incorrect signature when setting
        # property"), the one error of this list that names the signature rather than the arguments
        "set-unwrapped": ERR + "InvalidSignature",
        # dbidl_object_property_set(): the generated reader refuses the value, dbidl_object_invalid_property()
        "set-bad-enum": ERR + "InvalidArgs",
        "set-flags-bits": REPLY,
        "get-unknown": ERR + "UnknownProperty",
        "set-unknown": ERR + "UnknownProperty",
        "unknown-method": ERR + "UnknownMethod",
        # sd-bus looks a call up by (path, interface, member) at once: at a path it serves, a miss is "Unknown
        # method M or interface I", UnknownMethod, whichever of the two is unknown (GDBus answers UnknownMethod
        # too); UnknownInterface is only GetAll's answer for an interface the object does not have
        "unknown-interface": ERR + "UnknownMethod",
        "get-unknown-interface": ERR + "UnknownProperty",
        "getall-unknown-interface": ERR + "UnknownInterface",
        # a call without an interface field, which the spec allows: sd-bus looks methods up by (path, interface,
        # member) only (object_find_and_run() gives up on a call without an interface before it notes that the
        # object exists), so bus_process_object() answers "Unknown object" for an object it serves.  The spec asks
        # for the call to be delivered when the member is not ambiguous; sd-bus refuses it, with a misleading name
        # (a Go client met it: godbus/dbus#127).  What this checks is that it is refused, and the handler never runs.
        "no-interface": ERR + "UnknownObject",
        "unknown-object": ERR + "UnknownObject",
}

# The messages our runtime writes (runtime/object.c), where it is the one that refuses: the argument or property it
# names tells that the enum check refused the call, and not something else
UNDECLARED = "the value is not one of its enum's declared values"
MESSAGES = {
        "bad-enum": "Invalid value for argument '{argument}' of {member}: " + UNDECLARED,
        "set-bad-enum": "Invalid value for property '{property}': " + UNDECLARED,
}

# One call: KIND (a key of EXPECTED), WHAT it is (for the listing and for failures), where it goes, what it sends, and
# what it must get if not EXPECTED[kind] (expected: an error name or REPLY; message: the whole error message).
Case = collections.namedtuple("Case", "kind what path interface member signature args expected message",
                              defaults=(None, None))

# A type of the same size on the wire where there is one, for wrong-type (for a basic type code).
NEAR = {"y": "n", "b": "u", "n": "q", "q": "n", "i": "u", "u": "i", "x": "t", "t": "x", "d": "x", "s": "o",
        "o": "s", "g": "s", "h": "u", "v": "s"}


def split_signature(sig):
        """The complete types of a signature, in order."""
        types, depth, start = [], 0, 0
        for i, c in enumerate(sig):
                if c in "({":
                        depth += 1
                elif c in ")}":
                        depth -= 1
                if depth == 0 and c != "a":
                        types.append(sig[start:i + 1])
                        start = i + 1
        return types


def near(sig):
        """Another complete type, close to sig: wire-compatible where possible, never sig itself."""
        if sig.startswith("a{"):
                key, value = split_signature(sig[2:-1])
                return "a{" + key + near(value) + "}"
        if sig.startswith("a"):
                return "a" + near(sig[1:])
        if sig.startswith("("):
                members = split_signature(sig[1:-1])
                return "(" + near(members[0]) + "".join(members[1:]) + ")"
        return NEAR[sig]


class Values:
        """Values for the IDL's types, as dbus-python objects that carry their signature."""

        def __init__(self, ast):
                self.decls = {}
                for decl in ast["types"]:
                        self.decls[(None, decl["name"])] = decl
                for imp in ast["imports"]:
                        for decl in imp["types"]:
                                self.decls[(None, decl["name"])] = decl
                for iface in ast["interfaces"]:
                        for decl in iface["types"]:
                                self.decls[(iface["name"], decl["name"])] = decl
                self.devnull = os.open("/dev/null", os.O_RDONLY)

        def decl(self, t):
                return self.decls[(t["scope"], t["name"])]

        def default(self, sig):
                """A value of signature sig: zero, empty, "/"; a variant holds a string."""
                c = sig[0]
                basic = {"y": dbus.Byte, "n": dbus.Int16, "q": dbus.UInt16, "i": dbus.Int32, "u": dbus.UInt32,
                         "x": dbus.Int64, "t": dbus.UInt64}
                if c in basic:
                        return basic[c](0)
                if c == "b":
                        return dbus.Boolean(False)
                if c == "d":
                        return dbus.Double(0.0)
                if c in "sv":
                        return dbus.String("")
                if c == "o":
                        return dbus.ObjectPath("/")
                if c == "g":
                        return dbus.Signature("")
                if c == "h":
                        return dbus.types.UnixFd(self.devnull)
                if sig.startswith("a{"):
                        return dbus.Dictionary({}, signature=sig[2:-1])
                if c == "a":
                        return dbus.Array([], signature=sig[1:])
                inner = sig[1:-1]
                return dbus.Struct([self.default(s) for s in split_signature(inner)], signature=inner)

        def scalar(self, decl, value):
                return self.default(decl["backing_signature"]).__class__(value)

        def valid(self, t):
                """A value of the IDL type t the service accepts: an enum's first declared value, empty containers."""
                if t["kind"] == "named":
                        d = self.decl(t)
                        if d["kind"] in ("enum", "flags"):
                                return self.scalar(d, d["values"][0]["value"] if d["kind"] == "enum" else 0)
                        members = [f["type"] for f in d["fields"]]
                        return dbus.Struct([self.valid(m) for m in members], signature=t["signature"][1:-1])
                if t["kind"] == "struct":
                        return dbus.Struct([self.valid(m) for m in t["members"]], signature=t["signature"][1:-1])
                return self.default(t["signature"])

        def undeclared(self, t):
                """For each enum and flags inside the IDL type t: (kind, where, a valid value of t but for that one)."""
                if t["kind"] == "named":
                        d = self.decl(t)
                        if d["kind"] == "enum":
                                declared = {v["value"] for v in d["values"]}
                                bad = min(n for n in range(len(declared) + 1) if n not in declared)
                                yield "enum", "%s %d" % (d["name"], bad), self.scalar(d, bad)
                                return
                        if d["kind"] == "flags":
                                used = 0
                                for v in d["values"]:
                                        used |= v["value"]
                                bit = 1
                                while used & bit:
                                        bit <<= 1
                                yield "flags", "%s 0x%x" % (d["name"], bit), self.scalar(d, bit)
                                return
                        yield from self.undeclared_members([f["type"] for f in d["fields"]], t["signature"][1:-1],
                                                           [f["name"] for f in d["fields"]])
                elif t["kind"] == "struct":
                        yield from self.undeclared_members(t["members"], t["signature"][1:-1],
                                                           [str(i) for i in range(len(t["members"]))])
                elif t["kind"] == "array":
                        for kind, where, v in self.undeclared(t["element"]):
                                yield kind, "[" + where + "]", dbus.Array([v], signature=t["element"]["signature"])
                elif t["kind"] == "dict":
                        sig = t["key"]["signature"] + t["value"]["signature"]
                        for kind, where, v in self.undeclared(t["key"]):
                                yield kind, "{key " + where + "}", dbus.Dictionary({v: self.valid(t["value"])},
                                                                                   signature=sig)
                        for kind, where, v in self.undeclared(t["value"]):
                                yield kind, "{value " + where + "}", dbus.Dictionary({self.valid(t["key"]): v},
                                                                                     signature=sig)

        def undeclared_members(self, members, inner, names):
                for i, m in enumerate(members):
                        for kind, where, v in self.undeclared(m):
                                values = [self.valid(x) for x in members]
                                values[i] = v
                                yield kind, names[i] + "." + where, dbus.Struct(values, signature=inner)


class Hostile:
        def __init__(self, ast, name, paths, listing):
                self.ast = ast
                self.name = name
                self.paths = paths
                self.listing = listing
                self.values = Values(ast)
                self.bus = dbus.SessionBus()
                self.owner = self.name_owner()
                self.results = {}       # kind -> {error name: count}
                self.unexpected = []
                self.batches = 0
                self.dead = None

        def name_owner(self):
                try:
                        return str(self.bus.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                          "org.freedesktop.DBus", "GetNameOwner", "s", [self.name]))
                except dbus.exceptions.DBusException as e:
                        return "(none: %s)" % e.get_dbus_name()

        def send(self, case):
                """Send one call; count what came back, and keep it if it is not what the case expects.  Returns the
                error name got, or REPLY."""
                expected = case.expected or EXPECTED[case.kind]
                try:
                        self.bus.call_blocking(self.name, case.path, case.interface, case.member, case.signature,
                                               case.args, timeout=TIMEOUT)
                        got, message = REPLY, ""
                except dbus.exceptions.DBusException as e:
                        got, message = e.get_dbus_name(), e.get_dbus_message() or ""
                counts = self.results.setdefault(case.kind, {})
                counts[got] = counts.get(got, 0) + 1
                if self.listing:
                        print("case %s %s: %s(%s) -> %s %s" % (case.kind, case.what, case.member, case.signature,
                                                              short(got), message[:200]))
                if got != expected or (case.message is not None and message != case.message):
                        self.unexpected.append("unexpected: %s %s: sent %s.%s(%s) at %s, expected %s%s, got %s %s"
                                               % (case.kind, case.what, case.interface or "(no interface)",
                                                  case.member, case.signature,
                                                  case.path, short(expected),
                                                  "" if case.message is None else " " + case.message, short(got),
                                                  message[:200]))
                return got

        def alive(self, batch):
                """The service still owns the name, with the same unique name, and answers Ping at every path."""
                owner = self.name_owner()
                if owner != self.owner:
                        self.dead = "after %s: %s is owned by %s, was %s" % (batch, self.name, owner, self.owner)
                        return False
                for path in sorted(set(self.paths.values())):
                        try:
                                self.bus.call_blocking(self.name, path, "org.freedesktop.DBus.Peer", "Ping", "", [],
                                                       timeout=TIMEOUT)
                        except dbus.exceptions.DBusException as e:
                                self.dead = "after %s: Ping at %s: %s" % (batch, path, e.get_dbus_name())
                                return False
                return True

        def interfaces(self):
                for iface in self.ast["interfaces"]:
                        yield iface, self.paths[iface["dbus_name"]]

        def methods(self):
                for iface, path in self.interfaces():
                        for m in iface["methods"]:
                                args = [self.values.valid(a["type"]) for a in m["in"]]
                                sigs = [a["type"]["signature"] for a in m["in"]]
                                yield iface["dbus_name"], path, m, args, sigs

        def properties(self, access):
                for iface, path in self.interfaces():
                        for p in iface["properties"]:
                                if (p["access"] == "readonly") == (access == "readonly"):
                                        yield iface["dbus_name"], path, p

        # ---- the batches: each a generator of Case ----

        def signatures(self):
                for iface, path, m, args, sigs in self.methods():
                        member, sig = m["dbus_name"], m["in_signature"]
                        if args:
                                yield Case("too-few", member, path, iface, member, "".join(sigs[:-1]), args[:-1])
                        yield Case("too-many", member, path, iface, member, sig + "s", args + [dbus.String("extra")])
                        for i, s in enumerate(sigs):
                                wrong = list(args)
                                wrong[i] = self.values.default(near(s))
                                yield Case("wrong-type", "%s %s %s->%s" % (member, m["in"][i]["name"], s, near(s)),
                                           path, iface, member, "".join(sigs[:i]) + near(s) + "".join(sigs[i + 1:]),
                                           wrong)
                        if not args:
                                continue        # no empty struct on D-Bus, and nothing to put in a variant
                        yield Case("in-struct", member, path, iface, member, "(" + sig + ")",
                                   [dbus.Struct(args, signature=sig)])
                        if sig == "v":
                                # a variant in a variant: the method's own signature, a call it takes
                                yield Case("in-variant", member, path, iface, member, "v",
                                           [dbus.String("", variant_level=2)], REPLY)
                        elif len(args) == 1:
                                yield Case("in-variant", member, path, iface, member, "v", args)
                        else:
                                yield Case("in-variant", member, path, iface, member, "v",
                                           [dbus.Struct(args, signature=sig)])

        def enums(self):
                for iface, path, m, args, sigs in self.methods():
                        for i, a in enumerate(m["in"]):
                                for kind, where, v in self.values.undeclared(a["type"]):
                                        bad = list(args)
                                        bad[i] = v
                                        kind = "bad-enum" if kind == "enum" else "flags-bits"
                                        message = MESSAGES.get(kind, "").format(argument=a["name"],
                                                                                member=m["dbus_name"]) or None
                                        yield Case(kind, "%s %s: %s" % (m["dbus_name"], a["name"], where), path,
                                                   iface, m["dbus_name"], m["in_signature"], bad, None, message)

        def property_writes(self):
                for iface, path, p in self.properties("readonly"):
                        yield Case("set-readonly", p["dbus_name"], path, PROPERTIES, "Set", "ssv",
                                   [iface, p["dbus_name"], self.values.valid(p["type"])])
                for iface, path, p in self.properties("writable"):
                        sig = near(p["signature"])
                        yield Case("set-wrong-type", "%s %s->%s" % (p["dbus_name"], p["signature"], sig), path,
                                   PROPERTIES, "Set", "ssv", [iface, p["dbus_name"], self.values.default(sig)])
                for iface, path, p in self.properties("writable"):
                        yield Case("set-unwrapped", p["dbus_name"], path, PROPERTIES, "Set", "ss" + p["signature"],
                                   [iface, p["dbus_name"], self.values.valid(p["type"])])
                for iface, path, p in self.properties("writable"):
                        for kind, where, v in self.values.undeclared(p["type"]):
                                kind = "set-bad-enum" if kind == "enum" else "set-flags-bits"
                                message = MESSAGES.get(kind, "").format(property=p["dbus_name"]) or None
                                yield Case(kind, "%s: %s" % (p["dbus_name"], where), path, PROPERTIES, "Set", "ssv",
                                           [iface, p["dbus_name"], v], None, message)

        def unknown_members(self):
                for iface, path in self.interfaces():
                        name = iface["dbus_name"]
                        yield Case("get-unknown", name, path, PROPERTIES, "Get", "ss", [name, NO_SUCH_MEMBER])
                        yield Case("set-unknown", name, path, PROPERTIES, "Set", "ssv",
                                   [name, NO_SUCH_MEMBER, dbus.String("")])
                        yield Case("unknown-method", name, path, name, NO_SUCH_MEMBER, "", [])

        def unknown_interfaces(self):
                for iface, path, m, args, sigs in self.methods():
                        yield Case("unknown-interface", m["dbus_name"], path, NO_SUCH_INTERFACE, m["dbus_name"],
                                   m["in_signature"], args)
                for iface, path, m, args, sigs in self.methods():
                        yield Case("no-interface", m["dbus_name"], path, None, m["dbus_name"], m["in_signature"], args)
                for path in sorted(set(self.paths.values())):
                        yield Case("get-unknown-interface", path, path, PROPERTIES, "Get", "ss",
                                   [NO_SUCH_INTERFACE, NO_SUCH_MEMBER])
                        yield Case("getall-unknown-interface", path, path, PROPERTIES, "GetAll", "s",
                                   [NO_SUCH_INTERFACE])

        def unknown_objects(self):
                for iface, path, m, args, sigs in self.methods():
                        yield Case("unknown-object", m["dbus_name"], path.rstrip("/") + "/" + NO_SUCH_OBJECT, iface,
                                   m["dbus_name"], m["in_signature"], args)
                for iface, path in self.interfaces():
                        yield Case("unknown-object", "GetAll " + iface["dbus_name"],
                                   path.rstrip("/") + "/" + NO_SUCH_OBJECT, PROPERTIES, "GetAll", "s",
                                   [iface["dbus_name"]])

        def run(self):
                for batch in (self.signatures, self.enums, self.property_writes, self.unknown_members,
                              self.unknown_interfaces, self.unknown_objects):
                        for case in batch():
                                if self.send(case) in GONE and not self.alive("%s %s" % (case.kind, case.what)):
                                        break
                        if self.dead or not self.alive(batch.__name__):
                                break
                        self.batches += 1
                for kind in (k for k in EXPECTED if k in self.results):
                        counts = self.results[kind]
                        print("%s: %s" % (kind, ", ".join("%d %s" % (counts[e], short(e)) for e in sorted(counts))))
                for line in self.unexpected:
                        print(line)
                total = sum(sum(c.values()) for c in self.results.values())
                print("%d calls, %d unexpected answers; %s" % (total, len(self.unexpected), self.dead or
                                                                "the service answered after each of %d batches"
                                                                % self.batches))
                return 0 if not self.unexpected and not self.dead else 1


def short(error):
        return error[len(ERR):] if error.startswith(ERR) else error


def main(argv):
        import json
        listing = len(argv) > 1 and argv[1] == "--list"
        if listing:
                argv = argv[1:]
        if len(argv) < 4 or not all("=" in a for a in argv[3:]):
                print(__doc__, file=sys.stderr)
                return 2
        with open(argv[1]) as f:
                ast = json.load(f)
        if ast.get("format") != "dbidl-ast" or ast.get("version") != 1:
                print("hostile.py: %s is not version 1 of dbidlc's JSON" % argv[1], file=sys.stderr)
                return 2
        paths = dict(a.split("=", 1) for a in argv[3:])
        missing = [i["dbus_name"] for i in ast["interfaces"] if i["dbus_name"] not in paths]
        if missing:
                print("hostile.py: no path given for %s" % ", ".join(missing), file=sys.stderr)
                return 2
        return Hostile(ast, argv[2], paths, listing).run()


if __name__ == "__main__":
        sys.exit(main(sys.argv))

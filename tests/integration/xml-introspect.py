#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/xml-introspect.py — compare dbidlc --emit=xml files with a live object's Introspect XML
"""Usage: xml-introspect.py LIVE.xml GENERATED.xml...

LIVE.xml is what org.freedesktop.DBus.Introspectable.Introspect returned for
one object; each GENERATED.xml is one interface file written by dbidlc
--emit=xml.  Every interface of the live object (apart from the standard
org.freedesktop.DBus.* ones) must have a generated file, and the two must
agree interface by interface, member by member: names, argument names, types
and directions, property types and access, and the annotations sd-bus can
express.  Prints one "ok"/"not ok" line per comparison; exits 1 on a
difference.

Normalised away: attribute and element order, the standard interfaces, child
nodes, and the annotations sd-bus cannot express (org.gtk.GDBus.* such as
DocString, @annotation pass-throughs) or adds on its own
(org.freedesktop.systemd1.*).  sd-bus has no write-only properties: a
generated access="write" must be live access="readwrite" with the
org.freedesktop.systemd1.Explicit annotation.
"""

import sys
import xml.etree.ElementTree as ET

# What sd-bus writes into introspection data from its vtable flags.
EXPRESSIBLE = {
    "org.freedesktop.DBus.Deprecated",
    "org.freedesktop.DBus.Method.NoReply",
    "org.freedesktop.DBus.Property.EmitsChangedSignal",
}

failures = 0
checks = 0


def check(what, expected, got):
    global failures, checks
    checks += 1
    if expected == got:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"not ok - {what}")
        print(f"#   generated: {expected!r}")
        print(f"#   live:      {got!r}")


def annotations(elem):
    return {a.get("name"): a.get("value") for a in elem.findall("annotation") if a.get("name") in EXPRESSIBLE}


def args(elem, signal):
    out = []
    for a in elem.findall("arg"):
        direction = a.get("direction") or ("out" if signal else "in")
        out.append((a.get("name"), a.get("type"), "out" if signal else direction))
    return out


def members(iface, tag):
    return {m.get("name"): m for m in iface.findall(tag)}


def compare(name, gen, live):
    check(f"{name}: interface annotations", annotations(gen), annotations(live))
    for tag in ("method", "signal", "property"):
        g, l = members(gen, tag), members(live, tag)
        check(f"{name}: the {tag} names", sorted(g), sorted(l))
        for m in sorted(set(g) & set(l)):
            what = f"{name}: {tag} {m}"
            ga, la = annotations(g[m]), annotations(l[m])
            if tag == "property":
                gacc, lacc = g[m].get("access"), l[m].get("access")
                if gacc == "write":
                    # sd-bus: a writable property flagged SD_BUS_VTABLE_PROPERTY_EXPLICIT
                    explicit = any(a.get("name") == "org.freedesktop.systemd1.Explicit"
                                   for a in l[m].findall("annotation"))
                    gacc = "readwrite" if explicit else "write (no Explicit annotation live)"
                check(f"{what}: type and access", (g[m].get("type"), gacc), (l[m].get("type"), lacc))
            else:
                check(f"{what}: arguments", args(g[m], tag == "signal"), args(l[m], tag == "signal"))
            check(f"{what}: annotations", ga, la)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    live = ET.parse(sys.argv[1]).getroot()
    generated = {}
    for path in sys.argv[2:]:
        root = ET.parse(path).getroot()
        ifaces = root.findall("interface")
        check(f"{path}: one <interface> in a <node>", (root.tag, 1), ("node", len(ifaces)))
        for i in ifaces:
            generated[i.get("name")] = i
    live_ifaces = {i.get("name"): i for i in live.findall("interface")
                   if not i.get("name", "").startswith("org.freedesktop.DBus.")}
    check("the object's interfaces (without org.freedesktop.DBus.*)", sorted(generated), sorted(live_ifaces))
    for name in sorted(set(generated) & set(live_ifaces)):
        compare(name, generated[name], live_ifaces[name])
    print(f"# {checks - failures} of {checks} comparisons agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/import-live.py — a live service's object tree as one introspection document, the way dbidlc --import-bus walks it
"""Usage: import-live.py DEST [PATH]

Introspects DEST on the session bus at PATH (default /) and at every child
node below it, breadth first, as dbidlc --import-bus does, and prints one
<node> holding every interface found, each once (the first definition), the
standard org.freedesktop.DBus.* interfaces left out.  `dbidlc --import-xml`
of this document must give what `dbidlc --import-bus DEST PATH` gives
(tests/integration/import-live.sh compares them), and it stands in for
--import-bus where that cannot read a service's answer.
"""

import sys
import xml.etree.ElementTree as ET

import dbus

MAX_OBJECTS = 10000


def child_path(parent, child):
        if child.startswith("/"):
                return child
        return parent + child if parent == "/" else parent + "/" + child


def main(argv):
        if len(argv) not in (2, 3):
                print(__doc__, file=sys.stderr)
                return 2
        dest = argv[1]
        queue = [argv[2] if len(argv) == 3 else "/"]
        bus = dbus.SessionBus()
        out = ET.Element("node")
        seen = set()
        head = 0
        while head < len(queue) and head < MAX_OBJECTS:
                path = queue[head]
                head += 1
                xml = bus.call_blocking(dest, path, "org.freedesktop.DBus.Introspectable", "Introspect", "", [])
                root = ET.fromstring(str(xml).encode("utf-8"))
                for iface in root.iter("interface"):
                        name = iface.get("name", "")
                        if name in seen or name.startswith("org.freedesktop.DBus."):
                                continue
                        seen.add(name)
                        out.append(iface)
                if root.tag == "node":
                        queue += [child_path(path, n.get("name")) for n in root.findall("node") if n.get("name")]
        ET.indent(out)
        sys.stdout.write(ET.tostring(out, encoding="unicode") + "\n")
        return 0


if __name__ == "__main__":
        sys.exit(main(sys.argv))

#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/import-xml.py — compare an introspection XML document with what XML → .idl → XML gives back
"""Usage: import-xml.py ORIGINAL.xml DIR

ORIGINAL.xml is an introspection document (a <node>, possibly nested, or a
bare <interface>); DIR holds what `dbidlc --emit=xml` wrote for the .idl that
`dbidlc --import-xml ORIGINAL.xml` gave: one DIR/<interface>.xml per
interface.  Every interface of the original must come back, and nothing
else, with every member (names, kinds), argument (name, signature,
direction), property type and access, documentation and annotation.

Prints one line per difference, "# ORIGINAL: interface: member: what", and
a summary line.  Exit status: 0 without differences, 1 with, 2 for a
document that cannot be read.

The documents are read the way dbidlc's importer reads them (expat events,
in document order), and these normalisations are applied; each is something
the importer or the .idl language does on purpose:

 1. Interfaces are taken from the whole tree, child <node>s included; an
    interface defined twice counts once (the first definition).  The nodes
    themselves, object paths, are not part of an .idl and are not compared.
 2. Members are compared per kind (methods, signals, properties), in
    document order within each kind: an .idl lists methods, then signals,
    then properties.
 3. Argument names: an argument without a name comes back as argN, N its
    position among all the member's arguments; a name used twice in one
    member (an input and an output "value") comes back with "_in" or "_out"
    appended to the later one, and a third time on with a number after that
    ("_in2", "_in3", …).
 4. Directions: a method argument without a direction is "in" (the
    specification's default); signal arguments come back without one (the
    specification allows "out" on them).  A method's inputs and outputs are
    two lists: how the original interleaves them means nothing on the wire,
    and they come back inputs first.
 5. Documentation: an element's documentation is its
    org.gtk.GDBus.DocString annotation, else its DocString.Short (the .idl
    has one doc comment, so DocString.Short comes back as DocString, or
    not at all next to a DocString), else the text of its <doc:doc> element
    (old doc.dtd format), else the XML comment right before it (a comment
    without letters or digits, a ruler, documents nothing).  It comes back
    as one DocString annotation.  Texts are compared with white space runs
    collapsed to one space ("Para one\n\nPara two" equals "Para one Para
    two": doc:para elements become paragraphs, comments keep their line
    breaks), and "*/", which cannot appear inside a doc comment, as "* /".
    An empty DocString is no documentation.
 6. org.freedesktop.DBus.Property.EmitsChangedSignal: what counts is the
    value in effect for each property, its own annotation, else its
    interface's, else "true" (the specification's default, which the .idl
    does not write).  The interface's annotation itself is compared through
    its properties.
 7. A member's org.gtk.GDBus.C.Name comes back snake_cased (DoRename →
    do_rename), as the C name the generated code uses; a value that is not a
    C identifier once snake_cased comes back unchanged.  An interface's comes
    back unchanged: it is kept as an annotation, since dbidl's C prefix is
    the whole interface name (docs/c-api.md).  A member without one may come
    back with "<snake_case name>_method", "_signal" or "_property": the
    importer's way out of two members whose C names collide.
 8. A write-only property comes back with EmitsChangedSignal "false" where
    it said nothing or "true": there is no value it could send.
 9. A property name that is no D-Bus member name but one GDBus serves
    ("disable-printing") comes back unchanged; the .idl has it in
    @dbus_name, under an IDL name of its own, the UpperCamelCase of its
    parts (DisablePrinting, with "_property" appended while the interface
    has it already), from which the C names of normalisation 7 derive.
Every other annotation (Deprecated, Method.NoReply, Since, unknown ones,
empty values included, on arguments too) must come back with the same name
and value.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

DOC_NS = "{http://www.freedesktop.org/dbus/1.0/doc.dtd}"
DOCSTRING = "org.gtk.GDBus.DocString"
DOCSTRING_SHORT = "org.gtk.GDBus.DocString.Short"
EMITS = "org.freedesktop.DBus.Property.EmitsChangedSignal"
C_NAME = "org.gtk.GDBus.C.Name"
MEMBER_KINDS = ("method", "signal", "property")


class Element:
        """An interface, member or argument: attributes, annotations, documentation, children."""

        def __init__(self, kind, attrs):
                self.kind = kind
                self.attrs = dict(attrs)
                self.name = attrs.get("name")
                self.annotations = []           # (name, value) in document order
                self.comment = None             # the XML comment right before it
                self.xmldoc = None              # the text of its <doc:doc>
                self.children = []              # members of an interface, arguments of a member

        def annotation(self, name):
                for n, v in self.annotations:
                        if n == name:
                                return v
                return None

        def doc(self):
                for source in (self.annotation(DOCSTRING), self.annotation(DOCSTRING_SHORT), self.xmldoc,
                               self.comment):
                        if source is not None and source.strip():
                                return source
                return None


def has_words(text):
        return any(c.isalnum() for c in text)


def doc_text(el):
        """The text of a <doc:doc> element: all its character data, a space after each doc:para."""
        parts = []

        def walk(e):
                parts.append(e.text or "")
                for child in e:
                        walk(child)
                        parts.append(child.tail or "")
                if e.tag == DOC_NS + "para":
                        parts.append(" ")
        walk(el)
        return "".join(parts)


def read_document(path):
        """The interfaces of a document, in order, first definitions only, read as the importer's expat callbacks do."""
        parser = ET.XMLPullParser(events=("start", "end", "comment"))
        # as text: D-Bus introspection data is UTF-8 whatever the XML declaration says (python-dbus writes 'utf8',
        # which expat does not know), and the importer reads it so
        with open(path, encoding="utf-8") as f:
                parser.feed(f.read())
        parser.close()
        interfaces, seen = [], set()
        stack = []                              # open Elements (None for elements that are not modelled)
        pending = None                          # the last comment, waiting for the element it documents
        doc_owner, doc_depth, depth = None, 0, 0
        for event, el in parser.read_events():
                if event == "comment":
                        text = (el.text or "").strip()
                        pending = text if has_words(text) else None
                        continue
                tag = el.tag
                if event == "start":
                        depth += 1
                        if doc_owner is not None:
                                continue
                        parent = stack[-1] if stack else None
                        if tag == DOC_NS + "doc" and parent is not None:
                                doc_owner, doc_depth = parent, depth
                                stack.append(None)
                                continue
                        node = None
                        if tag == "node":
                                pending = None
                        elif tag == "interface":
                                node = Element("interface", el.attrib)
                                if node.name in seen:
                                        node = Element("ignored", {})
                                else:
                                        seen.add(node.name)
                                        interfaces.append(node)
                        elif tag in MEMBER_KINDS and parent is not None and parent.kind == "interface":
                                node = Element(tag, el.attrib)
                                parent.children.append(node)
                        elif tag == "arg" and parent is not None and parent.kind in ("method", "signal"):
                                node = Element("arg", el.attrib)
                                parent.children.append(node)
                        elif tag == "annotation" and parent is not None:
                                parent.annotations.append((el.get("name"), el.get("value")))
                        if node is not None:
                                node.comment, pending = pending, None
                        stack.append(node)
                else:
                        if doc_owner is not None:
                                if depth == doc_depth:
                                        doc_owner.xmldoc = doc_text(el)
                                        doc_owner = None
                                        stack.pop()
                                depth -= 1
                                continue
                        depth -= 1
                        stack.pop()
                        pending = None
        return interfaces


def snake_case(name):
        """idl_snake_case() (idl/sema.c): GetURL → get_url, DoRename → do_rename."""
        out = []
        for i, c in enumerate(name):
                if c.isupper() and i > 0:
                        prev = name[i - 1]
                        nxt = name[i + 1] if i + 1 < len(name) else ""
                        if prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower()):
                                out.append("_")
                out.append(c.lower() if c.isupper() else c)
        return "".join(out)


def c_name_pattern(name):
        """A regular expression for the C name the importer derives from a member name (normalisation 9)."""
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                return re.escape(snake_case(name))
        camel = "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", name))
        if not camel[:1].isalpha():
                camel = "Property" + camel
        return re.escape(snake_case(camel)) + r"(_property)*"


def norm_doc(text):
        if text is None:
                return None
        text = " ".join(text.split()).replace("*/", "* /")
        return text or None


def effective_emits(prop, iface):
        own = [v for n, v in prop.annotations if n == EMITS]
        if not own:
                inherited = iface.annotation(EMITS)
                own = [inherited if inherited is not None else "true"]
        if prop.attrs.get("access") == "write" and own == ["true"]:
                own = ["false"]         # normalisation 8: nothing to send
        return own


class Comparison:
        def __init__(self, origin):
                self.origin = origin
                self.failures = 0

        def diff(self, where, what):
                self.failures += 1
                print(f"# {self.origin}: {where}: {what}")

        def annotations(self, where, orig, back, member_name=None, skip=()):
                """Compare the annotations other than documentation and those in `skip`, as multisets."""
                ignored = {DOCSTRING, DOCSTRING_SHORT} | set(skip)
                want = [(n, v) for n, v in orig.annotations if n not in ignored]
                got = [(n, v) for n, v in back.annotations if n not in ignored]
                for n, v in want:
                        expected = (n, v)
                        if n == C_NAME and member_name is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*",
                                                                                      snake_case(v)):
                                expected = (n, snake_case(v))
                        if expected in got:
                                got.remove(expected)
                        else:
                                self.diff(where, f"annotation {n}={v!r} lost" +
                                          (f" (expected {expected[1]!r})" if expected[1] != v else ""))
                for n, v in got:
                        if (n == C_NAME and member_name is not None and orig.annotation(C_NAME) is None and
                                        re.fullmatch(c_name_pattern(member_name) + r"_(method|signal|property)", v)):
                                continue        # a collision resolved by the importer (normalisation 7)
                        self.diff(where, f"annotation {n}={v!r} added")

        def doc(self, where, orig, back):
                want, got = norm_doc(orig.doc()), norm_doc(back.annotation(DOCSTRING))
                if want != got:
                        self.diff(where, f"documentation {want!r} came back as {got!r}")

        def args(self, where, orig, back):
                if len(orig.children) != len(back.children):
                        self.diff(where, f"{len(orig.children)} arguments came back as {len(back.children)}")
                        return
                names = [a.name for a in orig.children]
                # normalisation 4: a method's inputs, then its outputs (the position i stays the original one)
                def is_out(a):
                        return orig.kind == "method" and a.attrs.get("direction") == "out"
                order = [i for i, a in enumerate(orig.children) if not is_out(a)]
                order += [i for i, a in enumerate(orig.children) if is_out(a)]
                for i, b in zip(order, back.children):
                        a = orig.children[i]
                        at = f"{where}: argument {i} ({a.name or 'unnamed'})"
                        if a.attrs.get("type") != b.attrs.get("type"):
                                self.diff(at, f"signature {a.attrs.get('type')!r} came back as {b.attrs.get('type')!r}")
                        if orig.kind == "method":
                                want_dir = a.attrs.get("direction", "in")
                                if b.attrs.get("direction") != want_dir:
                                        self.diff(at, f"direction {want_dir!r} came back as {b.attrs.get('direction')!r}")
                        elif "direction" in b.attrs:
                                self.diff(at, f"a signal argument came back with direction {b.attrs['direction']!r}")
                        base = a.name if a.name else f"arg{i}"
                        allowed = {base}
                        if not a.name or names.count(a.name) > 1 or base in names:
                                allowed |= {base + "_in", base + "_out"}
                        if b.name not in allowed and not (len(allowed) > 1 and re.fullmatch(
                                        re.escape(base) + r"_(in|out)[1-9][0-9]*", b.name or "")):
                                self.diff(at, f"name {a.name!r} came back as {b.name!r}")
                        self.doc(at, a, b)
                        want = [(n, v) for n, v in a.annotations if n not in (DOCSTRING, DOCSTRING_SHORT)]
                        got = [(n, v) for n, v in b.annotations if n not in (DOCSTRING, DOCSTRING_SHORT)]
                        for x in want:
                                if x in got:
                                        got.remove(x)
                                else:
                                        self.diff(at, f"annotation {x[0]}={x[1]!r} lost")
                        for x in got:
                                self.diff(at, f"annotation {x[0]}={x[1]!r} added")

        def interface(self, orig, back):
                where = f"interface {orig.name}"
                self.doc(where, orig, back)
                self.annotations(where, orig, back, skip=(EMITS,))
                for kind in MEMBER_KINDS:
                        want = [m for m in orig.children if m.kind == kind]
                        got = [m for m in back.children if m.kind == kind]
                        if [m.name for m in want] != [m.name for m in got]:
                                self.diff(where, f"{kind}s {[m.name for m in want]} came back as {[m.name for m in got]}")
                                continue
                        for m, b in zip(want, got):
                                at = f"{where}: {kind} {m.name}"
                                self.doc(at, m, b)
                                if kind == "property":
                                        for attr in ("type", "access"):
                                                if m.attrs.get(attr) != b.attrs.get(attr):
                                                        self.diff(at, f"{attr} {m.attrs.get(attr)!r} came back as {b.attrs.get(attr)!r}")
                                        e_want, e_got = effective_emits(m, orig), effective_emits(b, back)
                                        if e_want != e_got:
                                                self.diff(at, f"EmitsChangedSignal in effect {e_want} came back as {e_got}")
                                        self.annotations(at, m, b, member_name=m.name, skip=(EMITS,))
                                else:
                                        self.args(at, m, b)
                                        self.annotations(at, m, b, member_name=m.name)


def main(argv):
        if len(argv) != 3:
                print(__doc__, file=sys.stderr)
                return 2
        original, outdir = argv[1:]
        try:
                interfaces = read_document(original)
        except (OSError, ET.ParseError) as e:
                print(f"# {original}: cannot read: {e}")
                return 2
        c = Comparison(os.path.basename(original))
        files = sorted(f for f in os.listdir(outdir) if f.endswith(".xml"))
        expected = sorted(i.name + ".xml" for i in interfaces)
        if files != expected:
                c.diff("interfaces", f"expected the files {expected}, found {files}")
        for iface in interfaces:
                path = os.path.join(outdir, iface.name + ".xml")
                if not os.path.exists(path):
                        continue
                back = read_document(path)
                if len(back) != 1 or back[0].name != iface.name:
                        c.diff(f"interface {iface.name}", f"{path} does not hold exactly that interface")
                        continue
                c.interface(iface, back[0])
        n_members = sum(len(i.children) for i in interfaces)
        print(f"# {c.origin}: {len(interfaces)} interfaces, {n_members} members, {c.failures} differences")
        return 1 if c.failures else 0


if __name__ == "__main__":
        sys.exit(main(sys.argv))

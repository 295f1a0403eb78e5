#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/gen/random-idl.py — random and adversarial .idl files for tests/integration/random-idl.sh
"""Write COUNT random .idl files into DIR, deterministically from SEED.

    random-idl.py --seed 1 --count 2000 --out DIR [--first 0]

File i is r<i>.idl (five digits) and depends only on (SEED, i): a failure
found in a run of 2000 files is reproduced by --first i --count 1.

Most files are valid; they are built to stress the C names dbidlc derives:
members whose names collide after snake-casing (GetFoo, Get_Foo, getFoo),
members named like the functions and types derived from other members
(PointArrayInit next to a Point[], FooAsync next to Foo, GetX next to
property X, XChanged next to it, SetOptions next to Options), parameters
named after C and C++ keywords, C library functions and macros, typedefs,
the fixed parameters of generated functions and runtime functions, an
output named like an input, deeply nested containers, names that differ
only in case, and two interfaces whose last name component is the same.
Some files are rejected by dbidlc, which is expected.

Every interface of file i has 't<i>' as a component of its name, and every
@c_prefix has it too, so that the headers of many files can be included
into one translation unit: a clash between two files is a real failure.
Python 3 standard library only.
"""

import argparse
import os
import random
import sys

BASIC = ["byte", "bool", "int16", "uint16", "int32", "uint32", "int64", "uint64", "double", "string",
         "objpath", "signature"]
KEY_BASIC = ["byte", "bool", "int16", "uint16", "int32", "uint32", "int64", "uint64", "double", "string",
             "objpath", "signature", "fd"]
INTEGERS = ["byte", "int16", "uint16", "int32", "uint32", "int64", "uint64"]
RANGES = {"byte": (0, 255), "int16": (-32768, 32767), "uint16": (0, 65535), "int32": (-2**31, 2**31 - 1),
          "uint32": (0, 2**32 - 1), "int64": (-2**63, 2**63 - 1), "uint64": (0, 2**64 - 1)}

C_KEYWORDS = [
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
    "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool", "catch", "char16_t", "char32_t",
    "char8_t", "class", "compl", "concept", "constexpr", "const_cast", "consteval", "constinit", "co_await",
    "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit", "export", "false", "friend",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
    "protected", "public", "reinterpret_cast", "requires", "static_assert", "static_cast", "template", "this",
    "thread_local", "throw", "true", "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
    "final", "override", "import", "module",
]
LIBC = [
    "time", "exit", "errno", "free", "signal", "remove", "abort", "malloc", "calloc", "realloc", "strlen",
    "strcmp", "memcpy", "memset", "printf", "close", "open", "read", "write", "index", "stdin", "stdout",
    "stderr", "NULL", "EOF", "assert", "timezone", "unix", "linux", "environ", "main", "offsetof", "select",
    "poll", "kill", "wait", "log", "pow", "div", "abs", "random", "rand", "qsort", "getenv", "system", "atoi",
    "stat", "strdup", "raise", "setjmp", "longjmp", "va_start", "va_end", "va_arg", "va_copy", "true", "false",
    "EINVAL", "ENOMEM", "ERANGE", "INT32_MAX", "SIZE_MAX", "UINT64_C", "major", "minor", "I", "complex",
    "imaginary", "noreturn", "static_assert", "y0", "j1", "dup", "pipe", "sleep", "clock", "fd", "exp",
]
TYPEDEFS = [
    "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t", "size_t",
    "ssize_t", "va_list", "sd_bus", "sd_bus_message", "sd_bus_error", "sd_bus_slot", "dbidl_variant",
    "dbidl_dict", "dbidl_pending", "dbidl_callback", "FILE", "ptrdiff_t", "wchar_t", "intptr_t", "pid_t",
]
FIXED_PARAMS = [
    "proxy", "userdata", "ret_error", "call", "bus", "path", "pending", "timeout_usec", "callback", "ret_slot",
    "handler", "handlers", "destination", "ret", "error", "format", "value", "ret_value", "n_value",
    "ret_n_value", "invalidated", "slot", "m", "v", "dst", "src", "i", "n", "items", "key", "message", "reply",
    "r", "ap", "finish", "ret_proxy", "interface", "member", "sender", "signature", "e", "p", "q",
]
RUNTIME = [
    "dbidl_r", "dbidl_m", "dbidl_cb", "dbidl_e", "dbidl_p", "dbidl_i", "dbidl_n", "dbidl_error", "dbidl_reply",
    "dbidl_variant_unref", "dbidl_dict_unref", "dbidl_strv_free", "dbidl_strdup", "dbidl_pending_reply_error",
    "dbidl_proxy_call", "dbidl_fd_array_free", "dbidl_variant_array_free", "dbidl_dict_array_free",
    "dbidl_proxy", "dbidl_slot", "dbidl_userdata", "dbidl_ret", "dbidl_value", "dbidl_v", "dbidl_k",
    "sd_bus_error_free", "sd_bus_message_read", "sd_bus_message_append", "sd_bus_error_setfv",
    "sd_bus_call_method", "sd_bus_reply_method_return", "sd_bus_error_has_name",
]
# reserved spellings: leading underscores, double underscores
ODD = ["_x", "__x", "_X", "x_", "a__b", "_", "__", "x__", "_Bool", "_Generic", "__func__", "__LINE__",
       "_Static_assert", "_1", "m0", "m1", "ret_m0", "n_x", "ret_n_x"]

WORDS = ["Foo", "Bar", "Point", "Item", "Options", "Value", "Name", "State", "Count", "List", "Update",
         "Reset", "Data", "Entry", "Mode", "Level", "Status", "Config", "Path", "Object", "Node", "Key",
         "Map", "Size", "Range", "Token", "Event", "Handle", "Link", "Track", "Volume", "Url", "Id", "X", "Y",
         "Async", "Reply", "Return", "Changed", "Signal", "Array", "Dict", "Init", "Clear", "Copy", "Fn",
         "Proxy", "Handlers", "Export", "Interface", "Error", "Raise", "Bits", "Cached", "Watch", "Notify",
         "Connect", "Emit", "New", "Ref", "Unref", "Call", "Get", "Set", "Is", "Valid", "String", "From",
         "To", "URL", "HTTP", "IO", "DBus", "V2", "Int32", "Uint32", "Vardict", "Variant", "Objpath"]
VERBS = ["Get", "Set", "Call", "Async", "Reply", "Return", "Emit", "Connect", "Watch", "Cached", "Notify",
         "Raise", "Fail", "Is", "Handle", "On", "Make", "List", "Add", "Remove"]
LOWER_WORDS = ["a", "b", "c", "x", "y", "name", "value2", "count", "data", "items2", "key2", "first",
               "second", "text", "flag", "level", "options", "state", "id", "url", "mode", "size"]


def snake(name):
    """Approximately dbidl's snake_case (enough to make collisions on purpose)."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper():
            prev = name[i - 1] if i else ""
            nxt = name[i + 1] if i + 1 < len(name) else ""
            if i and prev != "_" and (prev.islower() or prev.isdigit() or (nxt and nxt.islower())):
                out.append("_")
            out.append(ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def camel(snake_name):
    return "".join(p[:1].upper() + p[1:] for p in snake_name.split("_") if p)


class Scope:
    """Names declared in one interface (or at file level): types by kind."""

    def __init__(self, qual=""):
        self.qual = qual            # "org.t1.X." for types referred to from elsewhere
        self.structs = []
        self.enums = []             # (name, backing)
        self.flags = []
        self.errors = []
        self.members = set()        # method, signal, property names (each kind has its own)
        self.type_names = set()


class Gen:
    def __init__(self, rng, index):
        self.r = rng
        self.i = index
        self.tag = "t%d" % index
        self.out = []
        self.file_scope = Scope()
        self.scopes = []
        self.used_types = []        # textual types used, for derived-name collisions
        self.hostile_docs = rng.random() < 0.2

    # ---- small helpers -------------------------------------------------------------------------------
    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def emit(self, line=""):
        self.out.append(line)

    def camel_name(self, parts=None):
        n = parts if parts is not None else self.r.randint(1, 3)
        return "".join(self.pick(WORDS) for _ in range(n))

    def doc(self, indent):
        """Sometimes a doc comment, sometimes a hostile one (*/ inside ///, a trailing backslash, trigraphs,
        UTF-8, percent signs, quotes)."""
        if not self.chance(0.25):
            return
        texts = ["Does something.", "Returns the value; see also Foo().", "100% done, %s %d %n",
                 "Quotes \" and 'single' and \\ backslash", "\u00e9t\u00e9 \u2014 \u65e5\u672c", "#define X 1",
                 "line one\n{ind}/// line two", "@param x nothing", "// inner"]
        if self.hostile_docs:    # in a fifth of the files: what would end or extend a C comment
            texts += ["ends the comment */ early", "/* nested", "a trailing backslash \\", "trigraph ??/",
                      "*/ int evil; /*"]
        t = self.pick(texts).replace("{ind}", indent)
        if "*/" in t or "\n" in t or self.chance(0.5):
            self.emit(indent + "/// " + t)
        else:
            self.emit(indent + "/** " + t + " */")

    def cstring(self):
        return self.pick(["why", "use Other instead", "quote \\\" inside", "back\\\\slash", "*/ end",
                          "percent %s %d", "tab\\tnew\\nline", "\u00e9t\u00e9", "??/", "??=define", ""])

    # ---- names -------------------------------------------------------------------------------------
    def param_name(self):
        x = self.r.random()
        if x < 0.40:
            return self.pick(LOWER_WORDS)
        if x < 0.52:
            return self.pick(C_KEYWORDS)
        if x < 0.64:
            return self.pick(LIBC)
        if x < 0.72:
            return self.pick(FIXED_PARAMS)
        if x < 0.78:
            return self.pick(RUNTIME)
        if x < 0.86:
            return self.pick(TYPEDEFS)
        if x < 0.875:
            return self.pick(ODD)
        if x < 0.95:
            return self.pick(BASIC + ["dict", "variant", "interface", "method", "signal", "property", "struct",
                                      "enum", "flags", "error", "raises", "readonly", "import"])
        return self.pick(LOWER_WORDS).upper()

    def params(self, n, taken=None, outputs_of=None):
        """n distinct parameter names; with outputs_of, sometimes reuse an input's name (Echo(s) -> (s)) or
        use ret_<input>, n_<input>."""
        names = []
        seen = set(taken or ()) | set(outputs_of or ())
        for _ in range(n):
            for _attempt in range(10):
                if outputs_of and self.chance(0.2):
                    base = self.pick(outputs_of)
                    # an output named like an input is an error today; rarely, to see that it stays one
                    if self.chance(0.03):
                        seen.discard(base)
                        nm = base
                    else:
                        nm = self.pick(["ret_" + base, "n_" + base, "ret_n_" + base])
                elif names and self.chance(0.15):
                    base = self.pick(names)
                    nm = self.pick(["ret_" + base, "n_" + base, base.upper(), base.capitalize(),
                                    base + "_", "ret_n_" + base])
                else:
                    nm = self.param_name()
                if nm not in seen or self.chance(0.002):
                    break
            seen.add(nm)
            names.append(nm)
        return names

    def member_name(self, scope, base=None):
        """A member name: from a base, sometimes a snake-case or case collision of an existing one."""
        if scope.members and self.chance(0.05):
            other = self.pick(sorted(scope.members))
            s = snake(other)
            variants = [s, camel(s), other[:1].lower() + other[1:], "_".join(other.split("_")),
                        other.upper(), other.lower(), other + "_"]
            if "_" not in other and len(other) > 2:
                k = self.r.randint(1, len(other) - 1)
                variants.append(other[:k] + "_" + other[k:])
            variants = [v for v in variants if v not in scope.members] or ["Other" + other]
            return self.pick(variants)
        if base:
            return base
        x = self.r.random()
        if x < 0.8:
            return self.camel_name()
        if x < 0.9:
            return self.pick(C_KEYWORDS + LIBC).capitalize()
        return self.pick(C_KEYWORDS + LIBC + FIXED_PARAMS)

    # ---- types -------------------------------------------------------------------------------------
    def named_types(self, scope):
        """Types visible in scope, each as (text, kind, is_key_ok)."""
        res = []
        for s in [self.file_scope, scope] if scope is not self.file_scope else [self.file_scope]:
            for n in s.structs:
                res.append((n, "struct"))
            for n, _ in s.enums:
                res.append((n, "enum"))
            for n, _ in s.flags:
                res.append((n, "flags"))
        # a type of another interface, by its qualified name
        for s in self.scopes:
            if s is not scope and s.qual and self.chance(0.1):
                for n in s.structs[:1]:
                    res.append((s.qual + n, "struct"))
                for n, _ in s.enums[:1]:
                    res.append((s.qual + n, "enum"))
        return res

    def key_type(self, scope):
        named = [t for t, k in self.named_types(scope) if k in ("enum", "flags")]
        if named and self.chance(0.25):
            return self.pick(named)
        if self.chance(0.005):
            return self.pick(["variant", "int32[]", "(int32, string)"])   # invalid keys
        return self.pick(KEY_BASIC)

    def type_(self, scope, depth=0, deep=False, no_structs=False):
        """A random type.  deep: nest containers at least 6 levels."""
        if deep and depth < 6:
            x = self.r.randint(0, 3)
            inner = self.type_(scope, depth + 1, deep, no_structs)
            if x == 0:
                t = inner + "[]"
            elif x == 1:
                t = "dict<%s, %s>" % (self.key_type(scope), inner)
            elif x == 2 and not no_structs:
                extra = [self.type_(scope, 5, False, no_structs) for _ in range(self.r.randint(0, 2))]
                items = [inner] + extra
                self.r.shuffle(items)
                t = "(" + ", ".join(items) + ")"
            else:
                t = inner + "[][]"
            self.used_types.append(t)
            return t
        x = self.r.random()
        limit = 0.55 + 0.1 * depth
        if x < limit or depth > 4:
            named = self.named_types(scope)
            if named and self.chance(0.35):
                return self.pick(named)[0]
            y = self.r.random()
            if y < 0.06:
                return "variant"
            if y < 0.10:
                return "fd"
            if y < 0.12:
                return "blob"
            return self.pick(BASIC)
        y = self.r.random()
        if y < 0.40:
            t = self.type_(scope, depth + 1, False, no_structs) + "[]"
        elif y < 0.55:
            t = "dict<string, variant>"
        elif y < 0.80:
            t = "dict<%s, %s>" % (self.key_type(scope), self.type_(scope, depth + 1, False, no_structs))
        elif not no_structs:
            n = self.r.randint(1, 4)
            if self.chance(0.002):
                n = 0       # () is no type
            sep = ", ," if self.chance(0.003) else ", "
            items = [self.type_(scope, depth + 1, False, no_structs) for _ in range(n)]
            t = "(" + sep.join(items) + ("," if items and self.chance(0.1) else "") + ")"
        else:
            t = self.pick(BASIC) + "[]"
        self.used_types.append(t)
        return t

    def some_type(self, scope):
        if self.chance(0.06):
            return self.type_(scope, 0, deep=True)
        return self.type_(scope)

    # ---- declarations ------------------------------------------------------------------------------
    def type_name(self, scope):
        """A new type name in scope: usually fresh, often one meant to collide with a derived name."""
        for _ in range(20):
            x = self.r.random()
            derived = self.derived_type_names(scope)
            if x < 0.35 and derived:
                n = self.pick(derived)
            elif x < 0.46:
                n = self.pick(["Proxy", "Handlers", "Interface", "Error", "Bits", "Array", "Dict", "Entry",
                               "Item", "Value", "ReplyFn", "SignalFn", "ChangedFn", "Export", "ProxyNew",
                               "proxy", "handlers", "Options", "SetOptions", "GetOptions", "String", "Int32",
                               "Variant", "Vardict", "Objpath", "Fd", "Double", "Bool", "Byte", "Uint64"])
            elif x < 0.48:
                existing = sorted(scope.type_names | self.file_scope.type_names)
                if existing:
                    o = self.pick(existing)
                    n = self.pick([o.lower(), o.upper(), snake(o), o + "_", o[:1].lower() + o[1:]])
                else:
                    n = self.camel_name()
            else:
                n = self.camel_name()
            if n in ("int32", "uint32", "int64", "uint64", "int16", "uint16", "byte", "bool", "double",
                     "string", "objpath", "signature", "fd", "variant", "blob", "dict", "struct", "enum",
                     "flags"):
                continue
            if n not in scope.type_names and n not in self.file_scope.type_names or self.chance(0.01):
                scope.type_names.add(n)
                return n
        n = "T%d" % len(scope.type_names)
        scope.type_names.add(n)
        return n

    def derived_type_names(self, scope):
        """Names the generator derives from the types already used: StructArray, StructInit, Struct_array,
        StringArrayArray, a struct field's anonymous type (PtY for field y of Pt), Mode_bits…"""
        res = []
        for s in scope.structs + self.file_scope.structs:
            res += [s + "Array", s + "ArrayArray", s + "Init", s + "Clear", s + "Copy", s + "_array",
                    s + "ArrayInit", s + "Item", s + "Entry", "String" + s + "Dict", "Uint32" + s + "Dict",
                    s + "M0", s + "Value", s + "Key", s + "X", s + "Y", s + "A", s + "Items"]
        for e, _ in scope.enums + scope.flags:
            res += [e + "Bits", e + "IsValid", e + "ToString", e + "FromString", e + "_bits", e + "Array"]
        for t in self.used_types[-6:]:
            if t.startswith("string[][]"):
                res.append("StringArrayArray")
            if t.startswith("dict<string, variant>[]"):
                res.append("VardictArray")
            if t.startswith("dict<"):
                k = t[5:].split(",")[0]
                res += [camel(k) + "VariantDict", camel(k) + "Int32Dict", camel(k) + "StringDict",
                        camel(k) + "StringDictEntry"]
        return res

    def enum_decl(self, scope, indent, flags=False):
        name = self.type_name(scope)
        backing = None
        if self.chance(0.6):
            backing = self.pick(INTEGERS)
            if self.chance(0.01):
                backing = self.pick(["double", "string", "bool", "int8"])
        lo, hi = RANGES.get(backing or "uint32", (0, 2**32 - 1))
        n = self.r.randint(1, 6)
        names, seen = [], set()
        for _ in range(n):
            x = self.r.random()
            if x < 0.5:
                v = self.pick(["A", "B", "C", "NONE", "ALL", "ON", "OFF", "FIRST", "LAST", "RED", "GREEN",
                               "READ", "WRITE", "EXEC", "Low", "High", "Medium", "value", "Next"])
            elif x < 0.7:
                v = self.pick(C_KEYWORDS + LIBC)
            elif x < 0.8:
                v = self.pick(["BITS", "IS_VALID", "ARRAY", "INTERFACE", "ERROR", name.upper(), "MAX",
                               "COUNT", "method", "signal", "interface", "error"])
                if self.chance(0.05):
                    v = self.pick(["_", "_A", "A__B"])
            elif names and x < 0.83:
                o = self.pick(names)
                v = self.pick([o.lower(), o.upper(), o.capitalize(), snake(o)])
            else:
                v = self.camel_name(1).upper()
            if v in seen and not self.chance(0.005):
                continue
            seen.add(v)
            names.append(v)
        vals = []
        used = set()
        nxt = 0
        for v in names:
            if flags:
                width = {"byte": 8, "int16": 15, "uint16": 16, "int32": 31, "int64": 63, "uint64": 64}
                bits = width.get(backing, 32) - 1
                val = 1 << self.r.randint(0, bits)
                if self.chance(0.1):
                    val |= 1 << self.r.randint(0, bits)
                if val in used and not self.chance(0.05):
                    continue
                used.add(val)
                vals.append("%s = %s" % (v, hex(val) if self.chance(0.7) else str(val)))
            else:
                if self.chance(0.3):
                    choice = self.r.random()
                    if choice < 0.3:
                        val = lo
                    elif choice < 0.6:
                        val = hi
                    else:
                        val = self.r.randint(max(lo, -1000), min(hi, 1000))
                    if val in used:
                        if nxt in used or nxt > hi:
                            continue
                        vals.append(v)
                        used.add(nxt)
                        nxt += 1
                        continue
                    used.add(val)
                    vals.append("%s = %d" % (v, val) if val >= 0 or self.chance(0.9) else "%s = %s" % (v, hex(val)))
                    nxt = val + 1
                else:
                    if nxt in used or nxt > hi:
                        continue
                    used.add(nxt)
                    vals.append(v)
                    nxt += 1
        if not vals:
            vals = ["ONLY = 1" if flags else "ONLY"]
        self.doc(indent)
        ann = self.type_annotations()
        kw = "flags" if flags else "enum"
        back = " : %s" % backing if backing else ""
        trail = "," if self.chance(0.2) else ""
        self.emit("%s%s%s %s%s { %s%s }" % (indent, ann, kw, name, back, ", ".join(vals), trail))
        (scope.flags if flags else scope.enums).append((name, backing))

    def type_annotations(self):
        anns = []
        if self.chance(0.05):
            anns.append('@deprecated("%s")' % self.cstring() if self.chance(0.5) else "@deprecated")
        if self.chance(0.05):
            anns.append('@since("1.%d")' % self.r.randint(0, 9))
        if self.chance(0.04):
            anns.append('@annotation("org.example.%s", "%s")' % (self.camel_name(1), self.cstring()))
        if self.chance(0.03):
            anns.append('@c_name("%s")' % self.pick(["point", "Point", "default", "int", "proxy", "handlers",
                                                     "x_array", "dbidl_x", "sd_bus", "string_array"]))
        return " ".join(anns) + (" " if anns else "")

    def struct_decl(self, scope, indent):
        name = self.type_name(scope)
        n = self.r.randint(1, 5)
        if self.chance(0.01):
            n = 0
        fields = []
        seen = set()
        for _ in range(n):
            x = self.r.random()
            if x < 0.5:
                f = self.pick(LOWER_WORDS)
            elif x < 0.65:
                f = self.pick(C_KEYWORDS)
            elif x < 0.75:
                f = self.pick(LIBC + TYPEDEFS)
            elif x < 0.82:
                f = self.pick(["items", "n", "m0", "m1", "key", "value", "entries", name, snake(name),
                               name.lower(), "x__y" if self.chance(0.2) else "_x"])
            elif fields and x < 0.9:
                o = self.pick(fields)[0]
                f = self.pick([o.upper(), o.capitalize(), snake(o), o + "_"])
            else:
                f = self.pick(FIXED_PARAMS + RUNTIME)
            if f in seen and not self.chance(0.02):
                continue
            seen.add(f)
            fields.append((f, self.type_(scope, 1)))
        self.doc(indent)
        ann = self.type_annotations()
        body = " ".join("%s: %s;" % f for f in fields)
        self.emit("%s%sstruct %s { %s }" % (indent, ann, name, body))
        scope.structs.append(name)

    def member_annotations(self, kind):
        anns = []
        if self.chance(0.08):
            c = self.pick(["get_x", "default", "int", "proxy_new", "export", "handlers", "call", "async",
                           "foo", "foo_async", "x_changed", "connect_x", "dbidl_foo", "ProxyNew",
                           "_x" if self.chance(0.1) else "x_",
                           "get_cached_x", "set_options", "emit_s", "reply", "error", "interface",
                           "x", "a_b", "sd_bus_call", self.camel_name(1).lower()])
            anns.append('@c_name("%s")' % c)
        if self.chance(0.04):
            anns.append('@deprecated("%s")' % self.cstring() if self.chance(0.5) else "@deprecated")
        if self.chance(0.03):
            anns.append('@since("2.%d")' % self.r.randint(0, 9))
        if self.chance(0.03):
            anns.append('@annotation("org.example.A%d", "%s")' % (self.r.randint(0, 9), self.cstring()))
        if self.chance(0.03) and kind in ("method", "signal"):
            anns.append('@dbus_name("%s")' % self.pick(["Other", "get_x", "X", "Foo", "A1", "_y"]))
        if self.chance(0.04) and kind == "property":
            anns.append('@dbus_name("%s")' % self.pick(["disable-printing", "power-saver-enabled", "Other",
                                                        "x-y", "a-", "Foo"]))
        return anns

    def param_list(self, scope, names):
        out = []
        for nm in names:
            pre = ""
            if self.chance(0.03):
                pre = '@annotation("org.gtk.GDBus.C.ForceGVariant", "true") '
            if self.chance(0.02):
                pre = "/** the %s */ " % nm + pre
            out.append("%s%s: %s" % (pre, nm, self.some_type(scope)))
        s = ", ".join(out)
        if out and self.chance(0.05):
            s += ","
        return s

    def method(self, scope, indent, name=None, no_outputs=False):
        name = self.member_name(scope, name)
        scope.members.add(name)
        ins = self.params(self.r.choice([0, 1, 1, 2, 2, 3, 4, 6]))
        outs = [] if no_outputs else self.params(self.r.choice([0, 0, 1, 1, 2, 3]), outputs_of=ins or None)
        anns = self.member_annotations("method")
        if not outs and self.chance(0.3) or self.chance(0.005):
            anns.insert(0, "@noreply")
        self.doc(indent)
        line = "%s%smethod %s(%s)" % (indent, " ".join(anns) + (" " if anns else ""), name,
                                     self.param_list(scope, ins))
        if outs or self.chance(0.2):
            line += " -> (%s)" % self.param_list(scope, outs)
        errs = scope.errors
        if errs and self.chance(0.4):
            k = self.r.randint(1, min(3, len(errs)))
            line += " raises (%s)" % ", ".join(self.r.sample(errs, k))
        elif self.chance(0.005):
            line += " raises (NoSuchError)"
        self.emit(line + ";")

    def signal(self, scope, indent, name=None):
        name = self.member_name(scope, name)
        scope.members.add(name)
        args = self.params(self.r.choice([0, 1, 2, 3, 5]))
        anns = self.member_annotations("signal")
        self.doc(indent)
        self.emit("%s%ssignal %s(%s);" % (indent, " ".join(anns) + (" " if anns else ""), name,
                                         self.param_list(scope, args)))

    def prop(self, scope, indent, name=None):
        name = self.member_name(scope, name)
        scope.members.add(name)
        access = self.pick(["readonly", "readwrite", "writeonly", "readwrite", "readonly"])
        anns = self.member_annotations("property")
        if self.chance(0.4):
            ok = {"readonly": ["change", "invalidates", "const", "none"], "readwrite": ["change", "invalidates",
                  "none"], "writeonly": ["none"]}[access]
            anns.append("@emits(%s)" % self.pick(ok if self.chance(0.98) else ["const", "change"]))
        if self.chance(0.003):
            anns.append("@emits(sometimes)")
        self.doc(indent)
        self.emit("%s%sproperty %s %s: %s;" % (indent, " ".join(anns) + (" " if anns else ""), access, name,
                                              self.some_type(scope)))

    def error(self, scope, indent):
        for _ in range(10):
            n = self.pick(["Failed", "NotFound", "Denied", "Timeout", "Invalid", "Busy", "Default", "Int",
                           "Errno", "Proxy", "Is", "IsFailed", "Raise", "EINVAL", "Error", "Exit", "Free",
                           "InvalidArgs", "Failed_", "failed", "FAILED", "NotFound2", "Not_Found"])
            if n not in scope.errors:
                break
        else:
            return
        scope.errors.append(n)
        anns = []
        if self.chance(0.15):
            anns.append('@dbus_name("%s")' % self.pick(["org.freedesktop.DBus.Error.Failed",
                                                        "org.example.%s.Error.%s" % (self.tag, n),
                                                        "com.x.Y.Z", "a.b"]))
        if self.chance(0.05):
            anns.append('@c_name("%s")' % self.pick(["failed", "default", "is_x", "error", "dbidl_e"]))
        if self.chance(0.03):
            anns.append("@deprecated")
        self.doc(indent)
        self.emit("%s%serror %s;" % (indent, " ".join(anns) + (" " if anns else ""), n))

    def collision_set(self, scope, indent):
        """Members that want each other's derived C names."""
        base = self.camel_name(self.r.randint(1, 2))
        kind = self.r.randint(0, 9)
        if kind == 0:       # Foo, FooAsync, FooReply, FooReturn, CallFoo, AsyncFoo
            self.method(scope, indent, base)
            for suffix in self.r.sample(["Async", "Reply", "Return", "ReplyFn", "_async", "Finish"], 2):
                self.method(scope, indent, base + suffix)
            self.method(scope, indent, self.pick(["Call", "Async", "Reply", "Return"]) + base)
        elif kind == 1:     # property X, GetX, SetX, WatchX, signal XChanged, CachedX
            self.prop(scope, indent, base)
            for pre in self.r.sample(["Get", "Set", "Watch", "Cached", "GetCached", "Notify", "Connect"], 2):
                self.method(scope, indent, pre + base)
            self.signal(scope, indent, base + "Changed")
            if self.chance(0.5):
                self.method(scope, indent, "Connect" + base + "Changed")
        elif kind == 2:     # signal S, ConnectS, EmitS, SSignalFn
            self.signal(scope, indent, base)
            self.method(scope, indent, self.pick(["Connect", "Emit"]) + base)
            if self.chance(0.5):
                self.prop(scope, indent, base + "SignalFn")
        elif kind == 3:     # struct Point used as Point[], method PointArrayInit
            self.struct_decl(scope, indent)
            s = scope.structs[-1]
            self.method(scope, indent, "Use" + s, no_outputs=True)
            self.emit("%smethod Take%s(v: %s[]) -> (w: %s[][]);" % (indent, s, s, s))
            scope.members.add("Take" + s)
            self.method(scope, indent, self.pick([s + "ArrayInit", s + "ArrayClear", s + "Init", s + "Copy",
                                                  s + "Array", s + "Clear", s + "ArrayCopy"]))
        elif kind == 4:     # property Options, struct SetOptions / GetOptions
            self.prop(scope, indent, base)
            self.emit("%sstruct %s { a: int32; }" % (indent, self.pick(["Set", "Get", "Cached"]) + base))
            scope.type_names.add("Set" + base)
        elif kind == 5:     # GetFoo vs Get_Foo vs getFoo vs get_foo
            self.method(scope, indent, "Get" + base)
            for v in self.r.sample(["Get_" + base, "get" + base, snake("Get" + base), "GET" + base.upper(),
                                    "Get" + base.upper()], 2):
                self.method(scope, indent, v)
        elif kind == 6:     # Echo(s) -> (s)
            nm = self.param_name()
            t = self.some_type(scope)
            out = nm if self.chance(0.1) else self.pick(["ret_" + nm, "n_" + nm, nm.upper(), nm + "_"])
            if out == nm.upper() == nm:
                out = "ret_" + nm
            self.emit("%smethod Echo%s(%s: %s) -> (%s: %s);" % (indent, base, nm, t, out, t))
            scope.members.add("Echo" + base)
        elif kind == 7:     # enum and methods named after its helpers
            self.enum_decl(scope, indent)
            e = scope.enums[-1][0]
            self.method(scope, indent, e + self.pick(["IsValid", "ToString", "FromString", "Bits"]))
        elif kind == 8:     # an error and the helpers' names
            self.error(scope, indent)
            if scope.errors:
                e = scope.errors[-1]
                self.method(scope, indent, self.pick(["Raise", "ErrorIs", "Fail", "Reply"]) + e)
        else:               # names of the interface-level functions
            for n in self.r.sample(["ProxyNew", "ProxyRef", "ProxyUnref", "Export", "Interface", "Handlers",
                                    "Proxy", "Unexport", "Register"], 2):
                self.pick([self.method, self.signal, self.prop])(scope, indent, n)

    def interface(self, name, scope):
        anns = []
        if self.chance(0.12):
            p = self.pick(["p", "x", "calc", "default", "int", "dbidl", "sd_bus", "proxy", "org", "a_b", "P",
                           "Calc", "_p" if self.chance(0.1) else "p_"])
            anns.append('@c_prefix("%s_%s")' % (p.rstrip("_"), self.tag) if self.chance(0.5)
                        else '@c_prefix("%s%s")' % (p, self.tag))
        if self.chance(0.05):
            anns.append('@deprecated("%s")' % self.cstring())
        if self.chance(0.03):
            anns.append('@since("3.0")')
        self.doc("")
        for a in anns:
            self.emit(a)
        self.emit("interface %s {" % name)
        ind = "        "
        for _ in range(self.r.randint(0, 2)):
            self.error(scope, ind)
        for _ in range(self.r.randint(0, 3)):
            self.pick([self.struct_decl, self.enum_decl, lambda s, i: self.enum_decl(s, i, flags=True)])(scope, ind)
        n = self.r.randint(1, 8)
        for _ in range(n):
            x = self.r.random()
            if x < 0.12:
                self.collision_set(scope, ind)
            elif x < 0.6:
                self.method(scope, ind)
            elif x < 0.75:
                self.signal(scope, ind)
            elif x < 0.95:
                self.prop(scope, ind)
            else:
                self.pick([self.struct_decl, self.enum_decl, self.error])(scope, ind)
        self.emit("}")
        self.emit()

    def interface_names(self):
        """One to three interface names, all with this file's tag."""
        n = self.r.choice([1, 1, 1, 2, 2, 3])
        lasts = ["Manager", "Calculator1", "Player", "default", "class", "Int", "Proxy", "dbidl", "sd_bus",
                 "Error", "Interface", "X", "x", "Handlers", "Export", "Foo_Bar", "FooBar", "foo_bar",
                 "Error" if self.chance(0.9) else "_1",
                 "A1", "V2", "Struct", "Object", "Properties"]
        names = []
        if n >= 2 and self.chance(0.4):      # the same last component twice
            last = self.pick(lasts)
            names = ["org.a.%s.%s" % (self.tag, last), "org.b.%s.%s" % (self.tag, last)]
        elif n >= 2 and self.chance(0.3):    # names that differ in case or snake to the same
            last = self.pick(["FooBar", "Manager", "GetX"])
            names = ["org.%s.%s" % (self.tag, last),
                     "org.%s.%s" % (self.tag, self.pick([last.lower(), snake(last), last.upper()]))]
        while len(names) < n:
            mid = self.pick(["example", "freedesktop", "default", "int", "a", "dbidl", "x.y.z", "sd_bus",
                             "example" if self.chance(0.95) else "_x"])
            nm = "%s.%s.%s" % (self.pick(["org", "com", "net", "io"]), mid if self.chance(0.6) else self.tag,
                               self.pick(lasts))
            if self.tag not in nm:
                nm = nm.replace(".", ".%s." % self.tag, 1)
            if nm not in names:
                names.append(nm)
        return names

    def file(self):
        self.emit("// random-idl.py, file %d" % self.i)
        self.emit()
        for _ in range(self.r.choice([0, 0, 1, 2, 3])):
            self.pick([self.struct_decl, self.enum_decl, lambda s, i: self.enum_decl(s, i, flags=True)])(
                self.file_scope, "")
        if self.file_scope.structs or self.file_scope.enums or self.file_scope.flags:
            self.emit()
        names = self.interface_names()
        for nm in names:
            self.scopes.append(Scope(nm + "."))
        for nm, sc in zip(names, self.scopes):
            self.interface(nm, sc)
        return "\n".join(self.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--first", type=int, default=0, help="index of the first file")
    ap.add_argument("--out", required=True, help="directory to write into (created)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.first, a.first + a.count):
        rng = random.Random("%d:%d" % (a.seed, i))
        text = Gen(rng, i).file()
        with open(os.path.join(a.out, "r%05d.idl" % i), "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

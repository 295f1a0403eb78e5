/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-parser.c — unit tests of the parser (idl/parser.c): the tree it builds and its syntax errors */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idl/idl.h"

typedef struct parsed {
        idl_file *f;
        char *diags;
        unsigned errors;
} parsed;

static parsed parse_len(const char *src, size_t len) {
        parsed p = {};
        idl_diag_sink *s;
        size_t n = 0;
        FILE *out = open_memstream(&p.diags, &n);

        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        ck_assert_int_eq(idl_parse_string("t.idl", src, len, s, &p.f), 0);
        ck_assert_ptr_nonnull(p.f);
        p.errors = idl_diag_error_count(s);
        idl_diag_sink_free(s);
        fclose(out);
        return p;
}

static parsed parse(const char *src) {
        return parse_len(src, strlen(src));
}

static void parsed_free(parsed *p) {
        idl_file_free(p->f);
        free(p->diags);
}

/* Parse text that must be free of syntax errors. */
static parsed parse_ok(const char *src) {
        parsed p = parse(src);

        ck_assert_msg(p.errors == 0, "unexpected diagnostics:\n%s", p.diags);
        ck_assert_str_eq(p.diags, "");
        return p;
}

/* The diagnostics of text with syntax errors. */
static void check_errors(const char *src, const char *want, unsigned n_errors) {
        parsed p = parse(src);

        ck_assert_str_eq(p.diags, want);
        ck_assert_uint_eq(p.errors, n_errors);
        parsed_free(&p);
}

static const char calculator[] =
        "/** A four-function calculator. */\n"
        "@c_prefix(\"calc\")\n"
        "interface org.example.Calculator1 {\n"
        "        /** Raised when the divisor is zero. */\n"
        "        error DivisionByZero;\n"
        "\n"
        "        enum Mode : uint32 { DEGREES = 0, RADIANS = 1 }\n"
        "        flags Caps { ADD = 0x1, DIVIDE = 0x2 }\n"
        "        struct Point { x: double; y: double; }\n"
        "\n"
        "        /** Adds two integers. */\n"
        "        method Add(a: int32, b: int32) -> (sum: int32);\n"
        "        method Divide(a: double, b: double) -> (quotient: double) raises (DivisionByZero);\n"
        "        method Plot(points: Point[], opts: dict<string, variant>) -> ();\n"
        "        @noreply method Reset();\n"
        "\n"
        "        /** Emitted when a result does not fit in int32. */\n"
        "        signal Overflow(value: int64, where: Point);\n"
        "\n"
        "        property readwrite Precision: uint32;\n"
        "        property readonly LastResult: double;\n"
        "        @emits(invalidates) property readonly History: double[];\n"
        "}\n";

START_TEST(test_calculator_shape) {
        parsed p = parse_ok(calculator);
        idl_file *f = p.f;
        idl_interface *it;
        idl_method *m;
        idl_typedecl *d;

        ck_assert_str_eq(f->path, "t.idl");
        ck_assert_uint_eq(f->text_len, strlen(calculator));
        ck_assert_str_eq(f->text, calculator);
        ck_assert_uint_eq(f->n_interfaces, 1);
        ck_assert_uint_eq(f->n_types, 0);
        ck_assert_uint_eq(f->n_imports, 0);

        it = &f->interfaces[0];
        ck_assert_str_eq(it->c.name, "org.example.Calculator1");
        ck_assert_str_eq(it->c.loc.file, "t.idl");
        ck_assert_uint_eq(it->c.loc.line, 3);
        ck_assert_uint_eq(it->c.loc.col, 11);
        ck_assert_uint_eq(it->c.loc.len, 23);
        ck_assert_str_eq(it->c.doc, "A four-function calculator.");
        ck_assert_uint_eq(it->c.n_annotations, 1);
        ck_assert_str_eq(it->c.annotations[0].name, "c_prefix");
        ck_assert_uint_eq(it->c.annotations[0].n_args, 1);
        ck_assert_str_eq(it->c.annotations[0].args[0], "calc");
        ck_assert_uint_eq(it->c.annotations[0].loc.line, 2);
        ck_assert_uint_eq(it->c.annotations[0].loc.col, 1);
        ck_assert_uint_eq(it->c.annotations[0].loc.len, 9);
        ck_assert_ptr_null(it->c_prefix);       /* sema's job */
        ck_assert_ptr_null(it->c.c_name);

        ck_assert_uint_eq(it->n_errors, 1);
        ck_assert_str_eq(it->errors[0].c.name, "DivisionByZero");
        ck_assert_str_eq(it->errors[0].c.doc, "Raised when the divisor is zero.");
        ck_assert_ptr_eq(it->errors[0].scope, it);

        ck_assert_uint_eq(it->n_types, 3);
        d = it->types[0];
        ck_assert_int_eq(d->kind, IDL_DECL_ENUM);
        ck_assert_str_eq(d->c.name, "Mode");
        ck_assert_int_eq(d->backing, IDL_TYPE_UINT32);
        ck_assert_uint_eq(d->backing_loc.col, 21);
        ck_assert_uint_eq(d->n_values, 2);
        ck_assert_str_eq(d->values[1].name, "RADIANS");
        ck_assert_uint_eq(d->values[1].magnitude, 1);
        ck_assert_ptr_eq(d->scope, it);
        d = it->types[1];
        ck_assert_int_eq(d->kind, IDL_DECL_FLAGS);
        ck_assert_int_eq(d->backing, IDL_TYPE_UINT32);
        ck_assert_uint_eq(d->backing_loc.col, d->c.loc.col);    /* default: at the name */
        ck_assert_uint_eq(d->values[1].magnitude, 2);
        d = it->types[2];
        ck_assert_int_eq(d->kind, IDL_DECL_STRUCT);
        ck_assert_uint_eq(d->n_fields, 2);
        ck_assert_str_eq(d->fields[1].name, "y");
        ck_assert_int_eq(d->fields[1].type->kind, IDL_TYPE_DOUBLE);

        ck_assert_uint_eq(it->n_methods, 4);
        m = &it->methods[0];
        ck_assert_str_eq(m->c.name, "Add");
        ck_assert_str_eq(m->c.doc, "Adds two integers.");
        ck_assert_uint_eq(m->n_in, 2);
        ck_assert_uint_eq(m->n_out, 1);
        ck_assert_str_eq(m->in[1].name, "b");
        ck_assert_uint_eq(m->in[1].loc.line, 12);
        ck_assert_uint_eq(m->in[1].loc.col, 30);
        ck_assert_int_eq(m->in[1].type->kind, IDL_TYPE_INT32);
        ck_assert_uint_eq(m->in[1].type->loc.col, 33);
        ck_assert_str_eq(m->out[0].name, "sum");
        ck_assert_ptr_null(m->in_signature);

        m = &it->methods[1];
        ck_assert_uint_eq(m->n_raises, 1);
        ck_assert_str_eq(m->raises[0].name, "DivisionByZero");
        ck_assert_ptr_null(m->raises[0].error);

        m = &it->methods[2];
        ck_assert_int_eq(m->in[0].type->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(m->in[0].type->elem->kind, IDL_TYPE_NAMED);
        ck_assert_str_eq(m->in[0].type->elem->name, "Point");
        ck_assert_ptr_null(m->in[0].type->elem->decl);
        ck_assert_int_eq(m->in[1].type->kind, IDL_TYPE_DICT);
        ck_assert_int_eq(m->in[1].type->key->kind, IDL_TYPE_STRING);
        ck_assert_int_eq(m->in[1].type->elem->kind, IDL_TYPE_VARIANT);
        ck_assert_uint_eq(m->n_out, 0);

        m = &it->methods[3];
        ck_assert_str_eq(m->c.name, "Reset");
        ck_assert_uint_eq(m->c.n_annotations, 1);
        ck_assert_str_eq(m->c.annotations[0].name, "noreply");
        ck_assert_uint_eq(m->c.annotations[0].n_args, 0);
        ck_assert(!m->noreply);

        ck_assert_uint_eq(it->n_signals, 1);
        ck_assert_str_eq(it->signals[0].c.doc, "Emitted when a result does not fit in int32.");
        ck_assert_uint_eq(it->signals[0].n_args, 2);
        ck_assert_str_eq(it->signals[0].args[1].name, "where");

        ck_assert_uint_eq(it->n_properties, 3);
        ck_assert_int_eq(it->properties[0].access, IDL_ACCESS_READWRITE);
        ck_assert_int_eq(it->properties[1].access, IDL_ACCESS_READONLY);
        ck_assert_str_eq(it->properties[2].c.name, "History");
        ck_assert_str_eq(it->properties[2].c.annotations[0].name, "emits");
        ck_assert_str_eq(it->properties[2].c.annotations[0].args[0], "invalidates");
        ck_assert_int_eq(it->properties[2].type->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(it->properties[2].type->elem->kind, IDL_TYPE_DOUBLE);
        parsed_free(&p);
}
END_TEST

START_TEST(test_file_level_and_imports) {
        parsed p = parse_ok(
                "import \"base.idl\";\n"
                "import \"dir/more.idl\";\n"
                "/// A file-level struct.\n"
                "struct Pair { key: string; value: variant; };\n"
                "enum Level : int16 { LOW = -1, MID, HIGH, }\n"
                "interface a.b.One { method M(p: Pair); }\n"
                "interface a.b.Two { }\n");
        idl_file *f = p.f;

        ck_assert_uint_eq(f->n_imports, 2);
        ck_assert_str_eq(f->imports[1].path, "dir/more.idl");
        ck_assert_uint_eq(f->imports[1].loc.line, 2);
        ck_assert_uint_eq(f->n_types, 2);
        ck_assert_str_eq(f->types[0]->c.doc, "A file-level struct.");
        ck_assert_ptr_null(f->types[0]->scope);
        ck_assert_int_eq(f->types[1]->backing, IDL_TYPE_INT16);
        ck_assert_uint_eq(f->types[1]->n_values, 3);
        ck_assert(f->types[1]->values[0].negative);
        ck_assert_uint_eq(f->types[1]->values[0].magnitude, 1);
        ck_assert(!f->types[1]->values[1].negative);
        ck_assert_uint_eq(f->types[1]->values[1].magnitude, 0);
        ck_assert_uint_eq(f->types[1]->values[2].magnitude, 1);
        ck_assert_uint_eq(f->n_interfaces, 2);
        ck_assert_str_eq(f->interfaces[1].c.name, "a.b.Two");
        ck_assert_uint_eq(f->interfaces[1].n_methods, 0);
        parsed_free(&p);
}
END_TEST

START_TEST(test_types) {
        parsed p = parse_ok(
                "interface a.b {\n"
                "  method M(a: (int32, string[])[], b: byte[][], c: other.iface.Point,\n"
                "           d: dict<string, dict<string, int32>>, e: (objpath, (fd, signature),), f: bool);\n"
                "}\n");
        idl_field *in = p.f->interfaces[0].methods[0].in;
        idl_type *t;

        t = in[0].type;
        ck_assert_int_eq(t->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(t->elem->kind, IDL_TYPE_STRUCT);
        ck_assert_uint_eq(t->elem->n_fields, 2);
        ck_assert_ptr_null(t->elem->fields[0].name);
        ck_assert_int_eq(t->elem->fields[1].type->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(t->elem->fields[1].type->elem->kind, IDL_TYPE_STRING);
        ck_assert_uint_eq(t->elem->fields[1].loc.col, 23);

        t = in[1].type;
        ck_assert_int_eq(t->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(t->elem->kind, IDL_TYPE_ARRAY);
        ck_assert_int_eq(t->elem->elem->kind, IDL_TYPE_BYTE);
        ck_assert_uint_eq(t->loc.len, 8);       /* byte[][] */

        t = in[2].type;
        ck_assert_int_eq(t->kind, IDL_TYPE_NAMED);
        ck_assert_str_eq(t->name, "other.iface.Point");
        ck_assert_uint_eq(t->loc.len, 17);

        t = in[3].type;
        ck_assert_int_eq(t->kind, IDL_TYPE_DICT);
        ck_assert_int_eq(t->elem->kind, IDL_TYPE_DICT);
        ck_assert_int_eq(t->elem->elem->kind, IDL_TYPE_INT32);

        t = in[4].type;
        ck_assert_int_eq(t->kind, IDL_TYPE_STRUCT);
        ck_assert_uint_eq(t->n_fields, 2);
        ck_assert_int_eq(t->fields[1].type->kind, IDL_TYPE_STRUCT);
        ck_assert_int_eq(t->fields[1].type->fields[0].type->kind, IDL_TYPE_FD);
        ck_assert_int_eq(in[5].type->kind, IDL_TYPE_BOOL);
        parsed_free(&p);
}
END_TEST

START_TEST(test_keywords_as_names) {
        parsed p = parse_ok(
                "interface org.example.error.signal {\n"
                "  method error(default: int32, class: string, new: bool, timezone: string, int: int32,\n"
                "               errno: int32, string: string, method: byte, struct: int16) -> (interface: objpath);\n"
                "  signal property(readonly: bool);\n"
                "  property readonly signal: int32;\n"
                "  error raises;\n"
                "  enum E { error, method, }\n"
                "}\n");
        idl_interface *it = &p.f->interfaces[0];

        ck_assert_str_eq(it->c.name, "org.example.error.signal");
        ck_assert_str_eq(it->methods[0].c.name, "error");
        ck_assert_uint_eq(it->methods[0].n_in, 9);
        ck_assert_str_eq(it->methods[0].in[0].name, "default");
        ck_assert_str_eq(it->methods[0].in[6].name, "string");
        ck_assert_int_eq(it->methods[0].in[6].type->kind, IDL_TYPE_STRING);
        ck_assert_str_eq(it->methods[0].out[0].name, "interface");
        ck_assert_str_eq(it->signals[0].c.name, "property");
        ck_assert_str_eq(it->properties[0].c.name, "signal");
        ck_assert_str_eq(it->errors[0].c.name, "raises");
        ck_assert_str_eq(it->types[0]->values[1].name, "method");
        ck_assert_uint_eq(it->types[0]->values[1].magnitude, 1);
        parsed_free(&p);
}
END_TEST

START_TEST(test_annotations_and_docs) {
        parsed p = parse_ok(
                "interface a.b {\n"
                "  /** first */\n"
                "  @deprecated @since(\"1.2\") @annotation(\"org.x.Y\", \"v\")\n"
                "  /// closer wins\n"
                "  @emits(const) @deprecated()\n"
                "  property readonly P: int32;\n"
                "  struct S {\n"
                "    /// the x\n"
                "    x: int32;\n"
                "  }\n"
                "  enum E {\n"
                "    /** the A */ A = 5,\n"
                "    B\n"
                "  }\n"
                "  method M(/** the a */ a: int32, @annotation(\"n\", \"v\")\n"
                "           /** the b */ @deprecated b: int32) -> (@annotation(\"o\", \"\") c: int32);\n"
                "  signal S(@annotation(\"s\", \"t\") d: int32);\n"
                "}\n");
        idl_interface *it = &p.f->interfaces[0];
        idl_common *c = &it->properties[0].c;

        ck_assert_uint_eq(c->n_annotations, 5);
        ck_assert_str_eq(c->doc, "closer wins");
        ck_assert_str_eq(c->annotations[0].name, "deprecated");
        ck_assert_uint_eq(c->annotations[0].n_args, 0);
        ck_assert_str_eq(c->annotations[1].args[0], "1.2");
        ck_assert_uint_eq(c->annotations[2].n_args, 2);
        ck_assert_str_eq(c->annotations[2].args[0], "org.x.Y");
        ck_assert_str_eq(c->annotations[2].args[1], "v");
        ck_assert_str_eq(c->annotations[3].args[0], "const");
        ck_assert_uint_eq(c->annotations[4].n_args, 0);
        ck_assert_uint_eq(c->annotations[3].loc.line, 5);
        ck_assert_uint_eq(c->annotations[3].loc.col, 3);
        ck_assert_uint_eq(c->annotations[3].loc.len, 6);
        ck_assert_str_eq(it->types[0]->fields[0].doc, "the x");
        ck_assert_str_eq(it->types[1]->values[0].doc, "the A");
        ck_assert_ptr_null(it->types[1]->values[1].doc);
        ck_assert_uint_eq(it->types[1]->values[1].magnitude, 6);
        ck_assert_str_eq(it->methods[0].in[0].doc, "the a");
        ck_assert_uint_eq(it->methods[0].in[0].n_annotations, 0);
        /* annotations on parameters are parsed; which ones are allowed is for the semantic pass to say */
        ck_assert_str_eq(it->methods[0].in[1].doc, "the b");
        ck_assert_uint_eq(it->methods[0].in[1].n_annotations, 2);
        ck_assert_str_eq(it->methods[0].in[1].annotations[0].name, "annotation");
        ck_assert_str_eq(it->methods[0].in[1].annotations[0].args[1], "v");
        ck_assert_str_eq(it->methods[0].in[1].annotations[1].name, "deprecated");
        ck_assert_uint_eq(it->methods[0].in[1].annotations[1].loc.line, 16);
        ck_assert_uint_eq(it->methods[0].in[1].annotations[1].loc.col, 25);
        ck_assert_str_eq(it->methods[0].out[0].annotations[0].args[0], "o");
        ck_assert_str_eq(it->methods[0].out[0].annotations[0].args[1], "");
        ck_assert_str_eq(it->signals[0].args[0].annotations[0].args[0], "s");
        parsed_free(&p);
}
END_TEST

START_TEST(test_several_errors_in_one_run) {
        check_errors(
                "interface a.b {\n"
                "  method A(x: int32) -> (y: );\n"
                "  methd B();\n"
                "  property C: int32;\n"
                "  method D(x: int32\n"
                "  method E();\n"
                "  signal F(x: int32)\n"
                "  signal G(x: string);\n"
                "}\n"
                "}\n",
                "t.idl:2:29: error: expected a type, found ')'\n"
                "    2 |   method A(x: int32) -> (y: );\n"
                "      |                             ^\n"
                "t.idl:3:3: error: unknown keyword 'methd'; did you mean 'method'?\n"
                "    3 |   methd B();\n"
                "      |   ^~~~~\n"
                "t.idl:4:12: error: property 'C' needs an access: readonly, readwrite or writeonly\n"
                "    4 |   property C: int32;\n"
                "      |            ^\n"
                "t.idl:6:3: error: expected ')' before 'method'\n"
                "    6 |   method E();\n"
                "      |   ^~~~~~\n"
                "t.idl:5:11: note: to match this '('\n"
                "    5 |   method D(x: int32\n"
                "      |           ^\n"
                "t.idl:7:21: error: expected ';' after signal declaration\n"
                "    7 |   signal F(x: int32)\n"
                "      |                     ^\n"
                "t.idl:10:1: error: extraneous closing brace ('}')\n"
                "   10 | }\n"
                "      | ^\n",
                6);
}
END_TEST

START_TEST(test_recovery_keeps_later_members) {
        parsed p = parse(
                "interface a.b {\n"
                "  method A(x: int32\n"
                "  method B();\n"
                "  signal F(x: int32)\n"
                "  signal G(x: string);\n"
                "  struct S { a: ; b: int32; }\n"
                "  enum E { A = x, B = 2 }\n"
                "}\n"
                "interface c.d { method Z(); }\n");

        ck_assert_uint_eq(p.errors, 4);
        ck_assert_uint_eq(p.f->n_interfaces, 2);
        ck_assert_uint_eq(p.f->interfaces[0].n_methods, 1);
        ck_assert_str_eq(p.f->interfaces[0].methods[0].c.name, "B");
        ck_assert_uint_eq(p.f->interfaces[0].n_signals, 2);
        ck_assert_uint_eq(p.f->interfaces[0].types[0]->n_fields, 1);
        ck_assert_str_eq(p.f->interfaces[0].types[0]->fields[0].name, "b");
        ck_assert_uint_eq(p.f->interfaces[0].types[1]->n_values, 1);
        ck_assert_str_eq(p.f->interfaces[0].types[1]->values[0].name, "B");
        ck_assert_str_eq(p.f->interfaces[1].methods[0].c.name, "Z");
        parsed_free(&p);
}
END_TEST

/*
 * The tree after syntax errors has only what parsed well, for the checks to run on: members with a
 * syntax error (or a name that is no name) are left out, types stay declared (marked incomplete),
 * a missing ';' or '}' loses nothing after it.
 */
START_TEST(test_tree_after_syntax_errors) {
        parsed p = parse(
                "struct S { a: int32 = 1; }\n"
                "enum E : uint33 { A = 0x, B, C = 7, D }\n"
                "flags F { R, W = 2 }\n"
                "interface a.b {\n"
                "  method A() -> (x: int32)\n"
                "  method Get-Value();\n"
                "  @since(1.2) @deprecated method B(x: int32 y: int32);\n"
                "  struct T { a: int32;\n"
                "  method C(a: Unknown;\n"
                "  error Failed\n"
                "interface c.1d { method Z() raises (Failed,); }\n");
        const idl_interface *it;

        ck_assert(p.f->syntax_errors);
        ck_assert_uint_eq(p.f->n_types, 3);
        ck_assert(p.f->types[0]->incomplete);
        ck_assert_uint_eq(p.f->types[0]->n_fields, 1);
        /* E: the backing is for the checks; 0x and the implicit value after it are left out */
        ck_assert_str_eq(p.f->types[1]->backing_name, "uint33");
        ck_assert(p.f->types[1]->incomplete);
        ck_assert_uint_eq(p.f->types[1]->n_values, 2);
        ck_assert_str_eq(p.f->types[1]->values[0].name, "C");
        ck_assert_uint_eq(p.f->types[1]->values[0].value_loc.col, 34);
        ck_assert_uint_eq(p.f->types[1]->values[1].magnitude, 8);
        ck_assert_uint_eq(p.f->types[2]->n_values, 1);
        ck_assert(p.f->types[2]->incomplete);

        ck_assert_uint_eq(p.f->n_interfaces, 2);
        it = &p.f->interfaces[0];
        ck_assert_uint_eq(it->n_methods, 2);
        ck_assert_str_eq(it->methods[0].c.name, "A");
        ck_assert_str_eq(it->methods[1].c.name, "B");
        ck_assert_uint_eq(it->methods[1].n_in, 2);
        ck_assert_uint_eq(it->methods[1].c.n_annotations, 1);      /* @since(1.2) is left out */
        ck_assert_str_eq(it->methods[1].c.annotations[0].name, "deprecated");
        ck_assert_uint_eq(it->n_types, 1);
        ck_assert(!it->types[0]->incomplete);
        ck_assert_uint_eq(it->n_errors, 1);
        it = &p.f->interfaces[1];
        ck_assert_str_eq(it->c.name, "c.1d");
        ck_assert_uint_eq(it->methods[0].n_raises, 1);
        parsed_free(&p);

        p = parse("interface a.b { method A(); }\n");
        ck_assert(!p.f->syntax_errors);
        parsed_free(&p);
}
END_TEST

/* A UTF-8 byte order mark is no part of the text; a lone CR is a line end, also where diagnostics show lines. */
START_TEST(test_bom_and_cr) {
        check_errors("\xef\xbb\xbfinterface a.b { method M(x: ); }",
                     "t.idl:1:29: error: expected a type, found ')'\n"
                     "    1 | interface a.b { method M(x: ); }\n"
                     "      |                             ^\n",
                     1);
        check_errors("interface a.b {\r  method M(x: );\r}\r",
                     "t.idl:2:15: error: expected a type, found ')'\n"
                     "    2 |   method M(x: );\n"
                     "      |               ^\n",
                     1);
}
END_TEST

START_TEST(test_misc_syntax_errors) {
        check_errors("interface a.b { flags F { R, W = 2 } method M(int32, b: int32); }\n",
                     "t.idl:1:27: error: flags value 'R' needs an explicit value\n"
                     "    1 | interface a.b { flags F { R, W = 2 } method M(int32, b: int32); }\n"
                     "      |                           ^\n"
                     "t.idl:1:47: error: parameter of type 'int32' has no name; write 'name: int32'\n"
                     "    1 | interface a.b { flags F { R, W = 2 } method M(int32, b: int32); }\n"
                     "      |                                               ^~~~~\n",
                     2);
        check_errors("@c_prefix(\"x\") import \"a.idl\";\nstruct S { @c_name(\"y\") a: int32; }\n"
                     "interface a.b { method M(x: int32); enum E { @since(\"1\") A } }\n",
                     "t.idl:1:1: error: annotations are not allowed on imports\n"
                     "    1 | @c_prefix(\"x\") import \"a.idl\";\n"
                     "      | ^~~~~~~~~\n"
                     "t.idl:2:12: error: annotations are not allowed on struct fields\n"
                     "    2 | struct S { @c_name(\"y\") a: int32; }\n"
                     "      |            ^~~~~~~\n"
                     "t.idl:3:46: error: annotations are not allowed on enumerators\n"
                     "    3 | interface a.b { method M(x: int32); enum E { @since(\"1\") A } }\n"
                     "      |                                              ^~~~~~\n",
                     3);
        /* a backing type that is a name ("Foo") is for the checks to judge, and a type named by a keyword is kept */
        check_errors("interface a.b { method M(x: ()); enum E : string { A } enum F : Foo { B } struct string { } }",
                     "t.idl:1:29: error: an anonymous struct needs at least one member\n"
                     "    1 | interface a.b { method M(x: ()); enum E : string { A } enum F : Foo { B } struct string { } }\n"
                     "      |                             ^\n"
                     "t.idl:1:82: error: 'string' is a keyword: it cannot be a struct name\n"
                     "    1 | interface a.b { method M(x: ()); enum E : string { A } enum F : Foo { B } struct string { } }\n"
                     "      |                                                                                  ^~~~~~\n",
                     2);
        check_errors("interface a.b {\n  method M();\n",
                     "t.idl:2:14: error: expected '}', found end of file\n"
                     "    2 |   method M();\n"
                     "      |              ^\n"
                     "t.idl:1:15: note: to match this '{'\n"
                     "    1 | interface a.b {\n"
                     "      |               ^\n",
                     1);
        check_errors("interfase a.b { }\n@ interface",
                     "t.idl:1:1: error: unknown keyword 'interfase'; did you mean 'interface'?\n"
                     "    1 | interfase a.b { }\n"
                     "      | ^~~~~~~~~\n"
                     "t.idl:2:3: error: expected an annotation name after '@', found 'interface'\n"
                     "    2 | @ interface\n"
                     "      |   ^~~~~~~~~\n",
                     2);
        check_errors("interface a. { } interface b.c { method M(x: int32 y: int32); } ",
                     "t.idl:1:14: error: expected a name after '.', found '{'\n"
                     "    1 | interface a. { } interface b.c { method M(x: int32 y: int32); } \n"
                     "      |              ^\n"
                     "t.idl:1:52: error: expected ',' or ')', found 'y'\n"
                     "    1 | interface a. { } interface b.c { method M(x: int32 y: int32); } \n"
                     "      |                                                    ^\n",
                     2);
        check_errors("interface a.b { method M() raises E; method N() raises (E F); }",
                     "t.idl:1:35: error: expected '(' after 'raises', found 'E'\n"
                     "    1 | interface a.b { method M() raises E; method N() raises (E F); }\n"
                     "      |                                   ^\n"
                     "t.idl:1:59: error: expected ',' or ')', found 'F'\n"
                     "    1 | interface a.b { method M() raises E; method N() raises (E F); }\n"
                     "      |                                                           ^\n",
                     2);
}
END_TEST

START_TEST(test_deep_nesting_is_an_error_not_a_crash) {
        size_t n = 100000, len = 0;
        char *src = malloc(5 * n + 100);

        ck_assert_ptr_nonnull(src);
        len += (size_t) sprintf(src, "interface a.b { method M(x: ");
        for (size_t i = 0; i < n; i++)
                src[len++] = '(';
        len += (size_t) sprintf(src + len, "int32");
        for (size_t i = 0; i < n; i++)
                src[len++] = ')';
        len += (size_t) sprintf(src + len, "); method N(y: int32");
        for (size_t i = 0; i < n; i++) {
                src[len++] = '[';
                src[len++] = ']';
        }
        len += (size_t) sprintf(src + len, "); }");

        parsed p = parse_len(src, len);
        ck_assert_uint_eq(p.errors, 2);
        ck_assert_ptr_nonnull(strstr(p.diags, "t.idl:1:94: error: type nested too deeply (the limit is 64 levels)\n"));
        ck_assert_uint_eq(p.f->n_interfaces, 1);
        parsed_free(&p);

        /* 64 levels are fine */
        len = (size_t) sprintf(src, "interface a.b { method M(x: ");
        for (size_t i = 0; i < 64; i++)
                len += (size_t) sprintf(src + len, "dict<string, ");
        len += (size_t) sprintf(src + len, "int32");
        for (size_t i = 0; i < 64; i++)
                src[len++] = '>';
        len += (size_t) sprintf(src + len, "); }");
        p = parse_len(src, len);
        ck_assert_str_eq(p.diags, "");
        parsed_free(&p);
        free(src);
}
END_TEST

START_TEST(test_binary_input) {
        static const char src[] = "interface a.b {\n\0\x01\x02 method";
        parsed p = parse_len(src, sizeof(src) - 1);

        ck_assert_str_eq(p.diags,
                         "t.idl:2:1: error: file contains a NUL byte; is it a text file?\n"
                         "    2 |     method\n"
                         "      | ^\n");
        ck_assert_uint_eq(p.errors, 1);
        ck_assert_uint_eq(p.f->text_len, sizeof(src) - 1);
        parsed_free(&p);
}
END_TEST

START_TEST(test_empty_and_trivia) {
        parsed p = parse_ok("");

        ck_assert_uint_eq(p.f->n_interfaces, 0);
        parsed_free(&p);
        p = parse_ok("// nothing\n;;\n/** dangling doc */\n");
        ck_assert_uint_eq(p.f->n_interfaces, 0);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_file) {
        char path[] = "/tmp/test-parser-XXXXXX";
        idl_diag_sink *s;
        idl_file *f = NULL;
        FILE *out = fopen("/dev/null", "we");
        int fd = mkstemp(path);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, calculator, strlen(calculator)), (ssize_t) strlen(calculator));
        close(fd);
        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        ck_assert_int_eq(idl_parse_file(path, s, &f), 0);
        ck_assert_str_eq(f->path, path);
        ck_assert_str_eq(f->interfaces[0].c.loc.file, path);
        ck_assert_uint_eq(f->interfaces[0].n_methods, 4);
        ck_assert_uint_eq(idl_diag_error_count(s), 0);
        idl_file_free(f);
        unlink(path);
        f = NULL;
        ck_assert_int_eq(idl_parse_file(path, s, &f), -ENOENT);
        ck_assert_ptr_null(f);
        ck_assert_uint_eq(idl_diag_error_count(s), 0);
        ck_assert_int_eq(idl_parse_string(NULL, "", 0, s, &f), -EINVAL);
        ck_assert_ptr_null(idl_file_free(NULL));
        idl_diag_sink_free(s);
        fclose(out);
}
END_TEST

static Suite *parser_suite(void) {
        Suite *s = suite_create("parser");
        TCase *good = tcase_create("good"), *bad = tcase_create("bad");

        tcase_add_test(good, test_calculator_shape);
        tcase_add_test(good, test_file_level_and_imports);
        tcase_add_test(good, test_types);
        tcase_add_test(good, test_keywords_as_names);
        tcase_add_test(good, test_annotations_and_docs);
        tcase_add_test(good, test_empty_and_trivia);
        tcase_add_test(good, test_parse_file);
        tcase_add_test(bad, test_several_errors_in_one_run);
        tcase_add_test(bad, test_recovery_keeps_later_members);
        tcase_add_test(bad, test_misc_syntax_errors);
        tcase_add_test(bad, test_tree_after_syntax_errors);
        tcase_add_test(bad, test_bom_and_cr);
        tcase_add_test(bad, test_deep_nesting_is_an_error_not_a_crash);
        tcase_add_test(bad, test_binary_input);
        suite_add_tcase(s, good);
        suite_add_tcase(s, bad);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(parser_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

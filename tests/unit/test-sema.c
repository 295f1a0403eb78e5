/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-sema.c — unit tests of the semantic pass (idl/sema.c), and the tests/idl/{good,bad} cases */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* asprintf */
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "idl/idl.h"

typedef struct checked {
        idl_file *f;
        char *diags;
        unsigned errors;
        unsigned warnings;
} checked;

/* Parse and check, also after syntax errors (what dbidlc does: the tree has what parsed well). */
static checked run_len(const char *path, const char *src, size_t len) {
        checked c = {};
        idl_diag_sink *s;
        size_t n = 0;
        FILE *out = open_memstream(&c.diags, &n);

        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        ck_assert_int_eq(idl_parse_string(path, src, len, s, &c.f), 0);
        ck_assert_int_eq(idl_check(c.f, s), 0);
        /* the C names, as dbidlc checks them before writing C (codegen/check-names.c) */
        if (idl_diag_error_count(s) == 0)
                ck_assert_int_ge(codegen_check_names(c.f, "t", s), 0);
        c.errors = idl_diag_error_count(s);
        c.warnings = idl_diag_warning_count(s);
        idl_diag_sink_free(s);
        fclose(out);
        return c;
}

static checked run(const char *src) {
        return run_len("t.idl", src, strlen(src));
}

static void checked_free(checked *c) {
        idl_file_free(c->f);
        free(c->diags);
}

static checked run_ok(const char *src) {
        checked c = run(src);

        ck_assert_msg(c.errors == 0 && c.warnings == 0 && c.diags[0] == 0, "unexpected diagnostics:\n%s", c.diags);
        return c;
}

/* The first line of every diagnostic (no excerpts), joined. */
static char *headers(const char *diags) {
        char *r = malloc(strlen(diags) + 1), *o = r;

        ck_assert_ptr_nonnull(r);
        for (const char *l = diags; *l;) {
                const char *e = strchr(l, '\n');
                size_t n = e ? (size_t) (e - l + 1) : strlen(l);

                if (l[0] != ' ') {
                        memcpy(o, l, n);
                        o += n;
                }
                l += n;
        }
        *o = 0;
        return r;
}

/* `src` must produce exactly these diagnostic header lines. */
static void expect(const char *src, const char *want) {
        checked c = run(src);
        char *h = headers(c.diags);

        ck_assert_str_eq(h, want);
        free(h);
        checked_free(&c);
}

/* ---- signatures ---- */

START_TEST(test_signatures_of_every_type) {
        static const struct {
                const char *type, *sig;
        } table[] = {
                { "byte", "y" }, { "bool", "b" }, { "int16", "n" }, { "uint16", "q" },
                { "int32", "i" }, { "uint32", "u" }, { "int64", "x" }, { "uint64", "t" },
                { "double", "d" }, { "string", "s" }, { "objpath", "o" }, { "signature", "g" },
                { "fd", "h" }, { "variant", "v" },
                { "string[]", "as" },
                { "int32[][]", "aai" },
                { "dict<string, variant>", "a{sv}" },
                { "dict<fd, bool>", "a{hb}" },
                { "(int32, string[])[]", "a(ias)" },
                { "(P, (int16, uint16))", "((dd)(nq))" },
                { "P", "(dd)" },
                { "P[]", "a(dd)" },
                { "M", "y" },
                { "F", "t" },
                { "G", "u" },
                { "dict<M, P[]>", "a{ya(dd)}" },
                { "dict<string, dict<string, int32>>", "a{sa{si}}" },
                { "Nested", "((dd)as(ii))" },
                { "Shared", "(sv)" },
                { "a.b.Other.Q", "(b)" },
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                char src[1024];
                checked c;
                idl_method *m;

                snprintf(src, sizeof(src),
                         "struct Shared { k: string; v: variant; }\n"
                         "interface a.b.Other { struct Q { b: bool; } }\n"
                         "interface a.b.C {\n"
                         "  struct P { x: double; y: double; }\n"
                         "  enum M : byte { A = 0 }\n"
                         "  flags F : uint64 { X = 1 }\n"
                         "  flags G { Y = 1 }\n"
                         "  struct Nested { p: P; s: string[]; t: (int32, int32); }\n"
                         "  method Run(x: %s) -> (y: %s, z: int32);\n"
                         "  signal S(x: %s);\n"
                         "  property readonly R: %s;\n"
                         "}\n",
                         table[i].type, table[i].type, table[i].type, table[i].type);
                c = run_ok(src);
                m = &c.f->interfaces[1].methods[0];
                ck_assert_msg(strcmp(m->in_signature, table[i].sig) == 0, "%s: %s != %s", table[i].type,
                              m->in_signature, table[i].sig);
                ck_assert_str_eq(m->in[0].type->signature, table[i].sig);
                ck_assert_str_eq(m->out[0].type->signature, table[i].sig);
                ck_assert_int_eq(strncmp(m->out_signature, table[i].sig, strlen(table[i].sig)), 0);
                ck_assert_str_eq(m->out_signature + strlen(table[i].sig), "i");
                ck_assert_str_eq(c.f->interfaces[1].signals[0].signature, table[i].sig);
                ck_assert_str_eq(c.f->interfaces[1].properties[0].type->signature, table[i].sig);
                checked_free(&c);
        }
}
END_TEST

START_TEST(test_declaration_signatures_and_resolution) {
        checked c = run_ok(
                "struct Point { x: int32; y: int32; }\n"
                "enum Color : int64 { RED = -1 }\n"
                "interface a.b.C {\n"
                "  struct Point { x: double; }\n"
                "  flags Caps : uint16 { A = 1 }\n"
                "  method M(p: Point, c: Color, f: Caps);\n"
                "  method N();\n"
                "  signal Empty();\n"
                "}\n"
                "interface a.b.D { method M(p: Point); }\n");
        idl_interface *ic = &c.f->interfaces[0], *id = &c.f->interfaces[1];

        ck_assert_str_eq(c.f->types[0]->signature, "(ii)");
        ck_assert_str_eq(c.f->types[1]->signature, "x");
        ck_assert_str_eq(ic->types[0]->signature, "(d)");
        ck_assert_str_eq(ic->types[1]->signature, "q");
        /* the interface's own Point shadows the file's */
        ck_assert_ptr_eq(ic->methods[0].in[0].type->decl, ic->types[0]);
        ck_assert_ptr_eq(ic->methods[0].in[1].type->decl, c.f->types[1]);
        ck_assert_ptr_eq(ic->methods[0].in[2].type->decl, ic->types[1]);
        ck_assert_ptr_eq(id->methods[0].in[0].type->decl, c.f->types[0]);
        ck_assert_str_eq(ic->methods[0].in_signature, "(d)xq");
        ck_assert_str_eq(ic->methods[0].out_signature, "");
        ck_assert_str_eq(ic->methods[1].in_signature, "");
        ck_assert_str_eq(ic->signals[0].signature, "");
        ck_assert_str_eq(id->methods[0].in_signature, "(ii)");
        checked_free(&c);
}
END_TEST

/* Many types, found by name through the scopes' hash indexes: in the interface, in another one by its dotted name. */
START_TEST(test_resolution_many_types) {
        enum { N = 500 };
        static const char *const kinds[] = { "int32", "string", "double", "bool" };
        static const char codes[] = "isdb";
        char *src = NULL, sig[8];
        size_t len = 0;
        FILE *f = open_memstream(&src, &len);

        ck_assert_ptr_nonnull(f);
        fputs("interface a.b.C {\n", f);
        for (int i = 0; i < N; i++)
                fprintf(f, "  struct T%d { v: %s; }\n  method M%d(t: T%d);\n", i, kinds[i % 4], i, i);
        fputs("}\ninterface a.b.D {\n", f);
        for (int i = N - 1; i >= 0; i--)
                fprintf(f, "  method U%d(t: a.b.C.T%d);\n", i, i);
        fputs("}\n", f);
        ck_assert_int_eq(fclose(f), 0);

        checked c = run_ok(src);
        idl_interface *ic = &c.f->interfaces[0], *id = &c.f->interfaces[1];
        ck_assert_uint_eq(ic->n_types, N);
        for (int i = 0; i < N; i++) {
                snprintf(sig, sizeof sig, "(%c)", codes[i % 4]);
                ck_assert_ptr_eq(ic->methods[i].in[0].type->decl, ic->types[i]);
                ck_assert_str_eq(ic->methods[i].in_signature, sig);
                ck_assert_ptr_eq(id->methods[N - 1 - i].in[0].type->decl, ic->types[i]);
                ck_assert_str_eq(id->methods[N - 1 - i].in_signature, sig);
        }
        checked_free(&c);
        free(src);
}
END_TEST

/* A type declared twice is an error; a use of its name resolves to the first declaration. */
START_TEST(test_resolution_first_of_repeated_type) {
        checked c = run("interface a.b.C {\n"
                        "  struct Dup { a: int32; }\n"
                        "  struct Dup { b: string; }\n"
                        "  method M(d: Dup);\n"
                        "}\n");
        idl_interface *ic = &c.f->interfaces[0];

        ck_assert_uint_ge(c.errors, 1);
        ck_assert_ptr_nonnull(strstr(c.diags, "Dup"));
        ck_assert_ptr_eq(ic->methods[0].in[0].type->decl, ic->types[0]);
        checked_free(&c);
}
END_TEST

/* ---- names ---- */

START_TEST(test_snake_case) {
        static const char *const table[][2] = {
                { "GetCapabilities", "get_capabilities" },
                { "GetURL", "get_url" },
                { "URLForName", "url_for_name" },
                { "Calculator1", "calculator1" },
                { "getServerInformation", "get_server_information" },
                { "GetURLFor2", "get_url_for2" },
                { "Add", "add" },
                { "already_snake", "already_snake" },
                { "Get_URL", "get_url" },
                { "ABC", "abc" },
                { "A", "a" },
                { "", "" },
                { "Int32Value", "int32_value" },
                { "HTTPServer2Go", "http_server2_go" },
                { "DBus", "d_bus" },
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                char *s = idl_snake_case(table[i][0]);

                ck_assert_ptr_nonnull(s);
                ck_assert_msg(strcmp(s, table[i][1]) == 0, "%s -> %s, not %s", table[i][0], s, table[i][1]);
                free(s);
        }
        ck_assert_ptr_null(idl_snake_case(NULL));
}
END_TEST

START_TEST(test_names_and_annotations) {
        checked c = run_ok(
                "@deprecated(\"old\") @since(\"0.9\") struct Pt { x: int32; }\n"
                "interface org.example.Calculator1 {\n"
                "  error DivisionByZero;\n"
                "  @dbus_name(\"org.example.Failed\") @c_name(\"failed\") error Oops;\n"
                "  @c_name(\"get_url\") @dbus_name(\"GetURL2\") method GetURL();\n"
                "  @noreply @deprecated method Reset();\n"
                "  @annotation(\"org.x.A\", \"1\") @annotation(\"org.x.B\", \"2\") signal Changed();\n"
                "  method Store(@annotation(\"org.x.C\", \"3\") @annotation(\"org.x.D\", \"\") data: byte[], n: int32)\n"
                "    -> (@annotation(\"org.x.E\", \"5\") handle: uint32);\n"
                "  signal Stored(@annotation(\"org.x.F\", \"6\") handle: uint32);\n"
                "  @emits(invalidates) property readonly History: double[];\n"
                "  @emits(\"const\") property readonly Version: string;\n"
                "  @emits(none) property readwrite Volume: int32;\n"
                "  @emits(change) property readwrite Secret: string;\n"
                "  property readonly LastResult: double;\n"
                "}\n"
                "@c_prefix(\"calc2\") interface org.example.Calc2 { enum Mode { A } }\n");
        idl_interface *it = &c.f->interfaces[0];
        idl_typedecl *pt = c.f->types[0];

        ck_assert_str_eq(pt->c.c_name, "Pt"); /* types: UpperCamelCase */
        ck_assert_str_eq(pt->c.dbus_name, "Pt");
        ck_assert(pt->c.deprecated);
        ck_assert_str_eq(pt->c.deprecated_reason, "old");
        ck_assert_str_eq(pt->c.since, "0.9");

        ck_assert_str_eq(it->c_prefix, "org_example_calculator1");
        ck_assert(!it->c_prefix_given);
        ck_assert_str_eq(it->c.dbus_name, "org.example.Calculator1");
        ck_assert_str_eq(it->errors[0].c.dbus_name, "org.example.Calculator1.Error.DivisionByZero");
        ck_assert_str_eq(it->errors[0].c.c_name, "division_by_zero");
        ck_assert_ptr_eq(it->errors[0].scope, it);
        ck_assert_str_eq(it->errors[1].c.dbus_name, "org.example.Failed");
        ck_assert_str_eq(it->errors[1].c.c_name, "failed");
        ck_assert_str_eq(it->methods[0].c.c_name, "get_url");
        ck_assert_str_eq(it->methods[0].c.dbus_name, "GetURL2");
        ck_assert(!it->methods[0].noreply);
        ck_assert(it->methods[1].noreply);
        ck_assert(it->methods[1].c.deprecated);
        ck_assert_ptr_null(it->methods[1].c.deprecated_reason);
        ck_assert_str_eq(it->methods[1].c.dbus_name, "Reset");
        ck_assert_uint_eq(it->signals[0].c.n_xml_annotations, 2);
        ck_assert_str_eq(it->signals[0].c.xml_annotations[1].name, "org.x.B");
        ck_assert_str_eq(it->signals[0].c.xml_annotations[1].value, "2");
        /* parameters: their @annotation pass-throughs, and nothing on the member */
        ck_assert_uint_eq(it->methods[2].c.n_xml_annotations, 0);
        ck_assert_uint_eq(it->methods[2].in[0].n_xml_annotations, 2);
        ck_assert_str_eq(it->methods[2].in[0].xml_annotations[0].name, "org.x.C");
        ck_assert_str_eq(it->methods[2].in[0].xml_annotations[1].name, "org.x.D");
        ck_assert_str_eq(it->methods[2].in[0].xml_annotations[1].value, "");
        ck_assert_uint_eq(it->methods[2].in[1].n_xml_annotations, 0);
        ck_assert_str_eq(it->methods[2].out[0].xml_annotations[0].value, "5");
        ck_assert_str_eq(it->signals[1].args[0].xml_annotations[0].name, "org.x.F");
        ck_assert_int_eq(it->properties[0].emits, IDL_EMITS_INVALIDATES);
        ck_assert_int_eq(it->properties[1].emits, IDL_EMITS_CONST);
        ck_assert_int_eq(it->properties[2].emits, IDL_EMITS_NONE);
        ck_assert_int_eq(it->properties[3].emits, IDL_EMITS_CHANGE);
        ck_assert_int_eq(it->properties[4].emits, IDL_EMITS_CHANGE);
        ck_assert_str_eq(it->properties[4].c.c_name, "last_result");
        ck_assert_str_eq(c.f->interfaces[1].c_prefix, "calc2");
        ck_assert_str_eq(c.f->interfaces[1].types[0]->c.c_name, "Mode");
        checked_free(&c);
}
END_TEST

START_TEST(test_raises_resolution) {
        checked c = run_ok("interface a.b { error E1; error E2; method M() raises (E2, E1); }");
        idl_interface *it = &c.f->interfaces[0];

        ck_assert_ptr_eq(it->methods[0].raises[0].error, &it->errors[1]);
        ck_assert_ptr_eq(it->methods[0].raises[1].error, &it->errors[0]);
        checked_free(&c);
}
END_TEST

/* ---- every check, with its message ---- */

START_TEST(test_annotation_errors) {
        expect("@c_prefix(\"x\") struct S { a: int32; }\n"
               "interface a.b {\n"
               "  @noreplay method A();\n"
               "  @noreply method B() -> (x: int32);\n"
               "  @noreply signal C();\n"
               "  @c_name method D();\n"
               "  @c_name(\"a\", \"b\") method E();\n"
               "  @noreply(\"x\") method F();\n"
               "  @deprecated(\"a\", \"b\") method G();\n"
               "  @c_name(\"x\") @c_name(\"y\") method H();\n"
               "  @c_name(\"1x\") method I();\n"
               "  @c_name(\"_x\") method J();\n"
               "  @emits(sometimes) property readonly K: int32;\n"
               "  @dbus_name(\"a.b\") method L();\n"
               "  @dbus_name(\"NoDots\") error M;\n"
               "  @annotation(\"\", \"v\") method N();\n"
               "  @frobnicate method O();\n"
               "  method P(@noreply a: int32, @annotation(\"x\") b: int32) -> (@deprecated c: int32);\n"
               "  signal Q(@since(\"1\") a: int32, @annotatoin(\"x\", \"y\") b: int32);\n"
               "}\n"
               "@c_prefix(\"has space\") interface c.d { }\n",
               "t.idl:1:1: error: '@c_prefix' is not allowed on a struct\n"
               "t.idl:3:3: error: unknown annotation '@noreplay'; did you mean '@noreply'?\n"
               "t.idl:4:3: error: '@noreply' method 'B' cannot have outputs\n"
               "t.idl:5:3: error: '@noreply' is not allowed on a signal\n"
               "t.idl:6:3: error: '@c_name' takes one argument, not 0\n"
               "t.idl:7:3: error: '@c_name' takes one argument, not 2\n"
               "t.idl:8:3: error: '@noreply' takes no arguments, not 1\n"
               "t.idl:9:3: error: '@deprecated' takes at most one argument, not 2\n"
               "t.idl:10:16: error: duplicate annotation '@c_name'\n"
               "t.idl:10:3: note: previous '@c_name' is here\n"
               "t.idl:11:12: error: '@c_name' needs a C identifier, not '1x'\n"
               "t.idl:12:12: error: '@c_name' value '_x' starts with '_'; such C names are reserved\n"
               "t.idl:13:10: error: '@emits' must be one of change, invalidates, const or none, not 'sometimes'\n"
               "t.idl:14:15: error: '@dbus_name' value 'a.b' is not a valid D-Bus member name\n"
               "t.idl:15:15: error: '@dbus_name' value 'NoDots' is not a valid D-Bus error name\n"
               "t.idl:16:15: error: '@annotation' needs a non-empty name\n"
               "t.idl:17:3: error: unknown annotation '@frobnicate'\n"
               "t.idl:18:12: error: '@noreply' is not allowed on a parameter\n"
               "t.idl:18:31: error: '@annotation' takes two arguments, not 1\n"
               "t.idl:18:62: error: '@deprecated' is not allowed on a parameter\n"
               "t.idl:19:12: error: '@since' is not allowed on a parameter\n"
               "t.idl:19:34: error: unknown annotation '@annotatoin'; did you mean '@annotation'?\n"
               "t.idl:21:12: error: '@c_prefix' needs a C identifier, not 'has space'\n");
}
END_TEST

START_TEST(test_name_errors) {
        expect("interface Calculator { }\n"
               "interface a.b { }\n"
               "interface a.b { }\n"
               "struct S { x: int32; }\n"
               "enum S { A }\n"
               "interface c.d {\n"
               "  error E; error E;\n"
               "  method M(a: int32, a: int32) -> (a: int32);\n"
               "  method M();\n"
               "  signal M(x: int32, x: int32);\n"
               "  property readonly M: int32;\n"
               "  property readonly M: int32;\n"
               "  struct T { f: int32; f: string; }\n"
               "  enum U { A = 1, B = 1, A = 2 }\n"
               "  struct T { g: int32; }\n"
               "}\n",
               "t.idl:1:11: error: interface name 'Calculator' needs at least two dot-separated elements, e.g. 'org.example.Calculator'\n"
               "t.idl:3:11: error: redefinition of interface 'a.b'\n"
               "t.idl:2:11: note: previous definition of 'a.b' is here\n"
               "t.idl:5:6: error: redefinition of type 'S'\n"
               "t.idl:4:8: note: previous definition of 'S' is here\n"
               "t.idl:7:18: error: redefinition of error 'E'\n"
               "t.idl:7:9: note: previous definition of 'E' is here\n"
               "t.idl:8:22: error: redefinition of parameter 'a'\n"
               "t.idl:8:12: note: previous definition of 'a' is here\n"
               "t.idl:9:10: error: redefinition of method 'M'\n"
               "t.idl:8:10: note: previous definition of 'M' is here\n"
               "t.idl:10:22: error: redefinition of parameter 'x'\n"
               "t.idl:10:12: note: previous definition of 'x' is here\n"
               "t.idl:12:21: error: redefinition of property 'M'\n"
               "t.idl:11:21: note: previous definition of 'M' is here\n"
               "t.idl:13:24: error: redefinition of field 'f'\n"
               "t.idl:13:14: note: previous definition of 'f' is here\n"
               "t.idl:14:19: error: enumerator 'B' has the same value (1) as 'A'\n"
               "t.idl:14:12: note: 'A' is declared here\n"
               "t.idl:14:26: error: redefinition of enumerator 'A'\n"
               "t.idl:14:12: note: previous definition of 'A' is here\n"
               "t.idl:15:10: error: redefinition of type 'T'\n"
               "t.idl:13:10: note: previous definition of 'T' is here\n");
}
END_TEST

START_TEST(test_type_errors) {
        expect("interface a.b {\n"
               "  struct Point { x: double; }\n"
               "  method A(a: int33, b: Pont, c: Nothing, d: x.y.Point, e: a.b.Point);\n"
               "  method B(a: dict<variant, int32>, b: dict<string[], int32>, c: dict<Point, int32>);\n"
               "  method C(a: dict<(int32), int32>, b: dict<E, int32>, c: dict<dict<string, int32>, int32>);\n"
               "  enum E { X }\n"
               "  struct Empty { }\n"
               "  enum NoValues { }\n"
               "  method D() raises (Nope);\n"
               "  error Failed;\n"
               "  method F() raises (Faild, Failed, Failed);\n"
               "}\n",
               "t.idl:3:15: error: unknown type 'int33'; did you mean 'int32'?\n"
               "t.idl:3:25: error: unknown type 'Pont'; did you mean 'Point'?\n"
               "t.idl:3:34: error: unknown type 'Nothing'\n"
               "t.idl:3:46: error: unknown type 'x.y.Point'\n"
               "t.idl:4:20: error: dict key must be a basic type, not 'variant'\n"
               "t.idl:4:45: error: dict key must be a basic type, not 'string[]'\n"
               "t.idl:4:71: error: dict key must be a basic type, not 'Point'\n"
               "t.idl:5:20: error: dict key must be a basic type, not '(int32)'\n"
               "t.idl:5:64: error: dict key must be a basic type, not 'dict<string, int32>'\n"
               "t.idl:7:10: error: struct 'Empty' has no fields; D-Bus structs need at least one\n"
               "t.idl:8:8: error: enum 'NoValues' has no values\n"
               "t.idl:9:22: error: unknown error 'Nope' in raises\n"
               "t.idl:11:22: error: unknown error 'Faild' in raises; did you mean 'Failed'?\n"
               "t.idl:11:37: error: error 'Failed' is listed twice in raises\n");
}
END_TEST

START_TEST(test_enum_errors) {
        expect("enum B : byte { A = 255, B = 256, C = -1 }\n"
               "enum I16 : int16 { A = -32768, B = -32769, C = 32767, D = 32768 }\n"
               "enum U16 : uint16 { A = 65535, B = 65536 }\n"
               "enum I32 : int32 { A = -2147483648, B = 2147483648 }\n"
               "enum U32 { A = 4294967295, B = 4294967296 }\n"
               "enum I64 : int64 { A = -9223372036854775808, B = -9223372036854775809, C = 9223372036854775808 }\n"
               "flags U64 : uint64 { A = 18446744073709551615, B = -1 }\n"
               "enum D : double { A = 1 }\n"
               "flags S : string { A = 1 }\n"
               "enum Dup : int32 { A = -1, B, C = 0 }\n",
               "t.idl:1:30: error: value 256 of 'B' does not fit 'byte'\n"
               "t.idl:1:39: error: value -1 of 'C' does not fit 'byte'\n"
               "t.idl:2:36: error: value -32769 of 'B' does not fit 'int16'\n"
               "t.idl:2:59: error: value 32768 of 'D' does not fit 'int16'\n"
               "t.idl:3:36: error: value 65536 of 'B' does not fit 'uint16'\n"
               "t.idl:4:41: error: value 2147483648 of 'B' does not fit 'int32'\n"
               "t.idl:5:32: error: value 4294967296 of 'B' does not fit 'uint32'\n"
               "t.idl:6:50: error: value -9223372036854775809 of 'B' does not fit 'int64'\n"
               "t.idl:6:76: error: value 9223372036854775808 of 'C' does not fit 'int64'\n"
               "t.idl:7:52: error: value -1 of 'B' does not fit 'uint64'\n"
               "t.idl:8:10: error: enum 'D' cannot be backed by 'double'; use byte, int16, uint16, int32, uint32, int64 or uint64\n"
               "t.idl:9:11: error: flags 'S' cannot be backed by 'string'; use byte, int16, uint16, int32, uint32, int64 or uint64\n"
               "t.idl:10:31: error: enumerator 'C' has the same value (0) as 'B'\n"
               "t.idl:10:28: note: 'B' is declared here\n");
}
END_TEST

START_TEST(test_recursive_structs) {
        expect("struct A { b: B; }\n"
               "struct B { a: A[]; }\n"
               "struct Self { s: Self; }\n"
               "struct ViaDict { d: dict<string, ViaDict>; }\n"
               "struct ViaAnon { t: (int32, (ViaAnon, int32)); }\n"
               "struct Fine { a: int32; }\n"
               "interface a.b { struct L { m: M; } struct M { l: L; } method X(l: L); }\n",
               "t.idl:2:15: error: struct 'A' contains itself: A -> B -> A\n"
               "t.idl:3:18: error: struct 'Self' contains itself: Self -> Self\n"
               "t.idl:4:34: error: struct 'ViaDict' contains itself: ViaDict -> ViaDict\n"
               "t.idl:5:30: error: struct 'ViaAnon' contains itself: ViaAnon -> ViaAnon\n"
               "t.idl:7:50: error: struct 'L' contains itself: L -> M -> L\n");
}
END_TEST

START_TEST(test_signature_limits) {
        static char src[65536];
        char *h;
        size_t n;
        checked c;

        /* 32 nested arrays are fine, 33 are not */
        n = (size_t) sprintf(src, "interface a.b { method A(x: int32");
        for (int i = 0; i < 32; i++)
                n += (size_t) sprintf(src + n, "[]");
        n += (size_t) sprintf(src + n, "); method B(x: int32");
        for (int i = 0; i < 33; i++)
                n += (size_t) sprintf(src + n, "[]");
        n += (size_t) sprintf(src + n, "); }");
        c = run(src);
        ck_assert_uint_eq(c.errors, 1);
        ck_assert_ptr_nonnull(strstr(c.diags, "error: signature of the inputs of 'B' nests arrays deeper than 32\n"));
        ck_assert_uint_eq(strlen(c.f->interfaces[0].methods[0].in_signature), 33);
        ck_assert_ptr_null(c.f->interfaces[0].methods[1].in_signature);
        checked_free(&c);

        /* 33 nested structs, through named structs and dicts */
        n = (size_t) sprintf(src, "interface a.b {\n struct S0 { x: int32; }\n");
        for (int i = 1; i < 32; i++)
                n += (size_t) sprintf(src + n, " struct S%d { x: S%d; }\n", i, i - 1);
        n += (size_t) sprintf(src + n, " method Fine(x: S31);\n method Deep(x: dict<string, S31>);\n}\n");
        c = run(src);
        h = headers(c.diags);
        ck_assert_str_eq(h, "t.idl:35:17: error: signature of the inputs of 'Deep' nests structs deeper than 32\n");
        free(h);
        checked_free(&c);

        /* length: 255 bytes are fine, 256 are not; structs, signals, properties and outputs are checked too */
        n = (size_t) sprintf(src, "interface a.b {\n struct Big {");
        for (int i = 0; i < 254; i++)
                n += (size_t) sprintf(src + n, " f%d: byte;", i);
        n += (size_t) sprintf(src + n, " }\n method M(a: (");
        for (int i = 0; i < 252; i++)
                n += (size_t) sprintf(src + n, "byte, ");
        n += (size_t) sprintf(src + n, "int32)) -> (o1: string, o2: (");
        for (int i = 0; i < 252; i++)
                n += (size_t) sprintf(src + n, "byte, ");
        n += (size_t) sprintf(src + n, "int32));\n signal S(a: string, b: (");
        for (int i = 0; i < 252; i++)
                n += (size_t) sprintf(src + n, "byte, ");
        n += (size_t) sprintf(src + n, "int32));\n property readonly P: (");
        for (int i = 0; i < 254; i++)
                n += (size_t) sprintf(src + n, "byte, ");
        n += (size_t) sprintf(src + n, "int32);\n}\n");
        c = run(src);
        h = headers(c.diags);
        ck_assert_str_eq(h,
                         /* at the type of the field or argument that passes the limit */
                         "t.idl:2:2947: error: signature of struct 'Big' is too long (256 bytes, the limit is 255)\n"
                         "t.idl:3:1555: error: signature of the outputs of 'M' is too long (256 bytes, the limit is 255)\n"
                         "t.idl:4:25: error: signature of 'S' is too long (256 bytes, the limit is 255)\n"
                         "t.idl:5:23: error: signature of 'P' is too long (257 bytes, the limit is 255)\n");
        ck_assert_uint_eq(strlen(c.f->interfaces[0].methods[0].in_signature), 255);
        free(h);
        checked_free(&c);
}
END_TEST

START_TEST(test_c_names_disjoint) {
        /* each role has a verb of its own and types are UpperCamelCase: none of these meet (docs/c-api.md) */
        checked c = run_ok("@c_prefix(\"calc\") interface a.Calc {\n"
                           "  struct Point { x: int32; }\n"
                           "  struct SetOptions { x: int32; }\n"
                           "  method Points(p: Point[]) -> (n: int32);\n"
                           "  method PointArrayInit();\n"
                           "  method GetFoo() -> (x: int32);\n"
                           "  property readonly Foo: int32;\n"
                           "  method Proxy();\n"
                           "  signal Changed();\n"
                           "  method ConnectChanged();\n"
                           "  error Bad;\n"
                           "  method RaiseBad();\n"
                           "  property readwrite Bar: int32;\n"
                           "  method SetBar(x: int32);\n"
                           "  property readwrite Options: int32;\n"
                           "  method Foo2();\n"
                           "  method Foo2Async();\n"
                           "  signal FooChanged();\n"
                           "  method WatchFoo();\n"
                           "  method CachedFoo();\n"
                           "}\n");
        ck_assert_str_eq(c.f->interfaces[0].types[0]->c.c_name, "Point");
        checked_free(&c);
}
END_TEST

START_TEST(test_c_name_collisions) {
        /* what is left: names equal after snake_case, @c_name, derived type names, shared prefixes */
        expect("@c_prefix(\"calc\") interface a.Calc {\n"
               "  method GetFoo() -> (x: int32);\n"
               "  method get_foo();\n"
               "  @c_name(\"get_foo\") method Other();\n"
               "  struct Point { x: int32; }\n"
               "  struct PointArray { x: int32; }\n"
               "  method Points(p: Point[]);\n"
               "  error Bad;\n"
               "  enum Error { Bad }\n"
               "  enum Color { Red, RED }\n"
               "}\n"
               "@c_prefix(\"calc\") interface b.Calc { }\n",
               "t.idl:3:10: warning: method name 'get_foo' is not UpperCamelCase, as D-Bus recommends; did you mean 'GetFoo'? [-Wmember-name-style]\n"
               "t.idl:3:10: error: C name 'calc_call_get_foo' of method 'get_foo' collides with method 'GetFoo'\n"
               "t.idl:2:10: note: 'GetFoo' is declared here\n"
               "t.idl:3:10: note: use @c_name(\"…\") to give one of them another C name\n"
               "t.idl:4:29: error: C name 'calc_call_get_foo' of method 'Other' collides with method 'GetFoo'\n"
               "t.idl:2:10: note: 'GetFoo' is declared here\n"
               "t.idl:4:29: note: use @c_name(\"…\") to give one of them another C name\n"
               "t.idl:7:17: error: C name 'calc_PointArray' of type 'Point[]' collides with struct 'PointArray'\n"
               "t.idl:6:10: note: 'PointArray' is declared here\n"
               "t.idl:7:17: note: use @c_name(\"…\") to give one of them another C name\n"
               "t.idl:9:16: error: C name 'CALC_ERROR_BAD' of enumerator 'Bad' collides with error 'Bad'\n"
               "t.idl:8:9: note: 'Bad' is declared here\n"
               "t.idl:9:16: note: rename one of them, or give the enum another C name with @c_name(\"…\")\n"
               "t.idl:10:21: error: C name 'CALC_COLOR_RED' of enumerator 'RED' collides with enumerator 'Red'\n"
               "t.idl:10:16: note: 'Red' is declared here\n"
               "t.idl:10:21: note: rename one of them\n"
               "t.idl:12:29: error: C name 'CALC_INTERFACE' of interface 'b.Calc' collides with interface 'a.Calc'\n"
               "t.idl:1:29: note: 'a.Calc' is declared here\n"
               "t.idl:12:29: note: use @c_prefix(\"…\") to give one of them another C prefix\n");
}
END_TEST

START_TEST(test_reserved_and_keyword_c_names) {
        expect("interface c.Thing { method Default(); method _Hidden(); method Get__It(); }\n"
               "@c_prefix(\"x_\") interface d.X { method Fine(); }\n"
               "interface e._Y { }\n",
               "t.idl:1:46: warning: method name '_Hidden' is not UpperCamelCase, as D-Bus recommends; did you mean 'Hidden'? [-Wmember-name-style]\n"
               "t.idl:1:46: error: C name 'c_thing_call__hidden' of method '_Hidden' is reserved (it starts with '_' or contains '__')\n"
               "t.idl:1:46: note: use @c_name(\"…\") to give it another C name\n"
               "t.idl:1:64: warning: method name 'Get__It' is not UpperCamelCase, as D-Bus recommends; did you mean 'GetIt'? [-Wmember-name-style]\n"
               "t.idl:1:64: error: C name 'c_thing_call_get__it' of method 'Get__It' is reserved (it starts with '_' or contains '__')\n"
               "t.idl:1:64: note: use @c_name(\"…\") to give it another C name\n"
               "t.idl:2:27: error: C name 'X__INTERFACE' of interface 'd.X' is reserved (it starts with '_' or contains '__')\n"
               "t.idl:2:27: note: use @c_prefix(\"…\") to give it another C prefix\n"
               "t.idl:3:11: error: C name 'E__Y_INTERFACE' of interface 'e._Y' is reserved (it starts with '_' or contains '__')\n"
               "t.idl:3:11: note: use @c_prefix(\"…\") to give it another C prefix\n");
}
END_TEST

START_TEST(test_access_changes_generated_names) {
        /* readonly: no setter; writeonly: no getter field; @emits(const): no notify */
        checked c = run_ok("@c_prefix(\"p\") interface a.b {\n"
                           "  property readonly Foo: int32;\n"
                           "  method SetFoo(x: int32);\n"
                           "  @emits(const) property readonly Bar: int32;\n"
                           "  method NotifyBar();\n"
                           "  property writeonly Baz: int32;\n"
                           "  @c_name(\"get_baz_x\") method GetBaz();\n"
                           "}\n");
        checked_free(&c);
}
END_TEST

START_TEST(test_stored) {
        /* @stored: an interface annotation without arguments */
        expect("@stored interface a.B { method M(); @stored property readonly P: int32; }\n",
               "t.idl:1:37: error: '@stored' is not allowed on a property\n");
        expect("@stored(\"x\") interface a.B { }\n", "t.idl:1:1: error: '@stored' takes no arguments, not 1\n");
        /* P_store_m is a file-scope name the collision check sees: p_store_proxy meets the proxy of prefix p_store */
        expect("@stored @c_prefix(\"p\") interface a.B { property readonly Proxy: int32; }\n"
               "@c_prefix(\"p_store\") interface a.C { }\n",
               "t.idl:2:32: error: C name 'p_store_proxy' of interface 'a.C' collides with property 'Proxy'\n"
               "t.idl:1:58: note: 'Proxy' is declared here\n"
               "t.idl:1:58: note: use @c_name(\"…\") to give one of them another C name\n");
        /* without @stored the property has a get_proxy handler field instead: no collision */
        expect("@c_prefix(\"p\") interface a.B { property readonly Proxy: int32; }\n"
               "@c_prefix(\"p_store\") interface a.C { }\n",
               "");
}
END_TEST

START_TEST(test_everything_in_one_run) {
        /* a pass never stops at its first error */
        checked c = run("interface x { method A(a: Nope); method A(); @bogus signal S(); }\n");

        ck_assert_uint_eq(c.errors, 4);
        checked_free(&c);
}
END_TEST

/* ---- the case files ---- */

static char *read_all(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "re");
        char *buf = NULL;
        size_t n = 0;
        FILE *out;

        if (!f)
                return NULL;
        out = open_memstream(&buf, &n);
        ck_assert_ptr_nonnull(out);
        for (int c; (c = fgetc(f)) != EOF;)
                fputc(c, out);
        fclose(out);
        fclose(f);
        *ret_len = n;
        return buf;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The sorted *.idl names in tests/idl/<sub>; fails when the directory is missing. */
static char **list_cases(const char *sub, char **ret_dir, size_t *ret_n) {
        const char *top = getenv("top_srcdir");
        char **names = NULL, *dir;
        size_t n = 0;
        struct dirent *de;
        DIR *d;

        ck_assert_msg(top, "top_srcdir is not set");
        ck_assert_int_ge(asprintf(&dir, "%s/tests/idl/%s", top, sub), 0);
        d = opendir(dir);
        ck_assert_msg(d, "cannot open %s: %s", dir, strerror(errno));
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);

                if (l > 4 && strcmp(de->d_name + l - 4, ".idl") == 0) {
                        names = realloc(names, (n + 1) * sizeof(char *));
                        ck_assert_ptr_nonnull(names);
                        names[n++] = strdup(de->d_name);
                }
        }
        closedir(d);
        if (n > 0)
                qsort(names, n, sizeof(char *), cmp_str);
        *ret_dir = dir;
        *ret_n = n;
        return names;
}

/*
 * A case's options: dbidlc's defaults, changed by a first line
 * "// dbidlc-args: ARG…" (-Werror, -W[no-]NAME, -Wall, --max-errors=N,
 * -I DIR, -IDIR; see tests/idl/README.md).  Include directories point into
 * `dirs`, which the caller frees.
 */
static idl_options case_options(const char *src, char ***dirs, size_t *n_dirs) {
        static const char tag[] = "// dbidlc-args:";
        idl_options o;
        char *line, *save = NULL;
        const char *end;

        idl_options_init(&o);
        o.color = IDL_COLOR_NEVER;
        *dirs = NULL;
        *n_dirs = 0;
        if (strncmp(src, tag, strlen(tag)) != 0)
                return o;
        end = strchr(src, '\n');
        line = strndup(src + strlen(tag), end ? (size_t) (end - src) - strlen(tag) : strlen(src));
        ck_assert_ptr_nonnull(line);
        for (char *arg = strtok_r(line, " \t\r", &save); arg; arg = strtok_r(NULL, " \t\r", &save)) {
                if (strncmp(arg, "-W", 2) == 0)
                        ck_assert_msg(idl_options_parse_warning(&o, arg + 2) == 0, "bad case option %s", arg);
                else if (strncmp(arg, "--max-errors=", 13) == 0)
                        o.max_errors = (unsigned) strtoul(arg + 13, NULL, 10);
                else if (strncmp(arg, "-I", 2) == 0) {
                        const char *d = arg[2] ? arg + 2 : strtok_r(NULL, " \t\r", &save);

                        ck_assert_msg(d, "-I needs a directory");
                        *dirs = realloc(*dirs, (*n_dirs + 1) * sizeof(char *));
                        ck_assert_ptr_nonnull(*dirs);
                        (*dirs)[(*n_dirs)++] = strdup(d);
                } else
                        ck_abort_msg("unknown case option '%s'", arg);
        }
        free(line);
        o.include_dirs = (const char *const *) *dirs;
        o.n_include_dirs = *n_dirs;
        return o;
}

/* Load a case the way dbidlc does (idl_load, imports and all), from inside its directory. */
static checked run_case(const char *dir, const char *name) {
        checked c = {};
        char *path, *src, **dirs;
        size_t len, n = 0, n_dirs;
        idl_diag_sink *s;
        idl_options o;
        FILE *out;

        ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
        src = read_all(path, &len);
        ck_assert_msg(src, "cannot read %s", path);
        o = case_options(src, &dirs, &n_dirs);
        ck_assert_int_eq(chdir(dir), 0);
        out = open_memstream(&c.diags, &n);
        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        ck_assert_int_eq(idl_load(name, &o, s, &c.f), 0);
        if (idl_diag_error_count(s) == 0) {
                char *stem = strndup(name, strlen(name) - 4);
                ck_assert_int_ge(codegen_check_names(c.f, stem, s), 0);
                free(stem);
        }
        c.errors = idl_diag_error_count(s);
        c.warnings = idl_diag_warning_count(s);
        idl_diag_sink_free(s);
        fclose(out);
        for (size_t i = 0; i < n_dirs; i++)
                free(dirs[i]);
        free(dirs);
        free(src);
        free(path);
        return c;
}

START_TEST(test_good_cases) {
        char *dir, **names;
        size_t n, failures = 0;

        names = list_cases("good", &dir, &n);
        ck_assert_uint_ge(n, 4);
        for (size_t i = 0; i < n; i++) {
                checked c = run_case(dir, names[i]);

                if (c.diags[0] != 0) {
                        fprintf(stderr, "good case %s has diagnostics:\n%s", names[i], c.diags);
                        failures++;
                }
                checked_free(&c);
                free(names[i]);
        }
        free(names);
        free(dir);
        ck_assert_msg(failures == 0, "%zu good case(s) have diagnostics", failures);
}
END_TEST

START_TEST(test_bad_cases) {
        char *dir, **names;
        size_t n, failures = 0;

        names = list_cases("bad", &dir, &n);
        ck_assert_uint_ge(n, 60);
        for (size_t i = 0; i < n; i++) {
                char *errpath, *want;
                size_t want_len;
                checked c;

                ck_assert_int_ge(asprintf(&errpath, "%s/%.*s.err", dir, (int) (strlen(names[i]) - 4), names[i]), 0);
                want = read_all(errpath, &want_len);
                ck_assert_msg(want, "cannot read %s (every bad case needs one)", errpath);
                c = run_case(dir, names[i]);
                if (strcmp(c.diags, want) != 0) {
                        fprintf(stderr, "bad case %s: diagnostics differ from %s\n--- got:\n%s--- want:\n%s", names[i],
                                errpath, c.diags, want);
                        failures++;
                } else if (c.errors == 0 && c.warnings == 0) {
                        fprintf(stderr, "bad case %s: nothing reported\n", names[i]);
                        failures++;
                }
                checked_free(&c);
                free(want);
                free(errpath);
                free(names[i]);
        }
        free(names);
        free(dir);
        ck_assert_msg(failures == 0, "%zu bad case(s) failed", failures);
}
END_TEST

START_TEST(test_load_imports) {
        const char *top = getenv("top_srcdir");
        char *dir, *diags = NULL;
        const char *incs[] = { "inc" };
        idl_diag_sink *s;
        idl_options o;
        idl_file *f;
        size_t n = 0;
        FILE *out = open_memstream(&diags, &n);

        ck_assert_msg(top, "top_srcdir is not set");
        ck_assert_int_ge(asprintf(&dir, "%s/tests/idl/bad", top), 0);
        ck_assert_int_eq(chdir(dir), 0);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        idl_options_init(&o);
        o.include_dirs = incs;
        o.n_include_dirs = 1;
        ck_assert_int_eq(idl_load("import-include-dir.idl", &o, s, &f), 0);
        ck_assert_uint_eq(f->n_imports, 1);
        ck_assert_ptr_nonnull(f->imports[0].file);
        ck_assert(f->imports[0].file->imported);
        ck_assert(!f->imported);
        ck_assert_str_eq(f->imports[0].file->path, "inc/shared-types.idl");
        /* an imported type's location names its own file: what the back end needs to skip it */
        ck_assert_str_eq(f->imports[0].file->types[0]->c.loc.file, "inc/shared-types.idl");
        ck_assert_ptr_nonnull(f->imports[0].file->types[0]->signature);
        /* Point resolved to the imported declaration */
        ck_assert_ptr_eq(f->interfaces[0].methods[0].in[1].type->decl, f->imports[0].file->types[1]);
        ck_assert_uint_eq(f->n_owned, 1);
        idl_file_free(f);

        /* the root file missing: -errno, nothing reported */
        ck_assert_int_eq(idl_load("no-such-file.idl", &o, s, &f), -ENOENT);
        ck_assert_int_eq(idl_load(".", &o, s, &f), -EISDIR);
        idl_diag_sink_free(s);
        fclose(out);
        free(diags);
        free(dir);
}
END_TEST

START_TEST(test_too_large) {
        size_t len = IDL_MAX_FILE_SIZE + 1;
        char *big = malloc(len);
        checked c;

        ck_assert_ptr_nonnull(big);
        memset(big, ' ', len);
        c = run_len("big.idl", big, len);
        ck_assert_str_eq(c.diags, "big.idl: error: file is too large (more than 10 MiB)\n");
        ck_assert_uint_eq(c.errors, 1);
        checked_free(&c);
        free(big);
}
END_TEST

START_TEST(test_warning_options) {
        idl_options o;

        idl_options_init(&o);
        ck_assert_uint_eq(o.max_errors, IDL_DEFAULT_MAX_ERRORS);
        ck_assert_uint_eq(o.warnings, IDL_WARNINGS_DEFAULT);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-member-name-style"), 0);
        ck_assert(!(o.warnings & (1u << IDL_W_MEMBER_NAME_STYLE)));
        ck_assert_int_eq(idl_options_parse_warning(&o, "unused-import"), 0);
        ck_assert(o.warnings & (1u << IDL_W_UNUSED_IMPORT));
        ck_assert_int_eq(idl_options_parse_warning(&o, "error"), 0);
        ck_assert(o.warnings_as_errors);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-error"), 0);
        ck_assert(!o.warnings_as_errors);
        ck_assert_int_eq(idl_options_parse_warning(&o, "all"), 0);
        ck_assert_uint_eq(o.warnings, IDL_WARNINGS_ALL);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-all"), 0);
        ck_assert_uint_eq(o.warnings, 0);
        ck_assert_int_eq(idl_options_parse_warning(&o, "member-nam-style"), -EINVAL);
}
END_TEST

START_TEST(test_member_name_style) {
        expect("interface a.B { method get_x(); signal Fine(); @dbus_name(\"Wire\") property readonly p_q: int32; "
               "property readonly lower: int32; }\n",
               "t.idl:1:24: warning: method name 'get_x' is not UpperCamelCase, as D-Bus recommends; "
               "did you mean 'GetX'? [-Wmember-name-style]\n"
               "t.idl:1:115: warning: property name 'lower' is not UpperCamelCase, as D-Bus recommends; "
               "did you mean 'Lower'? [-Wmember-name-style]\n");
}
END_TEST

/*
 * A property's @dbus_name may be a name GDBus serves but no member name ("disable-printing"): -Wproperty-name says
 * once (no -Wmember-name-style as well) that the server side leaves it out, and sema marks it client-only.
 */
START_TEST(test_property_name) {
        static const char src[] =
                "interface a.B {\n"
                "  @dbus_name(\"disable-printing\") property readwrite DisablePrinting: bool;\n"
                "  @dbus_name(\"power_saver\") property readonly PowerSaver: bool;\n"
                "  @dbus_name(\"-\") property writeonly Dash: string;\n"
                "  property readonly Version: uint32;\n"
                "}\n";
        checked c = run(src);
        char *h = headers(c.diags);
        idl_interface *it = &c.f->interfaces[0];

        ck_assert_str_eq(h, "t.idl:2:15: warning: property name 'disable-printing' is not a valid D-Bus member name: "
                            "sd-bus cannot serve it, so the server skeleton leaves it out; clients can still read and "
                            "write it [-Wproperty-name]\n"
                            "t.idl:3:47: warning: property name 'power_saver' is not UpperCamelCase, as D-Bus "
                            "recommends; did you mean 'PowerSaver'? [-Wmember-name-style]\n"
                            "t.idl:4:15: warning: property name '-' is not a valid D-Bus member name: sd-bus cannot "
                            "serve it, so the server skeleton leaves it out; clients can still write it "
                            "[-Wproperty-name]\n");
        ck_assert_uint_eq(c.errors, 0);
        ck_assert(it->properties[0].client_only);
        ck_assert_str_eq(it->properties[0].c.dbus_name, "disable-printing");
        ck_assert_str_eq(it->properties[0].c.c_name, "disable_printing");
        ck_assert(!it->properties[1].client_only);
        ck_assert(it->properties[2].client_only);
        ck_assert(!it->properties[3].client_only);
        free(h);
        checked_free(&c);

        /* -Wno-property-name: nothing said, the property still client-only */
        idl_diag_sink *s;
        idl_file *f;
        char *diags = NULL;
        size_t n = 0;
        FILE *out = open_memstream(&diags, &n);

        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        idl_diag_set_warnings(s, IDL_WARNINGS_DEFAULT & ~(1u << IDL_W_PROPERTY_NAME) & ~(1u << IDL_W_MEMBER_NAME_STYLE),
                              false);
        ck_assert_int_eq(idl_parse_string("t.idl", src, strlen(src), s, &f), 0);
        ck_assert_int_eq(idl_check(f, s), 0);
        ck_assert_uint_eq(idl_diag_warning_count(s), 0);
        ck_assert(f->interfaces[0].properties[0].client_only);
        idl_diag_sink_free(s);
        fclose(out);
        ck_assert_str_eq(diags, "");
        free(diags);
        idl_file_free(f);
}
END_TEST

static Suite *sema_suite(void) {
        Suite *s = suite_create("sema");
        TCase *good = tcase_create("good"), *bad = tcase_create("bad"), *cases = tcase_create("cases");

        tcase_add_test(good, test_signatures_of_every_type);
        tcase_add_test(good, test_declaration_signatures_and_resolution);
        tcase_add_test(good, test_resolution_many_types);
        tcase_add_test(good, test_resolution_first_of_repeated_type);
        tcase_add_test(good, test_snake_case);
        tcase_add_test(good, test_names_and_annotations);
        tcase_add_test(good, test_raises_resolution);
        tcase_add_test(good, test_access_changes_generated_names);
        tcase_add_test(good, test_stored);
        tcase_add_test(bad, test_annotation_errors);
        tcase_add_test(bad, test_name_errors);
        tcase_add_test(bad, test_type_errors);
        tcase_add_test(bad, test_enum_errors);
        tcase_add_test(bad, test_recursive_structs);
        tcase_add_test(bad, test_signature_limits);
        tcase_add_test(bad, test_c_name_collisions);
        tcase_add_test(bad, test_c_names_disjoint);
        tcase_add_test(bad, test_reserved_and_keyword_c_names);
        tcase_add_test(bad, test_everything_in_one_run);
        tcase_add_test(bad, test_too_large);
        tcase_add_test(bad, test_member_name_style);
        tcase_add_test(bad, test_property_name);
        tcase_add_test(cases, test_load_imports);
        tcase_add_test(cases, test_warning_options);
        tcase_add_test(cases, test_good_cases);
        tcase_add_test(cases, test_bad_cases);
        suite_add_tcase(s, good);
        suite_add_tcase(s, bad);
        suite_add_tcase(s, cases);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(sema_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

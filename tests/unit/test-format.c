/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-format.c — unit tests of the formatter (idl/format.c): the canonical layout, idempotence, refusal */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* asprintf */
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl/idl.h"

typedef struct formatted {
        int r;
        char *out;
        char *diags;
} formatted;

static formatted format_len(const char *path, const char *src, size_t len) {
        formatted f = {};
        size_t n_out = 0, n_diags = 0;
        FILE *out = open_memstream(&f.out, &n_out), *diags = open_memstream(&f.diags, &n_diags);
        idl_diag_sink *s;

        ck_assert_ptr_nonnull(out);
        ck_assert_ptr_nonnull(diags);
        ck_assert_int_eq(idl_diag_sink_new(diags, &s), 0);
        f.r = idl_format(path, src, len, s, out);
        idl_diag_sink_free(s);
        fclose(out);
        fclose(diags);
        return f;
}

static formatted format(const char *src) {
        return format_len("t.idl", src, strlen(src));
}

static void formatted_free(formatted *f) {
        free(f->out);
        free(f->diags);
}

/* `src` formats to `want`, and `want` to itself. */
static void expect(const char *src, const char *want) {
        formatted f = format(src), g;

        ck_assert_msg(f.r == 0, "idl_format failed: %d\n%s", f.r, f.diags);
        ck_assert_str_eq(f.out, want);
        g = format(f.out);
        ck_assert_int_eq(g.r, 0);
        ck_assert_str_eq(g.out, want);
        formatted_free(&f);
        formatted_free(&g);
}

START_TEST(test_spacing_and_lines) {
        expect("interface   org . example . A{method   Add( a :int32 ,b:int32 )->( sum : int32 )raises(E,F) ;"
               "error E;error F;property readonly P:dict< string ,variant >[];}",
               "interface org.example.A {\n"
               "        method Add(a: int32, b: int32) -> (sum: int32) raises (E, F);\n"
               "        error E;\n"
               "        error F;\n"
               "        property readonly P: dict<string, variant>[];\n"
               "}\n");
}
END_TEST

START_TEST(test_annotations) {
        /* member annotations join their line; an interface's get a line each */
        expect("@c_prefix(\"x\")  @deprecated\ninterface a.B {\n  @noreply\n  method   Reset( );\n"
               "  @emits( const )\n  property readonly V: int32;\n}\n@since(\"1\")\nstruct S { x: int32; }\n",
               "@c_prefix(\"x\")\n"
               "@deprecated\n"
               "interface a.B {\n"
               "        @noreply method Reset();\n"
               "        @emits(const) property readonly V: int32;\n"
               "}\n"
               "@since(\"1\") struct S { x: int32; }\n");
}
END_TEST

START_TEST(test_parameter_annotations) {
        /* a parameter's doc comment and @annotation stay before its name, in a one-line or a vertical list */
        expect("interface a.B {\n"
               "method M( @annotation( \"n\" , \"v\" )a:int32,/** b */ @annotation(\"m\",\"\")\n"
               "b: int32 )->(@annotation(\"o\", \"w\") c: int32);\n"
               "method V(\n"
               "   /**\n"
               "    * The first.\n"
               "    */\n"
               "@annotation(\"x\", \"1\")   @annotation(\"y\", \"2\") first: byte[],\n"
               "  second: string\n"
               "  ) -> (\n"
               "/** Out. */ @annotation(\"z\", \"3\") out: uint32\n"
               ");\n"
               "signal S(@annotation(\"s\", \"t\") x: int32);\n"
               "}\n",
               "interface a.B {\n"
               "        method M(@annotation(\"n\", \"v\") a: int32, /** b */ @annotation(\"m\", \"\")\n"
               "                 b: int32) -> (@annotation(\"o\", \"w\") c: int32);\n"
               "        method V(\n"
               "                /**\n"
               "                 * The first.\n"
               "                 */\n"
               "                @annotation(\"x\", \"1\") @annotation(\"y\", \"2\") first: byte[],\n"
               "                second: string\n"
               "        ) -> (\n"
               "                /** Out. */ @annotation(\"z\", \"3\") out: uint32\n"
               "        );\n"
               "        signal S(@annotation(\"s\", \"t\") x: int32);\n"
               "}\n");
}
END_TEST

START_TEST(test_blocks_inline_and_expanded) {
        /* a body written on one line stays on one line; else one field or value per line */
        expect("enum E : byte {A=1,B}\nflags F {\nR = 0x1, W = 0x2 }\nstruct P {x:double;y:double;};\n"
               "struct Q {\n x: int32; y: int32; }\n",
               "enum E : byte { A = 1, B }\n"
               "flags F {\n"
               "        R = 0x1,\n"
               "        W = 0x2\n"
               "}\n"
               "struct P { x: double; y: double; };\n"
               "struct Q {\n"
               "        x: int32;\n"
               "        y: int32;\n"
               "}\n");
}
END_TEST

START_TEST(test_comments_and_blank_lines) {
        expect("// SPDX\n\n\n\n/** Doc\n      * more */\ninterface a.B {\n\n\n  /// one\n  /// two\n"
               "  method A();   // trailing\n\n\n\n  /* block */ method B();\n\n}\n",
               "// SPDX\n"
               "\n"
               "/** Doc\n"
               " * more */\n"
               "interface a.B {\n"
               "        /// one\n"
               "        /// two\n"
               "        method A(); // trailing\n"
               "\n"
               "        /* block */ method B();\n"
               "}\n");
}
END_TEST

START_TEST(test_continuation_lines) {
        /* breaks inside parentheses and before '->' are kept; vertical lists get their own indentation */
        expect("interface a.B {\n"
               "method Long(a: int32,\n"
               "       b: int32)\n"
               "   -> (c: int32);\n"
               "method Vertical(\n"
               "// why\n"
               "a: int32,\n"
               "   b: int32,\n"
               ");\n"
               "}\n",
               "interface a.B {\n"
               "        method Long(a: int32,\n"
               "                    b: int32)\n"
               "                -> (c: int32);\n"
               "        method Vertical(\n"
               "                // why\n"
               "                a: int32,\n"
               "                b: int32,\n"
               "        );\n"
               "}\n");
}
END_TEST

START_TEST(test_comments_after_annotations) {
        /*
         * a line comment after annotations, or between them and their declaration, cannot join them to it: the
         * declaration keeps its own indentation (it was indented as a continuation line); so does a '{' after a
         * line comment ending its header
         */
        expect("@c_prefix( \"svc\" ) @deprecated(\"old\")   // trailing on annotations\n"
               "interface   a.B   // after name\n"
               "{ // after brace\n"
               "   @deprecated\n"
               "   // between annotation and declaration\n"
               "   method O();\n"
               "   @noreply // after an annotation\n"
               "      method R();\n"
               "   @deprecated\n"
               "   /* block */\n"
               "   method S();\n"
               "   struct P // after name\n"
               "   // own line\n"
               "   { x: int32; }\n"
               "}\n",
               "@c_prefix(\"svc\")\n"
               "@deprecated(\"old\") // trailing on annotations\n"
               "interface a.B // after name\n"
               "{ // after brace\n"
               "        @deprecated\n"
               "        // between annotation and declaration\n"
               "        method O();\n"
               "        @noreply // after an annotation\n"
               "        method R();\n"
               "        @deprecated\n"
               "        /* block */ method S();\n"
               "        struct P // after name\n"
               "        // own line\n"
               "        { x: int32; }\n"
               "}\n");
}
END_TEST

START_TEST(test_comments_inside_declarations) {
        /* 'raises (' keeps its space after a comment too; a block comment takes no space before ':' ',' ';' ')' */
        expect("interface a.B {\n"
               "method P() -> () // before raises\n"
               "        raises(E);\n"
               "method Q() -> () /* c */ raises(E);\n"
               "method R(a /* after a */: int32, b: int32 /* after b */ , c: int32 /* end */ ) ;\n"
               "property readonly /* n */ V /* after name */ : int32 /* before semi */ ;\n"
               "enum K /* e */ : byte { A }\n"
               "error E;\n"
               "}\n",
               "interface a.B {\n"
               "        method P() -> () // before raises\n"
               "                raises (E);\n"
               "        method Q() -> () /* c */ raises (E);\n"
               "        method R(a /* after a */: int32, b: int32 /* after b */, c: int32 /* end */);\n"
               "        property readonly /* n */ V /* after name */: int32 /* before semi */;\n"
               "        enum K /* e */ : byte { A }\n"
               "        error E;\n"
               "}\n");
}
END_TEST

START_TEST(test_empty_statements_and_files) {
        expect("interface a.B { ;; method A();; }\n;\n", "interface a.B {\n        method A();\n};\n");
        expect("", "");
        expect("// only a comment", "// only a comment\n");
}
END_TEST

START_TEST(test_refuses_broken_input) {
        formatted f = format("interface a.B { method A(; }\n");

        ck_assert_int_eq(f.r, -EBADMSG);
        ck_assert_str_eq(f.out, "");
        ck_assert_ptr_nonnull(strstr(f.diags, "t.idl:1:26: error: expected a parameter name, found ';'"));
        formatted_free(&f);

        f = format_len("t.idl", "struct S { x: int32; }\0", 23);
        ck_assert_int_eq(f.r, -EBADMSG);
        ck_assert_ptr_nonnull(strstr(f.diags, "NUL byte"));
        formatted_free(&f);

        /* without a sink, too */
        ck_assert_int_eq(idl_format("t.idl", "struct", 6, NULL, stdout), -EBADMSG);
        ck_assert_int_eq(idl_format(NULL, "", 0, NULL, stdout), -EINVAL);
}
END_TEST

static char *read_all(const char *path, size_t *ret_len) {
        char *buf = NULL;
        int r = idl_read_file(path, &buf, ret_len);

        ck_assert_msg(r == 0, "cannot read %s: %s", path, strerror(-r));
        return buf;
}

/* Parse and return the doc comments and names in tree order, to compare trees. */
static void describe(FILE *o, const idl_file *f) {
        for (size_t i = 0; i < f->n_types; i++)
                fprintf(o, "type %s doc=%s n=%zu/%zu\n", f->types[i]->c.name, f->types[i]->c.doc ? f->types[i]->c.doc : "",
                        f->types[i]->n_fields, f->types[i]->n_values);
        for (size_t i = 0; i < f->n_interfaces; i++) {
                const idl_interface *it = &f->interfaces[i];

                fprintf(o, "interface %s doc=%s ann=%zu\n", it->c.name, it->c.doc ? it->c.doc : "", it->c.n_annotations);
                for (size_t j = 0; j < it->n_methods; j++)
                        fprintf(o, " method %s doc=%s in=%zu out=%zu raises=%zu ann=%zu\n", it->methods[j].c.name,
                                it->methods[j].c.doc ? it->methods[j].c.doc : "", it->methods[j].n_in,
                                it->methods[j].n_out, it->methods[j].n_raises, it->methods[j].c.n_annotations);
                for (size_t j = 0; j < it->n_signals; j++)
                        fprintf(o, " signal %s doc=%s args=%zu\n", it->signals[j].c.name,
                                it->signals[j].c.doc ? it->signals[j].c.doc : "", it->signals[j].n_args);
                for (size_t j = 0; j < it->n_properties; j++)
                        fprintf(o, " property %s doc=%s sig=%s\n", it->properties[j].c.name,
                                it->properties[j].c.doc ? it->properties[j].c.doc : "",
                                it->properties[j].type->signature ? it->properties[j].type->signature : "");
        }
}

static char *describe_text(const char *path, const char *text, size_t len) {
        idl_diag_sink *s;
        idl_file *f;
        char *d = NULL;
        size_t n = 0;
        FILE *o = open_memstream(&d, &n);

        ck_assert_int_eq(idl_diag_sink_new(stderr, &s), 0);
        ck_assert_int_eq(idl_parse_string(path, text, len, s, &f), 0);
        ck_assert_int_eq(idl_check(f, s), 0);
        describe(o, f);
        fclose(o);
        idl_file_free(f);
        idl_diag_sink_free(s);
        return d;
}

/* Every good case and every example: formatting twice gives the same text, and the same tree. */
START_TEST(test_tree_files_idempotent) {
        static const char *const patterns[] = { "tests/idl/good/*.idl", "examples/*/*.idl" };
        const char *top = getenv("top_srcdir");
        size_t total = 0;

        ck_assert_msg(top, "top_srcdir is not set");
        for (size_t p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
                char *pattern;
                glob_t g;

                ck_assert_int_ge(asprintf(&pattern, "%s/%s", top, patterns[p]), 0);
                ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
                for (size_t i = 0; i < g.gl_pathc; i++) {
                        const char *path = g.gl_pathv[i];
                        size_t len;
                        char *src = read_all(path, &len), *d1, *d2;
                        formatted once = format_len(path, src, len), twice;

                        ck_assert_msg(once.r == 0, "%s: idl_format failed (%d):\n%s", path, once.r, once.diags);
                        twice = format_len(path, once.out, strlen(once.out));
                        ck_assert_msg(twice.r == 0, "%s: formatted text does not format (%d):\n%s", path, twice.r,
                                      twice.diags);
                        ck_assert_msg(strcmp(once.out, twice.out) == 0, "%s: not idempotent:\n--- once\n%s--- twice\n%s",
                                      path, once.out, twice.out);
                        d1 = describe_text(path, src, len);
                        d2 = describe_text(path, once.out, strlen(once.out));
                        ck_assert_msg(strcmp(d1, d2) == 0, "%s: the tree changed:\n%s---\n%s", path, d1, d2);
                        free(d1);
                        free(d2);
                        formatted_free(&once);
                        formatted_free(&twice);
                        free(src);
                        total++;
                }
                globfree(&g);
                free(pattern);
        }
        ck_assert_uint_ge(total, 5);
}
END_TEST

static Suite *format_suite(void) {
        Suite *s = suite_create("format");
        TCase *layout = tcase_create("layout"), *files = tcase_create("files");

        tcase_add_test(layout, test_spacing_and_lines);
        tcase_add_test(layout, test_annotations);
        tcase_add_test(layout, test_parameter_annotations);
        tcase_add_test(layout, test_blocks_inline_and_expanded);
        tcase_add_test(layout, test_comments_and_blank_lines);
        tcase_add_test(layout, test_continuation_lines);
        tcase_add_test(layout, test_comments_after_annotations);
        tcase_add_test(layout, test_comments_inside_declarations);
        tcase_add_test(layout, test_empty_statements_and_files);
        tcase_add_test(layout, test_refuses_broken_input);
        tcase_add_test(files, test_tree_files_idempotent);
        suite_add_tcase(s, layout);
        suite_add_tcase(s, files);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(format_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

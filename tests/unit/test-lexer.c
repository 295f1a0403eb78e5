/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-lexer.c — unit tests of the tokenizer (idl/lexer.c) and the diagnostics sink (idl/diag.c) */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl/diag.h"
#include "idl/lexer.h"

/* A lexer over `src` with a sink writing to memory. */
typedef struct lexrun {
        idl_arena *arena;
        idl_diag_sink *sink;
        FILE *out;
        char *buf;
        size_t size;
        idl_lexer lx;
} lexrun;

static void lr_init_len(lexrun *r, const char *src, size_t len) {
        memset(r, 0, sizeof(*r));
        r->arena = idl_arena_new();
        ck_assert_ptr_nonnull(r->arena);
        r->out = open_memstream(&r->buf, &r->size);
        ck_assert_ptr_nonnull(r->out);
        ck_assert_int_eq(idl_diag_sink_new(r->out, &r->sink), 0);
        ck_assert_int_eq(idl_diag_add_source(r->sink, "t.idl", src, len), 0);
        idl_lexer_init(&r->lx, "t.idl", src, len, r->arena, r->sink);
}

static void lr_init(lexrun *r, const char *src) {
        lr_init_len(r, src, strlen(src));
}

static idl_token lr_next(lexrun *r) {
        idl_token t;

        ck_assert_int_eq(idl_lexer_next(&r->lx, &t), 0);
        return t;
}

static const char *lr_diags(lexrun *r) {
        idl_diag_flush(r->sink);
        return r->buf ? r->buf : "";
}

static void lr_free(lexrun *r) {
        idl_diag_sink_free(r->sink);
        fclose(r->out);
        free(r->buf);
        idl_arena_free(r->arena);
}

/* The kinds of all tokens of `src`, up to EOF, into `kinds`; returns how many. */
static size_t lex_kinds(const char *src, idl_token_kind *kinds, size_t max) {
        lexrun r;
        size_t n = 0;

        lr_init(&r, src);
        for (;;) {
                idl_token t = lr_next(&r);

                if (t.kind == TOK_EOF)
                        break;
                ck_assert_uint_lt(n, max);
                kinds[n++] = t.kind;
        }
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
        return n;
}

START_TEST(test_punctuation_and_nested_dict) {
        idl_token_kind k[64];
        static const idl_token_kind want[] = {
                TOK_KW_DICT, TOK_LT, TOK_KW_STRING, TOK_COMMA, TOK_KW_DICT, TOK_LT, TOK_KW_STRING, TOK_COMMA,
                TOK_KW_INT32, TOK_GT, TOK_GT, TOK_LBRACE, TOK_RBRACE, TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET,
                TOK_RBRACKET, TOK_SEMI, TOK_COLON, TOK_EQUALS, TOK_AT, TOK_DOT, TOK_ARROW,
        };
        size_t n = lex_kinds("dict<string, dict<string, int32>>{}()[];:=@.->", k, 64);

        ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(k[i], want[i]);
}
END_TEST

START_TEST(test_keywords_and_identifiers) {
        static const char *const kw[] = {
                "interface", "import", "struct", "enum", "flags", "error", "method", "signal", "property",
                "readonly", "readwrite", "writeonly", "raises", "dict", "byte", "bool", "int16", "uint16",
                "int32", "uint32", "int64", "uint64", "double", "string", "objpath", "signature", "fd", "variant",
        };
        idl_token_kind k[16];

        for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
                ck_assert_uint_eq(lex_kinds(kw[i], k, 16), 1);
                ck_assert_int_eq(k[0], TOK_KW_INTERFACE + (int) i);
                ck_assert(TOK_IS_KEYWORD(k[0]));
        }
        ck_assert_int_eq(TOK_TYPE_KIND(TOK_KW_OBJPATH), IDL_TYPE_OBJPATH);
        ck_assert_int_eq(TOK_TYPE_KIND(TOK_KW_VARIANT), IDL_TYPE_VARIANT);

        /* not keywords: C keywords, near misses, case */
        ck_assert_uint_eq(lex_kinds("default class new timezone int errno Interface int33 _x a1_B", k, 16), 10);
        for (size_t i = 0; i < 10; i++)
                ck_assert_int_eq(k[i], TOK_IDENT);
}
END_TEST

START_TEST(test_dotted_names_are_separate_tokens) {
        lexrun r;
        idl_token t;

        lr_init(&r, "org.example.Calculator1");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        ck_assert_uint_eq(t.length, 3);
        ck_assert_int_eq(memcmp(t.start, "org", 3), 0);
        ck_assert_int_eq(lr_next(&r).kind, TOK_DOT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_DOT);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        ck_assert_uint_eq(t.loc.col, 13);
        ck_assert_uint_eq(t.loc.len, 11);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        lr_free(&r);
}
END_TEST

START_TEST(test_locations) {
        lexrun r;
        idl_token t;

        lr_init(&r, "interface a.b {\n\tmethod  Add();\r\n   }");
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.line, 1);
        ck_assert_uint_eq(t.loc.col, 1);
        ck_assert_uint_eq(t.loc.len, 9);
        ck_assert_str_eq(t.loc.file, "t.idl");
        ck_assert(t.first_on_line);
        lr_next(&r);
        lr_next(&r);
        t = lr_next(&r);        /* b */
        ck_assert(!t.first_on_line);
        ck_assert_uint_eq(t.loc.col, 13);
        lr_next(&r);            /* { */
        t = lr_next(&r);        /* method: col counts bytes, a tab is one */
        ck_assert_int_eq(t.kind, TOK_KW_METHOD);
        ck_assert_uint_eq(t.loc.line, 2);
        ck_assert_uint_eq(t.loc.col, 2);
        ck_assert(t.first_on_line);
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.col, 10);
        ck_assert_uint_eq(t.loc.len, 3);
        lr_next(&r);
        lr_next(&r);
        t = lr_next(&r);        /* ; */
        ck_assert_int_eq(t.kind, TOK_SEMI);
        ck_assert_uint_eq(t.loc.col, 15);
        t = lr_next(&r);        /* } on line 3 after CRLF */
        ck_assert_int_eq(t.kind, TOK_RBRACE);
        ck_assert_uint_eq(t.loc.line, 3);
        ck_assert_uint_eq(t.loc.col, 4);
        t = lr_next(&r);        /* EOF: just after the last token */
        ck_assert_int_eq(t.kind, TOK_EOF);
        ck_assert_uint_eq(t.loc.line, 3);
        ck_assert_uint_eq(t.loc.col, 5);
        t = lr_next(&r);        /* and again */
        ck_assert_int_eq(t.kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
}
END_TEST

START_TEST(test_integers) {
        lexrun r;
        idl_token t;

        lr_init(&r, "0 42 0x10 0XfF -5 -0 18446744073709551615 -9223372036854775808 007");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_INT);
        ck_assert_uint_eq(t.magnitude, 0);
        ck_assert(!t.negative);
        ck_assert_uint_eq(lr_next(&r).magnitude, 42);
        ck_assert_uint_eq(lr_next(&r).magnitude, 16);
        ck_assert_uint_eq(lr_next(&r).magnitude, 255);
        t = lr_next(&r);
        ck_assert_uint_eq(t.magnitude, 5);
        ck_assert(t.negative);
        ck_assert_uint_eq(t.loc.len, 2);
        t = lr_next(&r);
        ck_assert_uint_eq(t.magnitude, 0);
        ck_assert(!t.negative);
        ck_assert_uint_eq(lr_next(&r).magnitude, UINT64_MAX);
        t = lr_next(&r);
        ck_assert_uint_eq(t.magnitude, (uint64_t) INT64_MAX + 1);
        ck_assert(t.negative);
        ck_assert_uint_eq(lr_next(&r).magnitude, 7);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
}
END_TEST

/* A bad literal is not reported by the lexer: the parser says what is wrong where the token is used. */
START_TEST(test_bad_integers) {
        lexrun r;
        idl_token t[4];

        lr_init(&r, "18446744073709551616 0x 12ab 0x1_0");
        for (size_t i = 0; i < 4; i++) {
                t[i] = lr_next(&r);
                ck_assert_int_eq(t[i].kind, TOK_INT);
                ck_assert_uint_eq(t[i].magnitude, 0);
        }
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r), "");
        ck_assert_int_eq(t[0].literal_error, IDL_LIT_OVERFLOW);
        ck_assert_int_eq(t[1].literal_error, IDL_LIT_INVALID);
        ck_assert_int_eq(t[2].literal_error, IDL_LIT_INVALID);
        ck_assert_int_eq(t[3].literal_error, IDL_LIT_INVALID);
        for (size_t i = 0; i < 4; i++)
                idl_report_literal(r.sink, &t[i]);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:1:1: error: integer literal '18446744073709551616' does not fit in 64 bits\n"
                "    1 | 18446744073709551616 0x 12ab 0x1_0\n"
                "      | ^~~~~~~~~~~~~~~~~~~~\n"
                "t.idl:1:22: error: invalid integer literal '0x'\n"
                "    1 | 18446744073709551616 0x 12ab 0x1_0\n"
                "      |                      ^~\n"
                "t.idl:1:25: error: invalid integer literal '12ab'\n"
                "    1 | 18446744073709551616 0x 12ab 0x1_0\n"
                "      |                         ^~~~\n"
                "t.idl:1:30: error: invalid integer literal '0x1_0'\n"
                "    1 | 18446744073709551616 0x 12ab 0x1_0\n"
                "      |                              ^~~~~\n");
        lr_free(&r);
}
END_TEST

START_TEST(test_strings_and_escapes) {
        lexrun r;
        idl_token t;

        lr_init(&r, "\"plain\" \"a\\nb\\tc\\\\d\\\"e\\'f\" \"\\101\\x42\\x4a\\?\" \"\"");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_STRING);
        ck_assert_str_eq(t.string, "plain");
        ck_assert_uint_eq(t.loc.len, 7);
        ck_assert_str_eq(lr_next(&r).string, "a\nb\tc\\d\"e'f");
        ck_assert_str_eq(lr_next(&r).string, "ABJ?");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_STRING);
        ck_assert_str_eq(t.string, "");
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
}
END_TEST

START_TEST(test_bad_strings) {
        lexrun r;
        idl_token t;

        lr_init(&r, "\"a\\qb\" \"\\0\" \"\\x\"\n\"open\nx");
        t = lr_next(&r);
        ck_assert_str_eq(t.string, "aqb");
        lr_next(&r);
        lr_next(&r);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_STRING);
        ck_assert_str_eq(t.string, "open");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        ck_assert_uint_eq(t.loc.line, 3);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:1:3: error: unknown escape sequence '\\q'\n"
                "    1 | \"a\\qb\" \"\\0\" \"\\x\"\n"
                "      |   ^~\n"
                "t.idl:1:9: error: a string cannot contain a NUL character\n"
                "    1 | \"a\\qb\" \"\\0\" \"\\x\"\n"
                "      |         ^~\n"
                "t.idl:1:14: error: \\x used with no following hex digits\n"
                "    1 | \"a\\qb\" \"\\0\" \"\\x\"\n"
                "      |              ^~\n"
                "t.idl:2:1: error: unterminated string\n"
                "    2 | \"open\n"
                "      | ^\n");
        lr_free(&r);
}
END_TEST

START_TEST(test_comments_are_skipped) {
        idl_token_kind k[8];

        ck_assert_uint_eq(lex_kinds("a // line { \n /* block\n } */ b /**/ c //// not doc\n/*** banner ***/ d", k, 8), 4);
        for (size_t i = 0; i < 4; i++)
                ck_assert_int_eq(k[i], TOK_IDENT);
}
END_TEST

START_TEST(test_doc_block) {
        lexrun r;
        idl_token t;

        lr_init(&r,
                "/**\n"
                " * First line.\n"
                " *\n"
                " *   indented\n"
                " */\n"
                "interface\n"
                "/** One line. */ method\n"
                "/**\n   no star column\n\n   second  \n*/ signal\n"
                "/**/ property\n"
                "/** doc */ // plain comment\n error");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_KW_INTERFACE);
        ck_assert_str_eq(t.doc, "First line.\n\n  indented");
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "One line.");
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "no star column\n\nsecond");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_KW_PROPERTY);
        ck_assert_ptr_null(t.doc);
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "doc");
        ck_assert_ptr_null(lr_next(&r).doc);
        lr_free(&r);
}
END_TEST

START_TEST(test_doc_lines) {
        lexrun r;
        idl_token t;

        lr_init(&r,
                "/// one\n"
                "///two  \n"
                "///\n"
                "/// four\n"
                "method\n"
                "/// lost: a blank line follows\n"
                "\n"
                "/// kept\n"
                "signal\n"
                "/** block */\n"
                "/// line wins\n"
                "error x");
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "one\ntwo\n\nfour");
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "kept");
        t = lr_next(&r);
        ck_assert_str_eq(t.doc, "line wins");
        t = lr_next(&r);
        ck_assert_ptr_null(t.doc);
        lr_free(&r);
}
END_TEST

START_TEST(test_nul_byte) {
        static const char src[] = "interface a.b {\n  x\0y }\n";
        lexrun r;
        idl_token t;

        /* binary input: one error, and no tokens at all (not one error per byte) */
        lr_init_len(&r, src, sizeof(src) - 1);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_EOF);
        ck_assert(r.lx.truncated);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:2:4: error: file contains a NUL byte; is it a text file?\n"
                "    2 |   x y }\n"
                "      |    ^\n");
        lr_free(&r);
}
END_TEST

START_TEST(test_unterminated_comment) {
        lexrun r;

        lr_init(&r, "a /* no end\n\n");
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert(r.lx.truncated);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:1:3: error: unterminated comment\n"
                "    1 | a /* no end\n"
                "      |   ^~\n");
        lr_free(&r);
}
END_TEST

/*
 * Characters that make no token are one error per run of them; a word with
 * such characters in it ("Ok-Bad", "été", "a$b") is one TOK_BAD_NAME, which
 * the parser reports, saying what the word should have been.
 */
START_TEST(test_stray_characters) {
        lexrun r;
        idl_token t;

        lr_init(&r, "a ` b \x01\x02 \xc3\xa9t\xc3\xa9 c - d $$ Ok-Bad x$y \xff -e x->");
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_BAD_NAME);
        ck_assert_uint_eq(t.length, 5);
        ck_assert_uint_eq(t.bad_offset, 0);
        ck_assert_uint_eq(t.bad_char, 0xE9);
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_BAD_NAME);
        ck_assert_uint_eq(t.length, 6);
        ck_assert_uint_eq(t.bad_offset, 2);
        ck_assert_uint_eq(t.bad_char, '-');
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_BAD_NAME);
        ck_assert_uint_eq(t.bad_char, '$');
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_BAD_NAME);
        ck_assert_uint_eq(t.bad_char, IDL_NOT_UTF8);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_BAD_NAME);
        ck_assert_uint_eq(t.bad_char, '-');
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_int_eq(lr_next(&r).kind, TOK_ARROW);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:1:3: error: unexpected character '`'\n"
                "    1 | a ` b    \xc3\xa9t\xc3\xa9 c - d $$ Ok-Bad x$y \xff -e x->\n"
                "      |   ^\n"
                "t.idl:1:7: error: unexpected control characters ('\\x01' and 1 more)\n"
                "    1 | a ` b    \xc3\xa9t\xc3\xa9 c - d $$ Ok-Bad x$y \xff -e x->\n"
                "      |       ^~\n"
                "t.idl:1:18: error: unexpected character '-'\n"
                "    1 | a ` b    \xc3\xa9t\xc3\xa9 c - d $$ Ok-Bad x$y \xff -e x->\n"
                "      |                ^\n"
                "t.idl:1:22: error: unexpected characters '$$'\n"
                "    1 | a ` b    \xc3\xa9t\xc3\xa9 c - d $$ Ok-Bad x$y \xff -e x->\n"
                "      |                    ^~\n");
        lr_free(&r);
}
END_TEST

/* '#' is no comment and no directive: one error, and the rest of its line is skipped. */
START_TEST(test_hash) {
        lexrun r;

        lr_init(&r, "a # b c\n#include \"x.idl\"\nd");
        ck_assert_int_eq(lr_next(&r).kind, TOK_IDENT);
        ck_assert_uint_eq(lr_next(&r).loc.line, 3);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:1:3: error: '#' starts no comment: comments are written // \u2026 or /* \u2026 */\n"
                "    1 | a # b c\n"
                "      |   ^\n"
                "t.idl:2:1: error: there is no preprocessor: a file is imported with 'import \"file.idl\";'\n"
                "    2 | #include \"x.idl\"\n"
                "      | ^\n");
        lr_free(&r);
}
END_TEST

/* A file is UTF-8: comments (doc comments flow into the XML and the C) and strings must be; one error for each. */
START_TEST(test_invalid_utf8) {
        lexrun r;
        idl_token t;

        lr_init(&r, "// ok \xc3\xa9\n// \xff\xfe\n/** doc \xc3( */ a \"\xe2\x82\xac \xc0\xaf\" \"\\xc3\\xa9\" \"\\xff\"");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_STRING);
        t = lr_next(&r);
        ck_assert_str_eq(t.string, "\xc3\xa9");
        lr_next(&r);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r),
                "t.idl:2:4: error: invalid UTF-8 in a comment (byte 0xff)\n"
                "    2 | // \xff\xfe\n"
                "      |    ^\n"
                "t.idl:3:9: error: invalid UTF-8 in a doc comment (byte 0xc3)\n"
                "    3 | /** doc \xc3( */ a \"\xe2\x82\xac \xc0\xaf\" \"\\xc3\\xa9\" \"\\xff\"\n"
                "      |         ^\n"
                "t.idl:3:22: error: invalid UTF-8 in a string (byte 0xc0)\n"
                "    3 | /** doc \xc3( */ a \"\xe2\x82\xac \xc0\xaf\" \"\\xc3\\xa9\" \"\\xff\"\n"
                "      |                    ^\n"
                "t.idl:3:37: error: the escape sequences of this string make it invalid UTF-8\n"
                "    3 | /** doc \xc3( */ a \"\xe2\x82\xac \xc0\xaf\" \"\\xc3\\xa9\" \"\\xff\"\n"
                "      |                                  ^~~~~~\n");
        lr_free(&r);
}
END_TEST

/* A byte order mark at the start is skipped; a CR alone ends a line, CR LF is one line end. */
START_TEST(test_bom_and_line_ends) {
        lexrun r;
        idl_token t;

        lr_init(&r, "\xef\xbb\xbf" "a b\rc\r\nd // x\re /* \r */ f");
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.line, 1);
        ck_assert_uint_eq(t.loc.col, 1);
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.col, 3);
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.line, 2);
        ck_assert_uint_eq(t.loc.col, 1);
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.line, 3);
        t = lr_next(&r);
        ck_assert_str_eq(t.start, "e /* \r */ f");
        ck_assert_uint_eq(t.loc.line, 4);
        t = lr_next(&r);
        ck_assert_uint_eq(t.loc.line, 5);
        ck_assert_uint_eq(t.loc.col, 5);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
}
END_TEST

/* ---- the diagnostics sink ---- */

static char *render(void (*fn)(idl_diag_sink *s), const char *src, unsigned *errors, unsigned *warnings) {
        idl_diag_sink *s;
        char *buf = NULL;
        size_t n = 0;
        FILE *out = open_memstream(&buf, &n);

        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        if (src)
                ck_assert_int_eq(idl_diag_add_source(s, "calc.idl", src, strlen(src)), 0);
        fn(s);
        *errors = idl_diag_error_count(s);
        *warnings = idl_diag_warning_count(s);
        idl_diag_sink_free(s);
        fclose(out);
        return buf;
}

static const char calc_src[] =
        "interface org.example.Calculator1 {\n"
        "\n"
        "\tmethod Add(a: int33) -> ();\n"
        "        method Sub(a: int32) -> ();\n"
        "}";

static void emit_caret(idl_diag_sink *s) {
        idl_loc loc = { "calc.idl", 4, 23, 5 };

        idl_error_at(s, loc, "unknown type '%s'; did you mean '%s'?", "int33", "int32");
}

START_TEST(test_diag_caret) {
        unsigned e, w;
        char *out = render(emit_caret, calc_src, &e, &w);

        ck_assert_str_eq(out,
                "calc.idl:4:23: error: unknown type 'int33'; did you mean 'int32'?\n"
                "    4 |         method Sub(a: int32) -> ();\n"
                "      |                       ^~~~~\n");
        ck_assert_uint_eq(e, 1);
        ck_assert_uint_eq(w, 0);
        free(out);
}
END_TEST

static void emit_tab(idl_diag_sink *s) {
        idl_loc loc = { "calc.idl", 3, 16, 5 };

        idl_error_at(s, loc, "bad");
}

START_TEST(test_diag_keeps_tabs) {
        unsigned e, w;
        char *out = render(emit_tab, calc_src, &e, &w);

        ck_assert_str_eq(out,
                "calc.idl:3:16: error: bad\n"
                "    3 | \tmethod Add(a: int33) -> ();\n"
                "      | \t              ^~~~~\n");
        free(out);
}
END_TEST

static void emit_kinds(idl_diag_sink *s) {
        idl_loc nowhere = {};
        idl_loc noline = { "calc.idl", 0, 0, 0 };
        idl_loc unknown_file = { "other.idl", 2, 3, 1 };
        idl_loc past_end = { "calc.idl", 5, 40, 10 };
        idl_loc long_span = { "calc.idl", 1, 30, 100 };

        idl_warning_at(s, long_span, "warned %d", 1);
        idl_note_at(s, nowhere, "just a note");
        idl_error_at(s, nowhere, "no file");
        idl_error_at(s, noline, "no line");
        idl_error_at(s, unknown_file, "no source");
        idl_error_at(s, past_end, "past the end");
        idl_diag(NULL, IDL_SEVERITY_ERROR, nowhere, "ignored");
}

START_TEST(test_diag_severities_and_places) {
        unsigned e, w;
        char *out = render(emit_kinds, calc_src, &e, &w);

        /* in source order: calc.idl (the file as a whole first), the diagnostics without a file, other.idl: the
         * order they were first reported in; the note stays with its warning */
        ck_assert_str_eq(out,
                "calc.idl: error: no line\n"
                "calc.idl:1:30: warning: warned 1\n"
                "    1 | interface org.example.Calculator1 {\n"
                "      |                              ^~~~~~\n"
                "dbidlc: note: just a note\n"
                "calc.idl:5:40: error: past the end\n"
                "    5 | }\n"
                "      |  ^\n"
                "dbidlc: error: no file\n"
                "other.idl:2:3: error: no source\n");
        ck_assert_uint_eq(e, 4);
        ck_assert_uint_eq(w, 1);
        free(out);
}
END_TEST

static void emit_long(idl_diag_sink *s) {
        idl_loc nowhere = {};
        char big[2000];

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = 0;
        idl_error_at(s, nowhere, "%s", big);
}

START_TEST(test_diag_long_message) {
        unsigned e, w;
        char *out = render(emit_long, NULL, &e, &w);

        ck_assert_uint_eq(strlen(out), strlen("dbidlc: error: \n") + 1999);
        ck_assert_uint_eq(e, 1);
        free(out);
}
END_TEST

START_TEST(test_suggest) {
        static const char *const c[] = { "int16", "int32", "uint32", "string", "Point" };

        ck_assert_uint_eq(idl_edit_distance("int33", "int32"), 1);
        ck_assert_uint_eq(idl_edit_distance("uint23", "uint32"), 1);    /* a transposition */
        ck_assert_uint_eq(idl_edit_distance("", "abc"), 3);
        ck_assert_str_eq(idl_suggest("int33", c, 5), "int32");
        ck_assert_str_eq(idl_suggest("strng", c, 5), "string");
        ck_assert_str_eq(idl_suggest("Pont", c, 5), "Point");
        ck_assert_ptr_null(idl_suggest("Completely", c, 5));
        ck_assert_ptr_null(idl_suggest("x", c, 5));
}
END_TEST

START_TEST(test_comment_tokens) {
        lexrun r;
        idl_token t;

        lr_init(&r, "// a\n\n/** doc\n */ x /* y */\n  z // end");
        r.lx.keep_comments = true;
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_COMMENT);
        ck_assert_uint_eq(t.length, 4);
        ck_assert_uint_eq(t.newlines_before, 0);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_COMMENT);
        ck_assert_uint_eq(t.length, 11);
        ck_assert_uint_eq(t.loc.line, 3);
        ck_assert_uint_eq(t.newlines_before, 2);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        ck_assert_uint_eq(t.newlines_before, 0);       /* the comment's own line breaks do not count */
        ck_assert_str_eq(t.doc, "doc");
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_COMMENT);
        ck_assert_uint_eq(t.loc.col, 7);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_IDENT);
        ck_assert_uint_eq(t.newlines_before, 1);
        t = lr_next(&r);
        ck_assert_int_eq(t.kind, TOK_COMMENT);
        ck_assert_uint_eq(t.length, 6);
        ck_assert_int_eq(lr_next(&r).kind, TOK_EOF);
        ck_assert_str_eq(lr_diags(&r), "");
        lr_free(&r);
}
END_TEST

/* A sink writing into memory, configured. */
typedef struct sinkrun {
        idl_diag_sink *s;
        FILE *out;
        char *buf;
        size_t size;
} sinkrun;

static void sr_init(sinkrun *r) {
        memset(r, 0, sizeof(*r));
        r->out = open_memstream(&r->buf, &r->size);
        ck_assert_ptr_nonnull(r->out);
        ck_assert_int_eq(idl_diag_sink_new(r->out, &r->s), 0);
        ck_assert_int_eq(idl_diag_add_source(r->s, "t.idl", "abc def\n", 8), 0);
}

static const char *sr_text(sinkrun *r) {
        idl_diag_flush(r->s);
        return r->buf;
}

static void sr_free(sinkrun *r) {
        idl_diag_sink_free(r->s);
        fclose(r->out);
        free(r->buf);
}

START_TEST(test_diag_max_errors) {
        idl_loc at = { .file = "t.idl", .line = 1, .col = 5, .len = 3 };
        sinkrun r;

        sr_init(&r);
        idl_diag_set_max_errors(r.s, 2);
        idl_error_at(r.s, ((idl_loc) { .file = "t.idl" }), "one");
        idl_note_at(r.s, ((idl_loc) { .file = "t.idl" }), "shown");
        idl_warning_at(r.s, ((idl_loc) {}), "warnings do not count");
        idl_error_at(r.s, ((idl_loc) {}), "two");
        ck_assert(!idl_diag_stopped(r.s));
        idl_error_at(r.s, at, "three");
        idl_note_at(r.s, at, "hidden");
        idl_error_at(r.s, at, "four");
        ck_assert(idl_diag_stopped(r.s));
        ck_assert_uint_eq(idl_diag_error_count(r.s), 4);
        /* the limit applies in source order: t.idl's errors first (the files in the order first reported), then the
         * diagnostics without a place */
        ck_assert_str_eq(sr_text(&r),
                         "t.idl: error: one\n"
                         "t.idl: note: shown\n"
                         "t.idl:1:5: error: three\n"
                         "    1 | abc def\n"
                         "      |     ^~~\n"
                         "t.idl:1:5: note: hidden\n"
                         "    1 | abc def\n"
                         "      |     ^~~\n"
                         "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=2]\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_diag_named_warnings) {
        idl_loc at = { .file = "t.idl", .line = 1, .col = 5, .len = 3 };
        sinkrun r;

        ck_assert_str_eq(idl_warning_name(IDL_W_MEMBER_NAME_STYLE), "member-name-style");
        ck_assert_int_eq(idl_warning_from_name("unused-import"), IDL_W_UNUSED_IMPORT);
        ck_assert_int_eq(idl_warning_from_name("nope"), -1);
        ck_assert_ptr_null(idl_warning_name(IDL_W_COUNT));

        sr_init(&r);
        idl_warn(r.s, IDL_W_DEPRECATED, at, "on by default");
        idl_note_at(r.s, at, "its note");
        idl_warn(r.s, IDL_W_UNUSED_IMPORT, at, "off by default");
        idl_note_at(r.s, at, "hidden note");
        idl_diag_set_warnings(r.s, 1u << IDL_W_UNUSED_IMPORT, true);
        idl_warn(r.s, IDL_W_UNUSED_IMPORT, at, "now an error");
        idl_warn(r.s, IDL_W_DEPRECATED, at, "now off");
        ck_assert_uint_eq(idl_diag_warning_count(r.s), 1);
        ck_assert_uint_eq(idl_diag_error_count(r.s), 1);
        ck_assert_str_eq(sr_text(&r),
                         "t.idl:1:5: warning: on by default [-Wdeprecated]\n"
                         "    1 | abc def\n"
                         "      |     ^~~\n"
                         "t.idl:1:5: note: its note\n"
                         "    1 | abc def\n"
                         "      |     ^~~\n"
                         "t.idl:1:5: error: now an error [-Werror=unused-import]\n"
                         "    1 | abc def\n"
                         "      |     ^~~\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_diag_color) {
        idl_loc at = { .file = "t.idl", .line = 1, .col = 1, .len = 3 };
        idl_color c;
        sinkrun r;

        ck_assert_int_eq(idl_color_from_string("auto", &c), 0);
        ck_assert_int_eq(c, IDL_COLOR_AUTO);
        ck_assert_int_eq(idl_color_from_string("always", &c), 0);
        ck_assert_int_eq(c, IDL_COLOR_ALWAYS);
        ck_assert_int_eq(idl_color_from_string("never", &c), 0);
        ck_assert_int_eq(c, IDL_COLOR_NEVER);
        ck_assert_int_eq(idl_color_from_string("sometimes", &c), -EINVAL);

        sr_init(&r);
        idl_diag_set_color(r.s, IDL_COLOR_AUTO);        /* a memory stream is no terminal */
        ck_assert(!idl_diag_color(r.s));
        setenv("NO_COLOR", "1", 1);
        idl_diag_set_color(r.s, IDL_COLOR_AUTO);
        ck_assert(!idl_diag_color(r.s));
        idl_diag_set_color(r.s, IDL_COLOR_ALWAYS);      /* NO_COLOR wins even over an explicit request */
        ck_assert(!idl_diag_color(r.s));
        unsetenv("NO_COLOR");
        idl_diag_set_color(r.s, IDL_COLOR_ALWAYS);
        ck_assert(idl_diag_color(r.s));
        idl_error_at(r.s, at, "red");
        ck_assert_str_eq(sr_text(&r),
                         "\033[1mt.idl:1:1:\033[0m \033[1;31merror:\033[0m red\n"
                         "    1 | abc def\n"
                         "      | \033[1;32m^~~\033[0m\n");
        idl_diag_set_color(r.s, IDL_COLOR_NEVER);
        ck_assert(!idl_diag_color(r.s));
        sr_free(&r);
}
END_TEST

static Suite *lexer_suite(void) {
        Suite *s = suite_create("lexer");
        TCase *tc = tcase_create("tokens");

        tcase_add_test(tc, test_punctuation_and_nested_dict);
        tcase_add_test(tc, test_keywords_and_identifiers);
        tcase_add_test(tc, test_dotted_names_are_separate_tokens);
        tcase_add_test(tc, test_locations);
        tcase_add_test(tc, test_integers);
        tcase_add_test(tc, test_bad_integers);
        tcase_add_test(tc, test_strings_and_escapes);
        tcase_add_test(tc, test_bad_strings);
        tcase_add_test(tc, test_comments_are_skipped);
        tcase_add_test(tc, test_doc_block);
        tcase_add_test(tc, test_doc_lines);
        tcase_add_test(tc, test_nul_byte);
        tcase_add_test(tc, test_unterminated_comment);
        tcase_add_test(tc, test_stray_characters);
        tcase_add_test(tc, test_hash);
        tcase_add_test(tc, test_invalid_utf8);
        tcase_add_test(tc, test_bom_and_line_ends);
        tcase_add_test(tc, test_comment_tokens);
        suite_add_tcase(s, tc);
        return s;
}

static Suite *diag_suite(void) {
        Suite *s = suite_create("diag");
        TCase *tc = tcase_create("render");

        tcase_add_test(tc, test_diag_caret);
        tcase_add_test(tc, test_diag_keeps_tabs);
        tcase_add_test(tc, test_diag_severities_and_places);
        tcase_add_test(tc, test_diag_long_message);
        tcase_add_test(tc, test_suggest);
        tcase_add_test(tc, test_diag_max_errors);
        tcase_add_test(tc, test_diag_named_warnings);
        tcase_add_test(tc, test_diag_color);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(lexer_suite());
        int failed;

        srunner_add_suite(sr, diag_suite());
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

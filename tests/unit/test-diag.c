/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-diag.c — the diagnostics sink (idl/diag.c): long lines, source order, imports; -W options */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl/idl.h"

/* A sink writing into memory. */
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
}

/* What was written so far (after a flush: in source order). */
static const char *sr_text(sinkrun *r) {
        fflush(r->out);
        return r->buf ? r->buf : "";
}

static const char *sr_flushed(sinkrun *r) {
        idl_diag_flush(r->s);
        return sr_text(r);
}

static void sr_free(sinkrun *r) {
        idl_diag_sink_free(r->s);
        fclose(r->out);
        free(r->buf);
}

static idl_loc at(const char *file, unsigned line, unsigned col, unsigned len) {
        return (idl_loc) { .file = file, .line = line, .col = col, .len = len };
}

/* ---- long lines: a window around the caret ---- */

/* `n` bytes of "x…", with `word` at byte `at`. */
static char *long_line(size_t n, size_t at, const char *word) {
        char *p = malloc(n + 2);

        ck_assert_ptr_nonnull(p);
        memset(p, 'x', n);
        memcpy(p + at, word, strlen(word));
        p[n] = '\n';
        p[n + 1] = 0;
        return p;
}

/* The lines of an excerpt: `src` is "    1 | …", `caret` is "      | …^~~". */
static void excerpt_lines(const char *out, char **src, char **caret) {
        const char *l1 = strchr(out, '\n'), *l2, *l3;

        ck_assert_ptr_nonnull(l1);
        l2 = strchr(l1 + 1, '\n');
        ck_assert_ptr_nonnull(l2);
        l3 = strchr(l2 + 1, '\n');
        ck_assert_ptr_nonnull(l3);
        *src = strndup(l1 + 1, (size_t) (l2 - l1 - 1));
        *caret = strndup(l2 + 1, (size_t) (l3 - l2 - 1));
}

START_TEST(test_window_middle) {
        char *text = long_line(1000, 500, "Target"), *src, *caret;
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 501, 6), "here");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        /* about 100 columns of the line, cut on both sides, the word in the middle, the caret under it */
        ck_assert_str_eq(src, "    1 | ..."
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "Target"
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "...");
        ck_assert_str_eq(caret, "      |                                                   ^~~~~~");
        ck_assert_uint_eq(strstr(src, "Target") - src, strchr(caret, '^') - caret);
        free(src);
        free(caret);
        sr_free(&r);
        free(text);
}
END_TEST

START_TEST(test_window_ends) {
        char *text = long_line(1000, 2, "Head"), *src, *caret;
        sinkrun r;

        memcpy(text + 990, "Tail", 4);
        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        /* near the start: the line from its start, cut at the end */
        idl_error_at(r.s, at("t.idl", 1, 3, 4), "head");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_str_eq(src, "    1 | xxHead"
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "...");
        ck_assert_str_eq(caret, "      |   ^~~~");
        free(src);
        free(caret);
        sr_free(&r);

        /* near the end: cut at the start only, the window as wide as ever */
        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 991, 4), "tail");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_str_eq(src, "    1 | ..."
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                              "Tailxxxxxx");
        ck_assert_uint_eq(strstr(src, "Tail") - src, strchr(caret, '^') - caret);
        ck_assert_str_eq(strchr(caret, '^'), "^~~~");
        free(src);
        free(caret);
        sr_free(&r);
        free(text);
}
END_TEST

START_TEST(test_window_short_lines_whole) {
        /* exactly 100 columns: shown whole, as before */
        char *text = long_line(100, 95, "End"), *src, *caret;
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 96, 3), "end");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_uint_eq(strlen(src), 8 + 100);
        ck_assert_ptr_null(strstr(src, "..."));
        ck_assert_uint_eq(strstr(src, "End") - src, strchr(caret, '^') - caret);
        free(src);
        free(caret);
        sr_free(&r);
        free(text);
}
END_TEST

/* Columns as a terminal shows them: a tab to the next multiple of 8, a UTF-8 character one. */
static size_t display_col(const char *line, size_t bytes) {
        size_t c = 0;

        for (size_t i = 0; i < bytes; i++) {
                unsigned char b = (unsigned char) line[i];

                if (b == '\t')
                        c = (c / 8 + 1) * 8;
                else if ((b & 0xC0) != 0x80)
                        c++;
        }
        return c;
}

START_TEST(test_window_tabs_and_utf8) {
        /* a long line of tabs, 'é' (2 bytes) and '€' (3 bytes), the caret far into it */
        char text[4096] = "";
        char *src, *caret;
        sinkrun r;

        for (int i = 0; i < 60; i++)
                strcat(text, i % 3 == 0 ? "\t" : i % 3 == 1 ? "\xc3\xa9\xc3\xa9 " : "\xe2\x82\xac x ");
        size_t col = strlen(text) + 1;
        strcat(text, "Name");
        for (int i = 0; i < 60; i++)
                strcat(text, i % 2 ? "\t\xe2\x82\xac" : " \xc3\xa9");
        strcat(text, "\n");

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, (unsigned) col, 4), "name");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_str_eq(src + strlen(src) - 3, "...");
        ck_assert(strncmp(src, "    1 | ...", 11) == 0);
        /* the window ends on whole characters: the text between the "..." is valid UTF-8 taken from the line */
        char *inner = strndup(src + 11, strlen(src) - 14);
        ck_assert_ptr_nonnull(strstr(text, inner));
        ck_assert_int_ne((unsigned char) inner[0] & 0xC0, 0x80);
        /* the caret stands under the name as a terminal shows both lines */
        size_t name = (size_t) (strstr(src, "Name") - src), hat = (size_t) (strchr(caret, '^') - caret);
        ck_assert_uint_eq(display_col(src, name), display_col(caret, hat));
        ck_assert_str_eq(caret + hat, "^~~~");
        /* the tabs before the caret are repeated in the caret line, nothing else but spaces */
        size_t tabs_src = 0, tabs_caret = 0;
        for (size_t i = 8; i < name; i++)
                tabs_src += src[i] == '\t';
        for (size_t i = 8; i < hat; i++) {
                ck_assert(caret[i] == ' ' || caret[i] == '\t');
                tabs_caret += caret[i] == '\t';
        }
        ck_assert_uint_eq(tabs_src, tabs_caret);
        free(inner);
        free(src);
        free(caret);
        sr_free(&r);
}
END_TEST

START_TEST(test_window_long_span) {
        /* a span longer than the window: the caret at its start, the tildes up to the cut */
        char *text = long_line(5000, 1000, "\""), *src, *caret;
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 1001, 3000), "a long string");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_uint_le(strlen(src), 8 + 3 + 100 + 3);
        ck_assert_uint_eq(strchr(src, '"') - src, strchr(caret, '^') - caret);
        ck_assert_uint_eq(strlen(caret), strlen(src) - 3);    /* tildes to the window's end, not beyond */
        free(src);
        free(caret);
        sr_free(&r);
        free(text);
}
END_TEST

START_TEST(test_window_caret_past_the_end) {
        /* A long last line without a newline or a NUL after it, the caret one column past its end (the
         * importer's "unexpected end of input"): the window must not read the byte after the buffer (fuzz-import-xml
         * found that read, caught here by AddressSanitizer) and the caret stands after the last character. */
        size_t n = 300;
        char *text = malloc(n), *src, *caret;
        sinkrun r;

        ck_assert_ptr_nonnull(text);
        memset(text, 'u', n);
        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.xml", text, n), 0);
        idl_error_at(r.s, at("t.xml", 1, (unsigned) n + 1, 0), "end");
        excerpt_lines(sr_flushed(&r), &src, &caret);
        ck_assert_uint_eq(strlen(src), strchr(caret, '^') - caret);
        ck_assert_str_eq(strchr(caret, '^'), "^");
        free(src);
        free(caret);
        sr_free(&r);
        free(text);
}
END_TEST

START_TEST(test_window_huge_line_is_cheap) {
        /* 4 MiB on one line, 200 diagnostics on it: each shows a window, not the line (that was 800 MiB) */
        size_t n = 4u << 20;
        char *text = long_line(n, 0, "x");
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "big.idl", text, n + 1), 0);
        for (unsigned i = 0; i < 200; i++)
                idl_error_at(r.s, at("big.idl", 1, 1 + (unsigned) ((size_t) i * (n / 200)), 5), "error %u", i);
        ck_assert_uint_eq(idl_diag_error_count(r.s), 200);
        sr_flushed(&r);
        ck_assert_uint_lt(r.size, 200 * 300);
        sr_free(&r);
        free(text);
}
END_TEST

START_TEST(test_control_characters) {
        static const char text[] = "a\x01" "b\x7f" "c\r\n";
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 5, 1), "c");
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl:1:5: error: c\n"
                         "    1 | a b c\n"
                         "      |     ^\n");
        sr_free(&r);
}
END_TEST

/* ---- source order ---- */

static const char ordered_src[] = "line one\nline two\nline three\nline four\n";

START_TEST(test_source_order) {
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", ordered_src, strlen(ordered_src)), 0);
        idl_error_at(r.s, at("t.idl", 4, 6, 4), "fourth");
        idl_note_at(r.s, at("t.idl", 1, 1, 4), "a note of the fourth");
        idl_warning_at(r.s, at("t.idl", 2, 6, 3), "second");
        idl_error_at(r.s, at("t.idl", 2, 1, 4), "first of line two");
        idl_note_at(r.s, at("t.idl", 3, 1, 4), "its note");
        idl_note_at(r.s, at("t.idl", 1, 1, 4), "its other note");
        idl_error_at(r.s, at("t.idl", 0, 0, 0), "the whole file");
        /* counted at once, written at the flush */
        ck_assert_uint_eq(idl_diag_error_count(r.s), 3);
        ck_assert_uint_eq(idl_diag_warning_count(r.s), 1);
        ck_assert_str_eq(sr_text(&r), "");
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl: error: the whole file\n"
                         "t.idl:2:1: error: first of line two\n"
                         "    2 | line two\n"
                         "      | ^~~~\n"
                         "t.idl:3:1: note: its note\n"
                         "    3 | line three\n"
                         "      | ^~~~\n"
                         "t.idl:1:1: note: its other note\n"
                         "    1 | line one\n"
                         "      | ^~~~\n"
                         "t.idl:2:6: warning: second\n"
                         "    2 | line two\n"
                         "      |      ^~~\n"
                         "t.idl:4:6: error: fourth\n"
                         "    4 | line four\n"
                         "      |      ^~~~\n"
                         "t.idl:1:1: note: a note of the fourth\n"
                         "    1 | line one\n"
                         "      | ^~~~\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_same_place_keeps_report_order) {
        sinkrun r;

        sr_init(&r);
        idl_error_at(r.s, at("t.idl", 3, 2, 0), "one");
        idl_error_at(r.s, at("t.idl", 3, 2, 0), "two");
        idl_error_at(r.s, at("t.idl", 3, 1, 0), "zero");
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl:3:1: error: zero\n"
                         "t.idl:3:2: error: one\n"
                         "t.idl:3:2: error: two\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_files_in_order_first_reported) {
        sinkrun r;

        sr_init(&r);
        idl_error_at(r.s, at("b.idl", 9, 1, 0), "b9");
        idl_error_at(r.s, at("a.idl", 1, 1, 0), "a1");
        idl_note_at(r.s, at("b.idl", 1, 1, 0), "note of a1 in b");
        idl_error_at(r.s, at("b.idl", 2, 1, 0), "b2");
        idl_error_at(r.s, ((idl_loc) {}), "nowhere");
        idl_error_at(r.s, at("a.idl", 0, 0, 0), "a");
        ck_assert_str_eq(sr_flushed(&r),
                         "b.idl:2:1: error: b2\n"
                         "b.idl:9:1: error: b9\n"
                         "a.idl: error: a\n"
                         "a.idl:1:1: error: a1\n"
                         "b.idl:1:1: note: note of a1 in b\n"
                         "dbidlc: error: nowhere\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_flushes_sort_separately) {
        sinkrun r;

        sr_init(&r);
        idl_error_at(r.s, at("t.idl", 5, 1, 0), "five");
        idl_error_at(r.s, at("t.idl", 4, 1, 0), "four");
        ck_assert_str_eq(sr_flushed(&r), "t.idl:4:1: error: four\nt.idl:5:1: error: five\n");
        idl_error_at(r.s, at("t.idl", 2, 1, 0), "two");
        idl_note_at(r.s, at("t.idl", 1, 1, 0), "its note");
        idl_error_at(r.s, at("t.idl", 1, 1, 0), "one");
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl:4:1: error: four\nt.idl:5:1: error: five\n"
                         "t.idl:1:1: error: one\nt.idl:2:1: error: two\nt.idl:1:1: note: its note\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_max_errors_in_source_order) {
        sinkrun r;

        sr_init(&r);
        idl_diag_set_max_errors(r.s, 2);
        idl_error_at(r.s, at("t.idl", 9, 1, 0), "nine");
        idl_note_at(r.s, at("t.idl", 9, 2, 0), "note of nine");
        idl_error_at(r.s, at("t.idl", 5, 1, 0), "five");
        ck_assert(!idl_diag_stopped(r.s));
        idl_error_at(r.s, at("t.idl", 7, 1, 0), "seven");
        ck_assert(idl_diag_stopped(r.s));
        /* reported after the limit, but before it in the file: it takes its place */
        idl_error_at(r.s, at("t.idl", 1, 1, 0), "one");
        idl_note_at(r.s, at("t.idl", 1, 2, 0), "note of one");
        idl_warning_at(r.s, at("t.idl", 6, 1, 0), "a warning before the cut");
        idl_warning_at(r.s, at("t.idl", 8, 1, 0), "a warning after it");
        idl_error_at(r.s, at("t.idl", 10, 1, 0), "ten");
        idl_note_at(r.s, at("t.idl", 10, 1, 0), "note of ten");
        ck_assert_uint_eq(idl_diag_error_count(r.s), 5);
        ck_assert_uint_eq(idl_diag_warning_count(r.s), 2);
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl:1:1: error: one\n"
                         "t.idl:1:2: note: note of one\n"
                         "t.idl:5:1: error: five\n"
                         "t.idl:6:1: warning: a warning before the cut\n"
                         "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=2]\n");
        /* nothing more, ever */
        idl_error_at(r.s, at("t.idl", 1, 1, 0), "later");
        ck_assert_uint_eq(idl_diag_error_count(r.s), 6);
        idl_diag_flush(r.s);
        ck_assert_str_eq(strstr(sr_text(&r), "fatal"),
                         "fatal: too many errors emitted, stopping now [--max-errors=2]\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_max_errors_many) {
        /* more errors than the buffer keeps before pruning, reported backwards: the first 20 in the file are shown */
        sinkrun r;

        sr_init(&r);
        idl_diag_set_max_errors(r.s, 20);
        for (unsigned line = 5000; line > 0; line--) {
                idl_error_at(r.s, at("t.idl", line, 1, 0), "e%u", line);
                idl_note_at(r.s, at("t.idl", line, 2, 0), "n%u", line);
        }
        ck_assert_uint_eq(idl_diag_error_count(r.s), 5000);
        const char *out = sr_flushed(&r);
        char want[64];
        for (unsigned line = 1; line <= 20; line++) {
                snprintf(want, sizeof want, "t.idl:%u:1: error: e%u\nt.idl:%u:2: note: n%u\n", line, line, line, line);
                ck_assert_msg(strstr(out, want), "missing %s", want);
        }
        ck_assert_ptr_null(strstr(out, "e21\n"));
        ck_assert_ptr_null(strstr(out, "n21\n"));
        ck_assert_str_eq(strstr(out, "t.idl:20:2:"),
                         "t.idl:20:2: note: n20\n"
                         "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=20]\n");
        sr_free(&r);
}
END_TEST

START_TEST(test_free_flushes) {
        char *buf = NULL;
        size_t n = 0;
        FILE *out = open_memstream(&buf, &n);
        idl_diag_sink *s;

        ck_assert_int_eq(idl_diag_sink_new(out, &s), 0);
        idl_error_at(s, at("t.idl", 2, 1, 0), "two");
        idl_error_at(s, at("t.idl", 1, 1, 0), "one");
        idl_diag_sink_free(s);
        fclose(out);
        ck_assert_str_eq(buf, "t.idl:1:1: error: one\nt.idl:2:1: error: two\n");
        free(buf);
}
END_TEST

START_TEST(test_source_freed_before_flush) {
        /* the excerpt is rendered when reported: the text may go before the flush */
        char *text = strdup("abc def\n");
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_add_source(r.s, "t.idl", text, strlen(text)), 0);
        idl_error_at(r.s, at("t.idl", 1, 5, 3), "def");
        memset(text, '#', 7);
        free(text);
        ck_assert_str_eq(sr_flushed(&r), "t.idl:1:5: error: def\n    1 | abc def\n      |     ^~~\n");
        sr_free(&r);
}
END_TEST

/* ---- imports ---- */

START_TEST(test_import_context) {
        sinkrun r;

        sr_init(&r);
        ck_assert_int_eq(idl_diag_set_import(r.s, "inc/b.idl", at("main.idl", 1, 8, 7)), 0);
        ck_assert_int_eq(idl_diag_set_import(r.s, "c.idl", at("inc/b.idl", 2, 8, 5)), 0);
        ck_assert_int_eq(idl_diag_set_import(r.s, "c.idl", at("other.idl", 7, 8, 5)), 0);   /* the first counts */
        ck_assert_int_eq(idl_diag_set_import(r.s, NULL, at("x", 1, 1, 1)), -EINVAL);
        idl_error_at(r.s, at("c.idl", 3, 9, 0), "in c");
        idl_warning_at(r.s, at("c.idl", 4, 9, 0), "in c again");
        idl_error_at(r.s, at("inc/b.idl", 5, 1, 0), "in b");
        idl_note_at(r.s, at("c.idl", 1, 1, 0), "a note in c: no context");
        idl_error_at(r.s, at("main.idl", 3, 1, 0), "in main");
        ck_assert_str_eq(sr_flushed(&r),
                         "In file imported from inc/b.idl:2,\n"
                         "                 from main.idl:1:\n"
                         "c.idl:3:9: error: in c\n"
                         "c.idl:4:9: warning: in c again\n"
                         "In file imported from main.idl:1:\n"
                         "inc/b.idl:5:1: error: in b\n"
                         "c.idl:1:1: note: a note in c: no context\n"
                         "main.idl:3:1: error: in main\n");
        sr_free(&r);
}
END_TEST

/* ---- -W options ---- */

START_TEST(test_werror_name) {
        idl_loc a = at("t.idl", 1, 1, 0);
        idl_options o;
        sinkrun r;

        idl_options_init(&o);
        o.color = IDL_COLOR_NEVER;
        ck_assert_int_eq(idl_options_parse_warning(&o, "error=unused-import"), 0);     /* on, and an error */
        ck_assert_int_eq(idl_options_parse_warning(&o, "error=nope"), -EINVAL);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-error=nope"), -EINVAL);
        ck_assert(o.warnings & (1u << IDL_W_UNUSED_IMPORT));
        ck_assert_uint_eq(idl_options_warning_errors(&o), 1u << IDL_W_UNUSED_IMPORT);
        sr_init(&r);
        idl_options_apply(&o, r.s);
        idl_warn(r.s, IDL_W_UNUSED_IMPORT, a, "unused");
        idl_warn(r.s, IDL_W_DEPRECATED, a, "deprecated");
        ck_assert_uint_eq(idl_diag_error_count(r.s), 1);
        ck_assert_uint_eq(idl_diag_warning_count(r.s), 1);
        ck_assert_str_eq(sr_flushed(&r),
                         "t.idl:1:1: error: unused [-Werror=unused-import]\n"
                         "t.idl:1:1: warning: deprecated [-Wdeprecated]\n");
        sr_free(&r);

        /* -Wno-error=NAME wins over -Werror, in either order, and leaves the warning on */
        idl_options_init(&o);
        o.color = IDL_COLOR_NEVER;
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-error=deprecated"), 0);
        ck_assert_int_eq(idl_options_parse_warning(&o, "error"), 0);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-error=member-name-style"), 0);
        ck_assert(o.warnings & (1u << IDL_W_DEPRECATED));
        ck_assert_uint_eq(idl_options_warning_errors(&o),
                          IDL_WARNINGS_ALL & ~(1u << IDL_W_DEPRECATED) & ~(1u << IDL_W_MEMBER_NAME_STYLE));
        /* and -Werror=NAME after -Wno-error=NAME makes it an error again; -Wno-error turns off only -Werror */
        ck_assert_int_eq(idl_options_parse_warning(&o, "error=deprecated"), 0);
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-error"), 0);
        ck_assert_uint_eq(idl_options_warning_errors(&o), 1u << IDL_W_DEPRECATED);
        /* -Wno-NAME after -Werror=NAME: off */
        ck_assert_int_eq(idl_options_parse_warning(&o, "no-deprecated"), 0);
        sr_init(&r);
        idl_options_apply(&o, r.s);
        idl_warn(r.s, IDL_W_DEPRECATED, a, "deprecated");
        ck_assert_uint_eq(idl_diag_error_count(r.s) + idl_diag_warning_count(r.s), 0);
        sr_free(&r);
}
END_TEST

START_TEST(test_suggest_warning_names) {
        const char *names[IDL_W_COUNT];

        for (int w = 0; w < IDL_W_COUNT; w++)
                names[w] = idl_warning_name((idl_warning) w);
        ck_assert_str_eq(idl_suggest("member-name-styl", names, IDL_W_COUNT), "member-name-style");
        ck_assert_str_eq(idl_suggest("depracated", names, IDL_W_COUNT), "deprecated");
        ck_assert_ptr_null(idl_suggest("frobnicate", names, IDL_W_COUNT));
}
END_TEST

static Suite *diag_suite(void) {
        Suite *s = suite_create("diag");
        TCase *window = tcase_create("window"), *order = tcase_create("order"), *opts = tcase_create("options");

        tcase_add_test(window, test_window_middle);
        tcase_add_test(window, test_window_ends);
        tcase_add_test(window, test_window_caret_past_the_end);
        tcase_add_test(window, test_window_short_lines_whole);
        tcase_add_test(window, test_window_tabs_and_utf8);
        tcase_add_test(window, test_window_long_span);
        tcase_add_test(window, test_window_huge_line_is_cheap);
        tcase_add_test(window, test_control_characters);
        tcase_add_test(order, test_source_order);
        tcase_add_test(order, test_same_place_keeps_report_order);
        tcase_add_test(order, test_files_in_order_first_reported);
        tcase_add_test(order, test_flushes_sort_separately);
        tcase_add_test(order, test_max_errors_in_source_order);
        tcase_add_test(order, test_max_errors_many);
        tcase_add_test(order, test_free_flushes);
        tcase_add_test(order, test_source_freed_before_flush);
        tcase_add_test(order, test_import_context);
        tcase_add_test(opts, test_werror_name);
        tcase_add_test(opts, test_suggest_warning_names);
        suite_add_tcase(s, window);
        suite_add_tcase(s, order);
        suite_add_tcase(s, opts);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(diag_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-codegen.c — the front end and the C back ends driven as a library: several files in one process,
 * interleaved and from two threads, byte for byte what dbidlc writes; the back ends' diagnostics through the sink */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* asprintf */
#endif
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "codegen/naming.h"
#include "codegen/strbuf.h"
#include "idl/idl.h"

/* Files of every kind the C back ends handle: many types, imports, properties, signals. */
static const char *const inputs[] = {
        "examples/media-player/mpris.idl",
        "examples/types/types.idl",
        "tests/idl/good/drawing.idl",   /* imports shapes.idl */
        "tests/idl/good/stored.idl",
};
#define N_INPUTS (sizeof(inputs) / sizeof(inputs[0]))

typedef int (*generator)(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);
static const generator generators[] = { codegen_header, codegen_client, codegen_server };
static const char *const suffixes[] = { ".h", "-client.c", "-server.c" };
#define N_OUTPUTS 3

typedef struct loaded {
        char *path;
        char *stem;             /* "mpris" */
        const char *base;       /* "mpris.idl" */
        idl_file *f;
} loaded;

static loaded files[N_INPUTS];

static char *srcpath(const char *rel) {
        const char *top = getenv("top_srcdir");
        ck_assert_msg(top, "top_srcdir is not set");
        size_t n = strlen(top) + 1 + strlen(rel) + 1;
        char *p = malloc(n);
        ck_assert_ptr_nonnull(p);
        snprintf(p, n, "%s/%s", top, rel);
        return p;
}

/* Load, check and name-check every input as dbidlc does, each with a sink of its own that must stay silent. */
static void load_all(void) {
        for (size_t i = 0; i < N_INPUTS; i++) {
                loaded *l = &files[i];
                char *diags = NULL;
                size_t n = 0;
                FILE *out = open_memstream(&diags, &n);
                idl_diag_sink *sink;
                idl_options o;

                ck_assert_ptr_nonnull(out);
                ck_assert_int_eq(idl_diag_sink_new(out, &sink), 0);
                idl_options_init(&o);
                l->path = srcpath(inputs[i]);
                l->base = strrchr(l->path, '/') + 1;
                l->stem = strndup(l->base, strlen(l->base) - 4);
                ck_assert_int_eq(idl_load(l->path, &o, sink, &l->f), 0);
                ck_assert_int_eq(codegen_check_names(l->f, l->stem, sink), 0);
                idl_diag_sink_free(sink);
                fclose(out);
                ck_assert_msg(n == 0, "%s: unexpected diagnostics:\n%s", inputs[i], diags);
                free(diags);
        }
}

static void free_all(void) {
        for (size_t i = 0; i < N_INPUTS; i++) {
                idl_file_free(files[i].f);
                free(files[i].path);
                free(files[i].stem);
        }
        memset(files, 0, sizeof(files));
}

/* Output k of file i, generated into memory as dbidlc's options would have it; NULL if the generator failed. */
static char *generate(size_t i, size_t k) {
        codegen_options o = { .stem = files[i].stem, .source_name = files[i].base, .version = PACKAGE_VERSION };
        strbuf out = { 0 };
        char *diags = NULL, *text;
        size_t dlen = 0;
        FILE *dout = open_memstream(&diags, &dlen);
        idl_diag_sink *sink = NULL;
        int r = -ENOMEM;

        if (dout && idl_diag_sink_new(dout, &sink) == 0)
                r = generators[k](files[i].f, &o, &out, sink);
        idl_diag_sink_free(sink);
        if (dout)
                fclose(dout);
        text = sb_take(&out);
        if (r < 0 || dlen > 0) {
                free(text);
                text = NULL;
        }
        free(diags);
        return text;
}

static char *read_all(const char *path) {
        FILE *f = fopen(path, "r");
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        char buf[8192];
        size_t n;

        ck_assert_msg(f != NULL, "cannot open %s", path);
        ck_assert_ptr_nonnull(out);
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
        fclose(f);
        fclose(out);
        return text;
}

/*
 * Every output of every file, generated in one process with the files interleaved (all headers, then all client
 * files, then all server files), is byte for byte what dbidlc writes for that file alone.
 */
START_TEST(test_interleaved_match_dbidlc) {
        const char *dbidlc = getenv("DBIDLC");
        char dir[] = "/tmp/test-codegen-XXXXXX";
        char *cmd;

        ck_assert_msg(dbidlc, "DBIDLC is not set");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        load_all();
        char *got[N_INPUTS][N_OUTPUTS];
        for (size_t k = 0; k < N_OUTPUTS; k++)
                for (size_t i = 0; i < N_INPUTS; i++) {
                        got[i][k] = generate(i, k);
                        ck_assert_msg(got[i][k] != NULL, "%s%s failed", files[i].stem, suffixes[k]);
                }
        for (size_t i = 0; i < N_INPUTS; i++) {
                ck_assert_int_ge(asprintf(&cmd, "cd '%s' && '%s' -o '%s' '%s'", dir, dbidlc, dir, files[i].path), 0);
                ck_assert_int_eq(system(cmd), 0);
                free(cmd);
                for (size_t k = 0; k < N_OUTPUTS; k++) {
                        char *path;
                        ck_assert_int_ge(asprintf(&path, "%s/%s%s", dir, files[i].stem, suffixes[k]), 0);
                        char *want = read_all(path);
                        ck_assert_msg(strlen(want) > 1000, "%s is nearly empty", path);
                        ck_assert_msg(strcmp(got[i][k], want) == 0, "%s: the library's output differs from dbidlc's",
                                      path);
                        free(want);
                        unlink(path);
                        free(path);
                        free(got[i][k]);
                }
        }
        ck_assert_int_eq(rmdir(dir), 0);
        free_all();
}
END_TEST

typedef struct job {
        size_t first;           /* the thread's first file; it goes round all of them from there */
        char *want[N_INPUTS][N_OUTPUTS];
        unsigned mismatches;
} job;

static void *run_job(void *userdata) {
        job *j = userdata;
        for (unsigned round = 0; round < 5; round++)
                for (size_t n = 0; n < N_INPUTS; n++) {
                        size_t i = (j->first + n) % N_INPUTS;
                        for (size_t k = 0; k < N_OUTPUTS; k++) {
                                char *text = generate(i, k);
                                if (!text || strcmp(text, j->want[i][k]) != 0)
                                        j->mismatches++;
                                free(text);
                        }
                }
        return NULL;
}

/* Two threads generating different files at the same time get what one thread alone gets: no shared state. */
START_TEST(test_two_threads) {
        job jobs[2] = { { .first = 0 }, { .first = N_INPUTS / 2 } };
        pthread_t threads[2];

        load_all();
        for (size_t i = 0; i < N_INPUTS; i++)
                for (size_t k = 0; k < N_OUTPUTS; k++) {
                        jobs[0].want[i][k] = generate(i, k);
                        ck_assert_ptr_nonnull(jobs[0].want[i][k]);
                        jobs[1].want[i][k] = jobs[0].want[i][k];
                }
        for (int t = 0; t < 2; t++)
                ck_assert_int_eq(pthread_create(&threads[t], NULL, run_job, &jobs[t]), 0);
        for (int t = 0; t < 2; t++)
                ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
        ck_assert_uint_eq(jobs[0].mismatches, 0);
        ck_assert_uint_eq(jobs[1].mismatches, 0);
        for (size_t i = 0; i < N_INPUTS; i++)
                for (size_t k = 0; k < N_OUTPUTS; k++)
                        free(jobs[0].want[i][k]);
        free_all();
}
END_TEST

/* What a back end reports, through a sink of its own: the text the sink wrote, and the generator's return in *ret. */
static char *sink_text(int (*call)(idl_diag_sink *sink, void *userdata), void *userdata, int *ret) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        idl_diag_sink *sink;

        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(idl_diag_sink_new(out, &sink), 0);
        *ret = call(sink, userdata);
        idl_diag_sink_free(sink);
        fclose(out);
        return text;
}

static int service_bad_name(idl_diag_sink *sink, void *userdata) {
        codegen_options o = { .stem = "x", .version = PACKAGE_VERSION, .bus_name = "no-dots", .exec = "/bin/true" };
        (void) userdata;
        strbuf out = { 0 };
        int r = codegen_service(NULL, &o, &out, sink);
        ck_assert_uint_eq(out.len, 0);  /* nothing written */
        free(out.data);
        return r;
}

static int bad_prefix(idl_diag_sink *sink, void *userdata) {
        char *prefixes[] = { userdata };
        return codegen_set_c_prefixes(files[0].f, NULL, prefixes, 1, sink);
}

/* The back ends' errors are diagnostics on the caller's sink, counted as errors, not text on a FILE of their own. */
START_TEST(test_backend_diagnostics_in_sink) {
        int r;
        char *text = sink_text(service_bad_name, NULL, &r);
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_str_eq(text, "dbidlc: error: --bus-name: 'no-dots' is not a valid well-known bus name\n");
        free(text);

        load_all();
        text = sink_text(bad_prefix, (char *) "org.mpris.MediaPlayer2=9lives", &r);
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_str_eq(text, "dbidlc: error: --c-prefix needs a C identifier that starts with a letter, "
                               "not '9lives'\n");
        free(text);
        text = sink_text(bad_prefix, (char *) "org.example.Nothing=nothing", &r);
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_str_eq(text, "dbidlc: error: --c-prefix=org.example.Nothing=nothing: the file has no interface "
                               "'org.example.Nothing'\n");
        free(text);
        free_all();
}
END_TEST

/* The back ends' formatter (codegen/strbuf.c): each conversion it knows, as snprintf() writes it, and growth. */
START_TEST(test_strbuf) {
        char want[256];
        strbuf b = { 0 };
        sb_printf(&b, "%s|%c|%d|%d|%d|%zu|%.*s|%.*s|%.*s|%%|", "str", 'c', 0, -2147483647 - 1, 2147483647,
                  (size_t) 18446744073709551615u, 3, "abcdef", 10, "ab", -1, "whole");
        snprintf(want, sizeof want, "%s|%c|%d|%d|%d|%zu|%.*s|%.*s|%.*s|%%|", "str", 'c', 0, -2147483647 - 1,
                 2147483647, (size_t) 18446744073709551615u, 3, "abcdef", 10, "ab", -1, "whole");
        sb_put(&b, "xy", 1);
        sb_putc(&b, 'z');
        sb_puts(&b, "!");
        strcat(want, "xz!");
        char *text = sb_take(&b);
        ck_assert_str_eq(text, want);
        free(text);
        ck_assert_ptr_null(b.data);

        /* nothing written: an empty string, not NULL */
        text = sb_take(&b);
        ck_assert_str_eq(text, "");
        free(text);

        /* past the first allocation many times over, byte-exact */
        for (int i = 0; i < 10000; i++)
                sb_printf(&b, "%d,", i);
        text = sb_take(&b);
        size_t len = 0;
        for (int i = 0; i < 10000; i++) {
                int k = snprintf(want, sizeof want, "%d,", i);
                ck_assert_int_eq(strncmp(text + len, want, (size_t) k), 0);
                len += (size_t) k;
        }
        ck_assert_uint_eq(strlen(text), len);
        free(text);

        text = sb_format("%s=%zu", "n", (size_t) 42);
        ck_assert_str_eq(text, "n=42");
        free(text);
}
END_TEST

static Suite *codegen_suite(void) {
        Suite *s = suite_create("codegen");
        TCase *tc = tcase_create("library");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_interleaved_match_dbidlc);
        tcase_add_test(tc, test_two_threads);
        tcase_add_test(tc, test_backend_diagnostics_in_sink);
        tcase_add_test(tc, test_strbuf);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(codegen_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-scaling.c — bench-scaling: decode, import and parse times at n and 4n, and their ratios */

/*
 * Every decoder and parser of the project is to be linear in its input (docs/benchmarks.md, "Scaling").  This
 * measures it: each case runs at a size n and at 4n, and the ratio of the two times is printed; linear work gives
 * about 4, quadratic work 16.  A ratio above MAX_RATIO fails the case.  The cases:
 *
 *   as, a{sv}, a{ss}, aay, a(sa{sv})   a message built with sd-bus (a signal on one end of a socketpair
 *                                      connection, sealed and rewound: no bus daemon), read the way a service
 *                                      reads its arguments: the built-in kinds through the runtime functions the
 *                                      codecs call (dbidl_message_read_strv(), dbidl_dict_read()), the others
 *                                      through the read function of their generated codec (gen/scaling.h, from
 *                                      scaling.idl).  Timed: the read alone, not the building nor the freeing.
 *   import-xml: n args                 idl_import_xml() of one method with n arguments (distinct names), to
 *                                      /dev/null; the same with n arguments of one name (made unique by the
 *                                      importer); and of one interface of n methods.
 *   idl front end: n methods           idl_parse_string() and idl_check() of one interface of n methods; and of
 *                                      one of n structs, each the argument of a method of its own.
 *
 * Each time is the best of `runs` runs (default 9), which keeps the load of a shared machine out of the figures
 * as far as anything can; the runs at n and at 4n take turns, after one uncounted run at 4n, on a heap that keeps
 * the memory it was given (so that page faults do not depend on the order of the runs), each case in a process of
 * its own (so that no case runs on a heap an earlier one left in pieces).  The exit status is 0
 * whatever the ratios (this is a benchmark: the last line gives the verdict), 1 if a case fails to decode or parse
 * (or decodes the wrong count), 2 for a usage error.
 */

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "idl/diag.h"
#include "idl/idl.h"
#include "idl/import.h"
#include "scaling.h"

#define MAX_RATIO 5.0

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- messages ---- */

static sd_bus *bus;

/* One started end of a socketpair connection: what sd-bus needs to build messages. */
static int bus_open(void) {
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
                return -errno;
        int r = sd_bus_new(&bus);
        if (r >= 0)
                r = sd_bus_set_fd(bus, fds[0], fds[0]);
        if (r >= 0)
                r = sd_bus_start(bus);
        close(fds[1]);
        return r;
}

/* A new message with n items of `kind` (the case's name), sealed. */
static int build(const char *kind, size_t n, sd_bus_message **ret) {
        sd_bus_message *m = NULL;
        char key[32];
        int r = sd_bus_message_new_signal(bus, &m, "/org/dbidl/Scaling1", "org.dbidl.Scaling1", "Items");
        if (r < 0)
                return r;
        if (strcmp(kind, "as") == 0) {
                r = sd_bus_message_open_container(m, 'a', "s");
                for (size_t i = 0; r >= 0 && i < n; i++) {
                        snprintf(key, sizeof key, "item%zu", i);
                        r = sd_bus_message_append_basic(m, 's', key);
                }
        } else if (strcmp(kind, "a{sv}") == 0) {
                r = sd_bus_message_open_container(m, 'a', "{sv}");
                for (size_t i = 0; r >= 0 && i < n; i++) {
                        snprintf(key, sizeof key, "key%zu", i);
                        r = sd_bus_message_append(m, "{sv}", key, "u", (uint32_t) i);
                }
        } else if (strcmp(kind, "a{ss}") == 0) {
                r = sd_bus_message_open_container(m, 'a', "{ss}");
                for (size_t i = 0; r >= 0 && i < n; i++) {
                        snprintf(key, sizeof key, "key%zu", i);
                        r = sd_bus_message_append(m, "{ss}", key, "value");
                }
        } else if (strcmp(kind, "aay") == 0) {
                static const uint8_t bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
                r = sd_bus_message_open_container(m, 'a', "ay");
                for (size_t i = 0; r >= 0 && i < n; i++)
                        r = sd_bus_message_append_array(m, 'y', bytes, 1 + i % 8);
        } else {
                /* a(sa{sv}): n records of 2 properties each, and one record of n properties */
                r = sd_bus_message_open_container(m, 'a', "(sa{sv})");
                for (size_t i = 0; r >= 0 && i < n; i++) {
                        snprintf(key, sizeof key, "record%zu", i);
                        r = sd_bus_message_append(m, "(sa{sv})", key, 2, "index", "u", (uint32_t) i, "name", "s",
                                                  key);
                }
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'r', "sa{sv}");
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 's', "big");
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'a', "{sv}");
                for (size_t i = 0; r >= 0 && i < n; i++) {
                        snprintf(key, sizeof key, "key%zu", i);
                        r = sd_bus_message_append(m, "{sv}", key, "s", key);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_seal(m, 1, 0);
        if (r < 0) {
                sd_bus_message_unref(m);
                return r;
        }
        *ret = m;
        return 0;
}

/*
 * Read the message of `kind` once: the read alone is timed into *ret_seconds.  Returns the number of items read
 * (for a(sa{sv}), records plus the properties of the big one), or a negative errno.
 */
static long decode(const char *kind, sd_bus_message *m, double *ret_seconds) {
        long count = -EINVAL;
        double t0;
        int r = sd_bus_message_rewind(m, 1);
        if (r < 0)
                return r;
        t0 = now();
        if (strcmp(kind, "as") == 0) {
                char **v = NULL;
                r = dbidl_message_read_strv(m, &v);
                *ret_seconds = now() - t0;
                for (count = 0; r >= 0 && v[count]; count++)
                        ;
                dbidl_strv_free(v);
        } else if (strcmp(kind, "a{sv}") == 0) {
                dbidl_dict *v = NULL;
                r = dbidl_dict_read(m, &v);
                *ret_seconds = now() - t0;
                count = (long) dbidl_dict_size(v);
                dbidl_dict_unref(v);
        } else if (strcmp(kind, "a{ss}") == 0) {
                scaling_StringStringDict v;
                r = dbidl_codec_scaling_StringStringDict.read(m, &v);
                *ret_seconds = now() - t0;
                if (r >= 0) {
                        count = (long) v.n;
                        scaling_StringStringDict_clear(&v);
                }
        } else if (strcmp(kind, "aay") == 0) {
                scaling_ByteArrayArray v;
                r = dbidl_codec_scaling_ByteArrayArray.read(m, &v);
                *ret_seconds = now() - t0;
                if (r >= 0) {
                        count = (long) v.n;
                        scaling_ByteArrayArray_clear(&v);
                }
        } else {
                org_dbidl_scaling1_RecordArray v;
                r = dbidl_codec_org_dbidl_scaling1_RecordArray.read(m, &v);
                *ret_seconds = now() - t0;
                if (r >= 0) {
                        count = (long) (v.n - 1 + dbidl_dict_size(v.items[v.n - 1].props));
                        org_dbidl_scaling1_RecordArray_clear(&v);
                }
        }
        return r < 0 ? r : count;
}

/* ---- the compiler's front ends ---- */

typedef struct text {
        char *s;
        size_t len;
} text;

/* The input of a front-end case of size n: XML for the import-xml cases, .idl for the front end. */
static int make_text(const char *kind, size_t n, text *ret) {
        FILE *f = open_memstream(&ret->s, &ret->len);
        if (!f)
                return -ENOMEM;
        if (strncmp(kind, "import-xml", 10) == 0) {
                fputs("<node>\n  <interface name=\"org.dbidl.Scaling1\">\n", f);
                if (strstr(kind, "methods")) {
                        for (size_t i = 0; i < n; i++)
                                fprintf(f, "    <method name=\"Method%zu\"><arg name=\"a\" type=\"s\"/></method>\n",
                                        i);
                } else {
                        bool one_name = strstr(kind, "one name");
                        fputs("    <method name=\"Many\">\n", f);
                        for (size_t i = 0; i < n; i++) {
                                if (one_name)
                                        fprintf(f, "      <arg name=\"x\" type=\"s\" direction=\"%s\"/>\n",
                                                i % 2 ? "out" : "in");
                                else
                                        fprintf(f, "      <arg name=\"arg_%zu\" type=\"s\"/>\n", i);
                        }
                        fputs("    </method>\n", f);
                }
                fputs("  </interface>\n</node>\n", f);
        } else if (strstr(kind, "types")) {
                /* n structs, each the argument of a method: n lookups of a type by name */
                fputs("interface org.dbidl.Scaling1 {\n", f);
                for (size_t i = 0; i < n; i++)
                        fprintf(f, "        struct Type%zu { a: string; }\n        method Method%zu(t: Type%zu);\n", i,
                                i, i);
                fputs("}\n", f);
        } else {
                fputs("interface org.dbidl.Scaling1 {\n", f);
                for (size_t i = 0; i < n; i++)
                        fprintf(f, "        method Method%zu(a: string, b: dict<string, variant>) -> (c: uint32);\n",
                                i);
                fputs("}\n", f);
        }
        if (fclose(f) != 0)
                return -errno;
        return 0;
}

/* Run the front-end case once on `t`: the time into *ret_seconds; the number of errors reported, or -errno. */
static long front_end(const char *kind, const text *t, double *ret_seconds) {
        idl_diag_sink *sink = NULL;
        FILE *null = fopen("/dev/null", "we");
        long r;
        if (!null)
                return -errno;
        r = idl_diag_sink_new(stderr, &sink);
        if (r >= 0) {
                double t0 = now();
                if (strncmp(kind, "import-xml", 10) == 0)
                        r = idl_import_xml("scaling.xml", t->s, t->len, NULL, sink, null);
                else {
                        idl_file *f = NULL;
                        r = idl_parse_string("scaling.idl", t->s, t->len, sink, &f);
                        if (r >= 0)
                                r = idl_check(f, sink);
                        idl_file_free(f);
                }
                *ret_seconds = now() - t0;
                if (r >= 0)
                        r = idl_diag_error_count(sink);
        }
        idl_diag_sink_free(sink);
        fclose(null);
        return r;
}

/* ---- the cases ---- */

typedef struct scase {
        const char *name;
        size_t n;
        bool message; /* a decode case; else a front-end one */
} scase;

static const scase cases[] = {
        { "as", 250000, true },
        { "a{sv}", 25000, true },
        { "a{ss}", 250000, true },
        { "aay", 250000, true },
        { "a(sa{sv})", 20000, true },
        { "import-xml: n args", 40000, false },
        { "import-xml: n args of one name", 20000, false },
        { "import-xml: n methods", 20000, false },
        { "idl front end: n methods", 20000, false },
        { "idl front end: n types", 10000, false },
};

/* Run the case once on its input of size n (a message or a text): the time into *ret_seconds.  0, or -errno. */
static int run_once(const scase *c, size_t n, sd_bus_message *m, const text *t, double *ret_seconds) {
        long got;
        if (c->message) {
                got = decode(c->name, m, ret_seconds);
                if (got >= 0 && (size_t) got != (strcmp(c->name, "a(sa{sv})") == 0 ? 2 * n : n)) {
                        fprintf(stderr, "bench-scaling: %s: %ld items decoded of %zu\n", c->name, got, n);
                        return -EBADMSG;
                }
        } else {
                got = front_end(c->name, t, ret_seconds);
                if (got > 0) {
                        fprintf(stderr, "bench-scaling: %s: %ld errors reported\n", c->name, got);
                        return -EBADMSG;
                }
        }
        if (got < 0)
                fprintf(stderr, "bench-scaling: %s at n = %zu failed: %s\n", c->name, n, strerror((int) -got));
        return got < 0 ? (int) got : 0;
}

/*
 * The best times of `runs` runs of the case at sizes n and 4n, the runs of both sizes taking turns (so that both
 * see the same state of the machine).  0, or a negative errno (printed).
 */
static int measure(const scase *c, size_t n, unsigned runs, double *ret_best1, double *ret_best4) {
        sd_bus_message *m[2] = { NULL, NULL };
        text t[2] = { { 0 }, { 0 } };
        double best[2] = { -1, -1 };
        int r = 0;
        for (int k = 0; k < 2 && r >= 0; k++) {
                size_t size = k ? 4 * n : n;
                r = c->message ? build(c->name, size, &m[k]) : make_text(c->name, size, &t[k]);
                if (r < 0)
                        fprintf(stderr, "bench-scaling: %s: building the input of %zu items failed: %s\n", c->name,
                                size, strerror(-r));
        }
        /* a first run at 4n, not counted: the heap then has the pages both sizes need (see main()) */
        if (r >= 0) {
                double s;
                r = run_once(c, 4 * n, m[1], &t[1], &s);
        }
        for (unsigned i = 0; i < runs && r >= 0; i++)
                for (int k = 0; k < 2 && r >= 0; k++) {
                        double s = 0;
                        r = run_once(c, k ? 4 * n : n, m[k], &t[k], &s);
                        if (best[k] < 0 || s < best[k])
                                best[k] = s;
                }
        for (int k = 0; k < 2; k++) {
                sd_bus_message_unref(m[k]);
                free(t[k].s);
        }
        *ret_best1 = best[0];
        *ret_best4 = best[1];
        return r;
}

/*
 * Measure the case in a child process of its own, so that every case starts on a fresh heap (a heap that earlier
 * cases left full of freed small blocks makes the larger run slower than the smaller one, whatever the code does),
 * with the memory settings of main().  0 with both times, or -1 (the child printed why).
 */
static int measure_apart(const scase *c, size_t n, unsigned runs, double *ret_best1, double *ret_best4) {
        double t[2];
        int fds[2], status;
        if (pipe(fds) < 0)
                return -1;
        pid_t pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return -1;
        }
        if (pid == 0) {
                int r = bus_open();
                close(fds[0]);
                if (r < 0)
                        fprintf(stderr, "bench-scaling: no connection to build messages on: %s\n", strerror(-r));
                else
                        r = measure(c, n, runs, &t[0], &t[1]);
                if (r >= 0 && write(fds[1], t, sizeof t) != (ssize_t) sizeof t)
                        r = -EIO;
                _exit(r < 0 ? 1 : 0);
        }
        close(fds[1]);
        ssize_t got = read(fds[0], t, sizeof t);
        close(fds[0]);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t) sizeof t)
                return -1;
        *ret_best1 = t[0];
        *ret_best4 = t[1];
        return 0;
}

static int usage(void) {
        fprintf(stderr, "usage: bench-scaling [--runs N] [--scale F] [--only NAME]\n"
                        "  --runs N     best of N runs per size (default 9)\n"
                        "  --scale F    multiply every n by F (default 1)\n"
                        "  --only NAME  run the cases whose name starts with NAME\n");
        return 2;
}

int main(int argc, char **argv) {
        unsigned runs = 9;
        double scale = 1;
        const char *only = NULL;
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
                        runs = (unsigned) strtoul(argv[++i], NULL, 10);
                else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
                        scale = strtod(argv[++i], NULL);
                else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
                        only = argv[++i];
                else
                        return usage();
        }
        if (runs == 0 || runs > 99 || !(scale > 0 && scale <= 100))
                return usage();
        /*
         * Memory the runs free stays in the heap, never given back to the kernel: otherwise a run that follows a
         * larger one finds its pages ready and one that follows a smaller one faults them in again, and the
         * ratios measure the kernel's page faults and the order of the runs rather than the code.
         */
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, INT_MAX);

        printf("Time at n and at 4n, best of %u runs each; linear work gives a ratio of about 4\n", runs);
        printf("  %-32s %8s %11s %8s %11s %7s\n", "case", "n", "time(n) s", "4n", "time(4n) s", "ratio");
        fflush(stdout);
        bool failed = false;
        char missed[512] = "";
        double worst = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                const scase *c = &cases[i];
                if (only && strncmp(c->name, only, strlen(only)) != 0)
                        continue;
                size_t n = (size_t) ((double) c->n * scale);
                double t1, t4;
                if (n == 0)
                        n = 1;
                if (measure_apart(c, n, runs, &t1, &t4) < 0) {
                        failed = true;
                        continue;
                }
                double ratio = t1 > 0 ? t4 / t1 : 0;
                printf("  %-32s %8zu %11.4f %8zu %11.4f %7.2f%s\n", c->name, n, t1, 4 * n, t4, ratio,
                       ratio > MAX_RATIO ? "  > 5" : "");
                fflush(stdout);
                if (ratio > worst)
                        worst = ratio;
                if (ratio > MAX_RATIO && strlen(missed) + strlen(c->name) + 3 < sizeof missed) {
                        strcat(missed, missed[0] ? ", " : " (");
                        strcat(missed, c->name);
                }
        }
        if (failed) {
                printf("a case failed: no verdict\n");
                return 1;
        }
        if (missed[0])
                strcat(missed, ")");
        printf("largest ratio %.2f, every ratio at most %.0f: %s%s\n", worst, MAX_RATIO, missed[0] ? "NOT met" : "met",
               missed);
        return 0;
}

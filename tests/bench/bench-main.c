/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-main.c — bench-client: int32[] round trips, generated proxy against hand-written sd-bus, calls/s and ratio */

/*
 * One call is one Echo round trip of n int32 values through the bus daemon, ending with the echoed values in
 * a malloc'd array of the caller's (freed right away).  The two paths do the same work:
 *
 *   generated: org_dbidl_bench1_call_echo() (gen/bench-client.c, generated from bench.idl) on a org_dbidl_bench1_proxy, timeout 0
 *   (sd-bus's default, as in the sd-bus path): builds the call (dbidl_proxy_new_call →
 *   sd_bus_message_new_method_call), one sd_bus_message_append_array, sd_bus_call (dbidl_proxy_call),
 *   checks the reply's signature (dbidl_message_check_signature), then sd_bus_message_read_array + malloc +
 *   memcpy (dbidl_message_read_array_dup); the caller frees.  Served by the generated skeleton
 *   (org.dbidl.Bench1).
 *
 *   sd-bus: raw_echo() below, what a user of sd-bus writes to get the values into a buffer of their own:
 *   sd_bus_message_new_method_call, sd_bus_message_append_array, sd_bus_call, sd_bus_message_read_array,
 *   malloc + memcpy, caller frees.  Served by the hand-written vtable (org.dbidl.BenchRaw1).
 *
 * For each size, after checking the echoed data of both paths once, the benchmark runs a few rounds.  A round
 * alternates short batches of the two paths (about 10 ms of calls each: one call for 4 MiB, many for 4 KiB;
 * AB AB … in one round, BA BA … in the next) until the round's time is up, so that both see the same state of
 * the machine, the bus daemon and the allocators; each path's calls/s in the round is its calls over the time
 * spent in them.  The table shows the median over the rounds of each path's calls/s, and the median of the
 * rounds' ratios (generated / sd-bus; 1.0 means the generated code costs nothing extra) with their range.
 *
 * With --address ADDR (make bench runs bench-service --address too), two more tables follow: the same two
 * paths on a peer-to-peer connection to ADDR (dbidl_bus_open_peer(), no destination, served by a
 * dbidl_server), and the generated call peer-to-peer against the same generated call through the bus daemon,
 * alternated the same way: what skipping the daemon buys.
 * The exit status is 0 whatever the ratio (this is a benchmark; the verdict is printed), 1 if a call fails or
 * echoes wrong data, 2 for a usage error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bench-common.h"

#define TARGET_RATIO 0.95      /* through the bus daemon (issue: generated within 5% of sd-bus) */
#define TARGET_RATIO_PEER 0.97 /* peer-to-peer, where no daemon hides the client's own costs */
#define MAX_ROUNDS 99
#define MAX_SIZES 16

typedef struct options {
        unsigned rounds;
        double seconds;
        unsigned long calls; /* 0: run each round for `seconds` */
        size_t sizes[MAX_SIZES];
        unsigned n_sizes;
        int only; /* 0 both, 'g' generated only, 'r' sd-bus only (for profiling) */
        const char *address; /* --address: the peer-to-peer tables too */
} options;

typedef struct bench {
        sd_bus *bus;
        const char *destination; /* BENCH_NAME on the bus; NULL on a peer connection */
        org_dbidl_bench1_proxy *proxy;
        const int32_t *values;
        size_t n;
} bench;

typedef int (*echo_fn)(bench *b, int32_t **ret, size_t *ret_n, sd_bus_error *error);

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* The generated path. */
static int gen_echo(bench *b, int32_t **ret, size_t *ret_n, sd_bus_error *error) {
        return org_dbidl_bench1_call_echo(b->proxy, b->values, b->n, ret, ret_n, 0, error);
}

/* The hand-written path: the same call with sd-bus alone, the reply copied into a malloc'd array. */
static int raw_echo(bench *b, int32_t **ret, size_t *ret_n, sd_bus_error *error) {
        sd_bus_message *m = NULL, *reply = NULL;
        const void *p = NULL;
        int32_t *copy = NULL;
        size_t size = 0;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, b->destination, BENCH_PATH, BENCH_RAW_INTERFACE, "Echo");
        if (r < 0)
                goto finish;
        r = sd_bus_message_append_array(m, 'i', b->values, b->n * sizeof(int32_t));
        if (r < 0)
                goto finish;
        r = sd_bus_call(b->bus, m, 0, error, &reply);
        if (r < 0)
                goto finish;
        r = sd_bus_message_read_array(reply, 'i', &p, &size);
        if (r < 0)
                goto finish;
        if (size > 0) {
                copy = malloc(size);
                if (!copy) {
                        r = -ENOMEM;
                        goto finish;
                }
                memcpy(copy, p, size);
        }
        *ret = copy;
        *ret_n = size / sizeof(int32_t);
        r = 0;
finish:
        sd_bus_message_unref(reply);
        sd_bus_message_unref(m);
        return r;
}

/* One of the two contenders of a table: a way of calling (fn) on a connection (b). */
typedef struct path {
        const char *what; /* for messages: "generated", "sd-bus", "generated (bus)" */
        echo_fn fn;
        bench *b;
} path;

/* One call; prints what went wrong and returns -1 on failure, else 0.  `check` compares the echo. */
static int call_once(const path *p, bool check) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        const bench *b = p->b;
        const char *what = p->what;
        int32_t *out = NULL;
        size_t n = 0;
        int r = p->fn(p->b, &out, &n, &error);
        if (r < 0) {
                fprintf(stderr, "bench-client: %s Echo of %zu values failed: %s\n", what, b->n,
                        dbidl_error_message(r, &error));
                sd_bus_error_free(&error);
                return -1;
        }
        if (check && (n != b->n || (n > 0 && memcmp(out, b->values, n * sizeof(int32_t)) != 0))) {
                fprintf(stderr, "bench-client: %s Echo of %zu values came back wrong (%zu values)\n", what, b->n, n);
                free(out);
                return -1;
        }
        free(out);
        return 0;
}

/* Calls and time of one path in one round. */
typedef struct tally {
        unsigned long calls;
        double seconds;
} tally;

/* `k` calls of `p`, timed into *t.  Returns -1 on a failed call. */
static int run_batch(const path *p, unsigned long k, tally *t) {
        double start = now();
        for (unsigned long i = 0; i < k; i++)
                if (call_once(p, false) < 0)
                        return -1;
        t->calls += k;
        t->seconds += now() - start;
        return 0;
}

/*
 * One round: batches of `batch` calls, alternating between the paths (`a` first if `a_first`), always a
 * whole pair, until the round's time is up (or, with --calls, until each path has made that many calls).
 * With --only, the other path's batches are left out ('g': only `a`, 'r': only `b`).  Returns -1 on a
 * failed call.
 */
static int run_round(const path *a, const path *b, const options *o, unsigned long batch, bool a_first, tally *gen,
                     tally *raw) {
        double start = now();
        *gen = *raw = (tally) { 0 };
        for (unsigned j = 0;; j++) {
                bool g = (j % 2 == 0) == a_first;
                if (!o->only || (o->only == 'g') == g) {
                        if (g ? run_batch(a, batch, gen) < 0 : run_batch(b, batch, raw) < 0)
                                return -1;
                }
                if (j % 2 == 0)
                        continue;
                if (o->calls > 0 ? (o->only == 'r' || gen->calls >= o->calls) && (o->only == 'g' || raw->calls >= o->calls)
                                 : now() - start >= o->seconds)
                        return 0;
        }
}

/* Calls per batch: about 10 ms of calls, from the time a few calls take (measured on both paths). */
static int batch_size(const path *a, const path *b, const options *o, unsigned long *ret) {
        tally t = { 0 };
        double start = now();
        while (t.calls < 3 || now() - start < 0.05) {
                if ((o->only != 'r' && run_batch(a, 1, &t) < 0) || (o->only != 'g' && run_batch(b, 1, &t) < 0))
                        return -1;
        }
        double per_call = t.seconds / (double) t.calls;
        *ret = per_call >= 0.01 ? 1 : (unsigned long) (0.01 / per_call);
        if (o->calls > 0 && *ret > o->calls)
                *ret = o->calls;
        return 0;
}

static int compare_doubles(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned n) {
        double s[MAX_ROUNDS];
        memcpy(s, v, n * sizeof(double));
        qsort(s, n, sizeof(double), compare_doubles);
        return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void usage(FILE *f) {
        fprintf(f,
                "Usage: bench-client [--rounds N] [--seconds S] [--calls N] [--sizes N[,N…]] [--only generated|sd-bus]\n"
                "                    [--address ADDR]\n"
                "Round-trip int32[] payloads through %s at %s with the generated proxy and with\n"
                "hand-written sd-bus calls, alternately; print calls/s of both and their ratio.\n"
                "  --address ADDR  also on a peer-to-peer connection to ADDR (bench-service --address):\n"
                "                the same two paths on it, and the generated call peer-to-peer against\n"
                "                the same call through the bus daemon\n"
                "  --rounds N    rounds per size (default 6; an even number balances the order)\n"
                "  --seconds S   length of a round, both paths together (default 2.0)\n"
                "  --calls N     end a round after N calls of each path instead\n"
                "  --sizes LIST  element counts (default 1024,65536,1048576)\n"
                "  --only PATH   run one path only (for profiling); no ratio\n",
                BENCH_NAME, BENCH_PATH);
}

static int parse_options(int argc, char **argv, options *o) {
        *o = (options) { .rounds = 6, .seconds = 2.0, .sizes = { 1024, 65536, 1048576 }, .n_sizes = 3 };
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
                char *end = NULL;
                if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        usage(stdout);
                        exit(0);
                }
                if (!v)
                        return -1;
                i++;
                errno = 0;
                if (strcmp(a, "--rounds") == 0) {
                        unsigned long n = strtoul(v, &end, 10);
                        if (errno || *end || n < 1 || n > MAX_ROUNDS)
                                return -1;
                        o->rounds = (unsigned) n;
                } else if (strcmp(a, "--seconds") == 0) {
                        o->seconds = strtod(v, &end);
                        if (errno || *end || !(o->seconds > 0))
                                return -1;
                } else if (strcmp(a, "--calls") == 0) {
                        o->calls = strtoul(v, &end, 10);
                        if (errno || *end || o->calls < 1)
                                return -1;
                } else if (strcmp(a, "--sizes") == 0) {
                        o->n_sizes = 0;
                        for (const char *s = v;; s = end + 1) {
                                unsigned long long n = strtoull(s, &end, 10);
                                if (errno || end == s || n > 16 * 1024 * 1024 || o->n_sizes == MAX_SIZES)
                                        return -1;
                                o->sizes[o->n_sizes++] = (size_t) n;
                                if (*end == '\0')
                                        break;
                                if (*end != ',')
                                        return -1;
                        }
                } else if (strcmp(a, "--address") == 0) {
                        o->address = v;
                } else if (strcmp(a, "--only") == 0) {
                        if (strcmp(v, "generated") == 0)
                                o->only = 'g';
                        else if (strcmp(v, "sd-bus") == 0)
                                o->only = 'r';
                        else
                                return -1;
                } else
                        return -1;
        }
        return 0;
}

/*
 * Measure one size, `a` against `b`, and print its line; *ret_ratio gets the median round ratio (a / b).
 * Returns -1 on a failed call.
 */
static int bench_size(const path *a, const path *b, const options *o, size_t n, double *ret_ratio) {
        int32_t *values = malloc((n > 0 ? n : 1) * sizeof(int32_t));
        if (!values) {
                fprintf(stderr, "bench-client: out of memory\n");
                return -1;
        }
        for (size_t i = 0; i < n; i++)
                values[i] = (int32_t) (uint32_t) ((i + 1) * 2654435761u ^ n);
        a->b->values = b->b->values = values;
        a->b->n = b->b->n = n;

        /* check the echo of both paths once, then warm up and size the batches */
        unsigned long batch;
        if ((o->only != 'r' && call_once(a, true) < 0) || (o->only != 'g' && call_once(b, true) < 0) ||
            batch_size(a, b, o, &batch) < 0) {
                free(values);
                return -1;
        }

        double gen[MAX_ROUNDS], raw[MAX_ROUNDS], ratios[MAX_ROUNDS];
        for (unsigned i = 0; i < o->rounds; i++) {
                tally g, r;
                if (run_round(a, b, o, batch, i % 2 == 0, &g, &r) < 0) {
                        free(values);
                        return -1;
                }
                gen[i] = g.seconds > 0 ? (double) g.calls / g.seconds : 0;
                raw[i] = r.seconds > 0 ? (double) r.calls / r.seconds : 0;
                ratios[i] = raw[i] > 0 ? gen[i] / raw[i] : 0;
        }
        free(values);

        char payload[32], gen_rate[32], raw_rate[32], ratio[32], spread[32];
        if (n * sizeof(int32_t) >= 1024 * 1024)
                snprintf(payload, sizeof payload, "%zu MiB", n * sizeof(int32_t) / (1024 * 1024));
        else if (n * sizeof(int32_t) >= 1024)
                snprintf(payload, sizeof payload, "%zu KiB", n * sizeof(int32_t) / 1024);
        else
                snprintf(payload, sizeof payload, "%zu B", n * sizeof(int32_t));
        snprintf(gen_rate, sizeof gen_rate, "%.1f", median(gen, o->rounds));
        snprintf(raw_rate, sizeof raw_rate, "%.1f", median(raw, o->rounds));
        *ret_ratio = median(ratios, o->rounds);
        double lo = ratios[0], hi = ratios[0];
        for (unsigned i = 1; i < o->rounds; i++) {
                lo = ratios[i] < lo ? ratios[i] : lo;
                hi = ratios[i] > hi ? ratios[i] : hi;
        }
        snprintf(ratio, sizeof ratio, "%.3f", *ret_ratio);
        snprintf(spread, sizeof spread, "%.3f-%.3f", lo, hi);
        printf("%10zu %10s %17s %17s %7s %15s %6lu\n", n, payload, o->only == 'r' ? "-" : gen_rate,
               o->only == 'g' ? "-" : raw_rate, o->only ? "-" : ratio, o->only ? "-" : spread, batch);
        return 0;
}

/*
 * One table: every size, `a` against `b`; prints the minimum of the median ratios against `target` (0: no
 * target, the ratio is a speed-up).  Returns -1 on a failed call.
 */
static int bench_table(const char *title, const path *a, const path *b, const options *o, double target) {
        double min_ratio = 0;
        char a_head[32], b_head[32];

        if (o->calls > 0)
                printf("%s: %u rounds of %lu calls per path and size\n", title, o->rounds, o->calls);
        else
                printf("%s: %u rounds of %.1f s per size\n", title, o->rounds, o->seconds);
        snprintf(a_head, sizeof a_head, "%s call/s", a->what);
        snprintf(b_head, sizeof b_head, "%s call/s", b->what);
        printf("%10s %10s %17s %17s %7s %15s %6s\n", "elements", "payload", a_head, b_head, "ratio", "round ratios",
               "batch");
        for (unsigned s = 0; s < o->n_sizes; s++) {
                double ratio;
                if (bench_size(a, b, o, o->sizes[s], &ratio) < 0)
                        return -1;
                if (s == 0 || ratio < min_ratio)
                        min_ratio = ratio;
        }
        if (!o->only && target > 0)
                printf("minimum ratio %.3f, target %.2f: %s\n", min_ratio, target, min_ratio >= target ? "met" : "NOT met");
        else if (!o->only)
                printf("minimum ratio %.3f\n", min_ratio);
        return 0;
}

int main(int argc, char **argv) {
        options o;
        bench bus = { .destination = BENCH_NAME }, peer = { 0 };
        int status = 1, r;

        if (parse_options(argc, argv, &o) < 0) {
                fprintf(stderr, "bench-client: invalid arguments (see --help)\n");
                return 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_bus_open_session(&bus.bus);
        if (r < 0) {
                fprintf(stderr, "bench-client: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = org_dbidl_bench1_proxy_new(bus.bus, BENCH_NAME, BENCH_PATH, &bus.proxy);
        if (r < 0) {
                fprintf(stderr, "bench-client: %s\n", strerror(-r));
                goto out;
        }
        if (o.address) {
                r = dbidl_bus_open_peer(o.address, 0, &peer.bus);
                if (r < 0) {
                        fprintf(stderr, "bench-client: cannot connect to %s: %s\n", o.address, strerror(-r));
                        goto out;
                }
                r = org_dbidl_bench1_proxy_new(peer.bus, NULL, BENCH_PATH, &peer.proxy);
                if (r < 0) {
                        fprintf(stderr, "bench-client: %s\n", strerror(-r));
                        goto out;
                }
        }

        const path bus_gen = { "generated", gen_echo, &bus }, bus_raw = { "sd-bus", raw_echo, &bus };
        if (bench_table("Echo(int32[]) round trips through the bus daemon", &bus_gen, &bus_raw, &o, TARGET_RATIO) < 0)
                goto out;
        if (o.address) {
                const path peer_gen = { "generated", gen_echo, &peer }, peer_raw = { "sd-bus", raw_echo, &peer };
                const path gen_peer = { "peer", gen_echo, &peer }, gen_bus = { "bus", gen_echo, &bus };
                printf("\n");
                if (bench_table("Echo(int32[]) round trips peer-to-peer (no bus daemon)", &peer_gen, &peer_raw, &o,
                                TARGET_RATIO_PEER) < 0)
                        goto out;
                printf("\n");
                if (bench_table("Generated Echo(int32[]) calls, peer-to-peer against through the bus daemon", &gen_peer,
                                &gen_bus, &o, 0) < 0)
                        goto out;
        }
        status = 0;
out:
        org_dbidl_bench1_proxy_unref(bus.proxy);
        org_dbidl_bench1_proxy_unref(peer.proxy);
        sd_bus_flush_close_unref(bus.bus);
        sd_bus_flush_close_unref(peer.bus);
        return status;
}

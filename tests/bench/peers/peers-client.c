/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-client.c — the main() of every peers-client-X: workloads, checks, timing, the result line */

/*
 * peers-client-X --bus NAME | --peer ADDRESS  WORKLOAD  [--seconds S | --count N] [--borrowed]
 *
 * The workloads are the same for every contender; only the table of calls (peers_ops, one per program:
 * peers-sdbus.c, peers-dbidl.c, peers-gdbus.c, peers-sdbuscpp.cpp) differs.  Every reply is checked; a wrong
 * one prints what was expected and exits 1.  One line on stdout says what was measured:
 *
 *   result X WORKLOAD calls=N seconds=T rate=R unit=U ok=1 minflt=K [lost=L] [rss_before_kb=A rss_after_kb=B rss_idle_kb=C]
 *
 * minflt is the minor page faults of the timed part (getrusage); the driver (run.sh) reads these lines.
 * Exit status: 0, 1 for a failed call or a wrong result, 2 for a usage error or a variant not yet written.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "peers.h"

#define SUM_N (1024 * 1024)          /* Sum: 1 Mi int32, 4 MiB of payload per call */
#define STRUCTS_N 10000              /* Structs: 10,000 (isd) per call */
#define BURST_N 50000                /* signals: one Burst of 50,000 Ticks */
#define RSS_SIZE (4 * 1024 * 1024)   /* rss4m: 1,000 echoes of 4 MiB */
#define RSS_CALLS 1000
#define RSS_IDLE 1.5                 /* rss4m: seconds idle after the burst before RSS is read again */
#define SIGNAL_TIMEOUT 20.0          /* seconds to wait for the signals after Burst's reply */

static const peers_ops *ops;
static void *conn;

double peers_now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void peers_tick(peers_ticks *t, uint32_t seq) {
        if (seq < t->expected) {
                t->wrong++;
                return;
        }
        t->expected = seq + 1; /* a gap: the seqs between were lost */
        t->received++;
        t->last = peers_now();
}

int peers_check_echo(const char *what, const char *s, size_t len, const char *got, size_t got_len) {
        if (!got) {
                fprintf(stderr, "peers-client: %s: Echo returned no string\n", what);
                return 1;
        }
        if (got_len == SIZE_MAX)
                got_len = strlen(got);
        if (got_len != len || memcmp(got, s, len) != 0) {
                size_t i = 0;
                while (i < len && i < got_len && got[i] == s[i])
                        i++;
                fprintf(stderr, "peers-client: %s: Echo of %zu bytes returned %zu bytes, different from byte %zu\n",
                        what, len, got_len, i);
                return 1;
        }
        return 0;
}

static long minflt(void) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_minflt;
}

static long rss_kb(void) {
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        long kb = -1;
        if (!f)
                return -1;
        while (fgets(line, sizeof line, f))
                if (strncmp(line, "VmRSS:", 6) == 0) {
                        kb = strtol(line + 6, NULL, 10);
                        break;
                }
        fclose(f);
        return kb;
}

static void usage(FILE *f) {
        fprintf(f, "Usage: peers-client-%s --bus NAME | --peer ADDRESS  WORKLOAD  [--seconds S | --count N]%s\n"
                   "WORKLOAD: ping echo1k echo64k sum structs signals start rss4m\n",
                ops ? ops->name : "X", ops && strcmp(ops->name, "dbidl") == 0 ? " [--borrowed]" : "");
}

/* The timed loop: calls of `one` until `seconds` have passed or `count` calls were made. */
typedef int (*call_fn)(unsigned long i);

static int loop(call_fn one, double seconds, unsigned long count, unsigned long *ret_calls, double *ret_seconds) {
        unsigned long i = 0;
        double start = peers_now(), t = start;
        for (;;) {
                if (one(i) != 0)
                        return -1;
                i++;
                t = peers_now();
                if (count ? i >= count : t - start >= seconds)
                        break;
        }
        *ret_calls = i;
        *ret_seconds = t - start;
        return 0;
}

/* The workloads' calls: each checks its reply. */
static int ping_one(unsigned long i) {
        int32_t x = (int32_t) (i & 0xffffff), y = 0;
        if (ops->ping(conn, x, &y) < 0)
                return -1;
        if (y != x + 1) {
                fprintf(stderr, "peers-client: %s: Ping(%d) returned %d\n", ops->name, x, y);
                return -1;
        }
        return 0;
}

static char *echo_s;
static size_t echo_len;
static int echo_one(unsigned long i) {
        (void) i;
        return ops->echo(conn, echo_s, echo_len) != 0 ? -1 : 0;
}

static int32_t *sum_v;
static int64_t sum_expected;
static int sum_one(unsigned long i) {
        int64_t total = 0;
        (void) i;
        if (ops->sum(conn, sum_v, SUM_N, &total) < 0)
                return -1;
        if (total != sum_expected) {
                fprintf(stderr, "peers-client: %s: Sum returned %lld, not %lld\n", ops->name, (long long) total,
                        (long long) sum_expected);
                return -1;
        }
        return 0;
}

static peers_item *items;
static int64_t items_total;
static int structs_one(unsigned long i) {
        uint32_t n = 0;
        int64_t total = 0;
        (void) i;
        if (ops->structs(conn, items, STRUCTS_N, &n, &total) < 0)
                return -1;
        if (n != STRUCTS_N || total != items_total) {
                fprintf(stderr, "peers-client: %s: Structs returned n=%u total=%lld, not %u and %lld\n", ops->name, n,
                        (long long) total, STRUCTS_N, (long long) items_total);
                return -1;
        }
        return 0;
}

static int echo_setup(size_t len) {
        echo_s = malloc(len + 1);
        if (!echo_s)
                return -1;
        for (size_t i = 0; i < len; i++)
                echo_s[i] = (char) ('a' + (i * 7 + i / 26) % 26);
        echo_s[len] = '\0';
        echo_len = len;
        return ops->echo_prepare ? ops->echo_prepare(conn, echo_s, len) : 0;
}

static void echo_teardown(void) {
        if (ops->echo_release)
                ops->echo_release(conn);
        free(echo_s);
        echo_s = NULL;
}

int main(int argc, char **argv) {
        const char *bus_name = NULL, *address = NULL, *workload = NULL;
        double seconds = 1.0;
        unsigned long count = 0, calls = 0;
        bool borrowed = false;
        double elapsed = 0;
        const char *unit = "calls/s";
        char extra[128] = "";
        long flt0, flt1;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        ops = peers_contender(false);
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                if (strcmp(a, "--bus") == 0 && i + 1 < argc)
                        bus_name = argv[++i];
                else if (strcmp(a, "--peer") == 0 && i + 1 < argc)
                        address = argv[++i];
                else if (strcmp(a, "--seconds") == 0 && i + 1 < argc)
                        seconds = strtod(argv[++i], NULL);
                else if (strcmp(a, "--count") == 0 && i + 1 < argc)
                        count = strtoul(argv[++i], NULL, 10);
                else if (strcmp(a, "--borrowed") == 0)
                        borrowed = true;
                else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        usage(stdout);
                        return 0;
                } else if (a[0] != '-' && !workload)
                        workload = a;
                else {
                        usage(stderr);
                        return 2;
                }
        }
        if (!workload || !bus_name == !address || seconds <= 0) {
                usage(stderr);
                return 2;
        }
        if (borrowed) {
                ops = peers_contender(true);
                if (!ops) {
                        fprintf(stderr, "peers-client: --borrowed: not yet implemented\n");
                        printf("not yet implemented\n");
                        return 2;
                }
        }

        if (ops->connect(bus_name, address, &conn) < 0)
                return 1;
        /* one call before anything is timed: the connection is up, the server answers (and for start, all) */
        if (ping_one(0) < 0)
                return 1;

        flt0 = minflt();
        if (strcmp(workload, "start") == 0) {
                calls = 1;
        } else if (strcmp(workload, "ping") == 0) {
                if (loop(ping_one, seconds, count, &calls, &elapsed) < 0)
                        return 1;
        } else if (strcmp(workload, "echo1k") == 0 || strcmp(workload, "echo64k") == 0) {
                if (echo_setup(strcmp(workload, "echo1k") == 0 ? 1024 : 65536) < 0 || echo_one(0) < 0)
                        return 1;
                flt0 = minflt();
                r = loop(echo_one, seconds, count, &calls, &elapsed);
                echo_teardown();
                if (r < 0)
                        return 1;
        } else if (strcmp(workload, "sum") == 0) {
                sum_v = malloc(SUM_N * sizeof(int32_t));
                if (!sum_v)
                        return 1;
                sum_expected = 0;
                for (int32_t i = 0; i < SUM_N; i++) {
                        sum_v[i] = (i % 2001) - 1000 + i / 1024;
                        sum_expected += sum_v[i];
                }
                if ((ops->sum_prepare && ops->sum_prepare(conn, sum_v, SUM_N) < 0) || sum_one(0) < 0)
                        return 1;
                flt0 = minflt();
                if (loop(sum_one, seconds, count, &calls, &elapsed) < 0)
                        return 1;
                unit = "MiB/s";
        } else if (strcmp(workload, "structs") == 0) {
                static char names[STRUCTS_N][16];
                items = calloc(STRUCTS_N, sizeof(peers_item));
                if (!items)
                        return 1;
                items_total = 0;
                for (int32_t i = 0; i < STRUCTS_N; i++) {
                        snprintf(names[i], sizeof names[i], "item-%d", i);
                        items[i] = (peers_item) { .id = i * 3 - 7, .name = names[i], .value = i * 0.5 };
                        items_total += items[i].id;
                }
                if ((ops->structs_prepare && ops->structs_prepare(conn, items, STRUCTS_N) < 0) || structs_one(0) < 0)
                        return 1;
                flt0 = minflt();
                if (loop(structs_one, seconds, count, &calls, &elapsed) < 0)
                        return 1;
        } else if (strcmp(workload, "signals") == 0) {
                uint32_t n = count ? (uint32_t) count : BURST_N;
                peers_ticks t = { 0 };
                double start = peers_now();
                if (ops->burst(conn, n, 0, SIGNAL_TIMEOUT, &t) < 0)
                        return 1;
                if (t.wrong > 0) {
                        fprintf(stderr, "peers-client: %s: %u Tick signals came out of order or twice\n", ops->name,
                                t.wrong);
                        return 1;
                }
                calls = t.received;
                elapsed = (t.received ? t.last : peers_now()) - start;
                unit = "signals/s";
                snprintf(extra, sizeof extra, " lost=%u", n - t.received);
        } else if (strcmp(workload, "rss4m") == 0) {
                static const struct timespec rss_idle = { .tv_sec = 1, .tv_nsec = 500 * 1000 * 1000 };
                long before, after, idle;
                /* before: connected, one small call made, the 4 MiB input (and the tool's form of it) made */
                if (echo_setup(RSS_SIZE) < 0)
                        return 1;
                before = rss_kb();
                flt0 = minflt();
                r = loop(echo_one, 0, count ? count : RSS_CALLS, &calls, &elapsed);
                if (r < 0)
                        return 1;
                /* after: every reply of the 1,000 calls freed, the input still there as before */
                after = rss_kb();
                /* and after the burst, idle in the tool's loop for longer than dbidl's trim delay (1 s) */
                if (ops->idle ? ops->idle(conn, RSS_IDLE) < 0 : nanosleep(&rss_idle, NULL) < 0)
                        return 1;
                idle = rss_kb();
                echo_teardown();
                snprintf(extra, sizeof extra, " rss_before_kb=%ld rss_after_kb=%ld rss_idle_kb=%ld", before, after, idle);
        } else {
                usage(stderr);
                return 2;
        }
        flt1 = minflt();

        double rate = elapsed > 0 ? (double) calls / elapsed : 0;
        if (strcmp(unit, "MiB/s") == 0)
                rate *= SUM_N * sizeof(int32_t) / (1024.0 * 1024.0);
        printf("result %s %s calls=%lu seconds=%.4f rate=%.2f unit=%s ok=1 minflt=%ld%s\n", ops->name, workload, calls,
               elapsed, rate, unit, flt1 - flt0, extra);
        ops->disconnect(conn);
        return 0;
}

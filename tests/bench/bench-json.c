/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-json.c — JSON ↔ message throughput (dbidl/json.h) for a 1 MiB a(isd) payload, next to yajl alone */

/*
 * usage: bench-json [MIB] [ROUNDS]   (default 1 MiB, 15 rounds)
 *
 * The payload is one JSON array of [int32, string, double] triples, about
 * MIB mebibytes of text.  Each round times, on the same bytes:
 *   yajl      yajl_parse() with no callbacks: tokenizing and validating the
 *             text, the least any JSON reader does (the floor)
 *   append    dbidl_json_append_value(m, "a(isd)", …) into a fresh message
 *   render    dbidl_json_read_value() of that message back to JSON
 * and prints the median, best and worst MB/s of each (MB = 10^6 bytes of
 * JSON text: the input for yajl and append, the output for render), and the
 * ratios of the medians to yajl's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <yajl/yajl_parse.h>

#include <dbidl/json.h>

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static void report(const char *what, double *mbs, int rounds, double floor_median) {
        qsort(mbs, (size_t) rounds, sizeof(double), cmp_double);
        printf("%-8s median %8.1f MB/s  best %8.1f  worst %8.1f", what, mbs[rounds / 2], mbs[rounds - 1], mbs[0]);
        if (floor_median > 0)
                printf("  (%.2f x yajl)", mbs[rounds / 2] / floor_median);
        printf("\n");
}

int main(int argc, char **argv) {
        double mib = argc > 1 ? atof(argv[1]) : 1.0;
        int rounds = argc > 2 ? atoi(argv[2]) : 15;
        size_t target = (size_t) (mib * 1024 * 1024), len = 0, cap = target + 256, items = 0;
        double *yajl_mbs, *append_mbs, *render_mbs, out_len = 0;
        char *json;
        sd_bus *bus = NULL;
        int fds[2];

        if (rounds < 1 || target < 16)
                return 2;
        json = malloc(cap);
        yajl_mbs = calloc((size_t) rounds, sizeof(double));
        append_mbs = calloc((size_t) rounds, sizeof(double));
        render_mbs = calloc((size_t) rounds, sizeof(double));
        if (!json || !yajl_mbs || !append_mbs || !render_mbs)
                return 1;
        json[len++] = '[';
        while (len < target - 64) {
                len += (size_t) snprintf(json + len, cap - len, "%s[%d,\"item-%zu \\u00e9\",%.17g]", items ? "," : "",
                                         (int) (items * 2654435761u) ^ (int) items, items, (double) items / 7.0);
                items++;
        }
        json[len++] = ']';
        json[len] = 0;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 || sd_bus_new(&bus) < 0 ||
            sd_bus_set_fd(bus, fds[0], fds[0]) < 0 || sd_bus_start(bus) < 0)
                return 1;

        printf("payload: a(isd), %zu elements, %zu bytes of JSON; %d rounds\n", items, len, rounds);
        for (int r = 0; r < rounds; r++) {
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *m = NULL;
                yajl_handle h = yajl_alloc(NULL, NULL, NULL);
                char *out = NULL;
                double t0, t1;
                int k;

                t0 = now();
                if (yajl_parse(h, (const unsigned char *) json, len) != yajl_status_ok ||
                    yajl_complete_parse(h) != yajl_status_ok)
                        return 1;
                t1 = now();
                yajl_free(h);
                yajl_mbs[r] = (double) len / 1e6 / (t1 - t0);

                if (sd_bus_message_new_signal(bus, &m, "/bench", "org.dbidl.Bench", "Json") < 0)
                        return 1;
                t0 = now();
                k = dbidl_json_append_value(m, "a(isd)", json, len, &error);
                t1 = now();
                if (k < 0) {
                        fprintf(stderr, "append: %d %s\n", k, error.message ? error.message : "");
                        return 1;
                }
                append_mbs[r] = (double) len / 1e6 / (t1 - t0);
                if (sd_bus_message_seal(m, 1, 0) < 0 || sd_bus_message_rewind(m, 1) < 0)
                        return 1;

                t0 = now();
                k = dbidl_json_read_value(m, 0, &out);
                t1 = now();
                if (k < 0)
                        return 1;
                out_len = (double) strlen(out);
                render_mbs[r] = out_len / 1e6 / (t1 - t0);
                free(out);
                sd_bus_message_unref(m);
        }
        printf("rendered JSON: %.0f bytes\n", out_len);
        report("yajl", yajl_mbs, rounds, 0);
        report("append", append_mbs, rounds, yajl_mbs[rounds / 2]);
        report("render", render_mbs, rounds, yajl_mbs[rounds / 2]);
        free(json);
        free(yajl_mbs);
        free(append_mbs);
        free(render_mbs);
        sd_bus_flush_close_unref(bus);
        close(fds[1]);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-blob.c — bench-blob: blob against inline byte[] through the bus daemon, and a 1 GiB blob (make bench) */

/*
 * Against blob-service (tests/blob/blob.idl), on the bus make bench starts.  For each size, three ways to get
 * SIZE bytes the client has in memory to the service, one call each, measured for about --seconds:
 *
 *   inline     SizeBytes(byte[], byte[]): sd-bus copies the bytes into the message, the daemon reads and writes
 *              them (two copies through its socket buffers), the service's skeleton lends them from its message.
 *              Over 64 MiB the bytes go as two halves: the D-Bus specification caps an array at 2^26 bytes
 *              (dbus-daemon drops the connection of a sender that exceeds it) and a message at 2^27.
 *   blob+fill  a new blob per call (dbidl_blob_new_from_data: a memfd, one write() of the bytes, the seals),
 *              then Size(blob): the fd goes through the daemon, the service checks it and maps it.
 *   blob       Size(blob) of a blob made once: what sending data that already is in a memfd costs.
 *
 * The service does not read the bytes in any of them (Size and SizeBytes only answer the size; Size maps the
 * blob, which is part of receiving one): what is measured is getting the bytes there.  calls/s and MB/s
 * (10^6 bytes) side by side, and blob/inline ratios.
 *
 * Then a 1 GiB blob, which cannot travel inline (sd-bus refuses messages over 128 MiB, the system bus's
 * daemon over 32 MiB): made from a buffer (copy into a memfd), delivered with Digest (the service maps it and
 * checksums every byte, tests/blob/checksum.h), the checksum compared with the client's own; printed next to
 * a memcpy() of 1 GiB, into fresh memory and between two buffers already faulted in: the physical floor of
 * moving that much data.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blob.h"
#include "checksum.h"

#define BT_PATH "/org/dbidl/BlobTest1"
#define BT_NAME "org.dbidl.BlobTest1"
#define TIMEOUT (600 * UINT64_C(1000000))
#define MAX_SIZES 32

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

typedef enum way { INLINE, BLOB_FILL, BLOB, N_WAYS } way;
static const char *const way_names[N_WAYS] = { "inline ay", "blob+fill", "blob" };

/* One call of `w` with `size` bytes of `buf` (`made`: the blob made once); 0 or a negative errno. */
static int one_call(bt_proxy *proxy, way w, const uint8_t *buf, size_t size, dbidl_blob *made) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        uint64_t got = 0;
        dbidl_blob *b = NULL;
        int r;
        switch (w) {
        case INLINE: {
                /* one array holds at most 64 MiB (D-Bus specification, "Valid Signatures"): more in two halves */
                size_t first = size > (64u << 20) - 1 ? size / 2 : size;
                r = bt_call_size_bytes(proxy, buf, first, buf + first, size - first, &got, TIMEOUT, &error);
                break;
        }
        case BLOB_FILL:
                r = dbidl_blob_new_from_data(buf, size, &b);
                if (r >= 0)
                        r = bt_call_size(proxy, b, &got, TIMEOUT, &error);
                dbidl_blob_unref(b);
                break;
        default:
                r = bt_call_size(proxy, made, &got, TIMEOUT, &error);
                break;
        }
        if (r >= 0 && got != size)
                r = -EIO;
        if (r < 0)
                fprintf(stderr, "bench-blob: %s of %zu bytes: %s\n", way_names[w], size,
                        error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        return r;
}

static int parse_sizes(const char *s, size_t *sizes, size_t *n) {
        *n = 0;
        while (*s && *n < MAX_SIZES) {
                char *end;
                unsigned long long v = strtoull(s, &end, 10);
                if (end == s)
                        return -EINVAL;
                if (*end == 'K' || *end == 'M' || *end == 'G') {
                        v <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
                        end++;
                }
                sizes[(*n)++] = (size_t) v;
                s = *end == ',' ? end + 1 : end;
                if (*end && *end != ',')
                        return -EINVAL;
        }
        return *n > 0 ? 0 : -EINVAL;
}

static void human(char *buf, size_t n, size_t size) {
        if (size >= (1u << 20) && size % (1u << 20) == 0)
                snprintf(buf, n, "%zu MiB", size >> 20);
        else if (size >= 1024 && size % 1024 == 0)
                snprintf(buf, n, "%zu KiB", size >> 10);
        else
                snprintf(buf, n, "%zu B", size);
}

int main(int argc, char **argv) {
        size_t sizes[MAX_SIZES], n_sizes = 0;
        double seconds = 1.0;
        bool gib = true;
        sd_bus *bus = NULL;
        bt_proxy *proxy = NULL;
        int r = parse_sizes("4K,64K,256K,1M,16M,100M", sizes, &n_sizes);

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc)
                        r = parse_sizes(argv[++i], sizes, &n_sizes);
                else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
                        seconds = strtod(argv[++i], NULL);
                else if (strcmp(argv[i], "--no-gib") == 0)
                        gib = false;
                else
                        r = -EINVAL;
                if (r < 0 || seconds <= 0) {
                        fprintf(stderr, "Usage: bench-blob [--sizes 4K,1M,100M] [--seconds S] [--no-gib]\n");
                        return 2;
                }
        }
        r = dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = bt_proxy_new(bus, BT_NAME, BT_PATH, &proxy);
        if (r < 0) {
                fprintf(stderr, "bench-blob: %s\n", strerror(-r));
                return 1;
        }

        printf("blob against inline byte[] through the bus daemon, one call per transfer, ~%.1f s a case\n", seconds);
        printf("%-9s | %21s | %21s | %21s | %11s | %11s\n", "size", "inline ay: calls/s MB/s", "blob+fill: calls/s MB/s",
               "blob: calls/s MB/s", "blob+fill/in", "blob/inline");
        int status = 0;
        for (size_t k = 0; k < n_sizes && status == 0; k++) {
                size_t size = sizes[k];
                uint8_t *buf = malloc(size ? size : 1);
                dbidl_blob *made = NULL;
                double rate[N_WAYS] = { 0 };
                if (!buf || dbidl_blob_new_from_data(memset(buf, 0x5a, size), size, &made) < 0) {
                        fprintf(stderr, "bench-blob: out of memory for %zu bytes\n", size);
                        free(buf);
                        status = 1;
                        break;
                }
                for (way w = 0; w < N_WAYS && status == 0; w++) {
                        /* one call first (faults, caches), then at least 3 calls and `seconds` */
                        if (one_call(proxy, w, buf, size, made) < 0) {
                                status = 1;
                                break;
                        }
                        unsigned long calls = 0;
                        double t0 = now(), t;
                        do {
                                if (one_call(proxy, w, buf, size, made) < 0) {
                                        status = 1;
                                        break;
                                }
                                calls++;
                                t = now();
                        } while (t - t0 < seconds || calls < 3);
                        rate[w] = (double) calls / (now() - t0);
                }
                char h[32];
                human(h, sizeof h, size);
                if (status == 0)
                        printf("%-9s | %10.1f %10.1f | %10.1f %10.1f | %10.1f %10.1f | %11.2f | %11.2f\n", h, rate[INLINE],
                               rate[INLINE] * (double) size / 1e6, rate[BLOB_FILL], rate[BLOB_FILL] * (double) size / 1e6,
                               rate[BLOB], rate[BLOB] * (double) size / 1e6, rate[BLOB_FILL] / rate[INLINE],
                               rate[BLOB] / rate[INLINE]);
                dbidl_blob_unref(made);
                free(buf);
        }

        if (gib && status == 0) {
                const size_t size = (size_t) 1 << 30;
                uint8_t *a = malloc(size), *c = malloc(size);
                dbidl_blob *b = NULL;
                sd_bus_error error = SD_BUS_ERROR_NULL;
                uint64_t got = 0, sum = 0;
                if (!a || !c) {
                        fprintf(stderr, "bench-blob: no memory for 2 GiB\n");
                        status = 1;
                } else {
                        for (size_t i = 0; i < size; i++)
                                a[i] = (uint8_t) (i * 131 + (i >> 20));
                        /* into fresh memory (page faults included, as a receiver's copy would have), then again
                         * into the same, now faulted-in memory: the copy alone */
                        double t0 = now();
                        memcpy(c, a, size);
                        double t_cold = now() - t0;
                        t0 = now();
                        memcpy(c, a, size);
                        double t_memcpy = now() - t0;
                        uint64_t mine = bt_checksum(c, size);
                        t0 = now();
                        r = dbidl_blob_new_from_data(a, size, &b);
                        double t_make = now() - t0;
                        t0 = now();
                        if (r >= 0)
                                r = bt_call_digest(proxy, b, &got, &sum, TIMEOUT, &error);
                        double t_deliver = now() - t0;
                        t0 = now();
                        uint64_t alone = bt_checksum(a, size);
                        double t_sum = now() - t0;
                        if (r < 0 || got != size || sum != mine || alone != mine) {
                                fprintf(stderr, "bench-blob: 1 GiB blob: %s\n",
                                        r < 0 ? (error.message ? error.message : strerror(-r)) : "the checksum differs");
                                status = 1;
                        } else {
                                printf("1 GiB blob: made (copied into a memfd) in %.3f s; delivered and verified (the "
                                       "service mapped it and checksummed every byte: equal) in %.3f s, of which the "
                                       "checksum alone takes ~%.3f s here\n",
                                       t_make, t_deliver, t_sum);
                                printf("1 GiB memcpy(): %.3f s into fresh memory (page faults included), %.3f s between "
                                       "buffers already in memory (%.0f MB/s)\n",
                                       t_cold, t_memcpy, (double) size / 1e6 / t_memcpy);
                        }
                        sd_bus_error_free(&error);
                }
                dbidl_blob_unref(b);
                free(a);
                free(c);
        }
        bt_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return status;
}

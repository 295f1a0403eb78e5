/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/blob/blob-test-client.c — blob-test-client: blobs through blob-service in every position, checked byte for byte */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "checksum.h"

#define BT_PATH "/org/dbidl/BlobTest1"
#define BT_NAME "org.dbidl.BlobTest1"
#define TIMEOUT (120 * UINT64_C(1000000))

static int failures;

#define check(cond, ...)                                                    \
        do {                                                                \
                if (!(cond)) {                                              \
                        failures++;                                         \
                        printf("FAIL %s:%d: ", __FILE__, __LINE__);         \
                        printf(__VA_ARGS__);                                \
                        printf("\n");                                       \
                }                                                           \
        } while (0)

/* A blob of `size` bytes, byte i being (seed + i) mod 251 (as blob-service's Make). */
static dbidl_blob *pattern(uint64_t size, unsigned seed) {
        unsigned char *p = malloc(size ? (size_t) size : 1);
        dbidl_blob *b = NULL;
        if (!p)
                return NULL;
        for (uint64_t i = 0; i < size; i++)
                p[i] = (unsigned char) ((seed + i) % 251);
        int r = dbidl_blob_new_from_data(p, (size_t) size, &b);
        free(p);
        if (r < 0)
                printf("FAIL: dbidl_blob_new_from_data(%" PRIu64 "): %s\n", size, strerror(-r));
        return b;
}

/* Whether `b` holds the pattern of `size` and `seed`. */
static bool is_pattern(dbidl_blob *b, uint64_t size, unsigned seed) {
        const unsigned char *p;
        if (!b || dbidl_blob_get_size(b) != size || dbidl_blob_map(b, (const void **) &p) < 0)
                return false;
        for (uint64_t i = 0; i < size; i++)
                if (p[i] != (unsigned char) ((seed + i) % 251))
                        return false;
        return true;
}

static uint64_t blob_sum(dbidl_blob *b) {
        const void *p;
        return b && dbidl_blob_map(b, &p) >= 0 ? bt_checksum(p, dbidl_blob_get_size(b)) : 0;
}

typedef struct changed {
        bool got;
        unsigned count;
        uint64_t size, sum, sum_read;
} changed;

static void on_changed(bt_proxy *proxy, dbidl_blob *data, uint64_t sum, void *userdata) {
        changed *c = userdata;
        (void) proxy;
        c->got = true;
        c->count++;
        c->size = dbidl_blob_get_size(data);
        c->sum = sum;
        c->sum_read = blob_sum(data);
}

typedef struct async_copy {
        bool done;
        bool ok;
        uint64_t size, seed;
} async_copy;

/* An async completion: the copy is lent for the callback. */
static void on_copy_reply(bt_proxy *proxy, const sd_bus_error *error, dbidl_blob *copy, uint64_t sum, void *userdata) {
        async_copy *a = userdata;
        (void) proxy;
        (void) sum;
        a->done = true;
        a->ok = !sd_bus_error_is_set(error) && is_pattern(copy, a->size, (unsigned) a->seed);
}

/* Every position, for blobs of `size` bytes. */
static void round_trip(sd_bus *bus, bt_proxy *proxy, uint64_t size) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        unsigned seed = (unsigned) (size % 200) + 3;
        dbidl_blob *in = pattern(size, seed), *out = NULL;
        uint64_t sum = 0, n = 0;
        int r;
        if (!in) {
                failures++;
                return;
        }
        uint64_t expected_sum = blob_sum(in);

        /* argument and output: a new blob the service made */
        r = bt_call_copy(proxy, in, &out, &sum, TIMEOUT, &error);
        check(r >= 0, "Copy(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        check(r < 0 || is_pattern(out, size, seed), "Copy(%" PRIu64 "): the copy differs", size);
        check(r < 0 || sum == expected_sum, "Copy(%" PRIu64 "): the service's checksum differs", size);
        out = dbidl_blob_unref(out);
        sd_bus_error_free(&error);

        /* the same memfd back */
        r = bt_call_echo(proxy, in, &out, TIMEOUT, &error);
        check(r >= 0, "Echo(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        check(r < 0 || is_pattern(out, size, seed), "Echo(%" PRIu64 "): differs", size);
        out = dbidl_blob_unref(out);
        sd_bus_error_free(&error);

        /* lent outputs: the blob lives as long as the reply */
        dbidl_reply *reply = NULL;
        dbidl_blob *lent = NULL;
        r = bt_borrow_copy(proxy, in, &lent, &sum, TIMEOUT, &error, &reply);
        check(r >= 0, "borrow Copy(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        check(r < 0 || is_pattern(lent, size, seed), "borrow Copy(%" PRIu64 "): differs", size);
        reply = dbidl_reply_free(reply);
        sd_bus_error_free(&error);

        /* async: the output lent to the completion */
        async_copy ac = { .size = size, .seed = seed };
        r = bt_async_copy(proxy, in, TIMEOUT, on_copy_reply, &ac, NULL);
        check(r >= 0, "async Copy(%" PRIu64 "): %s", size, strerror(-r));
        for (int i = 0; r >= 0 && i < 1200 && !ac.done; i++)
                if (sd_bus_process(bus, NULL) == 0)
                        (void) sd_bus_wait(bus, 100000);
        check(ac.done && ac.ok, "async Copy(%" PRIu64 "): %s", size, ac.done ? "differs" : "no answer");

        r = bt_call_digest(proxy, in, &n, &sum, TIMEOUT, &error);
        check(r >= 0 && n == size && sum == expected_sum, "Digest(%" PRIu64 "): %d %" PRIu64, size, r, n);
        sd_bus_error_free(&error);

        /* struct fields in an array */
        blob_Page pages[2] = { { .title = (char *) "whole", .data = in }, { .title = (char *) "empty", .data = NULL } };
        blob_PageArray pin = { .items = pages, .n = 2 }, pout;
        blob_PageArray_init(&pout);
        r = bt_call_copy_pages(proxy, &pin, &pout, TIMEOUT, &error);
        check(r >= 0, "CopyPages(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        check(r < 0 || (pout.n == 2 && strcmp(pout.items[0].title, "whole") == 0 &&
                        is_pattern(pout.items[0].data, size, seed) && strcmp(pout.items[1].title, "empty") == 0 &&
                        dbidl_blob_get_size(pout.items[1].data) == 0),
              "CopyPages(%" PRIu64 "): differs", size);
        blob_PageArray_clear(&pout);
        sd_bus_error_free(&error);

        /* dictionary values */
        dbidl_blob *other = pattern(size / 2 + 1, seed + 1);
        blob_StringBlobDictEntry entries[2] = { { .key = (char *) "a", .value = in }, { .key = (char *) "b", .value = other } };
        blob_StringBlobDict din = { .items = entries, .n = 2 }, dout;
        blob_StringBlobDict_init(&dout);
        r = bt_call_copy_named(proxy, &din, &dout, TIMEOUT, &error);
        check(r >= 0, "CopyNamed(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        check(r < 0 || (dout.n == 2 && strcmp(dout.items[0].key, "a") == 0 && is_pattern(dout.items[0].value, size, seed) &&
                        strcmp(dout.items[1].key, "b") == 0 && is_pattern(dout.items[1].value, size / 2 + 1, seed + 1)),
              "CopyNamed(%" PRIu64 "): differs", size);
        blob_StringBlobDict_clear(&dout);
        dbidl_blob_unref(other);
        sd_bus_error_free(&error);

        /* a blob the service made */
        r = bt_call_make(proxy, size, (uint8_t) seed, &out, TIMEOUT, &error);
        check(r >= 0 && is_pattern(out, size, seed), "Make(%" PRIu64 "): %s", size,
              error.message ? error.message : strerror(-r < 0 ? -r : EIO));
        out = dbidl_blob_unref(out);
        sd_bus_error_free(&error);

        /* property: Set, then Get */
        r = bt_set_last(proxy, in, &error);
        check(r >= 0, "Set Last(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        r = bt_get_last(proxy, &out, &error);
        check(r >= 0 && is_pattern(out, size, seed), "Get Last(%" PRIu64 "): %s", size,
              error.message ? error.message : "differs");
        out = dbidl_blob_unref(out);
        sd_bus_error_free(&error);

        /* signal: Publish emits Changed with a copy */
        changed c = { 0 };
        sd_bus_slot *slot = NULL;
        r = bt_connect_changed(proxy, on_changed, &c, &slot);
        check(r >= 0, "connect Changed: %s", strerror(-r));
        r = bt_call_publish(proxy, in, TIMEOUT, &error);
        check(r >= 0, "Publish(%" PRIu64 "): %s", size, error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        for (int i = 0; i < 600 && !c.got; i++)
                if (sd_bus_process(bus, NULL) == 0)
                        (void) sd_bus_wait(bus, 100000);
        check(c.got && c.size == size && c.sum == expected_sum && c.sum_read == expected_sum,
              "Changed(%" PRIu64 "): got %d, size %" PRIu64, size, c.got, c.size);
        sd_bus_slot_unref(slot);

        dbidl_blob_unref(in);
        printf("%" PRIu64 ": %s\n", size, failures ? "FAILED" : "ok");
}

/* The number of fds this process has open. */
static int count_fds(void) {
        DIR *d = opendir("/proc/self/fd");
        int n = 0;
        if (!d)
                return -1;
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

static const char *errname(int r) {
        return r == -EBUSY ? "-EBUSY" : r == -EBADFD ? "-EBADFD" : r >= 0 ? "ok" : strerror(-r);
}

/* dbidl_blob_new_from_memfd(): a memfd the program filled, sealed when sent; what it refuses. */
static void own_memfd(bt_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_blob *b = NULL, *out = NULL;
        uint64_t sum = 0;

        /* filled through a shared writable mapping, unmapped before sending */
        int fd = memfd_create("own", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int r = fd < 0 || ftruncate(fd, 100000) < 0 ? -errno : 0;
        unsigned char *p = r < 0 ? MAP_FAILED : mmap(NULL, 100000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) {
                for (unsigned i = 0; i < 100000; i++)
                        p[i] = (unsigned char) ((5 + i) % 251);
                munmap(p, 100000);
        }
        r = dbidl_blob_new_from_memfd(fd, &b);
        printf("new_from_memfd: %s\n", errname(r));
        r = bt_call_copy(proxy, b, &out, &sum, TIMEOUT, &error);
        printf("sent unsealed, sealed on the way: %s, copy %s, now %s\n", errname(r),
               is_pattern(out, 100000, 5) ? "equal" : "differs",
               (fcntl(fd, F_GET_SEALS) & (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)) ==
                               (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)
                       ? "sealed"
                       : "unsealed");
        sd_bus_error_free(&error);
        out = dbidl_blob_unref(out);
        b = dbidl_blob_unref(b); /* closes fd */

        /* a writable mapping still there: sealing fails, nothing is sent */
        fd = memfd_create("mapped", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        p = fd < 0 || ftruncate(fd, 4096) < 0 ? MAP_FAILED
                                               : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        r = dbidl_blob_new_from_memfd(fd, &b);
        if (r >= 0)
                r = bt_call_copy(proxy, b, &out, &sum, TIMEOUT, &error);
        printf("sent with a writable mapping: %s\n", errname(r));
        sd_bus_error_free(&error);
        if (p != MAP_FAILED)
                munmap(p, 4096);
        b = dbidl_blob_unref(b);

        /* not a memfd that accepts seals: refused, the caller keeps the fd */
        int pipes[2];
        r = pipe2(pipes, O_CLOEXEC) < 0 ? -errno : dbidl_blob_new_from_memfd(pipes[0], &b);
        printf("new_from_memfd of a pipe: %s\n", errname(r));
        close(pipes[0]);
        close(pipes[1]);
        fd = memfd_create("no-sealing", MFD_CLOEXEC);
        r = dbidl_blob_new_from_memfd(fd, &b);
        printf("new_from_memfd without MFD_ALLOW_SEALING: %s\n", errname(r));
        close(fd);
        r = dbidl_blob_new_from_file("/", &b);
        printf("new_from_file of a directory: %s\n", r == -EISDIR ? "-EISDIR" : errname(r));
}

/* Against tests/blob/hostile-service.py: answers and a signal holding fds that are no sealed memfd. */
static void hostile_peer(sd_bus *bus, bt_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_blob *in = pattern(16, 1), *out = NULL;
        int before = count_fds();
        int r = bt_call_make(proxy, 4096, 1, &out, TIMEOUT, &error);
        printf("Make answered with an unsealed memfd: %s, %s\n", r == -EBADFD ? "-EBADFD" : strerror(-r),
               out ? "a blob" : "no blob");
        sd_bus_error_free(&error);
        out = dbidl_blob_unref(out);
        r = bt_call_echo(proxy, in, &out, TIMEOUT, &error);
        printf("Echo answered with a pipe: %s, %s\n", r == -EBADFD ? "-EBADFD" : strerror(-r), out ? "a blob" : "no blob");
        sd_bus_error_free(&error);
        out = dbidl_blob_unref(out);
        changed c = { 0 };
        sd_bus_slot *slot = NULL;
        r = bt_connect_changed(proxy, on_changed, &c, &slot);
        if (r >= 0)
                r = bt_call_publish(proxy, in, TIMEOUT, &error);
        sd_bus_error_free(&error);
        /* the unsealed Changed comes first, the sealed one second: only the second may reach the slot */
        for (int i = 0; i < 100 && c.count < 1; i++)
                if (sd_bus_process(bus, NULL) == 0)
                        (void) sd_bus_wait(bus, 100000);
        for (int i = 0; i < 5; i++)
                if (sd_bus_process(bus, NULL) == 0)
                        (void) sd_bus_wait(bus, 100000);
        printf("Changed: %u delivered, the last of %" PRIu64 " bytes\n", c.count, c.size);
        sd_bus_slot_unref(slot);
        printf("fds open: %s\n", count_fds() == before ? "as before" : "changed");
        dbidl_blob_unref(in);
}

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        bt_proxy *proxy = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc < 2) {
                fprintf(stderr, "Usage: blob-test-client round-trip SIZE… | calls N | limit | own-memfd | hostile-peer\n"
                                "BLOB_TEST_NAME: the service's name (default " BT_NAME ")\n");
                return 2;
        }
        int r = dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = bt_proxy_new(bus, getenv("BLOB_TEST_NAME") ? getenv("BLOB_TEST_NAME") : BT_NAME, BT_PATH, &proxy);
        if (r < 0) {
                fprintf(stderr, "blob-client: %s\n", strerror(-r));
                return 1;
        }
        if (strcmp(argv[1], "round-trip") == 0) {
                for (int i = 2; i < argc; i++)
                        round_trip(bus, proxy, strtoull(argv[i], NULL, 10));
        } else if (strcmp(argv[1], "calls") == 0 && argc > 2) {
                /* N calls with a 4 KiB blob each way; blob.sh counts the service's fds around them */
                unsigned long n = strtoul(argv[2], NULL, 10);
                dbidl_blob *in = pattern(4096, 9);
                for (unsigned long i = 0; i < n && in; i++) {
                        dbidl_blob *out = NULL;
                        r = bt_call_copy(proxy, in, &out, NULL, TIMEOUT, &error) < 0 ? -1 : 0;
                        if (r < 0 || dbidl_blob_get_size(out) != 4096) {
                                check(false, "call %lu: %s", i, error.message ? error.message : "wrong size");
                                dbidl_blob_unref(out);
                                break;
                        }
                        dbidl_blob_unref(out);
                        sd_bus_error_free(&error);
                }
                dbidl_blob_unref(in);
                printf("calls: %s\n", failures ? "FAILED" : "ok");
        } else if (strcmp(argv[1], "own-memfd") == 0) {
                own_memfd(proxy);
        } else if (strcmp(argv[1], "hostile-peer") == 0) {
                hostile_peer(bus, proxy);
        } else if (strcmp(argv[1], "limit") == 0) {
                /* a client refuses a blob over its own limit: -EFBIG, nothing mapped */
                dbidl_blob *out = NULL;
                (void) dbidl_limit_set(DBIDL_LIMIT_BLOB_SIZE, 1000);
                r = bt_call_make(proxy, 1001, 1, &out, TIMEOUT, &error);
                printf("Make(1001) with a limit of 1000: %s, %s\n", r == -EFBIG ? "-EFBIG" : strerror(-r),
                       out ? "a blob" : "no blob");
                sd_bus_error_free(&error);
                r = bt_call_make(proxy, 1000, 1, &out, TIMEOUT, &error);
                printf("Make(1000) with a limit of 1000: %s\n", r >= 0 && is_pattern(out, 1000, 1) ? "ok" : "FAILED");
                dbidl_blob_unref(out);
                sd_bus_error_free(&error);
        } else {
                fprintf(stderr, "blob-client: unknown mode %s\n", argv[1]);
                failures++;
        }
        bt_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return failures ? 1 : 0;
}

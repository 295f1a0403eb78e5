/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/peer/peer-test-client.c — a peer-to-peer client for tests/peer/peer.sh: one mode per run, answers checked */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "peer.h"

#define PEER_PATH "/org/example/PeerTest1"
#define SESSION_PATH "/org/example/Session"

static int open_peer(const char *address, sd_bus **ret_bus, peer_proxy **ret_proxy) {
        int r = dbidl_bus_open_peer(address, 0, ret_bus);
        if (r < 0) {
                printf("connect failed: %s\n", strerror(-r));
                return r;
        }
        r = peer_proxy_new(*ret_bus, NULL, PEER_PATH, ret_proxy);
        if (r < 0) {
                printf("proxy: %s\n", strerror(-r));
                sd_bus_flush_close_unref(*ret_bus);
        }
        return r;
}

/* N calls of Add with arguments that differ per call and per process; every reply checked. */
static int do_calls(peer_proxy *proxy, long n) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t base = (int32_t) getpid();
        for (long i = 0; i < n; i++) {
                int32_t sum = 0;
                int r = peer_call_add(proxy, base, (int32_t) i, &sum, 0, &error);
                if (r < 0 || sum != base + (int32_t) i) {
                        printf("call %ld: %s (sum %" PRIi32 ")\n", i, dbidl_error_message(r, &error), sum);
                        sd_bus_error_free(&error);
                        return 1;
                }
        }
        printf("ok %ld calls\n", n);
        return 0;
}

/* Pass a memfd of 12345 bytes: its size as the server sees it, and a duplicate back that reads the same. */
static int do_fd(peer_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int fd = memfd_create("peer-test", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, 12345) < 0 || pwrite(fd, "dbidl", 5, 0) != 5) {
                printf("memfd: %s\n", strerror(errno));
                return 1;
        }
        uint64_t size = 0;
        int r = peer_call_fd_size(proxy, fd, &size, 5000000, &error);
        if (r < 0) {
                printf("FdSize failed: %s\n", dbidl_error_message(r, &error));
                sd_bus_error_free(&error);
                close(fd);
                return 1;
        }
        printf("FdSize = %" PRIu64 "\n", size);
        int copy = -1;
        r = peer_call_dup_fd(proxy, fd, &copy, 5000000, &error);
        close(fd);
        if (r < 0) {
                printf("DupFd failed: %s\n", dbidl_error_message(r, &error));
                sd_bus_error_free(&error);
                return 1;
        }
        char buf[6] = "";
        ssize_t n = pread(copy, buf, 5, 0);
        close(copy);
        printf("DupFd reads '%s'\n", n == 5 ? buf : "(nothing)");
        return size == 12345 && n == 5 && strcmp(buf, "dbidl") == 0 ? 0 : 1;
}

typedef struct ticks {
        const char *want;
        bool got;
        bool vanished;
} ticks;

static void on_tick(peer_proxy *proxy, const char *text, void *userdata) {
        ticks *t = userdata;
        (void) proxy;
        if (strcmp(text, t->want) == 0)
                t->got = true;
}

static void on_vanished(dbidl_proxy *p, void *userdata) {
        ticks *t = userdata;
        (void) p;
        t->vanished = true;
}

/* Process until *flag or `seconds` pass. */
static int wait_for(sd_bus *bus, const bool *flag, int seconds) {
        for (int i = 0; i < seconds * 100 && !*flag; i++) {
                int r = sd_bus_process(bus, NULL);
                if (r < 0 && !*flag)
                        return r;
                if (r > 0)
                        continue;
                if (sd_bus_wait(bus, 10000) < 0 && !*flag)
                        return -ECONNRESET;
        }
        return *flag ? 0 : -ETIMEDOUT;
}

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        peer_proxy *proxy = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r, status = 0;

        if (argc < 3) {
                fprintf(stderr, "Usage: peer-client ADDRESS calls N | fd | whoami | session | stats | sleep MS | "
                                "wait-tick TEXT | broadcast TEXT | watch | cycle N\n");
                return 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        const char *address = argv[1], *mode = argv[2], *arg = argc > 3 ? argv[3] : "1";

        if (strcmp(mode, "cycle") == 0) {
                /* connect, one call, disconnect: N times */
                long n = atol(arg);
                for (long i = 0; i < n; i++) {
                        if (open_peer(address, &bus, &proxy) < 0)
                                return 1;
                        int32_t sum = 0;
                        r = peer_call_add(proxy, 1, 2, &sum, 0, &error);
                        peer_proxy_unref(proxy);
                        sd_bus_flush_close_unref(bus);
                        if (r < 0 || sum != 3) {
                                printf("cycle %ld: %s\n", i, dbidl_error_message(r, &error));
                                return 1;
                        }
                }
                printf("ok %ld connections\n", n);
                return 0;
        }

        if (open_peer(address, &bus, &proxy) < 0)
                return 1;
        if (strcmp(mode, "calls") == 0)
                status = do_calls(proxy, atol(arg));
        else if (strcmp(mode, "fd") == 0)
                status = do_fd(proxy);
        else if (strcmp(mode, "whoami") == 0) {
                uint32_t uid = 0, pid = 0;
                r = peer_call_whoami(proxy, &uid, &pid, 0, &error);
                if (r < 0)
                        printf("Whoami failed: %s\n", dbidl_error_message(r, &error));
                else
                        printf("uid=%" PRIu32 " pid-matches=%s\n", uid, pid == (uint32_t) getpid() ? "yes" : "no");
                status = r < 0;
        } else if (strcmp(mode, "session") == 0) {
                session_proxy *sp = NULL;
                uint32_t id = 0;
                r = session_proxy_new(bus, NULL, SESSION_PATH, &sp);
                if (r >= 0)
                        r = session_call_id(sp, &id, 0, &error);
                printf("session %" PRIu32 "%s%s\n", id, r < 0 ? " error " : "", r < 0 ? dbidl_error_message(r, &error) : "");
                session_proxy_unref(sp);
                status = r < 0;
        } else if (strcmp(mode, "stats") == 0) {
                uint32_t peers = 0;
                uint64_t refused = 0;
                r = peer_call_stats(proxy, &peers, &refused, 0, &error);
                printf("peers=%" PRIu32 " refused=%" PRIu64 "\n", peers, refused);
                status = r < 0;
        } else if (strcmp(mode, "sleep") == 0) {
                r = peer_call_sleep(proxy, (uint32_t) atol(arg), 0, &error);
                printf("slept: %s\n", r < 0 ? dbidl_error_message(r, &error) : "ok");
                status = r < 0;
        } else if (strcmp(mode, "broadcast") == 0) {
                r = peer_call_broadcast(proxy, arg, 0, &error);
                printf("broadcast: %s\n", r < 0 ? dbidl_error_message(r, &error) : "ok");
                status = r < 0;
        } else if (strcmp(mode, "wait-tick") == 0) {
                ticks t = { .want = arg };
                sd_bus_slot *slot = NULL;
                r = peer_connect_tick(proxy, on_tick, &t, &slot);
                /* a round trip, so that the server has seen this peer before "ready" */
                int32_t sum;
                if (r >= 0)
                        r = peer_call_add(proxy, 0, 0, &sum, 0, &error);
                printf("ready\n");
                if (r >= 0)
                        r = wait_for(bus, &t.got, 20);
                printf("%s '%s'\n", r < 0 ? "no tick" : "tick", arg);
                sd_bus_slot_unref(slot);
                status = r < 0;
        } else if (strcmp(mode, "watch") == 0) {
                ticks t = { .want = "" };
                sd_bus_slot *slot = NULL;
                r = dbidl_proxy_watch(peer_proxy_base(proxy), NULL, on_vanished, &t, &slot);
                int32_t sum;
                if (r >= 0)
                        r = peer_call_add(proxy, 0, 0, &sum, 0, &error);
                printf("ready\n");
                if (r >= 0)
                        r = wait_for(bus, &t.vanished, 20);
                printf("%s\n", t.vanished ? "peer vanished" : "peer still there");
                sd_bus_slot_unref(slot);
                status = !t.vanished;
        } else {
                fprintf(stderr, "peer-client: unknown mode '%s'\n", mode);
                status = 2;
        }
        sd_bus_error_free(&error);
        peer_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return status;
}

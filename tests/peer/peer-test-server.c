/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/peer/peer-test-server.c — a dbidl_server for tests/peer/peer.sh: serves peer.idl on every connection, logs peers */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peer.h"

#define PEER_PATH "/org/example/PeerTest1"
#define SESSION_PATH "/org/example/Session"
#define LEVEL_PATH "/org/example/PeerLevel1"

typedef struct state {
        dbidl_server *server;
        uint32_t next_session;
        long allow_uid;         /* -1: the default policy */
        uint32_t level;         /* PeerLevel1's Level, stored on every connection */
} state;

typedef struct sleeper {
        dbidl_pending *pending;
        sd_event_source *timer;
} sleeper;

static int on_add(sd_bus_message *call, void *userdata, int32_t a, int32_t b, int32_t *ret_sum,
                  sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_sum = (int32_t) ((uint32_t) a + (uint32_t) b);
        return 0;
}

static int on_fd_size(sd_bus_message *call, void *userdata, int data, uint64_t *ret_size, sd_bus_error *ret_error) {
        struct stat st;
        (void) call;
        (void) userdata;
        (void) ret_error;
        if (fstat(data, &st) < 0)
                return -errno;
        *ret_size = (uint64_t) st.st_size;
        return 0;
}

static int on_dup_fd(sd_bus_message *call, void *userdata, int data, int *ret_copy, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        int fd = fcntl(data, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        *ret_copy = fd;
        return 0;
}

static int emit_one(sd_bus *peer, void *userdata) {
        return peer_emit_tick(peer, PEER_PATH, userdata);
}

static int on_broadcast(sd_bus_message *call, void *userdata, const char *text, sd_bus_error *ret_error) {
        state *s = userdata;
        (void) call;
        (void) ret_error;
        int r = dbidl_server_foreach_peer(s->server, emit_one, (void *) text);
        printf("broadcast '%s' to %d peers\n", text, r);
        return r < 0 ? r : 0;
}

static int on_whoami(sd_bus_message *call, void *userdata, uint32_t *ret_uid, uint32_t *ret_pid,
                     sd_bus_error *ret_error) {
        uid_t uid;
        pid_t pid;
        (void) userdata;
        (void) ret_error;
        int r = dbidl_call_get_uid(call, &uid);
        if (r < 0)
                return r;
        r = dbidl_call_get_pid(call, &pid);
        if (r < 0)
                return r;
        *ret_uid = (uint32_t) uid;
        *ret_pid = (uint32_t) pid;
        return 0;
}

static void sleeper_free(sleeper *z) {
        sd_event_source_disable_unref(z->timer);
        free(z);
}

static int on_sleep_done(sd_event_source *source, uint64_t usec, void *userdata) {
        sleeper *z = userdata;
        (void) source;
        (void) usec;
        (void) peer_reply_sleep(z->pending);
        sleeper_free(z);
        return 0;
}

static void on_sleep_cancelled(dbidl_pending *pending, void *userdata) {
        (void) pending;
        printf("sleep cancelled: the caller went away\n");
        sleeper_free(userdata);
}

static int on_sleep(sd_bus_message *call, void *userdata, uint32_t msec, sd_bus_error *ret_error) {
        state *s = userdata;
        (void) ret_error;
        sleeper *z = calloc(1, sizeof(*z));
        if (!z)
                return -ENOMEM;
        int r = sd_event_add_time_relative(dbidl_server_get_event(s->server), &z->timer, CLOCK_MONOTONIC,
                                           (uint64_t) msec * 1000, 1000, on_sleep_done, z);
        if (r < 0) {
                free(z);
                return r;
        }
        r = dbidl_defer(call, on_sleep_cancelled, z, &z->pending);
        if (r < 0)
                sleeper_free(z);
        else
                printf("sleeping %" PRIu32 " ms\n", msec);
        return r;
}

static int on_stats(sd_bus_message *call, void *userdata, uint32_t *ret_peers, uint64_t *ret_refused,
                    sd_bus_error *ret_error) {
        state *s = userdata;
        (void) call;
        (void) ret_error;
        *ret_peers = dbidl_server_get_n_peers(s->server);
        *ret_refused = dbidl_server_get_n_refused(s->server);
        return 0;
}

static const peer_handlers handlers = {
        .handle_add = on_add,
        .handle_fd_size = on_fd_size,
        .handle_dup_fd = on_dup_fd,
        .handle_broadcast = on_broadcast,
        .handle_whoami = on_whoami,
        .handle_sleep = on_sleep,
        .handle_stats = on_stats,
};

/* ---- the per-connection session object ---- */

static int on_session_id(sd_bus_message *call, void *userdata, uint32_t *ret_id, sd_bus_error *ret_error) {
        (void) call;
        (void) ret_error;
        *ret_id = (uint32_t) (uintptr_t) userdata;
        return 0;
}

static const session_handlers session = { .handle_id = on_session_id };

/* ---- @stored PeerLevel1: one value, stored on every connection's skeleton ---- */

static int store_level(sd_bus *peer, void *userdata) {
        const state *s = userdata;
        int r = level_store_level(peer, LEVEL_PATH, s->level);
        return r < 0 ? r : 0;
}

static int on_set_level(sd_bus_message *call, void *userdata, uint32_t level, uint32_t *ret_peers,
                        sd_bus_error *ret_error) {
        state *s = userdata;
        (void) call;
        (void) ret_error;
        s->level = level;
        int r = dbidl_server_foreach_peer(s->server, store_level, s);
        if (r < 0)
                return r;
        *ret_peers = (uint32_t) r;
        return 0;
}

static const level_handlers level = { .handle_set_level = on_set_level };

/* ---- the server ---- */

static int export_all(sd_bus *peer, void *userdata) {
        int r = peer_export(peer, PEER_PATH, &handlers, userdata, NULL);
        if (r >= 0)
                r = level_export(peer, LEVEL_PATH, &level, userdata, NULL);
        if (r >= 0) /* a new connection starts from the zero value: give it the current one */
                r = store_level(peer, userdata);
        return r;
}

static int on_connected(dbidl_server *server, sd_bus *peer, const dbidl_peer_creds *creds, void *userdata) {
        state *s = userdata;
        (void) server;
        uint32_t id = ++s->next_session;
        if (creds->has_creds)
                printf("connected %" PRIu32 " uid=%u gid=%u pid=%d\n", id, (unsigned) creds->uid,
                       (unsigned) creds->gid, (int) creds->pid);
        else
                printf("connected %" PRIu32 " (no credentials)\n", id);
        return session_export(peer, SESSION_PATH, &session, (void *) (uintptr_t) id, NULL);
}

static void on_disconnected(dbidl_server *server, sd_bus *peer, void *userdata) {
        (void) server;
        (void) peer;
        (void) userdata;
        printf("disconnected\n");
}

static int allow_uid(dbidl_server *server, const dbidl_peer_creds *creds, void *userdata) {
        state *s = userdata;
        (void) server;
        bool ok = creds->has_creds && (creds->uid == geteuid() || (long) creds->uid == s->allow_uid);
        if (!ok)
                printf("refused uid=%ld\n", creds->has_creds ? (long) creds->uid : -1L);
        return ok;
}

static int usage(void) {
        fprintf(stderr, "Usage: peer-server ADDRESS [--max N] [--auth-timeout-ms MS] [--allow-anonymous] "
                        "[--allow-uid UID] [--mode OCTAL] [--quiet]\n");
        return 2;
}

int main(int argc, char **argv) {
        state s = { .allow_uid = -1 };
        sd_bus_error error = SD_BUS_ERROR_NULL;
        bool quiet = false;
        int r;

        if (argc < 2)
                return usage();
        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_server_new(&s.server);
        if (r < 0) {
                fprintf(stderr, "peer-server: %s\n", strerror(-r));
                return 1;
        }
        for (int i = 2; i < argc; i++) {
                if (strcmp(argv[i], "--max") == 0 && i + 1 < argc)
                        r = dbidl_server_set_max_connections(s.server, (unsigned) atoi(argv[++i]));
                else if (strcmp(argv[i], "--auth-timeout-ms") == 0 && i + 1 < argc)
                        r = dbidl_server_set_auth_timeout(s.server, (uint64_t) atoi(argv[++i]) * 1000);
                else if (strcmp(argv[i], "--allow-anonymous") == 0)
                        r = dbidl_server_set_allow_anonymous(s.server, true);
                else if (strcmp(argv[i], "--allow-uid") == 0 && i + 1 < argc) {
                        s.allow_uid = atol(argv[++i]);
                        r = dbidl_server_set_allow(s.server, allow_uid, &s);
                } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc)
                        r = dbidl_server_set_socket_mode(s.server, (mode_t) strtoul(argv[++i], NULL, 8));
                else if (strcmp(argv[i], "--quiet") == 0)
                        quiet = true;
                else
                        return usage();
                if (r < 0) {
                        fprintf(stderr, "peer-server: %s: %s\n", argv[i], strerror(-r));
                        return 1;
                }
        }
        if (!quiet)
                r = dbidl_server_set_callbacks(s.server, on_connected, on_disconnected, &s);
        if (r >= 0)
                r = dbidl_server_add_export(s.server, export_all, &s);
        if (r < 0) {
                fprintf(stderr, "peer-server: %s\n", strerror(-r));
                return 1;
        }
        r = dbidl_server_listen(s.server, argv[1], &error);
        if (r < 0) {
                fprintf(stderr, "peer-server: cannot listen on %s: %s\n", argv[1],
                        error.message ? error.message : strerror(-r));
                sd_bus_error_free(&error);
                dbidl_server_unref(s.server);
                return 1;
        }
        printf("address: %s\n", dbidl_server_get_client_address(s.server));
        r = dbidl_server_run(s.server, NULL);
        if (r < 0)
                fprintf(stderr, "peer-server: %s\n", strerror(-r));
        dbidl_server_unref(s.server);
        printf("peer-server: closed\n");
        return r < 0 ? 1 : 0;
}

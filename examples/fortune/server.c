/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/fortune/server.c — fortune-server: Qt's Local Fortune Server as a dbidl peer-to-peer server */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "fortune.h"

#define FORTUNE_PATH "/org/example/Fortune1"

/* Qt's seven (examples/corelib/ipc/localfortuneserver/server.cpp) */
static const char *const fortunes[] = {
        "You've been leading a dog's life. Stay off the furniture.",
        "You've got to think about tomorrow.",
        "You will be surprised by a loud noise.",
        "You will feel hungry again in another hour.",
        "You might have mail.",
        "You cannot kill time without injuring eternity.",
        "Computers are not intelligent. They only think they are.",
};
#define N_FORTUNES (sizeof(fortunes) / sizeof(fortunes[0]))

typedef struct server {
        dbidl_server *server;
        sd_event_source *announce;
        uint64_t interval_usec;
} server;

static const char *random_fortune(void) {
        unsigned v = 0;
        if (getrandom(&v, sizeof v, 0) != sizeof v)
                v = (unsigned) rand();
        return fortunes[v % N_FORTUNES];
}

static int on_get_fortune(sd_bus_message *call, void *userdata, char **ret_fortune, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_fortune;
        (void) ret_error;
        /* answered straight from the static table: no copy for the skeleton to free */
        return fortune_return_get_fortune(call, random_fortune());
}

static const fortune_handlers handlers = { .handle_get_fortune = on_get_fortune };

static int export_fortune(sd_bus *peer, void *userdata) {
        return fortune_export(peer, FORTUNE_PATH, &handlers, userdata, NULL);
}

static int announce_one(sd_bus *peer, void *userdata) {
        return fortune_emit_new_fortune(peer, FORTUNE_PATH, userdata);
}

/* Every interval: one new fortune, to every connected client. */
static int on_announce(sd_event_source *source, uint64_t usec, void *userdata) {
        server *s = userdata;
        const char *text = random_fortune();
        int n = dbidl_server_foreach_peer(s->server, announce_one, (void *) text);
        if (n > 0)
                printf("announced to %d client%s: %s\n", n, n == 1 ? "" : "s", text);
        (void) sd_event_source_set_time(source, usec + s->interval_usec);
        return 0;
}

static int on_connected(dbidl_server *srv, sd_bus *peer, const dbidl_peer_creds *creds, void *userdata) {
        (void) srv;
        (void) peer;
        (void) userdata;
        if (creds->has_creds)
                printf("client connected: pid %d, uid %u\n", (int) creds->pid, (unsigned) creds->uid);
        else
                printf("client connected (tcp)\n");
        return 0;
}

static void on_disconnected(dbidl_server *srv, sd_bus *peer, void *userdata) {
        (void) srv;
        (void) peer;
        (void) userdata;
        printf("client disconnected\n");
}

/* A value for a D-Bus address: bytes outside [-0-9A-Za-z_/.\*] as %XX (D-Bus specification, "Server Addresses"). */
static char *escape(const char *value) {
        char *out = malloc(3 * strlen(value) + 1), *o = out;
        if (!out)
                return NULL;
        for (const unsigned char *p = (const unsigned char *) value; *p; p++)
                if (strchr("-_/.\\*", *p) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= 'A' && *p <= 'Z'))
                        *o++ = (char) *p;
                else
                        o += sprintf(o, "%%%02x", *p);
        *o = '\0';
        return out;
}

int main(int argc, char **argv) {
        server s = { .interval_usec = 10 * 1000000ull };
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char *address = NULL, *private_dir = NULL;
        int r;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                        printf("Usage: fortune-server [--interval SECONDS] [ADDRESS]\n"
                               "Hand out fortunes to every client that connects, peer-to-peer, and announce a new\n"
                               "one to all of them every SECONDS (default 10).  ADDRESS: a D-Bus server address;\n"
                               "default unix:path=$XDG_RUNTIME_DIR/dbidl-fortune, or a socket in a private\n"
                               "directory under /tmp; tcp:host=127.0.0.1,port=0 for loopback tcp.\n");
                        return 0;
                }
                if (strcmp(argv[i], "--interval") == 0 && i + 1 < argc)
                        s.interval_usec = strtoull(argv[++i], NULL, 10) * 1000000ull;
                else if (!address && argv[i][0] != '-')
                        address = strdup(argv[i]);
                else {
                        fprintf(stderr, "fortune-server: unknown argument '%s' (try --help)\n", argv[i]);
                        return 2;
                }
        }
        setvbuf(stdout, NULL, _IOLBF, 0);

        if (!address) {
                const char *runtime_dir = getenv("XDG_RUNTIME_DIR");
                char *dir = NULL;
                if (runtime_dir && runtime_dir[0] == '/')
                        dir = strdup(runtime_dir);
                else {
                        /* no runtime directory: a private one (mode 0700) under /tmp, removed at exit */
                        char template[] = "/tmp/fortune-XXXXXX";
                        if (mkdtemp(template))
                                dir = private_dir = strdup(template);
                }
                char *escaped = dir ? escape(dir) : NULL;
                if (!escaped || asprintf(&address, "unix:path=%s/%s", escaped, "dbidl-fortune") < 0) {
                        fprintf(stderr, "fortune-server: no directory for the socket: %s\n", strerror(errno));
                        return 1;
                }
                free(escaped);
                if (dir != private_dir)
                        free(dir);
        }

        r = dbidl_server_new(&s.server);
        if (r >= 0)
                r = dbidl_server_add_export(s.server, export_fortune, &s);
        if (r >= 0)
                r = dbidl_server_set_callbacks(s.server, on_connected, on_disconnected, &s);
        if (r >= 0)
                r = dbidl_server_listen(s.server, address, &error);
        if (r < 0) {
                fprintf(stderr, "fortune-server: cannot listen on %s: %s\n", address,
                        error.message ? error.message : strerror(-r));
                goto out;
        }
        r = dbidl_server_attach_event(s.server, NULL, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = sd_event_add_time_relative(dbidl_server_get_event(s.server), &s.announce, CLOCK_MONOTONIC,
                                               s.interval_usec, 0, on_announce, &s);
        if (r >= 0)
                r = sd_event_source_set_enabled(s.announce, SD_EVENT_ON);
        if (r < 0) {
                fprintf(stderr, "fortune-server: %s\n", strerror(-r));
                goto out;
        }
        printf("address: %s\n", dbidl_server_get_client_address(s.server));
        printf("The server is running.  Run: fortune-client '%s'\n", dbidl_server_get_client_address(s.server));
        r = dbidl_server_run(s.server, NULL);
        if (r < 0)
                fprintf(stderr, "fortune-server: %s\n", strerror(-r));
out:
        sd_bus_error_free(&error);
        sd_event_source_disable_unref(s.announce);
        dbidl_server_unref(s.server); /* closes every connection and removes the socket file */
        if (private_dir)
                (void) rmdir(private_dir);
        free(private_dir);
        free(address);
        return r < 0 ? 1 : 0;
}

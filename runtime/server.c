/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/server.c — dbidl_server: a peer-to-peer D-Bus server on a unix or tcp socket, one sd_bus per peer */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <systemd/sd-id128.h>

#include <dbidl/bus.h>
#include <dbidl/object.h>
#include <dbidl/server.h>

#include "runtime/invoke.h"
#include "runtime/server-address.h"
#include "runtime/util.h"

#define SERVER_MAX_CONNECTIONS_DEFAULT 256u
#define SERVER_AUTH_TIMEOUT_DEFAULT (UINT64_C(10) * 1000000u)
/* connections taken from the backlog per wake-up, so that a flood cannot starve the peers already served */
#define SERVER_ACCEPT_BURST 64

typedef struct server_peer server_peer;

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

struct server_peer {
        dbidl_server *server;
        sd_bus *bus;
        sd_bus_slot *disconnected;      /* match on org.freedesktop.DBus.Local.Disconnected */
        sd_event_source *auth_timer;    /* until the handshake is over */
        sd_event_source *auth_watch;    /* post source: notices the end of the handshake */
        sd_event_source *drain;         /* defer source: what the handshake read ahead */
        bool dead;                      /* to be reaped */
        bool announced;                 /* the connected callback ran: the disconnected one will */
        uint64_t number;                /* counts connections: the made-up unique name ":1.N" */
        server_peer *prev, *next;
};

typedef struct server_export {
        dbidl_server_export_fn export;
        void *userdata;
} server_export;

struct dbidl_server {
        unsigned n_ref;
        int fd;                         /* listening socket, -1 before listen() */
        bool is_unix;
        char *client_address;
        char *socket_path;              /* a file this server created, unlinked at close */
        sd_id128_t guid;
        char guid_text[SD_ID128_STRING_MAX];

        sd_event *event;
        sd_event_source *accept_source;
        sd_event_source *accept_pause;  /* timer: accepting paused after EMFILE and friends */
        sd_event_source *reap_source;
        int64_t priority;

        mode_t socket_mode;
        unsigned max_connections;
        uint64_t auth_timeout_usec;
        bool allow_anonymous;
        bool answer_hello;
        uint64_t n_connections;

        dbidl_server_allow_fn allow;
        void *allow_userdata;
        dbidl_server_connected_fn connected;
        dbidl_server_disconnected_fn disconnected;
        void *callback_userdata;

        server_export *exports;
        size_t n_exports;

        server_peer *peers;
        unsigned n_peers;
        uint64_t n_refused;
};

_public_ int dbidl_server_new(dbidl_server **ret) {
        return_if_fail(ret, -EINVAL);
        dbidl_server *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->n_ref = 1;
        s->fd = -1;
        s->socket_mode = 0600;
        s->max_connections = SERVER_MAX_CONNECTIONS_DEFAULT;
        s->auth_timeout_usec = SERVER_AUTH_TIMEOUT_DEFAULT;
        s->answer_hello = true;
        int r = sd_id128_randomize(&s->guid);
        if (r < 0) {
                free(s);
                return r;
        }
        sd_id128_to_string(s->guid, s->guid_text);
        *ret = s;
        return 0;
}

/* ---- peers ---- */

/* Take `p` out of service now: its sources, its connection, its deferred calls. */
static void peer_free(server_peer *p, bool flush) {
        dbidl_server *s = p->server;
        LIST_REMOVE(s->peers, p);
        s->n_peers--;
        if (p->announced && s->disconnected)
                s->disconnected(s, p->bus, s->callback_userdata);
        p->auth_timer = sd_event_source_disable_unref(p->auth_timer);
        p->auth_watch = sd_event_source_disable_unref(p->auth_watch);
        p->drain = sd_event_source_disable_unref(p->drain);
        p->disconnected = sd_bus_slot_unref(p->disconnected);
        if (flush) {
                (void) dbidl_bus_flush_properties(p->bus);
                (void) dbidl_bus_cancel_pending(p->bus);
                /* what is queued goes out if the socket takes it now: never block on a peer that does not read */
                for (int i = 0; i < 16 && sd_bus_is_open(p->bus) > 0; i++)
                        if (sd_bus_process(p->bus, NULL) <= 0)
                                break;
        } else
                (void) dbidl_bus_cancel_pending(p->bus);
        /* the @stored values hold references to the connection: without this it would never be freed */
        dbidl_object_release_stores(p->bus);
        (void) sd_bus_detach_event(p->bus);
        sd_bus_close(p->bus);
        sd_bus_unref(p->bus);
        free(p);
}

static int on_reap(sd_event_source *source, void *userdata) {
        dbidl_server *s = userdata;
        (void) source;
        for (server_peer *p = s->peers, *next; p; p = next) {
                next = p->next;
                if (p->dead)
                        peer_free(p, false);
        }
        return sd_event_source_set_enabled(s->reap_source, SD_EVENT_OFF);
}

static void peer_kill(server_peer *p) {
        dbidl_server *s = p->server;
        if (p->dead)
                return;
        p->dead = true;
        if (s->reap_source)
                (void) sd_event_source_set_enabled(s->reap_source, SD_EVENT_ONESHOT);
}

static int on_peer_disconnected(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) m;
        (void) ret_error;
        peer_kill(userdata);
        return 0;
}

static int on_auth_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        server_peer *p = userdata;
        (void) usec;
        p->auth_timer = sd_event_source_disable_unref(p->auth_timer);
        (void) source;
        if (sd_bus_is_ready(p->bus) <= 0) {
                p->auth_watch = sd_event_source_disable_unref(p->auth_watch);
                peer_kill(p);
        }
        return 0;
}

/*
 * After the handshake, process what the peer sent with it.  sd-bus reads the handshake in chunks, so the bytes
 * of the messages a client sends right behind BEGIN (libdbus does: python3-dbus's first call) can end up in
 * sd-bus's read buffer, where nothing tells the event loop about them: sd_bus_get_events() wants more from the
 * socket, and sd_bus_get_timeout() only looks at parsed messages (libsystemd 252).  The call would wait until
 * the peer sent something else.  So: process until sd-bus has nothing left, 64 messages per loop iteration.
 */
static int on_peer_drain(sd_event_source *source, void *userdata) {
        server_peer *p = userdata;
        int r = 0;
        (void) source;
        for (int i = 0; i < 64 && !p->dead; i++) {
                r = sd_bus_process(p->bus, NULL);
                if (r <= 0)
                        break;
        }
        if (r <= 0 || p->dead)
                p->drain = sd_event_source_disable_unref(p->drain);
        return 0;
}

/* After each loop iteration while the peer authenticates: has the handshake ended? */
static int on_peer_post(sd_event_source *source, void *userdata) {
        server_peer *p = userdata;
        (void) source;
        if (p->dead || sd_bus_is_ready(p->bus) <= 0)
                return 0;
        p->auth_timer = sd_event_source_disable_unref(p->auth_timer);
        p->auth_watch = sd_event_source_disable_unref(p->auth_watch);
        int r = sd_event_add_defer(p->server->event, &p->drain, on_peer_drain, p);
        if (r >= 0)
                r = sd_event_source_set_priority(p->drain, p->server->priority);
        if (r < 0)
                peer_kill(p);
        return 0;
}

/* The peer's credentials from the kernel (unix sockets), or none. */
static void peer_creds(int fd, bool is_unix, dbidl_peer_creds *ret) {
        *ret = (dbidl_peer_creds) { .uid = (uid_t) -1, .gid = (gid_t) -1, .pid = 0 };
        if (!is_unix)
                return;
        struct ucred uc;
        socklen_t len = sizeof(uc);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0 || len != sizeof(uc))
                return;
        *ret = (dbidl_peer_creds) { .has_creds = true, .uid = uc.uid, .gid = uc.gid, .pid = uc.pid };
}

static bool peer_allowed(dbidl_server *s, const dbidl_peer_creds *creds) {
        if (s->allow)
                return s->allow(s, creds, s->allow_userdata) > 0;
        if (!s->is_unix)
                return true;
        return creds->has_creds && creds->uid == geteuid();
}

/*
 * Tools that always talk to a bus (gdbus call --address, busctl --address) send Hello first and give up on an
 * error.  Answering it, and AddMatch/RemoveMatch (every signal reaches every peer anyway: a peer's matches are
 * applied by its own sd-bus/GDBus/libdbus), lets them call a peer server.  The unique name is made up
 * (":1.N", N counting connections) and means nothing to the server.
 */
static int driver_hello(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        server_peer *p = userdata;
        char name[32];
        (void) ret_error;
        snprintf(name, sizeof name, ":1.%" PRIu64, p->number);
        return sd_bus_reply_method_return(m, "s", name);
}

static int driver_match(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        return sd_bus_reply_method_return(m, NULL);
}

static const sd_bus_vtable driver_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("Hello", "", "s", driver_hello, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("AddMatch", "s", "", driver_match, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("RemoveMatch", "s", "", driver_match, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* Serve the connected socket `fd` (taken).  Returns 0 (served or refused) or a negative errno (refused). */
static int peer_new(dbidl_server *s, int fd_arg) {
        _cleanup_(closep) int fd = fd_arg;
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        dbidl_peer_creds creds;
        int r;

        if (s->n_peers >= s->max_connections)
                return -EMFILE;
        peer_creds(fd, s->is_unix, &creds);
        if (!peer_allowed(s, &creds))
                return -EPERM;

        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_fd(bus, fd, fd);
        if (r < 0)
                return r;
        fd = -1; /* the bus has it (and closes it when it fails from here on) */
        r = sd_bus_set_server(bus, 1, s->guid);
        if (r < 0)
                return r;
        /* tcp: no SO_PEERCRED, so EXTERNAL cannot be checked; sd-bus then only takes ANONYMOUS (and EXTERNAL, unchecked) */
        r = sd_bus_set_anonymous(bus, !s->is_unix);
        if (r < 0)
                return r;
        r = sd_bus_negotiate_fds(bus, s->is_unix);
        if (r < 0)
                return r;
        /* the allow policy above is the access control: sd-bus's own check of methods without
         * SD_BUS_VTABLE_UNPRIVILEGED (the caller's uid must be ours, or CAP_SYS_ADMIN) would refuse every call of
         * a peer the policy let in with another uid, and every tcp call (no credentials: -ENODATA) */
        r = sd_bus_set_trusted(bus, 1);
        if (r < 0)
                return r;
        /* sd-bus's own close at loop exit flushes with a blocking sd_bus_flush(): a peer that does not read would
         * hold the server's exit.  peer_free() flushes without blocking instead. */
        r = sd_bus_set_close_on_exit(bus, 0);
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;
        r = sd_bus_attach_event(bus, s->event, s->priority);
        if (r < 0)
                return r;

        server_peer *p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        p->server = s;
        p->bus = TAKE_PTR(bus);
        LIST_PREPEND(s->peers, p);
        s->n_peers++;

        p->number = ++s->n_connections;
        if (s->answer_hello)
                r = sd_bus_add_object_vtable(p->bus, NULL, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                             driver_vtable, p);
        if (r >= 0)
                r = sd_bus_match_signal(p->bus, &p->disconnected, NULL, "/org/freedesktop/DBus/Local",
                                "org.freedesktop.DBus.Local", "Disconnected", on_peer_disconnected, p);
        if (r >= 0)
                r = sd_event_add_time_relative(s->event, &p->auth_timer, CLOCK_MONOTONIC, s->auth_timeout_usec, 0,
                                               on_auth_timeout, p);
        if (r >= 0)
                r = sd_event_add_post(s->event, &p->auth_watch, on_peer_post, p);
        for (size_t i = 0; r >= 0 && i < s->n_exports; i++)
                r = s->exports[i].export(p->bus, s->exports[i].userdata);
        if (r >= 0 && s->connected) {
                r = s->connected(s, p->bus, &creds, s->callback_userdata);
                if (r >= 0)
                        p->announced = true;
        }
        if (r < 0) {
                peer_free(p, false);
                return r;
        }
        return 0;
}

static int on_accept_resume(sd_event_source *source, uint64_t usec, void *userdata) {
        dbidl_server *s = userdata;
        (void) source;
        (void) usec;
        s->accept_pause = sd_event_source_disable_unref(s->accept_pause);
        if (s->accept_source)
                (void) sd_event_source_set_enabled(s->accept_source, SD_EVENT_ON);
        return 0;
}

/* Out of descriptors or memory: stop accepting for 100 ms. */
static void pause_accepting(dbidl_server *s) {
        if (s->accept_pause)
                return;
        if (sd_event_add_time_relative(s->event, &s->accept_pause, CLOCK_MONOTONIC, 100 * 1000, 0, on_accept_resume,
                                       s) >= 0)
                (void) sd_event_source_set_enabled(s->accept_source, SD_EVENT_OFF);
}

static int on_accept(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        dbidl_server *s = userdata;
        (void) source;
        (void) revents;
        for (int i = 0; i < SERVER_ACCEPT_BURST; i++) {
                int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (cfd < 0) {
                        if (errno == EINTR || errno == ECONNABORTED)
                                continue;
                        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                                /* the backlog stays readable: pause accepting for a while rather than spin */
                                pause_accepting(s);
                        /* EAGAIN: all taken */
                        break;
                }
                if (peer_new(s, cfd) < 0)
                        s->n_refused++;
        }
        return 0;
}

/* ---- settings ---- */

_public_ int dbidl_server_set_socket_mode(dbidl_server *s, mode_t mode) {
        return_if_fail(s && (mode & ~(mode_t) 0777) == 0, -EINVAL);
        return_if_fail(s->fd < 0, -EBUSY);
        s->socket_mode = mode;
        return 0;
}

_public_ int dbidl_server_set_max_connections(dbidl_server *s, unsigned max) {
        return_if_fail(s && max > 0, -EINVAL);
        s->max_connections = max;
        return 0;
}

_public_ int dbidl_server_set_auth_timeout(dbidl_server *s, uint64_t usec) {
        return_if_fail(s && usec > 0, -EINVAL);
        s->auth_timeout_usec = usec;
        return 0;
}

_public_ int dbidl_server_set_allow_anonymous(dbidl_server *s, bool allow) {
        return_if_fail(s, -EINVAL);
        s->allow_anonymous = allow;
        return 0;
}

_public_ int dbidl_server_set_answer_hello(dbidl_server *s, bool answer) {
        return_if_fail(s, -EINVAL);
        s->answer_hello = answer;
        return 0;
}

_public_ int dbidl_server_set_allow(dbidl_server *s, dbidl_server_allow_fn allow, void *userdata) {
        return_if_fail(s, -EINVAL);
        s->allow = allow;
        s->allow_userdata = userdata;
        return 0;
}

_public_ int dbidl_server_set_callbacks(dbidl_server *s, dbidl_server_connected_fn connected,
                                        dbidl_server_disconnected_fn disconnected, void *userdata) {
        return_if_fail(s, -EINVAL);
        s->connected = connected;
        s->disconnected = disconnected;
        s->callback_userdata = userdata;
        return 0;
}

_public_ int dbidl_server_add_export(dbidl_server *s, dbidl_server_export_fn fn, void *userdata) {
        return_if_fail(s && fn, -EINVAL);
        server_export *e = realloc(s->exports, (s->n_exports + 1) * sizeof(*e));
        if (!e)
                return -ENOMEM;
        s->exports = e;
        s->exports[s->n_exports++] = (server_export) { fn, userdata };
        int first = 0;
        for (server_peer *p = s->peers; p; p = p->next) {
                if (p->dead)
                        continue;
                int r = fn(p->bus, userdata);
                if (r < 0) {
                        if (first == 0)
                                first = r;
                        peer_kill(p);
                }
        }
        return first;
}

/* ---- listening ---- */

static int set_error(sd_bus_error *ret_error, int r, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int set_error(sd_bus_error *ret_error, int r, const char *name, const char *fmt, ...) {
        if (ret_error && !sd_bus_error_is_set(ret_error)) {
                char *text = NULL;
                va_list ap;
                va_start(ap, fmt);
                if (vasprintf(&text, fmt, ap) < 0)
                        text = NULL;
                va_end(ap);
                if (name)
                        (void) sd_bus_error_set(ret_error, name, text);
                else
                        (void) sd_bus_error_set_errnof(ret_error, r, "%s", text ? text : strerror(-r));
                free(text);
        }
        return r;
}

#define BAD_ADDRESS "org.freedesktop.DBus.Error.BadAddress"

/* true if a server accepts connections on the unix socket `sa` (a stale file refuses them) */
static int unix_socket_alive(const struct sockaddr_un *sa, socklen_t len) {
        _cleanup_(closep) int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (const struct sockaddr *) sa, len) >= 0)
                return 1;
        if (errno == ECONNREFUSED || errno == ENOENT)
                return 0;
        return errno == EAGAIN ? 1 : -errno;
}

/* Bind a unix socket at `path` (a file) with the server's mode, replacing a stale socket if `replace_stale`. */
static int listen_unix_path(dbidl_server *s, const char *path, bool replace_stale, sd_bus_error *ret_error) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t n = strlen(path);
        if (n >= sizeof(sa.sun_path))
                return set_error(ret_error, -ENAMETOOLONG, BAD_ADDRESS,
                                 "socket path '%s' is longer than %zu bytes", path, sizeof(sa.sun_path) - 1);
        memcpy(sa.sun_path, path, n);
        socklen_t len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + 1);

        _cleanup_(closep) int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return set_error(ret_error, -errno, NULL, "socket(): %s", strerror(errno));
        /* the mode of the socket's inode is what bind() gives the file (less the umask): never more than asked */
        if (fchmod(fd, s->socket_mode) < 0)
                return set_error(ret_error, -errno, NULL, "fchmod(): %s", strerror(errno));
        if (bind(fd, (struct sockaddr *) &sa, len) < 0) {
                int e = errno;
                if (e != EADDRINUSE)
                        return set_error(ret_error, -e, NULL, "cannot bind to %s: %s", path, strerror(e));
                int alive = unix_socket_alive(&sa, len);
                if (alive != 0 || !replace_stale)
                        return set_error(ret_error, -EADDRINUSE, NULL,
                                         "%s: a server is listening on this socket already", path);
                struct stat st;
                if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
                        return set_error(ret_error, -EEXIST, NULL, "%s exists and is not a socket", path);
                /* a stale socket: nobody listens on it */
                if (unlink(path) < 0 && errno != ENOENT)
                        return set_error(ret_error, -errno, NULL, "cannot remove the stale socket %s: %s", path,
                                         strerror(errno));
                if (bind(fd, (struct sockaddr *) &sa, len) < 0)
                        return set_error(ret_error, -errno, NULL, "cannot bind to %s: %s", path, strerror(errno));
        }
        s->socket_path = strdup(path);
        if (!s->socket_path) {
                (void) unlink(path);
                return -ENOMEM;
        }
        if (chmod(path, s->socket_mode) < 0 || listen(fd, SOMAXCONN) < 0) {
                int e = errno;
                (void) unlink(path);
                s->socket_path = mfree(s->socket_path);
                return set_error(ret_error, -e, NULL, "cannot listen on %s: %s", path, strerror(e));
        }
        _cleanup_(freep) char *escaped = server_address_escape(path);
        if (!escaped || asprintf(&s->client_address, "unix:path=%s", escaped) < 0) {
                s->client_address = NULL;
                (void) unlink(path);
                s->socket_path = mfree(s->socket_path);
                return -ENOMEM;
        }
        s->fd = TAKE_FD(fd);
        s->is_unix = true;
        return 0;
}

static int listen_unix_abstract(dbidl_server *s, const char *name, sd_bus_error *ret_error) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t n = strlen(name);
        if (n >= sizeof(sa.sun_path))
                return set_error(ret_error, -ENAMETOOLONG, BAD_ADDRESS, "abstract name '%s' is longer than %zu bytes",
                                 name, sizeof(sa.sun_path) - 1);
        memcpy(sa.sun_path + 1, name, n);
        socklen_t len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + n);
        _cleanup_(closep) int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return set_error(ret_error, -errno, NULL, "socket(): %s", strerror(errno));
        if (bind(fd, (struct sockaddr *) &sa, len) < 0) {
                int e = errno;
                if (e == EADDRINUSE)
                        return set_error(ret_error, -e, NULL, "abstract socket '%s' is in use by another server", name);
                return set_error(ret_error, -e, NULL, "cannot bind to abstract socket '%s': %s", name, strerror(e));
        }
        if (listen(fd, SOMAXCONN) < 0)
                return set_error(ret_error, -errno, NULL, "listen(): %s", strerror(errno));
        _cleanup_(freep) char *escaped = server_address_escape(name);
        if (!escaped || asprintf(&s->client_address, "unix:abstract=%s", escaped) < 0) {
                s->client_address = NULL;
                return -ENOMEM;
        }
        s->fd = TAKE_FD(fd);
        s->is_unix = true;
        return 0;
}

static int listen_unix_dir(dbidl_server *s, const char *dir, sd_bus_error *ret_error) {
        for (int attempt = 0; attempt < 8; attempt++) {
                sd_id128_t id;
                char hex[SD_ID128_STRING_MAX];
                int r = sd_id128_randomize(&id);
                if (r < 0)
                        return r;
                sd_id128_to_string(id, hex);
                _cleanup_(freep) char *path = NULL;
                if (asprintf(&path, "%s/dbidl-%.16s", dir, hex) < 0)
                        return -ENOMEM;
                r = listen_unix_path(s, path, false, NULL);
                if (r != -EADDRINUSE) {
                        if (r < 0)
                                return set_error(ret_error, r, NULL, "cannot listen in %s: %s", dir, strerror(-r));
                        return 0;
                }
        }
        return set_error(ret_error, -EADDRINUSE, NULL, "no free socket name in %s", dir);
}

static bool sockaddr_is_loopback(const struct sockaddr *sa) {
        if (sa->sa_family == AF_INET)
                return (ntohl(((const struct sockaddr_in *) sa)->sin_addr.s_addr) >> 24) == 127;
        if (sa->sa_family == AF_INET6) {
                const struct in6_addr *a = &((const struct sockaddr_in6 *) sa)->sin6_addr;
                if (IN6_IS_ADDR_LOOPBACK(a))
                        return true;
                if (IN6_IS_ADDR_V4MAPPED(a))
                        return a->s6_addr[12] == 127;
        }
        return false;
}

static int listen_tcp(dbidl_server *s, const server_address *a, sd_bus_error *ret_error) {
        const char *where = a->bind ? a->bind : a->host;
        char port[8];
        snprintf(port, sizeof port, "%u", a->port);
        struct addrinfo hints = { .ai_family = a->family, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_ADDRCONFIG };
        struct addrinfo *res = NULL;
        _cleanup_(freep) char *escaped = NULL;
        int g = getaddrinfo(where, port, &hints, &res);
        if (g == EAI_ADDRFAMILY || g == EAI_NONAME || g == EAI_NODATA) {
                /* AI_ADDRCONFIG hides loopback-only families on a machine without other interfaces: ask again */
                hints.ai_flags = AI_PASSIVE;
                g = getaddrinfo(where, port, &hints, &res);
        }
        if (g != 0)
                return set_error(ret_error, g == EAI_MEMORY ? -ENOMEM : -EADDRNOTAVAIL, BAD_ADDRESS,
                                 "cannot resolve tcp host '%s': %s", where, gai_strerror(g));

        int r = 0;
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
                if (!sockaddr_is_loopback(ai->ai_addr) && !s->allow_anonymous) {
                        r = set_error(ret_error, -EPERM, NULL,
                                      "refusing to listen on '%s', which is not a loopback address: tcp peers cannot be "
                                      "authenticated (sd-bus offers ANONYMOUS only), so anyone who reaches the port gets "
                                      "in; allow that with dbidl_server_set_allow_anonymous(), or reach other machines "
                                      "through ssh (docs/peer-to-peer.md)",
                                      where);
                        goto finish;
                }

        /* the first address that binds (with "localhost", ::1 or 127.0.0.1) */
        int fd = -1, last = -EADDRNOTAVAIL;
        struct addrinfo *used = NULL;
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
                fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (fd < 0) {
                        last = -errno;
                        continue;
                }
                int one = 1;
                (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
                if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
                        last = -errno;
                        close(fd);
                        fd = -1;
                        continue;
                }
                used = ai;
        }
        if (fd < 0) {
                r = set_error(ret_error, last, NULL, "cannot listen on tcp %s port %s: %s", where, port,
                              strerror(-last));
                goto finish;
        }
        struct sockaddr_storage ss;
        socklen_t sslen = sizeof ss;
        char numeric[INET6_ADDRSTRLEN] = "";
        if (getsockname(fd, (struct sockaddr *) &ss, &sslen) < 0 ||
            getnameinfo((struct sockaddr *) &ss, sslen, numeric, sizeof numeric, port, sizeof port,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
                r = set_error(ret_error, -errno ? -errno : -EIO, NULL, "getsockname(): %s", strerror(errno));
                close(fd);
                goto finish;
        }
        /* clients are told host= as given, unless it was a wildcard or only a bind= was meant for them */
        const char *tell = numeric;
        if (a->bind && strcmp(a->host, "localhost") != 0)
                tell = a->host;
        escaped = server_address_escape(tell);
        if (!escaped || asprintf(&s->client_address, "tcp:host=%s,port=%s,family=%s", escaped, port,
                                 used->ai_family == AF_INET6 ? "ipv6" : "ipv4") < 0) {
                s->client_address = NULL;
                close(fd);
                r = -ENOMEM;
                goto finish;
        }
        s->fd = fd;
        s->is_unix = false;
finish:
        freeaddrinfo(res);
        return r;
}

_public_ int dbidl_server_listen(dbidl_server *s, const char *address, sd_bus_error *ret_error) {
        return_if_fail(s && address, -EINVAL);
        if (s->fd >= 0)
                return set_error(ret_error, -EBUSY, NULL, "the server listens on %s already", s->client_address);

        server_address a;
        _cleanup_(freep) char *message = NULL;
        int r = server_address_parse(address, &a, &message);
        if (r < 0)
                return message ? set_error(ret_error, r, BAD_ADDRESS, "%s", message) : r;
        switch (a.kind) {
        case SERVER_ADDRESS_UNIX_PATH:
                r = listen_unix_path(s, a.path, true, ret_error);
                break;
        case SERVER_ADDRESS_UNIX_ABSTRACT:
                r = listen_unix_abstract(s, a.path, ret_error);
                break;
        case SERVER_ADDRESS_UNIX_DIR:
                r = listen_unix_dir(s, a.path, ret_error);
                break;
        case SERVER_ADDRESS_TCP:
                r = listen_tcp(s, &a, ret_error);
                break;
        }
        server_address_clear(&a);
        return r;
}

_public_ const char *dbidl_server_get_client_address(const dbidl_server *s) {
        return s ? s->client_address : NULL;
}

_public_ const char *dbidl_server_get_guid(const dbidl_server *s) {
        return s ? s->guid_text : NULL;
}

/* ---- the event loop ---- */

_public_ int dbidl_server_attach_event(dbidl_server *s, sd_event *event, int64_t priority) {
        int r;
        return_if_fail(s, -EINVAL);
        return_if_fail(s->fd >= 0, -ENOTCONN);
        return_if_fail(!s->event, -EBUSY);
        if (event)
                s->event = sd_event_ref(event);
        else {
                r = sd_event_default(&s->event);
                if (r < 0)
                        return r;
        }
        s->priority = priority;
        r = sd_event_add_io(s->event, &s->accept_source, s->fd, EPOLLIN, on_accept, s);
        if (r >= 0)
                r = sd_event_source_set_priority(s->accept_source, priority);
        if (r >= 0)
                r = sd_event_add_defer(s->event, &s->reap_source, on_reap, s);
        if (r >= 0)
                /* after the peers' own sources: a connection's last messages are dispatched before it goes */
                r = sd_event_source_set_priority(s->reap_source, SD_EVENT_PRIORITY_IDLE);
        if (r >= 0)
                r = sd_event_source_set_enabled(s->reap_source, SD_EVENT_OFF);
        if (r < 0) {
                (void) dbidl_server_detach_event(s);
                return r;
        }
        return 0;
}

_public_ int dbidl_server_detach_event(dbidl_server *s) {
        return_if_fail(s, -EINVAL);
        s->accept_source = sd_event_source_disable_unref(s->accept_source);
        s->accept_pause = sd_event_source_disable_unref(s->accept_pause);
        s->reap_source = sd_event_source_disable_unref(s->reap_source);
        /* peers cannot live without a loop here: they are closed */
        while (s->peers)
                peer_free(s->peers, true);
        s->event = sd_event_unref(s->event);
        return 0;
}

_public_ sd_event *dbidl_server_get_event(const dbidl_server *s) {
        return s ? s->event : NULL;
}

static int on_exit_signal(sd_event_source *source, const struct signalfd_siginfo *si, void *userdata) {
        (void) si;
        (void) userdata;
        return sd_event_exit(sd_event_source_get_event(source), 0);
}

_public_ int dbidl_server_run(dbidl_server *s, sd_event *event) {
        _cleanup_(sd_event_unrefp) sd_event *e = NULL;
        _cleanup_(sd_event_source_unrefp) sd_event_source *s_int = NULL, *s_term = NULL;
        sigset_t mask, old_mask;
        int r;

        return_if_fail(s, -EINVAL);
        return_if_fail(s->fd >= 0, -ENOTCONN);
        if (event)
                e = sd_event_ref(event);
        else {
                r = sd_event_default(&e);
                if (r < 0)
                        return r;
        }
        if (!s->event) {
                r = dbidl_server_attach_event(s, e, SD_EVENT_PRIORITY_NORMAL);
                if (r < 0)
                        return r;
        } else if (s->event != e)
                return -EBUSY;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        if (sigprocmask(SIG_BLOCK, &mask, &old_mask) < 0)
                return -errno;
        r = sd_event_add_signal(e, &s_int, SIGINT, on_exit_signal, NULL);
        if (r >= 0 || r == -EBUSY)
                r = sd_event_add_signal(e, &s_term, SIGTERM, on_exit_signal, NULL);
        if (r >= 0 || r == -EBUSY)
                r = sd_event_loop(e);
        for (server_peer *p = s->peers; p; p = p->next) {
                (void) dbidl_bus_flush_properties(p->bus);
                (void) dbidl_bus_cancel_pending(p->bus);
        }
        s_int = sd_event_source_unref(s_int);
        s_term = sd_event_source_unref(s_term);
        (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
        return r;
}

_public_ int dbidl_server_foreach_peer(dbidl_server *s, dbidl_server_peer_fn fn, void *userdata) {
        return_if_fail(s && fn, -EINVAL);
        int ok = 0, first = 0;
        for (server_peer *p = s->peers, *next; p; p = next) {
                next = p->next;
                if (p->dead)
                        continue;
                int r = fn(p->bus, userdata);
                if (r >= 0)
                        ok++;
                else if (first == 0)
                        first = r;
        }
        return ok > 0 || first == 0 ? ok : first;
}

_public_ unsigned dbidl_server_get_n_peers(const dbidl_server *s) {
        return s ? s->n_peers : 0;
}

_public_ uint64_t dbidl_server_get_n_refused(const dbidl_server *s) {
        return s ? s->n_refused : 0;
}

/* ---- references ---- */

_public_ dbidl_server *dbidl_server_ref(dbidl_server *s) {
        if (s)
                s->n_ref++;
        return s;
}

_public_ dbidl_server *dbidl_server_unref(dbidl_server *s) {
        if (!s || --s->n_ref > 0)
                return NULL;
        s->accept_source = sd_event_source_disable_unref(s->accept_source);
        if (s->fd >= 0)
                close(s->fd);
        if (s->socket_path)
                (void) unlink(s->socket_path);
        (void) dbidl_server_detach_event(s);
        free(s->socket_path);
        free(s->client_address);
        free(s->exports);
        free(s);
        return NULL;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/server.h — a peer-to-peer D-Bus server: listen on an address, serve the same objects on every connection */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A dbidl_server listens on a D-Bus server address (D-Bus specification,
 * "Server Addresses" and "Transports") and serves every client that
 * connects, without a bus daemon: each accepted connection is an sd_bus in
 * server mode (sd_bus_set_server() with the server's one GUID), attached to
 * the server's sd-event loop.  Objects added with dbidl_server_add_export()
 * are exported on every connection; the connect callback may export more on
 * one connection alone.  docs/peer-to-peer.md is the guide.
 *
 * Lifecycle: dbidl_server_new(), the setters, dbidl_server_listen(),
 * dbidl_server_attach_event() (or dbidl_server_run(), which attaches and
 * runs), dbidl_server_unref().  The last unref stops listening, closes every
 * connection (the peers see the socket close: sd-bus gives them
 * org.freedesktop.DBus.Local.Disconnected) and unlinks the socket file the
 * server created.
 *
 * Threads: a server, and every peer connection it made, belong to the
 * thread that runs its event loop.
 */
typedef struct dbidl_server dbidl_server;

/*
 * What the kernel says about a peer (SO_PEERCRED, unix sockets only): on
 * tcp `has_creds` is false and uid, gid and pid are (uid_t) -1, (gid_t) -1
 * and 0.
 */
typedef struct dbidl_peer_creds {
        bool has_creds;
        uid_t uid;
        gid_t gid;
        pid_t pid;
} dbidl_peer_creds;

/*
 * Create a server that does not listen yet.  Defaults: socket file mode
 * 0600, at most 256 connections at a time, 10 s for a peer to finish the
 * authentication handshake, only peers with the server's own effective uid
 * (unix), no anonymous peers from other machines (tcp on loopback only).
 * Returns 0, -EINVAL for a NULL ret, -ENOMEM.  *ret is owned by the caller.
 */
int dbidl_server_new(dbidl_server **ret);
dbidl_server *dbidl_server_ref(dbidl_server *s);        /* accepts NULL */
dbidl_server *dbidl_server_unref(dbidl_server *s);      /* accepts NULL; returns NULL; the last one closes */

/*
 * Settings, before dbidl_server_listen() (the mode) or at any time (the
 * rest).  Each returns 0 or -EINVAL (NULL server; a mode with bits outside
 * 0777; 0 connections; a timeout of 0; the mode after listening: -EBUSY).
 *
 * socket_mode: the permission bits of a unix socket file the server
 * creates (path=, dir=, tmpdir=); default 0600.  The file never has more
 * bits than this, not even between bind() and chmod().
 * max_connections: connections served at once; a peer over the limit is
 * accepted and closed at once (before any byte is read from or written to
 * it), counted in dbidl_server_get_n_refused(), and the others go on.
 * auth_timeout_usec: microseconds a peer has from its connection to the end
 * of the authentication handshake (SASL, D-Bus specification,
 * "Authentication Protocol"); then it is dropped.  sd-bus's own limit is
 * 90 s.  Default 10 s.
 * allow_anonymous: let the server listen on a tcp address that is not a
 * loopback address.  Tcp peers have no credentials, and sd-bus's only
 * authentication on tcp is ANONYMOUS (it trusts whatever uid EXTERNAL
 * claims), so anyone who can reach the port gets in; without this,
 * dbidl_server_listen() refuses such an address with -EPERM.  Reaching
 * another machine safely: docs/peer-to-peer.md, "ssh".
 */
int dbidl_server_set_socket_mode(dbidl_server *s, mode_t mode);
int dbidl_server_set_max_connections(dbidl_server *s, unsigned max);
int dbidl_server_set_auth_timeout(dbidl_server *s, uint64_t usec);
int dbidl_server_set_allow_anonymous(dbidl_server *s, bool allow);

/*
 * Whether each connection answers the bus driver's Hello (with a made-up
 * unique name ":1.N") and accepts AddMatch/RemoveMatch (doing nothing: every
 * signal goes to every peer, and each peer's library filters by its own
 * matches), at /org/freedesktop/DBus, org.freedesktop.DBus.  On by default:
 * `gdbus call --address` and `busctl --address` always send Hello, which a
 * peer server without it answers with an error (and they give up).  Clients
 * that know a peer is not a bus (dbidl_bus_open_peer(), sd-bus with
 * sd_bus_set_bus_client(0), GDBus without
 * G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, python3-dbus's
 * dbus.connection.Connection) never send it.  Applies to connections made
 * after the call.  Returns 0 or -EINVAL.
 */
int dbidl_server_set_answer_hello(dbidl_server *s, bool answer);

/*
 * The access policy.  `allow` runs for each accepted connection before any
 * byte is read or written, with the peer's credentials (SO_PEERCRED), and
 * returns > 0 to serve the peer, 0 to refuse it (its socket is closed: it
 * gets no objects and no data), or a negative errno (refused as well).
 * NULL restores the default: on unix sockets, only peers whose uid is the
 * server's effective uid; on tcp (no credentials), every peer.
 * Returns 0 or -EINVAL.
 */
typedef int (*dbidl_server_allow_fn)(dbidl_server *s, const dbidl_peer_creds *creds, void *userdata);
int dbidl_server_set_allow(dbidl_server *s, dbidl_server_allow_fn allow, void *userdata);

/*
 * Callbacks for peers coming and going.  `connected` runs when an allowed
 * peer's connection has been set up and the exports are in place, before
 * its handshake completes and before any call of it is dispatched: `peer`
 * is its sd_bus (borrowed; valid until `disconnected` returns), on which the
 * callback may export per-connection objects (a session object for this
 * client alone) or keep it to emit signals to this peer.  A negative return
 * refuses the peer (closed; `disconnected` does not run).  `disconnected`
 * runs once when the connection ends: the peer closed it or broke the
 * protocol, it did not authenticate in time, or the server is closing.
 * Either may be NULL.  Returns 0 or -EINVAL.
 */
typedef int (*dbidl_server_connected_fn)(dbidl_server *s, sd_bus *peer, const dbidl_peer_creds *creds,
                                         void *userdata);
typedef void (*dbidl_server_disconnected_fn)(dbidl_server *s, sd_bus *peer, void *userdata);
int dbidl_server_set_callbacks(dbidl_server *s, dbidl_server_connected_fn connected,
                               dbidl_server_disconnected_fn disconnected, void *userdata);

/*
 * Serve an object on every connection: `fn` is called with each new
 * peer's sd_bus (and at once with each peer already connected) and
 * `userdata`, and exports there, typically with a generated
 * P_export(peer, path, &handlers, state, NULL) and
 * dbidl_bus_add_object_manager(peer, ...).  A negative return from it
 * refuses that peer (closed).  Exports run in the order added, before the
 * connected callback.  Returns 0, -EINVAL, -ENOMEM, or the first negative
 * errno `fn` returned for a peer already connected (that peer is then
 * closed).
 */
typedef int (*dbidl_server_export_fn)(sd_bus *peer, void *userdata);
int dbidl_server_add_export(dbidl_server *s, dbidl_server_export_fn fn, void *userdata);

/*
 * Listen on the D-Bus server address `address`:
 *   unix:path=PATH        a socket file; a stale one (nobody listening:
 *                         connect() is refused) is replaced, one where a
 *                         server listens is never taken over (-EADDRINUSE),
 *                         something else than a socket is left alone (-EEXIST)
 *   unix:abstract=NAME    Linux's abstract namespace (no file, no mode: any
 *                         local process can connect; the allow policy decides)
 *   unix:dir=DIR, unix:tmpdir=DIR   a fresh socket name in DIR
 *                         (GDBusServer does the same), as for path=
 *   tcp:host=H[,bind=B][,port=N][,family=ipv4|ipv6]   listen on B (default
 *                         H, default "localhost"), port N (0, the default:
 *                         a free port); clients are told host H.  Only
 *                         loopback addresses unless
 *                         dbidl_server_set_allow_anonymous().
 * Values are %XX-escaped as the D-Bus specification says.  Once only.
 *
 * Returns 0, or a negative errno with a sentence in *ret_error (may be NULL;
 * name org.freedesktop.DBus.Error.BadAddress for address errors, else the
 * errno's name): -EINVAL (a syntax error, unknown key, bad value, or NULL
 * arguments), -EPROTONOSUPPORT (a transport a server cannot listen on:
 * nonce-tcp, unixexec, ...), -EPERM (a tcp address that is not loopback,
 * without allow_anonymous), -EADDRINUSE (a live server on that path or
 * abstract name, or the tcp port is taken), -EEXIST (the path exists and is
 * not a socket), -ENAMETOOLONG (longer than sun_path), -EBUSY (already
 * listening), -ENOMEM, or what socket(), bind(), listen() or getaddrinfo()
 * (-EADDRNOTAVAIL for a host it cannot resolve) report.
 */
int dbidl_server_listen(dbidl_server *s, const char *address, sd_bus_error *ret_error);

/*
 * The address a client connects to (borrowed, valid as long as the server;
 * NULL before listening): "unix:path=/run/user/1000/x", or for tcp
 * "tcp:host=127.0.0.1,port=41234,family=ipv4" with the port the kernel
 * chose.  Pass it to dbidl_bus_open_peer(), `gdbus call --address`, or
 * dbus.connection.Connection() of python3-dbus.
 */
const char *dbidl_server_get_client_address(const dbidl_server *s);
/* The server's GUID (32 hex digits, borrowed), sent to every peer in the handshake's OK line. */
const char *dbidl_server_get_guid(const dbidl_server *s);

/*
 * Accept connections on `event` (NULL: the thread's default loop) at
 * `priority` (SD_EVENT_PRIORITY_NORMAL, say); every peer connection is
 * attached there too (sd_bus_attach_event()).  Returns 0, -EINVAL,
 * -ENOTCONN before listening, -EBUSY if already attached, or what sd-event
 * returns.  dbidl_server_detach_event() stops accepting and closes every
 * peer connection (they cannot be served without the loop; the
 * disconnected callback runs for each); the server keeps listening, and
 * attaching again accepts again.  Returns 0 or -EINVAL.
 */
int dbidl_server_attach_event(dbidl_server *s, sd_event *event, int64_t priority);
int dbidl_server_detach_event(dbidl_server *s);
sd_event *dbidl_server_get_event(const dbidl_server *s);        /* borrowed; NULL when not attached */

/*
 * Run the server on `event` (NULL: the thread's default loop; attached if
 * it is not yet) until sd_event_exit() or SIGINT/SIGTERM (exit code 0), as
 * dbidl_bus_run() does for a bus.  When the loop ends, the property changes
 * still queued go out on every peer and their deferred calls are cancelled;
 * the server stays attached, with its peers, until it is unref'd or
 * detached.
 * Returns the loop's exit code or a negative errno (-EINVAL, -ENOTCONN
 * before listening, -EBUSY if attached to another loop, or what sd-event
 * returns).
 */
int dbidl_server_run(dbidl_server *s, sd_event *event);

/*
 * Call `fn` with the sd_bus of every connected peer (in no set order), for
 * instance to emit a signal to all of them:
 *
 *         static int emit_one(sd_bus *peer, void *userdata) {
 *                 return fortune_emit_new_fortune(peer, "/org/example/Fortune", userdata);
 *         }
 *         dbidl_server_foreach_peer(server, emit_one, (void *) text);
 *
 * Peers still authenticating are included (what is sent to them waits for
 * the end of the handshake).  A negative return from `fn` does not stop
 * the iteration (a peer that went away is no reason to skip the others).
 * `fn` must not unref the server.  Returns the number of peers `fn` returned
 * >= 0 for, -EINVAL, or, if every call failed and there was at least one,
 * the first negative errno.
 */
typedef int (*dbidl_server_peer_fn)(sd_bus *peer, void *userdata);
int dbidl_server_foreach_peer(dbidl_server *s, dbidl_server_peer_fn fn, void *userdata);

/* Peers connected now; peers refused so far (by the limit, the policy, a refusing export or connect callback). */
unsigned dbidl_server_get_n_peers(const dbidl_server *s);
uint64_t dbidl_server_get_n_refused(const dbidl_server *s);

#ifdef __cplusplus
}
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/proxy.h — the client side: a proxy bound to a remote object, calls and properties through it */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A dbidl_proxy stands for one remote object: a bus connection, a
 * destination (a well-known or unique name, or NULL on a peer-to-peer
 * connection), an object path and an interface.  Generated code wraps it in
 * a typed proxy per interface (`calc_proxy`, P_proxy_base() gives this
 * one); the functions below are for what no IDL describes: calls and
 * property access with messages built and read by hand.
 *
 * Reference counted: new returns one reference, unref drops one and frees
 * with the last; the proxy holds a reference to its bus.  Async calls and
 * signal slots hold a reference to the proxy until their slot is released.
 *
 * Threads: a proxy belongs to the thread that uses its bus.
 */
typedef struct dbidl_proxy dbidl_proxy;

/*
 * Create a proxy.  `destination` may be NULL only on a direct (peer)
 * connection.  Returns 0; -EINVAL for a NULL bus, path, interface or ret, or
 * an invalid bus name, object path or interface name; -ENOMEM.
 */
int dbidl_proxy_new(sd_bus *bus, const char *destination, const char *path, const char *interface,
                    dbidl_proxy **ret);
dbidl_proxy *dbidl_proxy_ref(dbidl_proxy *p);           /* accepts NULL */
dbidl_proxy *dbidl_proxy_unref(dbidl_proxy *p);         /* accepts NULL; returns NULL */

/* Borrowed accessors, valid as long as the proxy. */
sd_bus *dbidl_proxy_get_bus(const dbidl_proxy *p);
const char *dbidl_proxy_get_destination(const dbidl_proxy *p);
const char *dbidl_proxy_get_path(const dbidl_proxy *p);
const char *dbidl_proxy_get_interface(const dbidl_proxy *p);

/*
 * The timeout of every call made through this proxy, in microseconds; 0
 * (the default) means sd-bus's default of 25 s.  Returns 0 or -EINVAL.
 */
int dbidl_proxy_set_timeout(dbidl_proxy *p, uint64_t usec);
uint64_t dbidl_proxy_get_timeout(const dbidl_proxy *p);

/* ---- calls built by hand ---- */

/* A new method call message to `member` of the proxy's interface (sd_bus_message_new_method_call()). */
int dbidl_proxy_new_call(dbidl_proxy *p, const char *member, sd_bus_message **ret);

/*
 * Send `m` and wait for the reply (sd_bus_call()) for at most `timeout_usec`
 * microseconds (0: the proxy's timeout).  On success *ret_reply holds the
 * reply, positioned at its first argument.  Returns 0, or a negative errno:
 * the one sd-bus maps the remote error to (the error itself is in
 * *ret_error, which may be NULL), -ETIMEDOUT (with
 * org.freedesktop.DBus.Error.Timeout / NoReply), -ECONNRESET and -ENOTCONN
 * for lost connections.
 */
int dbidl_proxy_call(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, sd_bus_error *ret_error,
                     sd_bus_message **ret_reply);

/* Send `m` without expecting a reply (a @noreply method).  Returns 0 or a negative errno from sd_bus_send(). */
int dbidl_proxy_send(dbidl_proxy *p, sd_bus_message *m);

/*
 * Timeouts: 0 in any timeout_usec argument means the proxy's timeout
 * (dbidl_proxy_set_timeout()), whose own 0 means sd-bus's default (25 s).
 */

/*
 * Property access through org.freedesktop.DBus.Properties (D-Bus
 * specification, "org.freedesktop.DBus.Properties").
 *
 * dbidl_proxy_get_property calls Get(interface, name) and returns the reply
 * in *ret_reply positioned inside the variant, after checking that the
 * variant holds `signature` (-ENXIO, and an InvalidSignature error in
 * *ret_error, otherwise).
 *
 * dbidl_proxy_set_property_begin creates the Set call and opens the variant
 * with `signature`; the caller appends the value, then
 * dbidl_proxy_set_property_end closes the variant and calls.  Remote errors
 * come back in *ret_error and as the negative errno sd-bus maps them to.
 */
int dbidl_proxy_get_property(dbidl_proxy *p, const char *name, const char *signature, sd_bus_error *ret_error,
                             sd_bus_message **ret_reply);
int dbidl_proxy_set_property_begin(dbidl_proxy *p, const char *name, const char *signature, sd_bus_message **ret);
int dbidl_proxy_set_property_end(dbidl_proxy *p, sd_bus_message *m, sd_bus_error *ret_error);

/* ---- the property cache ---- */

/*
 * Keep a cache of the interface's properties: subscribe to
 * PropertiesChanged (values and invalidated names: an invalidated property
 * is dropped and fetched again with Get) and load every property with one
 * GetAll, asynchronously; the cache is reloaded whenever the service
 * reappears and emptied when it vanishes.  Values the proxy's property table
 * refuses are reported and not cached (the property table of a generated
 * proxy, dbidl/generated.h).
 * Idempotent.  Returns 0 or a negative errno from sd-bus.
 */
int dbidl_proxy_enable_cache(dbidl_proxy *p);
/*
 * The same, but GetAll is done now, blocking for at most timeout_usec
 * (0: the proxy's timeout).  Returns 0 or a negative errno, with the remote
 * error in *ret_error (may be NULL).
 */
int dbidl_proxy_load_properties(dbidl_proxy *p, uint64_t timeout_usec, sd_bus_error *ret_error);
/* ---- the service's lifecycle ---- */

typedef void (*dbidl_appeared_fn)(dbidl_proxy *p, const char *owner, void *userdata);
typedef void (*dbidl_vanished_fn)(dbidl_proxy *p, void *userdata);

/*
 * Watch the proxy's destination (NameOwnerChanged): `appeared` runs with the
 * new unique owner when the name gets an owner (also at once, from the
 * loop, if it has one already), `vanished` when it loses it.  Either may be
 * NULL.  Signal subscriptions and the property cache follow the service
 * across restarts by themselves; this is for the application's own
 * reactions.  Slot lifetime as for signals.
 *
 * A proxy without a destination (a peer-to-peer connection,
 * dbidl_bus_open_peer()) has no name to watch: its peer is there while the
 * connection is open, so `appeared` never runs and `vanished` runs once,
 * when the connection closes (sd-bus's local
 * org.freedesktop.DBus.Local.Disconnected signal); the application then
 * reconnects with a new connection and new proxies (docs/peer-to-peer.md,
 * "Reconnecting").  The connection must be processed (an event loop, or
 * sd_bus_process()) for the callback to run.
 *
 * Returns 0 or a negative errno: -EINVAL for a NULL proxy, -ENOMEM, or one
 * from sd-bus.
 */
int dbidl_proxy_watch(dbidl_proxy *p, dbidl_appeared_fn appeared, dbidl_vanished_fn vanished, void *userdata,
                      sd_bus_slot **ret_slot);
/* The destination's current unique owner as far as the proxy knows, or NULL.  Borrowed. */
const char *dbidl_proxy_get_owner(const dbidl_proxy *p);

/*
 * Messages that do not match the IDL are never dropped silently: each is
 * counted and passed to the diagnostic handler, if one is set, with the
 * message (borrowed, valid during the call) and the signature the IDL
 * expects.  They are: a signal with another signature, or with a value the
 * IDL refuses (an enum value outside its declared set, also inside a struct
 * or container: the message's signature is then the expected one); a
 * property value with another signature or a refused value, in a
 * PropertiesChanged (counted once per such value, however many change slots
 * and caches see it; `expected_signature` is the property's), a GetAll reply
 * or the Get reply that refetches an invalidated property
 * (checked against a generated proxy's property table); a PropertiesChanged whose own signature is
 * not "sa{sv}as".  A reply to a call that cannot be read is not counted: the
 * caller gets the error.
 */
typedef void (*dbidl_diagnostic_fn)(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature,
                                    void *userdata);
int dbidl_proxy_set_diagnostic_handler(dbidl_proxy *p, dbidl_diagnostic_fn handler, void *userdata);
uint64_t dbidl_proxy_get_n_bad_messages(const dbidl_proxy *p);

/*
 * The reply of a blocking call whose outputs are lent (the generated
 * P_borrow_m()): it keeps the reply message and what was read from it, so
 * that the outputs stay valid, zero-copy, until it is freed.  One handle per
 * call; outputs point into it and die with it.
 */
typedef struct dbidl_reply dbidl_reply;
/* Free the reply and every output lent from it.  Accepts NULL; returns NULL. */
dbidl_reply *dbidl_reply_free(dbidl_reply *reply);
/* For __attribute__((cleanup(dbidl_reply_freep))): dbidl_reply_free(*p). */
void dbidl_reply_freep(dbidl_reply **p);
/* The reply message itself (borrowed: valid until dbidl_reply_free()), e.g. for its sender or fds. */
sd_bus_message *dbidl_reply_get_message(const dbidl_reply *reply);

#ifdef __cplusplus
}
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/proxy.h — the client side: a proxy bound to a remote object, and what generated stubs call */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A dbidl_proxy stands for one remote object: a bus connection, a
 * destination (a well-known or unique name, or NULL on a peer-to-peer
 * connection), an object path and an interface.  Generated code wraps it in
 * a typed proxy per interface (`calc_proxy`); the generic functions below
 * are what those wrappers call, and they can be used directly.
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

/* ---- what generated stubs call ---- */

/* A new method call message to `member` of the proxy's interface (sd_bus_message_new_method_call()). */
int dbidl_proxy_new_call(dbidl_proxy *p, const char *member, sd_bus_message **ret);

/*
 * Send `m` and wait for the reply (sd_bus_call() with the proxy's timeout).
 * On success *ret_reply holds the reply, positioned at its first argument.
 * Returns 0, or a negative errno: the one sd-bus maps the remote error to
 * (the error itself is in *ret_error, which may be NULL), -ETIMEDOUT,
 * -ECONNRESET and -ENOTCONN for lost connections.
 */
int dbidl_proxy_call(dbidl_proxy *p, sd_bus_message *m, sd_bus_error *ret_error, sd_bus_message **ret_reply);

/* Send `m` without expecting a reply (a @noreply method).  Returns 0 or a negative errno from sd_bus_send(). */
int dbidl_proxy_send(dbidl_proxy *p, sd_bus_message *m);

/*
 * The context of an async call or a signal slot: what the generated
 * trampoline needs to call the user's typed callback.
 */
typedef struct dbidl_callback {
        dbidl_proxy *proxy;
        void (*callback)(void);         /* the user's typed function, cast back by the trampoline */
        void *userdata;
} dbidl_callback;

/*
 * A trampoline decodes the reply (or signal) `m` and calls ctx->callback.
 * `m` is a method return, an error reply (sd_bus_message_is_method_error()),
 * or a signal.
 */
typedef void (*dbidl_trampoline)(sd_bus_message *m, const dbidl_callback *ctx);

/*
 * Send `m` and call `trampoline` when the reply, an error or the timeout
 * arrives (sd_bus_call_async()).  The call is cancelled, and the
 * trampoline never runs, when the slot is released with sd_bus_slot_unref();
 * with ret_slot NULL the slot is floating and lives as long as the bus.
 * Returns 0 or a negative errno from sd-bus; -EINVAL for NULL arguments.
 */
int dbidl_proxy_call_async(dbidl_proxy *p, sd_bus_message *m, dbidl_trampoline trampoline,
                           void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

/*
 * Subscribe to the signal `member` of the proxy's interface sent by its
 * destination from its path (sd_bus_match_signal(); the match rule is added
 * synchronously).  The subscription lasts until the slot is released; with
 * ret_slot NULL it is floating and lasts as long as the bus.  Returns 0 or a
 * negative errno from sd-bus.
 */
int dbidl_proxy_match_signal(dbidl_proxy *p, const char *member, dbidl_trampoline trampoline,
                             void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

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

#ifdef __cplusplus
}
#endif

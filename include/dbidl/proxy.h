/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/proxy.h — the client side: a proxy bound to a remote object, and what generated stubs call */
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
struct dbidl_member;

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
 * The context of an async call or a signal slot: what the generated
 * trampoline needs to call the user's typed callback.
 */
typedef struct dbidl_callback {
        dbidl_proxy *proxy;
        void (*callback)(void);         /* the user's typed function, cast back by the trampoline */
        void *userdata;
        const struct dbidl_member *member;      /* generated code's member (dbidl/generated.h), or NULL */
        void (*deliver)(void);          /* its dbidl_deliver_fn, or NULL */
} dbidl_callback;

/*
 * Timeouts: 0 in any timeout_usec argument means the proxy's timeout
 * (dbidl_proxy_set_timeout()), whose own 0 means sd-bus's default (25 s).
 */

/*
 * A trampoline decodes the reply (or signal) `m` and calls ctx->callback.
 * `m` is a method return, an error reply (sd_bus_message_is_method_error()),
 * or a signal.
 */
typedef void (*dbidl_trampoline)(sd_bus_message *m, const dbidl_callback *ctx);

/*
 * Send `m` and call `trampoline` when the reply, an error or the timeout
 * (`timeout_usec`; sd-bus synthesizes org.freedesktop.DBus.Error.NoReply)
 * arrives (sd_bus_call_async()).  The call is cancelled, and the trampoline
 * never runs, when the slot is released with sd_bus_slot_unref(); with
 * ret_slot NULL the call is floating: it lives until the reply, or until the
 * proxy is freed, which cancels it.  Replies are
 * delivered in the order they arrive.  Returns 0 or a negative errno from
 * sd-bus; -EINVAL for NULL arguments.
 */
int dbidl_proxy_call_async(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, dbidl_trampoline trampoline,
                           void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

/*
 * Subscribe to the signal `member` of the proxy's interface sent by its
 * destination from its path (sd_bus_match_signal(); the match rule is added
 * synchronously).  The bus routes a well-known destination to whichever
 * connection owns it, so the subscription survives the service's restarts;
 * the proxy also tracks the name's current unique owner (NameOwnerChanged)
 * and drops signals from any other sender.  The subscription lasts until
 * the slot is released; with ret_slot NULL it is floating and lasts as long
 * as the proxy.  (A slot the caller holds keeps the proxy alive; a floating
 * one does not, so that proxy, slots and bus never keep each other alive.)  Returns 0 or a negative errno from sd-bus.
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

/* ---- what the IDL says of the interface's properties ---- */

/*
 * Tell the proxy its interface's properties as the IDL declares them
 * (generated P_proxy_new() does, through dbidl_proxy_new_members()):
 * `properties` is borrowed, an array of `n` property members
 * (dbidl/generated.h: the D-Bus name, the value's signature and codec, and
 * DBIDL_PROPERTY_CHECK when an enum in the value makes it refusable) that
 * must outlive the proxy (a static const table); a later call replaces it,
 * n = 0 forgets it.
 * Every value the property cache takes in (GetAll, PropertiesChanged, the
 * Get after an invalidation) and every value a change slot would receive is
 * checked against it first: a value with another signature, or one an enum
 * in it refuses, is counted and reported to the diagnostic handler (with the
 * message it came in and the property's signature) once per message, is not
 * passed to any change slot, and is not cached (the property becomes not
 * cached: -ENODATA, rather than keeping a wrong or stale value).  Properties
 * the table does not list are taken as they come.  Returns 0, or -EINVAL for
 * a NULL proxy, a NULL array with n > 0, or an entry without name or
 * signature.
 */
int dbidl_proxy_set_properties(dbidl_proxy *p, const struct dbidl_member *properties, size_t n);

/* ---- the property cache ---- */

/*
 * Keep a cache of the interface's properties: subscribe to
 * PropertiesChanged (values and invalidated names: an invalidated property
 * is dropped and fetched again with Get) and load every property with one
 * GetAll, asynchronously; the cache is reloaded whenever the service
 * reappears and emptied when it vanishes.  Values the proxy's property table
 * refuses are reported and not cached (dbidl_proxy_set_properties()).
 * Idempotent.  Returns 0 or a negative errno from sd-bus.
 */
int dbidl_proxy_enable_cache(dbidl_proxy *p);
/*
 * The same, but GetAll is done now, blocking for at most timeout_usec
 * (0: the proxy's timeout).  Returns 0 or a negative errno, with the remote
 * error in *ret_error (may be NULL).
 */
int dbidl_proxy_load_properties(dbidl_proxy *p, uint64_t timeout_usec, sd_bus_error *ret_error);
/*
 * A cached property value, for generated cached getters: never blocks.
 * Returns 0 with *ret a new message positioned at the value (the caller
 * reads it and unrefs the message), -ENODATA if the property is not cached
 * (no cache, not loaded yet, invalidated, the service is gone, or the
 * service's last value was refused: dbidl_proxy_set_properties()), -ENXIO
 * if the cached value does not have `signature` (never for a property of
 * the proxy's table, whose values are checked on the way in), -ENOMEM, or
 * -EINVAL for NULL arguments.
 */
int dbidl_proxy_get_cached_property(dbidl_proxy *p, const char *name, const char *signature, sd_bus_message **ret);
/* true if the cache holds `name`. */
int dbidl_proxy_has_cached_property(dbidl_proxy *p, const char *name);

/*
 * Connect a trampoline to changes of property `name` (PropertiesChanged).
 * The trampoline runs with the message positioned inside the value's
 * variant (already checked against `signature`, and against the proxy's
 * property table: a value it refuses was reported once and reaches no
 * slot), or with a NULL message when the property was invalidated.  The
 * cache, if enabled, is updated before the trampoline runs.  A value with
 * another signature than `signature` that the table does not refuse (a
 * property it does not list) is reported by each such slot.  Slot lifetime
 * as for signals.
 */
int dbidl_proxy_match_property(dbidl_proxy *p, const char *name, const char *signature, dbidl_trampoline trampoline,
                               void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

/* ---- the service's lifecycle ---- */

typedef void (*dbidl_appeared_fn)(dbidl_proxy *p, const char *owner, void *userdata);
typedef void (*dbidl_vanished_fn)(dbidl_proxy *p, void *userdata);

/*
 * Watch the proxy's destination (NameOwnerChanged): `appeared` runs with the
 * new unique owner when the name gets an owner (also at once, from the
 * loop, if it has one already), `vanished` when it loses it.  Either may be
 * NULL.  Signal subscriptions and the property cache follow the service
 * across restarts by themselves; this is for the application's own
 * reactions.  Slot lifetime as for signals.  Returns 0 or a negative errno;
 * -EINVAL if the proxy has no destination.
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
 * (dbidl_proxy_set_properties()); a PropertiesChanged whose own signature is
 * not "sa{sv}as".  A reply to a call that cannot be read is not counted: the
 * caller gets the error.
 */
typedef void (*dbidl_diagnostic_fn)(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature,
                                    void *userdata);
int dbidl_proxy_set_diagnostic_handler(dbidl_proxy *p, dbidl_diagnostic_fn handler, void *userdata);
uint64_t dbidl_proxy_get_n_bad_messages(const dbidl_proxy *p);

#ifdef __cplusplus
}
#endif

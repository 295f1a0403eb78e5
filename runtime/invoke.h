/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/invoke.h — internal: the proxy's callback slots with a generated member, and value checks */
#pragma once

#include <dbidl/generated.h>

/*
 * Internal since the generated code stopped calling them (it calls the member-table functions of
 * dbidl/generated.h, which are built on these): the proxy's trampoline slots, its property table and cache, and the
 * @stored exports.
 */

/*
 * A trampoline decodes the reply (or signal) `m` and calls ctx->callback.
 * `m` is a method return, an error reply (sd_bus_message_is_method_error()),
 * or a signal.
 */
typedef void (*dbidl_trampoline)(sd_bus_message *m, const dbidl_callback *ctx);

/* The generated member and deliver function a callback slot carries (dbidl_callback.member, .deliver). */
typedef struct proxy_member {
        const dbidl_member *member;
        void (*deliver)(void);
} proxy_member;

/*
 * Send `m` and call `trampoline` (with `pm`, which may be NULL, in its dbidl_callback) when the reply, an error or the timeout
 * (`timeout_usec`; sd-bus synthesizes org.freedesktop.DBus.Error.NoReply)
 * arrives (sd_bus_call_async()).  The call is cancelled, and the trampoline
 * never runs, when the slot is released with sd_bus_slot_unref(); with
 * ret_slot NULL the call is floating: it lives until the reply, or until the
 * proxy is freed, which cancels it.  Replies are
 * delivered in the order they arrive.  Returns 0 or a negative errno from
 * sd-bus; -EINVAL for NULL arguments.
 */
int proxy_call_async(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, dbidl_trampoline trampoline,
                     const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);
/*
 * Subscribe to the signal `member` of the proxy's interface sent by its
 * destination from its path (sd_bus_match_signal(); the match rule is added
 * synchronously).  The bus routes a well-known destination to whichever
 * connection owns it, so the subscription survives the service's restarts;
 * the proxy also tracks the name's current unique owner (NameOwnerChanged)
 * and drops signals from any other sender.  The subscription lasts until
 * the slot is released; with ret_slot NULL it is floating and lasts as long
 * as the proxy.  (A slot the caller holds keeps the proxy alive; a floating
 * one does not, so that proxy, slots and bus never keep each other alive.)
 * Returns 0 or a negative errno from sd-bus.
 */
int proxy_match_signal(dbidl_proxy *p, const char *member, dbidl_trampoline trampoline, const proxy_member *pm,
                       void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);
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
int proxy_match_property(dbidl_proxy *p, const char *name, const char *signature, dbidl_trampoline trampoline,
                         const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

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
int dbidl_proxy_set_properties(dbidl_proxy *p, const dbidl_member *properties, size_t n);

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

/*
 * The same for a @stored interface (docs/c-api.md, "Stored properties"):
 * besides exporting, the runtime keeps a value for every property of
 * `vtable` whose getter is dbidl_object_stored_get(), starting with its
 * type's empty value (0, false, "", the object path "/", an empty array, a
 * variant holding "").  Get and GetAll answer from these values; the
 * generated P_store_m() functions change them (dbidl_object_store()).  The
 * values are freed with the export, when its slot is released or the bus
 * goes away.  Returns as dbidl_object_export(), and -EOPNOTSUPP for a kept
 * property whose type contains a file descriptor.  Not thread-safe with
 * respect to the bus, as sd-bus.
 */
int dbidl_object_export_stored(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                               const void *handlers, void *userdata, sd_bus_slot **ret_slot);

/*
 * For generated P_store_m(): a new, empty message to append one value to
 * (never sent), then handed to dbidl_object_store().  The caller owns *ret.
 * Returns 0, -EINVAL, -ENOTCONN (the bus is closed) or -ENOMEM.
 */
int dbidl_object_store_new(sd_bus *bus, sd_bus_message **ret);

/*
 * Drop the kept values of every @stored export on `bus`, and their queued
 * changes (none go out).  Each value is an sd_bus_message of `bus` and holds
 * a reference to it, so a bus with @stored exports in floating slots is
 * never freed by its last sd_bus_unref() while they are kept: whoever closes
 * such a bus for good calls this first (the peer-to-peer server, for each
 * connection it closes: runtime/server.c).  The exports stay until their
 * slots go, answering their properties as not found.  O(exports on `bus`).
 */
void dbidl_object_release_stores(sd_bus *bus);

/*
 * Keep `value` (from dbidl_object_store_new(), with exactly one value of
 * the property's type appended; sealed here, and referenced, not copied:
 * the caller keeps its own reference and must not append to it again) as
 * `property` (its D-Bus name) of the @stored export of `interface` at
 * `path` on `bus`.  An equal value changes nothing.  A changed value of an
 * EmitsChangedSignal=true property is queued as changed, of an
 * "invalidates" one as invalidated; the queued changes of one export go out
 * together as one PropertiesChanged: from a defer source on the bus's
 * sd-event loop (sd_bus_get_event(); dbidl_bus_run() attaches one) when the
 * loop next comes round, or when the program calls
 * dbidl_bus_flush_properties().  A "const" property takes its value once: a
 * later, different value is refused (-EPERM).  A "none" property changes
 * silently.
 *
 * Returns 1 when the value changed, 0 when it was equal; -EINVAL for NULL
 * arguments or a value of another type; -ENOENT when no @stored export of
 * `interface` is at `path` on `bus` or it keeps no `property`; -EPERM for a
 * const property stored before; -ENOMEM.  Not thread-safe with respect to
 * the bus, as sd-bus.
 */
int dbidl_object_store(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *value);

/* Read one value of codec `c` at the position of `m` and free it: 0 if the IDL accepts it, -EDOM for an undeclared enum value. */
int value_check(const dbidl_codec *c, sd_bus_message *m);

/* dbidl_object_export() or _export_stored() of info->vtable, with `info` in the export's dbidl_object. */
int object_export_info(sd_bus *bus, const char *path, const dbidl_interface_info *info, const void *handlers,
                       void *userdata, sd_bus_slot **ret_slot);

/* ---- the reporters of the generic paths (internal since the generated code stopped calling them) ---- */

/*
 * Set org.freedesktop.DBus.Error.NotSupported for a member whose handler is
 * missing from the table (methods and property access).  Returns the
 * negative errno for the vtable handler to return.
 */
int dbidl_object_not_supported(sd_bus_error *ret_error, const char *interface, const char *member);

/*
 * Report that the arguments of a call could not be read (a handler never
 * sees a half-read message): sets org.freedesktop.DBus.Error.InvalidArgs
 * naming the member, the argument (may be NULL) and the reason `r` (a
 * negative errno; -EDOM: a value outside the declared set of an enum), and
 * returns -EINVAL for the vtable handler to return.
 */
int dbidl_object_invalid_args(sd_bus_error *ret_error, const char *member, const char *argument, int r);

/*
 * The same for the new value of a property Set (org.freedesktop.DBus.Properties.Set)
 * that cannot be read: sets org.freedesktop.DBus.Error.InvalidArgs naming the
 * property (its D-Bus name, borrowed) and the reason `r` ("Invalid value for
 * property 'Mode': the value is not one of its enum's declared values" for
 * -EDOM), and returns -EINVAL for the property setter to return.
 */
int dbidl_object_invalid_property(sd_bus_error *ret_error, const char *property, int r);

/*
 * Report that a handler's outputs could not be put into the reply (an
 * invalid object path, a NULL variant, invalid UTF-8: a fault of the
 * service, not of the caller): sets org.freedesktop.DBus.Error.Failed naming
 * the member, the output and the reason `r`, and returns -EIO.
 */
int dbidl_object_reply_failed(sd_bus_error *ret_error, const char *member, const char *output, int r);

/*
 * A reply arrived with the right signature, but `what`
 * in it could not be read (r, a negative errno: -EDOM for an enum value
 * outside its declared set, also inside a struct or container; -ENOMEM).
 * `what` names the value and the member, as in "output 'zone' in the reply
 * of GetZone" or "value of property 'Mode' in the reply of Get" (borrowed).
 * If ret_error is not NULL and not set yet, it is set:
 * org.freedesktop.DBus.Error.NoMemory for -ENOMEM, otherwise
 * org.freedesktop.DBus.Error.InvalidArgs with the message "Invalid <what>:
 * <reason>" (the value is not one of its enum's declared values).  D-Bus
 * has no standard name for a malformed reply; InvalidArgs is what a service
 * answers for the same value in a call, and the returned errno (not the
 * -EINVAL sd-bus maps InvalidArgs to) tells the two apart.  Returns r (a
 * non-negative r becomes -EINVAL).
 */
int dbidl_proxy_invalid_reply(sd_bus_error *ret_error, const char *what, int r);

/*
 * Count `m` as not matching `expected_signature`
 * and report it.  The signal trampoline calls it once for a signal it cannot
 * read (another signature, or a refused value), but not for -ENOMEM.
 */
void dbidl_proxy_report_bad_message(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature);

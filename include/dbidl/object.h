/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/object.h — the service side: exporting an interface's vtable with a handler table */
#pragma once

#include <sys/types.h>
#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What generated skeletons register as the userdata of their vtable: the
 * user's handler table (a generated `…_handlers` struct) and the user's own
 * userdata, which every handler receives.
 */
typedef struct dbidl_object {
        const void *handlers;
        void *userdata;
        const struct dbidl_interface_info *info;        /* dbidl/generated.h; NULL for dbidl_object_export() */
} dbidl_object;

/*
 * Export `vtable` (a generated static const sd_bus_vtable) for `interface` at
 * `path` (sd_bus_add_object_vtable()), with a dbidl_object holding `handlers`
 * and `userdata` as its userdata.  `handlers` is borrowed and must outlive
 * the export.  One path may carry several interfaces (export each).  The
 * export lasts until the slot is released with sd_bus_slot_unref(); with
 * ret_slot NULL it is floating and lasts as long as the bus.
 *
 * When an object manager (dbidl_bus_add_object_manager()) covers `path`,
 * InterfacesAdded is emitted on export and InterfacesRemoved when the slot
 * is released (D-Bus specification, "org.freedesktop.DBus.ObjectManager").
 *
 * Returns 0; -EINVAL for NULL arguments or an invalid path or interface;
 * -EEXIST if the interface is already exported at that path; -ENOMEM.
 */
int dbidl_object_export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                        const void *handlers, void *userdata, sd_bus_slot **ret_slot);

/*
 * Send the queued property changes of every @stored export on `bus` now:
 * one PropertiesChanged per object and interface
 * (sd_bus_emit_properties_changed_strv()).  For programs that run their own
 * loop instead of sd-event; with sd-event the runtime flushes by itself
 * each time round the loop, and dbidl_bus_run() flushes once more when its
 * loop ends.  Returns the number of signals queued for sending (as every
 * sd-bus send, they leave with the next sd_bus_flush() or loop iteration),
 * -EINVAL, or the first negative errno from sd-bus (-ENOTCONN for a closed
 * bus, -ENOMEM); a change that could not be sent is not retried.
 * Thread-safe with respect to other buses.
 */
int dbidl_bus_flush_properties(sd_bus *bus);

/*
 * Serve org.freedesktop.DBus.ObjectManager at `path` (sd_bus_add_object_manager()):
 * GetManagedObjects lists every object exported below it with all their
 * interfaces and properties.  Slot lifetime as for exports.
 */
int dbidl_bus_add_object_manager(sd_bus *bus, const char *path, sd_bus_slot **ret_slot);

/* ---- deferred replies ---- */

/*
 * A method call a handler keeps, to answer on a later iteration of the loop.
 * A handler defers with
 *
 *         return dbidl_defer(call, on_cancelled, userdata, &pending);
 *
 * and later answers through the generated P_reply_m(pending, outputs…) or
 * P_fail_e(pending, "message") (or dbidl_pending_reply_error()).  Answering
 * frees the pending call.  If the caller disconnects first (NameOwnerChanged
 * of its unique name), or the service cancels what is left before closing
 * the bus (dbidl_bus_cancel_pending(), done by dbidl_bus_run() when its loop
 * ends), or the bus refuses the one match rule that follows callers (the
 * runtime then answers LimitsExceeded itself), the runtime calls
 * `cancelled` (may be NULL) and frees it: the pointer must not be used after
 * either.  Nothing leaks either way.
 */
typedef struct dbidl_pending dbidl_pending;

/*
 * A method handler's return value follows sd-bus: 0 means "reply with my
 * ret_* outputs", a negative errno means "reply with an error", and any
 * positive value means "I replied, or will reply, myself": the skeleton
 * sends nothing and frees whatever the handler stored through ret_*.  So
 * `return sd_bus_reply_method_return(call, …);` (which returns 1) works, and
 * so do the two positive constants below.
 *
 * DBIDL_DEFERRED: what dbidl_defer() returns and a handler returns in turn,
 * "reply later".
 */
#define DBIDL_DEFERRED 0x40000000
/*
 * What a generated P_return_m() returns, and a handler returns in turn:
 * "already answered" (the outputs went out borrowed, without the copy the
 * ret_* pointers need).  Positive, like DBIDL_DEFERRED.
 */
#define DBIDL_REPLIED DBIDL_DEFERRED

typedef void (*dbidl_cancelled_fn)(dbidl_pending *pending, void *userdata);

/*
 * Keep `call` for a later reply.  Returns DBIDL_DEFERRED with *ret set, or a
 * negative errno: -ENOBUFS when the caller has DBIDL_LIMIT_PENDING_PER_PEER
 * calls pending already, or this call's arguments would take the bytes its
 * pending calls hold over DBIDL_LIMIT_PENDING_BYTES_PER_PEER, -ENOMEM, -EINVAL, or one from sd-bus while
 * starting to follow the caller or reading `call`.  It reads `call` through
 * once, to count its arguments' bytes, and leaves it rewound to its first
 * argument (what the handler borrowed from it stays valid).  On failure the handler should return that
 * errno (-ENOBUFS is answered as org.freedesktop.DBus.Error.LimitsExceeded).
 * Deferring costs no bus round trip and no match rule per call: one match
 * per bus follows every caller (runtime/defer.c).  If the bus refuses that
 * match, the calls waiting on it are answered with LimitsExceeded and
 * cancelled.
 */
int dbidl_defer(sd_bus_message *call, dbidl_cancelled_fn cancelled, void *userdata, dbidl_pending **ret);
/* The kept call (borrowed), e.g. for its sender or credentials. */
sd_bus_message *dbidl_pending_get_call(const dbidl_pending *pending);
/* For generated reply functions: a new method return for the kept call. */
int dbidl_pending_new_return(dbidl_pending *pending, sd_bus_message **ret);
/* Send `reply` and free the pending call (also on failure).  Returns 0 or a negative errno from sd_bus_send(). */
int dbidl_pending_send(dbidl_pending *pending, sd_bus_message *reply);
/* Answer with the D-Bus error `error` and free the pending call. */
int dbidl_pending_reply_error(dbidl_pending *pending, const sd_bus_error *error);
/* Answer with an errno's standard D-Bus error and free the pending call. */
int dbidl_pending_reply_errno(dbidl_pending *pending, int error);
/*
 * Cancel every pending call of `bus`: each caller gets
 * org.freedesktop.DBus.Error.NoReply, each `cancelled` callback runs, each
 * pending call is freed.  Call it before closing a bus that may still have
 * unanswered calls (a pending call keeps its message, and so the bus,
 * alive).  dbidl_bus_run() does it when its loop ends.  Returns the number
 * cancelled, or -EINVAL.  Thread-safe with respect to other buses.
 */
int dbidl_bus_cancel_pending(sd_bus *bus);

/*
 * Limits on what one caller can make a service hold (quotas, as dbus-broker
 * has them), process-wide, with the defaults below; dbidl_limit_set() changes
 * one (value > 0) before or while serving.  Over a limit, the caller alone
 * gets org.freedesktop.DBus.Error.LimitsExceeded and everyone else is
 * served.  docs/runtime.md compares them with dbus-daemon's own limits.
 *
 * DBIDL_LIMIT_PENDING_PER_PEER: deferred calls (dbidl_defer()) one caller,
 * by its unique name, may have waiting.  Default 1024.
 * DBIDL_LIMIT_PENDING_BYTES_PER_PEER: the bytes of the arguments of those
 * calls together (as on the wire, without padding).  Default 64 MiB, twice
 * dbus-daemon's default max_message_size.
 * Over either, dbidl_defer() returns -ENOBUFS, which the skeleton answers as
 * LimitsExceeded.  Calls without a sender (peer-to-peer) count per bus.
 * DBIDL_LIMIT_BLOB_SIZE: the largest blob (dbidl/blob.h) a service or client
 * accepts, in bytes.  Default 4 GiB.  A larger one is refused before it is
 * mapped: -EFBIG, which a skeleton answers as InvalidArgs naming the argument.
 *
 * dbidl_limit_set returns 0 or -EINVAL (unknown limit, value 0);
 * dbidl_limit_get returns the value, or 0 for an unknown limit.  Both are
 * thread-safe.
 */
typedef enum dbidl_limit {
        DBIDL_LIMIT_PENDING_PER_PEER,
        DBIDL_LIMIT_PENDING_BYTES_PER_PEER,
        DBIDL_LIMIT_BLOB_SIZE,
        _DBIDL_LIMIT_MAX,
} dbidl_limit;
#define DBIDL_LIMIT_PENDING_PER_PEER_DEFAULT 1024
#define DBIDL_LIMIT_PENDING_BYTES_PER_PEER_DEFAULT (UINT64_C(64) << 20)
#define DBIDL_LIMIT_BLOB_SIZE_DEFAULT (UINT64_C(4) << 30)
int dbidl_limit_set(dbidl_limit limit, uint64_t value);
uint64_t dbidl_limit_get(dbidl_limit limit);

/* ---- caller identity ---- */

/*
 * The caller of `call` (inside a method handler, or of a pending call): its
 * unique name (borrowed, valid as long as the message), and its uid and pid
 * as the bus driver vouches for them (sd_bus_query_sender_creds() with
 * SD_BUS_CREDS_EUID / SD_BUS_CREDS_PID, asking the bus if needed).  Return 0,
 * -EINVAL, -ENODATA if the bus cannot tell, or another negative errno.
 */
const char *dbidl_call_get_sender(sd_bus_message *call);
int dbidl_call_get_uid(sd_bus_message *call, uid_t *ret);
int dbidl_call_get_pid(sd_bus_message *call, pid_t *ret);

#ifdef __cplusplus
}
#endif

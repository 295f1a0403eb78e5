/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/defer.c — deferred replies: the callers they wait for, followed with one match per bus, and their quotas */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/object.h>

#include "common/hashmap.h"
#include "runtime/util.h"

/*
 * How a pending call learns that its caller went away, at no cost per call:
 *
 * - Each bus with pending calls has a `deferrals`: its callers (`peer`, one
 *   per unique name, with the list of its pending calls) and one match on
 *   the bus driver's NameOwnerChanged signals that end a unique name
 *   (arg2=''), added once for the bus, asynchronously, and kept for the
 *   bus's lifetime.  A caller costs no match rule of its own, so the bus's
 *   max_match_rules_per_connection can never be reached through deferrals
 *   (dbus-daemon's session default is 50,000; it was one per call before).
 * - Until the bus has answered the AddMatch, a new caller is asked after
 *   once with NameHasOwner, sent after the AddMatch: the bus answers in
 *   order, so a caller that left before the match was in place shows up as
 *   gone there.  Once the match is confirmed, deferring is local work only.
 * - If the bus refuses the match (a limit of its own), every call waiting on
 *   it is answered with LimitsExceeded and cancelled, never left silent, and
 *   the connection stays up: the match has an install callback (sd-bus
 *   closes the connection when an async AddMatch without one fails).  The
 *   next deferral tries again.
 * - Answering or cancelling a pending call unlinks it from its caller's
 *   list: O(1).  Cancelling a bus's calls walks its lists once: O(n).
 * - A caller may have at most dbidl_limit_get(DBIDL_LIMIT_PENDING_PER_PEER)
 *   pending calls, whose arguments add up to at most
 *   DBIDL_LIMIT_PENDING_BYTES_PER_PEER bytes (args_size(): one pass over the
 *   message, O(n)); over either, dbidl_defer() fails with -ENOBUFS, which the
 *   skeleton answers as org.freedesktop.DBus.Error.LimitsExceeded to that
 *   caller alone.  Calls without a sender (a peer-to-peer connection, whose
 *   one peer is the connection) count against the same limits per bus.
 *
 * Everything of one bus belongs to the thread that runs the bus, as sd-bus
 * does; only the list of buses is shared, under a mutex.
 */

typedef struct deferrals deferrals;
typedef struct peer peer;

struct dbidl_pending {
        dbidl_pending *prev, *next;     /* in its peer's list, or the bus's list of calls without a sender */
        deferrals *owner;
        peer *peer;                     /* NULL for a call without a sender (a peer-to-peer connection) */
        sd_bus_message *call;
        uint64_t bytes;                 /* args_size(call), counted in its caller's quota */
        dbidl_cancelled_fn cancelled;
        void *userdata;
};

struct peer {
        peer *prev, *next;              /* in owner->peers */
        deferrals *owner;
        char *name;                     /* the caller's unique name */
        dbidl_pending *pending;
        uint64_t n_pending, bytes;      /* its pending calls, and the bytes of their arguments */
        sd_bus_slot *check;             /* NameHasOwner in flight, or NULL */
};

struct deferrals {
        deferrals *prev, *next;         /* in `all_deferrals` */
        sd_bus *bus;                    /* not a reference: every pending call's message holds one */
        sd_bus_slot *match;             /* NameOwnerChanged arg2='', or NULL: no caller with a sender yet */
        bool match_ready;               /* the bus confirmed the match */
        peer *peers;
        hashmap by_name;                /* unique name → peer (the keys are the peers' own names) */
        dbidl_pending *anonymous;       /* pending calls without a sender */
        uint64_t n_anonymous, anonymous_bytes;
};

static deferrals *all_deferrals;
static pthread_mutex_t deferrals_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- limits ---- */

static _Atomic uint64_t limits[_DBIDL_LIMIT_MAX] = {
        [DBIDL_LIMIT_PENDING_PER_PEER] = DBIDL_LIMIT_PENDING_PER_PEER_DEFAULT,
        [DBIDL_LIMIT_PENDING_BYTES_PER_PEER] = DBIDL_LIMIT_PENDING_BYTES_PER_PEER_DEFAULT,
        [DBIDL_LIMIT_BLOB_SIZE] = DBIDL_LIMIT_BLOB_SIZE_DEFAULT,
};

_public_ int dbidl_limit_set(dbidl_limit limit, uint64_t value) {
        return_if_fail((unsigned) limit < _DBIDL_LIMIT_MAX && value > 0, -EINVAL);
        limits[limit] = value;
        return 0;
}

_public_ uint64_t dbidl_limit_get(dbidl_limit limit) {
        return (unsigned) limit < _DBIDL_LIMIT_MAX ? limits[limit] : 0;
}

/* ---- the bus's state ---- */

static deferrals *deferrals_find(sd_bus *bus) {
        pthread_mutex_lock(&deferrals_lock);
        deferrals *d = all_deferrals;
        while (d && d->bus != bus)
                d = d->next;
        pthread_mutex_unlock(&deferrals_lock);
        return d;
}

static deferrals *deferrals_get(sd_bus *bus) {
        deferrals *d = deferrals_find(bus);
        if (d)
                return d;
        d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        d->bus = bus;
        hashmap_init(&d->by_name, &string_hash_ops);
        pthread_mutex_lock(&deferrals_lock);
        LIST_PREPEND(all_deferrals, d);
        pthread_mutex_unlock(&deferrals_lock);
        return d;
}

/* Free `d` once nothing is left in it: no caller, no call, no match. */
static void deferrals_release(deferrals *d) {
        if (d->peers || d->anonymous || d->match)
                return;
        pthread_mutex_lock(&deferrals_lock);
        LIST_REMOVE(all_deferrals, d);
        pthread_mutex_unlock(&deferrals_lock);
        hashmap_clear(&d->by_name);
        free(d);
}

/* The caller `name` of `d`, or NULL: O(1), for every deferral and every NameOwnerChanged on the bus. */
static peer *peer_find(deferrals *d, const char *name) {
        void *p = NULL;
        return hashmap_get(&d->by_name, name, &p) ? p : NULL;
}

static void peer_free(peer *p) {
        deferrals *d = p->owner;
        sd_bus_slot_unref(p->check);
        (void) hashmap_remove(&d->by_name, p->name, NULL);
        LIST_REMOVE(d->peers, p);
        free(p->name);
        free(p);
}

/* ---- pending calls ---- */

static void pending_unlink(dbidl_pending *p) {
        if (p->peer) {
                LIST_REMOVE(p->peer->pending, p);
                p->peer->n_pending--;
                p->peer->bytes -= p->bytes;
                if (!p->peer->pending)
                        peer_free(p->peer);
        } else {
                LIST_REMOVE(p->owner->anonymous, p);
                p->owner->n_anonymous--;
                p->owner->anonymous_bytes -= p->bytes;
        }
}

/* The size of the values from the read position to the end of the current container of `m`, as the wire gives it
 * without padding: fixed-size values their size, strings, object paths and signatures their length and prefix, arrays
 * of fixed-size values in one step (sd_bus_message_read_array(): O(1)).  Containers nest at most 64 deep (sd-bus
 * refuses deeper messages), which bounds the recursion. */
static int values_size(sd_bus_message *m, uint64_t *size) {
        for (;;) {
                const char *contents = NULL;
                char type;
                int r = sd_bus_message_peek_type(m, &type, &contents);
                if (r <= 0)
                        return r;
                if (type == 'a' && contents[0] && !contents[1] && strchr("ybnqiuxtd", contents[0])) {
                        const void *data;
                        size_t n;
                        r = sd_bus_message_read_array(m, contents[0], &data, &n);
                        *size += 4 + n;
                } else if (contents) {
                        r = sd_bus_message_enter_container(m, type, contents);
                        if (r >= 0)
                                r = values_size(m, size);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                        *size += 4 + (type == 'v' ? strlen(contents) + 2 : 0);
                } else if (strchr("sog", type)) {
                        const char *text;
                        r = sd_bus_message_read_basic(m, type, &text);
                        *size += (type == 'g' ? 2 : 5) + (r >= 0 ? strlen(text) : 0);
                } else {
                        uint64_t value;
                        r = sd_bus_message_read_basic(m, type, &value);
                        *size += strchr("ybnq", type) ? (type == 'y' ? 1 : type == 'n' || type == 'q' ? 2 : 4) :
                                 strchr("xtd", type) ? 8 : 4;
                }
                if (r < 0)
                        return r;
        }
}

/* The bytes of the arguments of `call`, for the quota: read from the start, and rewound again afterwards (the
 * handler has read its inputs already; what it borrowed stays valid, as rewinding moves no data). */
static int args_size(sd_bus_message *call, uint64_t *ret) {
        uint64_t size = 0;
        int r = sd_bus_message_rewind(call, true);
        if (r >= 0)
                r = values_size(call, &size);
        (void) sd_bus_message_rewind(call, true);
        *ret = size;
        return r < 0 ? r : 0;
}

/* Unlink and free `p`, running its `cancelled` callback if `cancel`; then free what is left empty. */
static void pending_free(dbidl_pending *p, bool cancel) {
        deferrals *d = p->owner;
        pending_unlink(p);
        if (cancel && p->cancelled)
                p->cancelled(p, p->userdata);
        sd_bus_message_unref(p->call);
        free(p);
        deferrals_release(d);
}

/* Cancel every pending call of `who` (the caller went away), without answering: no one listens. */
static void peer_gone(peer *who) {
        /* the last pending_free() frees the peer itself */
        while (who->pending && who->pending->next)
                pending_free(who->pending, true);
        if (who->pending)
                pending_free(who->pending, true);
}

/* Answer every pending call with a sender with `error` and cancel it (the bus refused to follow callers). */
static void deferrals_refuse_all(deferrals *d, const char *error, const char *message) {
        while (d->peers) {
                dbidl_pending *p = d->peers->pending;
                (void) sd_bus_reply_method_errorf(p->call, error, "%s", message);
                pending_free(p, true);
        }
}

static int on_name_gone(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        deferrals *d = userdata;
        const char *name, *old_owner, *new_owner;
        (void) ret_error;
        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 || name[0] != ':' || new_owner[0])
                return 0;
        peer *who = peer_find(d, name);
        if (who)
                peer_gone(who);
        return 0;
}

static void match_destroyed(void *userdata) {
        deferrals *d = userdata;
        d->match = NULL;
        d->match_ready = false;
        deferrals_release(d);
}

static int on_match_installed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        deferrals *d = userdata;
        (void) ret_error;
        if (!sd_bus_message_is_method_error(m, NULL)) {
                d->match_ready = true;
                return 0;
        }
        /* the bus refused the match (max_match_rules_per_connection, or memory): answer, stay connected, and let
         * the next deferral try again */
        const sd_bus_error *e = sd_bus_message_get_error(m);
        char text[256];
        snprintf(text, sizeof text, "The service cannot follow its callers: the bus refused a match rule (%s)",
                 e && e->name ? e->name : "no reason given");
        /* sd-bus disconnects a floating match whose installation failed right after this callback returns; its
         * destroy callback, match_destroyed(), then releases `d` (which keeps its match, so freeing the last call
         * here does not free `d`) */
        deferrals_refuse_all(d, SD_BUS_ERROR_LIMITS_EXCEEDED, text);
        d->match_ready = false;
        return 0;
}

/* The match on ended unique names, once per bus (asynchronous; see above). */
static int deferrals_watch(deferrals *d) {
        if (d->match)
                return 0;
        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_match_async(d->bus, &slot,
                                       "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                       "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg2=''",
                                       on_name_gone, on_match_installed, d);
        if (r < 0)
                return r;
        r = sd_bus_slot_set_destroy_callback(slot, match_destroyed);
        if (r >= 0)
                r = sd_bus_slot_set_floating(slot, 1);
        if (r < 0) {
                (void) sd_bus_slot_set_destroy_callback(slot, NULL);
                sd_bus_slot_unref(slot);
                return r;
        }
        /* floating: the bus holds the only reference, and d->match stays valid until match_destroyed() */
        d->match = slot;
        sd_bus_slot_unref(slot);
        d->match_ready = false;
        return 0;
}

/* The answer to NameHasOwner(caller), asked while the match was not confirmed yet. */
static int on_caller_check(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        peer *who = userdata;
        int has_owner = 1;
        (void) ret_error;
        who->check = sd_bus_slot_unref(who->check);
        if (!sd_bus_message_is_method_error(m, NULL) && sd_bus_message_read(m, "b", &has_owner) >= 0 && !has_owner)
                peer_gone(who);
        return 0;
}

/* The caller `name` of `d`, added if new (with its NameHasOwner check while the match is unconfirmed). */
static int peer_get(deferrals *d, const char *name, peer **ret) {
        peer *who = peer_find(d, name);
        if (who) {
                *ret = who;
                return 0;
        }
        int r = deferrals_watch(d);
        if (r < 0)
                return r;
        who = calloc(1, sizeof(*who));
        if (!who)
                return -ENOMEM;
        who->owner = d;
        who->name = strdup(name);
        if (!who->name) {
                free(who);
                return -ENOMEM;
        }
        if (!d->match_ready) {
                r = sd_bus_call_method_async(d->bus, &who->check, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "NameHasOwner", on_caller_check, who, "s", name);
                if (r < 0) {
                        free(who->name);
                        free(who);
                        return r;
                }
        }
        r = hashmap_put(&d->by_name, who->name, who, NULL);
        if (r < 0) {
                sd_bus_slot_unref(who->check);
                free(who->name);
                free(who);
                return r;
        }
        LIST_PREPEND(d->peers, who);
        *ret = who;
        return 0;
}

/* Whether a caller with `n` calls waiting, holding `held` bytes, is over a quota with one more call of `bytes`. */
static bool over_quota(uint64_t n, uint64_t held, uint64_t bytes) {
        uint64_t max_bytes = limits[DBIDL_LIMIT_PENDING_BYTES_PER_PEER];
        return n >= limits[DBIDL_LIMIT_PENDING_PER_PEER] || held > max_bytes || bytes > max_bytes - held;
}

_public_ int dbidl_defer(sd_bus_message *call, dbidl_cancelled_fn cancelled, void *userdata, dbidl_pending **ret) {
        return_if_fail(call && ret, -EINVAL);
        deferrals *d = deferrals_get(sd_bus_message_get_bus(call));
        if (!d)
                return -ENOMEM;
        const char *sender = sd_bus_message_get_sender(call);
        peer *who = NULL;
        uint64_t bytes = 0;
        int r = args_size(call, &bytes);
        if (r >= 0 && sender)
                r = peer_get(d, sender, &who);
        if (r >= 0 && over_quota(who ? who->n_pending : d->n_anonymous, who ? who->bytes : d->anonymous_bytes, bytes))
                r = -ENOBUFS;
        dbidl_pending *p = r >= 0 ? calloc(1, sizeof(*p)) : NULL;
        if (!p) {
                if (who && !who->pending)
                        peer_free(who);
                deferrals_release(d);
                return r < 0 ? r : -ENOMEM;
        }
        p->owner = d;
        p->peer = who;
        p->call = sd_bus_message_ref(call);
        p->bytes = bytes;
        p->cancelled = cancelled;
        p->userdata = userdata;
        if (who) {
                LIST_PREPEND(who->pending, p);
                who->n_pending++;
                who->bytes += bytes;
        } else {
                LIST_PREPEND(d->anonymous, p);
                d->n_anonymous++;
                d->anonymous_bytes += bytes;
        }
        *ret = p;
        return DBIDL_DEFERRED;
}

_public_ int dbidl_bus_cancel_pending(sd_bus *bus) {
        return_if_fail(bus, -EINVAL);
        deferrals *d = deferrals_find(bus);
        int n = 0;
        /* tell each caller, if it still listens, then cancel: pending_free() runs `cancelled` */
        for (dbidl_pending *p; d && (p = d->peers ? d->peers->pending : d->anonymous); n++) {
                /* freeing the last call of a bus without a match frees its `d` too */
                bool last = !p->next && (p->peer ? !p->peer->next && !d->anonymous : !d->peers) && !d->match;
                (void) sd_bus_reply_method_errorf(p->call, SD_BUS_ERROR_NO_REPLY,
                                                  "The service stopped before answering");
                pending_free(p, true);
                if (last)
                        d = NULL;
        }
        return n;
}

_public_ sd_bus_message *dbidl_pending_get_call(const dbidl_pending *pending) {
        return pending ? pending->call : NULL;
}

_public_ int dbidl_pending_new_return(dbidl_pending *pending, sd_bus_message **ret) {
        return_if_fail(pending && ret, -EINVAL);
        return sd_bus_message_new_method_return(pending->call, ret);
}

_public_ int dbidl_pending_send(dbidl_pending *pending, sd_bus_message *reply) {
        return_if_fail(pending && reply, -EINVAL);
        int r = sd_bus_send(NULL, reply, NULL);
        pending_free(pending, false);
        return r < 0 ? r : 0;
}

_public_ int dbidl_pending_reply_error(dbidl_pending *pending, const sd_bus_error *error) {
        return_if_fail(pending && error, -EINVAL);
        int r = sd_bus_reply_method_error(pending->call, error);
        pending_free(pending, false);
        return r < 0 ? r : 0;
}

_public_ int dbidl_pending_reply_errno(dbidl_pending *pending, int error) {
        return_if_fail(pending, -EINVAL);
        int r = sd_bus_reply_method_errno(pending->call, error < 0 ? -error : error, NULL);
        pending_free(pending, false);
        return r < 0 ? r : 0;
}

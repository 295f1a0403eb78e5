/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/object.c — exporting generated vtables, object managers, deferred replies, caller identity */

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/object.h>

#include "runtime/util.h"

/* An export: the dbidl_object generated trampolines see, and what InterfacesRemoved needs. */
typedef struct object_export {
        dbidl_object object;            /* first: the vtable's userdata points here */
        sd_bus *bus;                    /* not a reference: the slot dies with the bus */
        char *path;
        char *interface;
} object_export;

static void object_export_free(void *userdata) {
        object_export *x = userdata;
        /* unexported while the bus is up: tell the object manager's clients (ignored without one) */
        if (sd_bus_is_open(x->bus) > 0)
                (void) sd_bus_emit_interfaces_removed(x->bus, x->path, x->interface, NULL);
        free(x->path);
        free(x->interface);
        free(x);
}

/* Make `slot` the caller's, or floating (owned by the bus). */
static int hand_out(sd_bus_slot *slot, sd_bus_slot **ret_slot) {
        if (ret_slot) {
                *ret_slot = slot;
                return 0;
        }
        int r = sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
        return r < 0 ? r : 0;
}

_public_ int dbidl_object_export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                        const void *handlers, void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(bus && vtable && handlers, -EINVAL);
        return_if_fail(path && sd_bus_object_path_is_valid(path), -EINVAL);
        return_if_fail(interface && sd_bus_interface_name_is_valid(interface), -EINVAL);

        object_export *x = calloc(1, sizeof(*x));
        if (!x)
                return -ENOMEM;
        x->object.handlers = handlers;
        x->object.userdata = userdata;
        x->bus = bus;
        x->path = strdup(path);
        x->interface = strdup(interface);
        if (!x->path || !x->interface) {
                free(x->path);
                free(x->interface);
                free(x);
                return -ENOMEM;
        }

        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_object_vtable(bus, &slot, path, interface, vtable, &x->object);
        if (r < 0) {
                free(x->path);
                free(x->interface);
                free(x);
                return r;
        }
        r = sd_bus_slot_set_destroy_callback(slot, object_export_free);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                free(x->path);
                free(x->interface);
                free(x);
                return r;
        }
        /* best effort: fails harmlessly when no object manager covers the path */
        (void) sd_bus_emit_interfaces_added(bus, path, interface, NULL);
        return hand_out(slot, ret_slot);
}

_public_ int dbidl_bus_add_object_manager(sd_bus *bus, const char *path, sd_bus_slot **ret_slot) {
        return_if_fail(bus && path && sd_bus_object_path_is_valid(path), -EINVAL);
        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_object_manager(bus, &slot, path);
        if (r < 0)
                return r;
        return hand_out(slot, ret_slot);
}

_public_ int dbidl_object_not_supported(sd_bus_error *ret_error, const char *interface, const char *member) {
        return sd_bus_error_setf(ret_error, SD_BUS_ERROR_NOT_SUPPORTED, "%s.%s is not implemented by this service",
                                 interface, member);
}

_public_ int dbidl_object_invalid_args(sd_bus_error *ret_error, const char *member, const char *argument, int r) {
        const char *why = invalid_value_reason(r);
        if (argument)
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS,
                                         "Invalid value for argument '%s' of %s: %s", argument, member, why);
        else
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid arguments for %s: %s",
                                         member, why);
        return -EINVAL;
}

_public_ int dbidl_object_invalid_property(sd_bus_error *ret_error, const char *property, int r) {
        const char *why = invalid_value_reason(r);
        (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid value for property '%s': %s", property,
                                 why);
        return -EINVAL;
}

_public_ int dbidl_object_reply_failed(sd_bus_error *ret_error, const char *member, const char *output, int r) {
        (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_FAILED,
                                 "The service could not send output '%s' of %s: %s", output, member,
                                 strerror(r < 0 ? -r : r));
        return -EIO;
}

/* ---- deferred replies ---- */

struct dbidl_pending {
        struct dbidl_pending *prev, *next;      /* every pending call of the process, for dbidl_bus_cancel_pending() */
        sd_bus_message *call;
        sd_bus_slot *watch;             /* floating match on the caller's disappearance; owns the pending call */
        sd_bus_slot *check;             /* NameHasOwner in flight: was the caller gone before the watch was set? */
        dbidl_cancelled_fn cancelled;
        void *userdata;
        bool answered;
};

/*
 * Pending calls of every bus.  A pending call holds its message, and the
 * message its bus: closing the bus cannot free them, so the application
 * cancels them with dbidl_bus_cancel_pending() first.  Guarded by a mutex
 * only because buses of different threads share the list.
 */
static dbidl_pending *pending_list;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static void pending_link(dbidl_pending *p) {
        pthread_mutex_lock(&pending_lock);
        p->next = pending_list;
        if (pending_list)
                pending_list->prev = p;
        pending_list = p;
        pthread_mutex_unlock(&pending_lock);
}

static void pending_unlink(dbidl_pending *p) {
        pthread_mutex_lock(&pending_lock);
        if (p->prev)
                p->prev->next = p->next;
        else if (pending_list == p)
                pending_list = p->next;
        if (p->next)
                p->next->prev = p->prev;
        p->prev = p->next = NULL;
        pthread_mutex_unlock(&pending_lock);
}

static void pending_free(dbidl_pending *p) {
        pending_unlink(p);
        sd_bus_slot_unref(p->check);
        if (!p->answered && p->cancelled)
                p->cancelled(p, p->userdata);
        sd_bus_message_unref(p->call);
        free(p);
}

/* The watch slot goes: the caller vanished, the bus closed, or the call was answered. */
static void pending_watch_destroyed(void *userdata) {
        pending_free(userdata);
}

static int on_caller_gone(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_pending *p = userdata;
        (void) m;
        (void) ret_error;
        /* never answered, and now no one is listening: free it (cancelled runs from the destroy callback) */
        sd_bus_slot_unref(p->watch);
        return 0;
}

/*
 * The answer to NameHasOwner(caller), asked right after AddMatch: the bus answers in order, so a caller
 * that left before the match was in place (its NameOwnerChanged went unseen) shows up here as gone.
 */
static int on_caller_check(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_pending *p = userdata;
        int has_owner = 1;
        (void) ret_error;
        p->check = sd_bus_slot_unref(p->check);
        if (!sd_bus_message_is_method_error(m, NULL) && sd_bus_message_read(m, "b", &has_owner) >= 0 && !has_owner)
                sd_bus_slot_unref(p->watch); /* frees p; cancelled runs from the destroy callback */
        return 0;
}

_public_ int dbidl_defer(sd_bus_message *call, dbidl_cancelled_fn cancelled, void *userdata, dbidl_pending **ret) {
        return_if_fail(call && ret, -EINVAL);
        dbidl_pending *p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        p->call = sd_bus_message_ref(call);
        p->cancelled = cancelled;
        p->userdata = userdata;
        pending_link(p);

        const char *sender = sd_bus_message_get_sender(call);
        if (sender) {
                char *rule = NULL;
                if (asprintf(&rule,
                             "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                             "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='%s',arg2=''",
                             sender) < 0) {
                        p->answered = true;
                        pending_free(p);
                        return -ENOMEM;
                }
                sd_bus *bus = sd_bus_message_get_bus(call);
                int r = sd_bus_add_match_async(bus, &p->watch, rule, on_caller_gone, NULL, p);
                free(rule);
                if (r >= 0)
                        r = sd_bus_slot_set_destroy_callback(p->watch, pending_watch_destroyed);
                if (r >= 0)
                        r = sd_bus_slot_set_floating(p->watch, 1);
                if (r < 0) {
                        p->answered = true; /* no cancellation: the handler reports the failure itself */
                        if (p->watch) {
                                (void) sd_bus_slot_set_destroy_callback(p->watch, NULL);
                                sd_bus_slot_unref(p->watch);
                        }
                        pending_free(p);
                        return r;
                }
                /* floating: the bus holds the only reference now; p->watch stays valid until it goes */
                sd_bus_slot_unref(p->watch);
                r = sd_bus_call_method_async(bus, &p->check, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "NameHasOwner", on_caller_check, p, "s",
                                             sender);
                if (r < 0) {
                        p->answered = true;
                        sd_bus_slot_unref(p->watch); /* frees p */
                        return r;
                }
        }
        *ret = p;
        return DBIDL_DEFERRED;
}

/* The first pending call of `bus`, or NULL. */
static dbidl_pending *pending_of_bus(sd_bus *bus) {
        pthread_mutex_lock(&pending_lock);
        dbidl_pending *p = pending_list;
        while (p && sd_bus_message_get_bus(p->call) != bus)
                p = p->next;
        pthread_mutex_unlock(&pending_lock);
        return p;
}

_public_ int dbidl_bus_cancel_pending(sd_bus *bus) {
        return_if_fail(bus, -EINVAL);
        int n = 0;
        for (dbidl_pending *p; (p = pending_of_bus(bus)); n++) {
                /* tell the caller, if it still listens, then cancel: free runs `cancelled` */
                (void) sd_bus_reply_method_errorf(p->call, SD_BUS_ERROR_NO_REPLY,
                                                  "The service stopped before answering");
                if (p->watch)
                        sd_bus_slot_unref(p->watch); /* frees p */
                else
                        pending_free(p);
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

/* Forget the pending call after its answer was sent (or could not be). */
static void pending_done(dbidl_pending *p) {
        p->answered = true;
        if (p->watch)
                sd_bus_slot_unref(p->watch); /* floating: this frees the slot, and p with it */
        else
                pending_free(p);
}

_public_ int dbidl_pending_send(dbidl_pending *pending, sd_bus_message *reply) {
        return_if_fail(pending && reply, -EINVAL);
        int r = sd_bus_send(NULL, reply, NULL);
        pending_done(pending);
        return r < 0 ? r : 0;
}

_public_ int dbidl_pending_reply_error(dbidl_pending *pending, const sd_bus_error *error) {
        return_if_fail(pending && error, -EINVAL);
        int r = sd_bus_reply_method_error(pending->call, error);
        pending_done(pending);
        return r < 0 ? r : 0;
}

_public_ int dbidl_pending_reply_errno(dbidl_pending *pending, int error) {
        return_if_fail(pending, -EINVAL);
        int r = sd_bus_reply_method_errno(pending->call, error < 0 ? -error : error, NULL);
        pending_done(pending);
        return r < 0 ? r : 0;
}

/* ---- caller identity ---- */

_public_ const char *dbidl_call_get_sender(sd_bus_message *call) {
        return call ? sd_bus_message_get_sender(call) : NULL;
}

static int query_creds(sd_bus_message *call, uint64_t mask, sd_bus_creds **ret) {
        return_if_fail(call && ret, -EINVAL);
        return sd_bus_query_sender_creds(call, mask, ret);
}

_public_ int dbidl_call_get_uid(sd_bus_message *call, uid_t *ret) {
        return_if_fail(ret, -EINVAL);
        sd_bus_creds *c = NULL;
        int r = query_creds(call, SD_BUS_CREDS_EUID, &c);
        if (r >= 0)
                r = sd_bus_creds_get_euid(c, ret);
        sd_bus_creds_unref(c);
        return r < 0 ? r : 0;
}

_public_ int dbidl_call_get_pid(sd_bus_message *call, pid_t *ret) {
        return_if_fail(ret, -EINVAL);
        sd_bus_creds *c = NULL;
        int r = query_creds(call, SD_BUS_CREDS_PID, &c);
        if (r >= 0)
                r = sd_bus_creds_get_pid(c, ret);
        sd_bus_creds_unref(c);
        return r < 0 ? r : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/bus.c — opening connections, owning well-known names, running a bus on an sd-event loop */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <dbidl/bus.h>
#include <dbidl/object.h>

#include "runtime/util.h"

/* The session bus (sd_bus_open_user()); see bus.h for errors.  Owned by the caller. */
_public_ int dbidl_bus_open_session(sd_bus **ret) {
        return_if_fail(ret, -EINVAL);

        return sd_bus_open_user(ret);
}

/* The system bus (sd_bus_open_system()); see bus.h for errors.  Owned by the caller. */
_public_ int dbidl_bus_open_system(sd_bus **ret) {
        return_if_fail(ret, -EINVAL);

        return sd_bus_open_system(ret);
}

/* A started (not yet authenticated) connection to `address`: a bus client (Hello), or a peer with fds. */
static int connect_address(const char *address, bool bus_client, sd_bus **ret) {
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        int r;

        return_if_fail(address, -EINVAL);
        return_if_fail(ret, -EINVAL);

        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r < 0)
                return r;
        r = sd_bus_set_bus_client(bus, bus_client);
        if (r < 0)
                return r;
        if (!bus_client) {
                r = sd_bus_negotiate_fds(bus, 1);
                if (r < 0)
                        return r;
        }
        r = sd_bus_start(bus);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(bus);
        return 0;
}

/*
 * A bus client connection (Hello sent) to the D-Bus server at `address`;
 * see bus.h for errors.  Owned by the caller.
 */
_public_ int dbidl_bus_open_address(const char *address, sd_bus **ret) {
        return connect_address(address, true, ret);
}

/*
 * A peer-to-peer connection (no Hello) to the server at `address`, authenticated before it is returned; see
 * bus.h for errors.  Owned by the caller.
 */
_public_ int dbidl_bus_open_peer(const char *address, uint64_t timeout_usec, sd_bus **ret) {
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        struct timespec ts;
        int r;

        r = connect_address(address, false, &bus);
        if (r < 0)
                return r;

        /* the handshake, so that a refusal is this call's answer and not the first method call's */
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t now = (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
        uint64_t deadline = now + (timeout_usec ? timeout_usec : UINT64_C(25000000));
        for (;;) {
                r = sd_bus_is_ready(bus);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if (sd_bus_is_open(bus) <= 0)
                        return -ECONNRESET;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                now = (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
                if (now >= deadline)
                        return -ETIMEDOUT;
                r = sd_bus_wait(bus, deadline - now);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(bus);
        return 0;
}

/*
 * Request `name` (blocking): 1 owned (now or already), 0 queued, -EEXIST
 * taken and not queued, -EINVAL for bad arguments, or what sd-bus returns.
 */
_public_ int dbidl_bus_request_name(sd_bus *bus, const char *name, uint64_t flags) {
        int r;

        return_if_fail(bus, -EINVAL);
        return_if_fail(name, -EINVAL);

        r = sd_bus_request_name(bus, name, flags);
        if (r == -EALREADY)
                return 1;
        if (r < 0)
                return r;
        return r > 0 ? 1 : 0;
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

/*
 * Run `bus` on `event` (NULL: the thread's default loop) until the loop is
 * told to exit, or SIGINT/SIGTERM arrives (exit code 0).  The signals are
 * blocked while the loop runs and the previous mask is restored afterwards;
 * if the loop already has a source for one of them, that source is left to
 * handle it.  A bus this call attached to the loop is detached again.
 * Returns the loop's exit code, -EINVAL for a NULL bus, -EBUSY if the bus is
 * attached to another loop, or what sd-event/sd-bus return.  Call it from the
 * thread that owns the loop.
 */
_public_ int dbidl_bus_run(sd_bus *bus, sd_event *event) {
        _cleanup_(sd_event_unrefp) sd_event *e = NULL;
        _cleanup_(sd_event_source_unrefp) sd_event_source *s_int = NULL, *s_term = NULL;
        sd_event *attached_to;
        bool attached = false;
        sigset_t mask, old_mask;
        int r;

        return_if_fail(bus, -EINVAL);

        if (event)
                e = sd_event_ref(event);
        else {
                r = sd_event_default(&e);
                if (r < 0)
                        return r;
        }

        attached_to = sd_bus_get_event(bus);
        if (!attached_to) {
                r = sd_bus_attach_event(bus, e, SD_EVENT_PRIORITY_NORMAL);
                if (r < 0)
                        return r;
                attached = true;
        } else if (attached_to != e)
                return -EBUSY;

        /* sd_event_add_signal() wants the signal blocked before (systemd < 253 cannot do it itself) */
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        if (sigprocmask(SIG_BLOCK, &mask, &old_mask) < 0) {
                r = -errno;
                goto finish;
        }

        r = sd_event_add_signal(e, &s_int, SIGINT, on_exit_signal, NULL);
        if (r < 0 && r != -EBUSY)
                goto restore;
        r = sd_event_add_signal(e, &s_term, SIGTERM, on_exit_signal, NULL);
        if (r < 0 && r != -EBUSY)
                goto restore;

        r = sd_event_loop(e);
        /* changes stored in the last iteration still go out */
        (void) dbidl_bus_flush_properties(bus);
        /* the loop is over: nobody will answer what was deferred, so tell the callers and free it */
        (void) dbidl_bus_cancel_pending(bus);

restore:
        s_int = sd_event_source_unref(s_int);
        s_term = sd_event_source_unref(s_term);
        (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
finish:
        if (attached)
                (void) sd_bus_detach_event(bus);
        return r;
}

/* ---- owning a name without blocking ---- */

typedef struct name_owner {
        sd_bus *bus;                    /* not a reference: the slots die with the bus */
        char *name;
        dbidl_name_fn callback;
        void *userdata;
        sd_bus_slot *request;           /* RequestName in flight */
        bool owned;
} name_owner;

static void name_owner_free(void *userdata) {
        name_owner *o = userdata;
        sd_bus_slot_unref(o->request);
        if (o->owned && sd_bus_is_open(o->bus) > 0)
                (void) sd_bus_release_name_async(o->bus, NULL, o->name, NULL, NULL);
        free(o->name);
        free(o);
}

static void name_owner_set(name_owner *o, bool owned) {
        if (o->owned == owned && owned)
                return; /* the reply and NameAcquired both tell */
        o->owned = owned;
        if (o->callback)
                o->callback(o->bus, o->name, owned, o->userdata);
}

static int on_request_name(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        name_owner *o = userdata;
        uint32_t reply;
        (void) ret_error;
        o->request = sd_bus_slot_unref(o->request);
        if (sd_bus_message_is_method_error(m, NULL) || sd_bus_message_read(m, "u", &reply) < 0) {
                name_owner_set(o, false);
                return 0;
        }
        switch (reply) {
        case 1: /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
        case 4: /* DBUS_REQUEST_NAME_REPLY_ALREADY_OWNER */
                name_owner_set(o, true);
                break;
        case 2: /* DBUS_REQUEST_NAME_REPLY_IN_QUEUE: NameAcquired will come */
                break;
        default: /* DBUS_REQUEST_NAME_REPLY_EXISTS */
                name_owner_set(o, false);
                break;
        }
        return 0;
}

static int on_name_signal(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        name_owner *o = userdata;
        const char *name;
        (void) ret_error;
        if (sd_bus_message_read(m, "s", &name) < 0 || strcmp(name, o->name) != 0)
                return 0;
        if (sd_bus_message_is_signal(m, "org.freedesktop.DBus", "NameAcquired"))
                name_owner_set(o, true);
        else if (sd_bus_message_is_signal(m, "org.freedesktop.DBus", "NameLost") && o->owned)
                name_owner_set(o, false);
        return 0;
}

/*
 * The AddMatch for NameAcquired/NameLost was answered.  A refusal (the bus's match limit) must not close the
 * connection, which is what sd-bus does for an async match without an install callback: the name is still
 * requested, and only a later loss of it goes unreported.
 */
static int on_name_match_installed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) m;
        (void) userdata;
        (void) ret_error;
        return 0;
}

_public_ int dbidl_bus_own_name(sd_bus *bus, const char *name, uint64_t flags, dbidl_name_fn callback, void *userdata,
                       sd_bus_slot **ret_slot) {
        return_if_fail(bus && name && sd_bus_service_name_is_valid(name) && name[0] != ':', -EINVAL);
        name_owner *o = calloc(1, sizeof(*o));
        if (!o)
                return -ENOMEM;
        o->bus = bus;
        o->callback = callback;
        o->userdata = userdata;
        o->name = strdup(name);
        char *rule = NULL;
        if (!o->name || asprintf(&rule,
                                 "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                 "interface='org.freedesktop.DBus',arg0='%s'",
                                 name) < 0) {
                free(o->name);
                free(o);
                return -ENOMEM;
        }
        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_match_async(bus, &slot, rule, on_name_signal, on_name_match_installed, o);
        free(rule);
        if (r < 0) {
                free(o->name);
                free(o);
                return r;
        }
        r = sd_bus_slot_set_destroy_callback(slot, name_owner_free);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                free(o->name);
                free(o);
                return r;
        }
        /* from here on the slot owns o */
        r = sd_bus_request_name_async(bus, &o->request, name, flags, on_request_name, o);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                return r;
        }
        if (ret_slot) {
                *ret_slot = slot;
                return 0;
        }
        r = sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
        return r < 0 ? r : 0;
}

/* ---- foreign event loops ---- */

_public_ int dbidl_bus_get_poll(sd_bus *bus, int *ret_fd, short *ret_events, uint64_t *ret_timeout_usec) {
        return_if_fail(bus && ret_fd && ret_events && ret_timeout_usec, -EINVAL);
        int fd = sd_bus_get_fd(bus);
        if (fd < 0)
                return fd;
        int events = sd_bus_get_events(bus);
        if (events < 0)
                return events;
        uint64_t until;
        int r = sd_bus_get_timeout(bus, &until);
        if (r < 0)
                return r;
        uint64_t rel = UINT64_MAX;
        if (until != UINT64_MAX) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                uint64_t now = (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
                rel = until > now ? until - now : 0;
        }
        *ret_fd = fd;
        *ret_events = (short) events;
        *ret_timeout_usec = rel;
        return 0;
}

_public_ int dbidl_bus_dispatch(sd_bus *bus) {
        return_if_fail(bus, -EINVAL);
        for (;;) {
                int r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r == 0)
                        return 0;
        }
}

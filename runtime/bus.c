/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/bus.c — opening connections, owning well-known names, running a bus on an sd-event loop */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <dbidl/bus.h>

#include "runtime/util.h"

/* The session bus (sd_bus_open_user()); see bus.h for errors.  Owned by the caller. */
int dbidl_bus_open_session(sd_bus **ret) {
        return_if_fail(ret, -EINVAL);

        return sd_bus_open_user(ret);
}

/* The system bus (sd_bus_open_system()); see bus.h for errors.  Owned by the caller. */
int dbidl_bus_open_system(sd_bus **ret) {
        return_if_fail(ret, -EINVAL);

        return sd_bus_open_system(ret);
}

/*
 * A bus client connection (Hello sent) to the D-Bus server at `address`;
 * see bus.h for errors.  Owned by the caller.
 */
int dbidl_bus_open_address(const char *address, sd_bus **ret) {
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
        r = sd_bus_set_bus_client(bus, 1);
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(bus);
        return 0;
}

/*
 * Request `name` (blocking): 1 owned (now or already), 0 queued, -EEXIST
 * taken and not queued, -EINVAL for bad arguments, or what sd-bus returns.
 */
int dbidl_bus_request_name(sd_bus *bus, const char *name, uint64_t flags) {
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
int dbidl_bus_run(sd_bus *bus, sd_event *event) {
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

restore:
        s_int = sd_event_source_unref(s_int);
        s_term = sd_event_source_unref(s_term);
        (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
finish:
        if (attached)
                (void) sd_bus_detach_event(bus);
        return r;
}

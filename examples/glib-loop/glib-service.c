/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/glib-loop/glib-service.c — glib-service: a dbidl service in a GLib main loop (a GSource for the bus) */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib-unix.h>

#include "glib-demo.h"

#define DEMO_PATH "/org/dbidl/GlibDemo1"
#define DEMO_NAME "org.dbidl.GlibDemo1"

typedef struct demo {
        sd_bus *bus;
        GMainLoop *loop;
        char *greeting;
        uint32_t calls;
        GList *waiting;                 /* HelloLater calls not answered yet */
        int exit_code;
} demo;

/* ---- the bus as a GSource: its fd, events and deadline from sd-bus, work from dbidl_bus_dispatch() ---- */

typedef struct bus_source {
        GSource source;
        sd_bus *bus;
        gpointer fd_tag;
        GIOCondition events;            /* what fd_tag watches now */
        demo *demo;
} bus_source;

/*
 * Bring the source in line with what the bus waits for now: the fd's events (POLLOUT only while messages wait
 * to be written) and the deadline of the next timeout (a call waiting for its reply; 0 while messages wait to
 * be processed).  sd_bus_get_timeout() gives the deadline as CLOCK_MONOTONIC µs, GLib's clock
 * (g_get_monotonic_time()), so it is the source's ready time as it is.  Both g_source_modify_unix_fd() and
 * g_source_set_ready_time() wake the main context, so they are called only when the value changed: an idle
 * bus leaves the loop asleep in poll().  Returns 0, or a negative errno of sd-bus.
 */
static int bus_source_update(bus_source *b) {
        int events = sd_bus_get_events(b->bus);
        if (events < 0)
                return events;
        /* GIOCondition's G_IO_IN/G_IO_OUT are poll(2)'s POLLIN/POLLOUT */
        if ((GIOCondition) events != b->events) {
                g_source_modify_unix_fd(&b->source, b->fd_tag, (GIOCondition) events);
                b->events = (GIOCondition) events;
        }
        uint64_t until;
        int r = sd_bus_get_timeout(b->bus, &until);
        if (r < 0)
                return r;
        gint64 ready_time = until == UINT64_MAX ? -1 : until > (uint64_t) G_MAXINT64 ? G_MAXINT64 : (gint64) until;
        if (ready_time != g_source_get_ready_time(&b->source))
                g_source_set_ready_time(&b->source, ready_time);
        return 0;
}

/*
 * Before the loop sleeps: the bus's events and deadline may have changed since the last dispatch (a reply
 * sent from a GLib timeout may wait to be written).  GLib itself then wakes the source when the fd is ready
 * or the ready time has come, so there is no check function.
 */
static gboolean bus_source_prepare(GSource *source, gint *timeout) {
        *timeout = -1; /* the ready time says when */
        return bus_source_update((bus_source *) source) < 0; /* an error: let dispatch find it */
}

static gboolean bus_source_dispatch(GSource *source, GSourceFunc callback, gpointer userdata) {
        bus_source *b = (bus_source *) source;
        (void) callback;
        (void) userdata;
        int r = dbidl_bus_dispatch(b->bus);
        if (r < 0) {
                fprintf(stderr, "glib-service: the bus connection failed: %s\n", strerror(-r));
                b->demo->exit_code = 1;
                g_main_loop_quit(b->demo->loop);
                return G_SOURCE_REMOVE;
        }
        return G_SOURCE_CONTINUE;
}

static GSourceFuncs bus_source_funcs = {
        .prepare = bus_source_prepare,
        .dispatch = bus_source_dispatch,
};

static GSource *bus_source_new(demo *d) {
        int fd = sd_bus_get_fd(d->bus);
        if (fd < 0) {
                fprintf(stderr, "glib-service: sd_bus_get_fd: %s\n", strerror(-fd));
                return NULL;
        }
        GSource *source = g_source_new(&bus_source_funcs, sizeof(bus_source));
        bus_source *b = (bus_source *) source;
        b->bus = d->bus;
        b->demo = d;
        b->events = G_IO_IN;
        b->fd_tag = g_source_add_unix_fd(source, fd, b->events);
        g_source_set_name(source, "dbidl bus");
        int r = bus_source_update(b);
        if (r < 0) {
                fprintf(stderr, "glib-service: cannot poll the bus: %s\n", strerror(-r));
                g_source_unref(source);
                return NULL;
        }
        return source;
}

/* ---- the service ---- */

/* "<Greeting>, <name>!" in malloc()'d memory (the skeleton frees outputs with free()); NULL without memory. */
static char *make_greeting(const demo *d, const char *name) {
        char *s = NULL;
        return asprintf(&s, "%s, %s!", d->greeting, name) < 0 ? NULL : s;
}

static void count_call(demo *d) {
        d->calls++;
        int r = demo_notify_calls(d->bus, DEMO_PATH);
        if (r < 0)
                fprintf(stderr, "glib-service: PropertiesChanged failed: %s\n", strerror(-r));
}

static int on_hello(sd_bus_message *call, void *userdata, const char *name, char **ret_greeting,
                    sd_bus_error *ret_error) {
        demo *d = userdata;
        (void) call;
        (void) ret_error;
        *ret_greeting = make_greeting(d, name);
        if (!*ret_greeting)
                return -ENOMEM;
        printf("Hello(\"%s\") = \"%s\"\n", name, *ret_greeting);
        count_call(d);
        return 0;
}

/* A HelloLater call waiting for its GLib timeout. */
typedef struct later {
        demo *demo;
        dbidl_pending *pending;
        char *name;
        guint timeout_id;
} later;

static void later_free(later *l) {
        l->demo->waiting = g_list_remove(l->demo->waiting, l);
        if (l->timeout_id)
                g_source_remove(l->timeout_id);
        g_free(l->name);
        g_free(l);
}

static gboolean on_later_elapsed(gpointer userdata) {
        later *l = userdata;
        char *greeting = make_greeting(l->demo, l->name);
        int r;
        if (greeting) {
                printf("HelloLater(\"%s\") = \"%s\" (deferred)\n", l->name, greeting);
                r = demo_reply_hello_later(l->pending, greeting); /* consumes the pending call */
        } else
                r = dbidl_pending_reply_errno(l->pending, -ENOMEM);
        if (r < 0)
                fprintf(stderr, "glib-service: deferred reply failed: %s\n", strerror(-r));
        else if (greeting)
                count_call(l->demo);
        free(greeting);
        l->timeout_id = 0; /* this source goes away with G_SOURCE_REMOVE */
        later_free(l);
        return G_SOURCE_REMOVE;
}

static void on_later_cancelled(dbidl_pending *pending, void *userdata) {
        later *l = userdata;
        (void) pending;
        printf("HelloLater(\"%s\"): the caller went away\n", l->name);
        later_free(l);
}

static int on_hello_later(sd_bus_message *call, void *userdata, const char *name, uint32_t delay_ms,
                          char **ret_greeting, sd_bus_error *ret_error) {
        demo *d = userdata;
        (void) ret_greeting;
        (void) ret_error;
        later *l = g_new0(later, 1);
        l->demo = d;
        l->name = g_strdup(name);
        int r = dbidl_defer(call, on_later_cancelled, l, &l->pending);
        if (r < 0) {
                later_free(l);
                return r;
        }
        l->timeout_id = g_timeout_add(delay_ms, on_later_elapsed, l);
        d->waiting = g_list_prepend(d->waiting, l);
        printf("HelloLater(\"%s\"): answering in %" PRIu32 " ms\n", name, delay_ms);
        return r; /* DBIDL_DEFERRED: answered from on_later_elapsed() */
}

static int get_greeting(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        demo *d = userdata;
        (void) ret_error;
        *ret_value = strdup(d->greeting);
        return *ret_value ? 0 : -ENOMEM;
}

static int set_greeting(void *userdata, const char *value, sd_bus_error *ret_error) {
        demo *d = userdata;
        if (!*value)
                return dbidl_error_invalid_args(ret_error, "Greeting must not be empty");
        g_free(d->greeting);
        d->greeting = g_strdup(value);
        printf("Greeting = \"%s\"\n", value);
        return 0; /* the skeleton emits PropertiesChanged */
}

static int get_calls(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        demo *d = userdata;
        (void) ret_error;
        *ret_value = d->calls;
        return 0;
}

static const demo_handlers handlers = {
        .handle_hello = on_hello,
        .handle_hello_later = on_hello_later,
        .get_greeting = get_greeting,
        .set_greeting = set_greeting,
        .get_calls = get_calls,
};

static void on_name(sd_bus *bus, const char *name, int acquired, void *userdata) {
        demo *d = userdata;
        (void) bus;
        if (acquired) {
                printf("glib-service: serving %s at %s as %s\n", DEMO_INTERFACE, DEMO_PATH, name);
                return;
        }
        fprintf(stderr, "glib-service: cannot own %s, or lost it\n", name);
        d->exit_code = 1;
        g_main_loop_quit(d->loop);
}

static gboolean on_quit_signal(gpointer userdata) {
        demo *d = userdata;
        printf("glib-service: signal received, exiting\n");
        g_main_loop_quit(d->loop);
        return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv) {
        demo d = { .exit_code = 0 };
        GSource *source = NULL;
        guint sigterm_id = 0, sigint_id = 0;
        int r;

        if (argc > 1) {
                printf("Usage: glib-service\nServe %s at %s on the session bus from a GLib main loop until SIGTERM.\n",
                       DEMO_NAME, DEMO_PATH);
                return strcmp(argv[1], "--help") == 0 ? 0 : 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);

        d.greeting = g_strdup("Hello");
        d.loop = g_main_loop_new(NULL, FALSE);
        r = dbidl_bus_open_session(&d.bus);
        if (r < 0) {
                fprintf(stderr, "glib-service: cannot connect to the session bus: %s\n", strerror(-r));
                d.exit_code = 1;
                goto out;
        }
        r = demo_export(d.bus, DEMO_PATH, &handlers, &d, NULL);
        if (r >= 0)
                r = dbidl_bus_own_name(d.bus, DEMO_NAME, 0, on_name, &d, NULL);
        if (r < 0) {
                fprintf(stderr, "glib-service: cannot export or own the name: %s\n", strerror(-r));
                d.exit_code = 1;
                goto out;
        }
        source = bus_source_new(&d);
        if (!source) {
                d.exit_code = 1;
                goto out;
        }
        g_source_attach(source, NULL);
        sigterm_id = g_unix_signal_add(SIGTERM, on_quit_signal, &d);
        sigint_id = g_unix_signal_add(SIGINT, on_quit_signal, &d);

        g_main_loop_run(d.loop);

        g_source_remove(sigterm_id);
        g_source_remove(sigint_id);
        /*
         * HelloLater calls still waiting get an error now: a kept call holds a reference to the bus (as
         * every sd_bus_message reference does), so the bus is freed only once they are answered.
         */
        while (d.waiting) {
                later *l = d.waiting->data;
                printf("HelloLater(\"%s\"): answering with an error, shutting down\n", l->name);
                (void) dbidl_pending_reply_errno(l->pending, ESHUTDOWN);
                later_free(l);
        }
        g_source_destroy(source);
        g_source_unref(source);
out:
        sd_bus_flush_close_unref(d.bus);
        g_main_loop_unref(d.loop);
        g_free(d.greeting);
        return d.exit_code;
}

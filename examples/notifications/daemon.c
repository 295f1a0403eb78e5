/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/notifications/daemon.c — notification-daemon: org.freedesktop.Notifications printing to stdout */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "notifications.h"

#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define DEFAULT_TIMEOUT_MS 5000

/* Reasons of NotificationClosed (Desktop Notifications Specification 1.2) */
enum {
        REASON_EXPIRED = 1,
        REASON_DISMISSED = 2,
        REASON_CLOSED = 3,
        REASON_UNDEFINED = 4,
};

typedef struct daemon_state daemon_state;

typedef struct notification {
        uint32_t id;
        sd_event_source *timer;         /* NULL for notifications that never expire */
        daemon_state *owner;
        struct notification *next;
} notification;

struct daemon_state {
        sd_bus *bus;
        sd_event *event;
        uint32_t next_id;
        notification *active;
};

static notification *find(daemon_state *d, uint32_t id, notification ***ret_link) {
        for (notification **l = &d->active; *l; l = &(*l)->next)
                if ((*l)->id == id) {
                        if (ret_link)
                                *ret_link = l;
                        return *l;
                }
        return NULL;
}

/* Remove notification `id` and emit NotificationClosed with `reason`.  Returns false if there is none. */
static bool close_notification(daemon_state *d, uint32_t id, uint32_t reason) {
        notification **link;
        notification *n = find(d, id, &link);
        if (!n)
                return false;
        *link = n->next;
        sd_event_source_disable_unref(n->timer);
        free(n);
        printf("notification %" PRIu32 " closed, reason %" PRIu32 "\n", id, reason);
        int r = notifications_emit_notification_closed(d->bus, NOTIFICATIONS_PATH, id, reason);
        if (r < 0)
                fprintf(stderr, "notification-daemon: cannot emit NotificationClosed: %s\n", strerror(-r));
        return true;
}

static int on_expire(sd_event_source *s, uint64_t usec, void *userdata) {
        notification *n = userdata;
        (void) s;
        (void) usec;
        close_notification(n->owner, n->id, REASON_EXPIRED);
        return 0;
}

static int on_get_capabilities(sd_bus_message *call, void *userdata, char ***ret_capabilities,
                               sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        char **caps = calloc(3, sizeof(char *));
        if (!caps)
                return -ENOMEM;
        caps[0] = strdup("body");
        caps[1] = strdup("persistence");
        if (!caps[0] || !caps[1]) {
                dbidl_strv_free(caps);
                return -ENOMEM;
        }
        *ret_capabilities = caps;
        return 0;
}

static int on_notify(sd_bus_message *call, void *userdata, const char *app_name, uint32_t replaces_id,
                     const char *app_icon, const char *summary, const char *body, char *const *actions,
                     dbidl_dict *hints, int32_t expire_timeout, uint32_t *ret_id, sd_bus_error *ret_error) {
        daemon_state *d = userdata;
        (void) call;
        (void) ret_error;

        notification *n = replaces_id ? find(d, replaces_id, NULL) : NULL;
        if (!n) {
                n = calloc(1, sizeof(*n));
                if (!n)
                        return -ENOMEM;
                n->id = d->next_id++;
                if (d->next_id == 0)
                        d->next_id = 1;
                n->owner = d;
                n->next = d->active;
                d->active = n;
        }
        n->timer = sd_event_source_disable_unref(n->timer);

        char *hints_text = NULL;
        if (dbidl_dict_to_string(hints, &hints_text) < 0)
                hints_text = NULL;
        size_t n_actions = 0;
        for (char *const *a = actions; a && *a; a++)
                n_actions++;
        printf("notification %" PRIu32 " from \"%s\"%s%s%s: \"%s\"\n", n->id, app_name, app_icon[0] ? " (icon " : "",
               app_icon, app_icon[0] ? ")" : "", summary);
        if (body[0])
                printf("  body: %s\n", body);
        printf("  hints: %s\n", hints_text ? hints_text : "?");
        if (n_actions)
                printf("  actions: %zu\n", n_actions / 2);
        free(hints_text);

        int timeout_ms = expire_timeout < 0 ? DEFAULT_TIMEOUT_MS : expire_timeout;
        if (timeout_ms > 0) {
                int r = sd_event_add_time_relative(d->event, &n->timer, CLOCK_MONOTONIC,
                                                   (uint64_t) timeout_ms * 1000, 0, on_expire, n);
                if (r < 0)
                        fprintf(stderr, "notification-daemon: cannot arm the expiry timer: %s\n", strerror(-r));
        }
        *ret_id = n->id;
        return 0;
}

static int on_close_notification(sd_bus_message *call, void *userdata, uint32_t id, sd_bus_error *ret_error) {
        daemon_state *d = userdata;
        (void) call;
        if (close_notification(d, id, REASON_CLOSED))
                return 0;
        printf("CloseNotification(%" PRIu32 "): no such notification\n", id);
        /*
         * The specification: "If the notification no longer exists, an empty D-BUS Error message is sent back."
         * It names no error; InvalidArgs says that the id is what is wrong.  Empty: no message, so the error
         * reply has no body at all.
         */
        return dbidl_error_set(ret_error, SD_BUS_ERROR_INVALID_ARGS, NULL);
}

static int dup_into(char **ret, const char *s) {
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static int on_get_server_information(sd_bus_message *call, void *userdata, char **ret_name, char **ret_vendor,
                                     char **ret_version, char **ret_spec_version, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        /* the skeleton frees whatever was stored, also on failure */
        if (dup_into(ret_name, "dbidl-notification-daemon") < 0 || dup_into(ret_vendor, "dbidl") < 0 ||
            dup_into(ret_version, dbidl_version()) < 0 || dup_into(ret_spec_version, "1.2") < 0)
                return -ENOMEM;
        return 0;
}

static const notifications_handlers handlers = {
        .handle_get_capabilities = on_get_capabilities,
        .handle_notify = on_notify,
        .handle_close_notification = on_close_notification,
        .handle_get_server_information = on_get_server_information,
};

int main(int argc, char **argv) {
        daemon_state d = { .next_id = 1 };
        int r;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: notification-daemon [--replace]\n"
                       "Serve %s on the session bus, printing every notification, until SIGTERM.\n"
                       "  --replace   take the name over from a running notification server\n",
                       NOTIFICATIONS_NAME);
                return 0;
        }
        bool replace = argc > 1 && strcmp(argv[1], "--replace") == 0;
        setvbuf(stdout, NULL, _IOLBF, 0);

        r = sd_event_default(&d.event);
        if (r >= 0)
                r = dbidl_bus_open_session(&d.bus);
        if (r < 0) {
                fprintf(stderr, "notification-daemon: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = notifications_export(d.bus, NOTIFICATIONS_PATH, &handlers, &d, NULL);
        if (r >= 0)
                /* a real notification server may take over, and --replace takes over from one that allows it */
                r = dbidl_bus_request_name(d.bus, NOTIFICATIONS_NAME,
                                           SD_BUS_NAME_ALLOW_REPLACEMENT |
                                                   (replace ? SD_BUS_NAME_REPLACE_EXISTING : 0));
        if (r <= 0) {
                fprintf(stderr, "notification-daemon: cannot serve %s: %s\n", NOTIFICATIONS_NAME,
                        r < 0 ? strerror(-r) : "name queued");
                r = -EEXIST;
                goto out;
        }
        printf("notification-daemon: serving %s\n", NOTIFICATIONS_NAME);
        r = dbidl_bus_run(d.bus, d.event);
out:
        while (d.active) {
                notification *n = d.active;
                d.active = n->next;
                sd_event_source_disable_unref(n->timer);
                free(n);
        }
        sd_bus_flush_close_unref(d.bus);
        sd_event_unref(d.event);
        return r < 0 ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/notifications/client.c — notify-client: sends a notification and waits for its NotificationClosed */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notifications.h"

typedef struct closed {
        uint32_t id;
        bool arrived;
        uint32_t reason;
} closed;

static void on_closed(notifications_proxy *proxy, uint32_t id, uint32_t reason, void *userdata) {
        closed *c = userdata;
        (void) proxy;
        if (id != c->id)
                return;
        c->arrived = true;
        c->reason = reason;
}

static void usage(void) {
        printf("Usage: notify-client [--close] [--timeout=MS] SUMMARY [BODY]\n"
               "Send a notification and wait until it is closed; print its id and the reason.\n"
               "  --close        close it at once with CloseNotification (reason 3)\n"
               "  --timeout=MS   expire timeout in milliseconds (default 1000)\n");
}

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "close", no_argument, NULL, 'c' },
                { "timeout", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool close_now = false;
        int32_t timeout_ms = 1000;
        int opt;
        while ((opt = getopt_long(argc, argv, "ct:h", options, NULL)) >= 0) {
                switch (opt) {
                case 'c':
                        close_now = true;
                        break;
                case 't':
                        timeout_ms = (int32_t) strtol(optarg, NULL, 10);
                        break;
                case 'h':
                        usage();
                        return 0;
                default:
                        return 2;
                }
        }
        const char *summary = optind < argc ? argv[optind] : "Hello from dbidl";
        const char *body = optind + 1 < argc ? argv[optind + 1] : "";

        sd_bus *bus = NULL;
        notifications_proxy *proxy = NULL;
        sd_bus_slot *slot = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_dict *hints = NULL;
        closed c = { 0 };
        int r, ret = 1;

        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = notifications_proxy_new(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                                            &proxy);
        if (r >= 0)
                /* subscribe before sending so the signal cannot be missed */
                r = notifications_connect_notification_closed(proxy, on_closed, &c, &slot);
        if (r >= 0)
                r = dbidl_dict_new(&hints);
        if (r >= 0)
                r = dbidl_dict_set_byte(hints, "urgency", 1);
        if (r >= 0)
                r = dbidl_dict_set_string(hints, "category", "im.received");
        if (r < 0) {
                fprintf(stderr, "notify-client: %s\n", strerror(-r));
                goto out;
        }

        char *no_actions[] = { NULL };
        r = notifications_call_notify(proxy, "notify-client", 0, "", summary, body, no_actions, hints, timeout_ms, &c.id,
                                 0, &error);
        if (r < 0) {
                fprintf(stderr, "notify-client: Notify failed: %s\n", dbidl_error_message(r, &error));
                goto out;
        }
        printf("notification id %" PRIu32 "\n", c.id);

        if (close_now) {
                r = notifications_call_close_notification(proxy, c.id, 0, &error);
                if (r < 0) {
                        fprintf(stderr, "notify-client: CloseNotification failed: %s\n", dbidl_error_message(r, &error));
                        goto out;
                }
        }
        /* wait up to 10 s more than the timeout for NotificationClosed */
        for (int i = 0; i < 1000 + timeout_ms / 10 && !c.arrived; i++) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        break;
                if (r == 0)
                        (void) sd_bus_wait(bus, 10000);
        }
        if (!c.arrived) {
                fprintf(stderr, "notify-client: no NotificationClosed for %" PRIu32 "\n", c.id);
                goto out;
        }
        printf("NotificationClosed id %" PRIu32 " reason %" PRIu32 "\n", c.id, c.reason);
        ret = 0;
out:
        sd_bus_error_free(&error);
        dbidl_dict_unref(hints);
        sd_bus_slot_unref(slot);
        notifications_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return ret;
}

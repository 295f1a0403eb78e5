/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/import/notify-mock.c — python-dbusmock's notification_daemon template through bindings imported live from it */

/*
 * tests/integration/import-live.sh runs `python3 -m dbusmock --session
 * --template notification_daemon -p '{"capabilities": "body actions"}'`,
 * imports org.freedesktop.Notifications from it, generates the client code
 * and builds this program with it.  dbusmock names its input arguments
 * arg1, arg2, … and leaves its outputs unnamed (arg0, or argN_out where a
 * name is taken).  The template answers GetServerInformation with
 * ("mock-notify", "test vendor", "1.0", "1.1") and numbers notifications
 * from 1, keeping the number of one that replaces another.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org.freedesktop.Notifications.h"

static int failures;

#define CHECK(cond, ...)                                        \
        do {                                                    \
                if (!(cond)) {                                  \
                        printf("  FAILED: " __VA_ARGS__);       \
                        printf("\n");                           \
                        failures++;                             \
                }                                               \
        } while (0)

static bool strv_contains(char *const *strv, const char *s) {
        for (size_t i = 0; strv && strv[i]; i++)
                if (strcmp(strv[i], s) == 0)
                        return true;
        return false;
}

static const char *str(const char *s) {
        return s ? s : "(null)";
}

int main(void) {
        sd_bus *bus = NULL;
        org_freedesktop_notifications_proxy *proxy = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char *name = NULL, *vendor = NULL, *version = NULL, *spec = NULL, **caps = NULL;
        dbidl_dict *hints = NULL;
        uint32_t id1 = 0, id2 = 0, id3 = 0;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = org_freedesktop_notifications_proxy_new(bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", &proxy);
        CHECK(r >= 0, "org_freedesktop_notifications_proxy_new: %s", strerror(-r));
        if (failures)
                goto out;

        /* GetServerInformation: four strings */
        r = org_freedesktop_notifications_call_get_server_information(proxy, &name, &vendor, &version, &spec, 0, &error);
        CHECK(r >= 0, "GetServerInformation: %s", error.message ? error.message : strerror(-r));
        printf("GetServerInformation: %s, %s, %s, %s\n", str(name), str(vendor), str(version), str(spec));
        CHECK(name && strcmp(name, "mock-notify") == 0, "server name %s", str(name));
        CHECK(vendor && strcmp(vendor, "test vendor") == 0, "vendor %s", str(vendor));
        CHECK(version && strcmp(version, "1.0") == 0, "version %s", str(version));
        CHECK(spec && strcmp(spec, "1.1") == 0, "specification version %s", str(spec));
        sd_bus_error_free(&error);

        /* GetCapabilities: the ones the test asked the template for */
        r = org_freedesktop_notifications_call_get_capabilities(proxy, &caps, 0, &error);
        CHECK(r >= 0, "GetCapabilities: %s", error.message ? error.message : strerror(-r));
        CHECK(strv_contains(caps, "body") && strv_contains(caps, "actions") && !strv_contains(caps, "icon-static"),
              "GetCapabilities is not [body, actions]");
        printf("GetCapabilities: %s %s\n", caps && caps[0] ? caps[0] : "", caps && caps[0] && caps[1] ? caps[1] : "");
        caps = dbidl_strv_free(caps);
        sd_bus_error_free(&error);

        /* Notify: new ids 1 and 2, then a replacement keeps its id; hints as an a{sv} dictionary */
        char action_key[] = "default", action_label[] = "Open";        /* string arrays are char *const * */
        char *const actions[] = { action_key, action_label, NULL };
        r = dbidl_dict_new(&hints);
        CHECK(r >= 0, "dbidl_dict_new: %s", strerror(-r));
        if (r >= 0) {
                r = dbidl_dict_set_string(hints, "category", "transfer.complete");
                CHECK(r >= 0, "dbidl_dict_set_string: %s", strerror(-r));
                r = dbidl_dict_set_byte(hints, "urgency", 2);
                CHECK(r >= 0, "dbidl_dict_set_byte: %s", strerror(-r));
        }
        r = org_freedesktop_notifications_call_notify(proxy, "import-test", 0, "dialog-information", "Hello", "from dbidl", actions, hints,
                                 5000, &id1, 0, &error);
        CHECK(r >= 0 && id1 == 1, "first Notify: r = %d, id %" PRIu32 " (%s)", r, id1, str(error.message));
        sd_bus_error_free(&error);
        r = org_freedesktop_notifications_call_notify(proxy, "import-test", 0, "", "Second", "", NULL, NULL, -1, &id2, 0, &error);
        CHECK(r >= 0 && id2 == 2, "second Notify: r = %d, id %" PRIu32 " (%s)", r, id2, str(error.message));
        sd_bus_error_free(&error);
        r = org_freedesktop_notifications_call_notify(proxy, "import-test", id1, "", "Hello again", "replaces the first", NULL, NULL, 0, &id3,
                                 0, &error);
        CHECK(r >= 0 && id3 == id1, "replacing Notify: r = %d, id %" PRIu32 ", expected %" PRIu32, r, id3, id1);
        sd_bus_error_free(&error);
        printf("Notify: ids %" PRIu32 ", %" PRIu32 ", replacement %" PRIu32 "\n", id1, id2, id3);

        /* CloseNotification: no reply values, no error */
        r = org_freedesktop_notifications_call_close_notification(proxy, (int32_t) id2, 0, &error);
        CHECK(r >= 0, "CloseNotification(%" PRIu32 "): %s", id2, error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);

out:
        free(name);
        free(vendor);
        free(version);
        free(spec);
        dbidl_dict_unref(hints);
        sd_bus_error_free(&error);
        org_freedesktop_notifications_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        if (failures) {
                printf("notify-mock: %d checks failed\n", failures);
                return 1;
        }
        printf("notify-mock: all checks passed\n");
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/import/lockdown-mock.c — property names with '-' (xdg-desktop-portal's Lockdown) read, written, cached and followed against python-dbusmock; the skeleton of the same interface exports */

/*
 * tests/integration/import-live.sh generates the client and server code of
 * tests/xml/good/dashed-properties.xml (org.example.Lockdown1 with
 * "disable-printing" and friends, org.example.PowerProfileMonitor1 with
 * "power-saver-enabled"), runs `python3 -m dbusmock --session
 * org.example.Lockdown /org/example/Lockdown org.example.Lockdown1`, adds the
 * properties (Mock.AddProperties: disable-printing false,
 * disable-save-to-disk true, DisableCamera 7, power-saver-enabled true,
 * version 1, …) and runs this program against the mock; afterwards it asks
 * the mock whether the writes arrived (disable-printing true, lock-code
 * "1234").  The mock's Set and UpdateProperties emit PropertiesChanged with
 * the dashed names.
 *
 * With --serve, the program serves both interfaces itself at
 * /org/example/Served as org.example.Served until SIGTERM: sd-bus refuses a
 * vtable with such a name, so the skeleton must have left them out for the
 * export to work; the script then introspects and calls it with gdbus.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashed-properties.h"

#define MOCK_NAME "org.example.Lockdown"
#define MOCK_PATH "/org/example/Lockdown"
#define SERVED_NAME "org.example.Served"
#define SERVED_PATH "/org/example/Served"

static int failures;

#define CHECK(cond, ...)                                        \
        do {                                                    \
                if (!(cond)) {                                  \
                        printf("  FAILED: " __VA_ARGS__);       \
                        printf("\n");                           \
                        failures++;                             \
                }                                               \
        } while (0)

typedef struct change {
        int count;
        bool invalidated;
        bool value;
} change;

static void on_bool_changed(change *c, const char *name, bool invalidated, bool value) {
        printf("%s changed: %s\n", name, invalidated ? "invalidated" : value ? "true" : "false");
        c->count++;
        c->invalidated = invalidated;
        c->value = value;
}

static void on_disable_printing_changed(org_example_lockdown1_proxy *proxy, bool invalidated, bool value, void *userdata) {
        (void) proxy;
        on_bool_changed(userdata, "disable-printing", invalidated, value);
}

static void on_disable_save_to_disk_changed(org_example_lockdown1_proxy *proxy, bool invalidated, bool value, void *userdata) {
        (void) proxy;
        on_bool_changed(userdata, "disable-save-to-disk", invalidated, value);
}

/* Process bus traffic until *count reaches `want` or 5 s pass. */
static int wait_for(sd_bus *bus, const int *count, int want) {
        for (int i = 0; i < 500 && *count < want; i++) {
                int r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, 10000);
                if (r < 0)
                        return r;
        }
        return *count >= want ? 0 : -ETIMEDOUT;
}

static const char *yes_no(bool b) {
        return b ? "true" : "false";
}

/* ---- the service side: only the members sd-bus can serve ---- */

static int on_reset(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        printf("Reset called\n");
        return 0;
}

static int on_get_disable_camera(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = 7;
        return 0;
}

static int on_get_version(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = 1;
        return 0;
}

static const org_example_lockdown1_handlers lockdown_handlers = {
        .handle_reset = on_reset,
        .get_disable_camera = on_get_disable_camera,
};

static const org_example_power_profile_monitor1_handlers monitor_handlers = {
        .get_version = on_get_version,
};

/* Both interfaces at SERVED_PATH; returns what the exports return (-EINVAL: a name sd-bus refuses). */
static int export_both(sd_bus *bus, sd_bus_slot **ret_lockdown, sd_bus_slot **ret_monitor) {
        int r = org_example_lockdown1_export(bus, SERVED_PATH, &lockdown_handlers, NULL, ret_lockdown);
        if (r < 0)
                return r;
        return org_example_power_profile_monitor1_export(bus, SERVED_PATH, &monitor_handlers, NULL, ret_monitor);
}

static int serve(void) {
        sd_bus *bus = NULL;
        sd_bus_slot *lockdown = NULL, *monitor = NULL;
        int r;

        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = export_both(bus, &lockdown, &monitor);
        if (r < 0)
                fprintf(stderr, "lockdown-mock: cannot export at %s: %s\n", SERVED_PATH, strerror(-r));
        else {
                r = dbidl_bus_request_name(bus, SERVED_NAME, 0);
                if (r < 0)
                        fprintf(stderr, "lockdown-mock: cannot own %s: %s\n", SERVED_NAME, strerror(-r));
                else
                        r = dbidl_bus_run(bus, NULL);
        }
        sd_bus_slot_unref(monitor);
        sd_bus_slot_unref(lockdown);
        sd_bus_flush_close_unref(bus);
        return r < 0 ? 1 : 0;
}

/* ---- the client side, against the mock ---- */

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        org_example_lockdown1_proxy *lockdown = NULL;
        org_example_power_profile_monitor1_proxy *monitor = NULL;
        sd_bus_slot *printing_slot = NULL, *save_slot = NULL, *exported[2] = { NULL, NULL };
        sd_bus_error error = SD_BUS_ERROR_NULL;
        change printing = { 0 }, save = { 0 };
        bool b = false;
        uint32_t u = 0;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc > 1 && strcmp(argv[1], "--serve") == 0)
                return serve();

        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = org_example_lockdown1_proxy_new(bus, MOCK_NAME, MOCK_PATH, &lockdown);
        CHECK(r >= 0, "org_example_lockdown1_proxy_new: %s", strerror(-r));
        r = org_example_power_profile_monitor1_proxy_new(bus, MOCK_NAME, MOCK_PATH, &monitor);
        CHECK(r >= 0, "org_example_power_profile_monitor1_proxy_new: %s", strerror(-r));
        if (failures)
                goto out;

        /* Get with the wire names */
        r = org_example_lockdown1_get_disable_printing(lockdown, &b, &error);
        CHECK(r >= 0 && !b, "get disable-printing: r = %d (%s), %s", r, error.message ? error.message : "",
              yes_no(b));
        printf("disable-printing: %s\n", yes_no(b));
        sd_bus_error_free(&error);
        r = org_example_lockdown1_get_disable_save_to_disk(lockdown, &b, &error);
        CHECK(r >= 0 && b, "get disable-save-to-disk: r = %d (%s), %s", r, error.message ? error.message : "",
              yes_no(b));
        sd_bus_error_free(&error);
        r = org_example_power_profile_monitor1_get_power_saver_enabled(monitor, &b, &error);
        CHECK(r >= 0 && b, "get power-saver-enabled: r = %d (%s), %s", r, error.message ? error.message : "",
              yes_no(b));
        printf("power-saver-enabled: %s\n", yes_no(b));
        sd_bus_error_free(&error);
        /* the property whose IDL name DisableCamera is also the wire name, next to "disable-camera" */
        r = org_example_lockdown1_get_disable_camera(lockdown, &u, &error);
        CHECK(r >= 0 && u == 7, "get DisableCamera: r = %d, %u", r, u);
        sd_bus_error_free(&error);
        r = org_example_lockdown1_get_disable_camera_property(lockdown, &b, &error);
        CHECK(r >= 0 && !b, "get disable-camera: r = %d, %s", r, yes_no(b));
        sd_bus_error_free(&error);

        /* the cache, loaded with GetAll: the dashed names are its keys */
        r = dbidl_proxy_load_properties((dbidl_proxy *) lockdown, 0, &error);
        CHECK(r >= 0, "load the properties: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        b = true;
        r = org_example_lockdown1_cached_disable_printing(lockdown, &b);
        CHECK(r >= 0 && !b, "cached disable-printing: r = %d, %s", r, yes_no(b));
        b = false;
        r = org_example_lockdown1_cached_disable_save_to_disk(lockdown, &b);
        CHECK(r >= 0 && b, "cached disable-save-to-disk: r = %d, %s", r, yes_no(b));

        /* a write through the generated setter, and the mock's PropertiesChanged for it */
        r = org_example_lockdown1_watch_disable_printing(lockdown, on_disable_printing_changed, &printing,
                                                       &printing_slot);
        CHECK(r >= 0, "connect to disable-printing changes: %s", strerror(-r));
        r = org_example_lockdown1_watch_disable_save_to_disk(lockdown, on_disable_save_to_disk_changed, &save,
                                                           &save_slot);
        CHECK(r >= 0, "connect to disable-save-to-disk changes: %s", strerror(-r));
        r = org_example_lockdown1_set_disable_printing(lockdown, true, &error);
        CHECK(r >= 0, "set disable-printing: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        r = org_example_lockdown1_get_disable_printing(lockdown, &b, &error);
        CHECK(r >= 0 && b, "disable-printing after the write: r = %d, %s", r, yes_no(b));
        sd_bus_error_free(&error);
        r = wait_for(bus, &printing.count, 1);
        CHECK(r >= 0 && !printing.invalidated && printing.value, "disable-printing change: r = %d, count %d, %s", r,
              printing.count, yes_no(printing.value));
        b = false;
        r = org_example_lockdown1_cached_disable_printing(lockdown, &b);
        CHECK(r >= 0 && b, "cached disable-printing after the change: r = %d, %s", r, yes_no(b));

        /* a change made by the mock itself (Mock.UpdateProperties), not through us */
        r = sd_bus_call_method(bus, MOCK_NAME, MOCK_PATH, "org.freedesktop.DBus.Mock", "UpdateProperties", &error,
                               NULL, "sa{sv}", ORG_EXAMPLE_LOCKDOWN1_INTERFACE, 1, "disable-save-to-disk", "b", 0);
        CHECK(r >= 0, "Mock.UpdateProperties: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        r = wait_for(bus, &save.count, 1);
        CHECK(r >= 0 && !save.invalidated && !save.value, "disable-save-to-disk change: r = %d, count %d, %s", r,
              save.count, yes_no(save.value));
        b = true;
        r = org_example_lockdown1_cached_disable_save_to_disk(lockdown, &b);
        CHECK(r >= 0 && !b, "cached disable-save-to-disk after the mock's change: r = %d, %s", r, yes_no(b));

        /* a writeonly one: the script asks the mock for the value */
        r = org_example_lockdown1_set_lock_code(lockdown, "1234", &error);
        CHECK(r >= 0, "set lock-code: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);

        /* the skeleton of the same interfaces exports (sd-bus refuses a vtable with a dashed name: -EINVAL) */
        r = export_both(bus, &exported[0], &exported[1]);
        CHECK(r >= 0, "export Lockdown1 and PowerProfileMonitor1: %s", strerror(-r));
        printf("export: %s\n", r >= 0 ? "ok" : strerror(-r));

out:
        sd_bus_error_free(&error);
        sd_bus_slot_unref(exported[1]);
        sd_bus_slot_unref(exported[0]);
        sd_bus_slot_unref(save_slot);
        sd_bus_slot_unref(printing_slot);
        org_example_power_profile_monitor1_proxy_unref(monitor);
        org_example_lockdown1_proxy_unref(lockdown);
        sd_bus_flush_close_unref(bus);
        if (failures) {
                printf("lockdown-mock: %d checks failed\n", failures);
                return 1;
        }
        printf("lockdown-mock: all checks passed\n");
        return 0;
}

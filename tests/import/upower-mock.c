/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/import/upower-mock.c — python-dbusmock's upower template through bindings imported live from it: methods, properties, a change */

/*
 * tests/integration/import-live.sh runs `python3 -m dbusmock --session
 * --template upower -p '{"OnBattery": true, "DaemonVersion": "1.90.2"}'`,
 * adds a discharging battery (Mock.AddDischargingBattery mock_BAT "Mock
 * Battery" 30.0 1200), imports the whole object tree from / (the interfaces
 * org.freedesktop.UPower and org.freedesktop.UPower.Device), generates the
 * client code and builds this program with it.  The mock declares every
 * property readwrite, the devices' with type "v"; its Set emits
 * PropertiesChanged.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org.freedesktop.UPower.h"

#define DEVICES "/org/freedesktop/UPower/devices"

static int failures;

#define CHECK(cond, ...)                                        \
        do {                                                    \
                if (!(cond)) {                                  \
                        printf("  FAILED: " __VA_ARGS__);       \
                        printf("\n");                           \
                        failures++;                             \
                }                                               \
        } while (0)

typedef struct lid_change {
        int count;
        bool invalidated;
        bool value;
} lid_change;

static void on_lid_is_closed_changed(org_freedesktop_u_power_proxy *proxy, bool invalidated, bool value, void *userdata) {
        lid_change *c = userdata;
        (void) proxy;
        printf("LidIsClosed changed: %s\n", invalidated ? "invalidated" : value ? "true" : "false");
        c->count++;
        c->invalidated = invalidated;
        c->value = value;
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

static const char *str(const char *s) {
        return s ? s : "(null)";
}

static bool strv_contains(char *const *strv, const char *s) {
        for (size_t i = 0; strv && strv[i]; i++)
                if (strcmp(strv[i], s) == 0)
                        return true;
        return false;
}

int main(void) {
        sd_bus *bus = NULL;
        org_freedesktop_u_power_proxy *upower = NULL;
        org_freedesktop_u_power_device_proxy *battery = NULL, *display_device = NULL;
        sd_bus_slot *slot = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char **devices = NULL, *display = NULL, *action = NULL, *version = NULL;
        dbidl_variant *percentage = NULL;
        lid_change lid = { 0 };
        bool on_battery = false;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = org_freedesktop_u_power_proxy_new(bus, "org.freedesktop.UPower", "/org/freedesktop/UPower", &upower);
        CHECK(r >= 0, "org_freedesktop_u_power_proxy_new: %s", strerror(-r));
        r = org_freedesktop_u_power_device_proxy_new(bus, "org.freedesktop.UPower", DEVICES "/mock_BAT", &battery);
        CHECK(r >= 0, "org_freedesktop_u_power_device_proxy_new: %s", strerror(-r));
        r = org_freedesktop_u_power_device_proxy_new(bus, "org.freedesktop.UPower", DEVICES "/DisplayDevice", &display_device);
        CHECK(r >= 0, "org_freedesktop_u_power_device_proxy_new: %s", strerror(-r));
        if (failures)
                goto out;

        /* methods */
        r = org_freedesktop_u_power_call_enumerate_devices(upower, &devices, 0, &error);
        CHECK(r >= 0, "EnumerateDevices: %s", error.message ? error.message : strerror(-r));
        CHECK(strv_contains(devices, DEVICES "/mock_BAT"), "EnumerateDevices lacks the battery");
        CHECK(!strv_contains(devices, DEVICES "/DisplayDevice"), "EnumerateDevices lists the display device");
        printf("EnumerateDevices: %s\n", devices && devices[0] ? devices[0] : "(none)");
        devices = dbidl_strv_free(devices);
        sd_bus_error_free(&error);
        r = org_freedesktop_u_power_call_get_display_device(upower, &display, 0, &error);
        CHECK(r >= 0 && display && strcmp(display, DEVICES "/DisplayDevice") == 0, "GetDisplayDevice: %s",
              str(display));
        printf("GetDisplayDevice: %s\n", str(display));
        sd_bus_error_free(&error);
        r = org_freedesktop_u_power_call_get_critical_action(upower, &action, 0, &error);
        CHECK(r >= 0 && action && strcmp(action, "HybridSleep") == 0, "GetCriticalAction: %s", str(action));
        printf("GetCriticalAction: %s\n", str(action));
        sd_bus_error_free(&error);

        /* properties: what the test passed to the template */
        r = org_freedesktop_u_power_get_on_battery(upower, &on_battery, &error);
        CHECK(r >= 0 && on_battery, "OnBattery: r = %d, %s", r, on_battery ? "true" : "false");
        sd_bus_error_free(&error);
        r = org_freedesktop_u_power_get_daemon_version(upower, &version, &error);
        CHECK(r >= 0 && version && strcmp(version, "1.90.2") == 0, "DaemonVersion: %s", str(version));
        printf("OnBattery: %s, DaemonVersion: %s\n", on_battery ? "true" : "false", str(version));
        sd_bus_error_free(&error);

        /* The mock declares the devices' properties with type "v" but its Get sends the bare value (a 'd' for
         * Percentage, not a 'v' inside the variant): the typed getter refuses the reply instead of misreading it. */
        r = org_freedesktop_u_power_device_get_percentage(battery, &percentage, &error);
        CHECK(r == -ENXIO && sd_bus_error_has_name(&error, "org.freedesktop.DBus.Error.InvalidSignature") &&
                      !percentage,
              "Percentage (declared 'v', sent 'd'): r = %d, error %s", r, str(error.name));
        printf("battery Percentage: %s (%s)\n", str(error.name), str(error.message));
        sd_bus_error_free(&error);
        r = org_freedesktop_u_power_device_call_refresh(display_device, 0, &error);
        CHECK(r >= 0, "Refresh of the display device: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);

        /* a write and its PropertiesChanged, through the generated change slot */
        r = org_freedesktop_u_power_watch_lid_is_closed(upower, on_lid_is_closed_changed, &lid, &slot);
        CHECK(r >= 0, "org_freedesktop_u_power_watch_lid_is_closed: %s", strerror(-r));
        r = org_freedesktop_u_power_set_lid_is_closed(upower, true, &error);
        CHECK(r >= 0, "Set LidIsClosed: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        r = wait_for(bus, &lid.count, 1);
        CHECK(r >= 0 && !lid.invalidated && lid.value, "LidIsClosed change: r = %d, count %d, value %s", r, lid.count,
              lid.value ? "true" : "false");

out:
        free(display);
        free(action);
        free(version);
        dbidl_variant_unref(percentage);
        sd_bus_error_free(&error);
        sd_bus_slot_unref(slot);
        org_freedesktop_u_power_device_proxy_unref(display_device);
        org_freedesktop_u_power_device_proxy_unref(battery);
        org_freedesktop_u_power_proxy_unref(upower);
        sd_bus_flush_close_unref(bus);
        if (failures) {
                printf("upower-mock: %d checks failed\n", failures);
                return 1;
        }
        printf("upower-mock: all checks passed\n");
        return 0;
}

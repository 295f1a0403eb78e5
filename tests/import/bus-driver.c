/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/import/bus-driver.c — the bus driver (org.freedesktop.DBus) through bindings imported live from it: calls and a signal */

/*
 * tests/integration/import-live.sh imports the running dbus-daemon's
 * interface (dbidlc --import-bus org.freedesktop.DBus /org/freedesktop/DBus),
 * generates its client code and builds this program with it.  The driver's
 * introspection data has no argument names: the imported ones are arg0, arg1…
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "org.freedesktop.DBus.h"

#define TEST_NAME "org.dbidl.ImportTest"

static int failures;

#define CHECK(cond, ...)                                        \
        do {                                                    \
                if (!(cond)) {                                  \
                        printf("  FAILED: " __VA_ARGS__);       \
                        printf("\n");                           \
                        failures++;                             \
                }                                               \
        } while (0)

/* The NameOwnerChanged signals about TEST_NAME, as they arrive. */
typedef struct owner_change {
        int count;
        char old_owner[2][256];
        char new_owner[2][256];
} owner_change;

static void on_name_owner_changed(org_freedesktop_d_bus_proxy *proxy, const char *name, const char *old_owner, const char *new_owner,
                                  void *userdata) {
        owner_change *c = userdata;
        (void) proxy;
        if (strcmp(name, TEST_NAME) != 0 || c->count >= 2)
                return;
        printf("signal NameOwnerChanged('%s', '%s', '%s')\n", name, old_owner, new_owner);
        snprintf(c->old_owner[c->count], sizeof c->old_owner[0], "%s", old_owner);
        snprintf(c->new_owner[c->count], sizeof c->new_owner[0], "%s", new_owner);
        c->count++;
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

static bool strv_contains(char *const *strv, const char *s) {
        for (size_t i = 0; strv && strv[i]; i++)
                if (strcmp(strv[i], s) == 0)
                        return true;
        return false;
}

int main(void) {
        sd_bus *bus = NULL, *other = NULL;
        org_freedesktop_d_bus_proxy *proxy = NULL, *other_proxy = NULL;
        sd_bus_slot *slot = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        owner_change changes = { 0 };
        const char *unique = NULL, *other_unique = NULL;
        char **names = NULL, *owner = NULL;
        uint32_t pid = 0, reply = 0;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = org_freedesktop_d_bus_proxy_new(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", &proxy);
        CHECK(r >= 0, "org_freedesktop_d_bus_proxy_new: %s", strerror(-r));
        r = sd_bus_get_unique_name(bus, &unique);
        CHECK(r >= 0, "sd_bus_get_unique_name: %s", strerror(-r));
        if (failures)
                goto out;

        /* ListNames: the driver and this connection */
        r = org_freedesktop_d_bus_call_list_names(proxy, &names, 0, &error);
        CHECK(r >= 0, "ListNames: %s", error.message ? error.message : strerror(-r));
        CHECK(strv_contains(names, "org.freedesktop.DBus"), "ListNames lacks org.freedesktop.DBus");
        CHECK(strv_contains(names, unique), "ListNames lacks our unique name %s", unique);
        size_t n = 0;
        while (names && names[n])
                n++;
        printf("ListNames: %zu names, ours (%s) among them\n", n, unique);
        names = dbidl_strv_free(names);

        /* GetNameOwner: a unique name owns itself; a name nobody owns is an error */
        r = org_freedesktop_d_bus_call_get_name_owner(proxy, unique, &owner, 0, &error);
        CHECK(r >= 0 && owner && strcmp(owner, unique) == 0, "GetNameOwner(%s) = %s (r = %d)", unique,
              owner ? owner : "(null)", r);
        printf("GetNameOwner(%s) = %s\n", unique, owner ? owner : "(null)");
        free(owner);
        owner = NULL;
        r = org_freedesktop_d_bus_call_get_name_owner(proxy, "org.freedesktop.DBus", &owner, 0, &error);
        CHECK(r >= 0 && owner && strcmp(owner, "org.freedesktop.DBus") == 0, "GetNameOwner(org.freedesktop.DBus) = %s",
              owner ? owner : "(null)");
        free(owner);
        owner = NULL;
        r = org_freedesktop_d_bus_call_get_name_owner(proxy, "org.dbidl.NobodyHere", &owner, 0, &error);
        CHECK(r < 0 && sd_bus_error_has_name(&error, "org.freedesktop.DBus.Error.NameHasNoOwner") && !owner,
              "GetNameOwner(org.dbidl.NobodyHere): r = %d, error %s", r, error.name ? error.name : "(none)");
        printf("GetNameOwner(org.dbidl.NobodyHere): %s\n", error.name ? error.name : "(no error)");
        sd_bus_error_free(&error);

        /* GetConnectionUnixProcessID: our own pid */
        r = org_freedesktop_d_bus_call_get_connection_unix_process_id(proxy, unique, &pid, 0, &error);
        CHECK(r >= 0 && pid == (uint32_t) getpid(), "GetConnectionUnixProcessID(%s) = %" PRIu32 ", getpid() = %d",
              unique, pid, (int) getpid());
        printf("GetConnectionUnixProcessID(%s) = %" PRIu32 " (getpid() = %d)\n", unique, pid, (int) getpid());
        sd_bus_error_free(&error);

        /* NameOwnerChanged through the generated connect function, while a second connection takes a name and
         * gives it back (through its own generated proxy) */
        r = org_freedesktop_d_bus_connect_name_owner_changed(proxy, on_name_owner_changed, &changes, &slot);
        CHECK(r >= 0, "org_freedesktop_d_bus_connect_name_owner_changed: %s", strerror(-r));
        r = dbidl_bus_open_session(&other);
        CHECK(r >= 0, "second connection: %s", strerror(-r));
        if (failures)
                goto out;
        /* make sure the match rule is installed before the name changes hands */
        r = org_freedesktop_d_bus_call_get_id(proxy, &owner, 0, &error);
        CHECK(r >= 0, "GetId: %s", error.message ? error.message : strerror(-r));
        free(owner);
        owner = NULL;
        sd_bus_error_free(&error);
        (void) sd_bus_get_unique_name(other, &other_unique);
        r = org_freedesktop_d_bus_proxy_new(other, "org.freedesktop.DBus", "/org/freedesktop/DBus", &other_proxy);
        CHECK(r >= 0, "second org_freedesktop_d_bus_proxy_new: %s", strerror(-r));
        if (failures)
                goto out;
        r = org_freedesktop_d_bus_call_request_name(other_proxy, TEST_NAME, 0, &reply, 0, &error);
        CHECK(r >= 0 && reply == 1, "RequestName(%s): r = %d, reply %" PRIu32 " (1: primary owner)", TEST_NAME, r,
              reply);
        sd_bus_error_free(&error);
        r = wait_for(bus, &changes.count, 1);
        CHECK(r >= 0, "no NameOwnerChanged for %s after RequestName: %s", TEST_NAME, strerror(-r));
        CHECK(changes.count < 1 || (strcmp(changes.old_owner[0], "") == 0 &&
                                    strcmp(changes.new_owner[0], other_unique) == 0),
              "NameOwnerChanged after RequestName: '%s' → '%s', expected '' → '%s'", changes.old_owner[0],
              changes.new_owner[0], other_unique);
        r = org_freedesktop_d_bus_call_release_name(other_proxy, TEST_NAME, &reply, 0, &error);
        CHECK(r >= 0 && reply == 1, "ReleaseName(%s): r = %d, reply %" PRIu32 " (1: released)", TEST_NAME, r, reply);
        sd_bus_error_free(&error);
        r = wait_for(bus, &changes.count, 2);
        CHECK(r >= 0, "no NameOwnerChanged for %s after ReleaseName: %s", TEST_NAME, strerror(-r));
        CHECK(changes.count < 2 || (strcmp(changes.old_owner[1], other_unique) == 0 &&
                                    strcmp(changes.new_owner[1], "") == 0),
              "NameOwnerChanged after ReleaseName: '%s' → '%s', expected '%s' → ''", changes.old_owner[1],
              changes.new_owner[1], other_unique);

out:
        sd_bus_error_free(&error);
        sd_bus_slot_unref(slot);
        org_freedesktop_d_bus_proxy_unref(other_proxy);
        org_freedesktop_d_bus_proxy_unref(proxy);
        sd_bus_flush_close_unref(other);
        sd_bus_flush_close_unref(bus);
        if (failures) {
                printf("bus-driver: %d checks failed\n", failures);
                return 1;
        }
        printf("bus-driver: all checks passed\n");
        return 0;
}

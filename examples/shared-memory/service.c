/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/shared-memory/service.c — shm-service: keeps the last blob put, emits Changed with it */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "shm.h"

#define SHM_PATH "/org/example/SharedMemory1"
#define SHM_NAME "org.example.SharedMemory1"

typedef struct store {
        sd_bus *bus;
        dbidl_blob *data;       /* the current blob, NULL before the first Put */
        char *name;
        uint64_t serial;
} store;

static int on_put(sd_bus_message *call, void *userdata, dbidl_blob *data, const char *name, uint64_t *ret_serial,
                  sd_bus_error *ret_error) {
        store *s = userdata;
        char line[160];
        (void) call;
        /* the runtime refused anything but a sealed memfd before this runs, so mapping it is safe */
        int r = shm_describe(data, line, sizeof line);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, -r, "cannot read the blob: %s", strerror(-r));
        char *copy = strdup(name);
        if (!copy)
                return -ENOMEM;
        free(s->name);
        s->name = copy;
        dbidl_blob_unref(s->data);
        s->data = dbidl_blob_ref(data); /* kept: a reference, not a copy of the bytes */
        s->serial++;
        printf("Put #%" PRIu64 " \"%s\": %s\n", s->serial, name, line);
        r = shm_emit_changed(s->bus, SHM_PATH, s->data, s->name, s->serial);
        if (r < 0)
                fprintf(stderr, "shm-service: cannot emit Changed: %s\n", strerror(-r));
        (void) shm_notify_serial(s->bus, SHM_PATH);
        *ret_serial = s->serial;
        return 0;
}

static int on_get(sd_bus_message *call, void *userdata, dbidl_blob **ret_data, char **ret_name, uint64_t *ret_serial,
                  sd_bus_error *ret_error) {
        store *s = userdata;
        (void) call;
        (void) ret_error;
        char *name = strdup(s->name ? s->name : "");
        if (!name)
                return -ENOMEM;
        *ret_data = dbidl_blob_ref(s->data); /* NULL before the first Put: sent as an empty blob */
        *ret_name = name;
        *ret_serial = s->serial;
        return 0;
}

static int get_serial(void *userdata, uint64_t *ret_value, sd_bus_error *ret_error) {
        store *s = userdata;
        (void) ret_error;
        *ret_value = s->serial;
        return 0;
}

static const shm_handlers handlers = {
        .handle_put = on_put,
        .handle_get = on_get,
        .get_serial = get_serial,
};

int main(int argc, char **argv) {
        store s = { 0 };
        if (argc > 1) {
                printf("Usage: shm-service\nServe %s at %s on the session bus until SIGTERM.\n", SHM_NAME, SHM_PATH);
                return strcmp(argv[1], "--help") == 0 ? 0 : 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        int r = dbidl_bus_open_session(&s.bus);
        if (r < 0) {
                fprintf(stderr, "shm-service: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = shm_export(s.bus, SHM_PATH, &handlers, &s, NULL);
        if (r >= 0)
                r = dbidl_bus_request_name(s.bus, SHM_NAME, 0);
        if (r <= 0) {
                fprintf(stderr, "shm-service: cannot serve %s: %s\n", SHM_NAME, r < 0 ? strerror(-r) : "queued");
                r = -EEXIST;
                goto out;
        }
        printf("shm-service: serving %s at %s\n", SHM_NAME, SHM_PATH);
        r = dbidl_bus_run(s.bus, NULL);
        if (r < 0)
                fprintf(stderr, "shm-service: event loop failed: %s\n", strerror(-r));
out:
        sd_bus_flush_close_unref(s.bus);
        dbidl_blob_unref(s.data);
        free(s.name);
        return r < 0 ? 1 : 0;
}

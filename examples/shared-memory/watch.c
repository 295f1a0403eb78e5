/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/shared-memory/watch.c — shm-watch [--count N]: prints every blob shm-service announces with Changed */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "shm.h"

typedef struct watch {
        sd_bus *bus;
        unsigned long seen, count;      /* count 0: until SIGINT/SIGTERM */
} watch;

static void on_changed(shm_proxy *proxy, dbidl_blob *data, const char *name, uint64_t serial, void *userdata) {
        watch *w = userdata;
        char line[160];
        (void) proxy;
        /* `data` is lent for the callback; dbidl_blob_ref() it to keep it */
        int r = shm_describe(data, line, sizeof line);
        if (r < 0)
                printf("changed #%" PRIu64 " \"%s\": cannot read it: %s\n", serial, name, strerror(-r));
        else
                printf("changed #%" PRIu64 " \"%s\": %s\n", serial, name, line);
        if (++w->seen == w->count)
                (void) sd_event_exit(sd_bus_get_event(w->bus), 0);
}

int main(int argc, char **argv) {
        watch w = { 0 };
        shm_proxy *proxy = NULL;
        sd_bus_slot *slot = NULL;

        if (argc == 3 && strcmp(argv[1], "--count") == 0)
                w.count = strtoul(argv[2], NULL, 10);
        else if (argc != 1) {
                fprintf(stderr, "Usage: shm-watch [--count N]\nPrint the size and SHA-256 of every blob "
                                "org.example.SharedMemory1 announces (N of them, or until SIGINT).\n");
                return 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        int r = dbidl_bus_open_session(&w.bus);
        if (r >= 0)
                r = shm_proxy_new(w.bus, "org.example.SharedMemory1", "/org/example/SharedMemory1", &proxy);
        if (r >= 0)
                r = shm_connect_changed(proxy, on_changed, &w, &slot);
        if (r >= 0) {
                /* the match is in place once the bus has answered: say so, for scripts that put right after */
                (void) sd_bus_flush(w.bus);
                printf("watching\n");
                r = dbidl_bus_run(w.bus, NULL);
        }
        if (r < 0)
                fprintf(stderr, "shm-watch: %s\n", strerror(-r));
        sd_bus_slot_unref(slot);
        shm_proxy_unref(proxy);
        sd_bus_flush_close_unref(w.bus);
        return r < 0 ? 1 : 0;
}

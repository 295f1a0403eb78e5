/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/shared-memory/put.c — shm-put FILE: sends FILE to shm-service as a blob */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "shm.h"

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        shm_proxy *proxy = NULL;
        dbidl_blob *data = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        uint64_t serial = 0;
        char line[160];
        int r;

        if (argc != 2 || argv[1][0] == '-') {
                fprintf(stderr, "Usage: shm-put FILE\nSend FILE to org.example.SharedMemory1 as a blob (a sealed memfd).\n");
                return 2;
        }
        /* a copy of the file in a memfd, sealed: later changes of the file do not reach the readers */
        r = dbidl_blob_new_from_file(argv[1], &data);
        if (r < 0) {
                fprintf(stderr, "shm-put: %s: %s\n", argv[1], strerror(-r));
                return 1;
        }
        r = shm_describe(data, line, sizeof line);
        if (r >= 0)
                r = dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = shm_proxy_new(bus, "org.example.SharedMemory1", "/org/example/SharedMemory1", &proxy);
        if (r >= 0)
                r = shm_call_put(proxy, data, argv[1], &serial, 0, &error);
        if (r < 0)
                fprintf(stderr, "shm-put: %s\n", error.message ? error.message : strerror(-r));
        else
                printf("put #%" PRIu64 ": %s\n", serial, line);
        sd_bus_error_free(&error);
        dbidl_blob_unref(data);
        shm_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return r < 0 ? 1 : 0;
}

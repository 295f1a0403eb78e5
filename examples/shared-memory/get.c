/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/shared-memory/get.c — shm-get OUT: fetches the current blob from shm-service and writes it to OUT */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "shm.h"

/* Write the mapped bytes of `b` to `path` (created or truncated; "-" is standard output). */
static int write_out(dbidl_blob *b, const char *path) {
        const void *data;
        int r = dbidl_blob_map(b, &data);
        if (r < 0)
                return r;
        int fd = strcmp(path, "-") == 0 ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        const char *p = data;
        uint64_t left = dbidl_blob_get_size(b);
        while (left > 0) {
                ssize_t n = write(fd, p, left > (1u << 30) ? (1u << 30) : (size_t) left);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                p += n;
                left -= (uint64_t) n;
        }
        if (fd != STDOUT_FILENO && close(fd) < 0 && r >= 0)
                r = -errno;
        return r;
}

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        shm_proxy *proxy = NULL;
        dbidl_blob *data = NULL;
        char *name = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        uint64_t serial = 0;
        char line[160];

        if (argc != 2 || (argv[1][0] == '-' && argv[1][1])) {
                fprintf(stderr, "Usage: shm-get OUT\nWrite the current blob of org.example.SharedMemory1 to OUT.\n");
                return 2;
        }
        int r = dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = shm_proxy_new(bus, "org.example.SharedMemory1", "/org/example/SharedMemory1", &proxy);
        if (r >= 0)
                r = shm_call_get(proxy, &data, &name, &serial, 0, &error);
        if (r >= 0)
                r = shm_describe(data, line, sizeof line);
        if (r >= 0)
                r = write_out(data, argv[1]);
        if (r < 0)
                fprintf(stderr, "shm-get: %s\n", error.message ? error.message : strerror(-r));
        else
                fprintf(strcmp(argv[1], "-") == 0 ? stderr : stdout, "got #%" PRIu64 " \"%s\": %s\n", serial, name,
                        line);
        sd_bus_error_free(&error);
        free(name);
        dbidl_blob_unref(data);
        shm_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return r < 0 ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-sd.c — peer-to-peer connections with sd-bus, shared by the sd-bus and dbidl programs */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <systemd/sd-id128.h>

#include "peers-sd.h"

int peers_sd_connect_peer(const char *address, sd_bus **ret) {
        sd_bus *bus = NULL;
        int r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0) {
                sd_bus_unref(bus);
                return r;
        }
        *ret = bus;
        return 0;
}

int peers_sd_accept_peer(const char *address, sd_bus **ret) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        const char *path;
        sd_id128_t id;
        sd_bus *bus = NULL;
        int lfd, fd, r;

        if (strncmp(address, "unix:path=", 10) != 0)
                return -EINVAL;
        path = address + 10;
        if (strlen(path) >= sizeof sa.sun_path)
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0)
                return -errno;
        unlink(path);
        if (bind(lfd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(lfd, 1) < 0) {
                r = -errno;
                close(lfd);
                return r;
        }
        printf("ready\n");
        fflush(stdout);
        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        r = fd < 0 ? -errno : 0;
        close(lfd);
        unlink(path);
        if (r < 0)
                return r;
        r = sd_id128_randomize(&id);
        if (r >= 0)
                r = sd_bus_new(&bus);
        if (r < 0) {
                close(fd);
                return r;
        }
        r = sd_bus_set_fd(bus, fd, fd);
        if (r < 0)
                close(fd);
        if (r >= 0)
                r = sd_bus_set_server(bus, 1, id);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0) {
                sd_bus_unref(bus);
                return r;
        }
        *ret = bus;
        return 0;
}

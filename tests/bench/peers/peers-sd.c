/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-sd.c — sd-bus set-up shared by the sd-bus and dbidl programs: peer connections, the loop */

#include <errno.h>
#include <stdbool.h>
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

int peers_sd_attach_default_event(sd_bus *bus, sd_event **ret) {
        sd_event *event = NULL;
        int r = sd_event_default(&event);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                sd_event_unref(event);
                return r;
        }
        *ret = event;
        return 0;
}

static int idle_over(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) s;
        (void) usec;
        *(bool *) userdata = true;
        return 0;
}

int peers_sd_idle(const char *who, sd_event *event, double seconds) {
        sd_event_source *timer = NULL;
        bool over = false;
        uint64_t now;
        /* a timer of the loop itself ends the idle time (sd_event_now: the loop's clock, now if it has not run) */
        int r = sd_event_now(event, CLOCK_MONOTONIC, &now);
        if (r >= 0)
                r = sd_event_add_time(event, &timer, CLOCK_MONOTONIC, now + (uint64_t) (seconds * 1e6), 0, idle_over,
                                      &over);
        while (r >= 0 && !over)
                r = sd_event_run(event, UINT64_MAX);
        sd_event_source_unref(timer);
        if (r < 0) {
                fprintf(stderr, "peers-client: %s: idle in sd-event failed: %s\n", who, strerror(-r));
                return -1;
        }
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

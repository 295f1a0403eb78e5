/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-server-sdbus.c — org.dbidl.BenchPeers1 served by a hand-written sd-bus vtable */

/*
 * peers-server-sdbus --bus NAME | --listen unix:path=FILE
 *
 * What a competent sd-bus programmer writes: arguments read in place (strings borrowed, the int32 array with
 * sd_bus_message_read_array, no copy), the a(isd) walked with enter_container/read_basic, answers with
 * sd_bus_reply_method_return, Ticks with sd_bus_emit_signal.  On the bus it owns NAME; with --listen it
 * serves one peer-to-peer connection and exits when the peer goes.  "ready" on stdout when it serves.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "peers.h"
#include "peers-sd.h"

static int method_ping(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        int32_t x;
        int r;
        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_read_basic(m, 'i', &x);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "i", x + 1);
}

static int method_echo(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *s;
        int r;
        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_read_basic(m, 's', &s);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "s", s);
}

static int method_sum(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const int32_t *v;
        const void *p;
        size_t size;
        int64_t total = 0;
        int r;
        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_read_array(m, 'i', &p, &size);
        if (r < 0)
                return r;
        v = p;
        for (size_t i = 0; i < size / sizeof(int32_t); i++)
                total += v[i];
        return sd_bus_reply_method_return(m, "x", total);
}

static int method_structs(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        uint32_t n = 0;
        int64_t total = 0;
        int r;
        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_enter_container(m, 'a', "(isd)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "isd")) > 0) {
                int32_t id;
                const char *name;
                double value;
                if ((r = sd_bus_message_read_basic(m, 'i', &id)) < 0 ||
                    (r = sd_bus_message_read_basic(m, 's', &name)) < 0 ||
                    (r = sd_bus_message_read_basic(m, 'd', &value)) < 0 ||
                    (r = sd_bus_message_exit_container(m)) < 0)
                        return r;
                n++;
                total += id;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "ux", n, total);
}

static int method_burst(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        sd_bus *bus = sd_bus_message_get_bus(m);
        uint32_t n, size;
        char *pad;
        int r;
        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_read(m, "uu", &n, &size);
        if (r < 0)
                return r;
        pad = malloc((size_t) size + 1);
        if (!pad)
                return -ENOMEM;
        memset(pad, 'x', size);
        pad[size] = '\0';
        for (uint32_t i = 0; i < n && r >= 0; i++)
                r = sd_bus_emit_signal(bus, PEERS_PATH, PEERS_INTERFACE, "Tick", "us", i, pad);
        free(pad);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Ping", SD_BUS_ARGS("i", x), SD_BUS_RESULT("i", y), method_ping, 0),
        SD_BUS_METHOD_WITH_ARGS("Echo", SD_BUS_ARGS("s", s), SD_BUS_RESULT("s", r), method_echo, 0),
        SD_BUS_METHOD_WITH_ARGS("Sum", SD_BUS_ARGS("ai", v), SD_BUS_RESULT("x", total), method_sum, 0),
        SD_BUS_METHOD_WITH_ARGS("Structs", SD_BUS_ARGS("a(isd)", v), SD_BUS_RESULT("u", n, "x", total),
                                method_structs, 0),
        SD_BUS_METHOD_WITH_ARGS("Burst", SD_BUS_ARGS("u", n, "u", size), SD_BUS_NO_RESULT, method_burst, 0),
        SD_BUS_SIGNAL_WITH_ARGS("Tick", SD_BUS_ARGS("u", seq, "s", pad), 0),
        SD_BUS_VTABLE_END
};

int main(int argc, char **argv) {
        sd_event *event = NULL;
        sd_bus *bus = NULL;
        sigset_t mask;
        int r;

        if (argc != 3 || (strcmp(argv[1], "--bus") != 0 && strcmp(argv[1], "--listen") != 0)) {
                fprintf(stderr, "Usage: peers-server-sdbus --bus NAME | --listen unix:path=FILE\n");
                return 2;
        }
        bool peer = strcmp(argv[1], "--listen") == 0;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        r = sd_event_default(&event);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGTERM, NULL, NULL);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGINT, NULL, NULL);
        if (r >= 0)
                r = peer ? peers_sd_accept_peer(argv[2], &bus) : sd_bus_open_user(&bus);
        if (r >= 0)
                r = sd_bus_add_object_vtable(bus, NULL, PEERS_PATH, PEERS_INTERFACE, vtable, NULL);
        if (r >= 0 && !peer)
                r = sd_bus_request_name(bus, argv[2], 0);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0 && peer)
                r = sd_bus_set_exit_on_disconnect(bus, 1);
        if (r < 0) {
                fprintf(stderr, "peers-server-sdbus: %s\n", strerror(-r));
                return 1;
        }
        if (!peer) {
                printf("ready\n");
                fflush(stdout);
        }
        r = sd_event_loop(event);
        sd_bus_flush_close_unref(bus);
        sd_event_unref(event);
        /* in peer mode the loop ends with EXIT_FAILURE when the peer hangs up (sd_bus_set_exit_on_disconnect) */
        return r < 0 ? 1 : 0;
}

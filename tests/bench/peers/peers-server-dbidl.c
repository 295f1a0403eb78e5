/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-server-dbidl.c — org.dbidl.BenchPeers1 served by the skeleton dbidlc generates */

/*
 * peers-server-dbidl --bus NAME | --listen unix:path=FILE
 *
 * The generated skeleton (gen/bench-peers-server.c) reads the arguments and lends them to the handlers below;
 * Echo answers with bp_return_echo() (the output borrowed from the request, as docs/c-api.md recommends for a
 * handler that already holds its output), Ticks go out through bp_emit_tick().  Peer-to-peer it accepts one
 * connection as the sd-bus server does (peers-sd.c) and exits when the peer goes.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-peers.h"
#include "peers.h"
#include "peers-sd.h"

static int on_ping(sd_bus_message *call, void *userdata, int32_t x, int32_t *ret_y, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_y = x + 1;
        return 0;
}

static int on_echo(sd_bus_message *call, void *userdata, const char *s, char **ret_r, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_r;
        (void) ret_error;
        return bp_return_echo(call, s);
}

static int on_sum(sd_bus_message *call, void *userdata, const int32_t *v, size_t n_v, int64_t *ret_total,
                  sd_bus_error *ret_error) {
        int64_t total = 0;
        (void) call;
        (void) userdata;
        (void) ret_error;
        for (size_t i = 0; i < n_v; i++)
                total += v[i];
        *ret_total = total;
        return 0;
}

static int on_structs(sd_bus_message *call, void *userdata, const bp_ItemArray *v, uint32_t *ret_n, int64_t *ret_total,
                      sd_bus_error *ret_error) {
        int64_t total = 0;
        (void) call;
        (void) userdata;
        (void) ret_error;
        for (size_t i = 0; i < v->n; i++)
                total += v->items[i].id;
        *ret_n = (uint32_t) v->n;
        *ret_total = total;
        return 0;
}

static int on_burst(sd_bus_message *call, void *userdata, uint32_t n, uint32_t size, sd_bus_error *ret_error) {
        sd_bus *bus = sd_bus_message_get_bus(call);
        char *pad;
        int r = 0;
        (void) userdata;
        (void) ret_error;
        pad = malloc((size_t) size + 1);
        if (!pad)
                return -ENOMEM;
        memset(pad, 'x', size);
        pad[size] = '\0';
        for (uint32_t i = 0; i < n && r >= 0; i++)
                r = bp_emit_tick(bus, PEERS_PATH, i, pad);
        free(pad);
        return r < 0 ? r : 0;
}

static const bp_handlers handlers = {
        .handle_ping = on_ping,
        .handle_echo = on_echo,
        .handle_sum = on_sum,
        .handle_structs = on_structs,
        .handle_burst = on_burst,
};

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        int r;

        if (argc != 3 || (strcmp(argv[1], "--bus") != 0 && strcmp(argv[1], "--listen") != 0)) {
                fprintf(stderr, "Usage: peers-server-dbidl --bus NAME | --listen unix:path=FILE\n");
                return 2;
        }
        bool peer = strcmp(argv[1], "--listen") == 0;
        r = peer ? peers_sd_accept_peer(argv[2], &bus) : dbidl_bus_open_session(&bus);
        if (r >= 0)
                r = bp_export(bus, PEERS_PATH, &handlers, NULL, NULL);
        if (r >= 0 && !peer)
                r = dbidl_bus_request_name(bus, argv[2], 0);
        if (r >= 0 && peer)
                r = sd_bus_set_exit_on_disconnect(bus, 1);
        if (r < 0) {
                fprintf(stderr, "peers-server-dbidl: %s\n", strerror(-r));
                return 1;
        }
        if (!peer) {
                printf("ready\n");
                fflush(stdout);
        }
        r = dbidl_bus_run(bus, NULL);
        sd_bus_flush_close_unref(bus);
        /* in peer mode the loop ends with EXIT_FAILURE when the peer hangs up (sd_bus_set_exit_on_disconnect) */
        return r < 0 ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-service.c — bench-service: Echo(ai) through the generated skeleton and through a hand-written sd-bus vtable */

/*
 * Both interfaces live at BENCH_PATH on the same connection and the same sd-event loop, so a call to either
 * costs the same in sd-bus's object lookup and in the bus daemon; only the code between sd-bus and the
 * payload differs:
 *
 *   org.dbidl.Bench1 (generated, bench-server.c): the skeleton reads the argument zero-copy
 *   (sd_bus_message_read_array through dbidl_message_read_array) and lends it to echo() below, which
 *   answers at once with the generated org_dbidl_bench1_return_echo(): the output goes out borrowed, appended with
 *   one sd_bus_message_append_array call straight from the request, as the hand-written path does.
 *   (Handing the output back through ret_echoed would need a copy, since the skeleton frees what
 *   ret_* point to; at 256 KiB that third buffer makes glibc trim and re-fault the heap on every call.)
 *
 *   org.dbidl.BenchRaw1 (hand-written, raw_echo() below): what one writes with sd-bus alone:
 *   sd_bus_message_read_array, then sd_bus_message_append_array of that same pointer into the reply
 *   (no buffer of its own), sd_bus_send.
 *
 * With --address the same two interfaces are served peer-to-peer by a dbidl_server, on every connection.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench-common.h"

/* The generated path's handler: answer now with the input lent back as the output (no copy). */
static int echo(sd_bus_message *call, void *userdata, const int32_t *values, size_t n_values, int32_t **ret_echoed,
                size_t *ret_n_echoed, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_echoed;
        (void) ret_n_echoed;
        (void) ret_error;
        return org_dbidl_bench1_return_echo(call, values, n_values);
}

static const org_dbidl_bench1_handlers handlers = {
        .handle_echo = echo,
};

/* The hand-written path: read the array in place and append it to the reply straight from the request. */
static int raw_echo(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        sd_bus_message *reply = NULL;
        const void *p = NULL;
        size_t size = 0;
        int r;

        (void) userdata;
        (void) ret_error;
        r = sd_bus_message_read_array(call, 'i', &p, &size);
        if (r < 0)
                return r;
        r = sd_bus_message_new_method_return(call, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_append_array(reply, 'i', p, size);
        if (r >= 0)
                r = sd_bus_send(NULL, reply, NULL);
        sd_bus_message_unref(reply);
        return r < 0 ? r : 1;
}

static const sd_bus_vtable raw_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Echo", SD_BUS_ARGS("ai", values), SD_BUS_RESULT("ai", echoed), raw_echo, 0),
        SD_BUS_VTABLE_END
};

/* Both interfaces at BENCH_PATH on `bus`: a bus connection, or each peer connection of --address. */
static int export_both(sd_bus *bus, void *userdata) {
        (void) userdata;
        int r = org_dbidl_bench1_export(bus, BENCH_PATH, &handlers, NULL, NULL);
        if (r < 0) {
                fprintf(stderr, "bench-service: cannot export %s: %s\n", ORG_DBIDL_BENCH1_INTERFACE, strerror(-r));
                return r;
        }
        r = sd_bus_add_object_vtable(bus, NULL, BENCH_PATH, BENCH_RAW_INTERFACE, raw_vtable, NULL);
        if (r < 0)
                fprintf(stderr, "bench-service: cannot export %s: %s\n", BENCH_RAW_INTERFACE, strerror(-r));
        return r;
}

/* --address: a peer-to-peer server (dbidl_server) serving both interfaces on every connection. */
static int serve_peers(const char *address) {
        dbidl_server *server = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = dbidl_server_new(&server);
        if (r >= 0)
                r = dbidl_server_add_export(server, export_both, NULL);
        if (r >= 0)
                r = dbidl_server_listen(server, address, &error);
        if (r < 0) {
                fprintf(stderr, "bench-service: cannot listen on %s: %s\n", address,
                        error.message ? error.message : strerror(-r));
                goto out;
        }
        printf("address: %s\n", dbidl_server_get_client_address(server));
        r = dbidl_server_run(server, NULL);
        if (r < 0)
                fprintf(stderr, "bench-service: event loop failed: %s\n", strerror(-r));
out:
        sd_bus_error_free(&error);
        dbidl_server_unref(server); /* closes the connections and removes the socket file */
        return r < 0 ? 1 : 0;
}

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        int r;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: bench-service [--address ADDR]\n"
                       "Serve %s and %s at %s as %s on the session bus until SIGTERM;\n"
                       "with --address, peer-to-peer on the D-Bus server address ADDR instead (for example\n"
                       "unix:tmpdir=/tmp), printing 'address: CLIENT-ADDRESS' once it listens.\n",
                       ORG_DBIDL_BENCH1_INTERFACE, BENCH_RAW_INTERFACE, BENCH_PATH, BENCH_NAME);
                return 0;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc == 3 && strcmp(argv[1], "--address") == 0)
                return serve_peers(argv[2]);
        if (argc > 1) {
                fprintf(stderr, "bench-service: invalid arguments (see --help)\n");
                return 2;
        }

        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "bench-service: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = export_both(bus, NULL);
        if (r < 0)
                goto out;
        r = dbidl_bus_request_name(bus, BENCH_NAME, 0);
        if (r <= 0) {
                fprintf(stderr, "bench-service: cannot own %s: %s\n", BENCH_NAME, r < 0 ? strerror(-r) : "queued");
                r = r < 0 ? r : -EEXIST;
                goto out;
        }
        printf("bench-service: serving %s and %s at %s\n", ORG_DBIDL_BENCH1_INTERFACE, BENCH_RAW_INTERFACE, BENCH_PATH);
        r = dbidl_bus_run(bus, NULL);
        if (r < 0)
                fprintf(stderr, "bench-service: event loop failed: %s\n", strerror(-r));
out:
        sd_bus_flush_close_unref(bus);
        return r < 0 ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/fortune/client.c — fortune-client: Qt's Local Fortune Client over a peer-to-peer D-Bus connection */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fortune.h"

#define FORTUNE_PATH "/org/example/Fortune1"

typedef struct listener {
        int wanted, got;
        bool vanished;
} listener;

static void on_new_fortune(fortune_proxy *proxy, const char *text, void *userdata) {
        listener *l = userdata;
        (void) proxy;
        printf("new fortune: %s\n", text);
        l->got++;
}

static void on_vanished(dbidl_proxy *proxy, void *userdata) {
        listener *l = userdata;
        (void) proxy;
        l->vanished = true;
}

int main(int argc, char **argv) {
        const char *address = NULL;
        long count = 1, listen_for = 0;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus *bus = NULL;
        fortune_proxy *proxy = NULL;
        char *current = NULL;
        int r, status = 0;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                        printf("Usage: fortune-client [--count N] [--listen N] ADDRESS\n"
                               "Connect to the fortune server at ADDRESS (what fortune-server printed), ask for N\n"
                               "fortunes (default 1), never the same twice in a row, then with --listen wait for N\n"
                               "announced ones.\n");
                        return 0;
                }
                if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
                        count = atol(argv[++i]);
                else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
                        listen_for = atol(argv[++i]);
                else if (!address && argv[i][0] != '-')
                        address = argv[i];
                else {
                        fprintf(stderr, "fortune-client: unknown argument '%s' (try --help)\n", argv[i]);
                        return 2;
                }
        }
        if (!address) {
                fprintf(stderr, "fortune-client: which server?  Give the address fortune-server printed.\n");
                return 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);

        /* peer-to-peer: no bus daemon, no Hello, no names; the proxy's destination is NULL */
        r = dbidl_bus_open_peer(address, 0, &bus);
        if (r < 0) {
                fprintf(stderr, "fortune-client: cannot connect to %s: %s\n", address, strerror(-r));
                return 1;
        }
        r = fortune_proxy_new(bus, NULL, FORTUNE_PATH, &proxy);
        if (r < 0) {
                fprintf(stderr, "fortune-client: %s\n", strerror(-r));
                sd_bus_flush_close_unref(bus);
                return 1;
        }

        /* as Qt's client: a fortune equal to the one on screen is not shown; ask again (at most 100 times) */
        for (long shown = 0, asked = 0; shown < count && asked < 100 * count; asked++) {
                char *next = NULL;
                r = fortune_call_get_fortune(proxy, &next, 0, &error);
                if (r < 0) {
                        fprintf(stderr, "fortune-client: GetFortune: %s\n", dbidl_error_message(r, &error));
                        status = 1;
                        break;
                }
                if (current && strcmp(next, current) == 0) {
                        free(next);
                        continue;
                }
                free(current);
                current = next;
                printf("%s\n", current);
                shown++;
        }

        if (listen_for > 0 && status == 0) {
                listener l = { .wanted = (int) listen_for };
                sd_bus_slot *signal_slot = NULL, *watch_slot = NULL;
                r = fortune_connect_new_fortune(proxy, on_new_fortune, &l, &signal_slot);
                if (r >= 0)
                        r = dbidl_proxy_watch(fortune_proxy_base(proxy), NULL, on_vanished, &l, &watch_slot);
                while (r >= 0 && l.got < l.wanted && !l.vanished) {
                        r = sd_bus_process(bus, NULL);
                        if (r == 0)
                                r = sd_bus_wait(bus, UINT64_MAX);
                }
                if (l.vanished)
                        fprintf(stderr, "fortune-client: the server went away\n");
                status = l.got < l.wanted;
                sd_bus_slot_unref(signal_slot);
                sd_bus_slot_unref(watch_slot);
        }

        free(current);
        sd_bus_error_free(&error);
        fortune_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        return status;
}

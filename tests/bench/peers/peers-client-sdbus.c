/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-client-sdbus.c — the hand-written sd-bus contender's calls (main() in peers-client.c) */

/*
 * What a competent sd-bus programmer writes, since every other figure is a ratio to these: sd_bus_call_method
 * for the basic signatures, sd_bus_message_append_array for the ai, open_container/append_basic for the
 * a(isd), replies read with sd_bus_message_read (strings borrowed: the echo is compared inside the reply
 * and never copied), Ticks through sd_bus_match_signal.  The connection is attached to the thread's default
 * sd-event loop, as in an application with a main loop, like the dbidl client's: the blocking calls do not run it,
 * rss4m's idle time does.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "peers.h"
#include "peers-sd.h"

typedef struct client {
        sd_event *event;
        sd_bus *bus;
        const char *dest; /* NULL peer-to-peer */
        sd_bus_slot *tick_slot;
        peers_ticks *ticks;
} client;

static int fail(const char *what, int r, sd_bus_error *error) {
        fprintf(stderr, "peers-client: sdbus: %s failed: %s\n", what,
                sd_bus_error_is_set(error) ? error->message : strerror(-r));
        sd_bus_error_free(error);
        return -1;
}

static int sd_connect(const char *bus_name, const char *address, void **ret) {
        client *c = calloc(1, sizeof *c);
        int r;
        if (!c)
                return -1;
        r = address ? peers_sd_connect_peer(address, &c->bus) : sd_bus_open_user(&c->bus);
        if (r >= 0)
                r = peers_sd_attach_default_event(c->bus, &c->event);
        if (r < 0) {
                fprintf(stderr, "peers-client: sdbus: cannot connect: %s\n", strerror(-r));
                sd_bus_flush_close_unref(c->bus);
                free(c);
                return -1;
        }
        c->dest = bus_name;
        *ret = c;
        return 0;
}

static void sd_disconnect(void *p) {
        client *c = p;
        sd_bus_slot_unref(c->tick_slot);
        sd_bus_flush_close_unref(c->bus);
        sd_event_unref(c->event);
        free(c);
}

static int sd_ping(void *p, int32_t x, int32_t *ret_y) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        int r = sd_bus_call_method(c->bus, c->dest, PEERS_PATH, PEERS_INTERFACE, "Ping", &error, &reply, "i", x);
        if (r < 0)
                return fail("Ping", r, &error);
        r = sd_bus_message_read_basic(reply, 'i', ret_y);
        sd_bus_message_unref(reply);
        return r < 0 ? fail("reading Ping's reply", r, &error) : 0;
}

static int sd_echo(void *p, const char *s, size_t len) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *got = NULL;
        int r = sd_bus_call_method(c->bus, c->dest, PEERS_PATH, PEERS_INTERFACE, "Echo", &error, &reply, "s", s);
        if (r < 0)
                return fail("Echo", r, &error);
        r = sd_bus_message_read_basic(reply, 's', &got);
        if (r < 0) {
                sd_bus_message_unref(reply);
                return fail("reading Echo's reply", r, &error);
        }
        r = peers_check_echo("sdbus", s, len, got, SIZE_MAX);
        sd_bus_message_unref(reply);
        return r;
}

static int sd_sum(void *p, const int32_t *v, size_t n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        int r = sd_bus_message_new_method_call(c->bus, &m, c->dest, PEERS_PATH, PEERS_INTERFACE, "Sum");
        if (r >= 0)
                r = sd_bus_message_append_array(m, 'i', v, n * sizeof(int32_t));
        if (r >= 0)
                r = sd_bus_call(c->bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_read_basic(reply, 'x', ret_total);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(m);
        return r < 0 ? fail("Sum", r, &error) : 0;
}

static int sd_structs(void *p, const peers_item *v, size_t n, uint32_t *ret_n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        int r = sd_bus_message_new_method_call(c->bus, &m, c->dest, PEERS_PATH, PEERS_INTERFACE, "Structs");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(isd)");
        for (size_t i = 0; i < n && r >= 0; i++) {
                r = sd_bus_message_open_container(m, 'r', "isd");
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 'i', &v[i].id);
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 's', v[i].name);
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 'd', &v[i].value);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(c->bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_read(reply, "ux", ret_n, ret_total);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(m);
        return r < 0 ? fail("Structs", r, &error) : 0;
}

static int on_tick(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        client *c = userdata;
        uint32_t seq;
        const char *pad;
        (void) ret_error;
        if (sd_bus_message_read(m, "us", &seq, &pad) >= 0 && c->ticks)
                peers_tick(c->ticks, seq);
        return 0;
}

static int sd_burst(void *p, uint32_t n, uint32_t size, double timeout, peers_ticks *t) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;
        if (!c->tick_slot) {
                /* on the bus the match is added synchronously: subscribed before Burst is called */
                r = sd_bus_match_signal(c->bus, &c->tick_slot, c->dest, PEERS_PATH, PEERS_INTERFACE, "Tick", on_tick, c);
                if (r < 0)
                        return fail("sd_bus_match_signal", r, &error);
        }
        c->ticks = t;
        r = sd_bus_call_method(c->bus, c->dest, PEERS_PATH, PEERS_INTERFACE, "Burst", &error, NULL, "uu", n, size);
        if (r < 0)
                return fail("Burst", r, &error);
        double deadline = peers_now() + timeout;
        while (t->received + t->wrong < n && t->expected < n) {
                double left = deadline - peers_now();
                if (left <= 0)
                        break;
                r = sd_bus_process(c->bus, NULL);
                if (r < 0)
                        return fail("sd_bus_process", r, &error);
                if (r == 0) {
                        r = sd_bus_wait(c->bus, (uint64_t) (left * 1e6));
                        if (r < 0)
                                return fail("sd_bus_wait", r, &error);
                }
        }
        c->ticks = NULL;
        return 0;
}

static int sd_idle(void *p, double seconds) {
        return peers_sd_idle("sdbus", ((client *) p)->event, seconds);
}

static const peers_ops sdbus_ops = {
        .name = "sdbus",
        .connect = sd_connect,
        .disconnect = sd_disconnect,
        .ping = sd_ping,
        .echo = sd_echo,
        .sum = sd_sum,
        .structs = sd_structs,
        .burst = sd_burst,
        .idle = sd_idle,
};

const peers_ops *peers_contender(bool borrowed) {
        return borrowed ? NULL : &sdbus_ops;
}

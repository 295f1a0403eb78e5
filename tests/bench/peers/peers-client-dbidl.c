/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-client-dbidl.c — the dbidl contender's calls: the stubs dbidlc generates (main() in peers-client.c) */

/*
 * Blocking calls through the generated bp_call_*() (gen/bench-peers-client.c), Ticks through the generated
 * bp_connect_tick().  Outputs are owned by the caller, as docs/c-api.md says, so Echo's reply is a malloc'd
 * copy that is compared and freed.
 *
 * The connection is attached to the thread's default sd-event loop, as in an application with a main loop: the
 * blocking calls do not run it, but rss4m's idle time does, and with it the runtime's trim of the heap after a
 * burst of large messages (dbidl_trim_memory(), docs/runtime.md).
 *
 * --borrowed selects the contender "dbidl-borrowed": the same calls through the generated bp_borrow_*(),
 * whose outputs are lent from the reply (one dbidl_reply to free per call, no copy).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-peers.h"
#include "peers.h"
#include "peers-sd.h"

typedef struct client {
        sd_event *event;
        sd_bus *bus;
        bp_proxy *proxy;
        bp_ItemArray items; /* Structs' input in the generated type; the strings are the workload's, lent */
        sd_bus_slot *tick_slot;
        peers_ticks *ticks;
} client;

static int fail(const char *what, int r, sd_bus_error *error) {
        fprintf(stderr, "peers-client: dbidl: %s failed: %s\n", what, dbidl_error_message(r, error));
        sd_bus_error_free(error);
        return -1;
}

static int db_connect(const char *bus_name, const char *address, void **ret) {
        client *c = calloc(1, sizeof *c);
        int r;
        if (!c)
                return -1;
        r = address ? peers_sd_connect_peer(address, &c->bus) : dbidl_bus_open_session(&c->bus);
        if (r >= 0)
                r = peers_sd_attach_default_event(c->bus, &c->event);
        if (r >= 0)
                r = bp_proxy_new(c->bus, bus_name, PEERS_PATH, &c->proxy);
        if (r < 0) {
                fprintf(stderr, "peers-client: dbidl: cannot connect: %s\n", strerror(-r));
                sd_bus_flush_close_unref(c->bus);
                sd_event_unref(c->event);
                free(c);
                return -1;
        }
        *ret = c;
        return 0;
}

static void db_disconnect(void *p) {
        client *c = p;
        free(c->items.items);
        sd_bus_slot_unref(c->tick_slot);
        bp_proxy_unref(c->proxy);
        sd_bus_flush_close_unref(c->bus);
        sd_event_unref(c->event);
        free(c);
}

static int db_ping(void *p, int32_t x, int32_t *ret_y) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = bp_call_ping(c->proxy, x, ret_y, 0, &error);
        return r < 0 ? fail("Ping", r, &error) : 0;
}

static int db_echo(void *p, const char *s, size_t len) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char *got = NULL;
        int r = bp_call_echo(c->proxy, s, &got, 0, &error);
        if (r < 0)
                return fail("Echo", r, &error);
        r = peers_check_echo("dbidl", s, len, got, SIZE_MAX);
        free(got);
        return r;
}

static int db_sum(void *p, const int32_t *v, size_t n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = bp_call_sum(c->proxy, v, n, ret_total, 0, &error);
        return r < 0 ? fail("Sum", r, &error) : 0;
}

static int db_structs_prepare(void *p, const peers_item *v, size_t n) {
        client *c = p;
        c->items.items = calloc(n, sizeof(bp_Item));
        if (!c->items.items)
                return -1;
        for (size_t i = 0; i < n; i++)
                c->items.items[i] = (bp_Item) { .id = v[i].id, .name = (char *) v[i].name, .value = v[i].value };
        c->items.n = n;
        return 0;
}

static int db_structs(void *p, const peers_item *v, size_t n, uint32_t *ret_n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        (void) v;
        (void) n;
        int r = bp_call_structs(c->proxy, &c->items, ret_n, ret_total, 0, &error);
        return r < 0 ? fail("Structs", r, &error) : 0;
}

static void on_tick(bp_proxy *proxy, uint32_t seq, const char *pad, void *userdata) {
        client *c = userdata;
        (void) proxy;
        (void) pad;
        if (c->ticks)
                peers_tick(c->ticks, seq);
}

static int db_burst(void *p, uint32_t n, uint32_t size, double timeout, peers_ticks *t) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;
        if (!c->tick_slot) {
                r = bp_connect_tick(c->proxy, on_tick, c, &c->tick_slot);
                if (r < 0)
                        return fail("bp_connect_tick", r, &error);
        }
        c->ticks = t;
        r = bp_call_burst(c->proxy, n, size, 0, &error);
        if (r < 0)
                return fail("Burst", r, &error);
        double deadline = peers_now() + timeout;
        while (t->received + t->wrong < n && t->expected < n) {
                double left = deadline - peers_now();
                if (left <= 0)
                        break;
                r = dbidl_bus_dispatch(c->bus);
                if (r < 0)
                        return fail("dbidl_bus_dispatch", r, &error);
                if (t->received + t->wrong < n && t->expected < n) {
                        r = sd_bus_wait(c->bus, (uint64_t) (left * 1e6));
                        if (r < 0)
                                return fail("sd_bus_wait", r, &error);
                }
        }
        c->ticks = NULL;
        return 0;
}

static int db_idle(void *p, double seconds) {
        return peers_sd_idle("dbidl", ((client *) p)->event, seconds);
}

static const peers_ops dbidl_ops = {
        .name = "dbidl",
        .connect = db_connect,
        .disconnect = db_disconnect,
        .ping = db_ping,
        .echo = db_echo,
        .sum = db_sum,
        .structs_prepare = db_structs_prepare,
        .structs = db_structs,
        .burst = db_burst,
        .idle = db_idle,
};

/* The same calls through the generated bp_borrow_*(): outputs lent from the reply, one dbidl_reply to free. */
static int db_echo_lent(void *p, const char *s, size_t len) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_reply *reply = NULL;
        const char *got = NULL;
        int r = bp_borrow_echo(c->proxy, s, &got, 0, &error, &reply);
        if (r < 0)
                return fail("Echo", r, &error);
        r = peers_check_echo("dbidl-borrowed", s, len, got, SIZE_MAX);
        dbidl_reply_free(reply);
        return r;
}

static int db_ping_lent(void *p, int32_t x, int32_t *ret_y) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_reply *reply = NULL;
        int r = bp_borrow_ping(c->proxy, x, ret_y, 0, &error, &reply);
        dbidl_reply_free(reply);
        return r < 0 ? fail("Ping", r, &error) : 0;
}

static int db_sum_lent(void *p, const int32_t *v, size_t n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_reply *reply = NULL;
        int r = bp_borrow_sum(c->proxy, v, n, ret_total, 0, &error, &reply);
        dbidl_reply_free(reply);
        return r < 0 ? fail("Sum", r, &error) : 0;
}

static int db_structs_lent(void *p, const peers_item *v, size_t n, uint32_t *ret_n, int64_t *ret_total) {
        client *c = p;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_reply *reply = NULL;
        (void) v;
        (void) n;
        int r = bp_borrow_structs(c->proxy, &c->items, ret_n, ret_total, 0, &error, &reply);
        dbidl_reply_free(reply);
        return r < 0 ? fail("Structs", r, &error) : 0;
}

static const peers_ops dbidl_borrowed_ops = {
        .name = "dbidl-borrowed",
        .connect = db_connect,
        .disconnect = db_disconnect,
        .ping = db_ping_lent,
        .echo = db_echo_lent,
        .sum = db_sum_lent,
        .structs_prepare = db_structs_prepare,
        .structs = db_structs_lent,
        .burst = db_burst,
        .idle = db_idle,
};

const peers_ops *peers_contender(bool borrowed) {
        return borrowed ? &dbidl_borrowed_ops : &dbidl_ops;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-client-gdbus.c — the GDBus contender's calls: the proxy gdbus-codegen generates (main() in peers-client.c) */

/*
 * Blocking calls through the generated gd_bp_call_*_sync() on a GdBpProxy made without loading properties
 * (the interface has none) and without auto-start; the ai and a(isd) inputs are GVariants built once
 * (the natural GDBus form of a value), Ticks arrive as the proxy's "tick" GObject signal, dispatched by the
 * default main context after Burst's reply.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>

#include "gdbus-peers.h"
#include "peers.h"

typedef struct client {
        GDBusConnection *conn;
        GdBp *proxy;
        GVariant *sum_v;
        GVariant *items_v;
        peers_ticks *ticks;
        gulong tick_handler;
        gboolean timed_out;
} client;

static int fail(const char *what, GError *error) {
        fprintf(stderr, "peers-client: gdbus: %s failed: %s\n", what, error ? error->message : "?");
        g_clear_error(&error);
        return -1;
}

static int gd_connect(const char *bus_name, const char *address, void **ret) {
        client *c = g_new0(client, 1);
        GError *error = NULL;
        c->conn = address ? g_dbus_connection_new_for_address_sync(address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                                      NULL, NULL, &error)
                          : g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
        if (!c->conn)
                return fail("connecting", error);
        c->proxy = gd_bp_proxy_new_sync(c->conn,
                                        G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                        bus_name, PEERS_PATH, NULL, &error);
        if (!c->proxy)
                return fail("gd_bp_proxy_new_sync", error);
        *ret = c;
        return 0;
}

static void gd_disconnect(void *p) {
        client *c = p;
        if (c->sum_v)
                g_variant_unref(c->sum_v);
        if (c->items_v)
                g_variant_unref(c->items_v);
        g_object_unref(c->proxy);
        g_dbus_connection_close_sync(c->conn, NULL, NULL);
        g_object_unref(c->conn);
        g_free(c);
}

static int gd_ping(void *p, int32_t x, int32_t *ret_y) {
        client *c = p;
        GError *error = NULL;
        gint y = 0;
        if (!gd_bp_call_ping_sync(c->proxy, x, &y, NULL, &error))
                return fail("Ping", error);
        *ret_y = y;
        return 0;
}

static int gd_echo(void *p, const char *s, size_t len) {
        client *c = p;
        GError *error = NULL;
        gchar *got = NULL;
        int r;
        if (!gd_bp_call_echo_sync(c->proxy, s, &got, NULL, &error))
                return fail("Echo", error);
        r = peers_check_echo("gdbus", s, len, got, SIZE_MAX);
        g_free(got);
        return r;
}

static int gd_sum_prepare(void *p, const int32_t *v, size_t n) {
        client *c = p;
        c->sum_v = g_variant_ref_sink(g_variant_new_fixed_array(G_VARIANT_TYPE_INT32, v, n, sizeof(int32_t)));
        return 0;
}

static int gd_sum(void *p, const int32_t *v, size_t n, int64_t *ret_total) {
        client *c = p;
        GError *error = NULL;
        gint64 total = 0;
        (void) v;
        (void) n;
        if (!gd_bp_call_sum_sync(c->proxy, c->sum_v, &total, NULL, &error))
                return fail("Sum", error);
        *ret_total = total;
        return 0;
}

static int gd_structs_prepare(void *p, const peers_item *v, size_t n) {
        client *c = p;
        GVariantBuilder b;
        g_variant_builder_init(&b, G_VARIANT_TYPE("a(isd)"));
        for (size_t i = 0; i < n; i++)
                g_variant_builder_add(&b, "(isd)", v[i].id, v[i].name, v[i].value);
        c->items_v = g_variant_ref_sink(g_variant_builder_end(&b));
        return 0;
}

static int gd_structs(void *p, const peers_item *v, size_t n, uint32_t *ret_n, int64_t *ret_total) {
        client *c = p;
        GError *error = NULL;
        guint got_n = 0;
        gint64 total = 0;
        (void) v;
        (void) n;
        if (!gd_bp_call_structs_sync(c->proxy, c->items_v, &got_n, &total, NULL, &error))
                return fail("Structs", error);
        *ret_n = got_n;
        *ret_total = total;
        return 0;
}

static void on_tick(GdBp *object, guint seq, const gchar *pad, gpointer userdata) {
        client *c = userdata;
        (void) object;
        (void) pad;
        if (c->ticks)
                peers_tick(c->ticks, seq);
}

static gboolean on_timeout(gpointer userdata) {
        client *c = userdata;
        c->timed_out = TRUE;
        return G_SOURCE_REMOVE;
}

static int gd_burst(void *p, uint32_t n, uint32_t size, double timeout, peers_ticks *t) {
        client *c = p;
        GError *error = NULL;
        guint timer;
        if (!c->tick_handler)
                c->tick_handler = g_signal_connect(c->proxy, "tick", G_CALLBACK(on_tick), c);
        c->ticks = t;
        if (!gd_bp_call_burst_sync(c->proxy, n, size, NULL, &error))
                return fail("Burst", error);
        c->timed_out = FALSE;
        timer = g_timeout_add((guint) (timeout * 1000), on_timeout, c);
        while (t->received + t->wrong < n && t->expected < n && !c->timed_out)
                g_main_context_iteration(NULL, TRUE);
        if (!c->timed_out)
                g_source_remove(timer);
        c->ticks = NULL;
        return 0;
}

static const peers_ops gdbus_ops = {
        .name = "gdbus",
        .connect = gd_connect,
        .disconnect = gd_disconnect,
        .ping = gd_ping,
        .echo = gd_echo,
        .sum_prepare = gd_sum_prepare,
        .sum = gd_sum,
        .structs_prepare = gd_structs_prepare,
        .structs = gd_structs,
        .burst = gd_burst,
};

const peers_ops *peers_contender(bool borrowed) {
        return borrowed ? NULL : &gdbus_ops;
}

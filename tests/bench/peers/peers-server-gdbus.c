/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-server-gdbus.c — org.dbidl.BenchPeers1 served by the skeleton gdbus-codegen generates */

/*
 * peers-server-gdbus --bus NAME | --listen unix:path=FILE
 *
 * A GdBpSkeleton (gen/gdbus-peers.c) with one handler per method, as GDBus code is written: arguments as
 * the generated signals pass them (strings borrowed, the ai read with g_variant_get_fixed_array, the a(isd)
 * walked with a GVariantIter and "(i&sd)"), answers with gd_bp_complete_*(), Ticks with gd_bp_emit_tick().
 * On the bus it owns NAME (RequestName, synchronously, before "ready"); with --listen a GDBusServer accepts
 * one connection and the program exits when it closes.
 */

#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "gdbus-peers.h"
#include "peers.h"

static GMainLoop *loop;

static gboolean on_ping(GdBp *object, GDBusMethodInvocation *invocation, gint x, gpointer userdata) {
        (void) userdata;
        gd_bp_complete_ping(object, invocation, x + 1);
        return TRUE;
}

static gboolean on_echo(GdBp *object, GDBusMethodInvocation *invocation, const gchar *s, gpointer userdata) {
        (void) userdata;
        gd_bp_complete_echo(object, invocation, s);
        return TRUE;
}

static gboolean on_sum(GdBp *object, GDBusMethodInvocation *invocation, GVariant *v, gpointer userdata) {
        gsize n = 0;
        const gint32 *p = g_variant_get_fixed_array(v, &n, sizeof(gint32));
        gint64 total = 0;
        (void) userdata;
        for (gsize i = 0; i < n; i++)
                total += p[i];
        gd_bp_complete_sum(object, invocation, total);
        return TRUE;
}

static gboolean on_structs(GdBp *object, GDBusMethodInvocation *invocation, GVariant *v, gpointer userdata) {
        GVariantIter iter;
        gint32 id;
        const gchar *name;
        gdouble value;
        guint n = 0;
        gint64 total = 0;
        (void) userdata;
        g_variant_iter_init(&iter, v);
        while (g_variant_iter_next(&iter, "(i&sd)", &id, &name, &value)) {
                n++;
                total += id;
        }
        gd_bp_complete_structs(object, invocation, n, total);
        return TRUE;
}

static gboolean on_burst(GdBp *object, GDBusMethodInvocation *invocation, guint n, guint size, gpointer userdata) {
        gchar *pad = g_malloc((gsize) size + 1);
        (void) userdata;
        memset(pad, 'x', size);
        pad[size] = '\0';
        for (guint i = 0; i < n; i++)
                gd_bp_emit_tick(object, i, pad);
        g_free(pad);
        gd_bp_complete_burst(object, invocation);
        return TRUE;
}

static gboolean on_sigterm(gpointer userdata) {
        (void) userdata;
        g_main_loop_quit(loop);
        return G_SOURCE_REMOVE;
}

static void on_closed(GDBusConnection *connection, gboolean remote_peer_vanished, GError *error, gpointer userdata) {
        (void) connection;
        (void) remote_peer_vanished;
        (void) error;
        (void) userdata;
        g_main_loop_quit(loop);
}

static gboolean on_new_connection(GDBusServer *server, GDBusConnection *connection, gpointer userdata) {
        GError *error = NULL;
        (void) server;
        if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(userdata), connection, PEERS_PATH, &error)) {
                fprintf(stderr, "peers-server-gdbus: cannot export: %s\n", error->message);
                g_error_free(error);
                return FALSE;
        }
        g_object_ref(connection);
        g_signal_connect(connection, "closed", G_CALLBACK(on_closed), NULL);
        return TRUE;
}

int main(int argc, char **argv) {
        GError *error = NULL;
        GdBp *skeleton;

        if (argc != 3 || (strcmp(argv[1], "--bus") != 0 && strcmp(argv[1], "--listen") != 0)) {
                fprintf(stderr, "Usage: peers-server-gdbus --bus NAME | --listen unix:path=FILE\n");
                return 2;
        }
        loop = g_main_loop_new(NULL, FALSE);
        g_unix_signal_add(SIGTERM, on_sigterm, NULL);
        g_unix_signal_add(SIGINT, on_sigterm, NULL);
        skeleton = gd_bp_skeleton_new();
        g_signal_connect(skeleton, "handle-ping", G_CALLBACK(on_ping), NULL);
        g_signal_connect(skeleton, "handle-echo", G_CALLBACK(on_echo), NULL);
        g_signal_connect(skeleton, "handle-sum", G_CALLBACK(on_sum), NULL);
        g_signal_connect(skeleton, "handle-structs", G_CALLBACK(on_structs), NULL);
        g_signal_connect(skeleton, "handle-burst", G_CALLBACK(on_burst), NULL);

        if (strcmp(argv[1], "--bus") == 0) {
                GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
                GVariant *reply = NULL;
                if (bus && g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(skeleton), bus, PEERS_PATH, &error))
                        reply = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                            "org.freedesktop.DBus", "RequestName",
                                                            g_variant_new("(su)", argv[2], 4 /* DO_NOT_QUEUE */),
                                                            G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                                            &error);
                if (!reply) {
                        fprintf(stderr, "peers-server-gdbus: %s\n", error->message);
                        return 1;
                }
                g_variant_unref(reply);
        } else {
                /* a socket left by an earlier run would make the bind fail */
                if (g_str_has_prefix(argv[2], "unix:path="))
                        g_unlink(argv[2] + strlen("unix:path="));
                gchar *guid = g_dbus_generate_guid();
                GDBusServer *server = g_dbus_server_new_sync(argv[2], G_DBUS_SERVER_FLAGS_NONE, guid, NULL, NULL, &error);
                g_free(guid);
                if (!server) {
                        fprintf(stderr, "peers-server-gdbus: %s\n", error->message);
                        return 1;
                }
                g_signal_connect(server, "new-connection", G_CALLBACK(on_new_connection), skeleton);
                g_dbus_server_start(server);
        }
        printf("ready\n");
        fflush(stdout);
        g_main_loop_run(loop);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/import-bus.c — dbidlc --import-bus: introspect a running service's object tree into one importer
 * (linked into dbidlc-import-bus alone, the one program of dbidlc's that links libsystemd: tools/local.mk) */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "tools/import-bus.h"

/* A walk bigger than this is a service that makes up paths as it is asked: stop there. */
#define MAX_OBJECTS 10000

int import_bus_connect(const char *address, bool system, sd_bus **ret_bus, FILE *err) {
        sd_bus *bus = NULL;
        int r;
        if (address) {
                r = sd_bus_new(&bus);
                if (r >= 0)
                        r = sd_bus_set_address(bus, address);
                if (r >= 0)
                        r = sd_bus_set_bus_client(bus, 1);
                if (r >= 0)
                        r = sd_bus_start(bus);
        } else if (system)
                r = sd_bus_open_system(&bus);
        else
                r = sd_bus_open_user(&bus);
        if (r < 0) {
                fprintf(err, "dbidlc: error: cannot connect to the %s bus: %s\n",
                        address ? address : system ? "system" : "session", strerror(-r));
                sd_bus_unref(bus);
                return r;
        }
        *ret_bus = bus;
        return 0;
}

sd_bus *import_bus_close(sd_bus *bus) {
        /* a bus exists only once libsystemd is loaded */
        if (bus)
                sd_bus_flush_close_unref(bus);
        return NULL;
}

static char *child_path(const char *parent, const char *child) {
        char *p;
        if (child[0] == '/')
                return strdup(child);
        if (asprintf(&p, "%s%s%s", parent, strcmp(parent, "/") == 0 ? "" : "/", child) < 0)
                return NULL;
        return p;
}

int import_bus(sd_bus *bus, const char *destination, const char *root, idl_importer *im, FILE *err) {
        char **queue = calloc(1, sizeof(char *));
        size_t head = 0, n = 0;
        /* the importer's diagnostics point into each document and its name: keep them to the end */
        sd_bus_message **replies = calloc(MAX_OBJECTS, sizeof(sd_bus_message *));
        char **names = calloc(MAX_OBJECTS, sizeof(char *));
        size_t n_kept = 0;
        int r = 0;
        if (!replies || !names) {
                free(replies);
                free(names);
                free(queue);
                return -ENOMEM;
        }
        if (!queue || !(queue[n++] = strdup(root))) {
                free(queue);
                return -ENOMEM;
        }
        while (head < n && head < MAX_OBJECTS) {
                const char *path = queue[head++];
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *reply = NULL;
                const char *xml;
                r = sd_bus_call_method(bus, destination, path, "org.freedesktop.DBus.Introspectable", "Introspect",
                                       &error, &reply, "");
                if (r < 0) {
                        fprintf(err, "dbidlc: error: cannot introspect %s at %s: %s\n", destination, path,
                                error.message ? error.message : strerror(-r));
                        sd_bus_error_free(&error);
                        break;
                }
                r = sd_bus_message_read(reply, "s", &xml);
                if (r >= 0) {
                        /* each document is named "DEST:PATH" in diagnostics */
                        char *name = NULL;
                        if (asprintf(&name, "%s:%s", destination, path) < 0)
                                r = -ENOMEM;
                        else {
                                replies[n_kept] = sd_bus_message_ref(reply);
                                names[n_kept++] = name;
                                r = idl_importer_add(im, name, xml, strlen(xml));
                        }
                }
                if (r >= 0) {
                        const char *const *children;
                        size_t k = idl_importer_get_children(im, &children);
                        char **grown = realloc(queue, (n + k + 1) * sizeof(char *));
                        if (!grown)
                                r = -ENOMEM;
                        else {
                                queue = grown;
                                for (size_t i = 0; i < k && r >= 0; i++)
                                        if (!(queue[n++] = child_path(path, children[i])))
                                                r = -ENOMEM;
                        }
                }
                sd_bus_message_unref(reply);
                if (r < 0)
                        break;
        }
        for (size_t i = 0; i < n; i++)
                free(queue[i]);
        free(queue);
        /* the model holds copies; the documents were only needed while diagnostics could point into them */
        for (size_t i = 0; i < n_kept; i++) {
                sd_bus_message_unref(replies[i]);
                free(names[i]);
        }
        free(replies);
        free(names);
        return r < 0 ? r : 0;
}

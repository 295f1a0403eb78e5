/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/proxy.c — dbidl_proxy: a remote object, calls sync and async, signal slots, property access */

#include <stdlib.h>
#include <string.h>

#include <dbidl/proxy.h>

#include "runtime/util.h"

struct dbidl_proxy {
        unsigned n_ref;
        sd_bus *bus;
        char *destination;
        char *path;
        char *interface;
        uint64_t timeout_usec;
};

DEFINE_TRIVIAL_CLEANUP_FUNC(dbidl_proxy *, dbidl_proxy_unref);

static const char properties_interface[] = "org.freedesktop.DBus.Properties";

int dbidl_proxy_new(sd_bus *bus, const char *destination, const char *path, const char *interface,
                    dbidl_proxy **ret) {
        return_if_fail(bus, -EINVAL);
        return_if_fail(path && sd_bus_object_path_is_valid(path), -EINVAL);
        return_if_fail(interface && sd_bus_interface_name_is_valid(interface), -EINVAL);
        return_if_fail(!destination || sd_bus_service_name_is_valid(destination), -EINVAL);
        return_if_fail(ret, -EINVAL);

        _cleanup_(dbidl_proxy_unrefp) dbidl_proxy *p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        p->n_ref = 1;
        p->bus = sd_bus_ref(bus);
        p->path = strdup(path);
        p->interface = strdup(interface);
        if (destination)
                p->destination = strdup(destination);
        if (!p->path || !p->interface || (destination && !p->destination))
                return -ENOMEM;

        *ret = TAKE_PTR(p);
        return 0;
}

dbidl_proxy *dbidl_proxy_ref(dbidl_proxy *p) {
        if (p)
                p->n_ref++;
        return p;
}

dbidl_proxy *dbidl_proxy_unref(dbidl_proxy *p) {
        if (!p || --p->n_ref > 0)
                return NULL;
        sd_bus_unref(p->bus);
        free(p->destination);
        free(p->path);
        free(p->interface);
        free(p);
        return NULL;
}

sd_bus *dbidl_proxy_get_bus(const dbidl_proxy *p) {
        return p ? p->bus : NULL;
}

const char *dbidl_proxy_get_destination(const dbidl_proxy *p) {
        return p ? p->destination : NULL;
}

const char *dbidl_proxy_get_path(const dbidl_proxy *p) {
        return p ? p->path : NULL;
}

const char *dbidl_proxy_get_interface(const dbidl_proxy *p) {
        return p ? p->interface : NULL;
}

int dbidl_proxy_set_timeout(dbidl_proxy *p, uint64_t usec) {
        return_if_fail(p, -EINVAL);
        p->timeout_usec = usec;
        return 0;
}

uint64_t dbidl_proxy_get_timeout(const dbidl_proxy *p) {
        return p ? p->timeout_usec : 0;
}

int dbidl_proxy_new_call(dbidl_proxy *p, const char *member, sd_bus_message **ret) {
        return_if_fail(p && member && ret, -EINVAL);
        return sd_bus_message_new_method_call(p->bus, ret, p->destination, p->path, p->interface, member);
}

int dbidl_proxy_call(dbidl_proxy *p, sd_bus_message *m, sd_bus_error *ret_error, sd_bus_message **ret_reply) {
        return_if_fail(p && m && ret_reply, -EINVAL);
        int r = sd_bus_call(p->bus, m, p->timeout_usec, ret_error, ret_reply);
        return r < 0 ? r : 0;
}

int dbidl_proxy_send(dbidl_proxy *p, sd_bus_message *m) {
        return_if_fail(p && m, -EINVAL);
        int r = sd_bus_message_set_expect_reply(m, 0);
        if (r < 0)
                return r;
        r = sd_bus_send(p->bus, m, NULL);
        return r < 0 ? r : 0;
}

typedef struct callback_slot {
        dbidl_callback cb;
        dbidl_trampoline trampoline;
} callback_slot;

static void callback_slot_free(void *userdata) {
        callback_slot *c = userdata;
        dbidl_proxy_unref(c->cb.proxy);
        free(c);
}

static int callback_slot_dispatch(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        callback_slot *c = userdata;
        (void) ret_error;
        c->trampoline(m, &c->cb);
        return 0;
}

static int callback_slot_new(dbidl_proxy *p, dbidl_trampoline trampoline, void (*callback)(void), void *userdata,
                             callback_slot **ret) {
        callback_slot *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->cb.proxy = dbidl_proxy_ref(p);
        c->cb.callback = callback;
        c->cb.userdata = userdata;
        c->trampoline = trampoline;
        *ret = c;
        return 0;
}

/*
 * Tie the context's lifetime to the slot: freed by sd-bus when the slot goes
 * (released, cancelled, an answered floating async call, the bus closed).
 * Consumes `slot` and `c` on failure as well.
 */
static int callback_slot_attach(sd_bus_slot *slot, callback_slot *c, sd_bus_slot **ret_slot) {
        int r = sd_bus_slot_set_destroy_callback(slot, callback_slot_free);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                callback_slot_free(c);
                return r;
        }
        /* From here on the slot owns c. */
        if (ret_slot) {
                *ret_slot = slot;
                return 0;
        }
        r = sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
        return r < 0 ? r : 0;
}

int dbidl_proxy_call_async(dbidl_proxy *p, sd_bus_message *m, dbidl_trampoline trampoline,
                           void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && m && trampoline && callback, -EINVAL);
        callback_slot *c;
        int r = callback_slot_new(p, trampoline, callback, userdata, &c);
        if (r < 0)
                return r;
        sd_bus_slot *slot = NULL;
        r = sd_bus_call_async(p->bus, &slot, m, callback_slot_dispatch, c, p->timeout_usec);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

int dbidl_proxy_match_signal(dbidl_proxy *p, const char *member, dbidl_trampoline trampoline,
                             void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && member && trampoline && callback, -EINVAL);
        callback_slot *c;
        int r = callback_slot_new(p, trampoline, callback, userdata, &c);
        if (r < 0)
                return r;
        sd_bus_slot *slot = NULL;
        r = sd_bus_match_signal(p->bus, &slot, p->destination, p->path, p->interface, member,
                                callback_slot_dispatch, c);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

int dbidl_proxy_get_property(dbidl_proxy *p, const char *name, const char *signature, sd_bus_error *ret_error,
                             sd_bus_message **ret_reply) {
        return_if_fail(p && name && signature && ret_reply, -EINVAL);
        sd_bus_message *reply = NULL;
        int r = sd_bus_call_method(p->bus, p->destination, p->path, properties_interface, "Get", ret_error,
                                   &reply, "ss", p->interface, name);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'v', signature);
        if (r <= 0) {
                sd_bus_message_unref(reply);
                if (r == 0 || r == -ENXIO) {
                        sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_SIGNATURE,
                                          "Property %s.%s does not have the signature '%s'", p->interface, name,
                                          signature);
                        return -ENXIO;
                }
                return r;
        }
        *ret_reply = reply;
        return 0;
}

int dbidl_proxy_set_property_begin(dbidl_proxy *p, const char *name, const char *signature, sd_bus_message **ret) {
        return_if_fail(p && name && signature && ret, -EINVAL);
        sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(p->bus, &m, p->destination, p->path, properties_interface, "Set");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "ss", p->interface, name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', signature);
        if (r < 0) {
                sd_bus_message_unref(m);
                return r;
        }
        *ret = m;
        return 0;
}

int dbidl_proxy_set_property_end(dbidl_proxy *p, sd_bus_message *m, sd_bus_error *ret_error) {
        return_if_fail(p && m, -EINVAL);
        int r = sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        r = sd_bus_call(p->bus, m, p->timeout_usec, ret_error, NULL);
        return r < 0 ? r : 0;
}

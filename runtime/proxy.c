/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/proxy.c — dbidl_proxy: a remote object, calls sync and async, signal slots, property cache, lifecycle */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/dict.h>
#include <dbidl/generated.h>
#include <dbidl/proxy.h>
#include <dbidl/variant.h>

#include "common/hashmap.h"
#include "runtime/invoke.h"
#include "runtime/memory.h"
#include "runtime/util.h"

struct dbidl_proxy {
        unsigned n_ref;
        sd_bus *bus;
        char *destination;
        char *path;
        char *interface;
        uint64_t timeout_usec;

        /* the destination's unique owner, tracked once anything needs it */
        char *owner;
        sd_bus_slot *owner_match;       /* NameOwnerChanged for the destination */
        sd_bus_slot *owner_query;       /* the initial GetNameOwner */

        /* the property cache */
        dbidl_dict *cache;              /* NULL: no cache */
        sd_bus_slot *cache_match;       /* PropertiesChanged */
        sd_bus_slot *cache_getall;      /* a GetAll in flight */

        /* what the IDL says of the interface's properties (borrowed: a generated static table), or NULL */
        const dbidl_member *properties;
        size_t n_properties;

        /*
         * The PropertiesChanged checked last, and its verdict: the cache and every change slot see the same
         * message, which is checked (bad values reported), and applied to the cache, once.  A reference, so
         * that no later message can have its address.
         */
        sd_bus_message *changed;
        char **changed_refused;         /* its properties whose values the IDL refuses */
        bool changed_ignored;           /* not one to apply: another interface, or malformed (then reported) */

        uint64_t n_bad_messages;
        dbidl_diagnostic_fn diagnostic;
        void *diagnostic_userdata;

        struct callback_slot *floating; /* slots made with ret_slot == NULL: they live as long as the proxy */
};

static const char properties_interface[] = "org.freedesktop.DBus.Properties";

static void floating_slots_release(dbidl_proxy *p);

static void proxy_free(dbidl_proxy *p) {
        /* the proxy's floating slots go with it (their callbacks would have no proxy to pass) */
        floating_slots_release(p);
        sd_bus_slot_unref(p->owner_match);
        sd_bus_slot_unref(p->owner_query);
        sd_bus_slot_unref(p->cache_match);
        sd_bus_slot_unref(p->cache_getall);
        dbidl_dict_unref(p->cache);
        sd_bus_message_unref(p->changed);
        dbidl_strv_free(p->changed_refused);
        sd_bus_unref(p->bus);
        free(p->owner);
        free(p->destination);
        free(p->path);
        free(p->interface);
        free(p);
}

_public_ dbidl_proxy *dbidl_proxy_ref(dbidl_proxy *p) {
        if (p)
                p->n_ref++;
        return p;
}

_public_ dbidl_proxy *dbidl_proxy_unref(dbidl_proxy *p) {
        if (p && --p->n_ref == 0)
                proxy_free(p);
        return NULL;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(dbidl_proxy *, dbidl_proxy_unref);

_public_ int dbidl_proxy_new(sd_bus *bus, const char *destination, const char *path, const char *interface,
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

_public_ sd_bus *dbidl_proxy_get_bus(const dbidl_proxy *p) {
        return p ? p->bus : NULL;
}

_public_ const char *dbidl_proxy_get_destination(const dbidl_proxy *p) {
        return p ? p->destination : NULL;
}

_public_ const char *dbidl_proxy_get_path(const dbidl_proxy *p) {
        return p ? p->path : NULL;
}

_public_ const char *dbidl_proxy_get_interface(const dbidl_proxy *p) {
        return p ? p->interface : NULL;
}

_public_ const char *dbidl_proxy_get_owner(const dbidl_proxy *p) {
        return p ? p->owner : NULL;
}

_public_ int dbidl_proxy_set_timeout(dbidl_proxy *p, uint64_t usec) {
        return_if_fail(p, -EINVAL);
        p->timeout_usec = usec;
        return 0;
}

_public_ uint64_t dbidl_proxy_get_timeout(const dbidl_proxy *p) {
        return p ? p->timeout_usec : 0;
}

static uint64_t effective_timeout(const dbidl_proxy *p, uint64_t timeout_usec) {
        return timeout_usec ? timeout_usec : p->timeout_usec;
}

_public_ int dbidl_proxy_new_call(dbidl_proxy *p, const char *member, sd_bus_message **ret) {
        return_if_fail(p && member && ret, -EINVAL);
        return sd_bus_message_new_method_call(p->bus, ret, p->destination, p->path, p->interface, member);
}

_public_ int dbidl_proxy_call(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, sd_bus_error *ret_error,
                     sd_bus_message **ret_reply) {
        return_if_fail(p && m && ret_reply, -EINVAL);
        int r = sd_bus_call(p->bus, m, effective_timeout(p, timeout_usec), ret_error, ret_reply);
        memory_note(p->bus);
        return r < 0 ? r : 0;
}

int dbidl_proxy_invalid_reply(sd_bus_error *ret_error, const char *what, int r) {
        if (r >= 0)
                r = -EINVAL;
        if (!ret_error || sd_bus_error_is_set(ret_error))
                return r;
        if (r == -ENOMEM)
                (void) sd_bus_error_set_errno(ret_error, r);
        else
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid %s: %s", what ? what : "reply",
                                         invalid_value_reason(r));
        return r;
}

_public_ int dbidl_proxy_send(dbidl_proxy *p, sd_bus_message *m) {
        return_if_fail(p && m, -EINVAL);
        int r = sd_bus_message_set_expect_reply(m, 0);
        if (r < 0)
                return r;
        r = sd_bus_send(p->bus, m, NULL);
        return r < 0 ? r : 0;
}

/* ---- diagnostics ---- */

_public_ int dbidl_proxy_set_diagnostic_handler(dbidl_proxy *p, dbidl_diagnostic_fn handler, void *userdata) {
        return_if_fail(p, -EINVAL);
        p->diagnostic = handler;
        p->diagnostic_userdata = userdata;
        return 0;
}

_public_ uint64_t dbidl_proxy_get_n_bad_messages(const dbidl_proxy *p) {
        return p ? p->n_bad_messages : 0;
}

void dbidl_proxy_report_bad_message(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature) {
        if (!p)
                return;
        p->n_bad_messages++;
        if (p->diagnostic)
                p->diagnostic(p, m, expected_signature, p->diagnostic_userdata);
}

/* ---- what the IDL says of property values ---- */

int dbidl_proxy_set_properties(dbidl_proxy *p, const dbidl_member *properties, size_t n) {
        return_if_fail(p, -EINVAL);
        return_if_fail(properties || n == 0, -EINVAL);
        for (size_t i = 0; i < n; i++)
                return_if_fail(properties[i].name && properties[i].in_signature && properties[i].n_in == 1 &&
                                       properties[i].args && properties[i].args[0].codec,
                               -EINVAL);
        p->properties = n ? properties : NULL;
        p->n_properties = n;
        return 0;
}

static const dbidl_member *property_info(const dbidl_proxy *p, const char *name) {
        for (size_t i = 0; i < p->n_properties; i++)
                if (strcmp(p->properties[i].name, name) == 0)
                        return &p->properties[i];
        return NULL;
}

/* A scratch message holding the value of `v`, positioned at it: what generated read code decodes. */
static int value_message(dbidl_proxy *p, const dbidl_variant *v, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_signal(p->bus, &m, p->path, p->interface, "Cached");
        if (r < 0)
                return r;
        r = dbidl_variant_append_value(m, v);
        if (r < 0)
                return r;
        r = sd_bus_message_seal(m, 1, 0);
        if (r < 0)
                return r;
        r = sd_bus_message_rewind(m, true);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/*
 * May the value `v` of property `name`, which came in `m` (a GetAll or Get
 * reply, a PropertiesChanged), be cached or passed to a change slot?  Yes
 * if it has the signature the IDL gives the property and its table's check
 * accepts it (enum values), or if the IDL does not know the property.  A
 * refused value is counted and reported here, the one place every path
 * goes through; -ENOMEM refuses it without a report.
 */
static bool property_value_ok(dbidl_proxy *p, sd_bus_message *m, const char *name, const dbidl_variant *v) {
        const dbidl_member *info = property_info(p, name);
        if (!info)
                return true;
        int r = strcmp(dbidl_variant_get_signature(v), info->in_signature) == 0 ? 0 : -ENXIO;
        if (r == 0 && (info->flags & DBIDL_PROPERTY_CHECK)) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *value = NULL;
                r = value_message(p, v, &value);
                if (r >= 0)
                        r = value_check(info->args[0].codec, value);
        }
        if (r >= 0)
                return true;
        if (r != -ENOMEM)
                dbidl_proxy_report_bad_message(p, m, info->in_signature);
        return false;
}

/* ---- owner tracking ---- */

static void cache_reload(dbidl_proxy *p);

/*
 * The destination's owner is now `owner` ("" or NULL: none).  After a change
 * the cache is emptied, and reloaded if a new instance appeared; the initial
 * answer to GetNameOwner changes nothing else.
 */
static void set_owner(dbidl_proxy *p, const char *owner, bool initial) {
        bool appeared = owner && *owner;
        free(p->owner);
        p->owner = appeared ? strdup(owner) : NULL;
        if (p->cache && !initial) {
                /* a new instance has new values; a vanished one has none */
                dbidl_dict_unref(p->cache);
                p->cache = NULL;
                (void) dbidl_dict_new(&p->cache);
                if (appeared)
                        cache_reload(p);
        }
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_proxy *p = userdata;
        const char *name, *old_owner, *new_owner;
        (void) ret_error;
        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
                return 0;
        if (!p->destination || strcmp(name, p->destination) != 0)
                return 0;
        set_owner(p, new_owner, false);
        return 0;
}

static int on_owner_query(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_proxy *p = userdata;
        const char *owner;
        (void) ret_error;
        p->owner_query = sd_bus_slot_unref(p->owner_query);
        if (sd_bus_message_is_method_error(m, NULL))
                return 0; /* no owner now: NameOwnerChanged will tell */
        if (sd_bus_message_read(m, "s", &owner) >= 0 && !p->owner)
                set_owner(p, owner, true);
        return 0;
}

static char *match_rule(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *match_rule(const char *fmt, ...) {
        va_list ap;
        char *s = NULL;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        return s;
}

/* Start following the destination's owner: a NameOwnerChanged match and one GetNameOwner. */
static int track_owner(dbidl_proxy *p) {
        if (!p->destination || p->owner_match)
                return 0;
        if (p->destination[0] == ':') {
                /* a unique name is its own owner for as long as it exists */
                p->owner = strdup(p->destination);
                if (!p->owner)
                        return -ENOMEM;
        }
        _cleanup_(freep) char *rule = match_rule("type='signal',sender='org.freedesktop.DBus',"
                                                 "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                                                 "member='NameOwnerChanged',arg0='%s'",
                                                 p->destination);
        if (!rule)
                return -ENOMEM;
        int r = sd_bus_add_match(p->bus, &p->owner_match, rule, on_owner_changed, p);
        if (r < 0)
                return r;
        if (p->destination[0] != ':') {
                r = sd_bus_call_method_async(p->bus, &p->owner_query, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "GetNameOwner", on_owner_query, p, "s",
                                             p->destination);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- callback slots: async calls, signals, property changes, watches ---- */

typedef enum slot_kind {
        SLOT_CALL,
        SLOT_SIGNAL,
        SLOT_PROPERTY,
        SLOT_WATCH,
} slot_kind;

typedef struct callback_slot {
        dbidl_callback cb;
        slot_kind kind;
        dbidl_trampoline trampoline;
        char *name;                     /* SLOT_PROPERTY: the property */
        char *signature;                /* SLOT_PROPERTY: its signature */
        dbidl_appeared_fn appeared;     /* SLOT_WATCH */
        dbidl_vanished_fn vanished;
        char *owner;                    /* SLOT_WATCH: the owner last reported as appeared */
        sd_bus_slot *aux;               /* SLOT_WATCH: the initial GetNameOwner */
        /*
         * A slot the caller holds keeps its proxy alive (a reference).  A floating
         * one (ret_slot NULL) does not: it is listed in the proxy and released with
         * it, so that proxy, slots and bus never keep each other alive.
         */
        bool weak;
        sd_bus_slot *slot;
        struct callback_slot *prev, *next;
} callback_slot;

static void callback_slot_free(void *userdata) {
        callback_slot *c = userdata;
        sd_bus_slot_unref(c->aux);
        if (c->weak) {
                if (c->prev)
                        c->prev->next = c->next;
                else
                        c->cb.proxy->floating = c->next;
                if (c->next)
                        c->next->prev = c->prev;
        } else
                dbidl_proxy_unref(c->cb.proxy);
        free(c->name);
        free(c->signature);
        free(c->owner);
        free(c);
}

static void floating_slots_release(dbidl_proxy *p) {
        /* unref of a floating slot frees it; its destroy callback unlinks it */
        while (p->floating)
                sd_bus_slot_unref(p->floating->slot);
}

static callback_slot *callback_slot_new(dbidl_proxy *p, slot_kind kind, dbidl_trampoline trampoline,
                                        const proxy_member *pm, void (*callback)(void), void *userdata) {
        callback_slot *c = calloc(1, sizeof(*c));
        if (!c)
                return NULL;
        c->cb.proxy = dbidl_proxy_ref(p);
        c->cb.callback = callback;
        c->cb.userdata = userdata;
        if (pm) {
                c->cb.member = pm->member;
                c->cb.deliver = pm->deliver;
        }
        c->kind = kind;
        c->trampoline = trampoline;
        return c;
}

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

/* Report `owner` as appeared unless it already was (the first GetNameOwner and NameOwnerChanged may both tell). */
static void watch_appeared(callback_slot *c, const char *owner) {
        if (!owner || !*owner || (c->owner && strcmp(c->owner, owner) == 0))
                return;
        free(c->owner);
        c->owner = strdup(owner);
        if (c->appeared)
                c->appeared(c->cb.proxy, owner, c->cb.userdata);
}

static bool strv_contains(char *const *strv, const char *s) {
        for (; strv && *strv; strv++)
                if (strcmp(*strv, s) == 0)
                        return true;
        return false;
}

/* true if a signal comes from the connection that owns the destination now (or the owner is not known yet) */
static bool from_owner(const dbidl_proxy *p, sd_bus_message *m) {
        const char *sender = sd_bus_message_get_sender(m);
        return !p->owner || !sender || strcmp(sender, p->owner) == 0;
}

static void changed_check(dbidl_proxy *p, sd_bus_message *m);

/*
 * Position `m` (a PropertiesChanged) at property `name`: 1 inside its value's
 * variant (which has `signature`), 2 if it is listed as invalidated, 0 if it
 * is not mentioned, -ENXIO if its value has another signature.
 */
static int find_changed_property(sd_bus_message *m, const char *name, const char *signature) {
        const char *key;
        int r = sd_bus_message_rewind(m, true);
        if (r < 0)
                return r;
        r = sd_bus_message_skip(m, "s");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r < 0)
                        return r;
                if (strcmp(key, name) == 0) {
                        r = sd_bus_message_enter_container(m, 'v', signature);
                        if (r == 0 || r == -ENXIO)
                                return -ENXIO;
                        return r < 0 ? r : 1;
                }
                r = sd_bus_message_skip(m, "v");
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        /* the invalidated names, looked at in place (no copy: sd_bus_message_read_strv() is O(n²) besides) */
        r = sd_bus_message_enter_container(m, 'a', "s");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        bool found = false;
        while (!found && (r = sd_bus_message_read_basic(m, 's', &key)) > 0)
                found = strcmp(key, name) == 0;
        if (r < 0)
                return r;
        return found ? 2 : 0;
}

static int callback_slot_dispatch(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        callback_slot *c = userdata;
        dbidl_proxy *p = c->cb.proxy;
        (void) ret_error;
        memory_note(p->bus);
        switch (c->kind) {
        case SLOT_CALL:
                c->trampoline(m, &c->cb);
                /* handled: sd_bus_process() then returns > 0, as it does for a raw reply callback that returns 1, so
                 * that a loop of its own knows work was done (a match callback must return 0: > 0 would stop the
                 * other matches of the message) */
                return 1;
        case SLOT_SIGNAL:
                if (from_owner(p, m))
                        c->trampoline(m, &c->cb);
                break;
        case SLOT_PROPERTY: {
                if (!from_owner(p, m))
                        break;
                /* checked (bad values reported) and applied to the cache once, whichever match runs first */
                changed_check(p, m);
                if (p->changed_ignored || strv_contains(p->changed_refused, c->name))
                        break;
                int r = find_changed_property(m, c->name, c->signature);
                if (r == -ENXIO)
                        /* a value the proxy's table accepted, or does not know, but of another type than this slot
                         * wants: a slot made by hand (generated ones ask for the table's signature) */
                        dbidl_proxy_report_bad_message(p, m, c->signature);
                else if (r == 1)
                        c->trampoline(m, &c->cb);
                else if (r == 2)
                        c->trampoline(NULL, &c->cb);
                break;
        }
        case SLOT_WATCH: {
                const char *name, *old_owner, *new_owner;
                if (sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected")) {
                        /* a peer-to-peer proxy: its peer went away with the connection */
                        if (c->owner) {
                                c->owner = mfree(c->owner);
                                if (c->vanished)
                                        c->vanished(p, c->cb.userdata);
                        }
                        break;
                }
                if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
                        break;
                if (*old_owner && c->owner) {
                        c->owner = mfree(c->owner);
                        if (c->vanished)
                                c->vanished(p, c->cb.userdata);
                }
                watch_appeared(c, new_owner);
                break;
        }
        }
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
        if (r < 0) {
                sd_bus_slot_unref(slot);
                return r;
        }
        /* floating: owned by the bus, listed in (and released with) the proxy, which it no longer holds */
        dbidl_proxy *p = c->cb.proxy;
        c->weak = true;
        c->slot = slot;
        c->next = p->floating;
        if (p->floating)
                p->floating->prev = c;
        p->floating = c;
        sd_bus_slot_unref(slot);
        dbidl_proxy_unref(p); /* never the last reference: the caller holds one */
        return 0;
}

int proxy_call_async(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, dbidl_trampoline trampoline,
                     const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && m && trampoline && callback, -EINVAL);
        callback_slot *c = callback_slot_new(p, SLOT_CALL, trampoline, pm, callback, userdata);
        if (!c)
                return -ENOMEM;
        sd_bus_slot *slot = NULL;
        int r = sd_bus_call_async(p->bus, &slot, m, callback_slot_dispatch, c, effective_timeout(p, timeout_usec));
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

int proxy_match_signal(dbidl_proxy *p, const char *member, dbidl_trampoline trampoline, const proxy_member *pm,
                       void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && member && trampoline && callback, -EINVAL);
        int r = track_owner(p);
        if (r < 0)
                return r;
        callback_slot *c = callback_slot_new(p, SLOT_SIGNAL, trampoline, pm, callback, userdata);
        if (!c)
                return -ENOMEM;
        sd_bus_slot *slot = NULL;
        r = sd_bus_match_signal(p->bus, &slot, p->destination, p->path, p->interface, member, callback_slot_dispatch,
                                c);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

static char *properties_changed_rule(const dbidl_proxy *p) {
        if (p->destination)
                return match_rule("type='signal',sender='%s',path='%s',interface='%s',member='PropertiesChanged',"
                                  "arg0='%s'",
                                  p->destination, p->path, properties_interface, p->interface);
        return match_rule("type='signal',path='%s',interface='%s',member='PropertiesChanged',arg0='%s'", p->path,
                          properties_interface, p->interface);
}

int proxy_match_property(dbidl_proxy *p, const char *name, const char *signature, dbidl_trampoline trampoline,
                         const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && name && signature && trampoline && callback, -EINVAL);
        int r = track_owner(p);
        if (r < 0)
                return r;
        _cleanup_(freep) char *rule = properties_changed_rule(p);
        if (!rule)
                return -ENOMEM;
        callback_slot *c = callback_slot_new(p, SLOT_PROPERTY, trampoline, pm, callback, userdata);
        if (!c)
                return -ENOMEM;
        c->name = strdup(name);
        c->signature = strdup(signature);
        if (!c->name || !c->signature) {
                callback_slot_free(c);
                return -ENOMEM;
        }
        sd_bus_slot *slot = NULL;
        r = sd_bus_add_match(p->bus, &slot, rule, callback_slot_dispatch, c);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

static int on_watch_query(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        callback_slot *c = userdata;
        const char *owner;
        (void) ret_error;
        c->aux = sd_bus_slot_unref(c->aux);
        if (!sd_bus_message_is_method_error(m, NULL) && sd_bus_message_read(m, "s", &owner) >= 0)
                watch_appeared(c, owner);
        return 0;
}

/*
 * A proxy without a destination, on a peer-to-peer connection: the peer is there while the connection is open, and
 * vanishes with it (sd-bus synthesizes org.freedesktop.DBus.Local.Disconnected when it closes, locally).
 */
static int watch_peer(dbidl_proxy *p, dbidl_vanished_fn vanished, void *userdata, sd_bus_slot **ret_slot) {
        callback_slot *c = callback_slot_new(p, SLOT_WATCH, NULL, NULL, NULL, userdata);
        if (!c)
                return -ENOMEM;
        c->vanished = vanished;
        c->owner = strdup("");
        if (!c->owner) {
                callback_slot_free(c);
                return -ENOMEM;
        }
        sd_bus_slot *slot = NULL;
        int r = sd_bus_match_signal(p->bus, &slot, NULL, "/org/freedesktop/DBus/Local", "org.freedesktop.DBus.Local",
                                    "Disconnected", callback_slot_dispatch, c);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

_public_ int dbidl_proxy_watch(dbidl_proxy *p, dbidl_appeared_fn appeared, dbidl_vanished_fn vanished, void *userdata,
                      sd_bus_slot **ret_slot) {
        return_if_fail(p, -EINVAL);
        if (!p->destination)
                return watch_peer(p, vanished, userdata, ret_slot);
        int r = track_owner(p);
        if (r < 0)
                return r;
        _cleanup_(freep) char *rule = match_rule("type='signal',sender='org.freedesktop.DBus',"
                                                 "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                                                 "member='NameOwnerChanged',arg0='%s'",
                                                 p->destination);
        if (!rule)
                return -ENOMEM;
        callback_slot *c = callback_slot_new(p, SLOT_WATCH, NULL, NULL, NULL, userdata);
        if (!c)
                return -ENOMEM;
        c->appeared = appeared;
        c->vanished = vanished;
        /* the match first, then the question: an owner appearing in between is not missed */
        sd_bus_slot *slot = NULL;
        r = sd_bus_add_match(p->bus, &slot, rule, callback_slot_dispatch, c);
        if (r < 0) {
                callback_slot_free(c);
                return r;
        }
        r = sd_bus_call_method_async(p->bus, &c->aux, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "GetNameOwner", on_watch_query, c, "s", p->destination);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                callback_slot_free(c);
                return r;
        }
        return callback_slot_attach(slot, c, ret_slot);
}

/* ---- properties ---- */

_public_ int dbidl_proxy_get_property(dbidl_proxy *p, const char *name, const char *signature, sd_bus_error *ret_error,
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

_public_ int dbidl_proxy_set_property_begin(dbidl_proxy *p, const char *name, const char *signature, sd_bus_message **ret) {
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

_public_ int dbidl_proxy_set_property_end(dbidl_proxy *p, sd_bus_message *m, sd_bus_error *ret_error) {
        return_if_fail(p && m, -EINVAL);
        int r = sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        r = sd_bus_call(p->bus, m, p->timeout_usec, ret_error, NULL);
        return r < 0 ? r : 0;
}

/* ---- the property cache ---- */

/* Replace the cache with the a{sv} of a GetAll reply, less the values the IDL refuses (reported). */
static int cache_fill(dbidl_proxy *p, sd_bus_message *reply) {
        dbidl_dict *d = NULL;
        int r = dbidl_dict_read(reply, &d);
        if (r < 0)
                return r;
        for (size_t i = 0; i < dbidl_dict_size(d);) {
                const char *key;
                dbidl_variant *value;
                if (dbidl_dict_get_entry(d, i, &key, &value) >= 0 && !property_value_ok(p, reply, key, value))
                        (void) dbidl_dict_remove(d, key);
                else
                        i++;
        }
        dbidl_dict_unref(p->cache);
        p->cache = d;
        return 0;
}

static int on_getall(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_proxy *p = userdata;
        (void) ret_error;
        p->cache_getall = sd_bus_slot_unref(p->cache_getall);
        if (!sd_bus_message_is_method_error(m, NULL) && p->cache)
                (void) cache_fill(p, m);
        return 0;
}

static void cache_reload(dbidl_proxy *p) {
        p->cache_getall = sd_bus_slot_unref(p->cache_getall);
        (void) sd_bus_call_method_async(p->bus, &p->cache_getall, p->destination, p->path, properties_interface,
                                        "GetAll", on_getall, p, "s", p->interface);
}

typedef struct refetch {
        dbidl_proxy *proxy;
        char *name;
} refetch;

static void refetch_free(void *userdata) {
        refetch *f = userdata;
        dbidl_proxy_unref(f->proxy);
        free(f->name);
        free(f);
}

static int on_refetch(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        refetch *f = userdata;
        dbidl_variant *v = NULL;
        (void) ret_error;
        if (!sd_bus_message_is_method_error(m, NULL) && f->proxy->cache && dbidl_variant_read(m, &v) >= 0) {
                /* dbidl_variant_read() unwraps Get's variant: v is the value itself, as GetAll's dict holds it; a
                 * value the IDL refuses is reported and the property stays not cached */
                if (property_value_ok(f->proxy, m, f->name, v))
                        (void) dbidl_dict_set(f->proxy->cache, f->name, v);
                dbidl_variant_unref(v);
        }
        return 0;
}

/* Fetch one invalidated property again with Get; the cache has dropped it meanwhile. */
static void cache_refetch(dbidl_proxy *p, const char *name) {
        refetch *f = calloc(1, sizeof(*f));
        if (!f)
                return;
        f->proxy = dbidl_proxy_ref(p);
        f->name = strdup(name);
        sd_bus_slot *slot = NULL;
        if (!f->name || sd_bus_call_method_async(p->bus, &slot, p->destination, p->path, properties_interface, "Get",
                                                 on_refetch, f, "ss", p->interface, name) < 0) {
                refetch_free(f);
                return;
        }
        if (sd_bus_slot_set_destroy_callback(slot, refetch_free) < 0) {
                sd_bus_slot_unref(slot);
                refetch_free(f);
                return;
        }
        (void) sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
}

/*
 * Drop the properties `names` from the cache, in one pass over it: removing
 * them one by one would move the entries after each (O(n) a name, O(n²) for
 * a signal that invalidates everything).  Without memory for the pass, one
 * by one after all.
 */
static void cache_drop(dbidl_proxy *p, char *const *names) {
        hashmap gone = HASHMAP_INIT(&string_hash_ops);
        dbidl_dict *kept = NULL;
        if (!p->cache || !names[0])
                return;
        bool ok = dbidl_dict_new(&kept) >= 0;
        for (char *const *s = names; ok && *s; s++)
                ok = hashmap_put(&gone, *s, NULL, NULL) >= 0;
        for (size_t i = 0; ok && i < dbidl_dict_size(p->cache); i++) {
                const char *key;
                dbidl_variant *value;
                ok = dbidl_dict_get_entry(p->cache, i, &key, &value) >= 0 &&
                     (hashmap_contains(&gone, key) || dbidl_dict_set(kept, key, value) >= 0);
        }
        if (ok) {
                dbidl_dict_unref(p->cache);
                p->cache = TAKE_PTR(kept);
        } else
                for (char *const *s = names; *s; s++)
                        (void) dbidl_dict_remove(p->cache, *s);
        dbidl_dict_unref(kept);
        hashmap_clear(&gone);
}

/* Append a copy of `s` to the vector *strv of *n strings, doubling its room when full (*n + 1 a power of two). */
static int strv_push(char ***strv, size_t *n, const char *s) {
        if (((*n + 1) & *n) == 0) {
                char **grown = reallocarray(*strv, 2 * (*n + 1), sizeof(char *));
                if (!grown)
                        return -ENOMEM;
                *strv = grown;
        }
        (*strv)[*n] = strdup(s);
        if (!(*strv)[*n])
                return -ENOMEM;
        (*strv)[++*n] = NULL;
        return 0;
}

/*
 * Check a PropertiesChanged once, however many matches of the proxy (the
 * cache's, each change slot's) pass it on: report the values the IDL
 * refuses, remember their names for the change slots, and apply the rest to
 * the cache, if enabled: changed values are set, refused ones dropped (the
 * property is not cached rather than wrong), invalidated ones dropped and
 * fetched again.
 */
static void changed_check(dbidl_proxy *p, sd_bus_message *m) {
        const char *iface;
        if (p->changed == m)
                return;
        sd_bus_message_unref(p->changed);
        p->changed = sd_bus_message_ref(m);
        p->changed_refused = dbidl_strv_free(p->changed_refused);
        p->changed_ignored = true;

        if (sd_bus_message_rewind(m, true) < 0)
                return;
        if (sd_bus_message_has_signature(m, "sa{sv}as") <= 0) {
                dbidl_proxy_report_bad_message(p, m, "sa{sv}as");
                return;
        }
        if (sd_bus_message_read_basic(m, 's', &iface) <= 0 || strcmp(iface, p->interface) != 0)
                return;
        dbidl_dict *changed = NULL;
        char **invalidated = NULL, **refused = NULL;
        size_t n_refused = 0;
        if (dbidl_dict_read(m, &changed) >= 0 && dbidl_message_read_strv(m, &invalidated) >= 0) {
                p->changed_ignored = false;
                for (size_t i = 0; i < dbidl_dict_size(changed); i++) {
                        const char *key;
                        dbidl_variant *value;
                        if (dbidl_dict_get_entry(changed, i, &key, &value) < 0)
                                continue;
                        if (property_value_ok(p, m, key, value)) {
                                if (p->cache)
                                        (void) dbidl_dict_set(p->cache, key, value);
                                continue;
                        }
                        if (p->cache)
                                (void) dbidl_dict_remove(p->cache, key);
                        /* without memory the slots may see it: their trampolines fail on -ENOMEM as well */
                        (void) strv_push(&refused, &n_refused, key);
                }
                cache_drop(p, invalidated);
                for (char **s = invalidated; p->cache && *s; s++)
                        cache_refetch(p, *s);
        }
        p->changed_refused = refused;
        dbidl_dict_unref(changed);
        dbidl_strv_free(invalidated);
}

static int on_cache_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        dbidl_proxy *p = userdata;
        (void) ret_error;
        if (p->cache && from_owner(p, m))
                changed_check(p, m);
        return 0;
}

static int cache_start(dbidl_proxy *p) {
        if (p->cache)
                return 0;
        int r = track_owner(p);
        if (r < 0)
                return r;
        _cleanup_(freep) char *rule = properties_changed_rule(p);
        if (!rule)
                return -ENOMEM;
        r = dbidl_dict_new(&p->cache);
        if (r < 0)
                return r;
        r = sd_bus_add_match(p->bus, &p->cache_match, rule, on_cache_changed, p);
        if (r < 0) {
                p->cache = dbidl_dict_unref(p->cache);
                return r;
        }
        return 0;
}

_public_ int dbidl_proxy_enable_cache(dbidl_proxy *p) {
        return_if_fail(p, -EINVAL);
        if (p->cache)
                return 0;
        int r = cache_start(p);
        if (r < 0)
                return r;
        cache_reload(p);
        return 0;
}

_public_ int dbidl_proxy_load_properties(dbidl_proxy *p, uint64_t timeout_usec, sd_bus_error *ret_error) {
        return_if_fail(p, -EINVAL);
        int r = cache_start(p);
        if (r < 0)
                return r;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        r = sd_bus_message_new_method_call(p->bus, &m, p->destination, p->path, properties_interface, "GetAll");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "s", p->interface);
        if (r < 0)
                return r;
        r = sd_bus_call(p->bus, m, effective_timeout(p, timeout_usec), ret_error, &reply);
        if (r < 0)
                return r;
        /* a GetAll in flight would only bring older values */
        p->cache_getall = sd_bus_slot_unref(p->cache_getall);
        return cache_fill(p, reply);
}

int dbidl_proxy_get_cached_property(dbidl_proxy *p, const char *name, const char *signature, sd_bus_message **ret) {
        return_if_fail(p && name && signature && ret, -EINVAL);
        dbidl_variant *v = p->cache ? dbidl_dict_get(p->cache, name) : NULL;
        if (!v)
                return -ENODATA;
        if (strcmp(dbidl_variant_get_signature(v), signature) != 0)
                return -ENXIO;
        /* a scratch message holding the value, so that generated read code can decode it */
        return value_message(p, v, ret);
}

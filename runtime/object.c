/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/object.c — exporting generated vtables, object managers, caller identity (deferred replies: defer.c) */

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-event.h>

#include <dbidl/generated.h>
#include <dbidl/object.h>

#include "common/hashmap.h"
#include "common/signature.h"
#include "runtime/invoke.h"
#include "runtime/util.h"

/* One kept value of a @stored interface's property (dbidl_object_export_stored()). */
typedef struct stored_value {
        const char *name;               /* the vtable's, static */
        const char *signature;          /* the vtable's, static */
        uint64_t flags;                 /* the vtable entry's SD_BUS_VTABLE_PROPERTY_* */
        sd_bus_message *value;          /* sealed; holds exactly one value of `signature` */
        bool queued;                    /* changed since the last PropertiesChanged */
        bool set;                       /* stored once: a const property keeps this value */
} stored_value;

/* What finds a @stored export: its bus, object path and interface. */
typedef struct store_key {
        sd_bus *bus;
        const char *path;
        const char *interface;
} store_key;

/* An export: the dbidl_object generated trampolines see, and what InterfacesRemoved needs. */
typedef struct object_export {
        dbidl_object object;            /* first: the vtable's userdata points here */
        sd_bus *bus;                    /* not a reference: the slot dies with the bus */
        char *path;
        char *interface;
        store_key key;                  /* bus, path, interface: the key in `stores_by_key` */
        /* a @stored interface's kept values; n_values == 0 for the others */
        stored_value *values;
        size_t n_values;
        sd_event_source *flush;         /* the defer source that sends the queued changes, or NULL */
        struct object_export *prev, *next;      /* in its bus's list in `stores_by_bus`, when n_values > 0 */
} object_export;

static uint64_t store_key_hash(const void *key) {
        const store_key *k = key;
        return hash_pointer(k->bus) ^ (hash_string(k->path) * 31) ^ (hash_string(k->interface) * 37);
}

static bool store_key_equal(const void *a, const void *b) {
        const store_key *x = a, *y = b;
        return x->bus == y->bus && strcmp(x->path, y->path) == 0 && strcmp(x->interface, y->interface) == 0;
}

static const hash_ops store_key_ops = { store_key_hash, store_key_equal };

/*
 * Every export with kept values, of every bus: by bus, path and interface for
 * dbidl_object_store() (O(1) whatever the number of exports and buses: a
 * peer-to-peer server stores a value on each of n connections), and by bus,
 * the head of that bus's list, for dbidl_bus_flush_properties() and
 * dbidl_object_release_stores().  Guarded by a mutex only because buses of
 * different threads share them.
 */
static hashmap stores_by_key = HASHMAP_INIT(&store_key_ops);
static hashmap stores_by_bus = HASHMAP_INIT(&pointer_hash_ops);
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;

static object_export *stores_of(sd_bus *bus) {
        void *head = NULL;
        return hashmap_get(&stores_by_bus, bus, &head) ? head : NULL;
}

static int stores_link(object_export *x) {
        pthread_mutex_lock(&stores_lock);
        object_export *head = stores_of(x->bus);
        int r = hashmap_put(&stores_by_key, &x->key, x, NULL);
        if (r == 0)
                r = -EEXIST;    /* sd_bus_add_object_vtable() refuses a second vtable of an interface first */
        if (r > 0 && !head) {
                r = hashmap_put(&stores_by_bus, x->bus, x, NULL);
                if (r < 0)
                        (void) hashmap_remove(&stores_by_key, &x->key, NULL);
        }
        if (r > 0 && head) {
                LIST_PREPEND(head, x);
                (void) hashmap_update(&stores_by_bus, x->bus, x);
        }
        pthread_mutex_unlock(&stores_lock);
        return r < 0 ? r : 0;
}

/* Take `x` out of both indexes; the caller holds stores_lock. */
static void stores_unlink_locked(object_export *x) {
        object_export *head = stores_of(x->bus);
        (void) hashmap_remove(&stores_by_key, &x->key, NULL);
        LIST_REMOVE(head, x);
        if (head)
                (void) hashmap_update(&stores_by_bus, x->bus, head);
        else
                (void) hashmap_remove(&stores_by_bus, x->bus, NULL);
}

/* Drop the kept values of `x` (and its queued changes); it is out of the indexes. */
static void stores_drop_values(object_export *x) {
        x->flush = sd_event_source_disable_unref(x->flush);
        for (size_t i = 0; i < x->n_values; i++)
                sd_bus_message_unref(x->values[i].value);
        free(x->values);
        x->values = NULL;
        x->n_values = 0;
}

static void object_export_destroy(object_export *x) {
        if (x->n_values > 0) {
                pthread_mutex_lock(&stores_lock);
                stores_unlink_locked(x);
                pthread_mutex_unlock(&stores_lock);
        }
        stores_drop_values(x);
        free(x->path);
        free(x->interface);
        free(x);
}

static void object_export_free(void *userdata) {
        object_export *x = userdata;
        /* unexported while the bus is up: tell the object manager's clients (ignored without one) */
        if (sd_bus_is_open(x->bus) > 0)
                (void) sd_bus_emit_interfaces_removed(x->bus, x->path, x->interface, NULL);
        object_export_destroy(x);
}

/* Make `slot` the caller's, or floating (owned by the bus). */
static int hand_out(sd_bus_slot *slot, sd_bus_slot **ret_slot) {
        if (ret_slot) {
                *ret_slot = slot;
                return 0;
        }
        int r = sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
        return r < 0 ? r : 0;
}

static int store_init(object_export *x, const sd_bus_vtable *vtable);

static int export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                  const void *handlers, void *userdata, bool stored, const dbidl_interface_info *info,
                  sd_bus_slot **ret_slot) {
        return_if_fail(bus && vtable && handlers, -EINVAL);
        return_if_fail(path && sd_bus_object_path_is_valid(path), -EINVAL);
        return_if_fail(interface && sd_bus_interface_name_is_valid(interface), -EINVAL);

        object_export *x = calloc(1, sizeof(*x));
        if (!x)
                return -ENOMEM;
        x->object.handlers = handlers;
        x->object.userdata = userdata;
        x->object.info = info;
        x->bus = bus;
        x->path = strdup(path);
        x->interface = strdup(interface);
        if (!x->path || !x->interface) {
                object_export_destroy(x);
                return -ENOMEM;
        }
        x->key = (store_key) { bus, x->path, x->interface };
        /* the values before the vtable: InterfacesAdded below reads them already */
        int r = stored ? store_init(x, vtable) : 0;
        if (r < 0) {
                object_export_destroy(x);
                return r;
        }

        sd_bus_slot *slot = NULL;
        r = sd_bus_add_object_vtable(bus, &slot, path, interface, vtable, &x->object);
        if (r < 0) {
                object_export_destroy(x);
                return r;
        }
        if (x->n_values > 0) {
                r = stores_link(x);
                if (r < 0) {
                        stores_drop_values(x);  /* not linked: n_values = 0, nothing to unlink below */
                        sd_bus_slot_unref(slot);
                        object_export_destroy(x);
                        return r;
                }
        }
        r = sd_bus_slot_set_destroy_callback(slot, object_export_free);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                object_export_destroy(x);
                return r;
        }
        /* best effort: fails harmlessly when no object manager covers the path */
        (void) sd_bus_emit_interfaces_added(bus, path, interface, NULL);
        return hand_out(slot, ret_slot);
}

_public_ int dbidl_object_export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                        const void *handlers, void *userdata, sd_bus_slot **ret_slot) {
        return export(bus, path, interface, vtable, handlers, userdata, false, NULL, ret_slot);
}

int dbidl_object_export_stored(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                               const void *handlers, void *userdata, sd_bus_slot **ret_slot) {
        return export(bus, path, interface, vtable, handlers, userdata, true, NULL, ret_slot);
}

int object_export_info(sd_bus *bus, const char *path, const dbidl_interface_info *info, const void *handlers,
                       void *userdata, sd_bus_slot **ret_slot) {
        return export(bus, path, info->name, info->vtable, handlers, userdata, info->stored, info, ret_slot);
}

_public_ int dbidl_bus_add_object_manager(sd_bus *bus, const char *path, sd_bus_slot **ret_slot) {
        return_if_fail(bus && path && sd_bus_object_path_is_valid(path), -EINVAL);
        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_object_manager(bus, &slot, path);
        if (r < 0)
                return r;
        return hand_out(slot, ret_slot);
}

int dbidl_object_not_supported(sd_bus_error *ret_error, const char *interface, const char *member) {
        return sd_bus_error_setf(ret_error, SD_BUS_ERROR_NOT_SUPPORTED, "%s.%s is not implemented by this service",
                                 interface, member);
}

int dbidl_object_invalid_args(sd_bus_error *ret_error, const char *member, const char *argument, int r) {
        const char *why = invalid_value_reason(r);
        if (argument)
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS,
                                         "Invalid value for argument '%s' of %s: %s", argument, member, why);
        else
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid arguments for %s: %s",
                                         member, why);
        return -EINVAL;
}

int dbidl_object_invalid_property(sd_bus_error *ret_error, const char *property, int r) {
        const char *why = invalid_value_reason(r);
        (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid value for property '%s': %s", property,
                                 why);
        return -EINVAL;
}

int dbidl_object_reply_failed(sd_bus_error *ret_error, const char *member, const char *output, int r) {
        (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_FAILED,
                                 "The service could not send output '%s' of %s: %s", output, member,
                                 strerror(r < 0 ? -r : r));
        return -EIO;
}

/* ---- stored properties ---- */

/*
 * Append the empty value of the complete type sig[0..len): 0, false, "", the
 * object path "/", an empty array, a struct of empty members, a variant
 * holding "".  Never a NULL string on the wire.
 */
static int append_empty(sd_bus_message *m, const char *sig, size_t len) {
        char inner[256];
        uint64_t zero = 0;
        int r;

        if (len == 0 || len >= sizeof(inner))
                return -EINVAL;
        switch (sig[0]) {
        case 'a':
                memcpy(inner, sig + 1, len - 1);
                inner[len - 1] = '\0';
                r = sd_bus_message_open_container(m, 'a', inner);
                return r < 0 ? r : sd_bus_message_close_container(m);
        case '(':
                memcpy(inner, sig + 1, len - 2);
                inner[len - 2] = '\0';
                r = sd_bus_message_open_container(m, 'r', inner);
                for (size_t i = 0, n; r >= 0 && inner[i]; i += n) {
                        n = signature_type_len(inner + i);
                        r = append_empty(m, inner + i, n);
                }
                return r < 0 ? r : sd_bus_message_close_container(m);
        case 'v':
                r = sd_bus_message_open_container(m, 'v', "s");
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 's', "");
                return r < 0 ? r : sd_bus_message_close_container(m);
        case 's':
        case 'g':
                return sd_bus_message_append_basic(m, sig[0], "");
        case 'o':
                return sd_bus_message_append_basic(m, 'o', "/");
        case 'h':
                return -EOPNOTSUPP;     /* a kept descriptor would need an owner: not supported */
        default:
                return sd_bus_message_append_basic(m, sig[0], &zero);
        }
}

/* 1 if the messages `a` and `b` (sealed) hold equal values, 0 if not, or a negative errno. */
static int values_equal(sd_bus_message *a, sd_bus_message *b) {
        for (;;) {
                const char *ca = NULL, *cb = NULL;
                char ta = 0, tb = 0;
                int ra = sd_bus_message_peek_type(a, &ta, &ca), rb = sd_bus_message_peek_type(b, &tb, &cb);
                int r;

                if (ra < 0 || rb < 0)
                        return ra < 0 ? ra : rb;
                if (ra == 0 || rb == 0)
                        return ra == rb;        /* the end of both containers, or of one only */
                if (ta != tb || (ca && cb && strcmp(ca, cb) != 0) || !ca != !cb)
                        return 0;
                if (ca) {
                        r = sd_bus_message_enter_container(a, ta, ca);
                        if (r >= 0)
                                r = sd_bus_message_enter_container(b, tb, cb);
                        if (r >= 0)
                                r = values_equal(a, b);
                        if (r <= 0)
                                return r;
                        r = sd_bus_message_exit_container(a);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(b);
                        if (r < 0)
                                return r;
                        continue;
                }
                union {
                        uint64_t u;
                        double d;
                        const char *s;
                        unsigned char bytes[8];
                } va = { 0 }, vb = { 0 };
                r = sd_bus_message_read_basic(a, ta, &va);
                if (r >= 0)
                        r = sd_bus_message_read_basic(b, tb, &vb);
                if (r < 0)
                        return r;
                if (ta == 's' || ta == 'o' || ta == 'g') {
                        if (strcmp(va.s, vb.s) != 0)
                                return 0;
                } else if (ta == 'h' || memcmp(va.bytes, vb.bytes, sizeof(va.bytes)) != 0)
                        return 0;       /* the same number, or bit pattern (NaN equals itself) */
        }
}

int dbidl_object_store_new(sd_bus *bus, sd_bus_message **ret) {
        return_if_fail(bus && ret, -EINVAL);
        /* any message type will do: it only carries the value (never sent) */
        return sd_bus_message_new_signal(bus, ret, "/", "org.dbidl.Store", "Value");
}

/* Seal `m` (a fresh message) and check it holds one value of `signature`. */
static int value_seal(sd_bus_message *m, const char *signature) {
        int r = sd_bus_message_seal(m, 1, 0);
        if (r < 0)
                return r;
        const char *sig = sd_bus_message_get_signature(m, true);
        return sig && strcmp(sig, signature) == 0 ? 0 : -EINVAL;
}

static int store_init(object_export *x, const sd_bus_vtable *vtable) {
        size_t size = vtable[0].x.start.element_size, n = 0;
        const sd_bus_vtable *v;
        int r;

#define VTABLE_NEXT(v) ((const sd_bus_vtable *) ((const uint8_t *) (v) + size))
        for (v = VTABLE_NEXT(vtable); v->type != _SD_BUS_VTABLE_END; v = VTABLE_NEXT(v))
                if ((v->type == _SD_BUS_VTABLE_PROPERTY || v->type == _SD_BUS_VTABLE_WRITABLE_PROPERTY) &&
                    v->x.property.get == dbidl_object_stored_get)
                        n++;
        if (n == 0)
                return 0;
        x->values = calloc(n, sizeof(stored_value));
        if (!x->values)
                return -ENOMEM;
        for (v = VTABLE_NEXT(vtable); v->type != _SD_BUS_VTABLE_END; v = VTABLE_NEXT(v)) {
                if ((v->type != _SD_BUS_VTABLE_PROPERTY && v->type != _SD_BUS_VTABLE_WRITABLE_PROPERTY) ||
                    v->x.property.get != dbidl_object_stored_get)
                        continue;
                stored_value *s = &x->values[x->n_values++];
                s->name = v->x.property.member;
                s->signature = v->x.property.signature;
                s->flags = v->flags;
                r = dbidl_object_store_new(x->bus, &s->value);
                if (r < 0)
                        return r;
                r = append_empty(s->value, s->signature, strlen(s->signature));
                if (r < 0)
                        return r;
                r = value_seal(s->value, s->signature);
                if (r < 0)
                        return r;
        }
#undef VTABLE_NEXT
        return 0;
}

static stored_value *stored_find(object_export *x, const char *property) {
        for (size_t i = 0; i < x->n_values; i++)
                if (strcmp(x->values[i].name, property) == 0)
                        return &x->values[i];
        return NULL;
}

_public_ int dbidl_object_stored_get(sd_bus *bus, const char *path, const char *interface, const char *property,
                            sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        object_export *x = userdata;
        stored_value *v = x ? stored_find(x, property) : NULL;
        int r;

        (void) bus;
        (void) path;
        if (!v)
                return sd_bus_error_setf(ret_error, SD_BUS_ERROR_UNKNOWN_PROPERTY, "%s.%s has no kept value",
                                         interface, property);
        r = sd_bus_message_rewind(v->value, true);
        if (r >= 0)
                r = sd_bus_message_copy(reply, v->value, true);
        return r < 0 ? r : 1;
}

/* Send the queued changes of `x` as one PropertiesChanged.  Returns 1 if one was sent, 0 if none was queued. */
static int store_flush(object_export *x) {
        const char **names = calloc(x->n_values + 1, sizeof(char *));
        size_t n = 0;

        x->flush = sd_event_source_unref(x->flush);
        if (!names)
                return -ENOMEM;         /* the changes stay queued */
        for (size_t i = 0; i < x->n_values; i++)
                if (x->values[i].queued) {
                        x->values[i].queued = false;
                        names[n++] = x->values[i].name;
                }
        names[n] = NULL;
        /* sd-bus reads changed values through the getter (the store) and lists invalidated ones by name */
        int r = n == 0 ? 0 : sd_bus_emit_properties_changed_strv(x->bus, x->path, x->interface, (char **) names);
        free(names);
        return r < 0 ? r : n > 0;
}

static int on_flush(sd_event_source *s, void *userdata) {
        (void) s;
        (void) store_flush(userdata);
        return 0;
}

static object_export *store_find(sd_bus *bus, const char *path, const char *interface) {
        const store_key k = { bus, path, interface };
        void *x = NULL;
        pthread_mutex_lock(&stores_lock);
        (void) hashmap_get(&stores_by_key, &k, &x);
        pthread_mutex_unlock(&stores_lock);
        return x;
}

int dbidl_object_store(sd_bus *bus, const char *path, const char *interface, const char *property,
                       sd_bus_message *value) {
        return_if_fail(bus && path && interface && property && value, -EINVAL);
        object_export *x = store_find(bus, path, interface);
        stored_value *v = x ? stored_find(x, property) : NULL;
        int r;

        if (!v)
                return -ENOENT;
        r = value_seal(value, v->signature);
        if (r < 0)
                return r;
        r = sd_bus_message_rewind(v->value, true);
        if (r >= 0)
                r = sd_bus_message_rewind(value, true);
        if (r >= 0)
                r = values_equal(v->value, value);
        if (r != 0)
                return r < 0 ? r : 0;
        if ((v->flags & SD_BUS_VTABLE_PROPERTY_CONST) && v->set)
                return -EPERM;
        sd_bus_message_unref(v->value);
        v->value = sd_bus_message_ref(value);
        v->set = true;
        if (!(v->flags & (SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE | SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)))
                return 1;
        v->queued = true;
        sd_event *e = sd_bus_get_event(bus);
        if (!x->flush && e) {
                /* one PropertiesChanged for everything stored until the loop comes round */
                r = sd_event_add_defer(e, &x->flush, on_flush, x);
                if (r >= 0)
                        r = sd_event_source_set_enabled(x->flush, SD_EVENT_ONESHOT);
                if (r < 0)
                        x->flush = sd_event_source_unref(x->flush);     /* stays queued for the next flush */
        }
        return 1;
}

_public_ int dbidl_bus_flush_properties(sd_bus *bus) {
        return_if_fail(bus, -EINVAL);
        int n = 0, r = 0;

        pthread_mutex_lock(&stores_lock);
        for (object_export *x = stores_of(bus); x; x = x->next) {
                int k = store_flush(x);
                if (k < 0 && r == 0)
                        r = k;
                else if (k > 0)
                        n++;
        }
        pthread_mutex_unlock(&stores_lock);
        return r < 0 ? r : n;
}

void dbidl_object_release_stores(sd_bus *bus) {
        if (!bus)
                return;
        pthread_mutex_lock(&stores_lock);
        for (object_export *x; (x = stores_of(bus));) {
                stores_unlink_locked(x);
                stores_drop_values(x);
        }
        pthread_mutex_unlock(&stores_lock);
}

/* ---- caller identity ---- */

_public_ const char *dbidl_call_get_sender(sd_bus_message *call) {
        return call ? sd_bus_message_get_sender(call) : NULL;
}

static int query_creds(sd_bus_message *call, uint64_t mask, sd_bus_creds **ret) {
        return_if_fail(call && ret, -EINVAL);
        return sd_bus_query_sender_creds(call, mask, ret);
}

_public_ int dbidl_call_get_uid(sd_bus_message *call, uid_t *ret) {
        return_if_fail(ret, -EINVAL);
        sd_bus_creds *c = NULL;
        int r = query_creds(call, SD_BUS_CREDS_EUID, &c);
        if (r >= 0)
                r = sd_bus_creds_get_euid(c, ret);
        sd_bus_creds_unref(c);
        return r < 0 ? r : 0;
}

_public_ int dbidl_call_get_pid(sd_bus_message *call, pid_t *ret) {
        return_if_fail(ret, -EINVAL);
        sd_bus_creds *c = NULL;
        int r = query_creds(call, SD_BUS_CREDS_PID, &c);
        if (r >= 0)
                r = sd_bus_creds_get_pid(c, ret);
        sd_bus_creds_unref(c);
        return r < 0 ? r : 0;
}

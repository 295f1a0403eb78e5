/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/dict.c — dbidl_dict: insertion-ordered a{sv} dictionaries with typed access and wire I/O */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/dict.h>
#include <dbidl/variant.h>

#include "common/hashmap.h"
#include "runtime/util.h"
#include "runtime/variant-internal.h"

/*
 * Entries live in a growable array in insertion order.  A dictionary of up
 * to DICT_SCAN_MAX entries (the typical a{sv} of a handful of hints) is
 * searched by a scan; a larger one also has an index, a hash table from key
 * to position (common/hashmap.h, keyed SipHash: a peer cannot make its keys
 * collide), so that reading an a{sv} of n entries is O(n), not O(n²).
 */
#define DICT_SCAN_MAX 8

typedef struct dict_entry {
        char *key;
        dbidl_variant *value;
} dict_entry;

struct dbidl_dict {
        unsigned n_ref;
        dict_entry *entries;
        size_t n_entries;
        size_t n_allocated;
        hashmap index; /* key → position, as (void *) (uintptr_t); empty while n_entries <= DICT_SCAN_MAX */
};

DEFINE_TRIVIAL_CLEANUP_FUNC(dbidl_dict *, dbidl_dict_unref)

/* A new empty dictionary with one reference.  -EINVAL for a NULL ret, -ENOMEM. */
_public_ int dbidl_dict_new(dbidl_dict **ret) {
        dbidl_dict *d;

        return_if_fail(ret, -EINVAL);

        d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        d->n_ref = 1;
        d->index = HASHMAP_INIT(&string_hash_ops);
        *ret = d;
        return 0;
}

/* Take a reference.  Accepts NULL. */
_public_ dbidl_dict *dbidl_dict_ref(dbidl_dict *d) {
        if (d) {
                assert(d->n_ref > 0);
                d->n_ref++;
        }
        return d;
}

/* Drop a reference, freeing the dictionary and its entries with the last.  Accepts NULL; returns NULL. */
_public_ dbidl_dict *dbidl_dict_unref(dbidl_dict *d) {
        if (!d)
                return NULL;
        assert(d->n_ref > 0);
        if (--d->n_ref > 0)
                return NULL;

        for (size_t k = 0; k < d->n_entries; k++) {
                free(d->entries[k].key);
                dbidl_variant_unref(d->entries[k].value);
        }
        free(d->entries);
        hashmap_clear(&d->index);
        free(d);
        return NULL;
}

/* The number of entries; 0 for NULL. */
_public_ size_t dbidl_dict_size(const dbidl_dict *d) {
        return d ? d->n_entries : 0;
}

/* The entry at `i` in insertion order, borrowed.  -EINVAL for NULL d, -ERANGE past the end. */
_public_ int dbidl_dict_get_entry(const dbidl_dict *d, size_t i, const char **ret_key, dbidl_variant **ret_value) {
        return_if_fail(d, -EINVAL);
        if (i >= d->n_entries)
                return -ERANGE;

        if (ret_key)
                *ret_key = d->entries[i].key;
        if (ret_value)
                *ret_value = d->entries[i].value;
        return 0;
}

static dict_entry *dict_find(const dbidl_dict *d, const char *key) {
        void *at;

        if (!d || !key)
                return NULL;
        if (d->n_entries > DICT_SCAN_MAX)
                return hashmap_get(&d->index, key, &at) ? &d->entries[(uintptr_t) at] : NULL;
        for (size_t k = 0; k < d->n_entries; k++)
                if (strcmp(d->entries[k].key, key) == 0)
                        return &d->entries[k];
        return NULL;
}

/* Index the entries from position `from` on (all of them when the index is first needed).  0 or -ENOMEM. */
static int dict_index(dbidl_dict *d, size_t from) {
        int r = hashmap_reserve(&d->index, d->n_entries);

        for (size_t k = from; r >= 0 && k < d->n_entries; k++)
                r = hashmap_put(&d->index, d->entries[k].key, (void *) (uintptr_t) k, NULL);
        return r < 0 ? r : 0;
}

/* The value under `key`, borrowed; NULL if missing or d or key is NULL. */
_public_ dbidl_variant *dbidl_dict_get(const dbidl_dict *d, const char *key) {
        dict_entry *e = dict_find(d, key);

        return e ? e->value : NULL;
}

/* Whether `key` is present. */
_public_ bool dbidl_dict_contains(const dbidl_dict *d, const char *key) {
        return dict_find(d, key) != NULL;
}

/*
 * Set `key` to `value` (a new reference), replacing an existing value in
 * place or appending a new entry.  -EINVAL for NULL arguments or a key that
 * is not valid UTF-8, -ENOMEM.
 */
_public_ int dbidl_dict_set(dbidl_dict *d, const char *key, dbidl_variant *value) {
        dict_entry *e;
        char *k;

        return_if_fail(d, -EINVAL);
        return_if_fail(key, -EINVAL);
        return_if_fail(value, -EINVAL);
        return_if_fail(utf8_is_valid(key), -EINVAL);

        e = dict_find(d, key);
        if (e) {
                dbidl_variant_ref(value);
                dbidl_variant_unref(e->value);
                e->value = value;
                return 0;
        }

        if (d->n_entries == d->n_allocated) {
                size_t a = d->n_allocated ? d->n_allocated * 2 : 8;
                dict_entry *n = reallocarray(d->entries, a, sizeof(dict_entry));
                if (!n)
                        return -ENOMEM;
                d->entries = n;
                d->n_allocated = a;
        }
        k = strdup(key);
        if (!k)
                return -ENOMEM;
        d->entries[d->n_entries++] = (dict_entry) {
                .key = k,
                .value = value,
        };
        if (d->n_entries > DICT_SCAN_MAX &&
            dict_index(d, d->n_entries == DICT_SCAN_MAX + 1 ? 0 : d->n_entries - 1) < 0) {
                /* the new entry could not be indexed: take it back */
                d->n_entries--;
                if (d->n_entries == DICT_SCAN_MAX)
                        hashmap_clear(&d->index);
                else
                        (void) hashmap_remove(&d->index, k, NULL);
                free(k);
                return -ENOMEM;
        }
        dbidl_variant_ref(value);
        return 0;
}

/* Set `key` to a fresh variant, dropping our reference to it whatever happens. */
static int dict_set_consume(dbidl_dict *d, const char *key, dbidl_variant *v) {
        int r;

        r = dbidl_dict_set(d, key, v);
        dbidl_variant_unref(v);
        return r;
}

/* Typed setters: -EINVAL for NULL d or key, invalid keys or values; -ENOMEM. */
#define DEFINE_SET(name, ctype)                                                         \
        _public_ int dbidl_dict_set_##name(dbidl_dict *d, const char *key, ctype value) {\
                dbidl_variant *v = NULL;                                                \
                int r;                                                                  \
                                                                                        \
                return_if_fail(d, -EINVAL);                                             \
                return_if_fail(key, -EINVAL);                                           \
                r = dbidl_variant_new_##name(value, &v);                                \
                if (r < 0)                                                              \
                        return r;                                                       \
                return dict_set_consume(d, key, v);                                     \
        }

DEFINE_SET(byte, uint8_t)
DEFINE_SET(bool, bool)
DEFINE_SET(int16, int16_t)
DEFINE_SET(uint16, uint16_t)
DEFINE_SET(int32, int32_t)
DEFINE_SET(uint32, uint32_t)
DEFINE_SET(int64, int64_t)
DEFINE_SET(uint64, uint64_t)
DEFINE_SET(double, double)
DEFINE_SET(string, const char *)
DEFINE_SET(objpath, const char *)
DEFINE_SET(strv, char *const *)
DEFINE_SET(dict, const dbidl_dict *)

/* Remove `key`, keeping the order of the rest: 0, -ENOENT, or -EINVAL for NULL arguments. */
_public_ int dbidl_dict_remove(dbidl_dict *d, const char *key) {
        dict_entry *e;
        size_t i;

        return_if_fail(d, -EINVAL);
        return_if_fail(key, -EINVAL);

        e = dict_find(d, key);
        if (!e)
                return -ENOENT;
        i = (size_t) (e - d->entries);
        if (d->n_entries > DICT_SCAN_MAX) {
                /* the entries after it move up one: so do their positions */
                void *at;
                (void) hashmap_remove(&d->index, e->key, NULL);
                for (size_t k = 0; hashmap_iterate(&d->index, &k, NULL, &at);)
                        if ((uintptr_t) at > i)
                                hashmap_iterate_set(&d->index, k, (void *) ((uintptr_t) at - 1));
        }
        free(e->key);
        dbidl_variant_unref(e->value);
        memmove(e, e + 1, (d->n_entries - i - 1) * sizeof(dict_entry));
        d->n_entries--;
        if (d->n_entries == DICT_SCAN_MAX)
                hashmap_clear(&d->index);
        return 0;
}

/* Typed lookups: -EINVAL for NULL arguments, -ENOENT for a missing key, -ENXIO for another type. */
#define DEFINE_GET(name, ctype)                                                         \
        _public_ int dbidl_dict_get_##name(const dbidl_dict *d, const char *key, ctype *ret) {\
                dbidl_variant *v;                                                       \
                                                                                        \
                return_if_fail(d, -EINVAL);                                             \
                return_if_fail(key, -EINVAL);                                           \
                return_if_fail(ret, -EINVAL);                                           \
                v = dbidl_dict_get(d, key);                                             \
                if (!v)                                                                 \
                        return -ENOENT;                                                 \
                return dbidl_variant_get_##name(v, ret);                                \
        }

DEFINE_GET(byte, uint8_t)
DEFINE_GET(bool, bool)
DEFINE_GET(int16, int16_t)
DEFINE_GET(uint16, uint16_t)
DEFINE_GET(int32, int32_t)
DEFINE_GET(uint32, uint32_t)
DEFINE_GET(int64, int64_t)
DEFINE_GET(uint64, uint64_t)
DEFINE_GET(double, double)
DEFINE_GET(string, const char *)
DEFINE_GET(objpath, const char *)
DEFINE_GET(strv, char **)
DEFINE_GET(dict, dbidl_dict *)

/*
 * "a{sv}" from a dictionary (NULL: empty), as a snapshot: the values are
 * shared (they are immutable), the entries copied.  -EINVAL for a NULL ret, -ENOMEM.
 */
_public_ int dbidl_variant_new_dict(const dbidl_dict *dict, dbidl_variant **ret) {
        size_t n = dbidl_dict_size(dict);
        dbidl_variant **entries;
        int r = 0;

        return_if_fail(ret, -EINVAL);

        entries = calloc(n ? n : 1, sizeof(dbidl_variant *));
        if (!entries)
                return -ENOMEM;

        for (size_t k = 0; k < n; k++) {
                _cleanup_(dbidl_variant_unrefp) dbidl_variant *key = NULL, *value = NULL;

                r = dbidl_variant_new_string(dict->entries[k].key, &key);
                if (r < 0)
                        goto finish;
                r = dbidl_variant_new_variant(dict->entries[k].value, &value);
                if (r < 0)
                        goto finish;
                r = dbidl_variant_new_dict_entry(key, value, &entries[k]);
                if (r < 0)
                        goto finish;
        }
        r = dbidl_variant_new_array("{sv}", entries, n, ret);

finish:
        for (size_t k = 0; k < n; k++)
                dbidl_variant_unref(entries[k]);
        free(entries);
        return r;
}

/* 'a{sv}' as a new dictionary (later keys win over earlier ones).  -EINVAL, -ENXIO for another type, -ENOMEM. */
_public_ int dbidl_variant_get_dict(const dbidl_variant *v, dbidl_dict **ret) {
        _cleanup_(dbidl_dict_unrefp) dbidl_dict *d = NULL;
        size_t n;
        int r;

        return_if_fail(v, -EINVAL);
        return_if_fail(ret, -EINVAL);
        if (strcmp(dbidl_variant_get_signature(v), "a{sv}") != 0)
                return -ENXIO;

        r = dbidl_dict_new(&d);
        if (r < 0)
                return r;
        n = dbidl_variant_get_n_children(v);
        for (size_t k = 0; k < n; k++) {
                dbidl_variant *e = dbidl_variant_get_child(v, k);
                const char *key;

                r = dbidl_variant_get_string(dbidl_variant_get_child(e, 0), &key);
                if (r < 0)
                        return r;
                r = dbidl_dict_set(d, key, dbidl_variant_get_child(dbidl_variant_get_child(e, 1), 0));
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(d);
        return 0;
}

/*
 * Append "a{sv}" (NULL: an empty one) to `m` through sd-bus containers.
 * -EINVAL for a NULL m; otherwise what sd-bus returns.
 */
_public_ int dbidl_dict_append(sd_bus_message *m, const dbidl_dict *d) {
        int r;

        return_if_fail(m, -EINVAL);

        r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        for (size_t k = 0; k < dbidl_dict_size(d); k++) {
                r = sd_bus_message_open_container(m, 'e', "sv");
                if (r < 0)
                        return r;
                r = sd_bus_message_append_basic(m, 's', d->entries[k].key);
                if (r < 0)
                        return r;
                r = dbidl_variant_append(m, d->entries[k].value);
                if (r < 0)
                        return r;
                r = sd_bus_message_close_container(m);
                if (r < 0)
                        return r;
        }
        return sd_bus_message_close_container(m);
}

/*
 * Read the next "a{sv}" of `m` into a new dictionary; a repeated key keeps
 * its last value (at the position of its first appearance).  -EINVAL for
 * NULL arguments, -ENXIO if the next item is not an a{sv}, -EBADMSG for
 * values nested too deep, -ENOMEM, or what sd-bus returns.
 */
_public_ int dbidl_dict_read(sd_bus_message *m, dbidl_dict **ret) {
        _cleanup_(dbidl_dict_unrefp) dbidl_dict *d = NULL;
        const char *contents = NULL;
        char type;
        int r;

        return_if_fail(m, -EINVAL);
        return_if_fail(ret, -EINVAL);

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r < 0)
                return r;
        if (r == 0 || type != 'a' || !contents || strcmp(contents, "{sv}") != 0)
                return -ENXIO;

        r = dbidl_dict_new(&d);
        if (r < 0)
                return r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        for (;;) {
                _cleanup_(dbidl_variant_unrefp) dbidl_variant *value = NULL;
                const char *key;

                r = sd_bus_message_enter_container(m, 'e', "sv");
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r < 0)
                        return r;
                if (r == 0)
                        return -EBADMSG;
                r = dbidl_variant_read(m, &value);
                if (r < 0)
                        return r;
                r = dbidl_dict_set(d, key, value);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(d);
        return 0;
}

/* Render as GVariant text: "{'key': <value>, …}", "@a{sv} {}" when empty.  -EINVAL for a NULL ret, -ENOMEM. */
_public_ int dbidl_dict_to_string(const dbidl_dict *d, char **ret) {
        _cleanup_(dbidl_variant_unrefp) dbidl_variant *v = NULL;
        int r;

        return_if_fail(ret, -EINVAL);

        r = dbidl_variant_new_dict(d, &v);
        if (r < 0)
                return r;
        return dbidl_variant_to_string(v, ret);
}

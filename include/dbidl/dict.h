/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/dict.h — a{sv} dictionaries: string keys, variant values, with typed lookups */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include <dbidl/variant.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dbidl_dict is the C type of `dict<string, variant>` (D-Bus "a{sv}"), the
 * most common type in desktop interfaces (hints, options, Metadata,
 * GetAll).  It keeps entries in insertion order; keys are unique (setting an
 * existing key replaces its value in place).  Reference counted:
 * dbidl_dict_unref() frees it with the last reference.
 *
 * Repeated keys, one rule everywhere: the last value wins, at the position
 * of the key's first appearance.  dbidl_dict_set() of a key that is there
 * replaces its value; dbidl_dict_read() and dbidl_variant_get_dict() of an
 * a{sv} that holds a key twice (the wire allows it) keep one entry, with the
 * later value, where the first one was (as GVariant's lookup and
 * dbus-python's dict conversion do).
 *
 * Costs: lookups, dbidl_dict_set() and dbidl_dict_contains() are O(1)
 * expected (a dictionary of more than 8 entries has a hash index, keyed so
 * that no peer can make its keys collide), so reading an a{sv} of n entries
 * is O(n); dbidl_dict_get_entry() is O(1); dbidl_dict_remove() is O(n) (the
 * entries after the removed one move up).
 *
 * Errors as in variant.h: -EINVAL for bad arguments (a NULL or non-UTF-8
 * key), -ENOMEM, -ENOENT for a missing key, -ENXIO when the value under a
 * key has another type than the typed getter asks for.  Output parameters
 * are untouched on failure.  Not thread-safe: one thread at a time.
 */

int dbidl_dict_new(dbidl_dict **ret);
dbidl_dict *dbidl_dict_ref(dbidl_dict *d);      /* accepts NULL */
dbidl_dict *dbidl_dict_unref(dbidl_dict *d);    /* accepts NULL; returns NULL */

/* Number of entries (0 for NULL). */
size_t dbidl_dict_size(const dbidl_dict *d);
/* The entry at position i in insertion order; both outputs borrowed.  -ERANGE past the end. */
int dbidl_dict_get_entry(const dbidl_dict *d, size_t i, const char **ret_key, dbidl_variant **ret_value);
/* The value under `key`, borrowed, or NULL if there is none (or d is NULL). */
dbidl_variant *dbidl_dict_get(const dbidl_dict *d, const char *key);
bool dbidl_dict_contains(const dbidl_dict *d, const char *key);

/* Set `key` to `value` (a new reference is taken). */
int dbidl_dict_set(dbidl_dict *d, const char *key, dbidl_variant *value);
/* Typed setters: build the variant and set it. */
int dbidl_dict_set_byte(dbidl_dict *d, const char *key, uint8_t value);
int dbidl_dict_set_bool(dbidl_dict *d, const char *key, bool value);
int dbidl_dict_set_int16(dbidl_dict *d, const char *key, int16_t value);
int dbidl_dict_set_uint16(dbidl_dict *d, const char *key, uint16_t value);
int dbidl_dict_set_int32(dbidl_dict *d, const char *key, int32_t value);
int dbidl_dict_set_uint32(dbidl_dict *d, const char *key, uint32_t value);
int dbidl_dict_set_int64(dbidl_dict *d, const char *key, int64_t value);
int dbidl_dict_set_uint64(dbidl_dict *d, const char *key, uint64_t value);
int dbidl_dict_set_double(dbidl_dict *d, const char *key, double value);
int dbidl_dict_set_string(dbidl_dict *d, const char *key, const char *value);
int dbidl_dict_set_objpath(dbidl_dict *d, const char *key, const char *value);
int dbidl_dict_set_strv(dbidl_dict *d, const char *key, char *const *value);
int dbidl_dict_set_dict(dbidl_dict *d, const char *key, const dbidl_dict *value);
/* Remove `key`: 0, or -ENOENT. */
int dbidl_dict_remove(dbidl_dict *d, const char *key);

/* Typed lookups: 0, -ENOENT if the key is missing, -ENXIO if its value has another type.  Strings borrowed. */
int dbidl_dict_get_byte(const dbidl_dict *d, const char *key, uint8_t *ret);
int dbidl_dict_get_bool(const dbidl_dict *d, const char *key, bool *ret);
int dbidl_dict_get_int16(const dbidl_dict *d, const char *key, int16_t *ret);
int dbidl_dict_get_uint16(const dbidl_dict *d, const char *key, uint16_t *ret);
int dbidl_dict_get_int32(const dbidl_dict *d, const char *key, int32_t *ret);
int dbidl_dict_get_uint32(const dbidl_dict *d, const char *key, uint32_t *ret);
int dbidl_dict_get_int64(const dbidl_dict *d, const char *key, int64_t *ret);
int dbidl_dict_get_uint64(const dbidl_dict *d, const char *key, uint64_t *ret);
int dbidl_dict_get_double(const dbidl_dict *d, const char *key, double *ret);
int dbidl_dict_get_string(const dbidl_dict *d, const char *key, const char **ret);
int dbidl_dict_get_objpath(const dbidl_dict *d, const char *key, const char **ret);
/* 'as'/'ao'/'ag' value as a new vector; free with dbidl_strv_free(). */
int dbidl_dict_get_strv(const dbidl_dict *d, const char *key, char ***ret);
/* 'a{sv}' value as a new dictionary; unref it. */
int dbidl_dict_get_dict(const dbidl_dict *d, const char *key, dbidl_dict **ret);

/*
 * Wire conversion through sd-bus.  dbidl_dict_append appends "a{sv}" (NULL
 * appends an empty dictionary).  dbidl_dict_read reads the next "a{sv}" of
 * `m` (-ENXIO if the next item has another type) into a new dictionary; a
 * key that appears twice keeps the last value, at its first position (the
 * rule above).
 */
int dbidl_dict_append(sd_bus_message *m, const dbidl_dict *d);
int dbidl_dict_read(sd_bus_message *m, dbidl_dict **ret);

/* Render as GVariant text, "{'key': <value>, …}".  The caller frees *ret. */
int dbidl_dict_to_string(const dbidl_dict *d, char **ret);

#ifdef __cplusplus
}
#endif

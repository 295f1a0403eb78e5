/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/variant.h — D-Bus variant values ('v') as a first-class C type */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A dbidl_variant holds one complete D-Bus value of any single complete type
 * (D-Bus specification, "Type System"): a basic value, a file descriptor, an
 * array, a struct, a dict entry or a nested variant.  It is immutable after
 * construction and reference counted; dbidl_variant_unref() frees it with the
 * last reference.  A variant holding an fd owns a duplicate of it (made with
 * F_DUPFD_CLOEXEC) and closes it when freed.
 *
 * Error model: every int-returning function returns >= 0 on success or a
 * negative errno: -EINVAL for an argument that breaks the stated rules (NULL
 * where a value is required, an invalid UTF-8 string, object path or
 * signature), -ENOMEM, -ENXIO when a typed getter is asked for a type the
 * variant does not hold, and whatever sd-bus returns from the message calls.
 * Output parameters are untouched on failure.
 *
 * Threads: a variant may be read from several threads at once, and its
 * reference count is not atomic: ref and unref from one thread at a time.
 */
typedef struct dbidl_variant dbidl_variant;
typedef struct dbidl_dict dbidl_dict;

/* Constructors for the basic types.  Strings are copied; fds are duplicated. */
int dbidl_variant_new_byte(uint8_t value, dbidl_variant **ret);
int dbidl_variant_new_bool(bool value, dbidl_variant **ret);
int dbidl_variant_new_int16(int16_t value, dbidl_variant **ret);
int dbidl_variant_new_uint16(uint16_t value, dbidl_variant **ret);
int dbidl_variant_new_int32(int32_t value, dbidl_variant **ret);
int dbidl_variant_new_uint32(uint32_t value, dbidl_variant **ret);
int dbidl_variant_new_int64(int64_t value, dbidl_variant **ret);
int dbidl_variant_new_uint64(uint64_t value, dbidl_variant **ret);
int dbidl_variant_new_double(double value, dbidl_variant **ret);
int dbidl_variant_new_string(const char *value, dbidl_variant **ret);
int dbidl_variant_new_objpath(const char *value, dbidl_variant **ret);
int dbidl_variant_new_signature(const char *value, dbidl_variant **ret);
int dbidl_variant_new_fd(int fd, dbidl_variant **ret);          /* -EBADF if fd < 0 or the dup fails */

/* A variant holding a variant ("v" inside "v").  Takes a new reference to `inner`. */
int dbidl_variant_new_variant(dbidl_variant *inner, dbidl_variant **ret);
/* "as" from a NULL-terminated string vector (NULL means empty). */
int dbidl_variant_new_strv(char *const *strv, dbidl_variant **ret);
/* "a{sv}" from a dictionary (NULL means empty).  Takes a snapshot: later changes to `dict` are not seen. */
int dbidl_variant_new_dict(const dbidl_dict *dict, dbidl_variant **ret);
/*
 * An array of a fixed-size type: `type` is one of "ybnqiuxtd", `items`
 * points at `n` elements of the C type of that code (bool arrays: `n` bools).
 */
int dbidl_variant_new_fixed_array(char type, const void *items, size_t n, dbidl_variant **ret);
/*
 * A generic array: every item must have the signature `element_signature`
 * (a single complete type); n == 0 gives an empty array of that type.
 * Takes a new reference to each item.
 */
int dbidl_variant_new_array(const char *element_signature, dbidl_variant *const *items, size_t n,
                            dbidl_variant **ret);
/* A struct "(…)" of n >= 1 members.  Takes a new reference to each member. */
int dbidl_variant_new_struct(dbidl_variant *const *members, size_t n, dbidl_variant **ret);
/* A dict entry "{kv}": `key` must hold a basic type.  Used as the items of a dict array "a{kv}". */
int dbidl_variant_new_dict_entry(dbidl_variant *key, dbidl_variant *value, dbidl_variant **ret);

/* Reference counting.  Both accept NULL; unref returns NULL. */
dbidl_variant *dbidl_variant_ref(dbidl_variant *v);
dbidl_variant *dbidl_variant_unref(dbidl_variant *v);

/* The signature of the held value, e.g. "i" or "a{sv}".  Borrowed, valid as long as `v`. */
const char *dbidl_variant_get_signature(const dbidl_variant *v);
/* The D-Bus type code of the held value: 'i', 'a', 'r' for a struct, 'e' for a dict entry, 'v'. */
char dbidl_variant_get_type(const dbidl_variant *v);

/* Typed getters: 0, or -ENXIO if the variant holds another type.  Strings are borrowed; so is the fd. */
int dbidl_variant_get_byte(const dbidl_variant *v, uint8_t *ret);
int dbidl_variant_get_bool(const dbidl_variant *v, bool *ret);
int dbidl_variant_get_int16(const dbidl_variant *v, int16_t *ret);
int dbidl_variant_get_uint16(const dbidl_variant *v, uint16_t *ret);
int dbidl_variant_get_int32(const dbidl_variant *v, int32_t *ret);
int dbidl_variant_get_uint32(const dbidl_variant *v, uint32_t *ret);
int dbidl_variant_get_int64(const dbidl_variant *v, int64_t *ret);
int dbidl_variant_get_uint64(const dbidl_variant *v, uint64_t *ret);
int dbidl_variant_get_double(const dbidl_variant *v, double *ret);
int dbidl_variant_get_string(const dbidl_variant *v, const char **ret);      /* 's' only */
int dbidl_variant_get_objpath(const dbidl_variant *v, const char **ret);     /* 'o' only */
int dbidl_variant_get_signature_value(const dbidl_variant *v, const char **ret); /* 'g' only */
int dbidl_variant_get_fd(const dbidl_variant *v, int *ret);
/* 'as', 'ao' or 'ag' as a new NULL-terminated vector the caller frees with dbidl_strv_free(). */
int dbidl_variant_get_strv(const dbidl_variant *v, char ***ret);
/* 'a{sv}' as a new dictionary (a copy; a repeated key keeps its last value, dbidl/dict.h); the caller unrefs it. */
int dbidl_variant_get_dict(const dbidl_variant *v, dbidl_dict **ret);

/*
 * Containers: the number of children (array items, struct members, the two
 * halves of a dict entry, the one value inside a nested variant; 0 for basic
 * values) and the child at `i`, borrowed (NULL if i is out of range).
 */
size_t dbidl_variant_get_n_children(const dbidl_variant *v);
dbidl_variant *dbidl_variant_get_child(const dbidl_variant *v, size_t i);

/* Deep equality of signature and value (doubles compare bitwise, fds by number). */
bool dbidl_variant_equal(const dbidl_variant *a, const dbidl_variant *b);

/*
 * Render as GVariant text format ("int32 5" style is not used: "5",
 * "'text'", "[1, 2]", "{'k': <'v'}>", "(1, 'x')", "<42>", "objectpath '/a'"
 * where GVariant would need the type annotation).  The caller frees *ret.
 */
int dbidl_variant_to_string(const dbidl_variant *v, char **ret);

/*
 * Wire conversion (through sd-bus, never by hand).
 * dbidl_variant_append: append `v` to `m` as a 'v' container.
 * dbidl_variant_read: read one 'v' container from `m` (whose next item must
 *   be a variant; -ENXIO otherwise) into a new variant.
 * dbidl_variant_append_value / dbidl_variant_read_value: the same without the
 *   'v' wrapper: the value itself is appended, or the next complete value of
 *   `m`, whatever its type, is read.
 * A failed read leaves `m` at an unspecified position.
 */
int dbidl_variant_append(sd_bus_message *m, const dbidl_variant *v);
int dbidl_variant_read(sd_bus_message *m, dbidl_variant **ret);
int dbidl_variant_append_value(sd_bus_message *m, const dbidl_variant *v);
int dbidl_variant_read_value(sd_bus_message *m, dbidl_variant **ret);

/* Free a NULL-terminated string vector and its strings.  Accepts NULL; returns NULL. */
char **dbidl_strv_free(char **strv);

#ifdef __cplusplus
}
#endif

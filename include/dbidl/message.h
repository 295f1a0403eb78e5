/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/message.h — marshalling helpers over sd-bus messages that generated code calls for arrays, strings and fds */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

#include <dbidl/dict.h>
#include <dbidl/variant.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * These wrap sd-bus's own message calls (sd_bus_message_append_array(),
 * sd_bus_message_read_array(), open_container/enter_container, …); nothing is
 * marshalled by hand.  Every function returns >= 0 on success or a negative
 * errno: -EINVAL for bad arguments, -ENOMEM, -ENXIO when the next item of
 * the message has another type, -EBADMSG for a malformed message, or what
 * sd-bus returned.  Output parameters are untouched on failure.  A message
 * belongs to one thread at a time.
 */

/*
 * Empty arrays: no function here reads an array as NULL.  An empty string
 * vector is a malloc'd { NULL }; an empty counted array has *ret_n == 0 and a
 * non-NULL *ret (malloc'd, freed as a full one would be, or for
 * dbidl_message_read_array() a static address that is never freed or
 * dereferenced).
 */

/*
 * Read an array of the fixed-size type `type` ("ynqiuxtd") without copying
 * (sd_bus_message_read_array()): *ret points into the message and lives as
 * long as it; *ret_n is the element count.  elem_size is sizeof the C type.
 */
int dbidl_message_read_array(sd_bus_message *m, char type, size_t elem_size, const void **ret, size_t *ret_n);
/* The same, copied into a new malloc'd array the caller frees (non-NULL also when empty). */
int dbidl_message_read_array_dup(sd_bus_message *m, char type, size_t elem_size, void **ret, size_t *ret_n);

/* Read a string of `type` 's', 'o' or 'g' into a new malloc'd copy. */
int dbidl_message_read_string_dup(sd_bus_message *m, char type, char **ret);
/* Read a bool ('b') into a C bool. */
int dbidl_message_read_bool(sd_bus_message *m, bool *ret);
/* Read an fd ('h') and duplicate it (F_DUPFD_CLOEXEC): the caller owns and closes *ret. */
int dbidl_message_read_fd_dup(sd_bus_message *m, int *ret);

/* bool[] ("ab"): C bools in, C bools out (the wire holds 32-bit values). *ret is malloc'd. */
int dbidl_message_append_bool_array(sd_bus_message *m, const bool *items, size_t n);
int dbidl_message_read_bool_array(sd_bus_message *m, bool **ret, size_t *ret_n);

/* A NULL-terminated string vector as "as", "ao" or "ag" (`type` is the element code); NULL appends an empty array. */
int dbidl_message_append_strv(sd_bus_message *m, char type, char *const *strv);
/*
 * Read "as", "ao" or "ag" into a new NULL-terminated vector the caller frees
 * with dbidl_strv_free(): an empty array gives { NULL }, never NULL (unlike
 * sd_bus_message_read_strv()).  O(n) in the number of strings (libsystemd's
 * sd_bus_message_read_strv() is O(n²), which is why this does not call it).
 * -ENXIO when the next item is no such array, -ENOMEM, or what sd-bus returns.
 */
int dbidl_message_read_strv(sd_bus_message *m, char ***ret);

/*
 * fd[] ("ah").  Appending duplicates the fds into the message.  Reading
 * gives a malloc'd array of fds that are borrowed from the message
 * (dup == false: do not close them) or duplicated and owned by the caller
 * (dup == true: free with dbidl_fd_array_free()).
 */
int dbidl_message_append_fd_array(sd_bus_message *m, const int *fds, size_t n);
int dbidl_message_read_fd_array(sd_bus_message *m, bool dup, int **ret, size_t *ret_n);

/* variant[] ("av") and dict<string, variant>[] ("aa{sv}"); read arrays hold new references. */
int dbidl_message_append_variant_array(sd_bus_message *m, dbidl_variant *const *items, size_t n);
int dbidl_message_read_variant_array(sd_bus_message *m, dbidl_variant ***ret, size_t *ret_n);
int dbidl_message_append_dict_array(sd_bus_message *m, dbidl_dict *const *items, size_t n);
int dbidl_message_read_dict_array(sd_bus_message *m, dbidl_dict ***ret, size_t *ret_n);

/* Copies for generated _copy() functions: NULL on ENOMEM (or for a NULL input); the fd copy is -errno on failure. */
char *dbidl_strdup(const char *s);
char **dbidl_strv_copy(char *const *strv);
int dbidl_fd_dup(int fd);

/* Releasers; all accept NULL / negative fds. */
void dbidl_fd_close(int fd);
void dbidl_fd_array_free(int *fds, size_t n);
void dbidl_variant_array_free(dbidl_variant **items, size_t n);
void dbidl_dict_array_free(dbidl_dict **items, size_t n);

#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
/*
 * Check that the reply or signal `m` carries exactly `signature` (its body
 * as a whole) before anything is read: 0, or -EBADMSG with
 * org.freedesktop.DBus.Error.InvalidSignature in *ret_error (which may be NULL).
 */
int dbidl_message_check_signature(sd_bus_message *m, const char *signature, sd_bus_error *ret_error);
#ifdef __cplusplus
}
#endif

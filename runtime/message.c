/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/message.c — array, string and fd marshalling helpers over sd-bus for generated code */

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/message.h>

#include "runtime/util.h"

/*
 * What an empty array read from a message points to when nothing is
 * allocated: a borrowed array (dbidl_message_read_array()) is never NULL, so
 * callers that test the pointer see an array, with a count of 0.
 */
static const max_align_t empty_array;

_public_ int dbidl_message_read_array(sd_bus_message *m, char type, size_t elem_size, const void **ret, size_t *ret_n) {
        return_if_fail(m && elem_size > 0 && ret && ret_n, -EINVAL);
        const void *p = NULL;
        size_t size = 0;
        int r = sd_bus_message_read_array(m, type, &p, &size);
        if (r < 0)
                return r;
        if (size % elem_size != 0)
                return -EBADMSG;
        *ret = size > 0 ? p : (const void *) &empty_array;
        *ret_n = size / elem_size;
        return 0;
}

_public_ int dbidl_message_read_array_dup(sd_bus_message *m, char type, size_t elem_size, void **ret, size_t *ret_n) {
        return_if_fail(ret, -EINVAL);
        const void *p;
        size_t n;
        int r = dbidl_message_read_array(m, type, elem_size, &p, &n);
        if (r < 0)
                return r;
        /* an empty array is a real allocation too (one element's worth), never NULL */
        void *copy = malloc((n > 0 ? n : 1) * elem_size);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, p, n * elem_size);
        *ret = copy;
        *ret_n = n;
        return 0;
}

_public_ int dbidl_message_read_string_dup(sd_bus_message *m, char type, char **ret) {
        return_if_fail(m && ret && (type == 's' || type == 'o' || type == 'g'), -EINVAL);
        const char *s;
        int r = sd_bus_message_read_basic(m, type, &s);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        *ret = copy;
        return 0;
}

_public_ int dbidl_message_read_bool(sd_bus_message *m, bool *ret) {
        return_if_fail(m && ret, -EINVAL);
        int b;
        int r = sd_bus_message_read_basic(m, 'b', &b);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        *ret = b != 0;
        return 0;
}

_public_ int dbidl_message_read_fd_dup(sd_bus_message *m, int *ret) {
        return_if_fail(m && ret, -EINVAL);
        int fd;
        int r = sd_bus_message_read_basic(m, 'h', &fd);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return -errno;
        *ret = copy;
        return 0;
}

_public_ int dbidl_message_append_bool_array(sd_bus_message *m, const bool *items, size_t n) {
        return_if_fail(m && (items || n == 0), -EINVAL);
        int r = sd_bus_message_open_container(m, 'a', "b");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                int b = items[i];
                r = sd_bus_message_append_basic(m, 'b', &b);
        }
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

_public_ int dbidl_message_read_bool_array(sd_bus_message *m, bool **ret, size_t *ret_n) {
        return_if_fail(m && ret && ret_n, -EINVAL);
        const int32_t *p;
        size_t n;
        int r = dbidl_message_read_array(m, 'b', sizeof(int32_t), (const void **) &p, &n);
        if (r < 0)
                return r;
        bool *b = calloc(n > 0 ? n : 1, sizeof(bool)); /* never NULL, even when empty */
        if (!b)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                b[i] = p[i] != 0;
        *ret = b;
        *ret_n = n;
        return 0;
}

/*
 * Not sd_bus_message_read_strv(): libsystemd (252 at least) grows its vector
 * one element at a time, counting it each time (strv_extend()), which is
 * O(n²) in the number of strings; this doubles the vector's room instead.
 */
_public_ int dbidl_message_read_strv(sd_bus_message *m, char ***ret) {
        return_if_fail(m && ret, -EINVAL);
        const char *contents;
        char type;
        int r = sd_bus_message_peek_type(m, &type, &contents);
        if (r < 0)
                return r;
        if (r == 0 || type != 'a' || !contents || !contents[0] || contents[1] || !strchr("sog", contents[0]))
                return -ENXIO;
        char code = contents[0];
        r = sd_bus_message_enter_container(m, 'a', contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        char **strv = calloc(1, sizeof(char *)); /* an empty array is { NULL }, never NULL */
        size_t n = 0, allocated = 1;
        if (!strv)
                return -ENOMEM;
        for (;;) {
                const char *s;
                r = sd_bus_message_read_basic(m, code, &s);
                if (r < 0)
                        goto fail;
                if (r == 0)
                        break;
                if (n + 1 == allocated) {
                        char **grown = reallocarray(strv, allocated * 2, sizeof(char *));
                        if (!grown) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        strv = grown;
                        allocated *= 2;
                }
                strv[n] = strdup(s);
                if (!strv[n]) {
                        r = -ENOMEM;
                        goto fail;
                }
                strv[++n] = NULL;
        }
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                goto fail;
        *ret = strv;
        return 0;
fail:
        dbidl_strv_free(strv);
        return r;
}

_public_ int dbidl_message_append_strv(sd_bus_message *m, char type, char *const *strv) {
        return_if_fail(m && (type == 's' || type == 'o' || type == 'g'), -EINVAL);
        const char contents[2] = { type, 0 };
        int r = sd_bus_message_open_container(m, 'a', contents);
        for (char *const *s = strv; r >= 0 && s && *s; s++)
                r = sd_bus_message_append_basic(m, type, *s);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

_public_ int dbidl_message_append_fd_array(sd_bus_message *m, const int *fds, size_t n) {
        return_if_fail(m && (fds || n == 0), -EINVAL);
        int r = sd_bus_message_open_container(m, 'a', "h");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append_basic(m, 'h', &fds[i]);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

/*
 * Read "a<contents>" item by item: `read_one` reads one element into
 * slot `i` of an array of `elem_size` bytes that grows as needed.
 */
static int read_items(sd_bus_message *m, const char *contents, size_t elem_size,
                      int (*read_one)(sd_bus_message *m, void *slot, void *userdata), void *userdata,
                      void (*free_items)(void *items, size_t n), void **ret, size_t *ret_n) {
        int r = sd_bus_message_enter_container(m, 'a', contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        char *items = NULL;
        size_t n = 0, allocated = 0;
        for (;;) {
                r = sd_bus_message_at_end(m, false);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        break;
                if (n == allocated) {
                        size_t na = allocated ? allocated * 2 : 8;
                        char *p = realloc(items, na * elem_size);
                        if (!p) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        items = p;
                        allocated = na;
                }
                r = read_one(m, items + n * elem_size, userdata);
                if (r < 0)
                        goto fail;
                n++;
        }
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                goto fail;
        if (!items) {
                /* empty: still an array (one zeroed element's worth), never NULL */
                items = calloc(1, elem_size);
                if (!items)
                        return -ENOMEM;
        }
        *ret = items;
        *ret_n = n;
        return 0;
fail:
        free_items(items, n);
        return r;
}

static int read_one_fd(sd_bus_message *m, void *slot, void *userdata) {
        bool dup = *(bool *) userdata;
        int fd;
        int r = sd_bus_message_read_basic(m, 'h', &fd);
        if (r < 0)
                return r;
        if (dup) {
                fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                if (fd < 0)
                        return -errno;
        }
        *(int *) slot = fd;
        return 0;
}

static void free_fds_owned(void *items, size_t n) {
        dbidl_fd_array_free(items, n);
}

static void free_fds_borrowed(void *items, size_t n) {
        (void) n;
        free(items);
}

_public_ int dbidl_message_read_fd_array(sd_bus_message *m, bool dup, int **ret, size_t *ret_n) {
        return_if_fail(m && ret && ret_n, -EINVAL);
        void *items;
        int r = read_items(m, "h", sizeof(int), read_one_fd, &dup, dup ? free_fds_owned : free_fds_borrowed,
                           &items, ret_n);
        if (r < 0)
                return r;
        *ret = items;
        return 0;
}

_public_ int dbidl_message_append_variant_array(sd_bus_message *m, dbidl_variant *const *items, size_t n) {
        return_if_fail(m && (items || n == 0), -EINVAL);
        int r = sd_bus_message_open_container(m, 'a', "v");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = dbidl_variant_append(m, items[i]);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

static int read_one_variant(sd_bus_message *m, void *slot, void *userdata) {
        (void) userdata;
        return dbidl_variant_read(m, (dbidl_variant **) slot);
}

static void free_variants(void *items, size_t n) {
        dbidl_variant_array_free(items, n);
}

_public_ int dbidl_message_read_variant_array(sd_bus_message *m, dbidl_variant ***ret, size_t *ret_n) {
        return_if_fail(m && ret && ret_n, -EINVAL);
        void *items;
        int r = read_items(m, "v", sizeof(dbidl_variant *), read_one_variant, NULL, free_variants, &items, ret_n);
        if (r < 0)
                return r;
        *ret = items;
        return 0;
}

_public_ int dbidl_message_append_dict_array(sd_bus_message *m, dbidl_dict *const *items, size_t n) {
        return_if_fail(m && (items || n == 0), -EINVAL);
        int r = sd_bus_message_open_container(m, 'a', "a{sv}");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = dbidl_dict_append(m, items[i]);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

static int read_one_dict(sd_bus_message *m, void *slot, void *userdata) {
        (void) userdata;
        return dbidl_dict_read(m, (dbidl_dict **) slot);
}

static void free_dicts(void *items, size_t n) {
        dbidl_dict_array_free(items, n);
}

_public_ int dbidl_message_read_dict_array(sd_bus_message *m, dbidl_dict ***ret, size_t *ret_n) {
        return_if_fail(m && ret && ret_n, -EINVAL);
        void *items;
        int r = read_items(m, "a{sv}", sizeof(dbidl_dict *), read_one_dict, NULL, free_dicts, &items, ret_n);
        if (r < 0)
                return r;
        *ret = items;
        return 0;
}

_public_ char *dbidl_strdup(const char *s) {
        return s ? strdup(s) : NULL;
}

_public_ char **dbidl_strv_copy(char *const *strv) {
        if (!strv)
                return NULL;
        size_t n = 0;
        while (strv[n])
                n++;
        char **copy = calloc(n + 1, sizeof(char *));
        if (!copy)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!(copy[i] = strdup(strv[i])))
                        return dbidl_strv_free(copy);
        return copy;
}

_public_ int dbidl_fd_dup(int fd) {
        return_if_fail(fd >= 0, -EBADF);
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        return copy < 0 ? -errno : copy;
}

_public_ void dbidl_fd_close(int fd) {
        if (fd >= 0)
                (void) close(fd);
}

_public_ void dbidl_fd_array_free(int *fds, size_t n) {
        for (size_t i = 0; fds && i < n; i++)
                dbidl_fd_close(fds[i]);
        free(fds);
}

_public_ void dbidl_variant_array_free(dbidl_variant **items, size_t n) {
        for (size_t i = 0; items && i < n; i++)
                dbidl_variant_unref(items[i]);
        free(items);
}

_public_ void dbidl_dict_array_free(dbidl_dict **items, size_t n) {
        for (size_t i = 0; items && i < n; i++)
                dbidl_dict_unref(items[i]);
        free(items);
}

_public_ int dbidl_message_check_signature(sd_bus_message *m, const char *signature, sd_bus_error *ret_error) {
        return_if_fail(m && signature, -EINVAL);
        if (sd_bus_message_has_signature(m, signature) > 0)
                return 0;
        const char *actual = sd_bus_message_get_signature(m, true);
        sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_SIGNATURE, "Expected a message with signature '%s', got '%s'",
                          signature, actual ? actual : "");
        return -EBADMSG;
}

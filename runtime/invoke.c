/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/invoke.c — what generated code delegates: values by codec, calls, replies, slots, dispatch, properties */

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dbidl/generated.h>

#include "runtime/invoke.h"
#include "runtime/memory.h"
#include "runtime/util.h"

/* ---- one value by its codec ---- */

/* The size of a value's C storage (dbidl/generated.h, dbidl_kind). */
static size_t storage_size(const dbidl_codec *c) {
        switch (c->kind) {
        case DBIDL_KIND_SCALAR:
        case DBIDL_KIND_ENUM:
        case DBIDL_KIND_STRUCT:
                return c->size;
        case DBIDL_KIND_BOOL:
                return sizeof(bool);
        case DBIDL_KIND_FD:
                return sizeof(int);
        default:
                return sizeof(void *);
        }
}

/* Make the storage `v` empty: what value_clear() accepts, and what a failed call passes on. */
static void value_init(const dbidl_codec *c, void *v, size_t *n) {
        memset(v, 0, storage_size(c));
        *n = 0;
        if (c->kind == DBIDL_KIND_FD)
                *(int *) v = -1;
        else if (c->kind == DBIDL_KIND_STRUCT)
                c->init(v);
}

/* sd_bus_message_read_basic(), with "no value here" (0) as the error it is after a signature check. */
static int read_basic(sd_bus_message *m, char code, void *ret) {
        int r = sd_bus_message_read_basic(m, code, ret);
        return r == 0 ? -ENXIO : r;
}

/*
 * Read one value at the position of `m` into the empty storage `v` (and its
 * count into *n).  Borrowed strings, fds and fixed arrays point into `m`.
 * On failure `v` may hold part of a value: value_clear() it as usual.
 */
static int value_read(const dbidl_codec *c, sd_bus_message *m, bool borrow, void *v, size_t *n) {
        int r;
        switch (c->kind) {
        case DBIDL_KIND_SCALAR:
                return read_basic(m, c->code, v);
        case DBIDL_KIND_BOOL: {
                int b;
                r = read_basic(m, 'b', &b);
                if (r >= 0)
                        *(bool *) v = b != 0;
                return r;
        }
        case DBIDL_KIND_STRING:
                return borrow ? read_basic(m, c->code, v) : dbidl_message_read_string_dup(m, c->code, (char **) v);
        case DBIDL_KIND_FD:
                return borrow ? read_basic(m, 'h', v) : dbidl_message_read_fd_dup(m, (int *) v);
        case DBIDL_KIND_VARIANT:
                return dbidl_variant_read(m, (dbidl_variant **) v);
        case DBIDL_KIND_BLOB:
                return dbidl_blob_read(m, (dbidl_blob **) v);
        case DBIDL_KIND_DICT:
                return dbidl_dict_read(m, (dbidl_dict **) v);
        case DBIDL_KIND_FIXED_ARRAY:
                if (borrow)
                        return dbidl_message_read_array(m, c->code, c->size, (const void **) v, n);
                return dbidl_message_read_array_dup(m, c->code, c->size, (void **) v, n);
        case DBIDL_KIND_BOOL_ARRAY:
                return dbidl_message_read_bool_array(m, (bool **) v, n);
        case DBIDL_KIND_STRV:
                /* an empty array is { NULL }, never NULL: callers loop `for (p = v; *p; p++)` */
                return dbidl_message_read_strv(m, (char ***) v);
        case DBIDL_KIND_FD_ARRAY:
                return dbidl_message_read_fd_array(m, !borrow, (int **) v, n);
        case DBIDL_KIND_VARIANT_ARRAY:
                return dbidl_message_read_variant_array(m, (dbidl_variant ***) v, n);
        case DBIDL_KIND_DICT_ARRAY:
                return dbidl_message_read_dict_array(m, (dbidl_dict ***) v, n);
        case DBIDL_KIND_ENUM:
                return c->read(m, v);
        case DBIDL_KIND_STRUCT:
                /* the lent form leaves the strings inside in the message (dbidl/generated.h) */
                return borrow && c->read_lent ? c->read_lent(m, v) : c->read(m, v);
        }
        return -EINVAL;
}

/* Append the value in storage `v` (count n) to `m`. */
static int value_append(const dbidl_codec *c, sd_bus_message *m, const void *v, size_t n) {
        switch (c->kind) {
        case DBIDL_KIND_SCALAR:
        case DBIDL_KIND_FD:
                return sd_bus_message_append_basic(m, c->kind == DBIDL_KIND_FD ? 'h' : c->code, v);
        case DBIDL_KIND_BOOL: {
                int b = *(const bool *) v;
                return sd_bus_message_append_basic(m, 'b', &b);
        }
        case DBIDL_KIND_STRING:
                return sd_bus_message_append_basic(m, c->code, *(const char *const *) v);
        case DBIDL_KIND_VARIANT:
                return dbidl_variant_append(m, *(dbidl_variant *const *) v);
        case DBIDL_KIND_BLOB:
                return dbidl_blob_append(m, *(dbidl_blob *const *) v);
        case DBIDL_KIND_DICT:
                return dbidl_dict_append(m, *(dbidl_dict *const *) v);
        case DBIDL_KIND_FIXED_ARRAY:
                return sd_bus_message_append_array(m, c->code, *(const void *const *) v, n * c->size);
        case DBIDL_KIND_BOOL_ARRAY:
                return dbidl_message_append_bool_array(m, *(const bool *const *) v, n);
        case DBIDL_KIND_STRV:
                return dbidl_message_append_strv(m, c->code, *(char *const *const *) v);
        case DBIDL_KIND_FD_ARRAY:
                return dbidl_message_append_fd_array(m, *(const int *const *) v, n);
        case DBIDL_KIND_VARIANT_ARRAY:
                return dbidl_message_append_variant_array(m, *(dbidl_variant *const *const *) v, n);
        case DBIDL_KIND_DICT_ARRAY:
                return dbidl_message_append_dict_array(m, *(dbidl_dict *const *const *) v, n);
        case DBIDL_KIND_ENUM:
        case DBIDL_KIND_STRUCT:
                return c->append(m, v);
        }
        return -EINVAL;
}

/* Free what the storage `v` owns (a borrowed value owns only the arrays it had to build). */
static void value_clear(const dbidl_codec *c, bool borrowed, void *v, size_t n) {
        if (!v)
                return;
        switch (c->kind) {
        case DBIDL_KIND_STRING:
        case DBIDL_KIND_FIXED_ARRAY:
                if (!borrowed)
                        free(*(void **) v);
                break;
        case DBIDL_KIND_FD:
                if (!borrowed)
                        dbidl_fd_close(*(int *) v);
                break;
        case DBIDL_KIND_VARIANT:
                dbidl_variant_unref(*(dbidl_variant **) v);
                break;
        case DBIDL_KIND_BLOB:
                dbidl_blob_unref(*(dbidl_blob **) v);
                break;
        case DBIDL_KIND_DICT:
                dbidl_dict_unref(*(dbidl_dict **) v);
                break;
        case DBIDL_KIND_BOOL_ARRAY:
                free(*(bool **) v);
                break;
        case DBIDL_KIND_STRV:
                dbidl_strv_free(*(char ***) v);
                break;
        case DBIDL_KIND_FD_ARRAY:
                if (borrowed)
                        free(*(int **) v);
                else
                        dbidl_fd_array_free(*(int **) v, n);
                break;
        case DBIDL_KIND_VARIANT_ARRAY:
                dbidl_variant_array_free(*(dbidl_variant ***) v, n);
                break;
        case DBIDL_KIND_DICT_ARRAY:
                dbidl_dict_array_free(*(dbidl_dict ***) v, n);
                break;
        case DBIDL_KIND_STRUCT:
                if (borrowed && c->clear_lent)
                        c->clear_lent(v);
                else
                        c->clear(v);
                break;
        default:
                break;
        }
}

/* ---- the values of one member: storage for each argument ---- */

/* A signature holds at most 255 types, so no member has more arguments. */
#define MAX_ARGS 255

/*
 * The storage of `count` arguments: v[i] and n[i] as dbidl_deliver_fn and
 * the handlers see them.  The first `n_borrowed` are read borrowed.  Storage
 * comes from `small` when it fits, else from the heap; when the heap has no
 * memory either, every v[i] points to a static empty value (values_new()
 * returns -ENOMEM, and the storage can still be passed on as empty).
 */
typedef struct values {
        const dbidl_arg *args;
        size_t count, n_borrowed;
        void *v[MAX_ARGS];
        size_t n[MAX_ARGS];
        void *heap;
        alignas(max_align_t) unsigned char small[1024];
} values;

static size_t align_up(size_t n) {
        return (n + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t);
}

static int values_new(values *x, const dbidl_arg *args, size_t count, size_t n_borrowed) {
        static const alignas(max_align_t) unsigned char zero[64];
        static const int no_fd = -1;
        size_t total = 0;
        x->args = args;
        x->count = count;
        x->n_borrowed = n_borrowed;
        x->heap = NULL;
        if (count > MAX_ARGS) {
                x->count = 0;
                return -E2BIG;
        }
        for (size_t i = 0; i < count; i++)
                total += align_up(storage_size(args[i].codec));
        unsigned char *block = x->small;
        if (total > sizeof(x->small))
                block = x->heap = malloc(total);
        if (!block) {
                /* nothing to read into: empty values to pass on, and nothing to free */
                for (size_t i = 0; i < count; i++) {
                        const dbidl_codec *c = args[i].codec;
                        x->v[i] = c->kind == DBIDL_KIND_STRUCT || storage_size(c) > sizeof(zero) ? NULL
                                  : c->kind == DBIDL_KIND_FD                                      ? (void *) &no_fd
                                                                                                  : (void *) zero;
                        x->n[i] = 0;
                }
                x->count = 0;
                return -ENOMEM;
        }
        for (size_t i = 0, off = 0; i < count; i++) {
                x->v[i] = block + off;
                value_init(args[i].codec, x->v[i], &x->n[i]);
                off += align_up(storage_size(args[i].codec));
        }
        return 0;
}

static void values_free(values *x) {
        for (size_t i = 0; i < x->count; i++)
                value_clear(x->args[i].codec, i < x->n_borrowed, x->v[i], x->n[i]);
        free(x->heap);
        x->count = 0;
        x->heap = NULL;
}

/* Read arguments [first, first + count) of `x` from `m`; on failure *ret_failed is the index of the one that failed. */
static int values_read(values *x, sd_bus_message *m, size_t first, size_t count, size_t *ret_failed) {
        for (size_t i = first; i < first + count; i++) {
                int r = value_read(x->args[i].codec, m, i < x->n_borrowed, x->v[i], &x->n[i]);
                if (r < 0) {
                        *ret_failed = i;
                        return r;
                }
        }
        return 0;
}

/* Append in[0..count) of `args` to `m`. */
static int append_all(sd_bus_message *m, const dbidl_arg *args, size_t count, const dbidl_in *in) {
        for (size_t i = 0; i < count; i++) {
                int r = value_append(args[i].codec, m, in[i].v, in[i].n);
                if (r < 0)
                        return r;
        }
        return 0;
}

int value_check(const dbidl_codec *c, sd_bus_message *m) {
        const dbidl_arg arg = { NULL, c };
        values x;
        size_t failed;
        int r = values_new(&x, &arg, 1, 0);
        if (r >= 0)
                r = values_read(&x, m, 0, 1, &failed);
        values_free(&x);
        return r < 0 ? r : 0;
}

/* Hand the owned value i of `x` to `out` (or free it when out->v is NULL); leaves its storage empty. */
static void value_move(values *x, size_t i, const dbidl_out *out) {
        const dbidl_codec *c = x->args[i].codec;
        if (out->n)
                *out->n = x->n[i];
        if (!out->v) {
                value_clear(c, false, x->v[i], x->n[i]);
        } else
                memcpy(out->v, x->v[i], storage_size(c));
        value_init(c, x->v[i], &x->n[i]);
}

/* For STRUCT arguments, callbacks get NULL rather than a pointer to an empty struct when the call failed. */
static void values_hide_structs(values *x) {
        for (size_t i = 0; i < x->count; i++)
                if (x->args[i].codec->kind == DBIDL_KIND_STRUCT)
                        x->v[i] = NULL;
}

/* ---- the client side ---- */

_public_ int dbidl_proxy_new_members(sd_bus *bus, const char *destination, const char *path, const char *interface,
                                     const dbidl_member *properties, size_t n, dbidl_proxy **ret) {
        return_if_fail(ret, -EINVAL);
        dbidl_proxy *p = NULL;
        int r = dbidl_proxy_new(bus, destination, path, interface, &p);
        if (r < 0)
                return r;
        /* the cache and the change slots check property values against the IDL */
        r = dbidl_proxy_set_properties(p, properties, n);
        if (r < 0) {
                dbidl_proxy_unref(p);
                return r;
        }
        *ret = p;
        return 0;
}

/* A new call of `method` with its inputs appended. */
static int new_call(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_proxy_new_call(p, method->name, &m);
        if (r >= 0)
                r = append_all(m, method->args, method->n_in, in);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/* The InvalidArgs of an output the IDL refuses: "output 'x' in the reply of M". */
static int invalid_output(sd_bus_error *ret_error, const dbidl_member *method, const char *output, int r) {
        char what[512];
        snprintf(what, sizeof(what), "output '%s' in the reply of %s", output, method->name);
        return dbidl_proxy_invalid_reply(ret_error, what, r);
}

/* Call `method` (not @noreply) and wait: the reply, its signature checked, into *ret_reply. */
static int call_checked(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, uint64_t timeout_usec,
                        sd_bus_error *ret_error, sd_bus_message **ret_reply) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(p, method, in, &m);
        if (r >= 0)
                r = dbidl_proxy_call(p, m, timeout_usec, ret_error, &reply);
        if (r >= 0)
                r = dbidl_message_check_signature(reply, method->out_signature, ret_error);
        if (r < 0)
                return r;
        *ret_reply = TAKE_PTR(reply);
        return 0;
}

_public_ int dbidl_proxy_invoke(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, const dbidl_out *out,
                                uint64_t timeout_usec, sd_bus_error *ret_error) {
        return_if_fail(p && method && (in || method->n_in == 0), -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;
        if (method->flags & DBIDL_MEMBER_NOREPLY) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                r = new_call(p, method, in, &m);
                return r < 0 ? r : dbidl_proxy_send(p, m);
        }
        r = call_checked(p, method, in, timeout_usec, ret_error, &reply);
        if (r < 0 || method->n_out == 0)
                return r < 0 ? r : 0;

        values x;
        size_t failed = 0;
        r = values_new(&x, method->args + method->n_in, method->n_out, 0);
        if (r >= 0) {
                r = values_read(&x, reply, 0, method->n_out, &failed);
                if (r < 0)
                        /* a value of the reply the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */
                        r = invalid_output(ret_error, method, x.args[failed].name, r);
        }
        if (r >= 0)
                for (size_t i = 0; i < method->n_out; i++)
                        value_move(&x, i, &out[i]);
        values_free(&x);
        return r < 0 ? r : 0;
}

/*
 * A reply whose outputs are lent: the message, and the outputs' storage read
 * borrowed from it (what a borrowed read had to build, a strv or a struct's
 * copy, is freed with it).  One allocation: the header, then the counts, then
 * each output's storage at align_up() offsets.
 */
struct dbidl_reply {
        sd_bus_message *message;
        const dbidl_arg *args;
        size_t count;
        size_t *n;
        unsigned char *storage;
};

/* The storage of output i of `x`, and the offset of the next one. */
static void *reply_value(const dbidl_reply *x, size_t i, size_t *off) {
        void *v = x->storage + *off;
        *off += align_up(storage_size(x->args[i].codec));
        return v;
}

_public_ dbidl_reply *dbidl_reply_free(dbidl_reply *x) {
        if (!x)
                return NULL;
        for (size_t i = 0, off = 0; i < x->count; i++) {
                void *v = reply_value(x, i, &off);
                value_clear(x->args[i].codec, true, v, x->n[i]);
        }
        sd_bus_message_unref(x->message);
        free(x);
        return NULL;
}

_public_ void dbidl_reply_freep(dbidl_reply **p) {
        if (p)
                *p = dbidl_reply_free(*p);
}

_public_ sd_bus_message *dbidl_reply_get_message(const dbidl_reply *x) {
        return x ? x->message : NULL;
}

_public_ int dbidl_proxy_invoke_lent(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in,
                                     const dbidl_out *out, uint64_t timeout_usec, sd_bus_error *ret_error,
                                     dbidl_reply **ret_reply) {
        return_if_fail(p && method && (in || method->n_in == 0) && (out || method->n_out == 0) && ret_reply &&
                               !(method->flags & DBIDL_MEMBER_NOREPLY),
                       -EINVAL);
        const dbidl_arg *args = method->args + method->n_in;
        size_t count = method->n_out, head = align_up(sizeof(dbidl_reply)), total = head + align_up(count * sizeof(size_t));
        for (size_t i = 0; i < count; i++)
                total += align_up(storage_size(args[i].codec));

        _cleanup_(dbidl_reply_freep) dbidl_reply *x = malloc(total);
        if (!x)
                return -ENOMEM;
        *x = (dbidl_reply) {
                .args = args,
                .n = (size_t *) ((unsigned char *) x + head),
                .storage = (unsigned char *) x + head + align_up(count * sizeof(size_t)),
        };
        int r = call_checked(p, method, in, timeout_usec, ret_error, &x->message);
        if (r < 0)
                return r;
        for (size_t off = 0; x->count < count; x->count++) {
                size_t i = x->count;
                void *v = reply_value(x, i, &off);
                value_init(args[i].codec, v, &x->n[i]);
                r = value_read(args[i].codec, x->message, true, v, &x->n[i]);
                if (r < 0) {
                        /* counted in, so that dbidl_reply_free() clears what was read of it */
                        x->count++;
                        /* a value of the reply the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */
                        return invalid_output(ret_error, method, args[i].name, r);
                }
        }
        for (size_t i = 0, off = 0; i < count; i++) {
                void *v = reply_value(x, i, &off);
                if (out[i].n)
                        *out[i].n = x->n[i];
                if (!out[i].v)
                        continue;
                if (args[i].codec->kind == DBIDL_KIND_STRUCT)
                        *(void **) out[i].v = v;
                else
                        memcpy(out[i].v, v, storage_size(args[i].codec));
        }
        *ret_reply = TAKE_PTR(x);
        return 0;
}

/* The trampoline of an async call: the reply's outputs, borrowed, or the error, to the member's deliver function. */
static void reply_trampoline(sd_bus_message *m, const dbidl_callback *cb) {
        const dbidl_member *method = cb->member;
        dbidl_deliver_fn deliver = (dbidl_deliver_fn) cb->deliver;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        values x;
        size_t failed = 0;
        int r = values_new(&x, method->args + method->n_in, method->n_out, method->n_out);

        if (r < 0)
                sd_bus_error_set_errno(&error, r);
        else if (sd_bus_message_is_method_error(m, NULL)) {
                (void) sd_bus_error_copy(&error, sd_bus_message_get_error(m));
                r = -EIO;
        } else if ((r = dbidl_message_check_signature(m, method->out_signature, &error)) >= 0) {
                r = values_read(&x, m, 0, method->n_out, &failed);
                if (r < 0)
                        (void) invalid_output(&error, method, x.args[failed].name, r);
        }
        if (r < 0) {
                if (!sd_bus_error_is_set(&error))
                        sd_bus_error_set_errno(&error, r);
                /* the callback sees empty values: what was read before the failure is freed first */
                values_free(&x);
                (void) values_new(&x, method->args + method->n_in, method->n_out, method->n_out);
                values_hide_structs(&x);
                deliver(cb, &error, x.v, x.n);
        } else
                deliver(cb, NULL, x.v, x.n);
        values_free(&x);
        sd_bus_error_free(&error);
}

_public_ int dbidl_proxy_invoke_async(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in,
                                      uint64_t timeout_usec, dbidl_deliver_fn deliver, void (*callback)(void),
                                      void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(p && method && deliver && callback && (in || method->n_in == 0), -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        proxy_member pm = { method, (void (*)(void)) deliver };
        int r = new_call(p, method, in, &m);
        if (r < 0)
                return r;
        return proxy_call_async(p, m, timeout_usec, reply_trampoline, &pm, callback, userdata, ret_slot);
}

/* The trampoline of a signal slot. */
static void signal_trampoline(sd_bus_message *m, const dbidl_callback *cb) {
        const dbidl_member *signal = cb->member;
        values x;
        size_t failed;
        int r = values_new(&x, signal->args, signal->n_in, signal->n_in);
        if (r >= 0)
                r = dbidl_message_check_signature(m, signal->in_signature, NULL);
        if (r >= 0)
                r = values_read(&x, m, 0, signal->n_in, &failed);
        if (r >= 0)
                ((dbidl_deliver_fn) cb->deliver)(cb, NULL, x.v, x.n);
        else if (r != -ENOMEM)
                /* another signature, or a value the IDL refuses (-EDOM: an undeclared enum value): never dropped
                 * silently, but counted and reported once (dbidl_proxy_set_diagnostic_handler()) */
                dbidl_proxy_report_bad_message(cb->proxy, m, signal->in_signature);
        values_free(&x);
}

_public_ int dbidl_proxy_connect(dbidl_proxy *p, const dbidl_member *signal, dbidl_deliver_fn deliver,
                                 void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(signal && deliver, -EINVAL);
        proxy_member pm = { signal, (void (*)(void)) deliver };
        return proxy_match_signal(p, signal->name, signal_trampoline, &pm, callback, userdata, ret_slot);
}

/* The trampoline of a property change slot: `m` is positioned at the new value, or NULL for an invalidation. */
static void watch_trampoline(sd_bus_message *m, const dbidl_callback *cb) {
        static const sd_bus_error invalidated = SD_BUS_ERROR_MAKE_CONST("org.dbidl.Error.Invalidated",
                                                                        "The value was invalidated");
        const dbidl_member *property = cb->member;
        values x;
        size_t failed;
        int r = values_new(&x, property->args, 1, 1);
        /* a value the IDL refuses never gets here: the runtime checked it against the proxy's table and
         * reported it, once; a read that fails now (-ENOMEM) is not the service's fault */
        if (r >= 0 && m)
                r = values_read(&x, m, 0, 1, &failed);
        if (r >= 0 && !m)
                values_hide_structs(&x);
        if (r >= 0)
                ((dbidl_deliver_fn) cb->deliver)(cb, m ? NULL : &invalidated, x.v, x.n);
        values_free(&x);
}

_public_ int dbidl_proxy_watch_member(dbidl_proxy *p, const dbidl_member *property, dbidl_deliver_fn deliver,
                                      void (*callback)(void), void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(property && deliver, -EINVAL);
        proxy_member pm = { property, (void (*)(void)) deliver };
        return proxy_match_property(p, property->name, property->in_signature, watch_trampoline, &pm, callback,
                                    userdata, ret_slot);
}

/* Read the property value at the position of `m` into *ret. */
static int property_read(const dbidl_member *property, sd_bus_message *m, const dbidl_out *ret) {
        values x;
        size_t failed;
        int r = values_new(&x, property->args, 1, 0);
        if (r >= 0)
                r = values_read(&x, m, 0, 1, &failed);
        if (r >= 0)
                value_move(&x, 0, ret);
        values_free(&x);
        return r;
}

_public_ int dbidl_proxy_get(dbidl_proxy *p, const dbidl_member *property, const dbidl_out *ret,
                             sd_bus_error *ret_error) {
        return_if_fail(property && ret, -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_proxy_get_property(p, property->name, property->in_signature, ret_error, &m);
        if (r >= 0)
                r = property_read(property, m, ret);
        if (r < 0 && m) {
                /* a value the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */
                char what[512];
                snprintf(what, sizeof(what), "value of property '%s' in the reply of Get", property->name);
                r = dbidl_proxy_invalid_reply(ret_error, what, r);
        }
        return r < 0 ? r : 0;
}

_public_ int dbidl_proxy_get_cached(dbidl_proxy *p, const dbidl_member *property, const dbidl_out *ret) {
        return_if_fail(property && ret, -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_proxy_get_cached_property(p, property->name, property->in_signature, &m);
        if (r >= 0)
                r = property_read(property, m, ret);
        return r < 0 ? r : 0;
}

_public_ int dbidl_proxy_set(dbidl_proxy *p, const dbidl_member *property, const dbidl_in *value,
                             sd_bus_error *ret_error) {
        return_if_fail(property && value, -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_proxy_set_property_begin(p, property->name, property->in_signature, &m);
        if (r >= 0)
                r = append_all(m, property->args, 1, value);
        if (r >= 0)
                r = dbidl_proxy_set_property_end(p, m, ret_error);
        return r < 0 ? r : 0;
}

/* ---- the service side ---- */

_public_ int dbidl_object_export_interface(sd_bus *bus, const char *path, const dbidl_interface_info *info,
                                           const void *handlers, void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(info && info->vtable && info->handle && handlers, -EINVAL);
        return object_export_info(bus, path, info, handlers, userdata, ret_slot);
}

/* Member `name` among members [first, first + count) of `info`, or NULL; its index into *ret_index. */
static const dbidl_member *member_find(const dbidl_interface_info *info, size_t first, size_t count,
                                       const char *name, size_t *ret_index) {
        for (size_t i = first; name && i < first + count; i++)
                if (strcmp(info->members[i].name, name) == 0) {
                        *ret_index = i;
                        return &info->members[i];
                }
        return NULL;
}

/* The answer to `call` when the member is not in the table: never for a vtable the generator wrote. */
static int unknown_member(sd_bus_error *ret_error, const char *interface, const char *member) {
        return sd_bus_error_setf(ret_error, SD_BUS_ERROR_UNKNOWN_METHOD, "Unknown member %s.%s", interface,
                                 member ? member : "");
}

_public_ int dbidl_object_method(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        const dbidl_object *o = userdata;
        const dbidl_interface_info *info = o->info;
        const char *name = sd_bus_message_get_member(call);
        size_t i = 0, failed = 0;
        const dbidl_member *method = member_find(info, 0, info->n_methods, name, &i);
        if (!method)
                return unknown_member(ret_error, info->name, name);
        if (info->handle(o, i, DBIDL_OP_CALL, call, NULL, NULL, ret_error) <= 0)
                return dbidl_object_not_supported(ret_error, info->name, method->name);

        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        values x;
        int r = values_new(&x, method->args, method->n_in + method->n_out, method->n_in);
        if (r >= 0) {
                r = values_read(&x, call, 0, method->n_in, &failed);
                if (r < 0) {
                        r = dbidl_object_invalid_args(ret_error, method->name, x.args[failed].name, r);
                        goto finish;
                }
        }
        if (r >= 0)
                r = info->handle(o, i, DBIDL_OP_CALL, call, x.v, x.n, ret_error);
        if (r != 0)
                /* as in sd-bus, > 0: the handler answered already (P_return_m(), sd_bus_reply_method_return())
                 * or kept the call (dbidl_defer()) to answer later through P_reply_m(); its outputs are freed
                 * below, unsent */
                goto finish;
        if (method->flags & DBIDL_MEMBER_NOREPLY) {
                /* sd-bus sends nothing unless the caller asked for a reply anyway */
                r = sd_bus_reply_method_return(call, NULL);
                goto finish;
        }
        r = sd_bus_message_new_method_return(call, &reply);
        for (size_t k = method->n_in; r >= 0 && k < x.count; k++) {
                r = value_append(x.args[k].codec, reply, x.v[k], x.n[k]);
                if (r < 0)
                        /* the handler's outputs could not be sent: the service's fault, not the caller's */
                        r = dbidl_object_reply_failed(ret_error, method->name, x.args[k].name, r);
        }
        if (r >= 0)
                r = sd_bus_send(NULL, reply, NULL);
finish:
        values_free(&x);
        memory_note(sd_bus_message_get_bus(call));
        return r < 0 ? r : 1;
}

_public_ int dbidl_object_property_get(sd_bus *bus, const char *path, const char *interface, const char *property,
                                       sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        const dbidl_object *o = userdata;
        const dbidl_interface_info *info = o->info;
        size_t i = 0;
        const dbidl_member *p = member_find(info, info->n_methods + info->n_signals, info->n_properties, property, &i);
        (void) bus;
        (void) path;
        if (!p)
                return unknown_member(ret_error, interface, property);
        if (!(p->flags & DBIDL_PROPERTY_READ))
                return sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Property %s.%s is write-only",
                                         interface, property);
        if (info->handle(o, i, DBIDL_OP_GET, NULL, NULL, NULL, ret_error) <= 0)
                return dbidl_object_not_supported(ret_error, info->name, property);
        values x;
        int r = values_new(&x, p->args, 1, 0);
        if (r >= 0)
                r = info->handle(o, i, DBIDL_OP_GET, NULL, x.v, x.n, ret_error);
        if (r >= 0) {
                r = value_append(p->args[0].codec, reply, x.v[0], x.n[0]);
                if (r < 0)
                        /* the handler's value could not be sent: the service's fault, not the caller's */
                        r = dbidl_object_reply_failed(ret_error, property, "value", r);
        }
        values_free(&x);
        return r < 0 ? r : 1;
}

_public_ int dbidl_object_property_set(sd_bus *bus, const char *path, const char *interface, const char *property,
                                       sd_bus_message *value, void *userdata, sd_bus_error *ret_error) {
        const dbidl_object *o = userdata;
        const dbidl_interface_info *info = o->info;
        size_t i = 0, failed;
        const dbidl_member *p = member_find(info, info->n_methods + info->n_signals, info->n_properties, property, &i);
        if (!p)
                return unknown_member(ret_error, interface, property);
        int has = info->handle(o, i, DBIDL_OP_SET, NULL, NULL, NULL, ret_error);
        if (has <= 0 && !(p->flags & DBIDL_PROPERTY_STORED))
                return dbidl_object_not_supported(ret_error, info->name, property);
        values x;
        int r = values_new(&x, p->args, 1, 1);
        if (r >= 0) {
                r = values_read(&x, value, 0, 1, &failed);
                if (r < 0) {
                        r = dbidl_object_invalid_property(ret_error, property, r);
                        goto finish;
                }
        }
        if (r >= 0 && has > 0)
                /* @stored: the handler, if any, only vets the value; the store queues the change */
                r = info->handle(o, i, DBIDL_OP_SET, NULL, x.v, x.n, ret_error);
        if (r >= 0 && (p->flags & DBIDL_PROPERTY_STORED)) {
                dbidl_in in = { x.v[0], x.n[0] };
                r = dbidl_object_store_value(bus, path, interface, p, &in);
        } else if (r >= 0 && (p->flags & DBIDL_PROPERTY_NOTIFY))
                /* PropertiesChanged after a successful Set, as @emits asks; the value is set either way */
                (void) sd_bus_emit_properties_changed(bus, path, interface, property, NULL);
finish:
        values_free(&x);
        return r < 0 ? r : 1;
}

_public_ int dbidl_object_return(sd_bus_message *call, const dbidl_member *method, const dbidl_in *out) {
        return_if_fail(call && method && (out || method->n_out == 0), -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_return(call, &m);
        if (r >= 0)
                r = append_all(m, method->args + method->n_in, method->n_out, out);
        if (r >= 0)
                r = sd_bus_send(NULL, m, NULL);
        return r < 0 ? r : DBIDL_REPLIED;
}

_public_ int dbidl_pending_return(dbidl_pending *pending, const dbidl_member *method, const dbidl_in *out) {
        return_if_fail(pending && method && (out || method->n_out == 0), -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_pending_new_return(pending, &m);
        if (r >= 0)
                r = append_all(m, method->args + method->n_in, method->n_out, out);
        if (r >= 0)
                return dbidl_pending_send(pending, m);
        /* the outputs could not be sent: the caller gets the error instead */
        (void) dbidl_pending_reply_errno(pending, r);
        return r;
}

_public_ int dbidl_object_emit(sd_bus *bus, const char *path, const char *interface, const dbidl_member *signal,
                               const dbidl_in *in) {
        return_if_fail(signal && (in || signal->n_in == 0), -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_signal(bus, &m, path, interface, signal->name);
        if (r >= 0)
                r = append_all(m, signal->args, signal->n_in, in);
        if (r >= 0)
                r = sd_bus_send(bus, m, NULL);
        return r < 0 ? r : 0;
}

_public_ int dbidl_object_store_value(sd_bus *bus, const char *path, const char *interface,
                                      const dbidl_member *property, const dbidl_in *value) {
        return_if_fail(property && value, -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = dbidl_object_store_new(bus, &m);
        if (r >= 0)
                r = append_all(m, property->args, 1, value);
        if (r >= 0)
                r = dbidl_object_store(bus, path, interface, property->name, m);
        return r;
}

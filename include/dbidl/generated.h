/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/generated.h — what only generated code uses: value codecs, member tables, the generic call, reply, dispatch and property paths */
#pragma once

/*
 * Nothing here is for hand-written code: generated headers include this file,
 * and its types and functions change with DBIDL_ABI_VERSION.  Programs use
 * the generated functions, and the runtime API of <dbidl/dbidl.h>.
 *
 * The generated code is tables plus thin typed adapters.  A codec says how a
 * value of one IDL type moves between a message and its C storage; a member
 * table lists a method's, signal's or property's arguments with their
 * codecs; the runtime does the rest: it builds, sends, reads, checks,
 * replies, reports and frees (runtime/invoke.c).  The adapters are the only
 * code that knows the C types: the public wrappers pack their arguments into
 * arrays of pointers to C storage, and one function per interface and side
 * unpacks them into calls of the user's typed handlers and callbacks.
 */
#define DBIDL_ABI_VERSION 3

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include <dbidl/dbidl.h>

/* `p` (a void *) converted to the type of `lvalue`, as the generated helpers, valid C and C++, need it. */
#ifdef __cplusplus
#  define DBIDL_CAST(lvalue, p) static_cast<decltype(lvalue)>(p)
#else
#  define DBIDL_CAST(lvalue, p) (p)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The C storage of a value ("storage" below), by kind.  A counted array's
 * count travels beside its storage (the n of dbidl_in, dbidl_out).
 * Borrowed values (the inputs a handler sees, the outputs and arguments a
 * callback sees) point into the message where the kind allows it.
 */
typedef enum dbidl_kind {
        DBIDL_KIND_SCALAR,              /* y n q i u x t d: the scalar of `size` bytes */
        DBIDL_KIND_BOOL,                /* b: bool */
        DBIDL_KIND_STRING,              /* s o g: char * (borrowed: into the message) */
        DBIDL_KIND_FD,                  /* h: int (owned: a duplicate; borrowed: the message's) */
        DBIDL_KIND_VARIANT,             /* v: dbidl_variant * */
        DBIDL_KIND_DICT,                /* a{sv}: dbidl_dict * */
        DBIDL_KIND_FIXED_ARRAY,         /* ay an aq ai au ax at ad: T * of elements of `size` bytes, counted */
        DBIDL_KIND_BOOL_ARRAY,          /* ab: bool *, counted */
        DBIDL_KIND_STRV,                /* as ao ag: NULL-terminated char **, never NULL */
        DBIDL_KIND_FD_ARRAY,            /* ah: int *, counted (owned: duplicates) */
        DBIDL_KIND_VARIANT_ARRAY,       /* av: dbidl_variant **, counted */
        DBIDL_KIND_DICT_ARRAY,          /* aa{sv}: dbidl_dict **, counted */
        DBIDL_KIND_ENUM,                /* a generated enum or flags type of `size` bytes, by value */
        DBIDL_KIND_STRUCT,              /* a generated struct, array or dict type of `size` bytes, by pointer */
        DBIDL_KIND_BLOB,                /* h holding a sealed memfd: dbidl_blob * (checked on receipt, dbidl/blob.h) */
} dbidl_kind;

/*
 * How a value of one IDL type travels.  `signature` is its complete D-Bus
 * signature; `code` the (element) type code of SCALAR, STRING,
 * FIXED_ARRAY and STRV; `size` as above.  ENUM and STRUCT codecs carry the
 * generated functions: `read` fills *ret with an owned value and leaves it
 * untouched on failure (-EDOM for an undeclared enum value), `append`
 * appends *v, `init` makes storage empty (what `clear` may be called on) and
 * `clear` frees what it owns (STRUCT only; NULL for ENUM).
 */
typedef struct dbidl_codec {
        const char *signature;
        dbidl_kind kind;
        char code;
        size_t size;
        int (*read)(sd_bus_message *m, void *ret);
        int (*append)(sd_bus_message *m, const void *v);
        void (*init)(void *v);
        void (*clear)(void *v);
        /* the lent form of a STRUCT codec whose type holds strings: `read_lent` leaves them in the message (the
         * message must outlive the value), `clear_lent` frees only what that read built; NULL otherwise */
        int (*read_lent)(sd_bus_message *m, void *ret);
        void (*clear_lent)(void *v);
} dbidl_codec;

/* A codec of one of the built-in kinds (all but ENUM and STRUCT). */
#define DBIDL_CODEC(signature, kind, code, size) { signature, kind, code, size, NULL, NULL, NULL, NULL, NULL, NULL }

/* The codecs of the built-in kinds, named by signature without braces (dbidl_codec_asv is a{sv}). */
static const dbidl_codec dbidl_codec_y = DBIDL_CODEC("y", DBIDL_KIND_SCALAR, 'y', sizeof(uint8_t));
static const dbidl_codec dbidl_codec_n = DBIDL_CODEC("n", DBIDL_KIND_SCALAR, 'n', sizeof(int16_t));
static const dbidl_codec dbidl_codec_q = DBIDL_CODEC("q", DBIDL_KIND_SCALAR, 'q', sizeof(uint16_t));
static const dbidl_codec dbidl_codec_i = DBIDL_CODEC("i", DBIDL_KIND_SCALAR, 'i', sizeof(int32_t));
static const dbidl_codec dbidl_codec_u = DBIDL_CODEC("u", DBIDL_KIND_SCALAR, 'u', sizeof(uint32_t));
static const dbidl_codec dbidl_codec_x = DBIDL_CODEC("x", DBIDL_KIND_SCALAR, 'x', sizeof(int64_t));
static const dbidl_codec dbidl_codec_t = DBIDL_CODEC("t", DBIDL_KIND_SCALAR, 't', sizeof(uint64_t));
static const dbidl_codec dbidl_codec_d = DBIDL_CODEC("d", DBIDL_KIND_SCALAR, 'd', sizeof(double));
static const dbidl_codec dbidl_codec_b = DBIDL_CODEC("b", DBIDL_KIND_BOOL, 'b', 0);
static const dbidl_codec dbidl_codec_s = DBIDL_CODEC("s", DBIDL_KIND_STRING, 's', 0);
static const dbidl_codec dbidl_codec_o = DBIDL_CODEC("o", DBIDL_KIND_STRING, 'o', 0);
static const dbidl_codec dbidl_codec_g = DBIDL_CODEC("g", DBIDL_KIND_STRING, 'g', 0);
static const dbidl_codec dbidl_codec_h = DBIDL_CODEC("h", DBIDL_KIND_FD, 'h', 0);
static const dbidl_codec dbidl_codec_v = DBIDL_CODEC("v", DBIDL_KIND_VARIANT, 'v', 0);
static const dbidl_codec dbidl_codec_blob = DBIDL_CODEC("h", DBIDL_KIND_BLOB, 'h', 0);
static const dbidl_codec dbidl_codec_asv = DBIDL_CODEC("a{sv}", DBIDL_KIND_DICT, 'a', 0);
static const dbidl_codec dbidl_codec_ay = DBIDL_CODEC("ay", DBIDL_KIND_FIXED_ARRAY, 'y', sizeof(uint8_t));
static const dbidl_codec dbidl_codec_an = DBIDL_CODEC("an", DBIDL_KIND_FIXED_ARRAY, 'n', sizeof(int16_t));
static const dbidl_codec dbidl_codec_aq = DBIDL_CODEC("aq", DBIDL_KIND_FIXED_ARRAY, 'q', sizeof(uint16_t));
static const dbidl_codec dbidl_codec_ai = DBIDL_CODEC("ai", DBIDL_KIND_FIXED_ARRAY, 'i', sizeof(int32_t));
static const dbidl_codec dbidl_codec_au = DBIDL_CODEC("au", DBIDL_KIND_FIXED_ARRAY, 'u', sizeof(uint32_t));
static const dbidl_codec dbidl_codec_ax = DBIDL_CODEC("ax", DBIDL_KIND_FIXED_ARRAY, 'x', sizeof(int64_t));
static const dbidl_codec dbidl_codec_at = DBIDL_CODEC("at", DBIDL_KIND_FIXED_ARRAY, 't', sizeof(uint64_t));
static const dbidl_codec dbidl_codec_ad = DBIDL_CODEC("ad", DBIDL_KIND_FIXED_ARRAY, 'd', sizeof(double));
static const dbidl_codec dbidl_codec_ab = DBIDL_CODEC("ab", DBIDL_KIND_BOOL_ARRAY, 'b', 0);
static const dbidl_codec dbidl_codec_as = DBIDL_CODEC("as", DBIDL_KIND_STRV, 's', 0);
static const dbidl_codec dbidl_codec_ao = DBIDL_CODEC("ao", DBIDL_KIND_STRV, 'o', 0);
static const dbidl_codec dbidl_codec_ag = DBIDL_CODEC("ag", DBIDL_KIND_STRV, 'g', 0);
static const dbidl_codec dbidl_codec_ah = DBIDL_CODEC("ah", DBIDL_KIND_FD_ARRAY, 'h', 0);
static const dbidl_codec dbidl_codec_av = DBIDL_CODEC("av", DBIDL_KIND_VARIANT_ARRAY, 'v', 0);
static const dbidl_codec dbidl_codec_aasv = DBIDL_CODEC("aa{sv}", DBIDL_KIND_DICT_ARRAY, 'a', 0);

/* One argument of a member: its IDL name (for error messages) and codec. */
typedef struct dbidl_arg {
        const char *name;
        const dbidl_codec *codec;
} dbidl_arg;

/* dbidl_member.flags */
enum {
        DBIDL_MEMBER_NOREPLY = 1 << 0,          /* a @noreply method */
        DBIDL_PROPERTY_READ = 1 << 1,           /* a readable property */
        DBIDL_PROPERTY_WRITE = 1 << 2,          /* a writable property */
        DBIDL_PROPERTY_NOTIFY = 1 << 3,         /* a successful Set emits PropertiesChanged (@emits change) */
        DBIDL_PROPERTY_CHECK = 1 << 4,          /* the value holds an enum: read it to check it (-EDOM) */
        DBIDL_PROPERTY_STORED = 1 << 5,         /* of a @stored interface: the runtime keeps the value */
};

/*
 * A method (arguments: n_in inputs, then n_out outputs), a signal (n_in
 * arguments) or a property (one argument: the value; `in_signature` is its
 * type).  Generated code lists an interface's members in one static table:
 * methods, then signals, then properties.
 */
typedef struct dbidl_member {
        const char *name;               /* the D-Bus member name */
        const char *in_signature;
        const char *out_signature;      /* methods; "" otherwise */
        const dbidl_arg *args;
        unsigned n_in, n_out;
        unsigned flags;
} dbidl_member;

/* The value of one argument the caller passes: a pointer to its storage (for STRUCT, the struct) and its count. */
typedef struct dbidl_in {
        const void *v;
        size_t n;
} dbidl_in;

/* Where an owned output goes: storage to fill and its count, either NULL to have the value freed. */
typedef struct dbidl_out {
        void *v;
        size_t *n;
} dbidl_out;

/* ---- the client side ---- */

/*
 * The context of an async call, a signal slot or a property change slot:
 * what the generated deliver function needs to call the user's typed
 * callback.  Owned by the runtime, valid during the call.
 */
typedef struct dbidl_callback {
        dbidl_proxy *proxy;
        void (*callback)(void);         /* the user's typed function, cast back by the deliver function */
        void *userdata;
        const struct dbidl_member *member;      /* the member (dbidl_member, below) */
        void (*deliver)(void);          /* its dbidl_deliver_fn */
} dbidl_callback;

/*
 * Calls the typed callback of an async reply, a signal or a property change
 * slot: `v[i]` points to the storage of argument i (outputs of a reply,
 * arguments of a signal, the value of a property), borrowed for the call,
 * and `n[i]` is its count.  STRUCT arguments are passed as v[i] itself.
 * `error` is set for a failed call (the values are empty: 0, false, NULL,
 * -1, and v[i] NULL for STRUCT); for a property change slot it is set when
 * the value was invalidated (with empty values).  `cb->member` is the member.
 */
typedef void (*dbidl_deliver_fn)(const dbidl_callback *cb, const sd_bus_error *error, void *const *v,
                                 const size_t *n);

/*
 * A proxy for `interface` whose property values are checked against the
 * property members `properties[0..n)` (a static table that outlives the
 * proxy; see dbidl_proxy_set_diagnostic_handler() for what is refused):
 * dbidl_proxy_new() with that table.  Returns as
 * dbidl_proxy_new().
 */
int dbidl_proxy_new_members(sd_bus *bus, const char *destination, const char *path, const char *interface,
                            const dbidl_member *properties, size_t n, dbidl_proxy **ret);

/*
 * Call `method` with the inputs `in[0..n_in)` and wait at most timeout_usec
 * (0: the proxy's timeout) for the reply (sd_bus_call()); its outputs go to
 * `out[0..n_out)` as owned values, nothing is stored on failure.  A
 * @noreply method is sent (sd_bus_send()) and `out`/`timeout_usec` are
 * unused.  Returns 0; a negative errno from sd-bus with the remote error in
 * *ret_error (may be NULL): -ENXIO for a reply of another signature, -EDOM
 * (InvalidArgs naming the output) for an undeclared enum value, -ENOMEM.
 */
int dbidl_proxy_invoke(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, const dbidl_out *out,
                       uint64_t timeout_usec, sd_bus_error *ret_error);
/*
 * The same call with the outputs lent, not copied: out[i].v receives the
 * storage of output i as a handler's input would see it (strings and arrays
 * of fixed-size elements point into the reply message, fds belong to it; a
 * struct output receives a pointer to the value, which the reply owns).
 * Everything stays valid until dbidl_reply_free(*ret_reply), which the caller
 * calls once on success; on failure *ret_reply and `out` are untouched.
 * Returns as dbidl_proxy_invoke(); -EINVAL for a @noreply method or a NULL
 * ret_reply.
 */
int dbidl_proxy_invoke_lent(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, const dbidl_out *out,
                            uint64_t timeout_usec, sd_bus_error *ret_error, dbidl_reply **ret_reply);
/*
 * The same, asynchronously (sd_bus_call_async()): `deliver` runs once
 * with the reply's outputs borrowed, or with the error (a remote error, the
 * timeout, another signature, a refused value).  Returns 0 or a negative
 * errno from building or sending the call; -EINVAL for NULL arguments.
 */
int dbidl_proxy_invoke_async(dbidl_proxy *p, const dbidl_member *method, const dbidl_in *in, uint64_t timeout_usec,
                             dbidl_deliver_fn deliver, void (*callback)(void), void *userdata,
                             sd_bus_slot **ret_slot);
/*
 * Connect `deliver` to `signal` (sd_bus_match_signal(), from the proxy's
 * destination, which the proxy follows across restarts).  A signal of
 * another signature, or with a value the IDL refuses, is counted and
 * reported to the diagnostic handler (dbidl_proxy_set_diagnostic_handler()) and not delivered.
 */
int dbidl_proxy_connect(dbidl_proxy *p, const dbidl_member *signal, dbidl_deliver_fn deliver,
                        void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);
/* Connect `deliver` to changes of `property` (PropertiesChanged; with the error set when it was invalidated). */
int dbidl_proxy_watch_member(dbidl_proxy *p, const dbidl_member *property, dbidl_deliver_fn deliver,
                             void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

/*
 * Read `property` with Get (blocking; dbidl_proxy_get_property()) into *ret,
 * owned.  Returns 0 or a negative errno with the remote error in *ret_error:
 * -EDOM with InvalidArgs for a value the IDL refuses.
 */
int dbidl_proxy_get(dbidl_proxy *p, const dbidl_member *property, const dbidl_out *ret, sd_bus_error *ret_error);
/* The cached value of `property` into *ret, owned: 0, -ENODATA if not cached (dbidl_proxy_enable_cache()). */
int dbidl_proxy_get_cached(dbidl_proxy *p, const dbidl_member *property, const dbidl_out *ret);
/* Set `property` to *value (blocking; org.freedesktop.DBus.Properties.Set).  Returns 0 or a negative errno. */
int dbidl_proxy_set(dbidl_proxy *p, const dbidl_member *property, const dbidl_in *value, sd_bus_error *ret_error);

/* ---- the service side ---- */

/*
 * The property getter (sd_bus_property_get_t) a @stored interface's vtable
 * names for its kept properties: appends the kept value to `reply` (a copy;
 * no handler is called).  `userdata` is the export's dbidl_object.  Returns
 * 1, or a negative errno with UnknownProperty in ret_error for a property
 * without a kept value.
 */
int dbidl_object_stored_get(sd_bus *bus, const char *path, const char *interface, const char *property,
                            sd_bus_message *reply, void *userdata, sd_bus_error *ret_error);

/* dbidl_interface_info.handle `op` */
enum {
        DBIDL_OP_CALL,          /* a method: v holds the inputs, then the outputs' storage */
        DBIDL_OP_GET,           /* a property's getter: v[0] the value's storage */
        DBIDL_OP_SET,           /* a property's setter: v[0] the value */
};

/*
 * An interface as generated code describes it to the runtime: its name, its
 * members (methods, signals, properties: n_methods + n_signals + n_properties
 * entries), its sd-bus vtable (whose method handlers are
 * dbidl_object_method() and property accessors dbidl_object_property_get()
 * and _set(), or dbidl_object_stored_get()), and `handle`, the adapter that
 * calls the user's handler of member `member` for `op`.  With `v` NULL,
 * `handle` returns 1 if the handler table has that handler and 0 if not;
 * else it returns what the handler returns.
 */
typedef struct dbidl_interface_info {
        const char *name;
        const dbidl_member *members;
        size_t n_methods, n_signals, n_properties;
        const sd_bus_vtable *vtable;
        bool stored;
        int (*handle)(const dbidl_object *o, size_t member, int op, sd_bus_message *call, void *const *v, size_t *n,
                      sd_bus_error *error);
} dbidl_interface_info;

/*
 * Export `info` at `path` with the user's `handlers` and `userdata`
 * (dbidl_object_export(); for a @stored interface the runtime also keeps
 * the property values, docs/c-api.md "Stored properties").  Returns as
 * dbidl_object_export(), and -EOPNOTSUPP for a kept property whose type
 * contains a file descriptor.
 */
int dbidl_object_export_interface(sd_bus *bus, const char *path, const dbidl_interface_info *info,
                                  const void *handlers, void *userdata, sd_bus_slot **ret_slot);

/*
 * The method handler (sd_bus_message_handler_t) of every generated vtable
 * entry: finds the member by name, reads the inputs (borrowed), calls the
 * handler through info->handle, and sends the outputs unless the handler
 * replied itself (> 0).  Errors: UnknownMethod-like NotSupported for a
 * missing handler, InvalidArgs naming the input that cannot be read,
 * Failed naming the output that cannot be sent, the handler's own.
 */
int dbidl_object_method(sd_bus_message *call, void *userdata, sd_bus_error *ret_error);
/* The property getter and setter (sd_bus_property_get_t, _set_t) of generated vtables. */
int dbidl_object_property_get(sd_bus *bus, const char *path, const char *interface, const char *property,
                              sd_bus_message *reply, void *userdata, sd_bus_error *ret_error);
int dbidl_object_property_set(sd_bus *bus, const char *path, const char *interface, const char *property,
                              sd_bus_message *value, void *userdata, sd_bus_error *ret_error);

/* Answer `call` with the outputs `out[0..n_out)` of `method` (borrowed).  Returns DBIDL_REPLIED or a negative errno. */
int dbidl_object_return(sd_bus_message *call, const dbidl_member *method, const dbidl_in *out);
/* Answer a deferred call; always consumes `pending` (the caller gets the error if the outputs cannot be sent). */
int dbidl_pending_return(dbidl_pending *pending, const dbidl_member *method, const dbidl_in *out);
/* Emit `signal` of `interface` from `path` with the arguments `in[0..n_in)`.  Returns 0 or a negative errno. */
int dbidl_object_emit(sd_bus *bus, const char *path, const char *interface, const dbidl_member *signal,
                      const dbidl_in *in);
/*
 * Keep *value as the value of the @stored `property`.  An equal value
 * changes nothing; a changed one is queued for the next PropertiesChanged of
 * the object (dbidl_bus_flush_properties()).  Returns 1 when the value
 * changed, 0 when it was equal; -EINVAL (also a value the type cannot
 * send), -ENOTCONN (the bus is closed), -ENOENT (no such @stored export),
 * -EPERM (a const property stored before), -ENOMEM.
 */
int dbidl_object_store_value(sd_bus *bus, const char *path, const char *interface, const dbidl_member *property,
                             const dbidl_in *value);

#ifdef __cplusplus
}
#endif

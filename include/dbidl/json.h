/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/json.h — JSON in and out of sd-bus messages: arguments by name or position, every D-Bus type (docs/json.md) */
#pragma once

#include <stddef.h>
#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The mapping between JSON values and D-Bus values is written down in
 * docs/json.md.  In short: integers are JSON numbers with full 64-bit
 * precision; doubles are numbers that read back to the same bits ("NaN",
 * "Infinity" and "-Infinity" as strings); strings, object paths and
 * signatures are strings; "ay" is an array of numbers (a base64 string is
 * accepted on input); a struct is an array; a dict with keys of type s, o or
 * g is an object, any other dict an array of [key, value] pairs (objects
 * are accepted on input for every key type); a variant is
 * {"type": SIGNATURE, "data": VALUE}, and on input a plain value whose type
 * can be inferred (docs/json.md) is accepted too; an fd is a number (an fd of
 * this process) or, on input, a string naming a file to open read-only.
 *
 * Struct field names: wherever these functions take a signature, the
 * members of its structs may be named by writing <NAME> (an identifier, at
 * most 255 bytes) before each member's type: "a(<id>i<label>s<score>d)".
 * A struct names all of its members or none, no name twice.  A named struct
 * is a JSON object {"id": 1, "label": "x", "score": 2.5} on output and an
 * object or an array on input; names apply to the types written in the
 * signature, not to values inside variants.
 *
 * Only yajl reads and writes JSON, and only sd-bus writes and reads the wire.
 * libdbidl opens libyajl.so.2 with dlopen() at the first call of any of
 * these functions, so a program that converts no JSON never loads it
 * (docs/runtime.md, "yajl on demand"); if it cannot be opened, or lacks a
 * function, every one of them returns -ENOPKG, and those that take
 * `ret_error` set it to org.freedesktop.DBus.Error.NotSupported with the
 * loader's reason (the file, or the missing symbol).
 * Conversion is linear in the input; JSON nested deeper than
 * DBIDL_JSON_DEPTH_MAX containers is refused, as are D-Bus values nested
 * deeper than that.
 *
 * Threads: these functions share no state; a message belongs to one thread
 * at a time.  Numbers are read and written with '.' whatever the locale.
 */
#define DBIDL_JSON_DEPTH_MAX 64

/* Flags of the read functions. */
enum {
        DBIDL_JSON_PRETTY = 1 << 0,     /* indented, one member per line; default: one line */
};

/*
 * Append the JSON document `json` (`len` bytes, need not be NUL-terminated)
 * to the message `m` being built, as the arguments of `signature` (zero or
 * more complete types).  The document is either an array with one element
 * per complete type, by position, or an object with one member per
 * argument, by name: `names` then gives the names of the complete types in
 * order (exactly as many as there are; NULL if the arguments have none, and
 * then only an array is accepted).  Missing, unknown and repeated names are
 * errors.
 *
 * On failure `m` holds an unspecified part of the arguments: unref it, never
 * send it (build into a fresh message for each attempt).  `ret_error` (may be
 * NULL) is then set to org.freedesktop.DBus.Error.InvalidArgs with a message
 * that starts with the location of the offending value, e.g.
 * "$.options.timeout: expected uint32, got string \"5\"" ("$" is the whole
 * document, ".name" an object member, "[3]" an array element).
 *
 * `signature` may name struct fields (above).
 *
 * Returns 0, or:
 *   -EINVAL   m, signature or json is NULL, signature is not a valid D-Bus
 *             signature (with field names: one put anywhere but before a
 *             struct member, a struct with some members named and not
 *             others, a name twice in a struct, a malformed name), or names
 *             holds the wrong number of names
 *   -EBADMSG  the text is not one well-formed JSON value (yajl's message,
 *             with its byte offset), or it nests deeper than
 *             DBIDL_JSON_DEPTH_MAX
 *   -ENXIO    a JSON value does not fit its D-Bus type: another kind of
 *             value, an integer out of range, a fraction for an integer, a
 *             string with a NUL, an invalid object path or signature, bad
 *             base64, a variant whose type cannot be inferred, a missing,
 *             unknown or repeated argument or struct field, a wrong number
 *             of elements
 *   -ELOOP    the D-Bus value would nest deeper than DBIDL_JSON_DEPTH_MAX
 *   -EBADF    an fd number that is not open in this process
 *   -ENOPKG   libyajl.so.2 cannot be loaded (above)
 *   -ENOMEM
 *   -errno    of open() for an fd given as a path (-ENOENT, -EACCES, …)
 *   or what sd-bus returns from appending.
 */
int dbidl_json_append(sd_bus_message *m, const char *signature, const char *const *names, const char *json,
                      size_t len, sd_bus_error *ret_error);

/*
 * Append one JSON value `json` as one value of the single complete type
 * `type` (e.g. "a{sv}") to `m`.  Errors as dbidl_json_append(); the location
 * of the value itself is "$".
 */
int dbidl_json_append_value(sd_bus_message *m, const char *type, const char *json, size_t len,
                            sd_bus_error *ret_error);

/*
 * The signature the JSON array `json` (`len` bytes) of arguments gets from
 * the rules that infer a variant's type (docs/json.md, "Variants"): one
 * complete type per element, so [1, "x", {"a": true}] is "isa{sv}" and []
 * is "".  *ret is a new NUL-terminated string the caller frees.
 *
 * Returns 0, or -EINVAL (ret NULL, json NULL with len > 0), -EBADMSG (not
 * JSON, or nested deeper than DBIDL_JSON_DEPTH_MAX), -ENXIO (not an array,
 * an element whose type cannot be inferred (null), or more than a signature
 * holds; `ret_error` (may be NULL) then says where, as dbidl_json_append()),
 * -ENOPKG (libyajl.so.2 cannot be loaded, above), -ENOMEM.
 */
int dbidl_json_infer_signature(const char *json, size_t len, char **ret, sd_bus_error *ret_error);

/*
 * Render the arguments of `m` from its read position to the end of the
 * message (rewind it first with sd_bus_message_rewind(m, true) to get all of
 * them) as a JSON document: an array by position if `names` is NULL, else an
 * object whose members are named by the NULL-terminated vector `names` in
 * order (an argument past the last name is named "argN", N counting from 0).
 * `flags` is 0 or DBIDL_JSON_PRETTY.  *ret is a new NUL-terminated string
 * the caller frees.  `m` is left at an unspecified position.
 *
 * Returns 0, or -EINVAL (m or ret NULL, unknown flags), -ENOPKG (libyajl.so.2
 * cannot be loaded, above), -ENOMEM, -ELOOP for
 * a value nested deeper than DBIDL_JSON_DEPTH_MAX, or what sd-bus returns
 * from reading (-EBADMSG for a malformed message).
 */
int dbidl_json_read(sd_bus_message *m, const char *const *names, unsigned flags, char **ret);

/*
 * Render the next complete value of `m` (of any type) as one JSON value.
 * -ENXIO at the end of the message or container; otherwise as
 * dbidl_json_read().
 */
int dbidl_json_read_value(sd_bus_message *m, unsigned flags, char **ret);

/*
 * As dbidl_json_read(), for all the arguments of `m` (it is rewound first),
 * typed by `signature`, which names struct fields (above): a named struct is
 * rendered as an object.  `signature` without its field names must be m's
 * signature.
 *
 * Returns 0, or -EINVAL (m, signature or ret NULL, unknown flags, a
 * signature that is not valid as dbidl_json_append() says), -ENXIO (m's
 * arguments are not of that signature: render them with dbidl_json_read()),
 * or as dbidl_json_read().
 */
int dbidl_json_read_typed(sd_bus_message *m, const char *signature, const char *const *names, unsigned flags,
                          char **ret);

/*
 * As dbidl_json_read_value(), for the next value of `m`, of the single
 * complete type `type`, which may name struct fields.  -ENXIO if the next
 * value is not of that type (or there is none); -EINVAL as
 * dbidl_json_read_typed(); otherwise as dbidl_json_read_value().
 */
int dbidl_json_read_value_typed(sd_bus_message *m, const char *type, unsigned flags, char **ret);

#ifdef __cplusplus
}
#endif

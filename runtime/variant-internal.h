/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/variant-internal.h — what variant.c shares with dict.c: validators and a growable text buffer */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <dbidl/variant.h>

#include "runtime/util.h"

/*
 * None of these names starts with dbidl_, so the version script keeps them
 * out of the library's exports.
 */

DEFINE_TRIVIAL_CLEANUP_FUNC(dbidl_variant *, dbidl_variant_unref)

/* D-Bus limits (specification, "Valid Signatures" and "Message Format"). */
#define SIGNATURE_MAX 255
#define NESTING_MAX 32         /* arrays, and structs/dict entries, each */
#define VARIANT_DEPTH_MAX 64   /* containers in one value tree; deeper reads fail with -EBADMSG */

/* True if `s` is valid UTF-8 without overlong forms, surrogates or code points past U+10FFFF. */
bool utf8_is_valid(const char *s);

/*
 * True if `s` is exactly one single complete type, at most SIGNATURE_MAX
 * long; a top-level dict entry "{kv}" is accepted only if allow_dict_entry.
 */
bool signature_is_single(const char *s, bool allow_dict_entry);

/* True if `s` is a valid signature: zero or more complete types, at most SIGNATURE_MAX long. */
bool signature_is_valid(const char *s);

/*
 * A growable NUL-terminated text buffer.  An allocation failure is
 * remembered and later appends do nothing; strbuf_steal() then reports it.
 */
typedef struct strbuf {
        char *buf;
        size_t len;
        size_t alloc;
        int error;
} strbuf;

void strbuf_append(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_printf(strbuf *sb, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Hand the text to *ret (0), or free it and return the remembered -ENOMEM. */
int strbuf_steal(strbuf *sb, char **ret);
void strbuf_done(strbuf *sb);

/* Append `v` as GVariant text; `annotate` as in g_variant_print_string(). */
void variant_print(strbuf *sb, const dbidl_variant *v, bool annotate);

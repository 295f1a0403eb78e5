/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/strbuf.h — the back ends' growable string, and the printf they write it with */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct printer;

/*
 * A growable string: what the back ends write generated text into, the
 * printer's lines (printer.h) and the parameter lists and other text built
 * before it is emitted.  It is not a FILE: stdio's vfprintf() and its
 * per-call locking cost a third of a small file's generation (the start-up
 * target of docs/benchmarks.md), and the back ends need five conversions.
 *
 * sb_printf() knows %s, %c, %d, %zu, %.*s and %%, no flags and no widths
 * (the format attribute still checks the arguments' types).  Another
 * conversion is a bug of the caller: it stops the text there and marks the
 * string failed (assert() in debug builds).
 *
 * `data` holds `len` bytes (NULL before the first write), with room for a
 * NUL that sb_take() adds.  Out of memory, the string stays as it was and
 * `failed` is set; later writes are dropped.  `e` is the printer of the run
 * for writers that need its context (the types registry), or NULL.
 */
typedef struct strbuf {
        struct printer *e;
        char *data;
        size_t len, cap;
        bool failed;
} strbuf;

void sb_put(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/*
 * The text as a malloc'd string, caller frees ("" when nothing was
 * written), leaving `b` empty; NULL when the string failed (its memory is
 * freed).
 */
char *sb_take(strbuf *b);
/* sb_printf() into a new malloc'd string: the back ends' asprintf().  NULL on ENOMEM. */
char *sb_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/strbuf.c — the back ends' growable string, and the printf they write it with */

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/strbuf.h"

/* Room for `n` more bytes and the NUL, grown: false (and `failed`) when there is none. */
static bool grow(strbuf *b, size_t n) {
        if (b->failed)
                return false;
        if (n > SIZE_MAX / 2 - b->len) {
                b->failed = true;
                return false;
        }
        size_t cap = b->cap ? b->cap : 128;
        while (cap - b->len <= n)
                cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
                b->failed = true;
                return false;
        }
        b->data = d;
        b->cap = cap;
        return true;
}

/* Room for `n` more bytes and the NUL; false once the string failed. */
static inline bool reserve(strbuf *b, size_t n) {
        return (n < b->cap - b->len && !b->failed) || grow(b, n);
}

void sb_put(strbuf *b, const char *s, size_t n) {
        if (!reserve(b, n))
                return;
        memcpy(b->data + b->len, s, n);
        b->len += n;
}

void sb_puts(strbuf *b, const char *s) {
        sb_put(b, s, strlen(s));
}

void sb_putc(strbuf *b, char c) {
        if (!reserve(b, 1))
                return;
        b->data[b->len++] = c;
}

/* The decimal digits of `v`, with a '-' when `negative`. */
static void put_decimal(strbuf *b, bool negative, uintmax_t v) {
        char digits[24];
        size_t i = sizeof digits;
        do
                digits[--i] = (char) ('0' + v % 10);
        while ((v /= 10) != 0);
        if (negative)
                digits[--i] = '-';
        sb_put(b, digits + i, sizeof digits - i);
}

void sb_vprintf(strbuf *b, const char *fmt, va_list ap) {
        const char *p = fmt;
        for (;;) {
                const char *pct = strchr(p, '%');
                if (!pct) {
                        sb_puts(b, p);
                        return;
                }
                sb_put(b, p, (size_t) (pct - p));
                p = pct + 1;
                if (p[0] == 's') {
                        const char *s = va_arg(ap, const char *);
                        sb_puts(b, s ? s : "(null)");
                        p += 1;
                } else if (p[0] == 'c') {
                        sb_putc(b, (char) va_arg(ap, int));
                        p += 1;
                } else if (p[0] == 'd') {
                        int v = va_arg(ap, int);
                        put_decimal(b, v < 0, v < 0 ? -(uintmax_t) v : (uintmax_t) v);
                        p += 1;
                } else if (p[0] == 'z' && p[1] == 'u') {
                        put_decimal(b, false, va_arg(ap, size_t));
                        p += 2;
                } else if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
                        int n = va_arg(ap, int);
                        const char *s = va_arg(ap, const char *);
                        /* a negative precision is taken as none, as printf() does */
                        if (n < 0)
                                sb_puts(b, s);
                        else
                                sb_put(b, s, strnlen(s, (size_t) n));
                        p += 3;
                } else if (p[0] == '%') {
                        sb_putc(b, '%');
                        p += 1;
                } else {
                        assert(!"sb_vprintf: a conversion it does not know");
                        b->failed = true;
                        return;
                }
        }
}

void sb_printf(strbuf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        sb_vprintf(b, fmt, ap);
        va_end(ap);
}

char *sb_take(strbuf *b) {
        char *s = NULL;
        if (!b->failed && reserve(b, 0)) {
                s = b->data;
                s[b->len] = '\0';
        } else
                free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
        b->failed = false;
        return s;
}

char *sb_format(const char *fmt, ...) {
        strbuf b = { 0 };
        va_list ap;
        va_start(ap, fmt);
        sb_vprintf(&b, fmt, ap);
        va_end(ap);
        return sb_take(&b);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/printer.c — the back ends' context: indented lines, kept strings, strbufs with a context */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/printer.h"

void printer_init(printer *e, strbuf *out) {
        *e = (printer) { .out = out };
}

void printer_fail(printer *e, int error) {
        if (e->error == 0)
                e->error = error;
}

const char *printer_keep(printer *e, char *s) {
        if (s && e->n_kept == e->cap_kept) {
                size_t cap = e->cap_kept ? 2 * e->cap_kept : 64;
                char **k = realloc(e->kept, cap * sizeof(char *));
                if (!k) {
                        free(s);
                        s = NULL;
                } else {
                        e->kept = k;
                        e->cap_kept = cap;
                }
        }
        if (!s) {
                printer_fail(e, -ENOMEM);
                return "";
        }
        e->kept[e->n_kept++] = s;
        return s;
}

static void put_indent(printer *e) {
        static const char spaces[] = "                                                                ";
        for (unsigned n = 8 * e->level; n > 0;) {
                unsigned k = n < sizeof spaces - 1 ? n : (unsigned) sizeof spaces - 1;
                sb_put(e->out, spaces, k);
                n -= k;
        }
}

static void vemit(printer *e, bool line, const char *fmt, va_list ap) {
        if (line)
                put_indent(e);
        sb_vprintf(e->out, fmt, ap);
        if (line)
                sb_putc(e->out, '\n');
}

void emit(printer *e, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vemit(e, true, fmt, ap);
        va_end(ap);
}

void emit_raw(printer *e, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vemit(e, false, fmt, ap);
        va_end(ap);
}

void emit_blank(printer *e) {
        sb_putc(e->out, '\n');
}

void indent(printer *e) {
        e->level++;
}

void dedent(printer *e) {
        assert(e->level > 0);
        e->level--;
}

void emit_doc(printer *e, const char *doc) {
        if (!doc || !*doc)
                return;
        emit(e, "/**");
        const char *p = doc;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                if (n == 0)
                        emit(e, " *");
                else {
                        /* write the line, defusing any comment terminator in it */
                        put_indent(e);
                        sb_puts(e->out, " * ");
                        for (size_t i = 0; i < n; i++) {
                                sb_putc(e->out, p[i]);
                                /* "*" "/" would end the comment, "/" "*" draws -Wcomment, "??" "/" is a trigraph
                                 * (-Wtrigraphs): a space between the two */
                                if (i + 1 < n && ((p[i] == '*' && p[i + 1] == '/') || (p[i] == '/' && p[i + 1] == '*') ||
                                                  (p[i] == '?' && p[i + 1] == '?')))
                                        sb_putc(e->out, ' ');
                        }
                        sb_putc(e->out, '\n');
                }
                p += n;
                if (*p == '\n')
                        p++;
        }
        emit(e, " */");
}

int printer_finish(printer *e) {
        if (e->out->failed)
                printer_fail(e, -ENOMEM);
        for (size_t i = 0; i < e->n_kept; i++)
                free(e->kept[i]);
        free(e->kept);
        e->kept = NULL;
        e->n_kept = e->cap_kept = 0;
        return e->error;
}

strbuf *strbuf_open(strbuf *b, printer *e) {
        *b = (strbuf) { .e = e };
        return b;
}

char *strbuf_close(strbuf *b) {
        char *text = sb_take(b);
        if (!text)
                printer_fail(b->e, -ENOMEM);
        return text;
}

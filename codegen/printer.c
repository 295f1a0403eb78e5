/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/printer.c — the back ends' context: indentation-aware line output, kept strings, strbufs */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/printer.h"

void printer_init(printer *e, FILE *out) {
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

static void check(printer *e, int r) {
        if (r < 0)
                printer_fail(e, errno > 0 ? -errno : -EIO);
}

static void vemit(printer *e, bool line, const char *fmt, va_list ap) {
        if (line)
                for (unsigned i = 0; i < e->level; i++)
                        check(e, fputs("        ", e->out));
        check(e, vfprintf(e->out, fmt, ap));
        if (line)
                check(e, fputc('\n', e->out) == EOF ? -1 : 0);
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
        check(e, fputc('\n', e->out) == EOF ? -1 : 0);
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
                        for (unsigned i = 0; i < e->level; i++)
                                check(e, fputs("        ", e->out));
                        check(e, fputs(" * ", e->out));
                        for (size_t i = 0; i < n; i++) {
                                check(e, fputc(p[i], e->out) == EOF ? -1 : 0);
                                /* "*" "/" would end the comment, "/" "*" draws -Wcomment, "??" "/" is a trigraph
                                 * (-Wtrigraphs): a space between the two */
                                if (i + 1 < n && ((p[i] == '*' && p[i + 1] == '/') || (p[i] == '/' && p[i + 1] == '*') ||
                                                  (p[i] == '?' && p[i + 1] == '?')))
                                        check(e, fputc(' ', e->out) == EOF ? -1 : 0);
                        }
                        check(e, fputc('\n', e->out) == EOF ? -1 : 0);
                }
                p += n;
                if (*p == '\n')
                        p++;
        }
        emit(e, " */");
}

int printer_finish(printer *e) {
        if (fflush(e->out) == EOF)
                check(e, -1);
        for (size_t i = 0; i < e->n_kept; i++)
                free(e->kept[i]);
        free(e->kept);
        e->kept = NULL;
        e->n_kept = e->cap_kept = 0;
        if (e->scratch.f)
                fclose(e->scratch.f);
        free(e->scratch.data);
        e->scratch.f = NULL;
        e->scratch.data = NULL;
        return e->error;
}

FILE *strbuf_open(strbuf *b, printer *e) {
        *b = (strbuf) { .e = e };
        if (!e->scratch.busy) {
                if (!e->scratch.f)
                        e->scratch.f = open_memstream(&e->scratch.data, &e->scratch.size);
                if (e->scratch.f && fseek(e->scratch.f, 0, SEEK_SET) == 0) {
                        e->scratch.busy = true;
                        b->f = e->scratch.f;
                        return b->f;
                }
        }
        b->f = open_memstream(&b->data, &b->size);
        return b->f;
}

char *strbuf_close(strbuf *b) {
        if (b->f && b->f == b->e->scratch.f) {
                /* the text written since strbuf_open(): from the start to the current position */
                char *text = NULL;
                if (fflush(b->f) == 0)
                        text = strndup(b->e->scratch.data ? b->e->scratch.data : "", b->e->scratch.size);
                b->e->scratch.busy = false;
                b->f = NULL;
                return text ? text : strdup("");
        }
        if (b->f)
                fclose(b->f);
        b->f = NULL;
        if (!b->data)
                return strdup("");
        return b->data;
}

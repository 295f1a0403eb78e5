/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/printer.h — the back ends' context: indented output, what a run keeps, text built before it is emitted */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "codegen/strbuf.h"

struct types;

/*
 * The context of one back-end run, passed to every function that writes
 * (as flatcc passes its fb_output_t): it appends lines with the current
 * indentation (8 spaces a level, the project's style) to the strbuf `out`
 * (the back end's caller owns it), keeps the strings built while writing,
 * and holds the registry of the file's generated C types (types.h).  The
 * back ends keep no other state, so any number of runs may go on in one
 * process.  emit() writes one line; a format that ends in '\n' is not
 * expected (the newline is added); its conversions are sb_printf()'s
 * (strbuf.h).  Errors are remembered and returned by printer_finish().
 */
typedef struct printer {
        strbuf *out;
        unsigned level;
        int error;              /* first -errno seen, or 0 */
        char **kept;            /* strings kept until printer_finish() (printer_keep) */
        size_t n_kept, cap_kept;
        struct types *types;    /* the C back ends: the registry of the file being written (the entry point that
                                   built it frees it); else NULL */
} printer;

void printer_init(printer *e, strbuf *out);
void emit(printer *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like emit() but without the newline and without indentation: continue the current line. */
void emit_raw(printer *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An empty line. */
void emit_blank(printer *e);
void indent(printer *e);
void dedent(printer *e);
/* Write a C comment block (doc text may span lines; "*" "/", "/" "*" and "??" inside are defused). */
void emit_doc(printer *e, const char *doc);
/*
 * Keep the malloc'd string `s` until printer_finish() and return it: for
 * names built while writing ("" and -ENOMEM remembered when `s` is NULL).
 */
const char *printer_keep(printer *e, char *s);
/* Remember `error` (a negative errno) as the run's failure, unless one was remembered already. */
void printer_fail(printer *e, int error);
/*
 * 0, or the first -errno the run failed with (-ENOMEM when `out` could
 * not grow).  Frees what printer_keep() kept (not the types registry).
 */
int printer_finish(printer *e);

/*
 * A strbuf (strbuf.h) for a parameter list or other text built before it is
 * emitted, with the printer as its context: strbuf_open() returns `b`,
 * strbuf_close() the malloc'd text, caller frees, or NULL (ENOMEM,
 * remembered by the printer).
 */
strbuf *strbuf_open(strbuf *b, printer *e);
char *strbuf_close(strbuf *b);

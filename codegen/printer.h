/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/printer.h — the one printer every back end writes through: lines, indentation, printf formats */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * An emitter writes lines to a FILE with the current indentation (8 spaces a
 * level, the project's style).  emit() writes one line; a format that ends
 * in '\n' is not expected (the newline is added).   I/O errors are remembered and
 * returned by printer_finish().
 */
typedef struct printer {
        FILE *out;
        unsigned level;
        int error;              /* first -errno seen, or 0 */
        char **kept;            /* strings kept until printer_finish() (printer_keep) */
        size_t n_kept, cap_kept;
} printer;

void printer_init(printer *e, FILE *out);
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
/* 0, or the first -errno an output call failed with.  Frees what printer_keep() kept. */
int printer_finish(printer *e);

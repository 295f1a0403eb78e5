/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/printer.h — the back ends' context: the output with its indentation, what a run keeps, and scratch text */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct types;

/*
 * The context of one back-end run, passed to every function that writes
 * (as flatcc passes its fb_output_t): it writes lines to a FILE with the
 * current indentation (8 spaces a level, the project's style), keeps the
 * strings built while writing, owns the scratch stream strbufs reuse, and
 * holds the registry of the file's generated C types (types.h).  The back
 * ends keep no other state, so any number of runs may go on in one process.
 * emit() writes one line; a format that ends in '\n' is not expected (the
 * newline is added).  I/O errors are remembered and returned by
 * printer_finish().
 */
typedef struct printer {
        FILE *out;
        unsigned level;
        int error;              /* first -errno seen, or 0 */
        char **kept;            /* strings kept until printer_finish() (printer_keep) */
        size_t n_kept, cap_kept;
        struct types *types;    /* the C back ends: the registry of the file being written (the entry point that
                                   built it frees it); else NULL */
        struct {
                FILE *f;
                char *data;
                size_t size;
                bool busy;
        } scratch;              /* the memory stream strbufs reuse (strbuf_open) */
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
/* Remember `error` (a negative errno) as the run's failure, unless one was remembered already. */
void printer_fail(printer *e, int error);
/*
 * 0, or the first -errno an output call failed with.  Frees what
 * printer_keep() kept and the scratch stream (not the types registry).
 */
int printer_finish(printer *e);

/*
 * A growable string written through a FILE, for parameter lists and other
 * text built before it is emitted.  strbuf_open() returns the FILE to write
 * to (NULL on ENOMEM): the printer's scratch stream when it is free (opening
 * a memory stream costs a zeroed 8 KiB buffer, and a large interface asks
 * for tens of thousands), else a stream of its own.  `b->e` is the printer,
 * for writers that need its context (the types registry).
 */
typedef struct strbuf {
        printer *e;
        char *data;
        size_t size;
        FILE *f;
} strbuf;
FILE *strbuf_open(strbuf *b, printer *e);
char *strbuf_close(strbuf *b);  /* returns the malloc'd text ("" on error), caller frees */

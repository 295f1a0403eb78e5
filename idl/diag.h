/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/diag.h — the diagnostics sink: where mistakes in the user's IDL are reported */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

/*
 * The compiler's second error channel (the first is -errno for resource and
 * I/O failures).  Passes report into a sink and keep going; the caller asks
 * the sink how many errors it saw.
 *
 * A diagnostic is rendered as
 *
 *     file:line:col: error: message
 *         source line
 *         ^~~~
 *     file:line:col: note: related message
 *
 * Notes attach to the error or warning reported just before them.
 */
typedef enum idl_severity {
        IDL_SEVERITY_ERROR,
        IDL_SEVERITY_WARNING,
        IDL_SEVERITY_NOTE,
} idl_severity;

typedef struct idl_diagnostic {
        idl_severity severity;
        idl_loc loc;            /* loc.file may be NULL for diagnostics without a place */
        const char *message;
} idl_diagnostic;

typedef struct idl_diag_sink idl_diag_sink;

/*
 * Create a sink that renders every diagnostic to `out` (stderr for the
 * compiler, a memory stream in tests).  Returns 0, or -ENOMEM.
 */
int idl_diag_sink_new(FILE *out, idl_diag_sink **ret);
/* Free the sink (not `out`).  Accepts NULL; returns NULL. */
idl_diag_sink *idl_diag_sink_free(idl_diag_sink *s);

/*
 * Register the text of a source file so that diagnostics in it can show the
 * line and a caret.  The sink does not copy: `text` must outlive the sink or
 * be unregistered by freeing the sink first.  Registering the same path
 * again replaces the text.
 */
int idl_diag_add_source(idl_diag_sink *s, const char *path, const char *text, size_t len);

/* Report a diagnostic.  `fmt` is printf-style. */
void idl_diag(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void idl_diagv(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));

#define idl_error_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_ERROR, (loc), __VA_ARGS__)
#define idl_warning_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_WARNING, (loc), __VA_ARGS__)
#define idl_note_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_NOTE, (loc), __VA_ARGS__)

/* How many errors (not warnings, not notes) were reported so far. */
unsigned idl_diag_error_count(const idl_diag_sink *s);
unsigned idl_diag_warning_count(const idl_diag_sink *s);

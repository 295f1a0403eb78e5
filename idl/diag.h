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
 * Notes attach to the error or warning reported just before them: a note
 * after a diagnostic that was not shown (a disabled warning, or anything
 * after the error limit) is not shown either.
 *
 * Source order.  The passes report as they go (the parser, then the checks,
 * file by file), but the sink shows diagnostics the way a C compiler does:
 * within a file by line and column, the files in the order they were first
 * reported (so an imported file's own diagnostics stay together), each note
 * right after its error or warning.  To do that the sink buffers: a
 * diagnostic is rendered (excerpt and all) when it is reported, so the
 * source text need not outlive the report, but written only by
 * idl_diag_flush(), which sorts what was buffered, or by
 * idl_diag_sink_free(), which flushes first.  The counts
 * (idl_diag_error_count(), idl_diag_stopped()) are always up to date; only
 * the output waits.  Whoever writes anything else to the same stream flushes
 * the sink first (dbidlc does before each message of its own and at exit).
 *
 * The first diagnostic of a file that was imported (idl_diag_set_import) is
 * preceded by where it was imported from, as gcc does for included files:
 *
 *     In file imported from b.idl:2,
 *                      from main.idl:1:
 *     c.idl:3:9: error: …
 *
 * A long source line is shown as a window of about 100 columns around the
 * caret, with "..." where it was cut.
 *
 * Warnings have names (idl_warning); each can be enabled or disabled, and
 * all of them, or single ones, can be turned into errors ("-Werror",
 * "-Werror=NAME").  A shown warning ends with its name: "warning: message
 * [-Wmember-name-style]", or as an error "error: message
 * [-Werror=member-name-style]".
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

/* The named warnings.  docs/idl.md lists them with what they catch. */
typedef enum idl_warning {
        IDL_W_MEMBER_NAME_STYLE,        /* a method, signal or property name that is not UpperCamelCase (default on) */
        IDL_W_DEPRECATED,               /* a use of a @deprecated type or error outside deprecated code (default on) */
        IDL_W_EMPTY_FILE,               /* a file without declarations (default on) */
        IDL_W_UNUSED_IMPORT,            /* an import none of whose types is used (default off; -Wall) */
        IDL_W_PROPERTY_NAME,            /* a property @dbus_name sd-bus cannot serve ("disable-printing") (default on) */
        IDL_W_COUNT,
} idl_warning;

/* The warnings that are on unless disabled: a bit (1u << w) per warning. */
#define IDL_WARNINGS_DEFAULT \
        ((1u << IDL_W_MEMBER_NAME_STYLE) | (1u << IDL_W_DEPRECATED) | (1u << IDL_W_EMPTY_FILE) | \
         (1u << IDL_W_PROPERTY_NAME))
#define IDL_WARNINGS_ALL ((1u << IDL_W_COUNT) - 1)

/* The name of a warning without "-W" ("member-name-style"), or NULL. */
const char *idl_warning_name(idl_warning w);
/* The warning called `name` (without "-W"), or -1. */
int idl_warning_from_name(const char *name);

/* When diagnostics are coloured. */
typedef enum idl_color {
        IDL_COLOR_AUTO,         /* when the output is a terminal and NO_COLOR is unset or empty */
        IDL_COLOR_ALWAYS,       /* an explicit request; a non-empty NO_COLOR still wins */
        IDL_COLOR_NEVER,
} idl_color;

/* "auto", "always", "never" (also "yes"/"force"/"tty"/"if-tty"/"no"/"none") into *ret.  Returns 0 or -EINVAL. */
int idl_color_from_string(const char *s, idl_color *ret);

/*
 * Create a sink that renders every diagnostic to `out` (stderr for the
 * compiler, a memory stream in tests).  Returns 0, or -ENOMEM.
 */
int idl_diag_sink_new(FILE *out, idl_diag_sink **ret);
/* Flush (idl_diag_flush), then free the sink (not `out`).  Accepts NULL; returns NULL. */
idl_diag_sink *idl_diag_sink_free(idl_diag_sink *s);

/*
 * Write the diagnostics buffered since the last flush to `out`, in source
 * order (see above), and fflush(out).  The error limit applies here, to the
 * sorted order: once `max_errors` errors were written in all, the next one
 * becomes the "too many errors" line and nothing more is ever written.
 * Diagnostics reported after a flush are sorted among themselves only.
 * Accepts NULL.
 */
void idl_diag_flush(idl_diag_sink *s);

/*
 * Configure a sink (defaults: no colour, no error limit, IDL_WARNINGS_DEFAULT,
 * warnings stay warnings).  `max_errors` 0 means no limit: once more than
 * `max_errors` errors were reported, idl_diag_stopped() turns true (the
 * passes then stop early); the flush shows the first `max_errors` of them in
 * source order, then "dbidlc: fatal: too many errors emitted, stopping now
 * [--max-errors=N]" instead of the next, and nothing more.  `warnings` is a
 * mask of (1u << idl_warning) bits; idl_diag_set_warnings() makes all of
 * them errors or none, idl_diag_set_warning_errors() those in the mask
 * `errors` (-Werror=NAME).  For IDL_COLOR_AUTO the decision is made here,
 * from the sink's FILE and the environment.
 */
void idl_diag_set_color(idl_diag_sink *s, idl_color mode);
void idl_diag_set_max_errors(idl_diag_sink *s, unsigned max_errors);
void idl_diag_set_warnings(idl_diag_sink *s, unsigned warnings, bool warnings_as_errors);
void idl_diag_set_warning_errors(idl_diag_sink *s, unsigned errors);
/* Whether the sink colours its output. */
bool idl_diag_color(const idl_diag_sink *s);
/* Whether warning `w` is shown. */
bool idl_diag_warning_enabled(const idl_diag_sink *s, idl_warning w);
/* true once the error limit was hit: nothing more will be shown. */
bool idl_diag_stopped(const idl_diag_sink *s);

/*
 * Register the text of a source file so that diagnostics in it can show the
 * line and a caret.  The sink does not copy: `text` must stay valid while
 * diagnostics in it are reported (they are rendered at once, though written
 * at the next flush), or until the sink is freed.  Registering the same path
 * again replaces the text.
 */
int idl_diag_add_source(idl_diag_sink *s, const char *path, const char *text, size_t len);

/*
 * Say that the file `path` was imported by the import declaration at `at`
 * (at.file, at.line: the importing file and the line of its import).  Its
 * first diagnostic after another file's is then preceded by "In file
 * imported from at.file:at.line:", with a further "from" line for each file
 * that imported that one in turn.  The first call for a path counts (a file
 * is loaded once).  The sink copies the names.  Returns 0, -EINVAL or
 * -ENOMEM.
 */
int idl_diag_set_import(idl_diag_sink *s, const char *path, idl_loc at);

/*
 * Where a generated source came from (dbidlc FILE.xml: the .idl imported
 * from FILE.xml).  From byte `offset` of the generated text on, up to the
 * next mark, the text came from the element at `line`:`col` of the origin.
 */
typedef struct idl_origin_mark {
        size_t offset;
        unsigned line;
        unsigned col;
} idl_origin_mark;

/*
 * Show the diagnostics located in the registered source `path` at places of
 * the text it was generated from, `origin` (named `path` too): each names
 * the line and column in `origin`, shows that line, and underlines the
 * diagnostic's token (a name, a type) where the element of its mark writes
 * it as an attribute value, else the element's opening tag.  A diagnostic
 * before the first mark names the file only.  `marks` are sorted by offset.
 * The sink copies `origin` and `marks`; registering `path`'s text again
 * (idl_diag_add_source) keeps them.  Returns 0, -EINVAL or -ENOMEM.
 */
int idl_diag_set_origin(idl_diag_sink *s, const char *path, const char *origin, size_t origin_len,
                        const idl_origin_mark *marks, size_t n_marks);

/* Report a diagnostic.  `fmt` is printf-style. */
void idl_diag(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void idl_diagv(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));

/*
 * Report the named warning `w` (dropped when it is disabled; an error under
 * -Werror).  The message gets the " [-Wname]" suffix.
 */
void idl_warn(idl_diag_sink *s, idl_warning w, idl_loc loc, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

#define idl_error_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_ERROR, (loc), __VA_ARGS__)
#define idl_warning_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_WARNING, (loc), __VA_ARGS__)
#define idl_note_at(s, loc, ...) idl_diag((s), IDL_SEVERITY_NOTE, (loc), __VA_ARGS__)

/*
 * The candidate nearest to `name` within an edit distance of 2 (and less
 * than the length of `name`), or NULL: for "did you mean …?".  (Also
 * declared in lexer.h, for the passes.)
 */
const char *idl_suggest(const char *name, const char *const *candidates, size_t n);

/* How many errors (not warnings, not notes) were reported so far (also those not shown after the limit, and
 * those not yet flushed). */
unsigned idl_diag_error_count(const idl_diag_sink *s);
unsigned idl_diag_warning_count(const idl_diag_sink *s);

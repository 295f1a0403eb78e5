/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/idl.h — the front end's entry points: load, parse, check and format .idl files */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"

/* The largest .idl file the front end reads: bigger input is an error, not an allocation. */
#define IDL_MAX_FILE_SIZE (10u * 1024u * 1024u)
/* Imports may nest this deep (a imports b imports c …). */
#define IDL_MAX_IMPORT_DEPTH 64
/* The default error limit of dbidlc and of idl_options_init(). */
#define IDL_DEFAULT_MAX_ERRORS 20

/* How to load a file: where imports are searched, and how diagnostics are shown. */
typedef struct idl_options {
        const char *const *include_dirs;        /* -I: searched, in order, after the importing file's directory */
        size_t n_include_dirs;
        unsigned max_errors;                    /* stop after this many errors; 0: no limit */
        unsigned warnings;                      /* enabled warnings: (1u << idl_warning) bits */
        unsigned warnings_given;                /* the warnings a -W option named (-Wall, -Wno-all: every one) */
        bool warnings_as_errors;                /* -Werror */
        unsigned warning_errors;                /* -Werror=NAME sets a bit, -Wno-error=NAME clears it: for the */
        unsigned warning_errors_given;          /* warnings such an option named, whatever -Werror says */
        idl_color color;                        /* --color */
} idl_options;

/* The defaults of dbidlc: no include directories, IDL_DEFAULT_MAX_ERRORS, IDL_WARNINGS_DEFAULT, colour auto. */
void idl_options_init(idl_options *o);

/*
 * Apply one -W option, given without the "-W": "error", "no-error", "all",
 * "no-all" (every warning off), "NAME", "no-NAME", "error=NAME" (that
 * warning on, and an error, as gcc's -Werror=NAME) or "no-error=NAME" (that
 * warning not an error even with -Werror; whether it is on is left alone).
 * Returns 0, or -EINVAL for a name that is not a warning (nothing is changed
 * then).
 */
int idl_options_parse_warning(idl_options *o, const char *arg);

/* The warnings that are errors under `o`: -Werror's, less -Wno-error=NAME's, plus -Werror=NAME's. */
unsigned idl_options_warning_errors(const idl_options *o);

/* Configure `sink` from the options: colour, error limit, warnings and which of them are errors. */
void idl_options_apply(const idl_options *o, idl_diag_sink *sink);

/*
 * Read a whole file into a malloc'd, NUL-terminated buffer (*ret_text,
 * *ret_len bytes without the NUL).  Stops after IDL_MAX_FILE_SIZE + 1 bytes:
 * idl_parse_string() reports such text as too large.  Returns 0 or -errno
 * (-ENOMEM, or what open/read said, e.g. -ENOENT, -EISDIR).
 */
int idl_read_file(const char *path, char **ret_text, size_t *ret_len);

/*
 * Load the file at `path` with everything it imports: read, parse, resolve
 * every `import "x.idl";` (relative to the importing file's directory, then
 * each include directory in order; absolute paths as they are), load the
 * imported files once each (a file imported twice, or by two files, is one
 * tree), and check every file (idl_check) whose parse was clean.  Applies
 * `o` to `sink` first (idl_options_apply); `o` may be NULL for the defaults.
 *
 * Imports that cannot be found, directories, cycles (with a note for each
 * link), files too large or nested too deeply are diagnostics at the import
 * line.  Each imported file is registered with the sink
 * (idl_diag_set_import), so that its own diagnostics say where it was
 * imported from.
 *
 * On success *ret is the root file; imported files hang from its imports
 * (idl_import.file) and are owned by the root: one idl_file_free() releases
 * all.  Check idl_diag_error_count() for mistakes.  Returns 0, -errno when
 * the root file itself cannot be read (nothing reported), or -ENOMEM.
 */
int idl_load(const char *path, const idl_options *o, idl_diag_sink *sink, idl_file **ret);

/*
 * Print the canonical form of `len` bytes of `text` (the file `path`) to
 * `out`: 8-space indentation, one declaration per line, canonical spacing,
 * annotations on the line of their declaration, blank lines kept (collapsed
 * to one), comments and doc comments kept.  Idempotent, and the result
 * parses to the same declarations.  Input that does not parse is refused:
 * its errors go to `sink` and nothing is written.
 *
 * Returns 0, -EBADMSG (refused; see the sink), -ENOMEM, or -EIO (writing failed).
 */
int idl_format(const char *path, const char *text, size_t len, idl_diag_sink *sink, FILE *out);

/*
 * Parse `len` bytes of `text` as the .idl file `path` (the path is only used
 * in locations and diagnostics; nothing is read from disk).  The text need
 * not be NUL-terminated; it is copied into the tree.
 *
 * Mistakes in the input are reported to `sink`; the parser recovers at ';'
 * and '}' and keeps going, so one run reports as many as it can.  A tree is
 * returned in *ret even when errors were reported (it holds what could be
 * parsed); callers check idl_diag_error_count().
 *
 * Text longer than IDL_MAX_FILE_SIZE is reported ("file is too large") and
 * not parsed.  Returns 0, or -ENOMEM.  The text is also registered with the
 * sink.
 */
int idl_parse_string(const char *path, const char *text, size_t len, idl_diag_sink *sink, idl_file **ret);

/*
 * Read and parse the file at `path` (no imports: see idl_load).  Returns 0, -errno if the file cannot be
 * read (nothing is reported to the sink then), or -ENOMEM.  Input that is
 * not text (a NUL byte) is reported as a diagnostic, not as an errno.
 */
int idl_parse_file(const char *path, idl_diag_sink *sink, idl_file **ret);

/*
 * The semantic pass: resolve names, interpret annotations, compute D-Bus
 * signatures and C names, and check every rule of the language reference
 * (duplicates, dict keys, @noreply with outputs, raises, enum values,
 * recursion, signature limits, C-name collisions, …) and the named
 * warnings.  Names resolve in the file and in the files of its imports that
 * idl_load() loaded (idl_import.file; those must have been checked first);
 * imports without a file are ignored.  Fills the fields marked "sema" in
 * ast.h.  Reports to `sink`; returns 0 (check the sink's error count), or
 * -ENOMEM.
 */
int idl_check(idl_file *f, idl_diag_sink *sink);

/* snake_case of a CamelCase identifier: "GetURLFor2" → "get_url_for2".  Returns a malloc'd string or NULL. */
char *idl_snake_case(const char *name);

/*
 * UpperCamelCase of a name: "get_value" and "getValue" → "GetValue", "x" →
 * "X": underscores go, the letter after one and the first are capitalised.
 * Returns a malloc'd string or NULL.
 */
char *idl_camel_case(const char *name);

/*
 * The default C prefix of an interface without @c_prefix: its whole dotted
 * name, each component in snake_case, joined with '_'
 * ("org.freedesktop.login1.Manager" → "org_freedesktop_login1_manager"), so
 * that no two interfaces of a desktop share one (docs/c-api.md).  Returns a
 * malloc'd string or NULL.
 */
char *idl_default_c_prefix(const char *interface_name);

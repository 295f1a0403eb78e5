/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/idl.h — the front end's entry points: parse a .idl file and check it */
#pragma once

#include "ast.h"
#include "diag.h"

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
 * Returns 0, or -ENOMEM.  The text is also registered with the sink.
 */
int idl_parse_string(const char *path, const char *text, size_t len, idl_diag_sink *sink, idl_file **ret);

/*
 * Read and parse the file at `path`.  Returns 0, -errno if the file cannot be
 * read (nothing is reported to the sink then), or -ENOMEM.  Input that is
 * not text (a NUL byte) is reported as a diagnostic, not as an errno.
 */
int idl_parse_file(const char *path, idl_diag_sink *sink, idl_file **ret);

/*
 * The semantic pass: resolve names, interpret annotations, compute D-Bus
 * signatures and C names, and check every rule of the language reference
 * (duplicates, dict keys, @noreply with outputs, raises, enum values,
 * recursion, signature limits, C-name collisions, …).  Fills the fields
 * marked "sema" in ast.h.  Reports to `sink`; returns 0 (check the sink's
 * error count), or -ENOMEM.
 */
int idl_check(idl_file *f, idl_diag_sink *sink);

/* snake_case of a CamelCase identifier: "GetURLFor2" → "get_url_for2".  Returns a malloc'd string or NULL. */
char *idl_snake_case(const char *name);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/import-cmd.h — dbidlc's importing modes */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "idl/diag.h"

/* Larger XML documents are refused (clean error, no attempt to parse). */
#define IMPORT_MAX_SIZE (16u * 1024 * 1024)

/* "dir/name.SUFFIX" → "name" (malloc'd, NULL on ENOMEM). */
char *import_stem(const char *path, const char *suffix);

/*
 * Import the introspection XML file `path` into .idl text (*ret_text, its
 * length in *ret_len, malloc'd) for the front end to parse.  With
 * `located`, later diagnostics about that text (registered under `path`)
 * point into the XML file (idl_diag_set_origin).  Returns 0 (errors in the
 * document go to the sink), or -errno (reported).
 */
int import_xml_to_text(const char *path, bool located, idl_diag_sink *sink, char **ret_text, size_t *ret_len);

/* dbidlc --import-xml FILE…: each to stdout, or to OUTDIR/STEM.idl.  Returns 0 or the first -errno. */
int import_xml_files(char *const *files, size_t n, const char *outdir, idl_diag_sink *sink);

typedef struct import_bus_options {
        const char *destination;
        const char *path;               /* NULL: "/" */
        const char *address;            /* --address */
        bool system;                    /* --system (default: --session) */
        const char *outdir;             /* NULL: stdout; else OUTDIR/DESTINATION.idl */
        char **argv;                    /* dbidlc's own, for dbidlc-import-bus */
} import_bus_options;

/*
 * dbidlc --import-bus: introspect a live service's tree into one .idl.
 * Returns 0 or -errno.  That is dbidlc-import-bus (built with
 * DBIDLC_IMPORT_BUS, tools/local.mk), the one program of dbidlc's that links
 * libsystemd.  In dbidlc, which does not (so that no other mode pays for it
 * at start-up: docs/benchmarks.md, "Start-up"), this replaces the process
 * with dbidlc-import-bus, given o->argv as it is (getopt_long() may have
 * moved the operands after the options, which means the same): found beside
 * this program first (the build tree, through /proc/self/exe), then in
 * DBIDL_PKGLIBEXECDIR (installed).  It returns only on failure, after
 * saying why: execv()'s -errno (-ENOENT when the helper is missing).
 */
int import_bus_command(const import_bus_options *o, idl_diag_sink *sink);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/codegen.h — the back ends' entry points: each a pure function of a checked AST */
#pragma once

#include <stdio.h>

#include "idl/ast.h"

typedef struct codegen_options {
        const char *stem;               /* output file stem: "calculator" for calculator.idl */
        const char *source_name;        /* the .idl file name for the banner (basename) */
        const char *version;            /* dbidlc's version for the banner */
} codegen_options;

/*
 * Write the header (STEM.h), the client stubs (STEM-client.c) or the server
 * skeletons (STEM-server.c) for the checked file `f` to `out`.  Returns 0,
 * -errno for an output failure, or -EOPNOTSUPP when a type in `f` is one the
 * C back end cannot express yet (a message naming it goes to `err`).
 */
int codegen_header(const idl_file *f, const codegen_options *o, FILE *out, FILE *err);
int codegen_client(const idl_file *f, const codegen_options *o, FILE *out, FILE *err);
int codegen_server(const idl_file *f, const codegen_options *o, FILE *out, FILE *err);

/* Print every interface member with its D-Bus signature (dbidlc --signatures). */
int codegen_signatures(const idl_file *f, FILE *out);

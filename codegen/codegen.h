/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/codegen.h — the back ends' entry points: each a pure function of a checked AST, reporting to a sink */
#pragma once

#include <stdio.h>

#include "codegen/strbuf.h"
#include "idl/ast.h"
#include "idl/diag.h"

typedef struct codegen_options {
        const char *stem;               /* output file stem: "calculator" for calculator.idl */
        const char *header_name;        /* what the .c files #include "…" for the header; NULL: STEM.h */
        const char *source_name;        /* the .idl file name for the banner (basename) */
        const char *version;            /* dbidlc's version for the banner */
        const idl_interface *interface; /* codegen_xml: the interface to write (one file each); others ignore it */
        const char *bus_name;           /* codegen_service: the well-known name to activate */
        const char *exec;               /* codegen_service: the Exec= line */
} codegen_options;

/*
 * Every back end but codegen_signatures() appends the file it generates to
 * the strbuf `out` (codegen/strbuf.h; the caller owns it and frees its
 * data).  After a failure `out` may hold part of the file, or be failed
 * (out of memory: -ENOMEM).
 */

/*
 * The D-Bus activation file (D-Bus specification, "Message Bus Starting
 * Services (Activation)"): "[D-BUS Service]", Name= and Exec= from `o`
 * (`f` is not used and may be NULL).  Returns 0, -EINVAL when the bus name
 * is not a valid well-known name or Exec is empty or has a newline (an
 * error goes to `sink`), or -ENOMEM.
 */
int codegen_service(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);

/*
 * Write the header (STEM.h), the client stubs (STEM-client.c) or the server
 * skeletons (STEM-server.c) for the checked file `f` to `out`.  Returns 0,
 * -errno for an output failure, or -EOPNOTSUPP when a type in `f` is one the
 * C back end cannot express yet (an error at it goes to `sink`).  The
 * three keep their state (the types registry, the names built) in the
 * printer of the call: none keeps any between calls, so any number of files
 * may be generated in one process, in any order and from several threads.
 */
int codegen_header(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);
int codegen_client(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);
int codegen_server(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);

/* Print every interface member with its D-Bus signature to `out` (dbidlc --signatures).  0 or -errno. */
int codegen_signatures(const idl_file *f, FILE *out);

/*
 * The description back ends (dbidlc --emit=xml,json,markdown), each a pure
 * function of the checked file `f`, writing one file to `out`:
 *
 * codegen_xml: the D-Bus introspection XML of the one interface
 * `o->interface` (a member of `f`; -EINVAL otherwise), as installed under
 * /usr/share/dbus-1/interfaces/ (DIR/<interface name>.xml).
 * codegen_json: the whole checked AST as JSON (DIR/STEM.json); the schema is
 * docs/json-schema.md.  Returns -EILSEQ (and names the string in an error on
 * `sink`) if a doc comment or string is not valid UTF-8, -EIO (with an
 * error on `sink`) if yajl refuses the document otherwise.
 * codegen_markdown: reference documentation from the doc comments (DIR/STEM.md).
 *
 * The mappings are docs/outputs.md.  Each returns 0 or -errno for an output
 * failure (-ENOMEM, -EIO, …).  None keeps state between calls; all may run
 * concurrently on one const tree.
 */
int codegen_xml(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);
int codegen_json(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);
int codegen_markdown(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);

/*
 * The IDL spelling of a checked type as the language writes it: "int32",
 * "Point[]", "dict<string, variant>", "(int32, string)".  Returns a malloc'd
 * string the caller frees, or NULL when out of memory.  Thread-safe.
 */
char *codegen_type_spelling(const idl_type *t);

/*
 * dbidlc --check-compat: compare two checked files, the released `old` and
 * the proposed `new`, and report every change that breaks existing clients
 * or services (the D-Bus contract) or code built against the generated C
 * API: an error at the place in `new` (for something removed: its enclosing
 * declaration in `new`, or the file) with a note at the place in `old`.
 * Renamed arguments are warnings (neither messages nor C callers see their
 * names); additions and doc comment changes are silent.  The rules are
 * docs/outputs.md ("--check-compat").  Returns the number of breaking
 * changes reported (0: compatible), or -ENOMEM (the comparison is then
 * incomplete).  Thread-safe for distinct sinks.
 */
int idl_check_compat(const idl_file *old, const idl_file *new, idl_diag_sink *sink);

/*
 * Check (codegen/check-names.c) every C name the C back ends will write for
 * the checked file `f`:
 * the names of every role of every member (the table in naming.h), the generated
 * types and their helper functions (_init, _clear, _copy, _is_valid,
 * _to_string, _from_string), the enum constants, and the handler-table
 * fields.  Two owners of one name are an error at the later one, with a
 * note at the first and a hint to use @c_name or @c_prefix; a name that
 * C reserves (a leading '_', or "__" anywhere) is an error too.  Every
 * file that passes compiles: this check sees exactly the names the
 * generators write, from the same functions.  `stem` is the output stem
 * (the file prefix of file-level types, as codegen_options.stem).
 * Returns the number of errors reported, or -ENOMEM.
 */
int codegen_check_names(const idl_file *f, const char *stem, idl_diag_sink *sink);

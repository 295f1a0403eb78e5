/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/import.h — importing D-Bus introspection XML as .idl text */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "idl/diag.h"

typedef struct idl_import_options {
        const char *source_name;        /* named in the banner comment; default: the path */
        bool no_banner;                 /* leave out the "Imported from" comment */
        /*
         * If not NULL: where each part of the written .idl came from, for
         * idl_diag_set_origin(), in a malloc'd array the caller frees.
         * Offsets are ftell() positions of `out` (none for a pipe).
         */
        idl_origin_mark **ret_origins;
        size_t *ret_n_origins;
} idl_import_options;

/*
 * Read the introspection document `text` (D-Bus specification,
 * "Introspection Data Format"; a <node> with any number of <interface>
 * elements, nested <node>s, or a bare <interface>) with expat and write the
 * equivalent .idl to `out`: one interface per <interface>, arguments
 * without names as arg0, arg1, …, repeated names made unique, known
 * annotations as IDL annotations (Deprecated, Method.NoReply,
 * Property.EmitsChangedSignal, org.gtk.GDBus.C.Name, DocString and
 * DocString.Short as doc comments, Since), any other as @annotation, XML
 * comments before an element as its doc comment, and @c_name where two
 * members' generated C names would collide.
 *
 * Malformed XML is reported at the line and column expat gives; invalid
 * documents (a bad signature, a missing name or type, a direction on a
 * signal argument, an unknown access or direction) at the offending
 * element.  Nothing is written to `out` when errors were reported.
 * `path` names the document in diagnostics; `o` may be NULL.
 *
 * Returns 0 (check the sink's error count), -EINVAL, -ENOMEM, or -errno of a
 * failed write.
 */
int idl_import_xml(const char *path, const char *text, size_t len, const idl_import_options *o, idl_diag_sink *sink,
                   FILE *out);

/*
 * The same in steps, for several documents merged into one .idl (a live
 * service's object tree): interfaces found again in a later document are
 * skipped (the first definition stands), and with skip_standard the
 * standard org.freedesktop.DBus.* interfaces are left out.
 * idl_importer_get_children() lists the child <node> names of the last
 * document added (borrowed, valid until the next add).
 */
typedef struct idl_importer idl_importer;
int idl_importer_new(idl_diag_sink *sink, bool skip_standard, idl_importer **ret);
idl_importer *idl_importer_free(idl_importer *im);
int idl_importer_add(idl_importer *im, const char *path, const char *text, size_t len);
size_t idl_importer_get_children(const idl_importer *im, const char *const **ret);
int idl_importer_write(idl_importer *im, const idl_import_options *o, FILE *out);

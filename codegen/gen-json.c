/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-json.c — dbidlc --emit=json: the checked AST as JSON through yajl, for generators in other languages */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "codegen/codegen.h"
#include "codegen/printer.h"

/*
 * The schema, its field names and their meaning are docs/json-schema.md;
 * change both together and bump DBIDL_AST_JSON_VERSION on anything but an
 * addition.  yajl produces the text; its print callback hands every piece to
 * the printer, so this back end too writes through the one printer.
 */
#define DBIDL_AST_JSON_VERSION 1

typedef struct json {
        yajl_gen g;
        yajl_gen_status status;         /* first failure, or yajl_gen_status_ok */
        const char *bad;                /* the string yajl refused (not valid UTF-8) */
        int oom;
} json;

static void print_cb(void *ctx, const char *s, size_t len) {
        printer *e = ctx;
        sb_put(e->out, s, len);
}

static void check(json *j, yajl_gen_status st, const char *s) {
        if (st != yajl_gen_status_ok && j->status == yajl_gen_status_ok) {
                j->status = st;
                j->bad = s;
        }
}

static void str(json *j, const char *s) {
        if (!s)
                check(j, yajl_gen_null(j->g), NULL);
        else
                check(j, yajl_gen_string(j->g, (const unsigned char *) s, strlen(s)), s);
}

static void key(json *j, const char *k) {
        str(j, k);
}

static void kv_str(json *j, const char *k, const char *v) {
        key(j, k);
        str(j, v);
}

static void kv_bool(json *j, const char *k, bool v) {
        key(j, k);
        check(j, yajl_gen_bool(j->g, v), NULL);
}

static void kv_uint(json *j, const char *k, unsigned long long v) {
        key(j, k);
        check(j, yajl_gen_integer(j->g, (long long) v), NULL);
}

static void map_open(json *j) {
        check(j, yajl_gen_map_open(j->g), NULL);
}

static void map_close(json *j) {
        check(j, yajl_gen_map_close(j->g), NULL);
}

static void array_open(json *j) {
        check(j, yajl_gen_array_open(j->g), NULL);
}

static void array_close(json *j) {
        check(j, yajl_gen_array_close(j->g), NULL);
}

static void loc(json *j, const char *k, idl_loc l) {
        key(j, k);
        map_open(j);
        kv_str(j, "file", l.file);
        kv_uint(j, "line", l.line);
        kv_uint(j, "column", l.col);
        kv_uint(j, "length", l.len);
        map_close(j);
}

/* "annotations" (as written) and "xml_annotations" (the @annotation pass-throughs), of a declaration or a parameter. */
static void annotations(json *j, const idl_annotation *as, size_t n, const idl_xml_annotation *xs, size_t n_xml) {
        key(j, "annotations");
        array_open(j);
        for (size_t i = 0; i < n; i++) {
                const idl_annotation *a = &as[i];
                map_open(j);
                kv_str(j, "name", a->name);
                key(j, "args");
                array_open(j);
                for (size_t k = 0; k < a->n_args; k++)
                        str(j, a->args[k]);
                array_close(j);
                loc(j, "location", a->loc);
                map_close(j);
        }
        array_close(j);
        key(j, "xml_annotations");
        array_open(j);
        for (size_t i = 0; i < n_xml; i++) {
                map_open(j);
                kv_str(j, "name", xs[i].name);
                kv_str(j, "value", xs[i].value);
                map_close(j);
        }
        array_close(j);
}

static void type(json *j, const idl_type *t);

static void fields(json *j, const char *k, const idl_field *fs, size_t n) {
        key(j, k);
        array_open(j);
        for (size_t i = 0; i < n; i++) {
                map_open(j);
                kv_str(j, "name", fs[i].name);
                key(j, "type");
                type(j, fs[i].type);
                kv_str(j, "doc", fs[i].doc);
                loc(j, "location", fs[i].loc);
                /* only parameters have any: @annotation */
                annotations(j, fs[i].annotations, fs[i].n_annotations, fs[i].xml_annotations, fs[i].n_xml_annotations);
                map_close(j);
        }
        array_close(j);
}

static void type(json *j, const idl_type *t) {
        char *spelling = codegen_type_spelling(t);
        if (!spelling)
                j->oom = 1;
        map_open(j);
        switch (t->kind) {
        case IDL_TYPE_ARRAY:
                kv_str(j, "kind", "array");
                break;
        case IDL_TYPE_DICT:
                kv_str(j, "kind", "dict");
                break;
        case IDL_TYPE_STRUCT:
                kv_str(j, "kind", "struct");
                break;
        case IDL_TYPE_NAMED:
                kv_str(j, "kind", "named");
                break;
        default:
                kv_str(j, "kind", idl_type_kind_name(t->kind));
                break;
        }
        kv_str(j, "signature", t->signature);
        kv_str(j, "spelling", spelling);
        switch (t->kind) {
        case IDL_TYPE_ARRAY:
                key(j, "element");
                type(j, t->elem);
                break;
        case IDL_TYPE_DICT:
                key(j, "key");
                type(j, t->key);
                key(j, "value");
                type(j, t->elem);
                break;
        case IDL_TYPE_STRUCT:
                /* bare types (anonymous members have no name nor doc): keeps deep signatures within yajl's depth */
                key(j, "members");
                array_open(j);
                for (size_t i = 0; i < t->n_fields; i++)
                        type(j, t->fields[i].type);
                array_close(j);
                break;
        case IDL_TYPE_NAMED:
                kv_str(j, "name", t->name);
                kv_str(j, "declaration", t->decl ? idl_typedecl_keyword(t->decl->kind) : NULL);
                kv_str(j, "scope", t->decl && t->decl->scope ? t->decl->scope->c.name : NULL);
                if (t->decl)
                        loc(j, "declaration_location", t->decl->c.loc);
                else {
                        key(j, "declaration_location");
                        str(j, NULL);
                }
                break;
        default:
                break;
        }
        loc(j, "location", t->loc);
        map_close(j);
        free(spelling);
}

/* The fields every declaration has (the object is open; the caller adds its own and closes it). */
static void common(json *j, const idl_common *c, bool dbus_name) {
        kv_str(j, "name", c->name);
        loc(j, "location", c->loc);
        kv_str(j, "doc", c->doc);
        if (dbus_name)
                kv_str(j, "dbus_name", c->dbus_name);
        kv_str(j, "c_name", c->c_name);
        kv_bool(j, "deprecated", c->deprecated);
        kv_str(j, "deprecated_reason", c->deprecated_reason);
        kv_str(j, "since", c->since);
        annotations(j, c->annotations, c->n_annotations, c->xml_annotations, c->n_xml_annotations);
}

static void typedecls(json *j, idl_typedecl *const *ts, size_t n) {
        key(j, "types");
        array_open(j);
        for (size_t i = 0; i < n; i++) {
                const idl_typedecl *d = ts[i];
                map_open(j);
                kv_str(j, "kind", idl_typedecl_keyword(d->kind));
                common(j, &d->c, false);
                kv_str(j, "scope", d->scope ? d->scope->c.name : NULL);
                kv_str(j, "signature", d->signature);
                if (d->kind == IDL_DECL_STRUCT)
                        fields(j, "fields", d->fields, d->n_fields);
                else {
                        char sig[2] = { idl_type_kind_code(d->backing), 0 };
                        kv_str(j, "backing", idl_type_kind_name(d->backing));
                        kv_str(j, "backing_signature", sig);
                        key(j, "values");
                        array_open(j);
                        for (size_t k = 0; k < d->n_values; k++) {
                                const idl_enumerator *v = &d->values[k];
                                char num[32];
                                int len = snprintf(num, sizeof num, "%s%" PRIu64,
                                                   v->negative && v->magnitude ? "-" : "", v->magnitude);
                                map_open(j);
                                kv_str(j, "name", v->name);
                                key(j, "value");
                                check(j, yajl_gen_number(j->g, num, (size_t) len), NULL);
                                kv_str(j, "doc", v->doc);
                                loc(j, "location", v->loc);
                                map_close(j);
                        }
                        array_close(j);
                }
                map_close(j);
        }
        array_close(j);
}

static void interface(json *j, const idl_interface *it) {
        map_open(j);
        common(j, &it->c, true);
        kv_str(j, "c_prefix", it->c_prefix);
        typedecls(j, it->types, it->n_types);

        key(j, "errors");
        array_open(j);
        for (size_t i = 0; i < it->n_errors; i++) {
                map_open(j);
                common(j, &it->errors[i].c, true);
                map_close(j);
        }
        array_close(j);

        key(j, "methods");
        array_open(j);
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                map_open(j);
                common(j, &m->c, true);
                fields(j, "in", m->in, m->n_in);
                fields(j, "out", m->out, m->n_out);
                kv_str(j, "in_signature", m->in_signature);
                kv_str(j, "out_signature", m->out_signature);
                key(j, "raises");
                array_open(j);
                for (size_t k = 0; k < m->n_raises; k++) {
                        map_open(j);
                        kv_str(j, "name", m->raises[k].name);
                        kv_str(j, "dbus_name", m->raises[k].error ? m->raises[k].error->c.dbus_name : NULL);
                        loc(j, "location", m->raises[k].loc);
                        map_close(j);
                }
                array_close(j);
                kv_bool(j, "noreply", m->noreply);
                map_close(j);
        }
        array_close(j);

        key(j, "signals");
        array_open(j);
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                map_open(j);
                common(j, &s->c, true);
                fields(j, "args", s->args, s->n_args);
                kv_str(j, "signature", s->signature);
                map_close(j);
        }
        array_close(j);

        key(j, "properties");
        array_open(j);
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                map_open(j);
                common(j, &p->c, true);
                kv_str(j, "access", idl_access_keyword(p->access));
                key(j, "type");
                type(j, p->type);
                kv_str(j, "signature", p->type->signature);
                kv_str(j, "emits", idl_emits_keyword(p->emits));
                map_close(j);
        }
        array_close(j);
        map_close(j);
}

int codegen_json(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        printer pr, *e = &pr;
        json j = { .status = yajl_gen_status_ok };
        char generator[64];

        printer_init(e, out);
        j.g = yajl_gen_alloc(NULL);
        if (!j.g)
                return -ENOMEM;
        if (!yajl_gen_config(j.g, yajl_gen_beautify, 1) || !yajl_gen_config(j.g, yajl_gen_indent_string, "  ") ||
            !yajl_gen_config(j.g, yajl_gen_validate_utf8, 1) ||
            !yajl_gen_config(j.g, yajl_gen_print_callback, print_cb, e)) {
                yajl_gen_free(j.g);
                return -EINVAL;
        }

        snprintf(generator, sizeof generator, "dbidlc %s", o->version ? o->version : "");
        map_open(&j);
        kv_str(&j, "format", "dbidl-ast");
        kv_uint(&j, "version", DBIDL_AST_JSON_VERSION);
        kv_str(&j, "generator", generator);
        kv_str(&j, "file", f->path);
        kv_str(&j, "source_name", o->source_name);
        key(&j, "imports");
        array_open(&j);
        for (size_t i = 0; i < f->n_imports; i++) {
                const idl_import *im = &f->imports[i];
                map_open(&j);
                kv_str(&j, "path", im->path);
                loc(&j, "location", im->loc);
                /* what it brings into scope: the imported file's own file-level types */
                kv_str(&j, "file", im->file ? im->file->path : NULL);
                if (im->file)
                        typedecls(&j, im->file->types, im->file->n_types);
                else {
                        key(&j, "types");
                        array_open(&j);
                        array_close(&j);
                }
                map_close(&j);
        }
        array_close(&j);
        typedecls(&j, f->types, f->n_types);
        key(&j, "interfaces");
        array_open(&j);
        for (size_t i = 0; i < f->n_interfaces; i++)
                interface(&j, &f->interfaces[i]);
        array_close(&j);
        map_close(&j);
        yajl_gen_free(j.g);

        if (j.oom)
                return -ENOMEM;
        if (j.status == yajl_gen_invalid_string) {
                idl_error_at(sink, (idl_loc) { 0 }, "not valid UTF-8, cannot be written as JSON: \"%s\"",
                             j.bad ? j.bad : "");
                return -EILSEQ;
        }
        if (j.status != yajl_gen_status_ok) {
                idl_error_at(sink, (idl_loc) { 0 }, "the JSON generator failed (yajl status %d)", (int) j.status);
                return -EIO;
        }
        emit_blank(e);
        return printer_finish(e);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-markdown.c — dbidlc --emit=markdown: reference documentation from the doc comments */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/printer.h"

/*
 * Layout: a title, the file-level types, then per interface its doc, methods
 * (IDL signature, D-Bus signature, doc, argument table, errors raised),
 * signals, a property table, an error table and its types.  Doc comments are
 * copied as Markdown; inside table cells their line breaks become spaces and
 * '|' is escaped.
 */

static void fail(printer *e, int r) {
        if (e->error == 0)
                e->error = r;
}

/* Text for a table cell: one line, '|' escaped. */
static char *cell(const char *s) {
        if (!s)
                return strdup("");
        size_t n = strlen(s);
        char *r = malloc(2 * n + 1), *q = r;
        if (!r)
                return NULL;
        /* drop leading blank lines, fold the others */
        while (*s == '\n' || *s == ' ')
                s++;
        for (; *s; s++) {
                if (*s == '|') {
                        *q++ = '\\';
                        *q++ = '|';
                } else if (*s == '\n' || *s == '\r' || *s == '\t') {
                        if (q > r && q[-1] != ' ')
                                *q++ = ' ';
                } else
                        *q++ = *s;
        }
        while (q > r && q[-1] == ' ')
                q--;
        *q = '\0';
        return r;
}

/* A paragraph of doc text, line by line (the printer adds the newlines). */
static void emit_doc_block(printer *e, const char *doc) {
        if (!doc || !*doc)
                return;
        const char *p = doc;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                emit(e, "%.*s", (int) n, p);
                p += n;
                if (*p == '\n')
                        p++;
        }
        emit_blank(e);
}

/* The status line of a declaration: deprecation and since, if any. */
static void emit_status(printer *e, const idl_common *c) {
        if (c->deprecated) {
                if (c->deprecated_reason)
                        emit(e, "**Deprecated:** %s", c->deprecated_reason);
                else
                        emit(e, "**Deprecated.**");
                emit_blank(e);
        }
        if (c->since) {
                emit(e, "*Since %s.*", c->since);
                emit_blank(e);
        }
}

/* "a: int32, b: Point[]" */
static char *arg_list(const idl_field *fs, size_t n) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                char *t = codegen_type_spelling(fs[i].type);
                fprintf(f, "%s%s: %s", i ? ", " : "", fs[i].name, t ? t : "?");
                free(t);
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static void emit_field_row(printer *e, const char *first, const idl_field *a) {
        char *t = codegen_type_spelling(a->type), *d = cell(a->doc);
        if (t && d)
                emit(e, "| %s`%s` | `%s` | `%s` | %s |", first, a->name, t, a->type->signature, d);
        else
                fail(e, -ENOMEM);
        free(t);
        free(d);
}

static void emit_typedecl(printer *e, const idl_typedecl *d, const char *heading) {
        if (d->kind == IDL_DECL_STRUCT)
                emit(e, "%s struct `%s`", heading, d->c.name);
        else
                emit(e, "%s %s `%s` : `%s`", heading, d->kind == IDL_DECL_ENUM ? "enum" : "flags", d->c.name,
                     idl_type_kind_name(d->backing));
        emit_blank(e);
        emit(e, "D-Bus signature: `%s`", d->signature);
        emit_blank(e);
        emit_status(e, &d->c);
        emit_doc_block(e, d->c.doc);
        if (d->kind == IDL_DECL_STRUCT) {
                if (d->n_fields == 0)
                        return;
                emit(e, "| Field | Type | D-Bus | Description |");
                emit(e, "|---|---|---|---|");
                for (size_t i = 0; i < d->n_fields; i++)
                        emit_field_row(e, "", &d->fields[i]);
                emit_blank(e);
                return;
        }
        if (d->n_values == 0)
                return;
        emit(e, "| Name | Value | Description |");
        emit(e, "|---|---|---|");
        for (size_t i = 0; i < d->n_values; i++) {
                const idl_enumerator *v = &d->values[i];
                char *c = cell(v->doc);
                if (!c) {
                        fail(e, -ENOMEM);
                        continue;
                }
                char value[32];
                if (d->kind == IDL_DECL_FLAGS && !v->negative)
                        snprintf(value, sizeof value, "0x%" PRIx64, v->magnitude);
                else
                        snprintf(value, sizeof value, "%s%" PRIu64, v->negative && v->magnitude ? "-" : "",
                                 v->magnitude);
                emit(e, "| `%s` | `%s` | %s |", v->name, value, c);
                free(c);
        }
        emit_blank(e);
}

static const char *emits_text(idl_emits m) {
        switch (m) {
        case IDL_EMITS_INVALIDATES:
                return "invalidates (PropertiesChanged without the value)";
        case IDL_EMITS_CONST:
                return "const (never changes)";
        case IDL_EMITS_NONE:
                return "none (changes without a signal)";
        default:
                return "change (PropertiesChanged with the value)";
        }
}

static void emit_method(printer *e, const idl_method *m) {
        char *in = arg_list(m->in, m->n_in), *out = arg_list(m->out, m->n_out);
        emit(e, "#### `%s`", m->c.dbus_name);
        emit_blank(e);
        if (in && out) {
                if (m->n_out)
                        emit(e, "`%s(%s) -> (%s)`", m->c.name, in, out);
                else
                        emit(e, "`%s(%s)`", m->c.name, in);
        } else
                fail(e, -ENOMEM);
        free(in);
        free(out);
        emit_blank(e);
        emit(e, "D-Bus signature: in %s%s%s, out %s%s%s%s", *m->in_signature ? "`" : "",
             *m->in_signature ? m->in_signature : "none", *m->in_signature ? "`" : "", *m->out_signature ? "`" : "",
             *m->out_signature ? m->out_signature : "none", *m->out_signature ? "`" : "",
             m->noreply ? "; no reply is sent (`@noreply`)" : "");
        emit_blank(e);
        emit_status(e, &m->c);
        emit_doc_block(e, m->c.doc);
        if (m->n_in + m->n_out > 0) {
                emit(e, "| Direction | Argument | Type | D-Bus | Description |");
                emit(e, "|---|---|---|---|---|");
                for (size_t i = 0; i < m->n_in; i++)
                        emit_field_row(e, "in | ", &m->in[i]);
                for (size_t i = 0; i < m->n_out; i++)
                        emit_field_row(e, "out | ", &m->out[i]);
                emit_blank(e);
        }
        if (m->n_raises > 0) {
                emit(e, "Errors:");
                emit_blank(e);
                for (size_t i = 0; i < m->n_raises; i++) {
                        const idl_raise *r = &m->raises[i];
                        emit(e, "- `%s` (`%s`)", r->name, r->error ? r->error->c.dbus_name : r->name);
                }
                emit_blank(e);
        }
}

static void emit_signal(printer *e, const idl_signal *s) {
        char *args = arg_list(s->args, s->n_args);
        emit(e, "#### `%s`", s->c.dbus_name);
        emit_blank(e);
        if (args)
                emit(e, "`%s(%s)`", s->c.name, args);
        else
                fail(e, -ENOMEM);
        free(args);
        emit_blank(e);
        if (*s->signature)
                emit(e, "D-Bus signature: `%s`", s->signature);
        else
                emit(e, "D-Bus signature: none");
        emit_blank(e);
        emit_status(e, &s->c);
        emit_doc_block(e, s->c.doc);
        if (s->n_args > 0) {
                emit(e, "| Argument | Type | D-Bus | Description |");
                emit(e, "|---|---|---|---|");
                for (size_t i = 0; i < s->n_args; i++)
                        emit_field_row(e, "", &s->args[i]);
                emit_blank(e);
        }
}

/* Deprecation and since folded into a table cell after the doc. */
static char *member_cell(const idl_common *c) {
        char *d = cell(c->doc), *buf = NULL;
        size_t len = 0;
        if (!d)
                return NULL;
        FILE *f = open_memstream(&buf, &len);
        if (!f) {
                free(d);
                return NULL;
        }
        fputs(d, f);
        if (c->deprecated) {
                char *why = cell(c->deprecated_reason);
                if (why && *why)
                        fprintf(f, "%s**Deprecated:** %s", *d ? " " : "", why);
                else
                        fprintf(f, "%s**Deprecated.**", *d ? " " : "");
                free(why);
        }
        if (c->since)
                fprintf(f, "%s*Since %s.*", *d || c->deprecated ? " " : "", c->since);
        free(d);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static void emit_interface(printer *e, const idl_interface *it) {
        emit(e, "## interface `%s`", it->c.name);
        emit_blank(e);
        emit_status(e, &it->c);
        emit_doc_block(e, it->c.doc);
        emit(e, "C prefix: `%s`", it->c_prefix);
        emit_blank(e);

        if (it->n_methods > 0) {
                emit(e, "### Methods");
                emit_blank(e);
        }
        for (size_t i = 0; i < it->n_methods; i++)
                emit_method(e, &it->methods[i]);
        if (it->n_signals > 0) {
                emit(e, "### Signals");
                emit_blank(e);
        }
        for (size_t i = 0; i < it->n_signals; i++)
                emit_signal(e, &it->signals[i]);

        if (it->n_properties > 0) {
                emit(e, "### Properties");
                emit_blank(e);
                emit(e, "| Property | Type | D-Bus | Access | Change notification | Description |");
                emit(e, "|---|---|---|---|---|---|");
                for (size_t i = 0; i < it->n_properties; i++) {
                        const idl_property *p = &it->properties[i];
                        char *t = codegen_type_spelling(p->type), *d = member_cell(&p->c);
                        if (t && d)
                                emit(e, "| `%s` | `%s` | `%s` | %s | %s | %s |", p->c.dbus_name, t,
                                     p->type->signature, idl_access_keyword(p->access), emits_text(p->emits), d);
                        else
                                fail(e, -ENOMEM);
                        free(t);
                        free(d);
                }
                emit_blank(e);
        }

        if (it->n_errors > 0) {
                emit(e, "### Errors");
                emit_blank(e);
                emit(e, "| Error | D-Bus name | Description |");
                emit(e, "|---|---|---|");
                for (size_t i = 0; i < it->n_errors; i++) {
                        const idl_error *er = &it->errors[i];
                        char *d = member_cell(&er->c);
                        if (d)
                                emit(e, "| `%s` | `%s` | %s |", er->c.name, er->c.dbus_name, d);
                        else
                                fail(e, -ENOMEM);
                        free(d);
                }
                emit_blank(e);
        }

        if (it->n_types > 0) {
                emit(e, "### Types");
                emit_blank(e);
                for (size_t i = 0; i < it->n_types; i++)
                        emit_typedecl(e, it->types[i], "####");
        }
}

int codegen_markdown(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        printer pr, *e = &pr;
        const char *source = o->source_name ? o->source_name : f->path;

        printer_init(e, out);
        emit(e, "<!-- Generated by dbidlc %s from %s; do not edit. -->", o->version ? o->version : "", source);
        emit_blank(e);
        emit(e, "# %s", source);
        emit_blank(e);
        if (f->n_interfaces > 0) {
                emit(e, "Interfaces:");
                emit_blank(e);
                for (size_t i = 0; i < f->n_interfaces; i++)
                        emit(e, "- `%s`", f->interfaces[i].c.name);
                emit_blank(e);
        }
        if (f->n_imports > 0) {
                emit(e, "Imports:");
                emit_blank(e);
                for (size_t i = 0; i < f->n_imports; i++)
                        emit(e, "- `%s`", f->imports[i].path);
                emit_blank(e);
        }
        if (f->n_types > 0) {
                emit(e, "## Types");
                emit_blank(e);
                for (size_t i = 0; i < f->n_types; i++)
                        emit_typedecl(e, f->types[i], "###");
        }
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_interface(e, &f->interfaces[i]);
        (void) sink;
        return printer_finish(e);
}

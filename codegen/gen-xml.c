/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-xml.c — dbidlc --emit=xml: one D-Bus introspection file per interface, with docs and annotations */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/printer.h"

/*
 * The mapping (docs/outputs.md, "xml"):
 *   doc comment            org.gtk.GDBus.DocString (also on arguments)
 *   @deprecated            org.freedesktop.DBus.Deprecated = true (the reason is not expressible)
 *   @since("x")            org.gtk.GDBus.Since = x
 *   @c_name("x")           org.gtk.GDBus.C.Name = x (only when written; derived names are not annotated)
 *   @c_prefix("x")         org.gtk.GDBus.C.Name = x on the interface (only when written, as @c_name)
 *   @noreply               org.freedesktop.DBus.Method.NoReply = true
 *   @emits(…)              org.freedesktop.DBus.Property.EmitsChangedSignal = invalidates/const/false
 *                          (nothing for the default, change, which the specification calls "true"; nothing
 *                          either when the property has its own @annotation of that name, which wins: that is
 *                          how a writable property says "const", which @emits cannot)
 *   @annotation("n", "v")  n = v, unchanged (also on arguments)
 *   blob                   type "h", and org.dbidl.Blob = the signature with each blob position written 'H'
 *                          ("a(sH)"), on the argument or property (unless a pass-through of that name is
 *                          written, which wins)
 * Struct, enum and flags types appear as their D-Bus signatures; errors have
 * no place in introspection data and are left out.
 */

#define BLOB_ANNOTATION "org.dbidl.Blob"

static void fail(printer *e, int r) {
        if (e->error == 0)
                e->error = r;
}

/* Escape for an attribute value: the five specials, and line breaks and tabs as references so they survive. */
static char *xml_escape(const char *s) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                switch (*p) {
                case '&':
                        fputs("&amp;", f);
                        break;
                case '<':
                        fputs("&lt;", f);
                        break;
                case '>':
                        fputs("&gt;", f);
                        break;
                case '"':
                        fputs("&quot;", f);
                        break;
                case '\n':
                        fputs("&#10;", f);
                        break;
                case '\t':
                        fputs("&#9;", f);
                        break;
                case '\r':
                        fputs("&#13;", f);
                        break;
                default:
                        /* other C0 controls are not allowed in XML 1.0 at all */
                        if (*p >= 0x20)
                                fputc(*p, f);
                        break;
                }
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static void emit_annotation(printer *e, const char *name, const char *value) {
        char *n = xml_escape(name), *v = xml_escape(value);
        if (n && v)
                emit(e, "<annotation name=\"%s\" value=\"%s\"/>", n, v);
        else
                fail(e, -ENOMEM);
        free(n);
        free(v);
}

static bool written(const idl_common *c, const char *annotation) {
        for (size_t i = 0; i < c->n_annotations; i++)
                if (strcmp(c->annotations[i].name, annotation) == 0)
                        return true;
        return false;
}

/*
 * The C name written as org.gtk.GDBus.C.Name, or NULL: a member's @c_name, an
 * interface's @c_prefix (sema sets an interface's c_name to its prefix).
 * Derived names are not annotated.
 */
static const char *written_c_name(const idl_common *c) {
        return written(c, "c_name") || written(c, "c_prefix") ? c->c_name : NULL;
}

static bool has_xml_annotation(const idl_xml_annotation *a, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(a[i].name, name) == 0)
                        return true;
        return false;
}

/* Whether emit_common() writes anything for `c`. */
static bool has_common(const idl_common *c) {
        return (c->doc && *c->doc) || c->deprecated || c->since || written_c_name(c) || c->n_xml_annotations > 0;
}

/*
 * What every interface, method, signal and property carries; `extra` adds the
 * kind's own before the pass-throughs, unless a pass-through of the same name
 * says otherwise: one annotation of a name, the one written out.
 */
static void emit_common(printer *e, const idl_common *c, const char *extra_name, const char *extra_value) {
        if (c->doc && *c->doc)
                emit_annotation(e, "org.gtk.GDBus.DocString", c->doc);
        if (c->deprecated)
                emit_annotation(e, "org.freedesktop.DBus.Deprecated", "true");
        if (c->since)
                emit_annotation(e, "org.gtk.GDBus.Since", c->since);
        if (written_c_name(c))
                emit_annotation(e, "org.gtk.GDBus.C.Name", written_c_name(c));
        if (extra_name && !has_xml_annotation(c->xml_annotations, c->n_xml_annotations, extra_name))
                emit_annotation(e, extra_name, extra_value);
        for (size_t i = 0; i < c->n_xml_annotations; i++)
                emit_annotation(e, c->xml_annotations[i].name, c->xml_annotations[i].value);
}

/*
 * The org.dbidl.Blob annotation's value for a value of type `t`, or NULL when
 * it holds no blob or a pass-through of that name is written (which wins):
 * the signature with blob positions as 'H' (idl_type_blob_marks()).
 */
static char *blob_marks(printer *e, const idl_type *t, const idl_xml_annotation *written, size_t n_written) {
        bool oom;
        if (has_xml_annotation(written, n_written, BLOB_ANNOTATION))
                return NULL;
        char *v = idl_type_blob_marks(t, &oom);
        if (oom)
                fail(e, -ENOMEM);
        return v;
}

static void emit_args(printer *e, const idl_field *args, size_t n, const char *direction) {
        for (size_t i = 0; i < n; i++) {
                const idl_field *a = &args[i];
                char dir[32] = "";
                if (direction)
                        snprintf(dir, sizeof dir, " direction=\"%s\"", direction);
                char *blob = blob_marks(e, a->type, a->xml_annotations, a->n_xml_annotations);
                if ((!a->doc || !*a->doc) && a->n_xml_annotations == 0 && !blob) {
                        emit(e, "<arg name=\"%s\" type=\"%s\"%s/>", a->name, a->type->signature, dir);
                        continue;
                }
                emit(e, "<arg name=\"%s\" type=\"%s\"%s>", a->name, a->type->signature, dir);
                indent(e);
                if (a->doc && *a->doc)
                        emit_annotation(e, "org.gtk.GDBus.DocString", a->doc);
                if (blob)
                        emit_annotation(e, BLOB_ANNOTATION, blob);
                free(blob);
                for (size_t k = 0; k < a->n_xml_annotations; k++)
                        emit_annotation(e, a->xml_annotations[k].name, a->xml_annotations[k].value);
                dedent(e);
                emit(e, "</arg>");
        }
}

/* The banner inside an XML comment, which must not contain "--" nor end in '-'. */
static char *comment_safe(const char *s) {
        size_t n = strlen(s);
        char *r = malloc(2 * n + 2);
        if (!r)
                return NULL;
        char *q = r;
        for (size_t i = 0; i < n; i++) {
                *q++ = s[i];
                if (s[i] == '-' && (s[i + 1] == '-' || s[i + 1] == '\0'))
                        *q++ = ' ';
        }
        *q = '\0';
        return r;
}

int codegen_xml(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        printer pr, *e = &pr;
        const idl_interface *it = o->interface;

        if (!it || it < f->interfaces || it >= f->interfaces + f->n_interfaces)
                return -EINVAL;
        printer_init(e, out);
        char *source = comment_safe(o->source_name ? o->source_name : f->path);
        if (!source)
                return -ENOMEM;
        emit(e, "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"");
        emit(e, " \"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">");
        emit(e, "<!-- Generated by dbidlc %s from %s — do not edit -->", o->version ? o->version : "", source);
        free(source);
        emit(e, "<node>");
        indent(e);
        emit(e, "<interface name=\"%s\">", it->c.name);
        indent(e);
        emit_common(e, &it->c, NULL, NULL);

        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                if (m->n_in + m->n_out == 0 && !has_common(&m->c) && !m->noreply) {
                        emit(e, "<method name=\"%s\"/>", m->c.dbus_name);
                        continue;
                }
                emit(e, "<method name=\"%s\">", m->c.dbus_name);
                indent(e);
                emit_args(e, m->in, m->n_in, "in");
                emit_args(e, m->out, m->n_out, "out");
                emit_common(e, &m->c, m->noreply ? "org.freedesktop.DBus.Method.NoReply" : NULL, "true");
                dedent(e);
                emit(e, "</method>");
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                if (s->n_args == 0 && !has_common(&s->c)) {
                        emit(e, "<signal name=\"%s\"/>", s->c.dbus_name);
                        continue;
                }
                emit(e, "<signal name=\"%s\">", s->c.dbus_name);
                indent(e);
                emit_args(e, s->args, s->n_args, NULL);
                emit_common(e, &s->c, NULL, NULL);
                dedent(e);
                emit(e, "</signal>");
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                /* EmitsChangedSignal is written only when it is not the default ("true": the new value is sent) */
                const char *emits = p->emits == IDL_EMITS_CHANGE ? NULL : idl_emits_xml(p->emits);
                char *blob = blob_marks(e, p->type, p->c.xml_annotations, p->c.n_xml_annotations);
                if (!emits && !blob && !has_common(&p->c)) {
                        emit(e, "<property name=\"%s\" type=\"%s\" access=\"%s\"/>", p->c.dbus_name,
                             p->type->signature, idl_access_xml(p->access));
                        continue;
                }
                emit(e, "<property name=\"%s\" type=\"%s\" access=\"%s\">", p->c.dbus_name, p->type->signature,
                     idl_access_xml(p->access));
                indent(e);
                if (blob)
                        emit_annotation(e, BLOB_ANNOTATION, blob);
                free(blob);
                emit_common(e, &p->c, emits ? "org.freedesktop.DBus.Property.EmitsChangedSignal" : NULL, emits);
                dedent(e);
                emit(e, "</property>");
        }

        dedent(e);
        emit(e, "</interface>");
        dedent(e);
        emit(e, "</node>");
        (void) sink;
        return printer_finish(e);
}

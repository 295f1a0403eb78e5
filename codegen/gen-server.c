/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-server.c — the C back end's skeletons: the static vtable, method and property trampolines, emitters */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"


static void emit_goto_finish(printer *e) {
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "goto finish;");
        dedent(e);
}

/* A handler's output local: the owned storage its ret_ pointer points to. */
static void emit_out_local(printer *e, const idl_type *t, const char *name) {
        if (type_shape(t) == SHAPE_BOOL)
                emit(e, "bool %s = false;", name);
        else
                emit_local_decl(e, t, true, name);
}

static void emit_method(printer *e, const idl_interface *it, const idl_method *m, const char *pup) {
        arg_names *a = method_arg_names(m);
        const char *field = cname(e, CN_HANDLE_FIELD, it, &m->c);
        if (!a) {
                e->error = -ENOMEM;
                return;
        }
        const arg_names *ao = a + m->n_in;
        emit(e, "static int dbidl_%s(sd_bus_message *dbidl_call, void *dbidl_userdata, sd_bus_error *dbidl_error) {",
             cname(e, CN_CALL, it, &m->c));
        indent(e);
        emit(e, "const dbidl_object *dbidl_o = dbidl_userdata;");
        emit(e, "const %s *dbidl_h = dbidl_o->handlers;", cname(e, CN_HANDLERS, it, NULL));
        for (size_t i = 0; i < m->n_in; i++) {
                char *name = local_name("in_", a[i].base);
                if (name)
                        emit_local_decl(e, m->in[i].type, false, name);
                free(name);
        }
        for (size_t i = 0; i < m->n_out; i++) {
                char *name = local_name("out_", ao[i].base);
                if (name)
                        emit_out_local(e, m->out[i].type, name);
                free(name);
        }
        if (!m->noreply)
                emit(e, "sd_bus_message *dbidl_reply = NULL;");
        emit(e, "const char *dbidl_arg = NULL;");
        if (!m->noreply && m->n_out)
                emit(e, "const char *dbidl_out = NULL;");
        emit(e, "bool dbidl_read = false;");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        for (size_t i = 0; i < m->n_in; i++) {
                char *name = local_name("in_", a[i].base);
                if (name)
                        emit_local_init(e, m->in[i].type, name);
                free(name);
        }
        for (size_t i = 0; i < m->n_out; i++) {
                char *name = local_name("out_", ao[i].base);
                if (name)
                        emit_local_init(e, m->out[i].type, name);
                free(name);
        }
        emit(e, "if (!dbidl_h->%s)", field);
        indent(e);
        emit(e, "return dbidl_object_not_supported(dbidl_error, %s, \"%s\");", pup, m->c.dbus_name);
        dedent(e);
        for (size_t i = 0; i < m->n_in; i++) {
                char *name = local_name("in_", a[i].base);
                emit(e, "dbidl_arg = \"%s\";", m->in[i].name);
                if (name)
                        emit_read(e, m->in[i].type, false, "dbidl_call", name);
                free(name);
        }
        emit(e, "dbidl_read = true;");

        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f) {
                e->error = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < m->n_in; i++) {
                char *name = local_name("in_", a[i].base);
                fputs(", ", f);
                if (name)
                        borrowed_args(f, m->in[i].type, name);
                free(name);
        }
        for (size_t i = 0; i < m->n_out; i++) {
                char *name = local_name("out_", ao[i].base);
                if (name) {
                        fprintf(f, ", &%s", name);
                        if (shape_has_count(type_shape(m->out[i].type)))
                                fprintf(f, ", &%s_n", name);
                }
                free(name);
        }
        char *args = strbuf_close(&b);
        emit(e, "dbidl_r = dbidl_h->%s(dbidl_call, dbidl_o->userdata%s, dbidl_error);", field, args);
        free(args);
        emit_goto_finish(e);
        emit(e, "if (dbidl_r > 0) {");
        indent(e);
        emit(e, "/* as in sd-bus, > 0: the handler answered already (_return(), sd_bus_reply_method_return())");
        emit(e, " * or kept the call (dbidl_defer())%s; its ret_* outputs are freed below, unsent */",
             m->noreply ? "" : " to answer later through _reply()");
        emit(e, "dbidl_r = 1;");
        emit(e, "goto finish;");
        dedent(e);
        emit(e, "}");
        if (m->noreply) {
                emit(e, "/* @noreply: sd-bus sends nothing unless the caller asked for a reply anyway */");
                emit(e, "dbidl_r = sd_bus_reply_method_return(dbidl_call, NULL);");
        } else {
                emit(e, "dbidl_r = sd_bus_message_new_method_return(dbidl_call, &dbidl_reply);");
                emit_goto_finish(e);
                for (size_t i = 0; i < m->n_out; i++) {
                        char *name = local_name("out_", ao[i].base);
                        char *cnt = name ? local_name(name, "_n") : NULL;
                        emit(e, "dbidl_out = \"%s\";", m->out[i].name);
                        if (name && cnt)
                                emit_append(e, m->out[i].type, "dbidl_reply", name, cnt, false);
                        free(name);
                        free(cnt);
                }
                emit(e, "dbidl_r = sd_bus_send(NULL, dbidl_reply, NULL);");
        }
        dedent(e);
        emit(e, "finish:");
        indent(e);
        emit(e, "if (dbidl_r < 0 && !dbidl_read)");
        indent(e);
        emit(e, "dbidl_r = dbidl_object_invalid_args(dbidl_error, \"%s\", dbidl_arg, dbidl_r);", m->c.dbus_name);
        dedent(e);
        if (!m->noreply && m->n_out) {
                emit(e, "else if (dbidl_r < 0 && dbidl_out)");
                indent(e);
                emit(e, "/* the handler's outputs could not be sent: the service's fault, not the caller's */");
                emit(e, "dbidl_r = dbidl_object_reply_failed(dbidl_error, \"%s\", dbidl_out, dbidl_r);", m->c.dbus_name);
                dedent(e);
        }
        for (size_t i = 0; i < m->n_in; i++) {
                char *name = local_name("in_", a[i].base);
                if (name)
                        emit_free(e, m->in[i].type, false, name);
                free(name);
        }
        for (size_t i = 0; i < m->n_out; i++) {
                char *name = local_name("out_", ao[i].base);
                if (name)
                        emit_free(e, m->out[i].type, true, name);
                free(name);
        }
        if (!m->noreply)
                emit(e, "sd_bus_message_unref(dbidl_reply);");
        emit(e, "return dbidl_r < 0 ? dbidl_r : 1;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
out:
        arg_names_free(a, m->n_in + m->n_out);
}

/*
 * The answers a handler sends itself, with borrowed outputs:
 * P_return_m(call, …) for the call being handled now (no copy for the
 * skeleton to free), and P_reply_m(pending, …) for a deferred call, which
 * it always consumes (when the outputs cannot be sent the caller gets the
 * error instead).
 */
static void emit_method_answer(printer *e, const idl_interface *it, const idl_method *m, bool deferred) {
        arg_names *a = method_arg_names(m);
        char *proto = !a ? NULL : deferred ? proto_method_reply(e, it, m, a) : proto_method_return(e, it, m, a);
        if (!proto) {
                arg_names_free(a, m->n_in + m->n_out);
                e->error = -ENOMEM;
                return;
        }
        const arg_names *ao = a + m->n_in;
        emit(e, "%s {", proto);
        free(proto);
        indent(e);
        emit(e, "sd_bus_message *dbidl_m = NULL;");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit(e, "if (!%s)", deferred ? "pending" : "call");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        if (deferred)
                emit(e, "dbidl_r = dbidl_pending_new_return(pending, &dbidl_m);");
        else
                emit(e, "dbidl_r = sd_bus_message_new_method_return(call, &dbidl_m);");
        emit_goto_finish(e);
        for (size_t i = 0; i < m->n_out; i++)
                emit_append(e, m->out[i].type, "dbidl_m", ao[i].base, ao[i].n, true);
        if (deferred) {
                emit(e, "dbidl_r = dbidl_pending_send(pending, dbidl_m);");
                emit(e, "sd_bus_message_unref(dbidl_m);");
                emit(e, "return dbidl_r;");
        } else
                emit(e, "dbidl_r = sd_bus_send(NULL, dbidl_m, NULL);");
        dedent(e);
        emit(e, "finish:");
        indent(e);
        if (deferred)
                emit(e, "/* the outputs could not be sent: the caller gets the error instead */");
        emit(e, "sd_bus_message_unref(dbidl_m);");
        if (deferred) {
                emit(e, "(void) dbidl_pending_reply_errno(pending, dbidl_r);");
                emit(e, "return dbidl_r;");
        } else
                emit(e, "return dbidl_r < 0 ? dbidl_r : DBIDL_REPLIED;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        arg_names_free(a, m->n_in + m->n_out);
}

static void emit_property(printer *e, const idl_interface *it, const idl_property *p, const char *pup) {
        const char *handlers = cname(e, CN_HANDLERS, it, NULL), *getter = cname(e, CN_GET, it, &p->c);
        if (property_stored(it, p)) {
                /* the vtable names dbidl_object_stored_get(): Get and GetAll read the kept value */
        } else if (property_readable(p)) {
                const char *field = cname(e, CN_GET_FIELD, it, &p->c);
                emit(e, "static int dbidl_%s(sd_bus *dbidl_bus, const char *dbidl_path, const char *dbidl_interface,",
                     getter);
                emit(e, "                const char *dbidl_property, sd_bus_message *dbidl_reply, void *dbidl_userdata,");
                emit(e, "                sd_bus_error *dbidl_error) {");
                indent(e);
                emit(e, "const dbidl_object *dbidl_o = dbidl_userdata;");
                emit(e, "const %s *dbidl_h = dbidl_o->handlers;", handlers);
                emit_out_local(e, p->type, "out_value");
                emit(e, "bool dbidl_got = false;");
                emit(e, "int dbidl_r;");
                emit_blank(e);
                emit_local_init(e, p->type, "out_value");
                emit(e, "(void) dbidl_bus;");
                emit(e, "(void) dbidl_path;");
                emit(e, "(void) dbidl_interface;");
                emit(e, "if (!dbidl_h->%s)", field);
                indent(e);
                emit(e, "return dbidl_object_not_supported(dbidl_error, %s, dbidl_property);", pup);
                dedent(e);
                emit(e, "dbidl_r = dbidl_h->%s(dbidl_o->userdata, &out_value%s, dbidl_error);", field,
                     shape_has_count(type_shape(p->type)) ? ", &out_value_n" : "");
                emit_goto_finish(e);
                emit(e, "dbidl_got = true;");
                emit_append(e, p->type, "dbidl_reply", "out_value", "out_value_n", false);
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit(e, "if (dbidl_r < 0 && dbidl_got)");
                indent(e);
                emit(e, "/* the handler's value could not be sent: the service's fault, not the caller's */");
                emit(e, "dbidl_r = dbidl_object_reply_failed(dbidl_error, dbidl_property, \"value\", dbidl_r);");
                dedent(e);
                emit_free(e, p->type, true, "out_value");
                emit(e, "return dbidl_r < 0 ? dbidl_r : 1;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        } else {
                emit(e, "static int dbidl_%s(sd_bus *dbidl_bus, const char *dbidl_path, const char *dbidl_interface,",
                     getter);
                emit(e, "                const char *dbidl_property, sd_bus_message *dbidl_reply, void *dbidl_userdata,");
                emit(e, "                sd_bus_error *dbidl_error) {");
                indent(e);
                emit(e, "(void) dbidl_bus;");
                emit(e, "(void) dbidl_path;");
                emit(e, "(void) dbidl_reply;");
                emit(e, "(void) dbidl_userdata;");
                emit(e, "return sd_bus_error_setf(dbidl_error, SD_BUS_ERROR_INVALID_ARGS, \"Property %%s.%%s is write-only\",");
                emit(e, "                         dbidl_interface, dbidl_property);");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
        if (property_writable(p)) {
                const char *field = cname(e, CN_SET_FIELD, it, &p->c);
                emit(e, "static int dbidl_%s(sd_bus *dbidl_bus, const char *dbidl_path, const char *dbidl_interface,",
                     cname(e, CN_SET, it, &p->c));
                emit(e, "                const char *dbidl_property, sd_bus_message *dbidl_value, void *dbidl_userdata,");
                emit(e, "                sd_bus_error *dbidl_error) {");
                indent(e);
                emit(e, "const dbidl_object *dbidl_o = dbidl_userdata;");
                emit(e, "const %s *dbidl_h = dbidl_o->handlers;", handlers);
                emit_local_decl(e, p->type, false, "in_value");
                emit(e, "bool dbidl_read = false;");
                emit(e, "int dbidl_r;");
                emit_blank(e);
                emit_local_init(e, p->type, "in_value");
                if (!property_stored(it, p)) {
                        emit(e, "if (!dbidl_h->%s)", field);
                        indent(e);
                        emit(e, "return dbidl_object_not_supported(dbidl_error, %s, dbidl_property);", pup);
                        dedent(e);
                }
                emit_read(e, p->type, false, "dbidl_value", "in_value");
                emit(e, "dbidl_read = true;");
                strbuf b;
                FILE *f = strbuf_open(&b);
                if (f)
                        borrowed_args(f, p->type, "in_value");
                char *args = strbuf_close(&b);
                if (property_stored(it, p)) {
                        /* @stored: the handler, if any, only vets the value; the store queues the change */
                        emit(e, "dbidl_r = dbidl_h->%s ? dbidl_h->%s(dbidl_o->userdata, %s, dbidl_error) : 0;", field,
                             field, args);
                        emit_goto_finish(e);
                        emit(e, "(void) dbidl_interface;");
                        emit(e, "dbidl_r = %s(dbidl_bus, dbidl_path, %s);", cname(e, CN_STORE, it, &p->c), args);
                } else {
                        emit(e, "dbidl_r = dbidl_h->%s(dbidl_o->userdata, %s, dbidl_error);", field, args);
                        if (property_notifies(p)) {
                                emit_goto_finish(e);
                                emit(e, "/* PropertiesChanged after a successful Set, as @emits asks; the value is set either way */");
                                emit(e, "(void) sd_bus_emit_properties_changed(dbidl_bus, dbidl_path, dbidl_interface, dbidl_property, NULL);");
                        } else {
                                emit(e, "(void) dbidl_bus;");
                                emit(e, "(void) dbidl_path;");
                                emit(e, "(void) dbidl_interface;");
                        }
                }
                free(args);
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit(e, "if (dbidl_r < 0 && !dbidl_read)");
                indent(e);
                emit(e, "dbidl_r = dbidl_object_invalid_property(dbidl_error, dbidl_property, dbidl_r);");
                dedent(e);
                emit_free(e, p->type, false, "in_value");
                emit(e, "return dbidl_r < 0 ? dbidl_r : 1;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
}

/* SD_BUS_ARGS("i", a, "i", b) when the names survive macro expansion, else NULL. */
static char *vtable_args(const idl_field *fields, size_t n) {
        if (n > 24)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!arg_name_macro_safe(fields[i].name))
                        return NULL;
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s\"%s\", %s", i ? ", " : "", fields[i].type->signature, fields[i].name);
        return strbuf_close(&b);
}

/* "a\0" "b\0" for SD_BUS_*_WITH_NAMES: the literal form every name survives. */
static char *vtable_names(const idl_field *fields, size_t n, bool terminate) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fputs("\"\"", f);
        for (size_t i = 0; i < n; i++)
                fprintf(f, " \"%s\\0\"", fields[i].name);
        if (terminate)
                fputs(" \"\\0\"", f);
        return strbuf_close(&b);
}

static void flags_of(FILE *f, const idl_common *c, const char *extra) {
        bool any = false;
        if (c->deprecated) {
                fputs("SD_BUS_VTABLE_DEPRECATED", f);
                any = true;
        }
        if (extra && *extra) {
                fprintf(f, "%s%s", any ? " | " : "", extra);
                any = true;
        }
        if (!any)
                fputs("0", f);
}

static char *flags_str(const idl_common *c, const char *extra) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        flags_of(f, c, extra);
        return strbuf_close(&b);
}

/* One method entry: SD_BUS_METHOD_WITH_ARGS, or SD_BUS_METHOD_WITH_NAMES when a name is a macro. */
static void emit_vtable_method(printer *e, const idl_interface *it, const idl_method *m) {
        char *fl = flags_str(&m->c, m->noreply ? "SD_BUS_VTABLE_METHOD_NO_REPLY" : NULL);
        char *in = vtable_args(m->in, m->n_in), *out = vtable_args(m->out, m->n_out);
        if (in && out)
                emit(e, "SD_BUS_METHOD_WITH_ARGS(\"%s\", %s%s%s, %s%s%s, dbidl_%s, %s),", m->c.dbus_name,
                     m->n_in ? "SD_BUS_ARGS(" : "SD_BUS_NO_ARGS", m->n_in ? in : "", m->n_in ? ")" : "",
                     m->n_out ? "SD_BUS_RESULT(" : "SD_BUS_NO_RESULT", m->n_out ? out : "", m->n_out ? ")" : "",
                     cname(e, CN_CALL, it, &m->c), fl ? fl : "0");
        else {
                char *in_names = vtable_names(m->in, m->n_in, false);
                char *out_names = vtable_names(m->out, m->n_out, true);
                emit(e, "SD_BUS_METHOD_WITH_NAMES(\"%s\", \"%s\", %s, \"%s\", %s, dbidl_%s, %s),",
                     m->c.dbus_name, m->in_signature, in_names ? in_names : "\"\"", m->out_signature,
                     out_names ? out_names : "\"\"", cname(e, CN_CALL, it, &m->c), fl ? fl : "0");
                free(in_names);
                free(out_names);
        }
        free(in);
        free(out);
        free(fl);
}

static void emit_vtable_signal(printer *e, const idl_signal *s) {
        char *fl = flags_str(&s->c, NULL);
        char *args = vtable_args(s->args, s->n_args);
        if (args)
                emit(e, "SD_BUS_SIGNAL_WITH_ARGS(\"%s\", %s%s%s, %s),", s->c.dbus_name,
                     s->n_args ? "SD_BUS_ARGS(" : "SD_BUS_NO_ARGS", s->n_args ? args : "", s->n_args ? ")" : "",
                     fl ? fl : "0");
        else {
                char *names = vtable_names(s->args, s->n_args, true);
                emit(e, "SD_BUS_SIGNAL_WITH_NAMES(\"%s\", \"%s\", %s, %s),", s->c.dbus_name, s->signature,
                     names ? names : "\"\"", fl ? fl : "0");
                free(names);
        }
        free(args);
        free(fl);
}

static void emit_vtable_property(printer *e, const idl_interface *it, const idl_property *p) {
        static const char *const emits_flag[] = {
                [IDL_EMITS_CHANGE] = "SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE",
                [IDL_EMITS_INVALIDATES] = "SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION",
                [IDL_EMITS_CONST] = "SD_BUS_VTABLE_PROPERTY_CONST",
                [IDL_EMITS_NONE] = "",
        };
        char extra[128];
        idl_emits emits = property_emits(p);
        snprintf(extra, sizeof extra, "%s%s%s", emits_flag[emits],
                 p->access == IDL_ACCESS_WRITEONLY && emits != IDL_EMITS_NONE ? " | " : "",
                 p->access == IDL_ACCESS_WRITEONLY ? "SD_BUS_VTABLE_PROPERTY_EXPLICIT" : "");
        char *fl = flags_str(&p->c, extra);
        char *getter = property_stored(it, p) ? strdup("dbidl_object_stored_get")
                                               : local_name("dbidl_", cname(e, CN_GET, it, &p->c));
        if (!getter)
                e->error = -ENOMEM;
        else if (property_writable(p))
                emit(e, "SD_BUS_WRITABLE_PROPERTY(\"%s\", \"%s\", %s, dbidl_%s, 0, %s),",
                     p->c.dbus_name, p->type->signature, getter, cname(e, CN_SET, it, &p->c), fl ? fl : "0");
        else
                emit(e, "SD_BUS_PROPERTY(\"%s\", \"%s\", %s, 0, %s),", p->c.dbus_name,
                     p->type->signature, getter, fl ? fl : "0");
        free(getter);
        free(fl);
}

static void emit_vtable(printer *e, const idl_interface *it) {
        char *fl = flags_str(&it->c, NULL);
        emit(e, "static const sd_bus_vtable dbidl_%s_vtable[] = {", it->c_prefix);
        indent(e);
        emit(e, "SD_BUS_VTABLE_START(%s),", fl ? fl : "0");
        free(fl);
        for (size_t i = 0; i < it->n_methods; i++)
                emit_vtable_method(e, it, &it->methods[i]);
        for (size_t i = 0; i < it->n_signals; i++)
                emit_vtable_signal(e, &it->signals[i]);
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (property_served(p))
                        emit_vtable_property(e, it, p);
                else
                        emit(e, "/* \"%s\" left out: no D-Bus member name, which sd-bus refuses (-EINVAL) */",
                             p->c.dbus_name);
        }
        emit(e, "SD_BUS_VTABLE_END");
        dedent(e);
        emit(e, "};");
        emit_blank(e);
}

static void emit_emitters(printer *e, const idl_interface *it, const char *pup) {
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                arg_names *a = signal_arg_names(s);
                char *proto = a ? proto_emit(e, it, s, a) : NULL;
                if (!proto) {
                        arg_names_free(a, s->n_args);
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "%s {", proto);
                free(proto);
                indent(e);
                emit(e, "sd_bus_message *dbidl_m = NULL;");
                emit(e, "int dbidl_r;");
                emit_blank(e);
                emit(e, "dbidl_r = sd_bus_message_new_signal(bus, &dbidl_m, path, %s, \"%s\");", pup,
                     s->c.dbus_name);
                emit_goto_finish(e);
                for (size_t k = 0; k < s->n_args; k++)
                        emit_append(e, s->args[k].type, "dbidl_m", a[k].base, a[k].n, true);
                emit(e, "dbidl_r = sd_bus_send(bus, dbidl_m, NULL);");
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit(e, "sd_bus_message_unref(dbidl_m);");
                emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
                arg_names_free(a, s->n_args);
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_notifies(p) || !property_served(p))
                        continue;
                char *proto = proto_notify(e, it, p);
                if (!proto) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "%s {", proto);
                free(proto);
                indent(e);
                emit(e, "int dbidl_r = sd_bus_emit_properties_changed(bus, path, %s, \"%s\", NULL);", pup,
                     p->c.dbus_name);
                emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
}

/* P_store_m(bus, path, value): the value into a message, kept by the runtime (dbidl_object_store()). */
static void emit_store(printer *e, const idl_interface *it, const idl_property *p, const char *pup) {
        char *proto = proto_store(e, it, p);
        if (!proto) {
                e->error = -ENOMEM;
                return;
        }
        emit(e, "%s {", proto);
        free(proto);
        indent(e);
        emit(e, "sd_bus_message *dbidl_m = NULL;");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit(e, "dbidl_r = dbidl_object_store_new(bus, &dbidl_m);");
        emit_goto_finish(e);
        emit_append(e, p->type, "dbidl_m", "value", "n_value", true);
        emit(e, "dbidl_r = dbidl_object_store(bus, path, %s, \"%s\", dbidl_m);", pup, p->c.dbus_name);
        dedent(e);
        emit(e, "finish:");
        indent(e);
        emit(e, "sd_bus_message_unref(dbidl_m);");
        emit(e, "return dbidl_r;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_interface(printer *e, const idl_interface *it) {
        const char *pup = cname(e, CN_INTERFACE_CONST, it, NULL);
        char *proto = proto_export(e, it);
        if (!proto) {
                e->error = -ENOMEM;
                return;
        }
        emit(e, "/* ---- %s ---- */", it->c.name);
        emit_blank(e);
        for (size_t i = 0; i < it->n_methods; i++)
                emit_method(e, it, &it->methods[i], pup);
        for (size_t i = 0; i < it->n_properties; i++)
                if (property_served(&it->properties[i]))
                        emit_property(e, it, &it->properties[i], pup);
        emit_vtable(e, it);
        emit(e, "%s {", proto);
        indent(e);
        emit(e, "if (!handlers)");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        emit(e, "return dbidl_object_export%s(bus, path, %s, dbidl_%s_vtable, handlers, userdata, ret_slot);",
             it->stored ? "_stored" : "", pup, it->c_prefix);
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit_emitters(e, it, pup);
        for (size_t i = 0; i < it->n_properties; i++)
                if (property_stored(it, &it->properties[i]))
                        emit_store(e, it, &it->properties[i], pup);
        for (size_t i = 0; i < it->n_methods; i++)
                if (!it->methods[i].noreply) {
                        emit_method_answer(e, it, &it->methods[i], false);
                        emit_method_answer(e, it, &it->methods[i], true);
                }
        free(proto);
}

int codegen_server(const idl_file *f, const codegen_options *o, FILE *out, FILE *err) {
        return codegen_c_source(f, o, out, err,
                                "Server skeletons: the static vtables, handler trampolines, signal and "
                                "PropertiesChanged emitters.",
                                emit_interface);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-client.c — the C back end's client stubs: proxies, blocking and async calls, signal slots, properties */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"

static void emit_signature_line(printer *e, char *proto) {
        if (!proto) {
                e->error = e->error ? e->error : -ENOMEM;
                return;
        }
        emit(e, "%s {", proto);
        free(proto);
}


/* The arguments standing for "no value" of a type, passed to a failed call's callback. */
static void zero_args(FILE *f, const idl_type *t) {
        switch (type_shape(t)) {
        case SHAPE_SCALAR:
                fputs("0", f);
                break;
        case SHAPE_BOOL:
                fputs("false", f);
                break;
        case SHAPE_FD:
                fputs("-1", f);
                break;
        case SHAPE_ENUM:
                fprintf(f, "(%s) 0", types_vtype(t));
                break;
        default:
                fputs(shape_has_count(type_shape(t)) ? "NULL, 0" : "NULL", f);
                break;
        }
}

/* Emit locals, read and release of `fields` from message `msg`, named prefix+base. */
static void emit_locals(printer *e, const idl_field *fields, size_t n, const arg_names *a, const char *prefix,
                        bool owned) {
        for (size_t i = 0; i < n; i++) {
                char *name = local_name(prefix, a[i].base);
                if (!name) {
                        e->error = -ENOMEM;
                        return;
                }
                emit_local_decl(e, fields[i].type, owned, name);
                free(name);
        }
}

static void emit_inits(printer *e, const idl_field *fields, size_t n, const arg_names *a, const char *prefix) {
        for (size_t i = 0; i < n; i++) {
                char *name = local_name(prefix, a[i].base);
                if (!name) {
                        e->error = -ENOMEM;
                        return;
                }
                emit_local_init(e, fields[i].type, name);
                free(name);
        }
}

/* With `reply_of` (a method's D-Bus name), each read is preceded by dbidl_what naming the output, for the error. */
static void emit_reads(printer *e, const idl_field *fields, size_t n, const arg_names *a, const char *prefix,
                       bool owned, const char *msg, const char *reply_of) {
        for (size_t i = 0; i < n; i++) {
                char *name = local_name(prefix, a[i].base);
                if (!name) {
                        e->error = -ENOMEM;
                        return;
                }
                if (reply_of)
                        emit(e, "dbidl_what = \"output '%s' in the reply of %s\";", fields[i].name, reply_of);
                emit_read(e, fields[i].type, owned, msg, name);
                free(name);
        }
}

static void emit_frees(printer *e, const idl_field *fields, size_t n, const arg_names *a, const char *prefix,
                       bool owned) {
        for (size_t i = 0; i < n; i++) {
                char *name = local_name(prefix, a[i].base);
                if (!name) {
                        e->error = -ENOMEM;
                        return;
                }
                emit_free(e, fields[i].type, owned, name);
                free(name);
        }
}

static void emit_appends(printer *e, const idl_field *fields, size_t n, const arg_names *a, const char *msg) {
        for (size_t i = 0; i < n; i++)
                emit_append(e, fields[i].type, msg, a[i].base, a[i].n, true);
}

static void emit_new_call(printer *e, const idl_method *m) {
        emit(e, "dbidl_r = dbidl_proxy_new_call((dbidl_proxy *) proxy, \"%s\", &dbidl_m);", m->c.dbus_name);
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "goto finish;");
        dedent(e);
}

static void emit_method_call(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        const arg_names *ao = a + m->n_in;
        emit_signature_line(e, proto_method_call(e, it, m, a));
        indent(e);
        emit(e, "sd_bus_message *dbidl_m = NULL;");
        if (!m->noreply)
                emit(e, "sd_bus_message *dbidl_reply = NULL;");
        emit_locals(e, m->out, m->n_out, ao, "out_", true);
        if (!m->noreply && m->n_out)
                emit(e, "const char *dbidl_what = NULL; /* the output being read */");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit_inits(e, m->out, m->n_out, ao, "out_");
        emit_new_call(e, m);
        emit_appends(e, m->in, m->n_in, a, "dbidl_m");
        if (m->noreply) {
                emit(e, "dbidl_r = dbidl_proxy_send((dbidl_proxy *) proxy, dbidl_m);");
        } else {
                emit(e, "dbidl_r = dbidl_proxy_call((dbidl_proxy *) proxy, dbidl_m, timeout_usec, ret_error, &dbidl_reply);");
                emit(e, "if (dbidl_r < 0)");
                indent(e);
                emit(e, "goto finish;");
                dedent(e);
                emit(e, "dbidl_r = dbidl_message_check_signature(dbidl_reply, \"%s\", ret_error);", m->out_signature);
                emit(e, "if (dbidl_r < 0)");
                indent(e);
                emit(e, "goto finish;");
                dedent(e);
                emit_reads(e, m->out, m->n_out, ao, "out_", true, "dbidl_reply", m->c.dbus_name);
                for (size_t i = 0; i < m->n_out; i++) {
                        char *name = local_name("out_", ao[i].base);
                        if (!name) {
                                e->error = -ENOMEM;
                                return;
                        }
                        emit_move_out(e, m->out[i].type, name, ao[i].ret, ao[i].ret_n);
                        free(name);
                }
        }
        dedent(e);
        emit(e, "finish:");
        indent(e);
        if (!m->noreply && m->n_out) {
                emit(e, "if (dbidl_r < 0 && dbidl_what)");
                indent(e);
                emit(e, "/* a value of the reply the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */");
                emit(e, "dbidl_r = dbidl_proxy_invalid_reply(ret_error, dbidl_what, dbidl_r);");
                dedent(e);
        }
        emit_frees(e, m->out, m->n_out, ao, "out_", true);
        if (!m->noreply)
                emit(e, "sd_bus_message_unref(dbidl_reply);");
        emit(e, "sd_bus_message_unref(dbidl_m);");
        emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_method_async(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        const char *proxy = cname(e, CN_PROXY, it, NULL), *async = cname(e, CN_ASYNC, it, &m->c);
        const char *fn = cname(e, CN_REPLY_FN, it, &m->c);
        const arg_names *ao = a + m->n_in;

        /* the trampoline: decode the reply, call the typed callback */
        emit(e, "static void dbidl_%s(sd_bus_message *dbidl_m, const dbidl_callback *dbidl_cb) {", async);
        indent(e);
        emit(e, "%s dbidl_fn = (%s) dbidl_cb->callback;", fn, fn);
        emit(e, "sd_bus_error dbidl_error = SD_BUS_ERROR_NULL;");
        emit_locals(e, m->out, m->n_out, ao, "out_", false);
        if (m->n_out)
                emit(e, "const char *dbidl_what = NULL; /* the output being read */");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit_inits(e, m->out, m->n_out, ao, "out_");
        emit(e, "if (sd_bus_message_is_method_error(dbidl_m, NULL)) {");
        indent(e);
        emit(e, "(void) sd_bus_error_copy(&dbidl_error, sd_bus_message_get_error(dbidl_m));");
        emit(e, "dbidl_r = -EIO;");
        emit(e, "goto finish;");
        dedent(e);
        emit(e, "}");
        emit(e, "dbidl_r = dbidl_message_check_signature(dbidl_m, \"%s\", &dbidl_error);", m->out_signature);
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "goto finish;");
        dedent(e);
        emit_reads(e, m->out, m->n_out, ao, "out_", false, "dbidl_m", m->c.dbus_name);
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f) {
                e->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < m->n_out; i++) {
                char *name = local_name("out_", ao[i].base);
                fputs(", ", f);
                if (name)
                        borrowed_args(f, m->out[i].type, name);
                free(name);
        }
        char *ok_args = strbuf_close(&b);
        f = strbuf_open(&b);
        if (!f) {
                free(ok_args);
                e->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < m->n_out; i++) {
                fputs(", ", f);
                zero_args(f, m->out[i].type);
        }
        char *zero = strbuf_close(&b);
        emit(e, "dbidl_fn((%s *) dbidl_cb->proxy, NULL%s, dbidl_cb->userdata);", proxy, ok_args);
        dedent(e);
        emit(e, "finish:");
        indent(e);
        emit(e, "if (dbidl_r < 0) {");
        indent(e);
        if (m->n_out) {
                emit(e, "if (dbidl_what)");
                indent(e);
                emit(e, "/* a value of the reply the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */");
                emit(e, "(void) dbidl_proxy_invalid_reply(&dbidl_error, dbidl_what, dbidl_r);");
                dedent(e);
        }
        emit(e, "if (!sd_bus_error_is_set(&dbidl_error))");
        indent(e);
        emit(e, "sd_bus_error_set_errno(&dbidl_error, dbidl_r);");
        dedent(e);
        emit(e, "dbidl_fn((%s *) dbidl_cb->proxy, &dbidl_error%s, dbidl_cb->userdata);", proxy, zero);
        dedent(e);
        emit(e, "}");
        free(ok_args);
        free(zero);
        emit_frees(e, m->out, m->n_out, ao, "out_", false);
        emit(e, "sd_bus_error_free(&dbidl_error);");
        dedent(e);
        emit(e, "}");
        emit_blank(e);

        emit_signature_line(e, proto_method_async(e, it, m, a));
        indent(e);
        emit(e, "sd_bus_message *dbidl_m = NULL;");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit(e, "if (!callback)");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        emit_new_call(e, m);
        emit_appends(e, m->in, m->n_in, a, "dbidl_m");
        emit(e, "dbidl_r = dbidl_proxy_call_async((dbidl_proxy *) proxy, dbidl_m, timeout_usec, dbidl_%s,", async);
        emit(e, "                                 (void (*)(void)) callback, userdata, ret_slot);");
        dedent(e);
        emit(e, "finish:");
        indent(e);
        emit(e, "sd_bus_message_unref(dbidl_m);");
        emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_signal(printer *e, const idl_interface *it, const idl_signal *s) {
        const char *proxy = cname(e, CN_PROXY, it, NULL), *connect = cname(e, CN_CONNECT, it, &s->c);
        const char *fn = cname(e, CN_SIGNAL_FN, it, &s->c);
        arg_names *a = signal_arg_names(s);
        if (!a) {
                e->error = -ENOMEM;
                return;
        }
        emit(e, "static void dbidl_%s(sd_bus_message *dbidl_m, const dbidl_callback *dbidl_cb) {", connect);
        indent(e);
        emit(e, "%s dbidl_fn = (%s) dbidl_cb->callback;", fn, fn);
        emit_locals(e, s->args, s->n_args, a, "in_", false);
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit_inits(e, s->args, s->n_args, a, "in_");
        emit(e, "dbidl_r = dbidl_message_check_signature(dbidl_m, \"%s\", NULL);", s->signature);
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "goto finish;");
        dedent(e);
        emit_reads(e, s->args, s->n_args, a, "in_", false, "dbidl_m", NULL);
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f) {
                arg_names_free(a, s->n_args);
                e->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < s->n_args; i++) {
                char *name = local_name("in_", a[i].base);
                fputs(", ", f);
                if (name)
                        borrowed_args(f, s->args[i].type, name);
                free(name);
        }
        char *args = strbuf_close(&b);
        emit(e, "dbidl_fn((%s *) dbidl_cb->proxy%s, dbidl_cb->userdata);", proxy, args);
        free(args);
        dedent(e);
        emit(e, "finish:");
        indent(e);
        emit(e, "if (dbidl_r < 0 && dbidl_r != -ENOMEM)");
        indent(e);
        emit(e, "/* another signature, or a value the IDL refuses (-EDOM: an undeclared enum value): never dropped");
        emit(e, " * silently, but counted and reported once (dbidl_proxy_set_diagnostic_handler()) */");
        emit(e, "dbidl_proxy_report_bad_message(dbidl_cb->proxy, dbidl_m, \"%s\");", s->signature);
        dedent(e);
        emit_frees(e, s->args, s->n_args, a, "in_", false);
        emit(e, "return;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);

        emit_signature_line(e, proto_connect(e, it, s));
        indent(e);
        emit(e, "if (!handler)");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        emit(e, "return dbidl_proxy_match_signal((dbidl_proxy *) proxy, \"%s\", dbidl_%s,", s->c.dbus_name, connect);
        emit(e, "                                (void (*)(void)) handler, userdata, ret_slot);");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        arg_names_free(a, s->n_args);
}

/*
 * A property getter: from the service with Get (blocking) or from the proxy's
 * cache.  Both fetch a message positioned at the value and read it the same way.
 */
static void emit_property_getter(printer *e, const idl_interface *it, const idl_property *p, bool cached) {
        const arg_names *v = property_value_names();
        emit_signature_line(e, cached ? proto_property_get_cached(e, it, p) : proto_property_get(e, it, p));
        indent(e);
        emit(e, "sd_bus_message *dbidl_m = NULL;");
        emit_local_decl(e, p->type, true, "out_value");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit_local_init(e, p->type, "out_value");
        if (cached)
                emit(e, "dbidl_r = dbidl_proxy_get_cached_property((dbidl_proxy *) proxy, \"%s\", \"%s\", &dbidl_m);",
                     p->c.dbus_name, p->type->signature);
        else
                emit(e, "dbidl_r = dbidl_proxy_get_property((dbidl_proxy *) proxy, \"%s\", \"%s\", ret_error, &dbidl_m);",
                     p->c.dbus_name, p->type->signature);
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "goto finish;");
        dedent(e);
        emit_read(e, p->type, true, "dbidl_m", "out_value");
        emit_move_out(e, p->type, "out_value", v->ret, v->ret_n);
        dedent(e);
        emit(e, "finish:");
        indent(e);
        if (!cached) {
                emit(e, "if (dbidl_r < 0 && dbidl_m)");
                indent(e);
                emit(e, "/* a value the IDL refuses (-EDOM: an undeclared enum value): InvalidArgs */");
                emit(e, "dbidl_r = dbidl_proxy_invalid_reply(ret_error, \"value of property '%s' in the reply of Get\", dbidl_r);",
                     p->c.dbus_name);
                dedent(e);
        }
        emit_free(e, p->type, true, "out_value");
        emit(e, "sd_bus_message_unref(dbidl_m);");
        emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_property(printer *e, const idl_interface *it, const idl_property *p) {
        const arg_names *v = property_value_names();
        if (property_readable(p)) {
                emit_property_getter(e, it, p, false);
                emit_property_getter(e, it, p, true);
        }
        if (property_readable(p) && property_notifies(p)) {
                const char *proxy = cname(e, CN_PROXY, it, NULL), *watch = cname(e, CN_WATCH, it, &p->c);
                const char *fn = cname(e, CN_CHANGED_FN, it, &p->c);
                emit(e, "static void dbidl_%s(sd_bus_message *dbidl_m, const dbidl_callback *dbidl_cb) {", watch);
                indent(e);
                emit(e, "%s dbidl_fn = (%s) dbidl_cb->callback;", fn, fn);
                emit_local_decl(e, p->type, false, "in_value");
                emit(e, "int dbidl_r = 0;");
                emit_blank(e);
                emit_local_init(e, p->type, "in_value");
                strbuf b;
                FILE *f = strbuf_open(&b);
                if (f)
                        borrowed_args(f, p->type, "in_value");
                char *ok_args = strbuf_close(&b);
                f = strbuf_open(&b);
                if (f)
                        zero_args(f, p->type);
                char *zero = strbuf_close(&b);
                emit(e, "if (!dbidl_m) {");
                indent(e);
                emit(e, "dbidl_fn((%s *) dbidl_cb->proxy, true, %s, dbidl_cb->userdata);", proxy, zero);
                emit(e, "goto finish;");
                dedent(e);
                emit(e, "}");
                emit_read(e, p->type, false, "dbidl_m", "in_value");
                emit(e, "dbidl_fn((%s *) dbidl_cb->proxy, false, %s, dbidl_cb->userdata);", proxy, ok_args);
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit(e, "/* a value the IDL refuses never gets here: the runtime checked it against the proxy's table");
                emit(e, " * and reported it, once; a read that fails now (-ENOMEM) is not the service's fault */");
                emit_free(e, p->type, false, "in_value");
                emit(e, "return;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
                free(ok_args);
                free(zero);

                emit_signature_line(e, proto_connect_changed(e, it, p));
                indent(e);
                emit(e, "if (!handler)");
                indent(e);
                emit(e, "return -EINVAL;");
                dedent(e);
                emit(e, "return dbidl_proxy_match_property((dbidl_proxy *) proxy, \"%s\", \"%s\", dbidl_%s,",
                     p->c.dbus_name, p->type->signature, watch);
                emit(e, "                                  (void (*)(void)) handler, userdata, ret_slot);");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
        if (property_writable(p)) {
                emit_signature_line(e, proto_property_set(e, it, p));
                indent(e);
                emit(e, "sd_bus_message *dbidl_m = NULL;");
                emit(e, "int dbidl_r;");
                emit_blank(e);
                emit(e, "dbidl_r = dbidl_proxy_set_property_begin((dbidl_proxy *) proxy, \"%s\", \"%s\", &dbidl_m);",
                     p->c.dbus_name, p->type->signature);
                emit(e, "if (dbidl_r < 0)");
                indent(e);
                emit(e, "goto finish;");
                dedent(e);
                emit_append(e, p->type, "dbidl_m", v->base, v->n, true);
                emit(e, "dbidl_r = dbidl_proxy_set_property_end((dbidl_proxy *) proxy, dbidl_m, ret_error);");
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit(e, "sd_bus_message_unref(dbidl_m);");
                emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
}

/*
 * What the proxy checks every property value against before it caches it or
 * passes it to a change slot (dbidl_proxy_set_properties()): a static table
 * of names and signatures, with a check function for the properties whose
 * values an enum makes refusable.
 */
static void emit_property_table(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix;
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!type_has_enum(p->type))
                        continue;
                emit(e, "/* 0 if the IDL accepts the %s value at dbidl_m, -EDOM for an undeclared enum value */",
                     p->c.dbus_name);
                emit(e, "static int dbidl_%s(sd_bus_message *dbidl_m) {", cname(e, CN_CACHED, it, &p->c));
                indent(e);
                emit_local_decl(e, p->type, false, "in_value");
                emit(e, "int dbidl_r;");
                emit_blank(e);
                emit_local_init(e, p->type, "in_value");
                emit_read(e, p->type, false, "dbidl_m", "in_value");
                dedent(e);
                emit(e, "finish:");
                indent(e);
                emit_free(e, p->type, false, "in_value");
                emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
        emit(e, "static const dbidl_property_info dbidl_%s_properties[] = {", P);
        indent(e);
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (type_has_enum(p->type))
                        emit(e, "{ \"%s\", \"%s\", dbidl_%s },", p->c.dbus_name, p->type->signature,
                             cname(e, CN_CACHED, it, &p->c));
                else
                        emit(e, "{ \"%s\", \"%s\", NULL },", p->c.dbus_name, p->type->signature);
        }
        dedent(e);
        emit(e, "};");
        emit_blank(e);
}

static void emit_interface(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix, *proxy = cname(e, CN_PROXY, it, NULL);
        emit(e, "/* ---- %s ---- */", it->c.name);
        emit_blank(e);
        if (it->n_properties)
                emit_property_table(e, it);
        emit(e, "int %s(sd_bus *bus, const char *destination, const char *path, %s **ret) {",
             cname(e, CN_PROXY_NEW, it, NULL), proxy);
        indent(e);
        emit(e, "dbidl_proxy *dbidl_p = NULL;");
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit(e, "if (!ret)");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        emit(e, "dbidl_r = dbidl_proxy_new(bus, destination, path, %s, &dbidl_p);", cname(e, CN_INTERFACE_CONST, it, NULL));
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "return dbidl_r;");
        dedent(e);
        if (it->n_properties) {
                emit(e, "/* the cache and the change slots check property values against the IDL */");
                emit(e, "dbidl_r = dbidl_proxy_set_properties(dbidl_p, dbidl_%s_properties,", P);
                emit(e, "                                     sizeof(dbidl_%s_properties) / sizeof(dbidl_%s_properties[0]));",
                     P, P);
                emit(e, "if (dbidl_r < 0) {");
                indent(e);
                emit(e, "dbidl_proxy_unref(dbidl_p);");
                emit(e, "return dbidl_r;");
                dedent(e);
                emit(e, "}");
        }
        emit(e, "*ret = (%s *) dbidl_p;", proxy);
        emit(e, "return 0;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "%s *%s(%s *proxy) {", proxy, cname(e, CN_PROXY_REF, it, NULL), proxy);
        indent(e);
        emit(e, "return (%s *) dbidl_proxy_ref((dbidl_proxy *) proxy);", proxy);
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "%s *%s(%s *proxy) {", proxy, cname(e, CN_PROXY_UNREF, it, NULL), proxy);
        indent(e);
        emit(e, "return (%s *) dbidl_proxy_unref((dbidl_proxy *) proxy);", proxy);
        dedent(e);
        emit(e, "}");
        emit_blank(e);

        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                arg_names *a = method_arg_names(m);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit_method_call(e, it, m, a);
                if (!m->noreply)
                        emit_method_async(e, it, m, a);
                arg_names_free(a, m->n_in + m->n_out);
        }
        for (size_t i = 0; i < it->n_signals; i++)
                emit_signal(e, it, &it->signals[i]);
        for (size_t i = 0; i < it->n_properties; i++)
                emit_property(e, it, &it->properties[i]);
}

int codegen_client(const idl_file *f, const codegen_options *o, FILE *out, FILE *err) {
        return codegen_c_source(f, o, out, err,
                                "Client stubs: proxies, blocking and async calls, signal slots, property access.",
                                emit_interface);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-server.c — the C back end's skeletons: the static vtable, method and property trampolines, emitters */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"


/*
 * The skeleton is a static sd-bus vtable whose entries all go to the
 * runtime (dbidl_object_method(), dbidl_object_property_get() and _set()),
 * the interface's table (dbidl_interface_info), and one adapter,
 * dbidl_P_handle(), that unpacks the runtime's argument arrays into a call
 * of the user's typed handler; the emitters and answers pack their
 * arguments for the runtime (dbidl/generated.h).
 */

/* The handler call of one case: "return !dbidl_v ? dbidl_h->f != NULL : dbidl_h->f(args);". */
static void emit_handler_call(printer *e, const char *field, const char *lead, char *args) {
        if (!args)
                e->error = -ENOMEM;
        emit(e, "return !dbidl_v ? dbidl_h->%s != NULL", field);
        emit(e, "                : dbidl_h->%s(%sdbidl_u%s, dbidl_error);", field, lead, args ? args : "");
        free(args);
}

/* ", <borrowed value of v[first+i]>…" for inputs, ", <ret pointer into v[first+i]>…" for outputs. */
static char *slot_args(printer *e, const idl_field *fields, size_t n, size_t first, bool ret) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        for (size_t i = 0; i < n; i++) {
                char v[32], cnt[32];
                snprintf(v, sizeof v, "dbidl_v[%zu]", first + i);
                snprintf(cnt, sizeof cnt, "dbidl_n[%zu]", first + i);
                sb_puts(f, ", ");
                if (ret)
                        slot_ret(&b, fields[i].type, v, cnt);
                else
                        slot_value(&b, fields[i].type, v, cnt);
        }
        return strbuf_close(&b);
}

static char *concat(char *a, char *b) {
        size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0;
        char *s = a && b ? malloc(na + nb + 1) : NULL;
        if (s) {
                memcpy(s, a, na);
                memcpy(s + na, b, nb + 1);
        }
        free(a);
        free(b);
        return s;
}

/*
 * dbidl_P_handle (dbidl_interface_info.handle): member k's handler for `op`,
 * or with dbidl_v NULL whether the handler table has it.
 */
static void emit_handle(printer *e, const idl_interface *it) {
        emit(e, "static int dbidl_%s_handle(const dbidl_object *dbidl_o, size_t dbidl_k, int dbidl_op, sd_bus_message *dbidl_call,",
             it->c_prefix);
        emit(e, "                void *const *dbidl_v, size_t *dbidl_n, sd_bus_error *dbidl_error) {");
        indent(e);
        emit(e, "const %s *dbidl_h = dbidl_o->handlers;", cname(e, CN_HANDLERS, it, NULL));
        emit(e, "void *dbidl_u = dbidl_o->userdata;");
        emit_blank(e);
        emit(e, "(void) dbidl_h, (void) dbidl_u, (void) dbidl_op, (void) dbidl_call, (void) dbidl_v, (void) dbidl_n;");
        emit(e, "(void) dbidl_error;");
        emit(e, "switch (dbidl_k) {");
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                emit(e, "case %zu: /* %s */", method_index(it, m), m->c.dbus_name);
                indent(e);
                emit_handler_call(e, cname(e, CN_HANDLE_FIELD, it, &m->c), "dbidl_call, ",
                                  concat(slot_args(e, m->in, m->n_in, 0, false),
                                         slot_args(e, m->out, m->n_out, m->n_in, true)));
                dedent(e);
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_served(p))
                        continue;
                bool get = property_readable(p) && !property_stored(it, p), set = property_writable(p);
                if (!get && !set)
                        continue;
                idl_field value = { .name = (char *) "value", .type = p->type };
                emit(e, "case %zu: /* %s */", property_index(it, p), p->c.dbus_name);
                indent(e);
                if (get && set) {
                        emit(e, "if (dbidl_op == DBIDL_OP_GET)");
                        indent(e);
                }
                if (get)
                        emit_handler_call(e, cname(e, CN_GET_FIELD, it, &p->c), "", slot_args(e, &value, 1, 0, true));
                if (get && set)
                        dedent(e);
                if (set)
                        emit_handler_call(e, cname(e, CN_SET_FIELD, it, &p->c), "", slot_args(e, &value, 1, 0, false));
                dedent(e);
        }
        emit(e, "}");
        emit(e, "return 0;");
        close_function(e);
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
        char *refs = a ? in_refs(e, m->out, m->n_out, a + m->n_in) : NULL;
        open_function(e, proto);
        if (refs && *refs)
                emit(e, "const dbidl_in dbidl_rets[] = { %s };", refs);
        emit(e, "return dbidl_%s_return(%s, &dbidl_%s_members[%zu], %s);", deferred ? "pending" : "object",
             deferred ? "pending" : "call", it->c_prefix, method_index(it, m), refs && *refs ? "dbidl_rets" : "NULL");
        close_function(e);
        free(refs);
        arg_names_free(a, m->n_in + m->n_out);
}

/* SD_BUS_ARGS("i", a, "i", b) when the names survive macro expansion, else NULL. */
static char *vtable_args(printer *e, const idl_field *fields, size_t n) {
        if (n > 24)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!arg_name_macro_safe(fields[i].name))
                        return NULL;
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        for (size_t i = 0; i < n; i++)
                sb_printf(f, "%s\"%s\", %s", i ? ", " : "", fields[i].type->signature, fields[i].name);
        return strbuf_close(&b);
}

/* "a\0" "b\0" for SD_BUS_*_WITH_NAMES: the literal form every name survives. */
static char *vtable_names(printer *e, const idl_field *fields, size_t n, bool terminate) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_puts(f, "\"\"");
        for (size_t i = 0; i < n; i++)
                sb_printf(f, " \"%s\\0\"", fields[i].name);
        if (terminate)
                sb_puts(f, " \"\\0\"");
        return strbuf_close(&b);
}

static void flags_of(strbuf *f, const idl_common *c, const char *extra) {
        bool any = false;
        if (c->deprecated) {
                sb_puts(f, "SD_BUS_VTABLE_DEPRECATED");
                any = true;
        }
        if (extra && *extra) {
                sb_printf(f, "%s%s", any ? " | " : "", extra);
                any = true;
        }
        if (!any)
                sb_puts(f, "0");
}

static char *flags_str(printer *e, const idl_common *c, const char *extra) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        flags_of(f, c, extra);
        return strbuf_close(&b);
}

/* One method entry: SD_BUS_METHOD_WITH_ARGS, or SD_BUS_METHOD_WITH_NAMES when a name is a macro. */
static void emit_vtable_method(printer *e, const idl_interface *it, const idl_method *m) {
        char *fl = flags_str(e, &m->c, m->noreply ? "SD_BUS_VTABLE_METHOD_NO_REPLY" : NULL);
        char *in = vtable_args(e, m->in, m->n_in), *out = vtable_args(e, m->out, m->n_out);
        if (in && out)
                emit(e, "SD_BUS_METHOD_WITH_ARGS(\"%s\", %s%s%s, %s%s%s, dbidl_object_method, %s),", m->c.dbus_name,
                     m->n_in ? "SD_BUS_ARGS(" : "SD_BUS_NO_ARGS", m->n_in ? in : "", m->n_in ? ")" : "",
                     m->n_out ? "SD_BUS_RESULT(" : "SD_BUS_NO_RESULT", m->n_out ? out : "", m->n_out ? ")" : "",
                     fl ? fl : "0");
        else {
                char *in_names = vtable_names(e, m->in, m->n_in, false);
                char *out_names = vtable_names(e, m->out, m->n_out, true);
                emit(e, "SD_BUS_METHOD_WITH_NAMES(\"%s\", \"%s\", %s, \"%s\", %s, dbidl_object_method, %s),",
                     m->c.dbus_name, m->in_signature, in_names ? in_names : "\"\"", m->out_signature,
                     out_names ? out_names : "\"\"", fl ? fl : "0");
                free(in_names);
                free(out_names);
        }
        free(in);
        free(out);
        free(fl);
}

static void emit_vtable_signal(printer *e, const idl_signal *s) {
        char *fl = flags_str(e, &s->c, NULL);
        char *args = vtable_args(e, s->args, s->n_args);
        if (args)
                emit(e, "SD_BUS_SIGNAL_WITH_ARGS(\"%s\", %s%s%s, %s),", s->c.dbus_name,
                     s->n_args ? "SD_BUS_ARGS(" : "SD_BUS_NO_ARGS", s->n_args ? args : "", s->n_args ? ")" : "",
                     fl ? fl : "0");
        else {
                char *names = vtable_names(e, s->args, s->n_args, true);
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
        char *fl = flags_str(e, &p->c, extra);
        const char *getter = property_stored(it, p) ? "dbidl_object_stored_get" : "dbidl_object_property_get";
        if (property_writable(p))
                emit(e, "SD_BUS_WRITABLE_PROPERTY(\"%s\", \"%s\", %s, dbidl_object_property_set, 0, %s),",
                     p->c.dbus_name, p->type->signature, getter, fl ? fl : "0");
        else
                emit(e, "SD_BUS_PROPERTY(\"%s\", \"%s\", %s, 0, %s),", p->c.dbus_name, p->type->signature, getter,
                     fl ? fl : "0");
        free(fl);
}

static void emit_vtable(printer *e, const idl_interface *it) {
        char *fl = flags_str(e, &it->c, NULL);
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
                char *refs = a ? in_refs(e, s->args, s->n_args, a) : NULL;
                open_function(e, a ? proto_emit(e, it, s, a) : NULL);
                if (refs && *refs)
                        emit(e, "const dbidl_in dbidl_args[] = { %s };", refs);
                emit(e, "return dbidl_object_emit(bus, path, %s, &dbidl_%s_members[%zu], %s);", pup, it->c_prefix,
                     signal_index(it, s), refs && *refs ? "dbidl_args" : "NULL");
                close_function(e);
                free(refs);
                arg_names_free(a, s->n_args);
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_notifies(p) || !property_served(p))
                        continue;
                open_function(e, proto_notify(e, it, p));
                emit(e, "int dbidl_r = sd_bus_emit_properties_changed(bus, path, %s, \"%s\", NULL);", pup,
                     p->c.dbus_name);
                emit(e, "return dbidl_r < 0 ? dbidl_r : 0;");
                close_function(e);
        }
}

/* P_store_m(bus, path, value): the value kept by the runtime (dbidl_object_store_value()). */
static void emit_store(printer *e, const idl_interface *it, const idl_property *p, const char *pup) {
        open_function(e, proto_store(e, it, p));
        emit_value_in(e, p);
        emit(e, "return dbidl_object_store_value(bus, path, %s, &dbidl_%s_members[%zu], &dbidl_value);", pup,
             it->c_prefix, property_index(it, p));
        close_function(e);
}

static void emit_interface(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix, *pup = cname(e, CN_INTERFACE_CONST, it, NULL);
        emit(e, "/* ---- %s ---- */", it->c.name);
        emit_blank(e);
        emit_handle(e, it);
        emit_vtable(e, it);
        emit(e, "static const dbidl_interface_info dbidl_%s_interface = {", P);
        indent(e);
        char members[400];
        if (it->n_methods + it->n_signals + it->n_properties)
                snprintf(members, sizeof members, "dbidl_%s_members", P);
        else
                snprintf(members, sizeof members, "NULL");
        emit(e, "%s, %s, %zu, %zu, %zu,", pup, members, it->n_methods, it->n_signals, it->n_properties);
        emit(e, "dbidl_%s_vtable, %s, dbidl_%s_handle,", P, it->stored ? "true" : "false", P);
        dedent(e);
        emit(e, "};");
        emit_blank(e);
        open_function(e, proto_export(e, it));
        emit(e, "return dbidl_object_export_interface(bus, path, &dbidl_%s_interface, handlers, userdata, ret_slot);", P);
        close_function(e);
        emit_emitters(e, it, pup);
        for (size_t i = 0; i < it->n_properties; i++)
                if (property_stored(it, &it->properties[i]))
                        emit_store(e, it, &it->properties[i], pup);
        for (size_t i = 0; i < it->n_methods; i++)
                if (!it->methods[i].noreply) {
                        emit_method_answer(e, it, &it->methods[i], false);
                        emit_method_answer(e, it, &it->methods[i], true);
                }
}

int codegen_server(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        return codegen_c_source(f, o, out, sink,
                                "Server skeletons: the static vtables, the handler adapter, signal and "
                                "PropertiesChanged emitters.",
                                emit_interface);
}

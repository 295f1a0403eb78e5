/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-client.c — the C back end's client stubs: typed wrappers over the runtime's generic calls, slots and properties */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"

/*
 * Every stub packs its arguments into dbidl_in/dbidl_out arrays and calls
 * the runtime with the member's table entry (dbidl/generated.h); one
 * deliver function per interface unpacks replies, signals and property
 * changes into calls of the user's typed callbacks.
 */

/* `const dbidl_in name[] = { … };` when `refs` is not empty; the argument to pass ("name" or "NULL") into *ret. */
static const char *emit_array(printer *e, const char *type, const char *name, char *refs) {
        bool any = refs && *refs;
        if (any)
                emit(e, "const %s %s[] = { %s };", type, name, refs);
        free(refs);
        return any ? name : "NULL";
}

static void emit_method(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        const char *P = it->c_prefix;
        size_t k = method_index(it, m);

        open_function(e, proto_method_call(e, it, m, a));
        const char *in = emit_array(e, "dbidl_in", "dbidl_args", in_refs(e, m->in, m->n_in, a));
        const char *out = m->noreply ? "NULL" : emit_array(e, "dbidl_out", "dbidl_rets", out_refs(e, m->out, m->n_out, a + m->n_in));
        emit(e, "return dbidl_proxy_invoke((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], %s, %s, %s);", P, k, in, out,
             m->noreply ? "0, NULL" : "timeout_usec, ret_error");
        close_function(e);
        if (m->noreply)
                return;

        if (m->n_out > 0) {
                open_function(e, proto_method_borrow(e, it, m, a));
                in = emit_array(e, "dbidl_in", "dbidl_args", in_refs(e, m->in, m->n_in, a));
                out = emit_array(e, "dbidl_out", "dbidl_rets", out_refs(e, m->out, m->n_out, a + m->n_in));
                emit(e, "return dbidl_proxy_invoke_lent((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], %s, %s, timeout_usec,",
                     P, k, in, out);
                emit(e, "                               ret_error, ret_reply);");
                close_function(e);
        }

        open_function(e, proto_method_async(e, it, m, a));
        in = emit_array(e, "dbidl_in", "dbidl_args", in_refs(e, m->in, m->n_in, a));
        emit(e, "return dbidl_proxy_invoke_async((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], %s, timeout_usec,", P,
             k, in);
        emit(e, "                                dbidl_%s_deliver, (void (*)(void)) callback, userdata, ret_slot);", P);
        close_function(e);
}

static void emit_property(printer *e, const idl_interface *it, const idl_property *p) {
        const char *P = it->c_prefix;
        size_t k = property_index(it, p);
        const arg_names *v = property_value_names();
        bool counted = shape_has_count(type_shape(p->type));

        if (property_readable(p)) {
                for (int cached = 0; cached <= 1; cached++) {
                        open_function(e, cached ? proto_property_get_cached(e, it, p) : proto_property_get(e, it, p));
                        emit(e, "const dbidl_out dbidl_ret = { %s, %s };", v->ret, counted ? v->ret_n : "NULL");
                        emit(e, "return dbidl_proxy_get%s((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], &dbidl_ret%s);",
                             cached ? "_cached" : "", P, k, cached ? "" : ", ret_error");
                        close_function(e);
                }
        }
        if (property_readable(p) && property_notifies(p)) {
                open_function(e, proto_connect_changed(e, it, p));
                emit(e, "return dbidl_proxy_watch_member((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], dbidl_%s_deliver,",
                     P, k, P);
                emit(e, "                                (void (*)(void)) handler, userdata, ret_slot);");
                close_function(e);
        }
        if (property_writable(p)) {
                open_function(e, proto_property_set(e, it, p));
                emit_value_in(e, p);
                emit(e, "return dbidl_proxy_set((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], &dbidl_value, ret_error);",
                     P, k);
                close_function(e);
        }
}

/* `lead` then the arguments passing v[0..n) of `fields` on, borrowed: ", *(const int32_t *) dbidl_v[0], …". */
static char *slot_values(printer *e, const char *lead, const idl_field *fields, size_t n) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_puts(f, lead);
        for (size_t i = 0; i < n; i++) {
                char v[32], cnt[32];
                snprintf(v, sizeof v, "dbidl_v[%zu]", i);
                snprintf(cnt, sizeof cnt, "dbidl_n[%zu]", i);
                sb_puts(f, ", ");
                slot_value(&b, fields[i].type, v, cnt);
        }
        return strbuf_close(&b);
}

/* One case of the deliver switch: call the typed callback of member k with `args` (taken). */
static void emit_deliver_case(printer *e, size_t k, const char *what, const char *fn, char *args) {
        if (!args)
                e->error = -ENOMEM;
        emit(e, "case %zu: /* %s */", k, what);
        indent(e);
        emit(e, "((%s) dbidl_cb->callback)(dbidl_p%s, dbidl_cb->userdata);", fn, args ? args : "");
        emit(e, "break;");
        dedent(e);
        free(args);
}

static bool needs_deliver(const idl_interface *it) {
        for (size_t i = 0; i < it->n_methods; i++)
                if (!it->methods[i].noreply)
                        return true;
        for (size_t i = 0; i < it->n_properties; i++)
                if (property_readable(&it->properties[i]) && property_notifies(&it->properties[i]))
                        return true;
        return it->n_signals > 0;
}

/*
 * dbidl_P_deliver: the dbidl_deliver_fn of every async call, signal slot and
 * change slot of the interface, by member index.
 */
static void emit_deliver(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix;
        if (!needs_deliver(it))
                return;
        emit(e, "static void dbidl_%s_deliver(const dbidl_callback *dbidl_cb, const sd_bus_error *dbidl_error,", P);
        emit(e, "                void *const *dbidl_v, const size_t *dbidl_n) {");
        indent(e);
        emit(e, "%s *dbidl_p = (%s *) dbidl_cb->proxy;", cname(e, CN_PROXY, it, NULL), cname(e, CN_PROXY, it, NULL));
        emit_blank(e);
        emit(e, "(void) dbidl_error, (void) dbidl_v, (void) dbidl_n;");
        emit(e, "switch (dbidl_cb->member - dbidl_%s_members) {", P);
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                if (m->noreply)
                        continue;
                emit_deliver_case(e, method_index(it, m), m->c.dbus_name, cname(e, CN_REPLY_FN, it, &m->c),
                                  slot_values(e, ", dbidl_error", m->out, m->n_out));
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                emit_deliver_case(e, signal_index(it, s), s->c.dbus_name, cname(e, CN_SIGNAL_FN, it, &s->c),
                                  slot_values(e, "", s->args, s->n_args));
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_readable(p) || !property_notifies(p))
                        continue;
                idl_field value = { .name = (char *) "value", .type = p->type };
                /* a change slot's error means "invalidated" (dbidl_deliver_fn) */
                emit_deliver_case(e, property_index(it, p), p->c.dbus_name, cname(e, CN_CHANGED_FN, it, &p->c),
                                  slot_values(e, ", dbidl_error != NULL", &value, 1));
        }
        emit(e, "}");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_interface(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix, *proxy = cname(e, CN_PROXY, it, NULL);
        size_t first_property = it->n_methods + it->n_signals;
        emit(e, "/* ---- %s ---- */", it->c.name);
        emit_blank(e);
        emit_deliver(e, it);
        emit(e, "int %s(sd_bus *bus, const char *destination, const char *path, %s **ret) {",
             cname(e, CN_PROXY_NEW, it, NULL), proxy);
        indent(e);
        emit(e, "dbidl_proxy *dbidl_p = NULL;");
        char props[400];
        if (it->n_properties)
                snprintf(props, sizeof props, "dbidl_%s_members + %zu", P, first_property);
        else
                snprintf(props, sizeof props, "NULL");
        emit(e, "int dbidl_r = ret ? dbidl_proxy_new_members(bus, destination, path, %s, %s, %zu, &dbidl_p)",
             cname(e, CN_INTERFACE_CONST, it, NULL), props, it->n_properties);
        emit(e, "                   : -EINVAL;");
        emit_blank(e);
        emit(e, "if (dbidl_r >= 0)");
        indent(e);
        emit(e, "*ret = (%s *) dbidl_p;", proxy);
        dedent(e);
        emit(e, "return dbidl_r;");
        close_function(e);
        emit(e, "%s *%s(%s *proxy) {", proxy, cname(e, CN_PROXY_REF, it, NULL), proxy);
        indent(e);
        emit(e, "return (%s *) dbidl_proxy_ref((dbidl_proxy *) proxy);", proxy);
        close_function(e);
        emit(e, "%s *%s(%s *proxy) {", proxy, cname(e, CN_PROXY_UNREF, it, NULL), proxy);
        indent(e);
        emit(e, "return (%s *) dbidl_proxy_unref((dbidl_proxy *) proxy);", proxy);
        close_function(e);

        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                arg_names *a = method_arg_names(m);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit_method(e, it, m, a);
                arg_names_free(a, m->n_in + m->n_out);
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                open_function(e, proto_connect(e, it, s));
                emit(e, "return dbidl_proxy_connect((dbidl_proxy *) proxy, &dbidl_%s_members[%zu], dbidl_%s_deliver,", P,
                     signal_index(it, s), P);
                emit(e, "                           (void (*)(void)) handler, userdata, ret_slot);");
                close_function(e);
        }
        for (size_t i = 0; i < it->n_properties; i++)
                emit_property(e, it, &it->properties[i]);
}

int codegen_client(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        return codegen_c_source(f, o, out, sink,
                                "Client stubs: typed wrappers of the runtime's calls, signal slots and property access.",
                                emit_interface);
}

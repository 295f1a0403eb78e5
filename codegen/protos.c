/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/protos.c — generated names and prototypes: the one place the generated API's shape is spelled */

#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"

static const idl_field **field_ptrs(const idl_field *a, size_t na, const idl_field *b, size_t nb) {
        const idl_field **p = calloc(na + nb + 1, sizeof(*p));
        if (!p)
                return NULL;
        for (size_t i = 0; i < na; i++)
                p[i] = &a[i];
        for (size_t i = 0; i < nb; i++)
                p[na + i] = &b[i];
        return p;
}

arg_names *method_arg_names(const idl_method *m) {
        const idl_field **p = field_ptrs(m->in, m->n_in, m->out, m->n_out);
        if (!p)
                return NULL;
        arg_names *a = arg_names_new(p, m->n_in + m->n_out);
        free(p);
        return a;
}

arg_names *signal_arg_names(const idl_signal *s) {
        const idl_field **p = field_ptrs(s->args, s->n_args, NULL, 0);
        if (!p)
                return NULL;
        arg_names *a = arg_names_new(p, s->n_args);
        free(p);
        return a;
}

const arg_names *property_value_names(void) {
        static char base[] = "value", n[] = "n_value", ret[] = "ret_value", ret_n[] = "ret_n_value";
        static const arg_names names = { base, n, ret, ret_n };
        return &names;
}

bool property_readable(const idl_property *p) {
        return p->access != IDL_ACCESS_WRITEONLY;
}

bool property_writable(const idl_property *p) {
        return p->access != IDL_ACCESS_READONLY;
}

/* An EmitsChangedSignal flag for the vtable: a writeonly property has no value to send, only invalidation. */
idl_emits property_emits(const idl_property *p) {
        if (p->access == IDL_ACCESS_WRITEONLY && p->emits != IDL_EMITS_INVALIDATES)
                return IDL_EMITS_NONE;
        return p->emits;
}

/* Whether the server side has the property: sd-bus refuses a vtable with a name that is no member name. */
bool property_served(const idl_property *p) {
        return !p->client_only;
}

bool property_notifies(const idl_property *p) {
        idl_emits e = property_emits(p);
        return e == IDL_EMITS_CHANGE || e == IDL_EMITS_INVALIDATES;
}

char *handler_field(const idl_common *c, const char *prefix) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "%s%s", prefix, c->c_name);
        char *s = strbuf_close(&b);
        char *r = c_field_name(s);
        free(s);
        return r;
}

static void params(FILE *f, const idl_field *fields, size_t n, const arg_names *a, role r) {
        for (size_t i = 0; i < n; i++) {
                fputs(", ", f);
                param_decl(f, fields[i].type, r, &a[i]);
        }
}

char *proto_method_call(const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_%s(%s_proxy *proxy", it->c_prefix, m->c.c_name, it->c_prefix);
        params(f, m->in, m->n_in, a, ROLE_IN);
        if (!m->noreply) {
                params(f, m->out, m->n_out, a + m->n_in, ROLE_OUT);
                fputs(", uint64_t timeout_usec, sd_bus_error *ret_error", f);
        }
        fputs(")", f);
        return strbuf_close(&b);
}

char *proto_method_return(const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_%s_return(sd_bus_message *call", it->c_prefix, m->c.c_name);
        params(f, m->out, m->n_out, a + m->n_in, ROLE_IN);
        fputs(")", f);
        return strbuf_close(&b);
}

char *proto_method_reply(const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_%s_reply(dbidl_pending *pending", it->c_prefix, m->c.c_name);
        params(f, m->out, m->n_out, a + m->n_in, ROLE_IN);
        fputs(")", f);
        return strbuf_close(&b);
}

char *proto_method_async(const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_%s_async(%s_proxy *proxy", it->c_prefix, m->c.c_name, it->c_prefix);
        params(f, m->in, m->n_in, a, ROLE_IN);
        fprintf(f, ", uint64_t timeout_usec, %s_%s_reply_fn callback, void *userdata, sd_bus_slot **ret_slot)",
                it->c_prefix, m->c.c_name);
        return strbuf_close(&b);
}

char *proto_reply_fn(const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "typedef void (*%s_%s_reply_fn)(%s_proxy *proxy, const sd_bus_error *error", it->c_prefix,
                m->c.c_name, it->c_prefix);
        params(f, m->out, m->n_out, a + m->n_in, ROLE_BORROWED);
        fputs(", void *userdata)", f);
        return strbuf_close(&b);
}

char *proto_method_handler(const idl_interface *it, const idl_method *m, const arg_names *a) {
        (void) it;
        char *field = handler_field(&m->c, "");
        if (!field)
                return NULL;
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f) {
                free(field);
                return NULL;
        }
        fprintf(f, "int (*%s)(sd_bus_message *call, void *userdata", field);
        params(f, m->in, m->n_in, a, ROLE_BORROWED);
        params(f, m->out, m->n_out, a + m->n_in, ROLE_OUT);
        fputs(", sd_bus_error *ret_error)", f);
        free(field);
        return strbuf_close(&b);
}

char *proto_signal_fn(const idl_interface *it, const idl_signal *s, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "typedef void (*%s_%s_signal_fn)(%s_proxy *proxy", it->c_prefix, s->c.c_name, it->c_prefix);
        params(f, s->args, s->n_args, a, ROLE_BORROWED);
        fputs(", void *userdata)", f);
        return strbuf_close(&b);
}

char *proto_connect(const idl_interface *it, const idl_signal *s) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_connect_%s(%s_proxy *proxy, %s_%s_signal_fn handler, void *userdata, sd_bus_slot **ret_slot)",
                it->c_prefix, s->c.c_name, it->c_prefix, it->c_prefix, s->c.c_name);
        return strbuf_close(&b);
}

char *proto_emit(const idl_interface *it, const idl_signal *s, const arg_names *a) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_emit_%s(sd_bus *bus, const char *path", it->c_prefix, s->c.c_name);
        params(f, s->args, s->n_args, a, ROLE_IN);
        fputs(")", f);
        return strbuf_close(&b);
}

char *proto_property_get(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_get_%s(%s_proxy *proxy, ", it->c_prefix, p->c.c_name, it->c_prefix);
        param_decl(f, p->type, ROLE_OUT, property_value_names());
        fputs(", sd_bus_error *ret_error)", f);
        return strbuf_close(&b);
}

char *proto_property_get_cached(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_get_cached_%s(%s_proxy *proxy, ", it->c_prefix, p->c.c_name, it->c_prefix);
        param_decl(f, p->type, ROLE_OUT, property_value_names());
        fputs(")", f);
        return strbuf_close(&b);
}

char *proto_property_changed_fn(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "typedef void (*%s_%s_changed_fn)(%s_proxy *proxy, bool invalidated, ", it->c_prefix, p->c.c_name,
                it->c_prefix);
        param_decl(f, p->type, ROLE_BORROWED, property_value_names());
        fputs(", void *userdata)", f);
        return strbuf_close(&b);
}

char *proto_connect_changed(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_connect_%s_changed(%s_proxy *proxy, %s_%s_changed_fn handler, void *userdata, "
                   "sd_bus_slot **ret_slot)",
                it->c_prefix, p->c.c_name, it->c_prefix, it->c_prefix, p->c.c_name);
        return strbuf_close(&b);
}

char *proto_property_set(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_set_%s(%s_proxy *proxy, ", it->c_prefix, p->c.c_name, it->c_prefix);
        param_decl(f, p->type, ROLE_IN, property_value_names());
        fputs(", sd_bus_error *ret_error)", f);
        return strbuf_close(&b);
}

char *proto_property_handler(const idl_interface *it, const idl_property *p, bool set) {
        (void) it;
        char *field = handler_field(&p->c, set ? "set_" : "get_");
        strbuf b;
        FILE *f = field ? strbuf_open(&b) : NULL;
        if (!f) {
                free(field);
                return NULL;
        }
        fprintf(f, "int (*%s)(void *userdata, ", field);
        /* a getter hands an owned value over; a setter is lent the new one */
        param_decl(f, p->type, set ? ROLE_BORROWED : ROLE_OUT, property_value_names());
        fputs(", sd_bus_error *ret_error)", f);
        free(field);
        return strbuf_close(&b);
}

char *proto_notify(const idl_interface *it, const idl_property *p) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_notify_%s(sd_bus *bus, const char *path)", it->c_prefix, p->c.c_name);
        return strbuf_close(&b);
}

char *proto_export(const idl_interface *it) {
        strbuf b;
        FILE *f = strbuf_open(&b);
        if (!f)
                return NULL;
        fprintf(f, "int %s_export(sd_bus *bus, const char *path, const %s_handlers *handlers, void *userdata, "
                   "sd_bus_slot **ret_slot)",
                it->c_prefix, it->c_prefix);
        return strbuf_close(&b);
}

void emit_banner(printer *e, const codegen_options *o, const char *what) {
        emit(e, "/* Generated by dbidlc %s from %s — do not edit. */", o->version, o->source_name);
        emit(e, "/* %s */", what);
}

int codegen_c_source(const idl_file *f, const codegen_options *o, FILE *out, FILE *err, const char *what,
                     void (*emit_interface)(printer *e, const idl_interface *it)) {
        int r = check_supported(f, err);
        if (r < 0)
                return r;
        printer pr, *e = &pr;
        printer_init(e, out);
        emit_banner(e, o, what);
        emit(e, "#include <errno.h>");
        emit(e, "#include <stdlib.h>");
        emit_blank(e);
        emit(e, "#include \"%s%s\"", o->header_name ? o->header_name : o->stem, o->header_name ? "" : ".h");
        emit_blank(e);
        r = types_build(f, o->stem);
        if (r < 0)
                return r;
        types_emit_helpers(e);
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_interface(e, &f->interfaces[i]);
        types_free();
        return printer_finish(e);
}

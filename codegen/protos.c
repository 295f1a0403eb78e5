/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/protos.c — generated names and prototypes: the one place the generated API's shape is spelled */

#include <errno.h>
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
        arg_names *a = arg_names_new(p, m->n_in + m->n_out, m->n_in);
        free(p);
        return a;
}

arg_names *signal_arg_names(const idl_signal *s) {
        const idl_field **p = field_ptrs(s->args, s->n_args, NULL, 0);
        if (!p)
                return NULL;
        arg_names *a = arg_names_new(p, s->n_args, s->n_args);
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

bool property_stored(const idl_interface *it, const idl_property *p) {
        return it->stored && property_readable(p) && property_served(p);
}

bool property_notifies(const idl_property *p) {
        idl_emits e = property_emits(p);
        return e == IDL_EMITS_CHANGE || e == IDL_EMITS_INVALIDATES;
}

const char *cname(printer *e, c_role r, const idl_interface *it, const idl_common *m) {
        return printer_keep(e, c_name_new(r, it->c_prefix, m ? m->c_name : NULL));
}

/* ---- parameter declarations ---- */

void param_decl(strbuf *b, const idl_type *t, role r, const arg_names *n) {
        const char *T = type_scalar_ctype(t);
        const char *x = r == ROLE_OUT ? n->ret : n->base;
        const char *cnt = r == ROLE_OUT ? n->ret_n : n->n;
        char lent_x[256], lent_cnt[256];
        if (r == ROLE_LENT) {
                /* a pointer to what ROLE_IN declares: "const char *s" becomes "const char **ret_s", "int32_t x"
                 * becomes "int32_t *ret_x", "const T *v, size_t n_v" becomes "const T **ret_v, size_t *ret_n_v" */
                snprintf(lent_x, sizeof lent_x, "*%s", n->ret);
                snprintf(lent_cnt, sizeof lent_cnt, "*%s", n->ret_n ? n->ret_n : "");
                x = lent_x;
                cnt = lent_cnt;
                r = ROLE_IN;
        }
        switch (type_shape(t)) {
        case SHAPE_SCALAR:
        case SHAPE_BOOL:
                sb_printf(b, r == ROLE_OUT ? "%s *%s" : "%s %s", T, x);
                break;
        case SHAPE_STRING:
                sb_printf(b, r == ROLE_OUT ? "char **%s" : "const char *%s", x);
                break;
        case SHAPE_FD:
                sb_printf(b, r == ROLE_OUT ? "int *%s" : "int %s", x);
                break;
        case SHAPE_VARIANT:
                sb_printf(b, r == ROLE_OUT ? "dbidl_variant **%s" : "dbidl_variant *%s", x);
                break;
        case SHAPE_BLOB:
                sb_printf(b, r == ROLE_OUT ? "dbidl_blob **%s" : "dbidl_blob *%s", x);
                break;
        case SHAPE_DICT:
                sb_printf(b, r == ROLE_OUT ? "dbidl_dict **%s" : "dbidl_dict *%s", x);
                break;
        case SHAPE_FIXED_ARRAY:
        case SHAPE_BOOL_ARRAY:
                if (r == ROLE_OUT)
                        sb_printf(b, "%s **%s, size_t *%s", T, x, cnt);
                else
                        sb_printf(b, "const %s *%s, size_t %s", T, x, cnt);
                break;
        case SHAPE_STRV:
                sb_printf(b, r == ROLE_OUT ? "char ***%s" : "char *const *%s", x);
                break;
        case SHAPE_FD_ARRAY:
                sb_printf(b, r == ROLE_OUT ? "int **%s, size_t *%s" : "const int *%s, size_t %s", x, cnt);
                break;
        case SHAPE_VARIANT_ARRAY:
                sb_printf(b, r == ROLE_OUT ? "dbidl_variant ***%s, size_t *%s" : "dbidl_variant *const *%s, size_t %s",
                        x, cnt);
                break;
        case SHAPE_DICT_ARRAY:
                sb_printf(b, r == ROLE_OUT ? "dbidl_dict ***%s, size_t *%s" : "dbidl_dict *const *%s, size_t %s", x,
                        cnt);
                break;
        case SHAPE_ENUM:
                sb_printf(b, r == ROLE_OUT ? "%s *%s" : "%s %s", types_vtype(b->e->types, t), x);
                break;
        case SHAPE_COMPOSITE:
                sb_printf(b, r == ROLE_OUT ? "%s *%s" : "const %s *%s", types_vtype(b->e->types, t), x);
                break;
        case SHAPE_UNSUPPORTED:
                sb_printf(b, "void *%s", x);
                break;
        }
}

/* The owned storage C type of a shape ("char *", "int32_t *"), as a handler's ret parameter points to. */
static const char *owned_ctype(types *r, const idl_type *t, char *buf, size_t size) {
        switch (type_shape(t)) {
        case SHAPE_SCALAR:
        case SHAPE_BOOL:
                return type_scalar_ctype(t);
        case SHAPE_STRING:
                return "char *";
        case SHAPE_FD:
                return "int";
        case SHAPE_VARIANT:
                return "dbidl_variant *";
        case SHAPE_BLOB:
                return "dbidl_blob *";
        case SHAPE_DICT:
                return "dbidl_dict *";
        case SHAPE_FIXED_ARRAY:
        case SHAPE_BOOL_ARRAY:
                snprintf(buf, size, "%s *", type_scalar_ctype(t));
                return buf;
        case SHAPE_STRV:
                return "char **";
        case SHAPE_FD_ARRAY:
                return "int *";
        case SHAPE_VARIANT_ARRAY:
                return "dbidl_variant **";
        case SHAPE_DICT_ARRAY:
                return "dbidl_dict **";
        case SHAPE_ENUM:
        case SHAPE_COMPOSITE:
                return types_vtype(r, t);
        default:
                return "void *";
        }
}

/* ---- the generic marshalling of generated tables (dbidl/generated.h) ---- */

void codec_ref(strbuf *b, const idl_type *t) {
        shape s = type_shape(t);
        if (s == SHAPE_ENUM || s == SHAPE_COMPOSITE) {
                sb_printf(b, "&dbidl_codec_%s", types_vtype(b->e->types, t));
                return;
        }
        if (s == SHAPE_BLOB) {
                /* an 'h' like fd, checked and mapped on receipt */
                sb_puts(b, "&dbidl_codec_blob");
                return;
        }
        /* the built-in codecs of dbidl/generated.h are named by signature, without braces */
        sb_puts(b, "&dbidl_codec_");
        for (const char *p = t->signature; *p; p++)
                if (*p != '{' && *p != '}')
                        sb_putc(b, *p);
}

void in_ref(strbuf *b, const idl_type *t, const char *x, const char *n) {
        shape s = type_shape(t);
        if (s == SHAPE_COMPOSITE)
                sb_printf(b, "{ %s, 0 }", x);
        else
                sb_printf(b, "{ &%s, %s }", x, shape_has_count(s) ? n : "0");
}

void out_ref(strbuf *b, const idl_type *t, const char *ret, const char *ret_n) {
        sb_printf(b, "{ %s, %s }", ret, shape_has_count(type_shape(t)) ? ret_n : "NULL");
}

void slot_value(strbuf *b, const idl_type *t, const char *v, const char *n) {
        const char *T = type_scalar_ctype(t);
        switch (type_shape(t)) {
        case SHAPE_SCALAR:
        case SHAPE_BOOL:
                sb_printf(b, "*(const %s *) %s", T, v);
                break;
        case SHAPE_STRING:
                sb_printf(b, "*(const char *const *) %s", v);
                break;
        case SHAPE_FD:
                sb_printf(b, "*(const int *) %s", v);
                break;
        case SHAPE_VARIANT:
                sb_printf(b, "*(dbidl_variant *const *) %s", v);
                break;
        case SHAPE_BLOB:
                sb_printf(b, "*(dbidl_blob *const *) %s", v);
                break;
        case SHAPE_DICT:
                sb_printf(b, "*(dbidl_dict *const *) %s", v);
                break;
        case SHAPE_FIXED_ARRAY:
        case SHAPE_BOOL_ARRAY:
                sb_printf(b, "*(const %s *const *) %s, %s", T, v, n);
                break;
        case SHAPE_STRV:
                sb_printf(b, "*(char *const *const *) %s", v);
                break;
        case SHAPE_FD_ARRAY:
                sb_printf(b, "*(const int *const *) %s, %s", v, n);
                break;
        case SHAPE_VARIANT_ARRAY:
                sb_printf(b, "*(dbidl_variant *const *const *) %s, %s", v, n);
                break;
        case SHAPE_DICT_ARRAY:
                sb_printf(b, "*(dbidl_dict *const *const *) %s, %s", v, n);
                break;
        case SHAPE_ENUM:
                sb_printf(b, "*(const %s *) %s", types_vtype(b->e->types, t), v);
                break;
        case SHAPE_COMPOSITE:
                sb_printf(b, "(const %s *) %s", types_vtype(b->e->types, t), v);
                break;
        case SHAPE_UNSUPPORTED:
                sb_puts(b, "NULL");
                break;
        }
}

void slot_ret(strbuf *b, const idl_type *t, const char *v, const char *n) {
        char buf[128];
        const char *T = owned_ctype(b->e->types, t, buf, sizeof buf);
        size_t len = strlen(T);
        /* "char *" → "(char **) v", "int32_t" → "(int32_t *) v" */
        sb_printf(b, "(%s%s*) %s", T, len && T[len - 1] == '*' ? "" : " ", v);
        if (shape_has_count(type_shape(t)))
                sb_printf(b, ", &%s", n);
}

static void params(strbuf *b, const idl_field *fields, size_t n, const arg_names *a, role r) {
        for (size_t i = 0; i < n; i++) {
                sb_puts(b, ", ");
                param_decl(b, fields[i].type, r, &a[i]);
        }
}

char *proto_method_call(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy", cname(e, CN_CALL, it, &m->c), cname(e, CN_PROXY, it, NULL));
        params(&b, m->in, m->n_in, a, ROLE_IN);
        if (!m->noreply) {
                params(&b, m->out, m->n_out, a + m->n_in, ROLE_OUT);
                sb_puts(f, ", uint64_t timeout_usec, sd_bus_error *ret_error");
        }
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_method_borrow(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy", cname(e, CN_BORROW, it, &m->c), cname(e, CN_PROXY, it, NULL));
        params(&b, m->in, m->n_in, a, ROLE_IN);
        params(&b, m->out, m->n_out, a + m->n_in, ROLE_LENT);
        sb_puts(f, ", uint64_t timeout_usec, sd_bus_error *ret_error, dbidl_reply **ret_reply)");
        return strbuf_close(&b);
}

char *proto_method_return(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(sd_bus_message *call", cname(e, CN_RETURN, it, &m->c));
        params(&b, m->out, m->n_out, a + m->n_in, ROLE_IN);
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_method_reply(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(dbidl_pending *pending", cname(e, CN_REPLY, it, &m->c));
        params(&b, m->out, m->n_out, a + m->n_in, ROLE_IN);
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_method_async(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy", cname(e, CN_ASYNC, it, &m->c), cname(e, CN_PROXY, it, NULL));
        params(&b, m->in, m->n_in, a, ROLE_IN);
        sb_printf(f, ", uint64_t timeout_usec, %s callback, void *userdata, sd_bus_slot **ret_slot)",
                cname(e, CN_REPLY_FN, it, &m->c));
        return strbuf_close(&b);
}

char *proto_reply_fn(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "typedef void (*%s)(%s *proxy, const sd_bus_error *error", cname(e, CN_REPLY_FN, it, &m->c),
                cname(e, CN_PROXY, it, NULL));
        params(&b, m->out, m->n_out, a + m->n_in, ROLE_BORROWED);
        sb_puts(f, ", void *userdata)");
        return strbuf_close(&b);
}

char *proto_method_handler(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a) {
        const char *field = cname(e, CN_HANDLE_FIELD, it, &m->c);
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int (*%s)(sd_bus_message *call, void *userdata", field);
        params(&b, m->in, m->n_in, a, ROLE_BORROWED);
        params(&b, m->out, m->n_out, a + m->n_in, ROLE_OUT);
        sb_puts(f, ", sd_bus_error *ret_error)");
        return strbuf_close(&b);
}

char *proto_signal_fn(printer *e, const idl_interface *it, const idl_signal *s, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "typedef void (*%s)(%s *proxy", cname(e, CN_SIGNAL_FN, it, &s->c), cname(e, CN_PROXY, it, NULL));
        params(&b, s->args, s->n_args, a, ROLE_BORROWED);
        sb_puts(f, ", void *userdata)");
        return strbuf_close(&b);
}

char *proto_connect(printer *e, const idl_interface *it, const idl_signal *s) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy, %s handler, void *userdata, sd_bus_slot **ret_slot)", cname(e, CN_CONNECT, it, &s->c),
                cname(e, CN_PROXY, it, NULL), cname(e, CN_SIGNAL_FN, it, &s->c));
        return strbuf_close(&b);
}

char *proto_emit(printer *e, const idl_interface *it, const idl_signal *s, const arg_names *a) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(sd_bus *bus, const char *path", cname(e, CN_EMIT, it, &s->c));
        params(&b, s->args, s->n_args, a, ROLE_IN);
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_property_get(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy, ", cname(e, CN_GET, it, &p->c), cname(e, CN_PROXY, it, NULL));
        param_decl(&b, p->type, ROLE_OUT, property_value_names());
        sb_puts(f, ", sd_bus_error *ret_error)");
        return strbuf_close(&b);
}

char *proto_property_get_cached(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy, ", cname(e, CN_CACHED, it, &p->c), cname(e, CN_PROXY, it, NULL));
        param_decl(&b, p->type, ROLE_OUT, property_value_names());
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_property_changed_fn(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "typedef void (*%s)(%s *proxy, bool invalidated, ", cname(e, CN_CHANGED_FN, it, &p->c),
                cname(e, CN_PROXY, it, NULL));
        param_decl(&b, p->type, ROLE_BORROWED, property_value_names());
        sb_puts(f, ", void *userdata)");
        return strbuf_close(&b);
}

char *proto_connect_changed(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy, %s handler, void *userdata, sd_bus_slot **ret_slot)", cname(e, CN_WATCH, it, &p->c),
                cname(e, CN_PROXY, it, NULL), cname(e, CN_CHANGED_FN, it, &p->c));
        return strbuf_close(&b);
}

char *proto_property_set(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(%s *proxy, ", cname(e, CN_SET, it, &p->c), cname(e, CN_PROXY, it, NULL));
        param_decl(&b, p->type, ROLE_IN, property_value_names());
        sb_puts(f, ", sd_bus_error *ret_error)");
        return strbuf_close(&b);
}

char *proto_property_handler(printer *e, const idl_interface *it, const idl_property *p, bool set) {
        const char *field = cname(e, set ? CN_SET_FIELD : CN_GET_FIELD, it, &p->c);
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int (*%s)(void *userdata, ", field);
        /* a getter hands an owned value over; a setter is lent the new one */
        param_decl(&b, p->type, set ? ROLE_BORROWED : ROLE_OUT, property_value_names());
        sb_puts(f, ", sd_bus_error *ret_error)");
        return strbuf_close(&b);
}

char *proto_notify(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(sd_bus *bus, const char *path)", cname(e, CN_NOTIFY, it, &p->c));
        return strbuf_close(&b);
}

char *proto_store(printer *e, const idl_interface *it, const idl_property *p) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(sd_bus *bus, const char *path, ", cname(e, CN_STORE, it, &p->c));
        param_decl(&b, p->type, ROLE_IN, property_value_names());
        sb_puts(f, ")");
        return strbuf_close(&b);
}

char *proto_export(printer *e, const idl_interface *it) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        sb_printf(f, "int %s(sd_bus *bus, const char *path, const %s *handlers, void *userdata, sd_bus_slot **ret_slot)",
                cname(e, CN_EXPORT, it, NULL), cname(e, CN_HANDLERS, it, NULL));
        return strbuf_close(&b);
}

void emit_banner(printer *e, const codegen_options *o, const char *what) {
        emit(e, "/* Generated by dbidlc %s from %s — do not edit. */", o->version, o->source_name);
        emit(e, "/* %s */", what);
}

int codegen_c_source(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink,
                     const char *what,
                     void (*emit_interface)(printer *e, const idl_interface *it)) {
        int r = check_supported(f, sink);
        if (r < 0)
                return r;
        printer pr, *e = &pr;
        printer_init(e, out);
        emit_banner(e, o, what);
        emit(e, "#include \"%s%s\"", o->header_name ? o->header_name : o->stem, o->header_name ? "" : ".h");
        emit_blank(e);
        r = types_new(f, o->stem, &e->types);
        if (r < 0) {
                printer_finish(e);
                return r;
        }
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_interface(e, &f->interfaces[i]);
        e->types = types_free(e->types);
        return printer_finish(e);
}

size_t method_index(const idl_interface *it, const idl_method *m) {
        return (size_t) (m - it->methods);
}

size_t signal_index(const idl_interface *it, const idl_signal *s) {
        return it->n_methods + (size_t) (s - it->signals);
}

size_t property_index(const idl_interface *it, const idl_property *p) {
        return it->n_methods + it->n_signals + (size_t) (p - it->properties);
}

static char *refs(printer *e, const idl_field *fields, size_t n, const arg_names *a, bool ret) {
        strbuf b;
        strbuf *f = strbuf_open(&b, e);
        for (size_t i = 0; i < n; i++) {
                sb_puts(f, i ? ", " : "");
                if (ret)
                        out_ref(&b, fields[i].type, a[i].ret, a[i].ret_n);
                else
                        in_ref(&b, fields[i].type, a[i].base, a[i].n);
        }
        return strbuf_close(&b);
}

char *in_refs(printer *e, const idl_field *fields, size_t n, const arg_names *a) {
        return refs(e, fields, n, a, false);
}

char *out_refs(printer *e, const idl_field *fields, size_t n, const arg_names *a) {
        return refs(e, fields, n, a, true);
}

void open_function(printer *e, char *proto) {
        if (!proto) {
                printer_fail(e, -ENOMEM);
                return;
        }
        emit(e, "%s {", proto);
        free(proto);
        indent(e);
}

void close_function(printer *e) {
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

void emit_value_in(printer *e, const idl_property *p) {
        idl_field value = { .name = (char *) "value", .type = p->type };
        char *ref = in_refs(e, &value, 1, property_value_names());
        if (!ref)
                printer_fail(e, -ENOMEM);
        emit(e, "const dbidl_in dbidl_value = %s;", ref ? ref : "");
        free(ref);
}

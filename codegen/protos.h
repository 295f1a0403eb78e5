/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/protos.h — the generated C names and prototypes, written once for the header and the .c files */
#pragma once

#include "codegen/ctype.h"
#include "codegen/printer.h"
#include "idl/ast.h"

/* The C names of a method's inputs then outputs (n_in + n_out entries). */
arg_names *method_arg_names(const idl_method *m);
/* The C names of a signal's arguments. */
arg_names *signal_arg_names(const idl_signal *s);
/* The fixed names of a property value: value, n_value, ret_value, ret_n_value (static storage). */
const arg_names *property_value_names(void);

typedef enum role {
        ROLE_IN,                /* a value the caller passes in, borrowed */
        ROLE_OUT,               /* a pointer to storage that receives an owned value */
        ROLE_BORROWED,          /* a value lent to a callback for the duration of the call */
        ROLE_LENT,              /* a pointer to storage that receives a value lent by a reply (P_borrow_m) */
} role;

/* Append to `b` the C parameter declaration(s) of one argument, e.g. "const int32_t *x, size_t n_x". */
void param_decl(strbuf *b, const idl_type *t, role r, const arg_names *n);

/*
 * The generic marshalling (dbidl/generated.h): the expressions generated
 * tables and adapters are made of, appended to `b` (whose printer has the
 * types registry).
 *
 * codec_ref: the address of the codec of `t`: "&dbidl_codec_i", "&dbidl_codec_asv", "&dbidl_codec_P_Point".
 * in_ref: the dbidl_in of an argument passed as the parameters `x` (and `n`): "{ &x, 0 }", "{ &x, n }", "{ x, 0 }".
 * out_ref: the dbidl_out of the ret parameters `ret` (and `ret_n`): "{ ret, NULL }", "{ ret, ret_n }".
 * slot_value: the argument(s) passing the storage `v` (a void *, its count `n`) on as a borrowed value:
 *   "*(const int32_t *) v", "*(const int32_t *const *) v, n", "(const P_Point *) v".
 * slot_ret: the ret argument(s) of a handler that fills the storage `v` (and count `n`): "(char **) v", "(int32_t **) v, &n".
 */
void codec_ref(strbuf *b, const idl_type *t);
void in_ref(strbuf *b, const idl_type *t, const char *x, const char *n);
void out_ref(strbuf *b, const idl_type *t, const char *ret, const char *ret_n);
void slot_value(strbuf *b, const idl_type *t, const char *v, const char *n);
void slot_ret(strbuf *b, const idl_type *t, const char *v, const char *n);

/*
 * Prototypes without the trailing ';', malloc'd; the names come from the
 * naming module, kept by `e`.  These are the only places the generated API's shapes are
 * spelled out; docs/c-api.md describes them.
 */
char *proto_method_call(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);
char *proto_method_borrow(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);  /* lent outputs */
char *proto_method_async(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);
char *proto_reply_fn(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);    /* typedef */
char *proto_method_reply(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);   /* deferred reply */
char *proto_method_return(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a);  /* immediate, borrowed */
char *proto_method_handler(printer *e, const idl_interface *it, const idl_method *m, const arg_names *a); /* struct field */
char *proto_signal_fn(printer *e, const idl_interface *it, const idl_signal *s, const arg_names *a);   /* typedef */
char *proto_connect(printer *e, const idl_interface *it, const idl_signal *s);
char *proto_emit(printer *e, const idl_interface *it, const idl_signal *s, const arg_names *a);
char *proto_property_get(printer *e, const idl_interface *it, const idl_property *p);
char *proto_property_set(printer *e, const idl_interface *it, const idl_property *p);
char *proto_property_get_cached(printer *e, const idl_interface *it, const idl_property *p);
char *proto_property_changed_fn(printer *e, const idl_interface *it, const idl_property *p);  /* typedef */
char *proto_connect_changed(printer *e, const idl_interface *it, const idl_property *p);
char *proto_property_handler(printer *e, const idl_interface *it, const idl_property *p, bool set); /* struct field */
char *proto_notify(printer *e, const idl_interface *it, const idl_property *p);
char *proto_store(printer *e, const idl_interface *it, const idl_property *p);
char *proto_export(printer *e, const idl_interface *it);

/*
 * The C name of `role` for member `m` (NULL for the interface's own roles)
 * of `it`, from the naming module (c_name_new); kept by the printer until
 * printer_finish().
 */
const char *cname(printer *e, c_role role, const idl_interface *it, const idl_common *m);

bool property_readable(const idl_property *p);
bool property_writable(const idl_property *p);
idl_emits property_emits(const idl_property *p);
bool property_notifies(const idl_property *p);
/* false for a client-only property (idl_property.client_only): no vtable entry, handlers or notify function */
bool property_served(const idl_property *p);
/* Whether the skeleton keeps the value (a readable, served property of a @stored interface): P_store_m, no get_m. */
bool property_stored(const idl_interface *it, const idl_property *p);

/* The index of a member in the interface's member table: methods, then signals, then properties. */
size_t method_index(const idl_interface *it, const idl_method *m);
size_t signal_index(const idl_interface *it, const idl_signal *s);
size_t property_index(const idl_interface *it, const idl_property *p);

/*
 * The parameters of dbidl_in/dbidl_out arrays: "{ &a, 0 }, { v, n_v }" for
 * `fields` named by `a` (ret names with `ret`); "" for none.  malloc'd.
 */
char *in_refs(printer *e, const idl_field *fields, size_t n, const arg_names *a);
char *out_refs(printer *e, const idl_field *fields, size_t n, const arg_names *a);

/* A function's first line ("PROTO {", taking `proto`; NULL: ENOMEM) and indent; its last line and a blank. */
void open_function(printer *e, char *proto);
void close_function(printer *e);
/* `const dbidl_in dbidl_value = { &value, 0 };`: the dbidl_in of a property value passed as `value` (n_value). */
void emit_value_in(printer *e, const idl_property *p);

/* The first lines of every generated file: SPDX-free banner naming dbidlc, its version and the source. */
struct codegen_options;
void emit_banner(printer *e, const struct codegen_options *o, const char *what);

/*
 * A generated .c file: banner, the header's #include (which has the
 * marshalling helpers and member tables), then `emit_interface` for every
 * interface.  Returns 0, -errno
 * or -EOPNOTSUPP as codegen_client() does.
 */
int codegen_c_source(const idl_file *f, const struct codegen_options *o, strbuf *out, idl_diag_sink *sink,
                     const char *what,
                     void (*emit_interface)(printer *e, const idl_interface *it));

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/protos.h — the generated C names and prototypes, written once for the header and the .c files */
#pragma once

#include "codegen/ctype.h"
#include "idl/ast.h"

/* The C names of a method's inputs then outputs (n_in + n_out entries). */
arg_names *method_arg_names(const idl_method *m);
/* The C names of a signal's arguments. */
arg_names *signal_arg_names(const idl_signal *s);
/* The fixed names of a property value: value, n_value, ret_value, ret_n_value (static storage). */
const arg_names *property_value_names(void);

/*
 * Prototypes without the trailing ';', malloc'd.  `P` is the interface's
 * C prefix.  These are the only places the generated API's shapes are
 * spelled out; docs/c-api.md describes them.
 */
char *proto_method_call(const idl_interface *it, const idl_method *m, const arg_names *a);
char *proto_method_async(const idl_interface *it, const idl_method *m, const arg_names *a);
char *proto_reply_fn(const idl_interface *it, const idl_method *m, const arg_names *a);    /* typedef */
char *proto_method_reply(const idl_interface *it, const idl_method *m, const arg_names *a);   /* deferred reply */
char *proto_method_return(const idl_interface *it, const idl_method *m, const arg_names *a);  /* immediate, borrowed */
char *proto_method_handler(const idl_interface *it, const idl_method *m, const arg_names *a); /* struct field */
char *proto_signal_fn(const idl_interface *it, const idl_signal *s, const arg_names *a);   /* typedef */
char *proto_connect(const idl_interface *it, const idl_signal *s);
char *proto_emit(const idl_interface *it, const idl_signal *s, const arg_names *a);
char *proto_property_get(const idl_interface *it, const idl_property *p);
char *proto_property_set(const idl_interface *it, const idl_property *p);
char *proto_property_get_cached(const idl_interface *it, const idl_property *p);
char *proto_property_changed_fn(const idl_interface *it, const idl_property *p);  /* typedef */
char *proto_connect_changed(const idl_interface *it, const idl_property *p);
char *proto_property_handler(const idl_interface *it, const idl_property *p, bool set); /* struct field */
char *proto_notify(const idl_interface *it, const idl_property *p);
char *proto_export(const idl_interface *it);

/* The field name of a method's handler ("add"; keywords get '_'), of a property's get_/set_ handlers.  malloc'd. */
char *handler_field(const idl_common *c, const char *prefix);

bool property_readable(const idl_property *p);
bool property_writable(const idl_property *p);
idl_emits property_emits(const idl_property *p);
bool property_notifies(const idl_property *p);
/* false for a client-only property (idl_property.client_only): no vtable entry, handlers or notify function */
bool property_served(const idl_property *p);

/* The first lines of every generated file: SPDX-free banner naming dbidlc, its version and the source. */
struct codegen_options;
void emit_banner(printer *e, const struct codegen_options *o, const char *what);

/*
 * A generated .c file: banner, includes, the marshalling helpers of the
 * file's types, then `emit_interface` for every interface.  Returns 0, -errno
 * or -EOPNOTSUPP as codegen_client() does.
 */
int codegen_c_source(const idl_file *f, const struct codegen_options *o, FILE *out, FILE *err, const char *what,
                     void (*emit_interface)(printer *e, const idl_interface *it));

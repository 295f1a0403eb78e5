/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-header.c — the C back end's header: constants, types, client API, server API */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/protos.h"
#include "codegen/types.h"

/* Print a prototype built by protos.c, followed by `suffix`; remembers ENOMEM. */
static void emit_proto(printer *e, char *proto, const char *attr, const char *suffix) {
        if (!proto) {
                e->error = e->error ? e->error : -ENOMEM;
                return;
        }
        emit(e, "%s%s%s", proto, attr, suffix);
        free(proto);
}

static const char *deprecated_attr(const idl_common *c) {
        return c->deprecated ? " DBIDL_DEPRECATED" : "";
}

static void emit_errors(printer *e, const idl_interface *it) {
        for (size_t i = 0; i < it->n_errors; i++) {
                const idl_error *er = &it->errors[i];
                const char *name = cname(e, CN_ERROR_CONST, it, &er->c), *raise = cname(e, CN_RAISE, it, &er->c);
                const char *fail = cname(e, CN_FAIL, it, &er->c);
                emit_doc(e, er->c.doc);
                emit(e, "#define %s \"%s\"", name, er->c.dbus_name);
                emit_blank(e);
                emit(e, "/*");
                emit(e, " * Set *error to %s with a printf-style message, for a handler to", er->c.dbus_name);
                emit(e, " * return: `return %s(ret_error, \"…\");`.  Returns the negative", raise);
                emit(e, " * errno sd-bus maps the name to (-EIO unless a map was added); error may be NULL.");
                emit(e, " */");
                emit(e, "static inline int %s(sd_bus_error *error, const char *format, ...) DBIDL_PRINTF(2, 3);", raise);
                emit(e, "static inline int %s(sd_bus_error *error, const char *format, ...) {", raise);
                indent(e);
                emit(e, "va_list ap;");
                emit(e, "va_start(ap, format);");
                emit(e, "int r = sd_bus_error_setfv(error, %s, format, ap);", name);
                emit(e, "va_end(ap);");
                emit(e, "return r;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
                emit(e, "/*");
                emit(e, " * Answer a deferred call (dbidl_defer()) with %s and a printf-style", er->c.dbus_name);
                emit(e, " * message; consumes `pending`.  Returns 0 or a negative errno (dbidl_pending_reply_error()).");
                emit(e, " */");
                emit(e, "static inline int %s(dbidl_pending *pending, const char *format, ...) DBIDL_PRINTF(2, 3);", fail);
                emit(e, "static inline int %s(dbidl_pending *pending, const char *format, ...) {", fail);
                indent(e);
                emit(e, "sd_bus_error error = { NULL, NULL, 0 };");
                emit(e, "va_list ap;");
                emit(e, "va_start(ap, format);");
                emit(e, "(void) sd_bus_error_setfv(&error, %s, format, ap);", name);
                emit(e, "va_end(ap);");
                emit(e, "int r = dbidl_pending_reply_error(pending, &error);");
                emit(e, "sd_bus_error_free(&error);");
                emit(e, "return r;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
                emit(e, "/* true if a call failed with %s. */", er->c.dbus_name);
                emit(e, "static inline bool %s(const sd_bus_error *error) {", cname(e, CN_ERROR_IS, it, &er->c));
                indent(e);
                emit(e, "return sd_bus_error_has_name(error, %s) > 0;", name);
                dedent(e);
                emit(e, "}");
                emit_blank(e);
        }
}

static void emit_raises_doc(printer *e, const idl_method *m) {
        for (size_t k = 0; k < m->n_raises; k++)
                if (m->raises[k].error)
                        emit(e, " *   %s", m->raises[k].error->c.dbus_name);
}

static void emit_client_api(printer *e, const idl_interface *it) {
        const char *proxy = cname(e, CN_PROXY, it, NULL);
        emit(e, "/* ---- client: %s ---- */", it->c.name);
        emit_blank(e);
        emit(e, "/*");
        emit(e, " * A proxy for a remote object implementing %s: bound to a bus, a", it->c.name);
        emit(e, " * destination (well-known or unique name; NULL on a peer connection) and an");
        emit(e, " * object path.  Reference counted; holds a reference to the bus.");
        emit(e, " * Returns 0, -EINVAL for an invalid name or path, or -ENOMEM.");
        emit(e, " */");
        emit(e, "int %s(sd_bus *bus, const char *destination, const char *path, %s **ret);",
             cname(e, CN_PROXY_NEW, it, NULL), proxy);
        emit(e, "%s *%s(%s *proxy);", proxy, cname(e, CN_PROXY_REF, it, NULL), proxy);
        emit(e, "/* Drop a reference; accepts NULL; returns NULL. */");
        emit(e, "%s *%s(%s *proxy);", proxy, cname(e, CN_PROXY_UNREF, it, NULL), proxy);
        emit(e, "/*");
        emit(e, " * The generic proxy behind `proxy` (borrowed), for the settings of");
        emit(e, " * dbidl/proxy.h: dbidl_proxy_enable_cache(), dbidl_proxy_set_timeout() (in");
        emit(e, " * microseconds), dbidl_proxy_set_diagnostic_handler(),");
        emit(e, " * dbidl_proxy_get_n_bad_messages().  NULL for NULL.");
        emit(e, " */");
        emit(e, "static inline dbidl_proxy *%s(%s *proxy) {", cname(e, CN_PROXY_BASE, it, NULL), proxy);
        indent(e);
        emit(e, "return (dbidl_proxy *) proxy;");
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
                emit_doc(e, m->c.doc);
                emit(e, "/*");
                if (m->noreply) {
                        emit(e, " * Send %s.%s (\"%s\") without waiting: the method is @noreply.", it->c.name,
                             m->c.dbus_name, m->in_signature);
                        emit(e, " * Returns 0 once queued, or a negative errno from sd_bus_send().");
                        emit(e, " */");
                        emit_proto(e, proto_method_call(e, it, m, a), deprecated_attr(&m->c), ";");
                        emit_blank(e);
                        arg_names_free(a, m->n_in + m->n_out);
                        continue;
                }
                emit(e, " * Call %s.%s (in \"%s\", out \"%s\") and wait for the reply", it->c.name,
                     m->c.dbus_name, m->in_signature, m->out_signature);
                emit(e, " * (sd_bus_call()) for at most timeout_usec microseconds (0: the proxy's");
                emit(e, " * timeout, see dbidl_proxy_set_timeout()).  On success every ret_* that is");
                emit(e, " * not NULL receives an output the caller owns (free(), dbidl_strv_free(),");
                emit(e, " * *_unref(), close(): see docs/c-api.md).  Returns 0, or a negative errno;");
                emit(e, " * a D-Bus error reply is stored in ret_error (may be NULL), and so is the");
                emit(e, " * reason of -EBADMSG (another reply signature: InvalidSignature) and -EDOM");
                emit(e, " * (an undeclared enum value in the reply: InvalidArgs). Declared errors:");
                emit_raises_doc(e, m);
                if (m->n_raises == 0)
                        emit(e, " *   none");
                emit(e, " */");
                emit_proto(e, proto_method_call(e, it, m, a), deprecated_attr(&m->c), ";");
                if (m->n_out > 0) {
                        emit(e, "/*");
                        emit(e, " * The same blocking call with the outputs lent, not copied (as sd-bus's");
                        emit(e, " * sd_bus_message_read()): strings and arrays point into the reply message,");
                        emit(e, " * fds belong to it, a struct output points to a value it keeps.  On success");
                        emit(e, " * *ret_reply (not NULL) holds the reply: every output stays valid until");
                        emit(e, " * dbidl_reply_free(*ret_reply), which the caller calls once; free nothing");
                        emit(e, " * else.  On failure *ret_reply and the ret_* are untouched.  Returns as the");
                        emit(e, " * owned form above; -EINVAL for a NULL ret_reply.  Use it for large outputs");
                        emit(e, " * that are read once (docs/c-api.md, \"Lent outputs\").");
                        emit(e, " */");
                        emit_proto(e, proto_method_borrow(e, it, m, a), deprecated_attr(&m->c), ";");
                }
                emit(e, "/*");
                emit(e, " * The same call without blocking (sd_bus_call_async()): `callback` runs from");
                emit(e, " * the bus's event loop with the outputs (borrowed, valid during the");
                emit(e, " * callback) or with `error` set (a D-Bus error, a timeout, a malformed reply;");
                emit(e, " * the outputs are then zero).  Releasing *ret_slot cancels the call; with");
                emit(e, " * ret_slot NULL it is cancelled with the proxy.  timeout_usec as above; a timeout");
                emit(e, " * arrives as org.freedesktop.DBus.Error.NoReply.  Returns 0 or a negative errno.");
                emit(e, " */");
                emit_proto(e, proto_method_async(e, it, m, a), deprecated_attr(&m->c), ";");
                emit_blank(e);
                arg_names_free(a, m->n_in + m->n_out);
        }

        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                emit_doc(e, s->c.doc);
                emit(e, "/*");
                emit(e, " * Connect `handler` to the signal %s.%s (\"%s\") of the proxy's", it->c.name,
                     s->c.dbus_name, s->signature);
                emit(e, " * destination and path (sd_bus_match_signal()).  The handler gets borrowed");
                emit(e, " * arguments valid during the call.  The slot stays connected until *ret_slot");
                emit(e, " * is released (sd_bus_slot_unref()); with ret_slot NULL, as long as the proxy.");
                emit(e, " * Returns 0 or a negative errno from sd-bus.");
                emit(e, " */");
                emit_proto(e, proto_connect(e, it, s), deprecated_attr(&s->c), ";");
                emit_blank(e);
        }

        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                emit_doc(e, p->c.doc);
                if (!property_served(p)) {
                        emit(e, "/*");
                        emit(e, " * \"%s\" is a property name GDBus serves but no D-Bus member name:", p->c.dbus_name);
                        emit(e, " * sd-bus cannot serve it, so %s has no field for it and %s()",
                             cname(e, CN_HANDLERS, it, NULL), cname(e, CN_EXPORT, it, NULL));
                        emit(e, " * leaves it out.  The client functions below work with it as with any other.");
                        emit(e, " */");
                }
                if (property_readable(p)) {
                        emit(e, "/*");
                        emit(e, " * Read the property %s (\"%s\") with org.freedesktop.DBus.Properties.Get.",
                             p->c.dbus_name, p->type->signature);
                        emit(e, " * The caller owns *ret_value (ret_value may be NULL).  Returns 0, -ENXIO");
                        emit(e, " * if the service sent another type (InvalidSignature), -EDOM for an undeclared");
                        emit(e, " * enum value (InvalidArgs), or another negative errno, with the reason in");
                        emit(e, " * ret_error (may be NULL).");
                        emit(e, " */");
                        emit_proto(e, proto_property_get(e, it, p), deprecated_attr(&p->c), ";");
                }
                if (property_readable(p)) {
                        emit(e, "/*");
                        emit(e, " * The value of %s in the proxy's property cache (dbidl_proxy_enable_cache(),", p->c.dbus_name);
                        emit(e, " * dbidl_proxy_load_properties()), without blocking.  Returns 0 with *ret_value");
                        emit(e, " * owned by the caller, -ENODATA when the property is not cached (no cache, not");
                        emit(e, " * loaded yet, invalidated, service gone, or the service's last value was one");
                        emit(e, " * the IDL refuses, which the proxy counted as a bad message), or -ENOMEM.");
                        emit(e, " */");
                        emit_proto(e, proto_property_get_cached(e, it, p), deprecated_attr(&p->c), ";");
                }
                if (property_readable(p) && property_notifies(p)) {
                        emit(e, "/*");
                        emit(e, " * Connect `handler` to changes of %s (PropertiesChanged): it gets the new", p->c.dbus_name);
                        emit(e, " * value, borrowed, or invalidated = true and a zero value.  The cache, if");
                        emit(e, " * enabled, is already updated when it runs.  A value the IDL refuses is");
                        emit(e, " * reported (dbidl_proxy_set_diagnostic_handler()), not passed on.  Slot");
                        emit(e, " * lifetime as for signals.");
                        emit(e, " */");
                        emit_proto(e, proto_connect_changed(e, it, p), deprecated_attr(&p->c), ";");
                }
                if (property_writable(p)) {
                        emit(e, "/*");
                        emit(e, " * Write the property %s (\"%s\") with org.freedesktop.DBus.Properties.Set.",
                             p->c.dbus_name, p->type->signature);
                        emit(e, " * Returns 0, or a negative errno with the service's error in ret_error.");
                        emit(e, " */");
                        emit_proto(e, proto_property_set(e, it, p), deprecated_attr(&p->c), ";");
                }
                emit_blank(e);
        }
}

static void emit_server_api(printer *e, const idl_interface *it) {
        emit(e, "/* ---- server: %s ---- */", it->c.name);
        emit_blank(e);
        emit(e, "/*");
        emit(e, " * Export `handlers` for %s at `path` (sd_bus_add_object_vtable() with a", it->c.name);
        emit(e, " * static const vtable).  `handlers` is borrowed and must outlive the export;");
        emit(e, " * every handler receives `userdata`.  A NULL handler answers");
        emit(e, " * org.freedesktop.DBus.Error.NotSupported.  Releasing *ret_slot unexports; with");
        emit(e, " * ret_slot NULL the export lasts as long as the bus.  Returns 0, -EINVAL,");
        emit(e, " * -EEXIST (already exported there) or -ENOMEM.");
        emit(e, " */");
        if (it->stored) {
                emit(e, "/*");
                emit(e, " * @stored: the export keeps a value for every readable property, at first its");
                emit(e, " * type's empty value; Get and GetAll answer from it without a handler, the");
                emit(e, " * P_store_m() functions below change it.  Freed with the export.");
                emit(e, " */");
        }
        emit_proto(e, proto_export(e, it), "", ";");
        emit_blank(e);
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_stored(it, p))
                        continue;
                static const char *const what[] = {
                        [IDL_EMITS_CHANGE] = "queues it as changed",
                        [IDL_EMITS_INVALIDATES] = "queues it as invalidated",
                        [IDL_EMITS_CONST] = "@emits(const): only the first value is taken, a different later one is -EPERM",
                        [IDL_EMITS_NONE] = "@emits(none): sends nothing",
                };
                emit(e, "/*");
                emit(e, " * Keep `value` (copied) as %s of the export at `path` on `bus`; a change", p->c.dbus_name);
                emit(e, " * %s.", what[property_emits(p)]);
                emit(e, " * Queued changes go out as one PropertiesChanged per object and interface when");
                emit(e, " * the sd-event loop comes round, or at dbidl_bus_flush_properties().  Returns 1");
                emit(e, " * (changed), 0 (equal value), -ENOENT (no such @stored export), -EPERM, -EINVAL");
                emit(e, " * (a value that cannot be sent) or -ENOMEM (dbidl_object_store()).");
                emit(e, " */");
                emit_proto(e, proto_store(e, it, p), "", ";");
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                arg_names *a = signal_arg_names(s);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "/* Emit %s.%s (\"%s\") from `path` (sd_bus_send()).  Returns 0 or a negative errno. */",
                     it->c.name, s->c.dbus_name, s->signature);
                emit_proto(e, proto_emit(e, it, s, a), "", ";");
                arg_names_free(a, s->n_args);
        }
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                if (m->noreply)
                        continue;
                arg_names *a = method_arg_names(m);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "/*");
                emit(e, " * Answer the call to %s being handled, from inside its handler, with the", m->c.dbus_name);
                emit(e, " * outputs borrowed (nothing is copied): `return %s(call, …);`.", cname(e, CN_RETURN, it, &m->c));
                emit(e, " * Returns DBIDL_REPLIED (the skeleton then sends nothing more) or a negative errno.");
                emit(e, " */");
                emit_proto(e, proto_method_return(e, it, m, a), "", ";");
                emit(e, "/*");
                emit(e, " * Answer a call to %s that its handler deferred (dbidl_defer()) with the", m->c.dbus_name);
                emit(e, " * outputs (borrowed).  Consumes `pending`, also on failure (the caller then gets");
                emit(e, " * the error).  Returns 0 or a negative errno from sd-bus.");
                emit(e, " */");
                emit_proto(e, proto_method_reply(e, it, m, a), "", ";");
                arg_names_free(a, m->n_in + m->n_out);
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_notifies(p) || !property_served(p))
                        continue;
                emit(e, "/*");
                emit(e, " * Emit PropertiesChanged for %s from `path`, %s", p->c.dbus_name,
                     p->emits != IDL_EMITS_CHANGE ? "listing it as invalidated"
                     : property_stored(it, p)     ? "now, with the kept value"
                                                  : "with the value read from the get_ handler");
                emit(e, " * (sd_bus_emit_properties_changed()).  Returns 0 or a negative errno.");
                emit(e, " */");
                emit_proto(e, proto_notify(e, it, p), "", ";");
        }
        emit_blank(e);
}

static void emit_types(printer *e, const idl_interface *it) {
        const char *proxy = cname(e, CN_PROXY, it, NULL), *handlers = cname(e, CN_HANDLERS, it, NULL);
        emit(e, "/* ---- types: %s ---- */", it->c.name);
        emit_blank(e);
        emit(e, "typedef struct %s %s;", proxy, proxy);
        emit_blank(e);
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                if (m->noreply)
                        continue;
                arg_names *a = method_arg_names(m);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "/* Completion of %s(): error is NULL on success. */", cname(e, CN_ASYNC, it, &m->c));
                emit_proto(e, proto_reply_fn(e, it, m, a), "", ";");
                arg_names_free(a, m->n_in + m->n_out);
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *s = &it->signals[i];
                arg_names *a = signal_arg_names(s);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "/* A slot for the signal %s; arguments are borrowed. */", s->c.dbus_name);
                emit_proto(e, proto_signal_fn(e, it, s, a), "", ";");
                arg_names_free(a, s->n_args);
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_readable(p) || !property_notifies(p))
                        continue;
                emit(e, "/* A slot for changes of the property %s; the value is borrowed. */", p->c.dbus_name);
                emit_proto(e, proto_property_changed_fn(e, it, p), "", ";");
        }
        emit_blank(e);
        emit(e, "/*");
        emit(e, " * The service side of %s: one function pointer per method and per", it->c.name);
        emit(e, " * property accessor.  Method handlers get the call (for sd_bus_message_get_creds()");
        emit(e, " * and friends), the export's userdata, the inputs (borrowed, valid during the");
        emit(e, " * call) and ret_* pointers for the outputs, which the skeleton owns afterwards");
        emit(e, " * and frees once the reply is sent.  As in sd-bus, return 0 to reply with the");
        emit(e, " * outputs; a negative errno, with ret_error set for a named D-Bus error (the");
        emit(e, " * raise helpers below), to reply with an error; or a positive value when the");
        emit(e, " * handler has answered itself (P_return_m(), or");
        emit(e, " * `return sd_bus_reply_method_return(call, …);`) or kept the call to answer");
        emit(e, " * later (`return dbidl_defer(call, cancelled, userdata, &pending);`, then");
        emit(e, " * P_reply_m() or an error's P_fail_e()): the skeleton then");
        emit(e, " * sends nothing and frees whatever the handler stored through ret_*.");
        emit(e, " */");
        emit(e, "typedef struct %s {", handlers);
        indent(e);
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                arg_names *a = method_arg_names(m);
                if (!a) {
                        e->error = -ENOMEM;
                        return;
                }
                emit(e, "/* %s(%s) -> (%s)%s */", m->c.dbus_name, m->in_signature, m->out_signature,
                     m->noreply ? ", @noreply: no reply is sent" : "");
                emit_proto(e, proto_method_handler(e, it, m, a), "", ";");
                arg_names_free(a, m->n_in + m->n_out);
        }
        size_t n_fields = 0;
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                if (!property_served(p)) {
                        emit(e, "/* property %s \"%s\": left out, no D-Bus member name (sd-bus cannot serve it) */",
                             p->c.dbus_name, p->type->signature);
                        continue;
                }
                if (property_stored(it, p) && !property_writable(p)) {
                        emit(e, "/* property %s \"%s\": @stored, kept by the skeleton (%s()) */", p->c.dbus_name,
                             p->type->signature, cname(e, CN_STORE, it, &p->c));
                        continue;
                }
                if (property_stored(it, p))
                        emit(e, "/* property %s \"%s\": @stored; optional: vets a remote Set before it is kept */",
                             p->c.dbus_name, p->type->signature);
                else
                        emit(e, "/* property %s \"%s\" */", p->c.dbus_name, p->type->signature);
                if (property_readable(p) && !property_stored(it, p)) {
                        emit_proto(e, proto_property_handler(e, it, p, false), "", ";");
                        n_fields++;
                }
                if (property_writable(p)) {
                        emit_proto(e, proto_property_handler(e, it, p, true), "", ";");
                        n_fields++;
                }
        }
        if (it->n_methods == 0 && n_fields == 0)
                emit(e, "int unused_; /* the interface has no methods or properties%s */",
                     it->n_properties > 0 ? " to serve through handlers" : "");
        dedent(e);
        emit(e, "} %s;", handlers);
        emit_blank(e);
}

/* ---- the tables the generated .c files share (dbidl/generated.h) ---- */

/* One args entry: { "name", &codec }. */
static void emit_arg(printer *e, const char *name, const idl_type *t) {
        strbuf b;
        strbuf_open(&b, e);
        codec_ref(&b, t);
        char *codec = strbuf_close(&b);
        emit(e, "{ \"%s\", %s },", name, codec);
        free(codec);
}

/* "dbidl_P_args + at" for a member with n arguments, "NULL" for none. */
static void args_ref(char *buf, size_t size, const char *P, size_t n, size_t at) {
        if (n)
                snprintf(buf, size, "dbidl_%s_args + %zu", P, at);
        else
                snprintf(buf, size, "NULL");
}

static unsigned property_flags(const idl_interface *it, const idl_property *p, char *buf, size_t size) {
        unsigned n = 0;
        buf[0] = '\0';
        struct {
                bool on;
                const char *name;
        } flags[] = {
                { property_readable(p), "DBIDL_PROPERTY_READ" },
                { property_writable(p), "DBIDL_PROPERTY_WRITE" },
                { property_notifies(p), "DBIDL_PROPERTY_NOTIFY" },
                { type_has_enum(p->type), "DBIDL_PROPERTY_CHECK" },
                { property_stored(it, p), "DBIDL_PROPERTY_STORED" },
        };
        for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
                if (flags[i].on) {
                        size_t len = strlen(buf);
                        snprintf(buf + len, size - len, "%s%s", n++ ? " | " : "", flags[i].name);
                }
        if (!n)
                snprintf(buf, size, "0");
        return n;
}

/*
 * dbidl_P_args: every argument of every member, in member order; dbidl_P_members:
 * the methods, then the signals, then the properties (member_index()).
 */
static void emit_tables(printer *e, const idl_interface *it) {
        const char *P = it->c_prefix;
        size_t n_args = 0;
        for (size_t i = 0; i < it->n_methods; i++)
                n_args += it->methods[i].n_in + it->methods[i].n_out;
        for (size_t i = 0; i < it->n_signals; i++)
                n_args += it->signals[i].n_args;
        n_args += it->n_properties;
        if (!it->n_methods && !it->n_signals && !it->n_properties)
                return;
        emit(e, "/* %s: the arguments of its members, and its members (methods, signals, properties) */", it->c.name);
        if (n_args) {
                emit(e, "static const dbidl_arg dbidl_%s_args[] = {", P);
                indent(e);
                for (size_t i = 0; i < it->n_methods; i++) {
                        const idl_method *m = &it->methods[i];
                        for (size_t k = 0; k < m->n_in; k++)
                                emit_arg(e, m->in[k].name, m->in[k].type);
                        for (size_t k = 0; k < m->n_out; k++)
                                emit_arg(e, m->out[k].name, m->out[k].type);
                }
                for (size_t i = 0; i < it->n_signals; i++)
                        for (size_t k = 0; k < it->signals[i].n_args; k++)
                                emit_arg(e, it->signals[i].args[k].name, it->signals[i].args[k].type);
                for (size_t i = 0; i < it->n_properties; i++)
                        emit_arg(e, "value", it->properties[i].type);
                dedent(e);
                emit(e, "};");
        }
        emit(e, "static const dbidl_member dbidl_%s_members[] = {", P);
        indent(e);
        size_t at = 0;
        for (size_t i = 0; i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                size_t n = m->n_in + m->n_out;
                char args[400];
                args_ref(args, sizeof args, P, n, at);
                emit(e, "{ \"%s\", \"%s\", \"%s\", %s, %zu, %zu, %s },", m->c.dbus_name, m->in_signature,
                     m->out_signature, args, m->n_in, m->n_out, m->noreply ? "DBIDL_MEMBER_NOREPLY" : "0");
                at += n;
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                const idl_signal *sg = &it->signals[i];
                char args[400];
                args_ref(args, sizeof args, P, sg->n_args, at);
                emit(e, "{ \"%s\", \"%s\", \"\", %s, %zu, 0, 0 },", sg->c.dbus_name, sg->signature, args,
                     sg->n_args);
                at += sg->n_args;
        }
        for (size_t i = 0; i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                char flags[160], args[400];
                property_flags(it, p, flags, sizeof flags);
                args_ref(args, sizeof args, P, 1, at);
                emit(e, "{ \"%s\", \"%s\", \"\", %s, 1, 0, %s },", p->c.dbus_name, p->type->signature, args,
                     flags);
                at++;
        }
        dedent(e);
        emit(e, "};");
        emit_blank(e);
}

static char *guard_name(const char *stem) {
        size_t n = strlen(stem);
        char *g = malloc(n + sizeof("DBIDL_GENERATED__H"));
        if (!g)
                return NULL;
        strcpy(g, "DBIDL_GENERATED_");
        char *p = g + strlen(g);
        for (size_t i = 0; i < n; i++)
                *p++ = isalnum((unsigned char) stem[i]) ? (char) toupper((unsigned char) stem[i]) : '_';
        strcpy(p, "_H");
        return g;
}

int codegen_header(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink) {
        int r = check_supported(f, sink);
        if (r < 0)
                return r;
        char *guard = guard_name(o->stem);
        if (!guard)
                return -ENOMEM;

        printer pr, *e = &pr;
        printer_init(e, out);
        emit_banner(e, o, "The C API: constants, types, client (proxy) and server (skeleton) functions.");
        emit(e, "#ifndef %s", guard);
        emit(e, "#define %s", guard);
        emit_blank(e);
        emit(e, "#include <errno.h>");
        emit(e, "#include <stdarg.h>");
        emit(e, "#include <stdbool.h>");
        emit(e, "#include <stddef.h>");
        emit(e, "#include <stdint.h>");
        emit(e, "#include <stdlib.h>");
        emit(e, "#include <string.h>");
        emit(e, "#include <systemd/sd-bus.h>");
        emit_blank(e);
        emit(e, "#include <dbidl/generated.h>");
        emit_blank(e);
        /* the C types of imported files come from their own generated headers */
        r = types_new(f, o->stem, &e->types);
        if (r < 0) {
                free(guard);
                printer_finish(e);
                return r;
        }
        bool any_import = false;
        for (size_t i = 0; i < f->n_imports; i++) {
                if (!f->imports[i].file || !types_uses_file(e->types, f->imports[i].file->path))
                        continue;
                any_import = true;
                const char *path = f->imports[i].path, *base = strrchr(path, '/');
                base = base ? base + 1 : path;
                size_t n = strlen(base);
                emit(e, "#include \"%.*s.h\"", (int) (n > 4 && strcmp(base + n - 4, ".idl") == 0 ? n - 4 : n),
                     base);
        }
        if (any_import)
                emit_blank(e);
        emit(e, "#if DBIDL_ABI_VERSION != 3");
        emit(e, "#error \"%s.h was generated for libdbidl ABI 3; regenerate it with the dbidlc of this libdbidl\"",
             o->stem);
        emit(e, "#endif");
        emit_blank(e);
        emit(e, "#ifdef __cplusplus");
        emit(e, "extern \"C\" {");
        emit(e, "#endif");
        emit_blank(e);

        emit(e, "/* ---- constants ---- */");
        emit_blank(e);
        for (size_t i = 0; i < f->n_interfaces; i++) {
                const idl_interface *it = &f->interfaces[i];
                emit_doc(e, it->c.doc);
                emit(e, "#define %s \"%s\"", cname(e, CN_INTERFACE_CONST, it, NULL), it->c.name);
                emit_blank(e);
                emit_errors(e, it);
        }
        types_emit_header(e);
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_types(e, &f->interfaces[i]);
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_client_api(e, &f->interfaces[i]);
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_server_api(e, &f->interfaces[i]);
        /* what the generated .c files share: the marshalling of the types, the member tables */
        types_emit_helpers(e);
        for (size_t i = 0; i < f->n_interfaces; i++)
                emit_tables(e, &f->interfaces[i]);

        emit(e, "#ifdef __cplusplus");
        emit(e, "}");
        emit(e, "#endif");
        emit_blank(e);
        emit(e, "#endif /* %s */", guard);
        e->types = types_free(e->types);
        free(guard);
        return printer_finish(e);
}

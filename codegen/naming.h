/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/naming.h — the one naming module: every generated C identifier */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "idl/ast.h"
#include "idl/diag.h"

/*
 * The generated C API's names (docs/c-api.md, "Naming scheme", has the same
 * table with examples).  P is the interface's C prefix, m a member's C name
 * (snake_case), M the same words in UpperCamelCase, E an error's C name.
 *
 * Functions are P_VERB_m: the verb comes first, so the names of one role
 * never meet those of another (no verb followed by '_' starts another verb).
 * Types are P_ followed by an upper-case letter (UpperCamelCase), functions
 * P_ followed by a lower-case one, so no type meets a function.  Handler
 * fields live in the P_handlers struct: handle_m, get_m, set_m.  A @stored
 * interface's readable properties have P_store_m instead of a get_m field.
 */
typedef enum c_role {
        /* the interface's own names (member: NULL) */
        CN_INTERFACE_CONST,     /* P_INTERFACE (the upper-case of P) */
        CN_PROXY,               /* P_proxy */
        CN_PROXY_NEW,           /* P_proxy_new */
        CN_PROXY_REF,           /* P_proxy_ref */
        CN_PROXY_UNREF,         /* P_proxy_unref */
        CN_PROXY_BASE,          /* P_proxy_base: the dbidl_proxy behind it */
        CN_HANDLERS,            /* P_handlers */
        CN_EXPORT,              /* P_export */
        /* a method */
        CN_CALL,                /* P_call_m: blocking call */
        CN_BORROW,              /* P_borrow_m: blocking call, outputs lent from the reply */
        CN_ASYNC,               /* P_async_m: async call */
        CN_REPLY_FN,            /* P_MReplyFn: the async call's callback type */
        CN_RETURN,              /* P_return_m: immediate answer, borrowed outputs */
        CN_REPLY,               /* P_reply_m: deferred answer */
        CN_HANDLE_FIELD,        /* handle_m: handler-table field */
        /* a signal */
        CN_EMIT,                /* P_emit_m */
        CN_CONNECT,             /* P_connect_m */
        CN_SIGNAL_FN,           /* P_MSignalFn */
        /* a property */
        CN_GET,                 /* P_get_m */
        CN_SET,                 /* P_set_m */
        CN_CACHED,              /* P_cached_m: from the proxy's property cache */
        CN_WATCH,               /* P_watch_m: connect a change slot */
        CN_CHANGED_FN,          /* P_MChangedFn */
        CN_NOTIFY,              /* P_notify_m: emit PropertiesChanged (service side) */
        CN_STORE,               /* P_store_m: set a @stored interface's kept value (service side) */
        CN_GET_FIELD,           /* get_m: handler-table field */
        CN_SET_FIELD,           /* set_m: handler-table field */
        /* an error */
        CN_ERROR_CONST,         /* P_ERROR_E (upper case) */
        CN_RAISE,               /* P_raise_e */
        CN_ERROR_IS,            /* P_error_is_e */
        CN_FAIL,                /* P_fail_e: answer a deferred call with the error */
        CN__MAX,
} c_role;

/* true for the roles whose names live in the handler table, not at file scope. */
bool c_role_is_field(c_role r);

/*
 * The name of `role` for the member whose C name is `member` (NULL for the
 * interface's own roles) in the interface with C prefix `prefix`.  Returns a
 * malloc'd string the caller frees, or NULL on ENOMEM.  Thread-safe.
 */
char *c_name_new(c_role role, const char *prefix, const char *member);

/* Upper-case of a snake_case name: "division_by_zero" → "DIVISION_BY_ZERO".  malloc'd, NULL on ENOMEM. */
char *c_upper(const char *name);

/*
 * The default C prefix of an interface: its whole dotted name in snake_case,
 * components joined with '_' ("org.freedesktop.login1.Manager" →
 * "org_freedesktop_login1_manager"), so that no two interfaces on a desktop
 * share one.  With `c_namespace` (dbidlc --c-namespace): that namespace,
 * '_', and the last component ("NM" + "org.freedesktop.NetworkManager" →
 * "NM_network_manager").  malloc'd, NULL on ENOMEM.
 */
char *c_default_prefix(const char *interface_name, const char *c_namespace);

/*
 * dbidlc --c-namespace=NS and --c-prefix=[INTERFACE=]PREFIX: replace the C
 * prefixes of `f`'s interfaces.  With `c_namespace`, every interface without
 * @c_prefix gets c_default_prefix(name, c_namespace).  Then each entry of
 * `prefixes` ("INTERFACE=PREFIX", or "PREFIX" alone for a file of one
 * interface) sets that interface's prefix, over @c_prefix too (the build
 * that includes the header knows its neighbours).  The strings of
 * `prefixes` are borrowed: they must outlive `f`'s use.  Returns 0, -EINVAL
 * with an error on `sink` (not an identifier, no such interface, a bare
 * PREFIX for a file of several interfaces), or -ENOMEM.
 */
int codegen_set_c_prefixes(idl_file *f, const char *c_namespace, char *const *prefixes, size_t n,
                           idl_diag_sink *sink);

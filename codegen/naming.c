/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/naming.c — the one naming module: every generated C identifier (the check that none collide, which uses it,
 * is codegen/check-names.c) */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/naming.h"
#include "codegen/strbuf.h"
#include "idl/idl.h"
#include "idl/lexer.h"

bool c_role_is_field(c_role r) {
        return r == CN_HANDLE_FIELD || r == CN_GET_FIELD || r == CN_SET_FIELD;
}

char *c_upper(const char *name) {
        char *s = strdup(name);
        if (s)
                for (char *p = s; *p; p++)
                        *p = (char) toupper((unsigned char) *p);
        return s;
}

char *c_name_new(c_role role, const char *P, const char *m) {
        /* the verb-first functions: P_<verb>_m */
        static const char *const verbs[CN__MAX] = {
                [CN_CALL] = "call",     [CN_BORROW] = "borrow", [CN_ASYNC] = "async",   [CN_RETURN] = "return",   [CN_REPLY] = "reply",
                [CN_EMIT] = "emit",     [CN_CONNECT] = "connect", [CN_GET] = "get",       [CN_SET] = "set",
                [CN_CACHED] = "cached", [CN_WATCH] = "watch",   [CN_NOTIFY] = "notify",   [CN_RAISE] = "raise",
                [CN_STORE] = "store",
                [CN_ERROR_IS] = "error_is", [CN_FAIL] = "fail",
        };
        /* the callback types: P_M<suffix> */
        static const char *const fn_types[CN__MAX] = {
                [CN_REPLY_FN] = "ReplyFn", [CN_SIGNAL_FN] = "SignalFn", [CN_CHANGED_FN] = "ChangedFn",
        };
        /* the interface's own names: P_<word> */
        static const char *const fixed[CN__MAX] = {
                [CN_PROXY] = "proxy",         [CN_PROXY_NEW] = "proxy_new", [CN_PROXY_REF] = "proxy_ref",
                [CN_PROXY_UNREF] = "proxy_unref", [CN_PROXY_BASE] = "proxy_base", [CN_HANDLERS] = "handlers",
                [CN_EXPORT] = "export",
        };
        static const char *const fields[CN__MAX] = {
                [CN_HANDLE_FIELD] = "handle", [CN_GET_FIELD] = "get", [CN_SET_FIELD] = "set",
        };

        if (role < 0 || role >= CN__MAX)
                return NULL;
        if (verbs[role])
                return sb_format("%s_%s_%s", P, verbs[role], m);
        if (fields[role])
                return sb_format("%s_%s", fields[role], m);
        if (fixed[role])
                return sb_format("%s_%s", P, fixed[role]);
        if (fn_types[role]) {
                char *M = idl_camel_case(m), *s = M ? sb_format("%s_%s%s", P, M, fn_types[role]) : NULL;
                free(M);
                return s;
        }
        char *up = c_upper(P), *s = NULL;
        if (up && role == CN_INTERFACE_CONST)
                s = sb_format("%s_INTERFACE", up);
        else if (up && role == CN_ERROR_CONST) {
                char *E = c_upper(m);
                s = E ? sb_format("%s_ERROR_%s", up, E) : NULL;
                free(E);
        }
        free(up);
        return s;
}

char *c_default_prefix(const char *name, const char *c_namespace) {
        if (!c_namespace)
                return idl_default_c_prefix(name);
        const char *last = strrchr(name, '.');
        char *s = idl_snake_case(last ? last + 1 : name), *r = s ? sb_format("%s_%s", c_namespace, s) : NULL;
        free(s);
        return r;
}

static bool valid_prefix(const char *p) {
        if (!(isalpha((unsigned char) p[0])))
                return false;
        for (; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '_')
                        return false;
        return true;
}

int codegen_set_c_prefixes(idl_file *f, const char *c_namespace, char *const *prefixes, size_t n, idl_diag_sink *sink) {
        if (c_namespace && !valid_prefix(c_namespace)) {
                idl_error_at(sink, (idl_loc) { 0 },
                             "--c-namespace needs a C identifier that starts with a letter, not '%s'", c_namespace);
                return -EINVAL;
        }
        for (size_t i = 0; c_namespace && i < f->n_interfaces; i++) {
                idl_interface *it = &f->interfaces[i];
                if (it->c_prefix_given)
                        continue;
                char *p = c_default_prefix(it->c.name, c_namespace);
                char *q = p ? idl_arena_alloc(f->arena, strlen(p) + 1) : NULL;
                if (q)
                        strcpy(q, p);
                free(p);
                if (!q)
                        return -ENOMEM;
                it->c_prefix = it->c.c_name = q;
        }
        for (size_t k = 0; k < n; k++) {
                const char *eq = strchr(prefixes[k], '='), *value = eq ? eq + 1 : prefixes[k];
                idl_interface *match = NULL;
                if (!valid_prefix(value)) {
                        idl_error_at(sink, (idl_loc) { 0 },
                                     "--c-prefix needs a C identifier that starts with a letter, not '%s'", value);
                        return -EINVAL;
                }
                if (!eq) {
                        if (f->n_interfaces != 1) {
                                idl_error_at(sink, (idl_loc) { 0 },
                                             "--c-prefix=%s: the file has %zu interfaces; name one: "
                                             "--c-prefix=INTERFACE=PREFIX", value, f->n_interfaces);
                                return -EINVAL;
                        }
                        match = &f->interfaces[0];
                } else
                        for (size_t i = 0; i < f->n_interfaces && !match; i++)
                                if (strlen(f->interfaces[i].c.name) == (size_t) (eq - prefixes[k]) &&
                                    strncmp(f->interfaces[i].c.name, prefixes[k], (size_t) (eq - prefixes[k])) == 0)
                                        match = &f->interfaces[i];
                if (!match) {
                        idl_error_at(sink, (idl_loc) { 0 }, "--c-prefix=%s: the file has no interface '%.*s'",
                                     prefixes[k], (int) (eq - prefixes[k]), prefixes[k]);
                        return -EINVAL;
                }
                match->c_prefix = match->c.c_name = (char *) value;
        }
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/signature.h — walking a D-Bus type signature one complete type at a time (header-only) */
#pragma once

#include <stddef.h>

/*
 * The length of the first complete type of `sig` (D-Bus specification,
 * "Type System"): "i" 1, "a{sv}" 5, "(ias)" 5.  Nothing is validated: for a
 * valid signature this is the whole type; for one cut short, what is left
 * up to its NUL, so that a loop `p += signature_type_len(p)` always ends;
 * 0 for "".  Used by the runtime (object.c, json.c) and by the dbidl command.
 */
static inline size_t signature_type_len(const char *sig) {
        size_t n = 0, depth = 0;
        while (sig[n]) {
                char c = sig[n++];
                if (c == 'a')
                        continue;       /* the element follows */
                if (c == '(' || c == '{')
                        depth++;
                else if ((c == ')' || c == '}') && depth > 0)
                        depth--;
                if (depth == 0)
                        break;
        }
        return n;
}

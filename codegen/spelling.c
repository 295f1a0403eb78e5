/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/spelling.c — a checked type written back in IDL syntax, for the description back ends and --check-compat */

#include <stdlib.h>

#include "codegen/codegen.h"

static void spell(FILE *f, const idl_type *t) {
        switch (t->kind) {
        case IDL_TYPE_ARRAY:
                spell(f, t->elem);
                fputs("[]", f);
                break;
        case IDL_TYPE_DICT:
                fputs("dict<", f);
                spell(f, t->key);
                fputs(", ", f);
                spell(f, t->elem);
                fputc('>', f);
                break;
        case IDL_TYPE_STRUCT:
                fputc('(', f);
                for (size_t i = 0; i < t->n_fields; i++) {
                        if (i > 0)
                                fputs(", ", f);
                        spell(f, t->fields[i].type);
                }
                fputc(')', f);
                break;
        case IDL_TYPE_NAMED:
                fputs(t->name, f);
                break;
        default:
                fputs(idl_type_kind_name(t->kind), f);
                break;
        }
}

char *codegen_type_spelling(const idl_type *t) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        spell(f, t);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

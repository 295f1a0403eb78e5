/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/gen-signatures.c — dbidlc --signatures: every member of every interface with its D-Bus signature */

#include <errno.h>
#include <stdlib.h>

#include "codegen/codegen.h"
#include "codegen/printer.h"

int codegen_signatures(const idl_file *f, FILE *out) {
        strbuf text = { 0 };
        printer pr, *e = &pr;
        printer_init(e, &text);
        for (size_t i = 0; i < f->n_interfaces; i++) {
                const idl_interface *it = &f->interfaces[i];
                emit(e, "interface %s", it->c.name);
                indent(e);
                for (size_t j = 0; j < it->n_methods; j++) {
                        const idl_method *m = &it->methods[j];
                        emit(e, "method %s(%s) -> (%s)", m->c.dbus_name, m->in_signature, m->out_signature);
                }
                for (size_t j = 0; j < it->n_signals; j++)
                        emit(e, "signal %s(%s)", it->signals[j].c.dbus_name, it->signals[j].signature);
                for (size_t j = 0; j < it->n_properties; j++) {
                        const idl_property *p = &it->properties[j];
                        emit(e, "property %s %s %s", p->c.dbus_name, p->type->signature, idl_access_xml(p->access));
                }
                for (size_t j = 0; j < it->n_errors; j++)
                        emit(e, "error %s", it->errors[j].c.dbus_name);
                dedent(e);
        }
        int r = printer_finish(e);
        if (r >= 0 && text.len && fwrite(text.data, 1, text.len, out) != text.len)
                r = -EIO;
        free(text.data);
        return r;
}

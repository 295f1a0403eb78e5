/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/object.h — the service side: exporting an interface's vtable with a handler table */
#pragma once

#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What generated skeletons register as the userdata of their vtable: the
 * user's handler table (a generated `…_handlers` struct) and the user's own
 * userdata, which every handler receives.
 */
typedef struct dbidl_object {
        const void *handlers;
        void *userdata;
} dbidl_object;

/*
 * Export `vtable` (a generated static const sd_bus_vtable) for `interface` at
 * `path` (sd_bus_add_object_vtable()), with a dbidl_object holding `handlers`
 * and `userdata` as its userdata.  `handlers` is borrowed and must outlive
 * the export.  The export lasts until the slot is released with
 * sd_bus_slot_unref(); with ret_slot NULL it is floating and lasts as long
 * as the bus.
 *
 * Returns 0; -EINVAL for NULL arguments or an invalid path or interface;
 * -EEXIST if the interface is already exported at that path; -ENOMEM.
 */
int dbidl_object_export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                        const void *handlers, void *userdata, sd_bus_slot **ret_slot);

/*
 * Set org.freedesktop.DBus.Error.NotSupported for a member whose handler is
 * missing from the table (methods and property access).  Returns the
 * negative errno for the vtable handler to return.
 */
int dbidl_object_not_supported(sd_bus_error *ret_error, const char *interface, const char *member);

/*
 * Report that the arguments of a call could not be read (a handler never
 * sees a half-read message): sets org.freedesktop.DBus.Error.InvalidArgs
 * naming the member, the argument (may be NULL) and the reason `r` (a
 * negative errno; -EDOM: a value outside the declared set of an enum), and
 * returns -EINVAL for the vtable handler to return.
 */
int dbidl_object_invalid_args(sd_bus_error *ret_error, const char *member, const char *argument, int r);

#ifdef __cplusplus
}
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/object.c — exporting generated vtables with a handler table; errors skeletons report */

#include <stdlib.h>
#include <string.h>

#include <dbidl/object.h>

#include "runtime/util.h"

static void object_free(void *userdata) {
        free(userdata);
}

int dbidl_object_export(sd_bus *bus, const char *path, const char *interface, const sd_bus_vtable *vtable,
                        const void *handlers, void *userdata, sd_bus_slot **ret_slot) {
        return_if_fail(bus && vtable && handlers, -EINVAL);
        return_if_fail(path && sd_bus_object_path_is_valid(path), -EINVAL);
        return_if_fail(interface && sd_bus_interface_name_is_valid(interface), -EINVAL);

        dbidl_object *o = calloc(1, sizeof(*o));
        if (!o)
                return -ENOMEM;
        o->handlers = handlers;
        o->userdata = userdata;

        sd_bus_slot *slot = NULL;
        int r = sd_bus_add_object_vtable(bus, &slot, path, interface, vtable, o);
        if (r < 0) {
                free(o);
                return r;
        }
        r = sd_bus_slot_set_destroy_callback(slot, object_free);
        if (r < 0) {
                sd_bus_slot_unref(slot);
                free(o);
                return r;
        }
        if (ret_slot) {
                *ret_slot = slot;
                return 0;
        }
        r = sd_bus_slot_set_floating(slot, 1);
        sd_bus_slot_unref(slot);
        return r < 0 ? r : 0;
}

int dbidl_object_not_supported(sd_bus_error *ret_error, const char *interface, const char *member) {
        return sd_bus_error_setf(ret_error, SD_BUS_ERROR_NOT_SUPPORTED, "%s.%s is not implemented by this service",
                                 interface, member);
}

int dbidl_object_invalid_args(sd_bus_error *ret_error, const char *member, const char *argument, int r) {
        const char *why = r == -EDOM ? "the value is not one of its enum's declared values" : strerror(r < 0 ? -r : r);
        if (argument)
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS,
                                         "Invalid value for argument '%s' of %s: %s", argument, member, why);
        else
                (void) sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Invalid arguments for %s: %s",
                                         member, why);
        return -EINVAL;
}

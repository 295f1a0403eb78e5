/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/invoke.h — internal: the proxy's callback slots with a generated member, and value checks */
#pragma once

#include <dbidl/generated.h>

/* The generated member and deliver function a callback slot carries (dbidl_callback.member, .deliver). */
typedef struct proxy_member {
        const dbidl_member *member;
        void (*deliver)(void);
} proxy_member;

/* dbidl_proxy_call_async(), dbidl_proxy_match_signal(), dbidl_proxy_match_property() with a member (pm may be NULL). */
int proxy_call_async(dbidl_proxy *p, sd_bus_message *m, uint64_t timeout_usec, dbidl_trampoline trampoline,
                     const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);
int proxy_match_signal(dbidl_proxy *p, const char *member, dbidl_trampoline trampoline, const proxy_member *pm,
                       void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);
int proxy_match_property(dbidl_proxy *p, const char *name, const char *signature, dbidl_trampoline trampoline,
                         const proxy_member *pm, void (*callback)(void), void *userdata, sd_bus_slot **ret_slot);

/* Read one value of codec `c` at the position of `m` and free it: 0 if the IDL accepts it, -EDOM for an undeclared enum value. */
int value_check(const dbidl_codec *c, sd_bus_message *m);

/* dbidl_object_export() or _export_stored() of info->vtable, with `info` in the export's dbidl_object. */
int object_export_info(sd_bus *bus, const char *path, const dbidl_interface_info *info, const void *handlers,
                       void *userdata, sd_bus_slot **ret_slot);

/* ---- the reporters of the generic paths (internal since the generated code stopped calling them) ---- */

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

/*
 * The same for the new value of a property Set (org.freedesktop.DBus.Properties.Set)
 * that cannot be read: sets org.freedesktop.DBus.Error.InvalidArgs naming the
 * property (its D-Bus name, borrowed) and the reason `r` ("Invalid value for
 * property 'Mode': the value is not one of its enum's declared values" for
 * -EDOM), and returns -EINVAL for the property setter to return.
 */
int dbidl_object_invalid_property(sd_bus_error *ret_error, const char *property, int r);

/*
 * Report that a handler's outputs could not be put into the reply (an
 * invalid object path, a NULL variant, invalid UTF-8: a fault of the
 * service, not of the caller): sets org.freedesktop.DBus.Error.Failed naming
 * the member, the output and the reason `r`, and returns -EIO.
 */
int dbidl_object_reply_failed(sd_bus_error *ret_error, const char *member, const char *output, int r);

/*
 * A reply arrived with the right signature, but `what`
 * in it could not be read (r, a negative errno: -EDOM for an enum value
 * outside its declared set, also inside a struct or container; -ENOMEM).
 * `what` names the value and the member, as in "output 'zone' in the reply
 * of GetZone" or "value of property 'Mode' in the reply of Get" (borrowed).
 * If ret_error is not NULL and not set yet, it is set:
 * org.freedesktop.DBus.Error.NoMemory for -ENOMEM, otherwise
 * org.freedesktop.DBus.Error.InvalidArgs with the message "Invalid <what>:
 * <reason>" (the value is not one of its enum's declared values).  D-Bus
 * has no standard name for a malformed reply; InvalidArgs is what a service
 * answers for the same value in a call, and the returned errno (not the
 * -EINVAL sd-bus maps InvalidArgs to) tells the two apart.  Returns r (a
 * non-negative r becomes -EINVAL).
 */
int dbidl_proxy_invalid_reply(sd_bus_error *ret_error, const char *what, int r);

/*
 * Count `m` as not matching `expected_signature`
 * and report it.  The signal trampoline calls it once for a signal it cannot
 * read (another signature, or a refused value), but not for -ENOMEM.
 */
void dbidl_proxy_report_bad_message(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature);

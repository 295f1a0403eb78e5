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

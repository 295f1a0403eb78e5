/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/error.h — helpers for D-Bus errors (sd_bus_error) and negative errno values */
#pragma once

#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A human-readable message for a failed call: the remote error's message if
 * `error` is set (sd_bus_error_is_set()), else its name, else strerror(-r).
 * Returns a borrowed string, valid until `error` is freed or changed (or for
 * ever, for strerror texts of this thread).
 */
const char *dbidl_error_message(int r, const sd_bus_error *error);

/*
 * Set `error` to a D-Bus error `name` with a printf-style message, as
 * sd_bus_error_setf() does, and return the negative errno that sd-bus maps
 * the name to (-EIO for names it does not know; never 0).  `error` may be
 * NULL: then only the errno is returned.  A NULL or invalid name gives
 * -EINVAL.
 */
int dbidl_error_set(sd_bus_error *error, const char *name, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

/* Shorthand for org.freedesktop.DBus.Error.InvalidArgs; returns -EINVAL. */
int dbidl_error_invalid_args(sd_bus_error *error, const char *format, ...)
        __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

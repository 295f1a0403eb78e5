/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/error.c — D-Bus error helpers: messages for failed calls, setting named errors */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include <dbidl/error.h>

#include "runtime/util.h"

/* The text for a failed call: the error's message, else its name, else strerror(-r).  Borrowed. */
_public_ const char *dbidl_error_message(int r, const sd_bus_error *error) {
        if (error && sd_bus_error_is_set(error)) {
                if (error->message && error->message[0])
                        return error->message;
                return error->name;
        }
        return strerror(abs(r));
}

static bool is_name_char(char c, bool first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* D-Bus specification, "Error names": interface-name rules, at least two elements, at most 255 chars. */
static bool error_name_is_valid(const char *name) {
        size_t elements = 0;
        const char *p = name;

        if (strlen(name) > 255)
                return false;
        for (;;) {
                if (!is_name_char(*p, true))
                        return false;
                while (is_name_char(*p, false))
                        p++;
                elements++;
                if (*p == 0)
                        break;
                if (*p != '.')
                        return false;
                p++;
        }
        return elements >= 2;
}

static int error_setv(sd_bus_error *error, const char *name, const char *format, va_list ap) {
        int r;

        return_if_fail(name, -EINVAL);
        return_if_fail(error_name_is_valid(name), -EINVAL);
        return_if_fail(!error || !sd_bus_error_is_set(error), -EINVAL);

        if (!error)
                r = sd_bus_error_set(NULL, name, NULL);
        else if (format)
                r = sd_bus_error_setfv(error, name, format, ap);
        else
                r = sd_bus_error_set(error, name, NULL);
        return r < 0 ? r : -EIO;
}

/*
 * Set `error` (may be NULL; must not be set already) to `name` with a
 * printf-style message (format may be NULL) and return the negative errno
 * sd-bus maps the name to (-EIO if unknown).  -EINVAL for a NULL or invalid
 * name or an already-set error; -ENOMEM if the message could not be stored
 * (the error is then set to the sd-bus out-of-memory error).  Thread-safe
 * for distinct errors.
 */
_public_ int dbidl_error_set(sd_bus_error *error, const char *name, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = error_setv(error, name, format, ap);
        va_end(ap);
        return r;
}

/* Set org.freedesktop.DBus.Error.InvalidArgs with a printf-style message; returns -EINVAL. */
_public_ int dbidl_error_invalid_args(sd_bus_error *error, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = error_setv(error, SD_BUS_ERROR_INVALID_ARGS, format, ap);
        va_end(ap);
        return r;
}

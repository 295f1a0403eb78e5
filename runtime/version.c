/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/version.c — the runtime's version string */

#include <dbidl/dbidl.h>

#include "runtime/util.h"

/* The package version this library was built from, e.g. "0.1.0"; static, thread-safe. */
_public_ const char *dbidl_version(void) {
        return PACKAGE_VERSION;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/dbidl.h — the whole libdbidl runtime API; generated headers include this */
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#  define DBIDL_DEPRECATED __attribute__((deprecated))
#  define DBIDL_DEPRECATED_FOR(msg) __attribute__((deprecated(msg)))
#  define DBIDL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define DBIDL_DEPRECATED
#  define DBIDL_DEPRECATED_FOR(msg)
#  define DBIDL_PRINTF(a, b)
#endif

#include <dbidl/blob.h>
#include <dbidl/bus.h>
#include <dbidl/dict.h>
#include <dbidl/error.h>
#include <dbidl/json.h>
#include <dbidl/message.h>
#include <dbidl/object.h>
#include <dbidl/proxy.h>
#include <dbidl/server.h>
#include <dbidl/variant.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime's version string, e.g. "0.1.0". */
const char *dbidl_version(void);

#ifdef __cplusplus
}
#endif

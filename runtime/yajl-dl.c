/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/yajl-dl.c — libyajl opened at the first JSON call, not when libdbidl is loaded (docs/runtime.md, "yajl on demand") */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "runtime/yajl-dl.h"

/*
 * Why: the dynamic loader maps, relocates and faults in every library a program links at each start, whether the
 * run uses it or not.  Most programs of ours never convert JSON, and libyajl cost each of their starts page faults
 * and time (docs/benchmarks.md, "start").  systemd opens its optional libraries the same way
 * (src/shared/dlfcn-util.c).  What it costs: libyajl is no longer in libdbidl.so's ELF header, so a system without
 * it fails at the first JSON call (-ENOPKG) instead of at start, and a package of libdbidl must name it itself
 * (docs/runtime.md, "yajl on demand").
 */
#define STR_(x) #x
#define STR(x) STR_(x)
#define YAJL_SONAME "libyajl.so." STR(YAJL_MAJOR)

yajl_dl yj;

#define FN(field, name) { name, offsetof(yajl_dl, field) }
static const struct {
        const char *name;
        size_t offset; /* of the pointer in yajl_dl */
} fns[] = {
        FN(alloc, "yajl_alloc"),
        FN(parse, "yajl_parse"),
        FN(complete_parse, "yajl_complete_parse"),
        FN(get_bytes_consumed, "yajl_get_bytes_consumed"),
        FN(get_error, "yajl_get_error"),
        FN(free_error, "yajl_free_error"),
        FN(free, "yajl_free"),
        FN(gen_alloc, "yajl_gen_alloc"),
        FN(gen_config, "yajl_gen_config"),
        FN(gen_free, "yajl_gen_free"),
        FN(gen_get_buf, "yajl_gen_get_buf"),
        FN(gen_null, "yajl_gen_null"),
        FN(gen_bool, "yajl_gen_bool"),
        FN(gen_integer, "yajl_gen_integer"),
        FN(gen_number, "yajl_gen_number"),
        FN(gen_string, "yajl_gen_string"),
        FN(gen_map_open, "yajl_gen_map_open"),
        FN(gen_map_close, "yajl_gen_map_close"),
        FN(gen_array_open, "yajl_gen_array_open"),
        FN(gen_array_close, "yajl_gen_array_close"),
};
_Static_assert(sizeof fns / sizeof fns[0] == sizeof(yajl_dl) / sizeof(void (*)(void)),
               "every pointer of yajl_dl has its name in fns[]");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int status;              /* 0, or -ENOPKG */
static char why[512];           /* dlerror()'s text when status < 0 */

static void load(void) {
        const size_t n = sizeof fns / sizeof fns[0];
        yajl_dl t;
        size_t i = 0;
        void *h = dlopen(YAJL_SONAME, RTLD_NOW | RTLD_LOCAL);
        for (; h && i < n; i++) {
                void *fn = dlsym(h, fns[i].name);
                if (!fn)
                        break;
                /* POSIX guarantees that a function's address survives the round trip through void * */
                memcpy((char *) &t + fns[i].offset, &fn, sizeof fn);
        }
        if (h && i == n) {
                yj = t;
                return;
        }
        /* the library or the function that failed; copied before dlclose(), which may reuse dlerror()'s buffer */
        const char *e = dlerror();
        snprintf(why, sizeof why, "%s", e ? e : h ? fns[i].name : YAJL_SONAME);
        if (h)
                dlclose(h);
        status = -ENOPKG;
}

int yajl_dl_open(sd_bus_error *error) {
        int r = pthread_once(&once, load);
        if (r != 0)
                return -r;
        if (status < 0)
                sd_bus_error_setf(error, SD_BUS_ERROR_NOT_SUPPORTED,
                                  "JSON needs " YAJL_SONAME " (Debian: libyajl2), which cannot be loaded: %s", why);
        return status;
}

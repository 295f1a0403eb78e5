/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/lazy-lib.h — a shared library opened at its first use, its functions called through typed pointers */
#pragma once

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * Why: every library a program links is mapped, relocated and faulted in at each start, whether the run uses it
 * or not.  dbidlc needs libsystemd only for --import-bus, expat only to read XML and yajl only for --emit=json;
 * opened when first needed, they cost a run that generates C nothing (docs/benchmarks.md, "Start-up").  The user
 * keeps a struct of pointers, each of the type of the function it stands for (`__typeof__(XML_Parse) *parse;`),
 * so that every call through it is checked as if the library were linked, and a table that names each one:
 *
 *     static const lazy_fn fns[] = { LAZY_FN(xml, parse, "XML_Parse"), … };
 *
 * What it costs: the dependency is no longer in the program's ELF header (dpkg-shlibdeps does not see it), so a
 * system without the library fails at the first use, with the message the caller makes of the error text, instead
 * of at start.
 */
typedef struct lazy_fn {
        const char *name;
        size_t offset; /* of the pointer in the caller's struct */
} lazy_fn;
#define LAZY_FN(table, field, name) { name, offsetof(__typeof__(table), field) }

/*
 * Open `soname` (dlopen(), RTLD_NOW | RTLD_LOCAL; never closed: what it made may live until exit) and store the
 * address of each of `fns` in `table`.  Returns 0, or -ENOPKG with dlerror()'s text, which names the library or
 * the missing symbol, copied into `error` (`size` bytes).  Not thread-safe: the callers load once (lazy_lib_load()),
 * from one thread.
 */
static inline int lazy_lib_open(const char *soname, const lazy_fn *fns, size_t n, void *table, char *error,
                                size_t size) {
        void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        for (size_t i = 0; h && i < n; i++) {
                void *fn = dlsym(h, fns[i].name);
                if (!fn) {
                        /* copied before dlclose(), which may reuse dlerror()'s buffer */
                        const char *e = dlerror();
                        snprintf(error, size, "%s", e ? e : fns[i].name);
                        dlclose(h);
                        return -ENOPKG;
                }
                /* POSIX guarantees a function's address survives the round trip through void * */
                memcpy((char *) table + fns[i].offset, &fn, sizeof fn);
        }
        if (!h) {
                const char *e = dlerror();
                snprintf(error, size, "%s", e ? e : soname);
                return -ENOPKG;
        }
        return 0;
}

/* A library loaded once: the first lazy_lib_load() opens it, later ones return the first answer. */
typedef struct lazy_lib {
        int state;        /* 0: not tried yet; 1: loaded; -ENOPKG: failed */
        char error[512];  /* why it failed (dlerror()'s text) */
} lazy_lib;

/* lazy_lib_open() the first time for `l`, then its answer: 0, or -ENOPKG with the reason in l->error. */
static inline int lazy_lib_load(lazy_lib *l, const char *soname, const lazy_fn *fns, size_t n, void *table) {
        if (l->state == 0)
                l->state = lazy_lib_open(soname, fns, n, table, l->error, sizeof l->error) < 0 ? -ENOPKG : 1;
        return l->state > 0 ? 0 : l->state;
}

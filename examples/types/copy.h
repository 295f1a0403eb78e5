/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/types/copy.h — the copies the Echo handlers need beyond the generated _copy(): fixed-size arrays and the
 * anonymous structs of EchoStructs (shared by service.c and tests/fuzz/fuzz-skeleton.c; include after types.h) */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of n elements of size bytes (NULL for none): the fixed-size arrays of EchoArrays. */
static inline int memdup_array(const void *items, size_t n, size_t size, void **ret) {
        *ret = NULL;
        if (n == 0)
                return 0;
        void *p = malloc(n * size);
        if (!p)
                return -ENOMEM;
        memcpy(p, items, n * size);
        *ret = p;
        return 0;
}

/*
 * An anonymous struct gets one C type per place it is written (argument, output, signal argument), so the
 * "(i(so))" and "(ias)[]" of EchoStructs' inputs, outputs and signal are distinct C types with the same
 * members.  These macros define the copies between two of them; the members are copied as _copy() would.
 */
#define DEFINE_ANON_COPY(name, D, S)                                            \
        static inline int name(D *dst, const S *src) {                          \
                D v = { .m0 = src->m0 };                                        \
                v.m1.m0 = dbidl_strdup(src->m1.m0);                             \
                v.m1.m1 = dbidl_strdup(src->m1.m1);                             \
                if ((src->m1.m0 && !v.m1.m0) || (src->m1.m1 && !v.m1.m1)) {     \
                        free(v.m1.m0);                                          \
                        free(v.m1.m1);                                          \
                        return -ENOMEM;                                         \
                }                                                               \
                *dst = v;                                                       \
                return 0;                                                       \
        }

#define DEFINE_ITEMS_COPY(name, D, S, clear)                                    \
        static inline int name(D *dst, const S *src) {                          \
                D v = { 0 };                                                    \
                if (src->n > 0) {                                               \
                        v.items = calloc(src->n, sizeof(*v.items));             \
                        if (!v.items)                                           \
                                return -ENOMEM;                                 \
                }                                                               \
                for (size_t i = 0; i < src->n; i++) {                           \
                        v.n = i + 1;                                            \
                        v.items[i].m0 = src->items[i].m0;                       \
                        if (!src->items[i].m1)                                  \
                                continue;                                       \
                        v.items[i].m1 = dbidl_strv_copy(src->items[i].m1);      \
                        if (!v.items[i].m1) {                                   \
                                clear(&v);                                      \
                                return -ENOMEM;                                 \
                        }                                                       \
                }                                                               \
                *dst = v;                                                       \
                return 0;                                                       \
        }

DEFINE_ANON_COPY(anon_to_out, types_EchoStructs_OutAnon, types_EchoStructs_Anon)
DEFINE_ANON_COPY(anon_to_signal, types_StructsEchoed_Anon, types_EchoStructs_Anon)
DEFINE_ITEMS_COPY(items_to_out, types_EchoStructs_OutItems_ItemArray, types_EchoStructs_Items_ItemArray,
                  types_EchoStructs_OutItems_ItemArray_clear)
DEFINE_ITEMS_COPY(items_to_signal, types_StructsEchoed_Items_ItemArray, types_EchoStructs_Items_ItemArray,
                  types_StructsEchoed_Items_ItemArray_clear)

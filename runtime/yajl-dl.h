/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/yajl-dl.h — libyajl opened at the first JSON call, not when libdbidl is loaded (docs/runtime.md, "yajl on demand") */
#pragma once

#include <systemd/sd-bus.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_version.h>

/*
 * The yajl functions runtime/json.c calls.  Each pointer has the type of the function it stands for in yajl's
 * headers, so every call through it is checked as if libyajl were linked.  Filled by yajl_dl_open(); read only
 * after it returned 0.
 */
typedef struct yajl_dl {
        __typeof__(yajl_alloc) *alloc;
        __typeof__(yajl_parse) *parse;
        __typeof__(yajl_complete_parse) *complete_parse;
        __typeof__(yajl_get_bytes_consumed) *get_bytes_consumed;
        __typeof__(yajl_get_error) *get_error;
        __typeof__(yajl_free_error) *free_error;
        __typeof__(yajl_free) *free;
        __typeof__(yajl_gen_alloc) *gen_alloc;
        __typeof__(yajl_gen_config) *gen_config;
        __typeof__(yajl_gen_free) *gen_free;
        __typeof__(yajl_gen_get_buf) *gen_get_buf;
        __typeof__(yajl_gen_null) *gen_null;
        __typeof__(yajl_gen_bool) *gen_bool;
        __typeof__(yajl_gen_integer) *gen_integer;
        __typeof__(yajl_gen_number) *gen_number;
        __typeof__(yajl_gen_string) *gen_string;
        __typeof__(yajl_gen_map_open) *gen_map_open;
        __typeof__(yajl_gen_map_close) *gen_map_close;
        __typeof__(yajl_gen_array_open) *gen_array_open;
        __typeof__(yajl_gen_array_close) *gen_array_close;
} yajl_dl;

extern yajl_dl yj;

/*
 * Open libyajl.so.N (N: YAJL_MAJOR of the headers we were built with) and fill `yj`, once per process
 * (pthread_once(): any thread may call it; later calls return the first answer at the cost of one load).
 * Returns 0, or -ENOPKG when the library cannot be opened or lacks a function; `error` (may be NULL) is then set
 * to org.freedesktop.DBus.Error.NotSupported with dlerror()'s text, which names the file or the missing symbol.
 * The library is never closed.
 */
int yajl_dl_open(sd_bus_error *error);

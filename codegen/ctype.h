/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/ctype.h — how IDL types become C: shapes, scalar C types, argument names, C identifiers */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "codegen/naming.h"
#include "idl/ast.h"
#include "idl/diag.h"

/*
 * Every IDL type the C back end supports falls in one shape; a shape fixes
 * the C parameter types in every role and the runtime codec kind that
 * appends, reads and frees it (dbidl/generated.h).  docs/c-api.md has the table.
 */
typedef enum shape {
        SHAPE_SCALAR,           /* byte, int16 … uint64, double: T */
        SHAPE_BOOL,             /* bool (int on the wire) */
        SHAPE_STRING,           /* string, objpath, signature */
        SHAPE_FD,               /* fd */
        SHAPE_VARIANT,          /* variant: dbidl_variant * */
        SHAPE_BLOB,             /* blob: dbidl_blob * (a sealed memfd) */
        SHAPE_DICT,             /* dict<string, variant>: dbidl_dict * */
        SHAPE_FIXED_ARRAY,      /* byte[] … double[]: const T *, size_t */
        SHAPE_BOOL_ARRAY,       /* bool[]: const bool *, size_t */
        SHAPE_STRV,             /* string[], objpath[], signature[]: NULL-terminated char ** */
        SHAPE_FD_ARRAY,         /* fd[]: const int *, size_t */
        SHAPE_VARIANT_ARRAY,    /* variant[]: dbidl_variant *const *, size_t */
        SHAPE_DICT_ARRAY,       /* dict<string, variant>[]: dbidl_dict *const *, size_t */
        SHAPE_ENUM,             /* enum, flags: the generated C type, by value */
        SHAPE_COMPOSITE,        /* structs, other dicts, other arrays: the generated C type, by pointer */
        SHAPE_UNSUPPORTED,
} shape;

shape type_shape(const idl_type *t);
/* true if reading a value of `t` can refuse it: an enum, in it or anywhere inside (flags accept any bits). */
bool type_has_enum(const idl_type *t);
bool shape_has_count(shape s);
/* The element (or scalar) D-Bus type code and C type of SCALAR, FIXED_ARRAY and STRING/STRV shapes. */
char type_code(const idl_type *t);
const char *type_scalar_ctype(const idl_type *t);

/* The C names of one argument (or property value) in every role: one allocation, ret_n's (arg_names_free()). */
typedef struct arg_names {
        char *base;             /* in and borrowed parameters: x */
        char *n;                /* n_x */
        char *ret;              /* ret_x */
        char *ret_n;            /* ret_n_x */
} arg_names;

/*
 * Names for a list of fields: a method's n_in inputs then its outputs, or a
 * signal's arguments (n_in = n).  Keywords of C and C++, reserved
 * identifiers, libc globals, names a neighbouring header owns and the fixed
 * parameter names of generated functions get a trailing '_'.  The names used
 * side by side are unique: the inputs' x and n_x with the outputs' ret_x and
 * ret_n_x (a call, a handler), and the outputs' x and n_x among themselves (a
 * reply callback, a return function); so an output may keep the name of an
 * input, as D-Bus XML allows.  Returns a calloc'd array of n entries (free
 * with arg_names_free), or NULL on ENOMEM.
 */
arg_names *arg_names_new(const idl_field *const *fields, size_t n, size_t n_in);
void arg_names_free(arg_names *a, size_t n);
/* The C name of a struct member or handler-table field: keywords get a trailing '_'.  malloc'd. */
char *c_field_name(const char *name);

/*
 * The C prefix of a file's file-level types: the file name without its
 * directories and ".idl", lower-cased, every other character '_', and 'f'
 * for a first character that is not a letter ("My-API.idl" → "my_api").
 * Malloc'd; NULL on ENOMEM.
 */
char *c_file_prefix(const char *path);
/* true if `name` may be passed through SD_BUS_ARGS() unharmed (it is no object-like macro). */
bool arg_name_macro_safe(const char *name);

/* Fail with an error on `sink` for every argument or property whose type has a shape the back end cannot express
 * (-EOPNOTSUPP); else 0. */
int check_supported(const idl_file *f, idl_diag_sink *sink);

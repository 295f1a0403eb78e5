/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/types.h — the C types of composite IDL types: named and anonymous structs, enums, flags, arrays, dicts */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "codegen/printer.h"
#include "idl/ast.h"

/*
 * Every IDL type that has no C type of its own (a struct, an anonymous
 * struct, an enum, flags, a dict other than a{sv}, an array used as a value)
 * gets a generated C type, a "type definition".  The registry holds them in
 * dependency order and names them by one scheme (docs/c-api.md):
 *
 *   named struct/enum/flags in interface P    P_name           (name: the type's C name)
 *   named struct/enum/flags at file level      F_name           (F: the file prefix, from the file name;
 *                                                                for an imported type, that file's name)
 *   anonymous struct                           P_member_arg, with _item/_value/_field suffixes inside containers
 *   array of a generated type X                X_array
 *   array of anything else                     F_slug_array     (F_double_array, F_string_array_array)
 *   dict<K, V>                                 F_k_v_dict, entries F_k_v_dict_entry
 */
typedef enum tdef_kind {
        TDEF_STRUCT,
        TDEF_ENUM,
        TDEF_FLAGS,
        TDEF_ARRAY,
        TDEF_DICT,
} tdef_kind;

typedef struct tdef {
        tdef_kind kind;
        char *cname;                    /* the C type name */
        const char *signature;          /* D-Bus signature of the whole type */
        const idl_typedecl *decl;       /* named types */
        const char *doc;
        const idl_field *fields;        /* STRUCT */
        size_t n_fields;
        char **field_names;             /* STRUCT: C member names */
        const idl_type *elem;           /* ARRAY: element; DICT: value */
        const idl_type *key;            /* DICT */
        char *const_prefix;             /* ENUM, FLAGS: upper-case prefix of the constants */
        bool imported;                  /* from an imported file: its header defines the C type */
} tdef;

/* Build the registry for a checked file; `stem` names file-level types.  NULL on ENOMEM. */
int types_build(const idl_file *f, const char *stem);
void types_free(void);

/* The definition behind `t`, or NULL if `t` has a C type of its own (int32_t, char *, dbidl_dict *, …). */
const tdef *types_lookup(const idl_type *t);
/* The C type of `t` stored as a value (a struct member, an array item): "double", "char *", "calc_point". */
const char *types_vtype(const idl_type *t);

/* true if the file uses a type declared in the file at `path` (an import): its header must be included. */
bool types_uses_file(const char *path);

/* Definitions in dependency order. */
size_t types_count(void);
const tdef *types_at(size_t i);

/* Header: the C type definitions with their _init, _clear and enum helpers (static inline, valid C++). */
void types_emit_header(printer *e);
/* .c files: static inline dbidl_append_X()/dbidl_read_X() marshalling helpers of every definition. */
void types_emit_helpers(printer *e);

/* Statements for one value of type `t` held in the lvalue `val`: init, clear, append (from), read (into). */
void value_init(printer *e, const idl_type *t, const char *val);
void value_clear(printer *e, const idl_type *t, const char *val);
/* Set `dbidl_r` and on failure execute `fail` (e.g. "return dbidl_r;" or "goto fail;"). */
void value_append(printer *e, const idl_type *t, const char *msg, const char *val, const char *fail);
void value_read(printer *e, const idl_type *t, const char *msg, const char *val, const char *fail);

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
 *   named struct/enum/flags in interface P    P_Name           (Name: the type's C name, UpperCamelCase)
 *   named struct/enum/flags at file level      F_Name           (F: the file prefix, from the file name;
 *                                                                for an imported type, that file's name)
 *   anonymous struct                           P_Member_Arg, with _Item/_Value/_Field parts inside containers
 *   array of a generated type X                XArray
 *   array of anything else                     F_SlugArray      (F_DoubleArray, F_StringArrayArray)
 *   dict<K, V>                                 KV's owner's prefix, _KVDict (P_StringPointDict,
 *                                              F_StringInt32Dict), entries …DictEntry
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
        const idl_type *type;           /* anonymous STRUCT, ARRAY, DICT: the (first) type it stands for */
        idl_loc loc;                    /* the declaration, or where the type that needs it is used */
        bool clash;                     /* another definition has the same C name (codegen_check_names) */
} tdef;

/*
 * The registry of one file's generated types.  A back end builds it for the
 * file it writes and hangs it on its printer (printer.types), which every
 * emitting function is passed; nothing about types is kept anywhere else.
 */
typedef struct types types;

/*
 * Build the registry for the checked file `f`; `stem` names file-level
 * types.  Returns 0 and the registry in *ret (free with types_free), or
 * -ENOMEM.
 */
int types_new(const idl_file *f, const char *stem, types **ret);
/* Free a registry; accepts NULL; returns NULL. */
types *types_free(types *r);

/*
 * The C type name of the declaration `d` (the scheme above): P_Name for one
 * in an interface, F_Name at file level with F = `file_prefix`
 * (c_file_prefix() of its file).  malloc'd; NULL on ENOMEM.  For
 * --check-compat, which names the types of two files without building their
 * registries.
 */
char *typedecl_cname(const idl_typedecl *d, const char *file_prefix);
/* The prefix of an enum's or flags' constants: the upper case of P_ or F_ and the type's words in snake_case
 * ("CALC_ROUNDING_MODE" for RoundingMode); a constant is PREFIX_VALUE.  malloc'd; NULL on ENOMEM. */
char *typedecl_const_prefix(const idl_typedecl *d, const char *file_prefix);

/* The definition behind `t`, or NULL if `t` has a C type of its own (int32_t, char *, dbidl_dict *, …). */
const tdef *types_lookup(types *r, const idl_type *t);
/* The C type of `t` stored as a value (a struct member, an array item): "double", "char *", "calc_point". */
const char *types_vtype(types *r, const idl_type *t);

/* true if the file uses a type declared in the file at `path` (an import): its header must be included. */
bool types_uses_file(types *r, const char *path);

/* Definitions in dependency order. */
size_t types_count(types *r);
const tdef *types_at(types *r, size_t i);

/*
 * The emitters below take the registry from e->types.
 *
 * types_emit_header: the C type definitions with their _init, _clear and enum helpers (static inline, valid C++).
 * types_emit_helpers: the static inline dbidl_append_X()/dbidl_read_X() marshalling helpers and the codec of every
 * definition.
 */
void types_emit_header(printer *e);
void types_emit_helpers(printer *e);


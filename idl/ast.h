/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/ast.h — the abstract syntax tree of a .idl file, as the parser builds it and the semantic pass completes it */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every node carries the place it came from.  `file` points at a string
 * owned by the idl_file (it lives as long as the tree); for the nodes of an
 * imported file it is that file's path as it was opened ("inc/types.idl"),
 * so `d->c.loc.file != root->path` tells a type from an import.  `line` and
 * `col` are 1-based, `col` counts bytes; `len` is the length in bytes of the token or
 * span the node starts with (at least 1), for carets and `~~~` underlines.
 *
 * Ownership: every pointer in the tree is owned by the idl_file it hangs
 * from and is released by idl_file_free().  Fields marked "sema" are NULL or
 * zero after parsing and filled by idl_check().
 */
typedef struct idl_loc {
        const char *file;
        unsigned line;
        unsigned col;
        unsigned len;
} idl_loc;

typedef enum idl_type_kind {
        /* the twelve basic types, in the order of the D-Bus specification's table */
        IDL_TYPE_BYTE,          /* y */
        IDL_TYPE_BOOL,          /* b */
        IDL_TYPE_INT16,         /* n */
        IDL_TYPE_UINT16,        /* q */
        IDL_TYPE_INT32,         /* i */
        IDL_TYPE_UINT32,        /* u */
        IDL_TYPE_INT64,         /* x */
        IDL_TYPE_UINT64,        /* t */
        IDL_TYPE_DOUBLE,        /* d */
        IDL_TYPE_STRING,        /* s */
        IDL_TYPE_OBJPATH,       /* o */
        IDL_TYPE_SIGNATURE,     /* g */
        IDL_TYPE_FD,            /* h */
        IDL_TYPE_VARIANT,       /* v */
        IDL_TYPE_BLOB,          /* h carrying a sealed memfd: not a D-Bus type, but the IDL's (docs/idl.md, "blob") */
        IDL_TYPE_ARRAY,         /* aT: elem */
        IDL_TYPE_DICT,          /* a{KV}: key, elem (the value type) */
        IDL_TYPE_STRUCT,        /* anonymous (T, U): fields, names "0", "1", … as written order */
        IDL_TYPE_NAMED,         /* a reference to a struct, enum or flags by name: name; sema sets decl */
} idl_type_kind;

typedef struct idl_type idl_type;
typedef struct idl_field idl_field;
typedef struct idl_typedecl idl_typedecl;
typedef struct idl_error idl_error;
typedef struct idl_interface idl_interface;

struct idl_type {
        idl_type_kind kind;
        idl_loc loc;            /* at the first token of the type */
        idl_type *elem;         /* ARRAY: element type; DICT: value type */
        idl_type *key;          /* DICT: key type */
        idl_field *fields;      /* STRUCT (anonymous) */
        size_t n_fields;
        char *name;             /* NAMED: the name as written */
        idl_typedecl *decl;     /* NAMED, sema: the declaration it resolves to */
        char *signature;        /* sema: the complete D-Bus signature of this type */
};

/* An annotation as written: @name or @name("arg", …).  Arguments are string literals, unescaped. */
typedef struct idl_annotation {
        idl_loc loc;            /* at the '@' */
        char *name;             /* without the '@' */
        char **args;
        idl_loc *arg_locs;      /* at each argument's text: inside the quotes of a string without escapes */
        size_t n_args;
} idl_annotation;

typedef enum idl_emits {
        IDL_EMITS_CHANGE,       /* default: PropertiesChanged carries the new value */
        IDL_EMITS_INVALIDATES,  /* PropertiesChanged lists the name as invalidated */
        IDL_EMITS_CONST,        /* never changes */
        IDL_EMITS_NONE,         /* changes, but no signal is sent */
} idl_emits;

/* Pass-through annotation: @annotation("name", "value"). */
typedef struct idl_xml_annotation {
        char *name;
        char *value;
} idl_xml_annotation;

/* A struct field, a method/signal argument, or a member of an anonymous struct. */
struct idl_field {
        idl_loc loc;            /* at the name (anonymous struct members: at the type) */
        char *name;             /* NULL for the members of an anonymous struct */
        idl_type *type;
        char *doc;              /* doc comment text without the comment markers, or NULL */
        idl_annotation *annotations;    /* parameters: as written (sema accepts only @annotation); else none */
        size_t n_annotations;

        /* sema: */
        idl_xml_annotation *xml_annotations;    /* parameters: @annotation("name", "value") */
        size_t n_xml_annotations;
};

/*
 * What every named declaration has: where it is, its doc comment, its
 * annotations as written, and what the semantic pass derives from them.
 */
typedef struct idl_common {
        idl_loc loc;            /* at the declaration's name */
        char *name;             /* as written; interfaces: the dotted name */
        char *doc;              /* doc comment or NULL */
        idl_annotation *annotations;
        size_t n_annotations;

        /* sema: */
        char *c_name;           /* the C name fragment: @c_name, or snake_case(name) */
        char *dbus_name;        /* the name on the wire: @dbus_name or name (errors: the full error name) */
        bool deprecated;
        char *deprecated_reason;        /* @deprecated("why"), or NULL */
        char *since;                    /* @since("x"), or NULL */
        idl_xml_annotation *xml_annotations;    /* @annotation("name", "value") */
        size_t n_xml_annotations;
} idl_common;

typedef struct idl_enumerator {
        idl_loc loc;
        char *name;
        char *doc;
        bool negative;          /* the value is -magnitude */
        uint64_t magnitude;
        idl_loc value_loc;      /* at the value as written; for an implicit value, the name's loc */
} idl_enumerator;

typedef enum idl_typedecl_kind {
        IDL_DECL_STRUCT,
        IDL_DECL_ENUM,
        IDL_DECL_FLAGS,
} idl_typedecl_kind;

struct idl_typedecl {
        idl_common c;
        idl_typedecl_kind kind;
        idl_field *fields;              /* STRUCT */
        size_t n_fields;
        idl_type_kind backing;          /* ENUM, FLAGS: an integer basic kind; default IDL_TYPE_UINT32 */
        idl_loc backing_loc;            /* where the backing type was written, or the name's loc */
        char *backing_name;             /* ENUM, FLAGS: a backing type written as a name ("uint33"), which sema
                                         * reports; "" after a syntax error there (reported); else NULL */
        bool incomplete;                /* part of the declaration did not parse (reported): its fields or values
                                         * are those that did, and sema says nothing their absence could cause */
        idl_enumerator *values;         /* ENUM, FLAGS */
        size_t n_values;
        idl_interface *scope;           /* the interface it is declared in, NULL at file level */
        char *signature;                /* sema */
};

typedef struct idl_raise {
        idl_loc loc;
        char *name;
        idl_error *error;               /* sema */
} idl_raise;

typedef struct idl_method {
        idl_common c;
        idl_field *in;
        size_t n_in;
        idl_field *out;
        size_t n_out;
        idl_raise *raises;
        size_t n_raises;
        bool noreply;                   /* sema: @noreply */
        char *in_signature;             /* sema: concatenated signatures of the inputs ("" if none) */
        char *out_signature;            /* sema */
} idl_method;

typedef struct idl_signal {
        idl_common c;
        idl_field *args;
        size_t n_args;
        char *signature;                /* sema */
} idl_signal;

typedef enum idl_access {
        IDL_ACCESS_READONLY,
        IDL_ACCESS_READWRITE,
        IDL_ACCESS_WRITEONLY,
} idl_access;

typedef struct idl_property {
        idl_common c;
        idl_access access;
        idl_type *type;
        idl_emits emits;                /* sema: @emits, default IDL_EMITS_CHANGE */
        bool client_only;               /* sema: c.dbus_name is no D-Bus member name, only a property name GDBus
                                         * accepts ("disable-printing"): sd-bus cannot serve it, so the server
                                         * side leaves it out; clients read and write it like any other */
} idl_property;

struct idl_error {
        idl_common c;                   /* c.dbus_name (sema): "<interface>.Error.<Name>" or @dbus_name */
        idl_interface *scope;
};

struct idl_interface {
        idl_common c;                   /* c.name: the dotted D-Bus interface name */
        char *c_prefix;                 /* sema: @c_prefix, or idl_default_c_prefix() of the name; dbidlc's
                                         * --c-prefix and --c-namespace may replace it (codegen_set_c_prefixes) */
        bool c_prefix_given;            /* sema: from @c_prefix */
        bool stored;                    /* sema: @stored, the skeleton keeps the property values (docs/c-api.md) */
        idl_typedecl **types;
        size_t n_types;
        idl_error *errors;
        size_t n_errors;
        idl_method *methods;
        size_t n_methods;
        idl_signal *signals;
        size_t n_signals;
        idl_property *properties;
        size_t n_properties;
};

typedef struct idl_file idl_file;

/*
 * `import "path";`.  Only the file-level struct/enum/flags of the imported
 * file become visible (not its interfaces, not what it imports itself).
 */
typedef struct idl_import {
        idl_loc loc;                    /* at the string */
        char *path;                     /* as written */
        idl_file *file;                 /* idl_load: the imported file (owned by the root file), or NULL */
} idl_import;

struct idl_file {
        char *path;                     /* as given to the parser; every idl_loc.file points here */
        char *text;                     /* the whole source, NUL-terminated (for diagnostics) */
        size_t text_len;
        idl_import *imports;
        size_t n_imports;
        idl_typedecl **types;           /* file-level struct/enum/flags */
        size_t n_types;
        idl_interface *interfaces;
        size_t n_interfaces;
        bool imported;                  /* idl_load: loaded because another file imports it (not the root) */
        bool syntax_errors;             /* parsing reported errors: the tree has only what parsed well, and sema
                                         * says nothing the missing declarations could cause (-Wempty-file …) */
        idl_file **owned;               /* private (root only): every imported file, freed with the root */
        size_t n_owned;
        void *arena;                    /* private: the allocator every node comes from */
};

/* Release a whole tree, with the imported files it owns.  Accepts NULL; returns NULL. */
idl_file *idl_file_free(idl_file *f);

/* The D-Bus type code of a basic kind (IDL_TYPE_BYTE … IDL_TYPE_VARIANT), or 0. */
char idl_type_kind_code(idl_type_kind k);
/* The IDL spelling of a basic kind ("int32"), or NULL for containers. */
const char *idl_type_kind_name(idl_type_kind k);
/* The one table of these enums' words, for every back end: "readonly", "readwrite", "writeonly" (the IDL's keywords). */
const char *idl_access_keyword(idl_access a);
/* The introspection XML's access attribute: "read", "readwrite", "write" (D-Bus specification, "Introspection Data Format"). */
const char *idl_access_xml(idl_access a);
/* @emits's words: "change", "invalidates", "const", "none". */
const char *idl_emits_keyword(idl_emits m);
/* The EmitsChangedSignal annotation's value (D-Bus specification, "Introspection Data Format"): "true",
 * "invalidates", "const", "false". */
const char *idl_emits_xml(idl_emits m);
/* The keyword of a type declaration: "struct", "enum", "flags". */
const char *idl_typedecl_keyword(idl_typedecl_kind k);
/* true for the twelve basic types and fd: the D-Bus specification's basic types, valid dict keys. */
bool idl_type_kind_is_basic(idl_type_kind k);
/* true for byte, bool, the integer types and double (fixed-size, no fd). */
bool idl_type_kind_is_fixed(idl_type_kind k);
/* true for byte and the (u)int types: what enums and flags may be backed by. */
bool idl_type_kind_is_integer(idl_type_kind k);
/*
 * The checked type `t`'s signature with every blob position written 'H'
 * instead of 'h' ("a(sH)" for `(string, blob)[]`), the value of the
 * introspection XML's org.dbidl.Blob annotation (docs/outputs.md, "xml"):
 * a malloc'd string the caller frees, or NULL when `t` holds no blob (or its
 * signature is unknown, after an error) or on out-of-memory (*ret_oom set).
 */
char *idl_type_blob_marks(const idl_type *t, bool *ret_oom);

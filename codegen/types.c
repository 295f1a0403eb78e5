/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/types.c — the registry of generated C types for composite IDL types, and their marshalling code */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/hashmap.h"
#include "codegen/ctype.h"
#include "codegen/naming.h"
#include "codegen/strbuf.h"
#include "codegen/types.h"
#include "idl/idl.h"

/*
 * The registry of one file being generated (types_new): the back ends' state
 * about types, passed to every function that needs it, so that several files
 * can be generated in one process, one after the other or side by side.
 */
struct types {
        tdef **defs;
        size_t n;
        struct anon {
                const idl_type *type;
                char *prefix, *rest;    /* the C name is prefix_rest (type_tname) */
                tdef *def;
        } *anon;
        size_t n_anon;
        char *file_prefix;
        const char *root_path;          /* the file being generated; types from other files are imported */
        bool oom;
        /*
         * Lookups by type node are memoized (the generators ask about the same
         * nodes again and again; a lookup by name costs a string build and a
         * hash), type node → tdef (NULL included).  Hash indexes
         * (common/hashmap.h) over defs by C name (→ tdef) and over anon by
         * type node (→ position in anon): an interface of thousands of
         * members has thousands of types, and every registration looks its
         * name up.
         */
        hashmap memo, by_name, by_node;
};

static char *xasprintf(types *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *xasprintf(types *r, const char *fmt, ...) {
        strbuf b = { 0 };
        va_list ap;
        va_start(ap, fmt);
        sb_vprintf(&b, fmt, ap);
        va_end(ap);
        char *s = sb_take(&b);
        if (!s)
                r->oom = true;
        return s;
}

static char *upper(types *r, const char *s) {
        char *u = c_upper(s);
        if (!u)
                r->oom = true;
        return u;
}

static bool is_sv_dict(const idl_type *t) {
        return t->kind == IDL_TYPE_DICT && t->signature && strcmp(t->signature, "a{sv}") == 0;
}

static bool is_strv(const idl_type *t) {
        return t->kind == IDL_TYPE_ARRAY && (t->elem->kind == IDL_TYPE_STRING || t->elem->kind == IDL_TYPE_OBJPATH ||
                                             t->elem->kind == IDL_TYPE_SIGNATURE);
}

/* true if `t` needs a generated definition */
static bool needs_def(const idl_type *t) {
        switch (t->kind) {
        case IDL_TYPE_NAMED:
        case IDL_TYPE_STRUCT:
                return true;
        case IDL_TYPE_DICT:
                return !is_sv_dict(t);
        case IDL_TYPE_ARRAY:
                return !is_strv(t);
        default:
                return false;
        }
}

static const struct anon *anon_of(types *r, const idl_type *t) {
        void *at;
        return hashmap_get(&r->by_node, t, &at) ? &r->anon[(uintptr_t) at] : NULL;
}

static tdef *find(types *r, const char *cname) {
        void *d;
        return hashmap_get(&r->by_name, cname, &d) ? d : NULL;
}

/* The file prefix of a file (c_file_prefix()); r->oom on failure. */
static char *prefix_of_path(types *r, const char *path) {
        char *p = c_file_prefix(path);
        if (!p)
                r->oom = true;
        return p;
}

/* true for a declaration that comes from an imported file: its header defines its C type. */
static bool decl_is_imported(types *r, const idl_typedecl *d) {
        return r->root_path && d->c.loc.file && strcmp(d->c.loc.file, r->root_path) != 0;
}

/*
 * A generated type's C name is PREFIX_Rest (docs/c-api.md, "Generated
 * types"): the C prefix of the interface or file it belongs to, and an
 * UpperCamelCase rest.  Functions are PREFIX_verb_…, in lower case after the
 * prefix, so no type name is ever a function's (codegen/naming.h).
 */
typedef struct tname {
        char *prefix, *rest;
} tname;

static void tname_clear(tname *n) {
        free(n->prefix);
        free(n->rest);
        n->prefix = n->rest = NULL;
}

static char *camel(types *r, const char *s) {
        char *c = idl_camel_case(s);
        if (!c)
                r->oom = true;
        return c;
}

static char *decl_cname(types *r, const idl_typedecl *d);

/* The prefix of a declaration's C type name: its interface's C prefix, else the prefix of its file, `file_prefix`. */
static const char *decl_prefix(const idl_typedecl *d, const char *file_prefix) {
        return d->scope ? d->scope->c_prefix : file_prefix;
}

char *typedecl_cname(const idl_typedecl *d, const char *file_prefix) {
        char *s = NULL;
        if (asprintf(&s, "%s_%s", decl_prefix(d, file_prefix), d->c.c_name) < 0)
                return NULL;
        return s;
}

char *typedecl_const_prefix(const idl_typedecl *d, const char *file_prefix) {
        char *snake = idl_snake_case(d->c.c_name), *all = NULL, *u = NULL;
        if (snake && asprintf(&all, "%s_%s", decl_prefix(d, file_prefix), snake) < 0)
                all = NULL;
        if (all)
                u = c_upper(all);
        free(snake);
        free(all);
        return u;
}

static bool decl_tname(types *r, const idl_typedecl *d, tname *ret) {
        char *imported = !d->scope && decl_is_imported(r, d) ? prefix_of_path(r, d->c.loc.file) : NULL;
        ret->prefix = xasprintf(r, "%s", decl_prefix(d, imported ? imported : r->file_prefix));
        free(imported);
        ret->rest = xasprintf(r, "%s", d->c.c_name);
        if (ret->prefix && ret->rest)
                return true;
        tname_clear(ret);
        return false;
}

/* PREFIX_Rest from a name built by decl_tname() or type_tname() (`ok`), which it consumes; NULL on failure. */
static char *tname_join(types *r, bool ok, tname *n) {
        char *s = ok ? xasprintf(r, "%s_%s", n->prefix, n->rest) : NULL;
        tname_clear(n);
        return s;
}

static char *decl_cname(types *r, const idl_typedecl *d) {
        tname n = { 0 };
        return tname_join(r, decl_tname(r, d, &n), &n);
}

/* The word a type contributes to the name of a collection of it. */
static char *slug(types *r, const idl_type *t);
static bool type_tname(types *r, const idl_type *t, tname *ret);

/* true if `t` has a definition of this file's own (not one an imported header has) */
static bool local_def(types *r, const idl_type *t) {
        return needs_def(t) && !(t->kind == IDL_TYPE_NAMED && t->decl && decl_is_imported(r, t->decl));
}

static bool type_tname(types *r, const idl_type *t, tname *ret) {
        *ret = (tname) { 0 };
        switch (t->kind) {
        case IDL_TYPE_NAMED:
                return t->decl && decl_tname(r, t->decl, ret);
        case IDL_TYPE_STRUCT: {
                const struct anon *a = anon_of(r, t);
                if (!a)
                        return false;
                ret->prefix = xasprintf(r, "%s", a->prefix);
                ret->rest = xasprintf(r, "%s", a->rest);
                break;
        }
        case IDL_TYPE_ARRAY: {
                /* an array of a generated type X is XArray, beside X; others belong to the file */
                if (local_def(r, t->elem)) {
                        tname e;
                        if (!type_tname(r, t->elem, &e))
                                return false;
                        ret->prefix = e.prefix;
                        ret->rest = xasprintf(r, "%sArray", e.rest);
                        free(e.rest);
                        break;
                }
                char *s = slug(r, t->elem);
                ret->prefix = xasprintf(r, "%s", r->file_prefix);
                ret->rest = s ? xasprintf(r, "%sArray", s) : NULL;
                free(s);
                break;
        }
        case IDL_TYPE_DICT: {
                /* beside its value's type, else its key's, else in the file; each part named once (nested dicts) */
                tname v = { 0 };
                bool own_v = local_def(r, t->elem), own_k = !own_v && local_def(r, t->key);
                if (own_v && !type_tname(r, t->elem, &v))
                        return false;
                tname k = { 0 };
                if (own_k && !type_tname(r, t->key, &k))
                        return false;
                char *ks = own_k ? k.rest : slug(r, t->key), *vs = own_v ? v.rest : slug(r, t->elem);
                ret->prefix = own_v ? v.prefix : own_k ? k.prefix : xasprintf(r, "%s", r->file_prefix);
                ret->rest = ks && vs ? xasprintf(r, "%s%sDict", ks, vs) : NULL;
                free(ks);
                free(vs);
                if (!own_v)
                        free(v.prefix);
                if (!own_k || own_v)
                        free(k.prefix);
                break;
        }
        default:
                return false;
        }
        if (ret->prefix && ret->rest)
                return true;
        tname_clear(ret);
        return false;
}

static char *type_cname(types *r, const idl_type *t) {
        tname n = { 0 };
        return tname_join(r, type_tname(r, t, &n), &n);
}

static char *slug(types *r, const idl_type *t) {
        if (t->kind == IDL_TYPE_NAMED && t->decl && decl_is_imported(r, t->decl)) {
                /* the importing file names it with the imported file's prefix: ShapesPoint */
                tname n;
                if (!decl_tname(r, t->decl, &n))
                        return NULL;
                char *p = camel(r, n.prefix), *s = p ? xasprintf(r, "%s%s", p, n.rest) : NULL;
                free(p);
                tname_clear(&n);
                return s;
        }
        if (needs_def(t)) {
                tname n;
                if (!type_tname(r, t, &n))
                        return NULL;
                free(n.prefix);
                return n.rest;
        }
        if (is_sv_dict(t))
                return xasprintf(r, "Vardict");
        if (t->kind == IDL_TYPE_ARRAY) {
                char *e = slug(r, t->elem);
                char *s = e ? xasprintf(r, "%sArray", e) : NULL;
                free(e);
                return s;
        }
        return camel(r, idl_type_kind_name(t->kind));
}

static void add_def(types *r, tdef *d) {
        tdef **n = realloc(r->defs, (r->n + 1) * sizeof(*n));
        if (!n) {
                r->oom = true;
                return;
        }
        r->defs = n;
        r->defs[r->n++] = d;
        if (d->cname && hashmap_put(&r->by_name, d->cname, d, NULL) < 0)
                r->oom = true;
}

/*
 * Where an anonymous struct is met names it: the C prefix, then the
 * UpperCamelCase words of the member and of the argument, each its own part
 * (Move_To: an UpperCamelCase word has no '_', so no two members and
 * arguments give one name), then _Item, _Value or the field's name for what
 * is inside.
 */
typedef struct ctx {
        const char *prefix;
        const char *rest;
} ctx;

static void register_type(types *r, const idl_type *t, ctx c, idl_loc loc);

/* true if two types are one C type: the same kind, the same declaration, the same parts */
static bool same_type(const idl_type *a, const idl_type *b) {
        if (a == b)
                return true;
        if (!a || !b || a->kind != b->kind)
                return false;
        switch (a->kind) {
        case IDL_TYPE_NAMED:
                return a->decl == b->decl;
        case IDL_TYPE_STRUCT:
                return false;   /* every anonymous struct has a type of its own */
        case IDL_TYPE_ARRAY:
                return same_type(a->elem, b->elem);
        case IDL_TYPE_DICT:
                return same_type(a->key, b->key) && same_type(a->elem, b->elem);
        default:
                return true;
        }
}

static void register_struct_fields(types *r, tdef *d, const idl_field *fields, size_t n, ctx c) {
        d->fields = fields;
        d->n_fields = n;
        d->field_names = calloc(n ? n : 1, sizeof(char *));
        if (!d->field_names) {
                r->oom = true;
                return;
        }
        for (size_t i = 0; i < n; i++) {
                d->field_names[i] = fields[i].name ? c_field_name(fields[i].name) : xasprintf(r, "m%zu", i);
                /* an escaped name may be another field's (class_ next to class): one more '_' until it is free */
                for (size_t k = 0; d->field_names[i] && k < n; k++) {
                        bool taken = false;
                        for (size_t j = 0; j < i && !taken; j++)
                                taken = strcmp(d->field_names[j], d->field_names[i]) == 0;
                        for (size_t j = i + 1; j < n && !taken; j++)
                                taken = fields[j].name && strcmp(fields[j].name, d->field_names[i]) == 0;
                        if (!taken)
                                break;
                        char *longer = xasprintf(r, "%s_", d->field_names[i]);
                        free(d->field_names[i]);
                        d->field_names[i] = longer;
                }
                if (!d->field_names[i]) {
                        r->oom = true;
                        return;
                }
                char *F = camel(r, d->field_names[i]), *rest = F ? xasprintf(r, "%s_%s", c.rest, F) : NULL;
                if (rest)
                        register_type(r, fields[i].type, (ctx) { c.prefix, rest }, fields[i].loc);
                free(F);
                free(rest);
        }
}

/*
 * Add a definition.  Another one of the same name is kept too when it is
 * another type (d->clash): codegen_check_names() reports the pair, and no
 * code is generated for such a file.
 */
static bool add_named(types *r, tdef *d) {
        tdef *old = find(r, d->cname);
        if (old && old->decl && old->decl == d->decl)
                return false;
        if (old && !d->decl && !old->decl && old->kind == d->kind && same_type(old->type, d->type))
                return false;
        d->clash = old != NULL;
        return true;
}

static void register_decl(types *r, const idl_typedecl *decl) {
        tdef *d = calloc(1, sizeof(*d));
        if (!d) {
                r->oom = true;
                return;
        }
        d->cname = decl_cname(r, decl);
        d->decl = decl;
        d->loc = decl->c.loc;
        if (!d->cname || !add_named(r, d)) {
                free(d->cname);
                free(d);
                return;
        }
        d->imported = decl_is_imported(r, decl);
        d->doc = decl->c.doc;
        d->signature = decl->signature;
        switch (decl->kind) {
        case IDL_DECL_STRUCT: {
                d->kind = TDEF_STRUCT;
                /* dependencies first: the definition is added after its fields' types */
                tname n;
                if (decl_tname(r, decl, &n)) {
                        register_struct_fields(r, d, decl->fields, decl->n_fields, (ctx) { n.prefix, n.rest });
                        tname_clear(&n);
                }
                break;
        }
        case IDL_DECL_ENUM:
        case IDL_DECL_FLAGS: {
                /* the constants: PREFIX_TYPE_VALUE, the type's words in snake_case */
                d->kind = decl->kind == IDL_DECL_ENUM ? TDEF_ENUM : TDEF_FLAGS;
                char *imported = !decl->scope && decl_is_imported(r, decl) ? prefix_of_path(r, decl->c.loc.file) : NULL;
                d->const_prefix = typedecl_const_prefix(decl, imported ? imported : r->file_prefix);
                free(imported);
                if (!d->const_prefix)
                        r->oom = true;
                break;
        }
        }
        add_def(r, d);
}

/* Register `t` and what it contains; `c` names anonymous structs found in it, `loc` is where it is used. */
static void register_type(types *r, const idl_type *t, ctx c, idl_loc loc) {
        if (r->oom || !needs_def(t))
                return;
        if (t->kind == IDL_TYPE_NAMED) {
                if (t->decl)
                        register_decl(r, t->decl);
                return;
        }
        if (t->kind == IDL_TYPE_STRUCT) {
                if (anon_of(r, t))
                        return;
                struct anon *a = realloc(r->anon, (r->n_anon + 1) * sizeof(*a));
                if (!a) {
                        r->oom = true;
                        return;
                }
                r->anon = a;
                r->anon[r->n_anon] = (struct anon) { .type = t, .prefix = xasprintf(r, "%s", c.prefix),
                                                   .rest = xasprintf(r, "%s", c.rest) };
                struct anon *self = &r->anon[r->n_anon];
                if (!r->anon[r->n_anon].prefix || !r->anon[r->n_anon].rest) {
                        free(r->anon[r->n_anon].prefix);
                        free(r->anon[r->n_anon].rest);
                        return;
                }
                r->n_anon++;
                size_t self_i = (size_t) (self - r->anon);
                if (hashmap_put(&r->by_node, t, (void *) (uintptr_t) self_i, NULL) < 0)
                        r->oom = true;
                tdef *d = calloc(1, sizeof(*d));
                if (!d) {
                        r->oom = true;
                        return;
                }
                r->anon[self_i].def = d;
                d->kind = TDEF_STRUCT;
                d->cname = xasprintf(r, "%s_%s", c.prefix, c.rest);
                d->signature = t->signature;
                d->type = t;
                d->loc = loc;
                if (!d->cname) {
                        free(d);
                        return;
                }
                add_named(r, d);
                register_struct_fields(r, d, t->fields, t->n_fields, c);
                add_def(r, d);
                return;
        }
        /* arrays and dicts: their parts first */
        char *sub = xasprintf(r, "%s_%s", c.rest, t->kind == IDL_TYPE_ARRAY ? "Item" : "Value");
        if (!sub)
                return;
        if (t->kind == IDL_TYPE_DICT)
                register_type(r, t->key, (ctx) { c.prefix, sub }, loc);
        register_type(r, t->elem, (ctx) { c.prefix, sub }, loc);
        free(sub);
        tdef *d = calloc(1, sizeof(*d));
        if (!d) {
                r->oom = true;
                return;
        }
        d->kind = t->kind == IDL_TYPE_ARRAY ? TDEF_ARRAY : TDEF_DICT;
        d->cname = type_cname(r, t);
        d->signature = t->signature;
        d->elem = t->elem;
        d->key = t->key;
        d->type = t;
        d->loc = loc;
        if (!d->cname || !add_named(r, d)) {
                free(d->cname);
                free(d);
                return;
        }
        add_def(r, d);
}

static void register_fields(types *r, const idl_field *fields, size_t n, const char *prefix, const char *member) {
        char *mc = camel(r, member);
        for (size_t i = 0; mc && i < n; i++) {
                char *A = camel(r, fields[i].name), *rest = A ? xasprintf(r, "%s_%s", mc, A) : NULL;
                if (rest)
                        register_type(r, fields[i].type, (ctx) { prefix, rest }, fields[i].loc);
                free(A);
                free(rest);
        }
        free(mc);
}

int types_new(const idl_file *f, const char *stem, types **ret) {
        types *r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        r->memo = HASHMAP_INIT(&pointer_hash_ops);
        r->by_name = HASHMAP_INIT(&string_hash_ops);
        r->by_node = HASHMAP_INIT(&pointer_hash_ops);
        r->file_prefix = prefix_of_path(r, stem);
        r->root_path = f->path;
        if (!r->file_prefix) {
                types_free(r);
                return -ENOMEM;
        }

        for (size_t i = 0; i < f->n_types; i++)
                register_decl(r, f->types[i]);
        for (size_t i = 0; i < f->n_interfaces; i++) {
                const idl_interface *it = &f->interfaces[i];
                const char *P = it->c_prefix;
                for (size_t j = 0; j < it->n_types; j++)
                        register_decl(r, it->types[j]);
                for (size_t j = 0; j < it->n_methods; j++) {
                        const idl_method *m = &it->methods[j];
                        register_fields(r, m->in, m->n_in, P, m->c.c_name);
                        register_fields(r, m->out, m->n_out, P, m->c.c_name);
                }
                for (size_t j = 0; j < it->n_signals; j++)
                        register_fields(r, it->signals[j].args, it->signals[j].n_args, P, it->signals[j].c.c_name);
                for (size_t j = 0; j < it->n_properties; j++) {
                        const idl_property *q = &it->properties[j];
                        char *rest = camel(r, q->c.c_name);
                        if (rest)
                                register_type(r, q->type, (ctx) { P, rest }, q->c.loc);
                        free(rest);
                }
        }
        if (r->oom) {
                types_free(r);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

types *types_free(types *r) {
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n; i++) {
                tdef *d = r->defs[i];
                free(d->cname);
                for (size_t k = 0; d->field_names && k < d->n_fields; k++)
                        free(d->field_names[k]);
                free(d->field_names);
                free(d->const_prefix);
                free(d);
        }
        free(r->defs);
        for (size_t i = 0; i < r->n_anon; i++) {
                free(r->anon[i].prefix);
                free(r->anon[i].rest);
        }
        free(r->anon);
        free(r->file_prefix);
        hashmap_clear(&r->memo);
        hashmap_clear(&r->by_name);
        hashmap_clear(&r->by_node);
        free(r);
        return NULL;
}

static const tdef *types_lookup_uncached(types *r, const idl_type *t);

const tdef *types_lookup(types *r, const idl_type *t) {
        void *d;
        if (!needs_def(t))
                return NULL;
        if (hashmap_get(&r->memo, t, &d))
                return d;
        d = (void *) types_lookup_uncached(r, t);
        (void) hashmap_put(&r->memo, t, d, NULL); /* without memory no memo, still a right answer */
        return d;
}

static const tdef *types_lookup_uncached(types *r, const idl_type *t) {
        if (t->kind == IDL_TYPE_STRUCT) {
                const struct anon *a = anon_of(r, t);
                return a ? a->def : NULL;
        }
        char *cname = type_cname(r, t);
        const tdef *d = cname ? find(r, cname) : NULL;
        free(cname);
        return d;
}

bool types_uses_file(types *r, const char *path) {
        for (size_t i = 0; i < r->n; i++) {
                const char *file = r->defs[i]->imported ? r->defs[i]->decl->c.loc.file : NULL;
                if (file && strcmp(file, path) == 0)
                        return true;
        }
        return false;
}

size_t types_count(types *r) {
        return r->n;
}

const tdef *types_at(types *r, size_t i) {
        return i < r->n ? r->defs[i] : NULL;
}

const char *types_vtype(types *r, const idl_type *t) {
        const tdef *d = types_lookup(r, t);
        if (d)
                return d->cname;
        if (is_sv_dict(t))
                return "dbidl_dict *";
        if (is_strv(t))
                return "char **";
        switch (t->kind) {
        case IDL_TYPE_STRING:
        case IDL_TYPE_OBJPATH:
        case IDL_TYPE_SIGNATURE:
                return "char *";
        case IDL_TYPE_FD:
                return "int";
        case IDL_TYPE_VARIANT:
                return "dbidl_variant *";
        case IDL_TYPE_BLOB:
                return "dbidl_blob *";
        default:
                return type_scalar_ctype(t);
        }
}

/*
 * ---- statements on one value ----
 *
 * value_init, value_clear, value_append (from), value_read (into): statements for one value of type `t` held in the
 * lvalue `val`.  value_append and value_read set `dbidl_r` and on failure execute `fail` (e.g. "return dbidl_r;" or
 * "goto fail;").
 */

static bool has_lent(types *r, const tdef *d); /* below, with value_read() */

static bool is_scalar(const idl_type *t) {
        return idl_type_kind_is_fixed(t->kind) && t->kind != IDL_TYPE_BOOL;
}

static void value_init(printer *e, const idl_type *t, const char *val) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        if (d && (d->kind == TDEF_ENUM || d->kind == TDEF_FLAGS))
                emit(e, "%s = (%s) 0;", val, d->cname);
        else if (d)
                emit(e, "%s_init(&%s);", d->cname, val);
        else if (t->kind == IDL_TYPE_FD)
                emit(e, "%s = -1;", val);
        else if (t->kind == IDL_TYPE_BOOL)
                emit(e, "%s = false;", val);
        else if (is_scalar(t))
                emit(e, "%s = 0;", val);
        else
                emit(e, "%s = NULL;", val);
}

static void value_clear(printer *e, const idl_type *t, const char *val) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        if (d) {
                if (d->kind != TDEF_ENUM && d->kind != TDEF_FLAGS)
                        emit(e, "%s_clear(&%s);", d->cname, val);
                return;
        }
        if (is_sv_dict(t))
                emit(e, "%s = dbidl_dict_unref(%s);", val, val);
        else if (is_strv(t))
                emit(e, "%s = dbidl_strv_free(%s);", val, val);
        else if (t->kind == IDL_TYPE_VARIANT)
                emit(e, "%s = dbidl_variant_unref(%s);", val, val);
        else if (t->kind == IDL_TYPE_BLOB)
                emit(e, "%s = dbidl_blob_unref(%s);", val, val);
        else if (t->kind == IDL_TYPE_FD) {
                emit(e, "dbidl_fd_close(%s);", val);
                emit(e, "%s = -1;", val);
        } else if (t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE) {
                emit(e, "free(%s);", val);
                emit(e, "%s = NULL;", val);
        }
}

/* Free what a lent read of type `t` built into `val`: its strings are the message's, the rest as value_clear(). */
static void value_clear_lent(printer *e, const idl_type *t, const char *val) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        if (d && has_lent(r, d))
                emit(e, "dbidl_lent_clear_%s(&%s);", d->cname, val);
        else if (t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE)
                emit(e, "%s = NULL;", val);
        else
                value_clear(e, t, val);
}

/* Copy the value `src` into `dst` (initialized); on failure set dbidl_r and `goto fail`. */
static void value_copy(printer *e, const idl_type *t, const char *dst, const char *src) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        if (d && d->kind != TDEF_ENUM && d->kind != TDEF_FLAGS) {
                emit(e, "dbidl_r = %s_copy(&%s, &%s);", d->cname, dst, src);
                emit(e, "if (dbidl_r < 0)");
                indent(e);
                emit(e, "goto fail;");
                dedent(e);
        } else if (d || is_scalar(t) || t->kind == IDL_TYPE_BOOL)
                emit(e, "%s = %s;", dst, src);
        else if (is_sv_dict(t))
                emit(e, "%s = dbidl_dict_ref(%s);", dst, src);
        else if (t->kind == IDL_TYPE_VARIANT)
                emit(e, "%s = dbidl_variant_ref(%s);", dst, src);
        else if (t->kind == IDL_TYPE_BLOB)
                emit(e, "%s = dbidl_blob_ref(%s);", dst, src);
        else if (t->kind == IDL_TYPE_FD) {
                emit(e, "if (%s >= 0) {", src);
                indent(e);
                emit(e, "dbidl_r = dbidl_fd_dup(%s);", src);
                emit(e, "if (dbidl_r < 0)");
                indent(e);
                emit(e, "goto fail;");
                dedent(e);
                emit(e, "%s = dbidl_r;", dst);
                dedent(e);
                emit(e, "}");
        } else {
                emit(e, "if (%s) {", src);
                indent(e);
                emit(e, "%s = %s(%s);", dst, is_strv(t) ? "dbidl_strv_copy" : "dbidl_strdup", src);
                emit(e, "if (!%s) {", dst);
                indent(e);
                emit(e, "dbidl_r = -ENOMEM;");
                emit(e, "goto fail;");
                dedent(e);
                emit(e, "}");
                dedent(e);
                emit(e, "}");
        }
}

/* true if copying a value of `t` allocates or duplicates something, and so can fail */
static bool copy_can_fail(types *r, const idl_type *t) {
        const tdef *d = types_lookup(r, t);
        if (d)
                return d->kind != TDEF_ENUM && d->kind != TDEF_FLAGS;
        return t->kind == IDL_TYPE_FD || t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH ||
               t->kind == IDL_TYPE_SIGNATURE || is_strv(t);
}

static void emit_copy(printer *e, const tdef *d) {
        types *r = e->types;
        bool can_fail = false;
        if (d->kind == TDEF_STRUCT) {
                for (size_t i = 0; i < d->n_fields; i++)
                        can_fail = can_fail || copy_can_fail(r, d->fields[i].type);
        } else
                can_fail = copy_can_fail(r, d->elem) || (d->key && copy_can_fail(r, d->key));

        emit(e, "/*");
        emit(e, " * Deep-copy *src into *dst (which is overwritten, not cleared): strings, arrays and fds are");
        emit(e, " * duplicated, variants and dictionaries gain a reference.  Returns 0, -ENOMEM or the errno of");
        emit(e, " * a failed fd duplication; *dst is untouched on failure.  Free the copy with %s_clear().",
             d->cname);
        emit(e, " */");
        emit(e, "static inline int %s_copy(%s *dst, const %s *src) {", d->cname, d->cname, d->cname);
        indent(e);
        emit(e, "%s v;", d->cname);
        if (can_fail)
                emit(e, "int dbidl_r = 0;");
        emit_blank(e);
        emit(e, "%s_init(&v);", d->cname);
        if (d->kind == TDEF_STRUCT) {
                for (size_t i = 0; i < d->n_fields; i++) {
                        char *dst = xasprintf(r, "v.%s", d->field_names[i]);
                        char *src = xasprintf(r, "src->%s", d->field_names[i]);
                        if (dst && src)
                                value_copy(e, d->fields[i].type, dst, src);
                        free(dst);
                        free(src);
                }
        } else {
                const char *item = d->kind == TDEF_ARRAY ? types_vtype(r, d->elem) : NULL;
                emit(e, "if (src->n > 0) {");
                indent(e);
                if (item)
                        emit(e, "v.items = (%s%s*) calloc(src->n, sizeof(*v.items));", item,
                             item[strlen(item) - 1] == '*' ? "" : " ");
                else
                        emit(e, "v.items = (%sEntry *) calloc(src->n, sizeof(*v.items));", d->cname);
                emit(e, "if (!v.items)");
                indent(e);
                emit(e, "return -ENOMEM;");
                dedent(e);
                if (!can_fail) {
                        emit(e, "memcpy(v.items, src->items, src->n * sizeof(*v.items));");
                        emit(e, "v.n = src->n;");
                }
                dedent(e);
                emit(e, "}");
        }
        if (d->kind != TDEF_STRUCT && can_fail) {
                emit(e, "for (size_t i = 0; i < src->n; i++) {");
                indent(e);
                if (d->kind == TDEF_ARRAY) {
                        value_init(e, d->elem, "v.items[i]");
                        emit(e, "v.n = i + 1;");
                        value_copy(e, d->elem, "v.items[i]", "src->items[i]");
                } else {
                        value_init(e, d->key, "v.items[i].key");
                        value_init(e, d->elem, "v.items[i].value");
                        emit(e, "v.n = i + 1;");
                        value_copy(e, d->key, "v.items[i].key", "src->items[i].key");
                        value_copy(e, d->elem, "v.items[i].value", "src->items[i].value");
                }
                dedent(e);
                emit(e, "}");
        }
        emit(e, "*dst = v;");
        emit(e, "return 0;");
        dedent(e);
        if (can_fail) {
                emit(e, "fail:");
                indent(e);
                emit(e, "%s_clear(&v);", d->cname);
                emit(e, "return dbidl_r;");
                dedent(e);
        }
        emit(e, "}");
        emit_blank(e);
}

static void emit_fail(printer *e, const char *fail) {
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "%s", fail);
        dedent(e);
}

static void value_append(printer *e, const idl_type *t, const char *msg, const char *val, const char *fail) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        char c = idl_type_kind_code(t->kind);
        if (d)
                emit(e, "dbidl_r = dbidl_append_%s(%s, &%s);", d->cname, msg, val);
        else if (is_sv_dict(t))
                emit(e, "dbidl_r = dbidl_dict_append(%s, %s);", msg, val);
        else if (is_strv(t))
                emit(e, "dbidl_r = dbidl_message_append_strv(%s, '%c', %s);", msg, idl_type_kind_code(t->elem->kind),
                     val);
        else if (t->kind == IDL_TYPE_VARIANT)
                emit(e, "dbidl_r = dbidl_variant_append(%s, %s);", msg, val);
        else if (t->kind == IDL_TYPE_BLOB)
                emit(e, "dbidl_r = dbidl_blob_append(%s, %s);", msg, val);
        else if (t->kind == IDL_TYPE_BOOL)
                emit(e, "dbidl_r = sd_bus_message_append(%s, \"b\", (int) %s);", msg, val);
        else if (t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE)
                emit(e, "dbidl_r = sd_bus_message_append_basic(%s, '%c', %s);", msg, c, val);
        else
                emit(e, "dbidl_r = sd_bus_message_append_basic(%s, '%c', &%s);", msg, c, val);
        emit_fail(e, fail);
}

/*
 * Lent reads (docs/c-api.md, "Lent values inside structs, arrays and dicts"): the inputs a handler sees and the outputs and arguments a callback or a
 * lent call sees are read with their strings pointing into the message, not copied, inside structs, arrays and
 * dicts as at the top level.  A generated type "has a lent form" when a string (s, o, g) is among its members,
 * directly or in a generated type it holds; such a type gets a second read helper that leaves those strings in the
 * message (dbidl_lent_read_T) and a clear that frees only what that read built (dbidl_lent_clear_T), both in its
 * codec (read_lent, clear_lent).  Everything else (variants, dicts a{sv}, strv, fds, blobs) is read as in the owned
 * form.  Types cannot contain themselves, so the recursion ends.
 */
static bool type_has_lent(types *r, const idl_type *t) {
        const tdef *d = types_lookup(r, t);
        if (d)
                return has_lent(r, d);
        return t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE;
}

static bool has_lent(types *r, const tdef *d) {
        switch (d->kind) {
        case TDEF_STRUCT:
                for (size_t i = 0; i < d->n_fields; i++)
                        if (type_has_lent(r, d->fields[i].type))
                                return true;
                return false;
        case TDEF_ARRAY:
                return type_has_lent(r, d->elem);
        case TDEF_DICT:
                return type_has_lent(r, d->key) || type_has_lent(r, d->elem);
        default:
                return false;
        }
}

/* Read the value of type `t` into `val` (owned, or `lent` as above); on failure set dbidl_r and run `fail`. */
static void value_read(printer *e, const idl_type *t, const char *msg, const char *val, const char *fail, bool lent) {
        types *r = e->types;
        const tdef *d = types_lookup(r, t);
        char c = idl_type_kind_code(t->kind);
        if (d && lent && has_lent(r, d))
                emit(e, "dbidl_r = dbidl_lent_read_%s(%s, &%s);", d->cname, msg, val);
        else if (d)
                emit(e, "dbidl_r = dbidl_read_%s(%s, &%s);", d->cname, msg, val);
        else if (is_sv_dict(t))
                emit(e, "dbidl_r = dbidl_dict_read(%s, &%s);", msg, val);
        else if (is_strv(t))
                emit(e, "dbidl_r = dbidl_message_read_strv(%s, &%s);", msg, val);
        else if (t->kind == IDL_TYPE_VARIANT)
                emit(e, "dbidl_r = dbidl_variant_read(%s, &%s);", msg, val);
        else if (t->kind == IDL_TYPE_BLOB)
                emit(e, "dbidl_r = dbidl_blob_read(%s, &%s);", msg, val);
        else if (t->kind == IDL_TYPE_BOOL)
                emit(e, "dbidl_r = dbidl_message_read_bool(%s, &%s);", msg, val);
        else if ((t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE) && lent) {
                emit(e, "dbidl_r = sd_bus_message_read_basic(%s, '%c', &%s);", msg, c, val);
                emit(e, "if (dbidl_r == 0)");
                indent(e);
                emit(e, "dbidl_r = -ENXIO;");
                dedent(e);
        } else if (t->kind == IDL_TYPE_STRING || t->kind == IDL_TYPE_OBJPATH || t->kind == IDL_TYPE_SIGNATURE)
                emit(e, "dbidl_r = dbidl_message_read_string_dup(%s, '%c', &%s);", msg, c, val);
        else if (t->kind == IDL_TYPE_FD)
                emit(e, "dbidl_r = dbidl_message_read_fd_dup(%s, &%s);", msg, val);
        else
                emit(e, "dbidl_r = sd_bus_message_read_basic(%s, '%c', &%s);", msg, c, val);
        emit_fail(e, fail);
}

/* ---- the header: type definitions, _init, _clear, enum helpers ---- */

static const char *backing_ctype(const idl_typedecl *decl) {
        static const idl_type fake[] = {
                [IDL_TYPE_BYTE] = { .kind = IDL_TYPE_BYTE },     [IDL_TYPE_INT16] = { .kind = IDL_TYPE_INT16 },
                [IDL_TYPE_UINT16] = { .kind = IDL_TYPE_UINT16 }, [IDL_TYPE_INT32] = { .kind = IDL_TYPE_INT32 },
                [IDL_TYPE_UINT32] = { .kind = IDL_TYPE_UINT32 }, [IDL_TYPE_INT64] = { .kind = IDL_TYPE_INT64 },
                [IDL_TYPE_UINT64] = { .kind = IDL_TYPE_UINT64 },
        };
        return type_scalar_ctype(&fake[decl->backing]);
}

/* An enumerator's value as a C constant expression. */
static void enumerator_value(const idl_typedecl *decl, const idl_enumerator *v, char *buf, size_t size) {
        bool wide = decl->backing == IDL_TYPE_INT64 || decl->backing == IDL_TYPE_UINT64;
        if (v->negative) {
                if (v->magnitude > (uint64_t) INT64_MAX)
                        snprintf(buf, size, "(-%" PRIu64 "ll - 1)", (uint64_t) INT64_MAX);
                else
                        snprintf(buf, size, "-%" PRIu64 "%s", v->magnitude, wide ? "ll" : "");
        } else
                snprintf(buf, size, "%s%" PRIu64 "%s", decl->kind == IDL_DECL_FLAGS ? "0x" : "", v->magnitude,
                         wide ? "ull" : "");
        if (decl->kind == IDL_DECL_FLAGS && !v->negative)
                snprintf(buf, size, "0x%" PRIx64 "%s", v->magnitude, wide ? "ull" : "");
}

static char *value_name(types *r, const tdef *d, const idl_enumerator *v) {
        char *u = upper(r, v->name);
        char *s = u ? xasprintf(r, "%s_%s", d->const_prefix, u) : NULL;
        free(u);
        return s;
}

static void emit_enum(printer *e, const tdef *d) {
        const idl_typedecl *decl = d->decl;
        char buf[64];
        emit_doc(e, d->doc);
        if (d->kind == TDEF_ENUM) {
                emit(e, "typedef enum %s {", d->cname);
        } else {
                emit(e, "/* bits of %s (unknown bits pass through unchanged) */", d->cname);
                emit(e, "enum %s_bits {", d->cname);
        }
        indent(e);
        for (size_t i = 0; i < decl->n_values; i++) {
                char *n = value_name(e->types, d, &decl->values[i]);
                enumerator_value(decl, &decl->values[i], buf, sizeof buf);
                emit_doc(e, decl->values[i].doc);
                emit(e, "%s = %s,", n ? n : "?", buf);
                free(n);
        }
        dedent(e);
        if (d->kind == TDEF_ENUM)
                emit(e, "} %s;", d->cname);
        else {
                emit(e, "};");
                emit(e, "typedef %s %s; /* \"%s\" */", backing_ctype(decl), d->cname, d->signature);
        }
        emit_blank(e);
        if (d->kind != TDEF_ENUM)
                return;

        emit(e, "/* true if v is one of the declared values of %s */", d->cname);
        emit(e, "static inline bool %s_is_valid(%s v) {", d->cname, d->cname);
        indent(e);
        emit(e, "switch (v) {");
        for (size_t i = 0; i < decl->n_values; i++) {
                char *n = value_name(e->types, d, &decl->values[i]);
                emit(e, "case %s:", n ? n : "?");
                free(n);
        }
        indent(e);
        emit(e, "return true;");
        dedent(e);
        emit(e, "default:");
        indent(e);
        emit(e, "return false;");
        dedent(e);
        emit(e, "}");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "/* The IDL name of v (\"%s\"), or NULL for a value outside the declared set.  Static storage. */",
             decl->n_values ? decl->values[0].name : "");
        emit(e, "static inline const char *%s_to_string(%s v) {", d->cname, d->cname);
        indent(e);
        emit(e, "switch (v) {");
        for (size_t i = 0; i < decl->n_values; i++) {
                char *n = value_name(e->types, d, &decl->values[i]);
                emit(e, "case %s:", n ? n : "?");
                indent(e);
                emit(e, "return \"%s\";", decl->values[i].name);
                dedent(e);
                free(n);
        }
        emit(e, "default:");
        indent(e);
        emit(e, "return NULL;");
        dedent(e);
        emit(e, "}");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "/* Parse an IDL value name into *ret: 0, or -EINVAL for a name that is not declared (or NULL). */");
        emit(e, "static inline int %s_from_string(const char *s, %s *ret) {", d->cname, d->cname);
        indent(e);
        emit(e, "if (!s || !ret)");
        indent(e);
        emit(e, "return -EINVAL;");
        dedent(e);
        for (size_t i = 0; i < decl->n_values; i++) {
                char *n = value_name(e->types, d, &decl->values[i]);
                emit(e, "if (strcmp(s, \"%s\") == 0) {", decl->values[i].name);
                indent(e);
                emit(e, "*ret = %s;", n ? n : "?");
                emit(e, "return 0;");
                dedent(e);
                emit(e, "}");
                free(n);
        }
        emit(e, "return -EINVAL;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_struct_type(printer *e, const tdef *d) {
        types *r = e->types;
        if (d->kind == TDEF_STRUCT) {
                emit_doc(e, d->doc);
                emit(e, "typedef struct %s { /* \"%s\" */", d->cname, d->signature);
                indent(e);
                for (size_t i = 0; i < d->n_fields; i++) {
                        emit_doc(e, d->fields[i].doc);
                        const char *vt = types_vtype(r, d->fields[i].type);
                        emit(e, "%s%s%s;", vt, vt[strlen(vt) - 1] == '*' ? "" : " ", d->field_names[i]);
                }
                dedent(e);
                emit(e, "} %s;", d->cname);
        } else if (d->kind == TDEF_ARRAY) {
                const char *vt = types_vtype(r, d->elem);
                emit(e, "typedef struct %s { /* \"%s\" */", d->cname, d->signature);
                indent(e);
                emit(e, "%s%s*items;", vt, vt[strlen(vt) - 1] == '*' ? "" : " ");
                emit(e, "size_t n;");
                dedent(e);
                emit(e, "} %s;", d->cname);
        } else {
                const char *kt = types_vtype(r, d->key), *vt = types_vtype(r, d->elem);
                emit(e, "typedef struct %sEntry {", d->cname);
                indent(e);
                emit(e, "%s%skey;", kt, kt[strlen(kt) - 1] == '*' ? "" : " ");
                emit(e, "%s%svalue;", vt, vt[strlen(vt) - 1] == '*' ? "" : " ");
                dedent(e);
                emit(e, "} %sEntry;", d->cname);
                emit(e, "typedef struct %s { /* \"%s\": entries in wire order */", d->cname, d->signature);
                indent(e);
                emit(e, "%sEntry *items;", d->cname);
                emit(e, "size_t n;");
                dedent(e);
                emit(e, "} %s;", d->cname);
        }
        emit_blank(e);
}

static void emit_clear_body(printer *e, const tdef *d, bool lent);

static void emit_init_clear(printer *e, const tdef *d) {
        types *r = e->types;
        emit(e, "/* Set every member of v to its empty value (NULL, 0, fd -1): what _clear() may be called on. */");
        emit(e, "static inline void %s_init(%s *v) {", d->cname, d->cname);
        indent(e);
        if (d->kind == TDEF_STRUCT) {
                for (size_t i = 0; i < d->n_fields; i++) {
                        char *val = xasprintf(r, "v->%s", d->field_names[i]);
                        if (val)
                                value_init(e, d->fields[i].type, val);
                        free(val);
                }
                if (d->n_fields == 0)
                        emit(e, "(void) v;");
        } else {
                emit(e, "v->items = NULL;");
                emit(e, "v->n = 0;");
        }
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "/* Free everything v owns (strings, arrays, variants, fds) and leave it as _init() does. */");
        emit(e, "static inline void %s_clear(%s *v) {", d->cname, d->cname);
        indent(e);
        emit_clear_body(e, d, false);
}

/*
 * The body of X_clear() (`lent` false), or of dbidl_lent_clear_X(), which frees what a lent read built and leaves
 * the strings to the message (value_clear_lent()); both end with X_init(v) and close the function.
 */
static void emit_clear_body(printer *e, const tdef *d, bool lent) {
        void (*clear)(printer *, const idl_type *, const char *) = lent ? value_clear_lent : value_clear;
        if (d->kind == TDEF_STRUCT) {
                for (size_t i = 0; i < d->n_fields; i++) {
                        char *val = xasprintf(e->types, "v->%s", d->field_names[i]);
                        if (val)
                                clear(e, d->fields[i].type, val);
                        free(val);
                }
        } else {
                emit(e, "for (size_t i = 0; i < v->n; i++) {");
                indent(e);
                if (d->kind == TDEF_ARRAY)
                        clear(e, d->elem, "v->items[i]");
                else {
                        clear(e, d->key, "v->items[i].key");
                        clear(e, d->elem, "v->items[i].value");
                }
                emit(e, "(void) i;");
                dedent(e);
                emit(e, "}");
                emit(e, "free(v->items);");
        }
        emit(e, "%s_init(v);", d->cname);
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

void types_emit_header(printer *e) {
        types *r = e->types;
        if (r->n == 0)
                return;
        emit(e, "/* ---- types ---- */");
        emit_blank(e);
        for (size_t i = 0; i < r->n; i++) {
                const tdef *d = r->defs[i];
                if (d->imported)
                        continue; /* defined by the imported file's header */
                if (d->kind == TDEF_ENUM || d->kind == TDEF_FLAGS)
                        emit_enum(e, d);
                else {
                        emit_struct_type(e, d);
                        emit_init_clear(e, d);
                        emit_copy(e, d);
                }
        }
        if (r->oom)
                printer_fail(e, -ENOMEM); /* a name built while writing (xasprintf) */
}

/* ---- the header: marshalling helpers and codecs, for the generated .c files ---- */

/* The start of an append helper: its signature (a codec's append) and `v`, the typed value. */
static void emit_append_open(printer *e, const tdef *d) {
        emit(e, "static inline int dbidl_append_%s(sd_bus_message *dbidl_m, const void *dbidl_v) {", d->cname);
        indent(e);
        emit(e, "const %s *v = (const %s *) dbidl_v;", d->cname, d->cname);
}

static void emit_enum_helpers(printer *e, const tdef *d) {
        const idl_typedecl *decl = d->decl;
        const char *B = backing_ctype(decl);
        char c = idl_type_kind_code(decl->backing);
        emit_append_open(e, d);
        emit(e, "%s b = (%s) *v;", B, B);
        emit(e, "return sd_bus_message_append_basic(dbidl_m, '%c', &b);", c);
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit(e, "static inline int dbidl_read_%s(sd_bus_message *dbidl_m, void *dbidl_ret) {", d->cname);
        indent(e);
        emit(e, "%s b;", B);
        emit(e, "int dbidl_r = sd_bus_message_read_basic(dbidl_m, '%c', &b);", c);
        emit(e, "if (dbidl_r < 0)");
        indent(e);
        emit(e, "return dbidl_r;");
        dedent(e);
        if (d->kind == TDEF_ENUM) {
                emit(e, "/* a value outside the declared set is refused: EDOM, InvalidArgs for a service */");
                emit(e, "switch (b) {");
                for (size_t i = 0; i < decl->n_values; i++) {
                        char buf[64];
                        enumerator_value(decl, &decl->values[i], buf, sizeof buf);
                        emit(e, "case %s:", buf);
                }
                indent(e);
                emit(e, "break;");
                dedent(e);
                emit(e, "default:");
                indent(e);
                emit(e, "return -EDOM;");
                dedent(e);
                emit(e, "}");
        } else
                emit(e, "/* flags: unknown bits pass through unchanged */");
        emit(e, "*(%s *) dbidl_ret = (%s) b;", d->cname, d->cname);
        emit(e, "return 0;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

/* The start of a read helper: its signature and a local `v`, initialized so that fail: may clear it. */
static void emit_read_open(printer *e, const tdef *d, bool lent) {
        emit(e, "static inline int dbidl_%sread_%s(sd_bus_message *dbidl_m, void *dbidl_ret) {", lent ? "lent_" : "",
             d->cname);
        indent(e);
        emit(e, "%s v;", d->cname);
        emit(e, "int dbidl_r;");
        emit_blank(e);
        emit(e, "%s_init(&v);", d->cname);
}

/* Enter the container `type` holding `len` bytes of `contents`; a message without it is -ENXIO. */
static void emit_read_enter(printer *e, char type, const char *contents, int len) {
        emit(e, "dbidl_r = sd_bus_message_enter_container(dbidl_m, '%c', \"%.*s\");", type, len, contents);
        emit(e, "if (dbidl_r == 0)");
        indent(e);
        emit(e, "dbidl_r = -ENXIO;");
        dedent(e);
        emit_fail(e, "return dbidl_r;");
}

/* The end of a read helper: leave the container, hand `v` over, or clear it on the way out. */
static void emit_read_close(printer *e, const tdef *d, bool lent) {
        emit(e, "dbidl_r = sd_bus_message_exit_container(dbidl_m);");
        emit_fail(e, "goto fail;");
        emit(e, "*(%s *) dbidl_ret = v;", d->cname);
        emit(e, "return 0;");
        dedent(e);
        emit(e, "fail:");
        indent(e);
        if (lent)
                emit(e, "dbidl_lent_clear_%s(&v);", d->cname);
        else
                emit(e, "%s_clear(&v);", d->cname);
        emit(e, "return dbidl_r;");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
}

static void emit_struct_read(printer *e, const tdef *d, bool lent);

static void emit_struct_helpers(printer *e, const tdef *d) {
        types *r = e->types;
        /* the contents signature: the struct's signature without its parentheses */
        const char *sig = d->signature ? d->signature : "()";
        int inner = (int) strlen(sig) - 2;
        emit_append_open(e, d);
        emit(e, "int dbidl_r = sd_bus_message_open_container(dbidl_m, 'r', \"%.*s\");", inner, sig + 1);
        emit_fail(e, "return dbidl_r;");
        for (size_t i = 0; i < d->n_fields; i++) {
                char *val = xasprintf(r, "v->%s", d->field_names[i]);
                if (val)
                        value_append(e, d->fields[i].type, "dbidl_m", val, "return dbidl_r;");
                free(val);
        }
        emit(e, "return sd_bus_message_close_container(dbidl_m);");
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit_struct_read(e, d, false);
}

/* Read the fields of struct `d` into `v`.<field> (the struct entered, every failure "goto fail;"). */
static void emit_fields_read(printer *e, const tdef *d, const char *v, bool lent) {
        for (size_t i = 0; i < d->n_fields; i++) {
                char *val = xasprintf(e->types, "%s.%s", v, d->field_names[i]);
                if (val)
                        value_read(e, d->fields[i].type, "dbidl_m", val, "goto fail;", lent);
                free(val);
        }
}

static void emit_struct_read(printer *e, const tdef *d, bool lent) {
        const char *sig = d->signature ? d->signature : "()";
        int inner = (int) strlen(sig) - 2;
        emit_read_open(e, d, lent);
        emit_read_enter(e, 'r', sig + 1, inner);
        emit_fields_read(e, d, "v", lent);
        emit_read_close(e, d, lent);
}

static void emit_collection_read(printer *e, const tdef *d, bool lent);

static void emit_collection_helpers(printer *e, const tdef *d) {
        bool dict = d->kind == TDEF_DICT;
        const char *sig = d->signature; /* "a…" */
        const char *contents = sig + 1;
        int entry_len = (int) strlen(contents) - 2; /* "{KV}" → "KV" */

        emit_append_open(e, d);
        if (!dict && is_scalar(d->elem)) {
                emit(e, "/* one call for the whole array of fixed-size values */");
                emit(e, "return sd_bus_message_append_array(dbidl_m, '%c', v->items, v->n * sizeof(*v->items));",
                     idl_type_kind_code(d->elem->kind));
        } else {
                emit(e, "int dbidl_r = sd_bus_message_open_container(dbidl_m, 'a', \"%s\");", contents);
                emit_fail(e, "return dbidl_r;");
                emit(e, "for (size_t i = 0; i < v->n; i++) {");
                indent(e);
                if (dict) {
                        emit(e, "dbidl_r = sd_bus_message_open_container(dbidl_m, 'e', \"%.*s\");", entry_len,
                             contents + 1);
                        emit_fail(e, "return dbidl_r;");
                        value_append(e, d->key, "dbidl_m", "v->items[i].key", "return dbidl_r;");
                        value_append(e, d->elem, "dbidl_m", "v->items[i].value", "return dbidl_r;");
                        emit(e, "dbidl_r = sd_bus_message_close_container(dbidl_m);");
                        emit_fail(e, "return dbidl_r;");
                } else
                        value_append(e, d->elem, "dbidl_m", "v->items[i]", "return dbidl_r;");
                dedent(e);
                emit(e, "}");
                emit(e, "return sd_bus_message_close_container(dbidl_m);");
        }
        dedent(e);
        emit(e, "}");
        emit_blank(e);
        emit_collection_read(e, d, false);
}

static void emit_collection_read(printer *e, const tdef *d, bool lent) {
        bool dict = d->kind == TDEF_DICT;
        const char *contents = d->signature + 1;
        int entry_len = (int) strlen(contents) - 2; /* "{KV}" → "KV", "(…)" → "…" */

        emit_read_open(e, d, lent);
        if (!dict && is_scalar(d->elem)) {
                emit(e, "void *dbidl_items = NULL;");
                emit(e, "dbidl_r = dbidl_message_read_array_dup(dbidl_m, '%c', sizeof(*v.items), &dbidl_items, &v.n);",
                     idl_type_kind_code(d->elem->kind));
                emit_fail(e, "return dbidl_r;");
                emit(e, "v.items = DBIDL_CAST(v.items, dbidl_items);");
                emit(e, "*(%s *) dbidl_ret = v;", d->cname);
                emit(e, "return 0;");
                dedent(e);
                emit(e, "}");
                emit_blank(e);
                return;
        }
        /* A struct or dict entry element is a container of its own, and entering it is the end test: past the
         * array's last element sd_bus_message_enter_container() enters nothing and returns 0.  Its fields are read
         * here rather than by its read helper, which takes a missing struct for an error (-ENXIO).  Any other
         * element needs sd_bus_message_at_end() before it. */
        const tdef *st = dict ? NULL : types_lookup(e->types, d->elem); /* the element's struct, if it is one */
        if (st && st->kind != TDEF_STRUCT)
                st = NULL;
        emit(e, "size_t dbidl_allocated = 0;");
        emit_read_enter(e, 'a', contents, (int) strlen(contents));
        emit(e, "for (;;) {");
        indent(e);
        if (dict)
                emit(e, "dbidl_r = sd_bus_message_enter_container(dbidl_m, 'e', \"%.*s\");", entry_len, contents + 1);
        else if (st)
                emit(e, "dbidl_r = sd_bus_message_enter_container(dbidl_m, 'r', \"%.*s\");", entry_len, contents + 1);
        else
                emit(e, "dbidl_r = sd_bus_message_at_end(dbidl_m, false);");
        emit_fail(e, "goto fail;");
        emit(e, "if (dbidl_r %s 0)", dict || st ? "==" : ">");
        indent(e);
        emit(e, "break;");
        dedent(e);
        emit(e, "if (v.n == dbidl_allocated) {");
        indent(e);
        emit(e, "size_t dbidl_na = dbidl_allocated ? 2 * dbidl_allocated : 8;");
        emit(e, "void *dbidl_p = realloc(v.items, dbidl_na * sizeof(*v.items));");
        emit(e, "if (!dbidl_p) {");
        indent(e);
        emit(e, "dbidl_r = -ENOMEM;");
        emit(e, "goto fail;");
        dedent(e);
        emit(e, "}");
        emit(e, "v.items = DBIDL_CAST(v.items, dbidl_p);");
        emit(e, "dbidl_allocated = dbidl_na;");
        dedent(e);
        emit(e, "}");
        emit(e, "/* counted before it is read, so that fail: frees a half-read item */");
        if (dict) {
                value_init(e, d->key, "v.items[v.n].key");
                value_init(e, d->elem, "v.items[v.n].value");
                emit(e, "v.n++;");
                value_read(e, d->key, "dbidl_m", "v.items[v.n - 1].key", "goto fail;", lent);
                value_read(e, d->elem, "dbidl_m", "v.items[v.n - 1].value", "goto fail;", lent);
        } else {
                value_init(e, d->elem, "v.items[v.n]");
                emit(e, "v.n++;");
                if (!st)
                        value_read(e, d->elem, "dbidl_m", "v.items[v.n - 1]", "goto fail;", lent);
                else
                        emit_fields_read(e, st, "v.items[v.n - 1]", lent);
        }
        if (dict || st) {
                emit(e, "dbidl_r = sd_bus_message_exit_container(dbidl_m);");
                emit_fail(e, "goto fail;");
        }
        dedent(e);
        emit(e, "}");
        emit(e, "if (!v.items) {");
        indent(e);
        emit(e, "/* empty: items is still an array (one zeroed item's worth), never NULL */");
        emit(e, "v.items = DBIDL_CAST(v.items, calloc(1, sizeof(*v.items)));");
        emit(e, "if (!v.items) {");
        indent(e);
        emit(e, "dbidl_r = -ENOMEM;");
        emit(e, "goto fail;");
        dedent(e);
        emit(e, "}");
        dedent(e);
        emit(e, "}");
        emit_read_close(e, d, lent);
}

/* A type's lent form (above, value_read()): the clear of what its lent read built, then that read. */
static void emit_lent_helpers(printer *e, const tdef *d) {
        emit(e, "/* What dbidl_lent_read_%s() built (its strings are the message's), freed; v left as _init() does. */",
             d->cname);
        emit(e, "static inline void dbidl_lent_clear_%s(void *dbidl_v) {", d->cname);
        indent(e);
        emit(e, "%s *v = (%s *) dbidl_v;", d->cname, d->cname);
        emit_clear_body(e, d, true);
        if (d->kind == TDEF_STRUCT)
                emit_struct_read(e, d, true);
        else
                emit_collection_read(e, d, true);
}

/* The codec of a generated type (dbidl/generated.h), with the init and clear a struct's codec needs. */
static void emit_codec(printer *e, const tdef *d) {
        bool is_enum = d->kind == TDEF_ENUM || d->kind == TDEF_FLAGS;
        bool lent = !is_enum && has_lent(e->types, d);
        if (!is_enum) {
                emit(e, "static inline void dbidl_init_%s(void *v) { %s_init((%s *) v); }", d->cname, d->cname, d->cname);
                emit(e, "static inline void dbidl_clear_%s(void *v) { %s_clear((%s *) v); }", d->cname, d->cname,
                     d->cname);
        }
        emit(e, "static const dbidl_codec dbidl_codec_%s = {", d->cname);
        indent(e);
        if (is_enum)
                emit(e, "\"%s\", DBIDL_KIND_ENUM, 0, sizeof(%s), dbidl_read_%s, dbidl_append_%s, NULL, NULL,",
                     d->signature, d->cname, d->cname, d->cname);
        else
                emit(e, "\"%s\", DBIDL_KIND_STRUCT, 0, sizeof(%s), dbidl_read_%s, dbidl_append_%s, dbidl_init_%s,",
                     d->signature, d->cname, d->cname, d->cname, d->cname);
        if (!is_enum)
                emit(e, "dbidl_clear_%s,", d->cname);
        if (lent)
                emit(e, "dbidl_lent_read_%s, dbidl_lent_clear_%s,", d->cname, d->cname);
        else
                emit(e, "NULL, NULL,");
        dedent(e);
        emit(e, "};");
        emit_blank(e);
}

void types_emit_helpers(printer *e) {
        types *r = e->types;
        bool any = false;
        for (size_t i = 0; i < r->n; i++) {
                const tdef *d = r->defs[i];
                if (d->imported)
                        continue; /* the imported file's header has its helpers */
                if (!any)
                        emit(e, "/* ---- for the generated .c files: marshalling of the types above, and their codecs ---- */");
                if (!any)
                        emit_blank(e);
                any = true;
                if (d->kind == TDEF_ENUM || d->kind == TDEF_FLAGS)
                        emit_enum_helpers(e, d);
                else if (d->kind == TDEF_STRUCT)
                        emit_struct_helpers(e, d);
                else
                        emit_collection_helpers(e, d);
                if (d->kind != TDEF_ENUM && d->kind != TDEF_FLAGS && has_lent(r, d))
                        emit_lent_helpers(e, d);
                emit_codec(e, d);
        }
        if (r->oom)
                printer_fail(e, -ENOMEM); /* a name built while writing (xasprintf) */
}

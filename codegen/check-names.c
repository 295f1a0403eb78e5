/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/check-names.c — codegen_check_names(): every C name the C back ends will write, from the naming module and
 * the types registry, checked for collisions before anything is written */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/naming.h"
#include "codegen/types.h"
#include "idl/idl.h"
#include "idl/lexer.h"

typedef struct owner {
        const char *what;       /* "method" … */
        const char *name;
        idl_loc loc;
        bool interface;
        size_t iface;           /* index of its interface + 1; 0 for file-level types */
        size_t rank;            /* position in source order */
        char *owned_name;       /* `name` when it was made for the message */
} owner;

typedef struct entry {
        char *name;
        size_t owner;
        size_t scope;           /* 0: the file's global names; i + 1: the handler fields of interface i */
        size_t seq;
} entry;

typedef struct names {
        owner *owners;
        size_t n_owners, cap_owners;
        entry *entries;
        size_t n_entries, cap_entries;
        bool oom;
} names;

static void *grow(void *p, size_t *cap, size_t n, size_t size, bool *oom) {
        if (n < *cap)
                return p;
        size_t c = *cap ? *cap * 2 : 64;
        void *q = reallocarray(p, c, size);
        if (!q) {
                *oom = true;
                return NULL;
        }
        *cap = c;
        return q;
}

static size_t add_owner(names *c, const char *what, const char *name, idl_loc loc, bool interface, size_t iface) {
        owner *o = grow(c->owners, &c->cap_owners, c->n_owners, sizeof(owner), &c->oom);
        if (!o)
                return SIZE_MAX;
        c->owners = o;
        c->owners[c->n_owners] = (owner) { .what = what, .name = name, .loc = loc, .interface = interface, .iface = iface };
        return c->n_owners++;
}

/* Take `name` (malloc'd, may be NULL on ENOMEM) as one of `o`'s names. */
static void add_name(names *c, size_t o, size_t scope, char *name) {
        entry *e = name && o != SIZE_MAX ? grow(c->entries, &c->cap_entries, c->n_entries, sizeof(entry), &c->oom) : NULL;
        if (!e) {
                if (!name)
                        c->oom = true;
                free(name);
                return;
        }
        c->entries = e;
        c->entries[c->n_entries] = (entry) { .name = name, .owner = o, .scope = scope, .seq = c->n_entries };
        c->n_entries++;
}

static void add_role(names *c, size_t o, size_t iface, c_role r, const char *P, const char *m) {
        add_name(c, o, c_role_is_field(r) ? iface : 0, c_name_new(r, P, m));
}

static void add_fmt(names *c, size_t o, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_fmt(names *c, size_t o, const char *fmt, ...) {
        va_list ap;
        char *s;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        add_name(c, o, 0, s);
}

static void collect_interface(names *c, const idl_interface *it, size_t i) {
        const char *P = it->c_prefix;
        size_t h = i + 1, o = add_owner(c, "interface", it->c.name, it->c.loc, true, h);

        for (c_role r = CN_INTERFACE_CONST; r <= CN_EXPORT; r++)
                add_role(c, o, h, r, P, NULL);
        for (size_t j = 0; j < it->n_errors; j++) {
                const idl_error *e = &it->errors[j];
                o = add_owner(c, "error", e->c.name, e->c.loc, false, h);
                for (c_role r = CN_ERROR_CONST; r <= CN_FAIL; r++)
                        add_role(c, o, h, r, P, e->c.c_name);
        }
        for (size_t j = 0; j < it->n_methods; j++) {
                const idl_method *m = &it->methods[j];
                o = add_owner(c, "method", m->c.name, m->c.loc, false, h);
                add_role(c, o, h, CN_CALL, P, m->c.c_name);
                add_role(c, o, h, CN_ASYNC, P, m->c.c_name);
                add_role(c, o, h, CN_REPLY_FN, P, m->c.c_name);
                add_role(c, o, h, CN_HANDLE_FIELD, P, m->c.c_name);
                if (!m->noreply) {
                        if (m->n_out > 0)
                                add_role(c, o, h, CN_BORROW, P, m->c.c_name);
                        add_role(c, o, h, CN_RETURN, P, m->c.c_name);
                        add_role(c, o, h, CN_REPLY, P, m->c.c_name);
                }
        }
        for (size_t j = 0; j < it->n_signals; j++) {
                const idl_signal *s = &it->signals[j];
                o = add_owner(c, "signal", s->c.name, s->c.loc, false, h);
                add_role(c, o, h, CN_EMIT, P, s->c.c_name);
                add_role(c, o, h, CN_CONNECT, P, s->c.c_name);
                add_role(c, o, h, CN_SIGNAL_FN, P, s->c.c_name);
        }
        for (size_t j = 0; j < it->n_properties; j++) {
                const idl_property *q = &it->properties[j];
                bool readable = q->access != IDL_ACCESS_WRITEONLY, writable = q->access != IDL_ACCESS_READONLY;
                bool emits = q->emits == IDL_EMITS_CHANGE || q->emits == IDL_EMITS_INVALIDATES;
                o = add_owner(c, "property", q->c.name, q->c.loc, false, h);
                add_role(c, o, h, CN_GET, P, q->c.c_name);
                if (writable)
                        add_role(c, o, h, CN_SET, P, q->c.c_name);
                if (readable) {
                        add_role(c, o, h, CN_CACHED, P, q->c.c_name);
                        if (emits) {
                                add_role(c, o, h, CN_WATCH, P, q->c.c_name);
                                add_role(c, o, h, CN_CHANGED_FN, P, q->c.c_name);
                        }
                }
                /* a client-only property has no server side: no notify function, no handler fields */
                if (!q->client_only) {
                        if (emits)
                                add_role(c, o, h, CN_NOTIFY, P, q->c.c_name);
                        /* @stored: the skeleton keeps a readable property's value, set with P_store_m */
                        if (readable && it->stored)
                                add_role(c, o, h, CN_STORE, P, q->c.c_name);
                        else if (readable)
                                add_role(c, o, h, CN_GET_FIELD, P, q->c.c_name);
                        if (writable)
                                add_role(c, o, h, CN_SET_FIELD, P, q->c.c_name);
                }
        }
}

/* Who a generated type belongs to: its declaration, or the place of the type that needs it. */
static size_t type_owner(names *c, const tdef *d) {
        if (d->decl)
                return add_owner(c, idl_typedecl_keyword(d->decl->kind), d->decl->c.name, d->decl->c.loc, false,
                                 d->decl->scope ? 1 : 0);
        char *spelling = d->type ? codegen_type_spelling(d->type) : NULL;
        size_t o = add_owner(c, "type", spelling ? spelling : d->signature, d->loc, false, 0);
        if (o != SIZE_MAX)
                c->owners[o].owned_name = spelling;
        else
                free(spelling);
        return o;
}

static void collect_types(names *c, types *ty) {
        for (size_t i = 0; i < types_count(ty); i++) {
                const tdef *d = types_at(ty, i);
                size_t o = type_owner(c, d);
                add_fmt(c, o, "%s", d->cname);
                if (d->kind == TDEF_DICT)
                        add_fmt(c, o, "%sEntry", d->cname);
                if (d->kind == TDEF_ENUM || d->kind == TDEF_FLAGS) {
                        /* each constant its own owner: Red and RED are both RED */
                        for (size_t k = 0; k < d->decl->n_values; k++) {
                                const idl_enumerator *v = &d->decl->values[k];
                                size_t ov = add_owner(c, "enumerator", v->name, v->loc, false, d->decl->scope ? 1 : 0);
                                char *V = c_upper(v->name);
                                if (V)
                                        add_fmt(c, ov, "%s_%s", d->const_prefix, V);
                                else
                                        c->oom = true;
                                free(V);
                        }
                }
                if (d->kind == TDEF_ENUM) {
                        add_fmt(c, o, "%s_is_valid", d->cname);
                        add_fmt(c, o, "%s_to_string", d->cname);
                        add_fmt(c, o, "%s_from_string", d->cname);
                } else if (d->kind != TDEF_FLAGS) {
                        add_fmt(c, o, "%s_init", d->cname);
                        add_fmt(c, o, "%s_clear", d->cname);
                        add_fmt(c, o, "%s_copy", d->cname);
                }
        }
}

static int cmp_owner_loc(const void *a, const void *b, void *userdata) {
        const owner *owners = userdata;
        const owner *x = &owners[*(const size_t *) a], *y = &owners[*(const size_t *) b];

        if (x->loc.line != y->loc.line)
                return x->loc.line < y->loc.line ? -1 : 1;
        if (x->loc.col != y->loc.col)
                return x->loc.col < y->loc.col ? -1 : 1;
        return *(const size_t *) a < *(const size_t *) b ? -1 : *(const size_t *) a > *(const size_t *) b;
}

static int cmp_entry(const void *a, const void *b, void *userdata) {
        const owner *owners = userdata;
        const entry *x = a, *y = b;
        size_t rx = owners[x->owner].rank, ry = owners[y->owner].rank;
        int c;

        if (x->scope != y->scope)
                return x->scope < y->scope ? -1 : 1;
        c = strcmp(x->name, y->name);
        if (c != 0)
                return c;
        if (rx != ry)
                return rx < ry ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

typedef struct collision {
        const entry *later, *first;
} collision;

static int cmp_collision(const void *a, const void *b, void *userdata) {
        const owner *owners = userdata;
        const collision *x = a, *y = b;
        size_t lx = owners[x->later->owner].rank, ly = owners[y->later->owner].rank;
        size_t fx = owners[x->first->owner].rank, fy = owners[y->first->owner].rank;

        if (lx != ly)
                return lx < ly ? -1 : 1;
        if (fx != fy)
                return fx < fy ? -1 : 1;
        if (x->later->scope != y->later->scope)
                return x->later->scope < y->later->scope ? -1 : 1;
        return x->later->seq < y->later->seq ? -1 : x->later->seq > y->later->seq;
}

static bool reserved_c_name(const char *n) {
        return n[0] == '_' || strstr(n, "__");
}

static void suggest_rename(idl_diag_sink *sink, const owner *o, const owner *other) {
        bool pair = other != NULL;
        if (!o->loc.file)
                return;
        if (strcmp(o->what, "enumerator") == 0) {
                /* an enumerator has no C name of its own: its enum's prefix and its name in capitals */
                if (other && strcmp(other->what, "enumerator") == 0)
                        idl_diag(sink, IDL_SEVERITY_NOTE, o->loc, "rename one of them");
                else
                        idl_diag(sink, IDL_SEVERITY_NOTE, o->loc,
                                 "rename %s, or give the enum another C name with @c_name(\"…\")",
                                 pair ? "one of them" : "it");
                return;
        }
        idl_diag(sink, IDL_SEVERITY_NOTE, o->loc, "use %s(\"…\") to give %s another C %s",
                 o->interface ? "@c_prefix" : "@c_name", pair ? "one of them" : "it", o->interface ? "prefix" : "name");
}

/* The owner a collision is reported at: the later one that has a place in the source. */
static int report(idl_diag_sink *sink, const names *c) {
        if (c->n_entries == 0)
                return 0;       /* no interface, no type: nothing to sort (qsort_r must not see NULL) */

        size_t *order = malloc((c->n_owners + 1) * sizeof(size_t));
        collision *coll = malloc((c->n_entries + 1) * sizeof(collision));
        bool *reported = calloc(c->n_owners + 1, sizeof(bool));
        bool *reported_iface = calloc(c->n_owners + 1, sizeof(bool));  /* by owner.iface */
        size_t n_coll = 0;
        int errors = 0;
        const entry *last_later = NULL, *last_first = NULL;

        if (!order || !coll || !reported || !reported_iface) {
                errors = -ENOMEM;
                goto finish;
        }
        /* reserved identifiers, in declaration order; an interface's prefix once, not again for each member */
        for (size_t i = 0; i < c->n_entries; i++) {
                const entry *e = &c->entries[i];
                const owner *o = &c->owners[e->owner];
                if (reported[e->owner] || !reserved_c_name(e->name) || (!o->interface && o->iface > 0 &&
                                                                         reported_iface[o->iface]))
                        continue;
                if (o->interface)
                        reported_iface[o->iface] = true;
                idl_diag(sink, IDL_SEVERITY_ERROR, o->loc, "C name '%s' of %s '%s' is reserved (it starts with '_' or contains '__')",
                         e->name, o->what, o->name);
                suggest_rename(sink, o, NULL);
                reported[e->owner] = true;
                errors++;
        }

        for (size_t i = 0; i < c->n_owners; i++)
                order[i] = i;
        qsort_r(order, c->n_owners, sizeof(size_t), cmp_owner_loc, c->owners);
        for (size_t i = 0; i < c->n_owners; i++)
                c->owners[order[i]].rank = i;
        qsort_r(c->entries, c->n_entries, sizeof(entry), cmp_entry, c->owners);
        for (size_t i = 0, first = 0; i < c->n_entries; i++) {
                if (c->entries[i].scope != c->entries[first].scope ||
                    strcmp(c->entries[i].name, c->entries[first].name) != 0)
                        first = i;
                else if (c->entries[i].owner != c->entries[first].owner)
                        coll[n_coll++] = (collision) { &c->entries[i], &c->entries[first] };
        }
        qsort_r(coll, n_coll, sizeof(collision), cmp_collision, c->owners);
        for (size_t i = 0; i < n_coll; i++) {
                const entry *l = coll[i].later, *f = coll[i].first;
                const owner *lo = &c->owners[l->owner], *fo = &c->owners[f->owner];

                if (last_later && last_later->owner == l->owner && last_first->owner == f->owner)
                        continue;
                /* a derived type has no name of its own in the source: report at the declaration */
                if (!lo->loc.file && fo->loc.file) {
                        const owner *t = lo;
                        lo = fo;
                        fo = t;
                }
                last_later = l;
                last_first = f;
                idl_diag(sink, IDL_SEVERITY_ERROR, lo->loc, "%s '%s' of %s '%s' collides with %s '%s'",
                         l->scope == 0 ? "C name" : "handler field", l->name, lo->what, lo->name, fo->what, fo->name);
                if (fo->loc.file)
                        idl_diag(sink, IDL_SEVERITY_NOTE, fo->loc, "'%s' is declared here", fo->name);
                if (lo->interface && fo->interface)
                        suggest_rename(sink, lo, fo);
                else
                        suggest_rename(sink, lo->interface ? fo : lo, lo->interface ? lo : fo);
                errors++;
        }
finish:
        free(order);
        free(coll);
        free(reported);
        free(reported_iface);
        return errors;
}

int codegen_check_names(const idl_file *f, const char *stem, idl_diag_sink *sink) {
        names c = { 0 };
        int r;

        for (size_t i = 0; i < f->n_interfaces; i++)
                collect_interface(&c, &f->interfaces[i], i);
        types *ty = NULL;
        r = types_new(f, stem, &ty);
        if (r >= 0)
                collect_types(&c, ty);
        if (r >= 0 && c.oom)
                r = -ENOMEM;
        if (r >= 0)
                r = report(sink, &c);
        types_free(ty);
        for (size_t i = 0; i < c.n_entries; i++)
                free(c.entries[i].name);
        free(c.entries);
        for (size_t i = 0; i < c.n_owners; i++)
                free(c.owners[i].owned_name);
        free(c.owners);
        return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/compat.c — dbidlc --check-compat: every change from an old .idl to a new one that breaks clients or C code */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "codegen/ctype.h"
#include "codegen/types.h"
#include "idl/lexer.h"

/*
 * What counts (docs/outputs.md, "--check-compat"): the D-Bus contract — names on
 * the wire, signatures, property access and change notification, @noreply —
 * and the generated C API — C names (@c_prefix, @c_name), the C types of
 * arguments, struct member names, enum constants and their values.
 *
 * Breaking changes are errors at the place in the new file (for something
 * removed: at the enclosing declaration in the new file, or the new file
 * itself) with a note at the place in the old file.  Renamed arguments are a
 * warning: neither D-Bus messages nor C callers see argument names, only
 * introspection data and documentation do; so is a property's access widened
 * to readwrite (clients keep working; the service must answer one more call).
 * Additions are silent.
 *
 * Members are matched by their name on the wire (@dbus_name or the name),
 * types by name within their scope, so a renamed member is reported as
 * removed, with a note at the added member it plausibly became (pair_renames()).
 */

typedef struct compat {
        idl_diag_sink *sink;
        const idl_file *old, *new;
        int breaking;
        bool oom;               /* an allocation failed: some comparison was skipped */
} compat;

static void breaking(compat *c, idl_loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void breaking(compat *c, idl_loc at, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        idl_diagv(c->sink, IDL_SEVERITY_ERROR, at, fmt, ap);
        va_end(ap);
        c->breaking++;
}

static void warning(compat *c, idl_loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warning(compat *c, idl_loc at, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        idl_diagv(c->sink, IDL_SEVERITY_WARNING, at, fmt, ap);
        va_end(ap);
}

#define note(c, at, ...) idl_note_at((c)->sink, (at), __VA_ARGS__)

/* The new file itself, for what has no place in it any more. */
static idl_loc file_loc(const idl_file *f) {
        return (idl_loc) { .file = f->path };
}

static const idl_annotation *annotation(const idl_common *c, const char *name) {
        for (size_t i = 0; i < c->n_annotations; i++)
                if (strcmp(c->annotations[i].name, name) == 0)
                        return &c->annotations[i];
        return NULL;
}

static bool streq(const char *a, const char *b) {
        return strcmp(a ? a : "", b ? b : "") == 0;
}

/* ---- renames ---- */

#define NO_PAIR SIZE_MAX

/*
 * Which removal is which addition renamed.  score[r * na + a] is negative
 * when addition a cannot be removal r renamed (another signature, another
 * value), else the evidence for it beyond that (0: none).  A pair counts when
 * its score is higher than every other score of its removal and every other
 * score of its addition: a lone candidate on both sides needs no more
 * evidence, two equally likely ones get no note, and no addition is ever the
 * rename of two removals.  Sets pair[r] to the addition, or NO_PAIR.
 */
static void pair_renames(const long *score, size_t nr, size_t na, size_t *pair) {
        for (size_t r = 0; r < nr; r++) {
                pair[r] = NO_PAIR;
                for (size_t a = 0; a < na && pair[r] == NO_PAIR; a++) {
                        long s = score[r * na + a];
                        bool best = s >= 0;
                        for (size_t k = 0; best && k < na; k++)
                                best = k == a || score[r * na + k] < s;
                        for (size_t k = 0; best && k < nr; k++)
                                best = k == r || score[k * na + a] < s;
                        if (best)
                                pair[r] = a;
                }
        }
}

/* Evidence from two names: 0 when they are far apart, else 67 to 100, the closer the more (a third edited at most). */
static long name_similarity(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b), l = la > lb ? la : lb, d = idl_edit_distance(a, b);
        if (l == 0 || d == SIZE_MAX || d * 3 > l)
                return 0;
        return (long) (100 - 100 * d / l);
}

/* The generated C type name of a declaration of file `f` ("calc_Point", types.h), malloc'd. */
static char *typedecl_c_name(const idl_file *f, const idl_typedecl *d) {
        char *prefix = c_file_prefix(f->path), *s = prefix ? typedecl_cname(d, prefix) : NULL;
        free(prefix);
        return s;
}

/* ---- types ---- */

static const char *article(const char *word) {
        return strchr("aeiou", word[0]) ? "an" : "a";
}

static const char *kind_phrase(idl_typedecl_kind k) {
        switch (k) {
        case IDL_DECL_STRUCT:
                return "a struct";
        case IDL_DECL_ENUM:
                return "an enum";
        default:
                return "a flags type";
        }
}

static const idl_typedecl *find_type(idl_typedecl *const *ts, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(ts[i]->c.name, name) == 0)
                        return ts[i];
        return NULL;
}

/*
 * Two types with the same signature may still differ for C code: an enum
 * where there was a uint32, one struct for another.  Compare the spellings
 * (a struct or enum is its name; the same name in the same scope is the same
 * declaration, compared on its own).
 */
/* Whether spellings `a` and `b` differ only in the words `blob` and `fd` (keywords: no type declaration has those names). */
static bool same_but_blob(const char *a, const char *b) {
        for (;;) {
                bool wa = (a[0] == 'f' && a[1] == 'd' && !isalnum((unsigned char) a[2]) && a[2] != '_') ||
                          (strncmp(a, "blob", 4) == 0 && !isalnum((unsigned char) a[4]) && a[4] != '_');
                bool wb = (b[0] == 'f' && b[1] == 'd' && !isalnum((unsigned char) b[2]) && b[2] != '_') ||
                          (strncmp(b, "blob", 4) == 0 && !isalnum((unsigned char) b[4]) && b[4] != '_');
                if (wa && wb) {
                        a += *a == 'f' ? 2 : 4;
                        b += *b == 'f' ? 2 : 4;
                        continue;
                }
                if (*a != *b)
                        return false;
                if (!*a)
                        return true;
                /* skip a whole identifier, so that "fd" inside "MyfdType" is not a word */
                if (isalnum((unsigned char) *a) || *a == '_') {
                        while ((isalnum((unsigned char) *a) || *a == '_') && *a == *b)
                                a++, b++;
                        if (isalnum((unsigned char) *a) || *a == '_' || isalnum((unsigned char) *b) || *b == '_')
                                return false;   /* two different identifiers */
                        continue;
                }
                a++, b++;
        }
}

static void compare_type_spelling(compat *c, const idl_type *o, const idl_type *n, idl_loc nloc, idl_loc oloc,
                                  const char *what) {
        char *os = codegen_type_spelling(o), *ns = codegen_type_spelling(n);
        if (!os || !ns)
                c->oom = true;
        else if (strcmp(os, ns) != 0 && same_but_blob(os, ns)) {
                /* the same 'h' on the wire: compatible, but a blob receiver refuses fds that are no sealed memfd */
                warning(c, nloc, "%s: type changed from '%s' to '%s': the same D-Bus signature '%s' (a blob is an fd "
                        "on the wire), but a blob's receiver refuses any fd that is not a sealed memfd, and the "
                        "generated C type changes", what, os, ns, n->signature);
                note(c, oloc, "was '%s' here", os);
        } else if (strcmp(os, ns) != 0) {
                breaking(c, nloc, "%s: type changed from '%s' to '%s' (the D-Bus signature '%s' is the same, "
                         "the generated C type is not)", what, os, ns, n->signature);
                note(c, oloc, "was '%s' here", os);
        }
        free(os);
        free(ns);
}

static void enum_value(char *buf, size_t n, const idl_enumerator *v) {
        snprintf(buf, n, "%s%" PRIu64, v->negative && v->magnitude ? "-" : "", v->magnitude);
}

static const idl_enumerator *find_value(const idl_typedecl *d, const char *name) {
        for (size_t k = 0; k < d->n_values; k++)
                if (strcmp(d->values[k].name, name) == 0)
                        return &d->values[k];
        return NULL;
}

/*
 * For each value of `o` gone from `n`, the value of `n` it was renamed to:
 * a new name with the same number (values are unique, so there is one at
 * most).  NO_PAIR where there is none; NULL when out of memory.
 */
static size_t *renamed_values(compat *c, const idl_typedecl *o, const idl_typedecl *n) {
        size_t *pair = calloc(o->n_values + 1, sizeof *pair);
        long *score = calloc(o->n_values * n->n_values + 1, sizeof *score);
        if (!pair || !score) {
                c->oom = true;
                free(pair);
                free(score);
                return NULL;
        }
        for (size_t r = 0; r < o->n_values; r++)
                for (size_t a = 0; a < n->n_values; a++) {
                        char ob[32], nb[32];
                        enum_value(ob, sizeof ob, &o->values[r]);
                        enum_value(nb, sizeof nb, &n->values[a]);
                        bool candidate = !find_value(n, o->values[r].name) && !find_value(o, n->values[a].name) &&
                                         strcmp(ob, nb) == 0;
                        score[r * n->n_values + a] = candidate ? 0 : -1;
                }
        pair_renames(score, o->n_values, n->n_values, pair);
        free(score);
        return pair;
}

/* The note at a value that is a removed one renamed: the wire keeps the number, C code loses the constant. */
static void value_rename_note(compat *c, const idl_typedecl *o, const idl_enumerator *ov, const idl_enumerator *nv) {
        char *prefix = c_file_prefix(c->old->path), *T = prefix ? typedecl_const_prefix(o, prefix) : NULL;
        char *V = c_upper(ov->name);
        if (!T || !V)
                c->oom = true;
        else
                note(c, nv->loc, "renamed to '%s' with the same value: the wire is unchanged, C code using %s_%s "
                     "breaks", nv->name, T, V);
        free(prefix);
        free(T);
        free(V);
}

static void compare_typedecl(compat *c, const idl_typedecl *o, const idl_typedecl *n, const char *scope) {
        char what[512];
        snprintf(what, sizeof what, "%s '%s'%s%s", idl_typedecl_keyword(o->kind), o->c.name, scope ? " of " : "",
                 scope ? scope : "");

        if (o->kind != n->kind) {
                breaking(c, n->c.loc, "%s: now %s", what, kind_phrase(n->kind));
                note(c, o->c.loc, "was %s here", kind_phrase(o->kind));
                return;
        }
        if (!streq(o->c.c_name, n->c.c_name)) {
                breaking(c, n->c.loc, "%s: C name changed from '%s' to '%s'", what, o->c.c_name, n->c.c_name);
                note(c, o->c.loc, "previously declared here");
        }
        if (o->kind == IDL_DECL_STRUCT) {
                if (!streq(o->signature, n->signature)) {
                        breaking(c, n->c.loc, "%s: signature changed from '%s' to '%s'", what, o->signature,
                                 n->signature);
                        note(c, o->c.loc, "was '%s' here", o->signature);
                        return;
                }
                for (size_t i = 0; i < o->n_fields && i < n->n_fields; i++) {
                        const idl_field *of = &o->fields[i], *nf = &n->fields[i];
                        char fwhat[600];
                        snprintf(fwhat, sizeof fwhat, "field '%s' of %s", nf->name, what);
                        if (!streq(of->name, nf->name)) {
                                breaking(c, nf->loc, "%s: field %zu renamed from '%s' to '%s' (a C struct member)",
                                         what, i + 1, of->name, nf->name);
                                note(c, of->loc, "was '%s' here", of->name);
                        }
                        compare_type_spelling(c, of->type, nf->type, nf->loc, of->loc, fwhat);
                }
                return;
        }

        if (o->backing != n->backing) {
                breaking(c, n->backing_loc, "%s: backing type changed from '%s' to '%s'", what,
                         idl_type_kind_name(o->backing), idl_type_kind_name(n->backing));
                note(c, o->backing_loc, "was '%s' here", idl_type_kind_name(o->backing));
        }
        size_t *renamed = renamed_values(c, o, n);
        for (size_t i = 0; i < o->n_values; i++) {
                const idl_enumerator *ov = &o->values[i], *nv = find_value(n, ov->name);
                char ob[32], nb[32];
                enum_value(ob, sizeof ob, ov);
                if (!nv) {
                        breaking(c, n->c.loc, "%s: value '%s' (%s) was removed", what, ov->name, ob);
                        note(c, ov->loc, "'%s' was declared here", ov->name);
                        if (renamed && renamed[i] != NO_PAIR)
                                value_rename_note(c, o, ov, &n->values[renamed[i]]);
                        continue;
                }
                enum_value(nb, sizeof nb, nv);
                if (strcmp(ob, nb) != 0) {
                        breaking(c, nv->loc, "%s: value '%s' renumbered from %s to %s", what, ov->name, ob, nb);
                        note(c, ov->loc, "was %s here", ob);
                }
        }
        free(renamed);
}

/*
 * Where type `o`, gone from its scope, went in the new file: a type of its
 * name at file level or in another interface, where the old file had none.
 */
static const idl_typedecl *moved_to(const compat *c, const idl_typedecl *o) {
        const idl_typedecl *n;
        if (o->scope && (n = find_type(c->new->types, c->new->n_types, o->c.name)) &&
            !find_type(c->old->types, c->old->n_types, o->c.name))
                return n;
        for (size_t i = 0; i < c->new->n_interfaces; i++) {
                const idl_interface *ni = &c->new->interfaces[i], *oi = NULL;
                if (o->scope && strcmp(o->scope->c.name, ni->c.name) == 0)
                        continue;
                if (!(n = find_type(ni->types, ni->n_types, o->c.name)))
                        continue;
                for (size_t k = 0; k < c->old->n_interfaces && !oi; k++)
                        if (strcmp(c->old->interfaces[k].c.name, ni->c.name) == 0)
                                oi = &c->old->interfaces[k];
                if (!oi || !find_type(oi->types, oi->n_types, o->c.name))
                        return n;
        }
        return NULL;
}

/*
 * A type moved between file level and an interface (or between interfaces):
 * the wire does not see it, but its generated C names carry the scope's
 * prefix, so C code that names it no longer compiles.
 */
static void report_moved(compat *c, const idl_typedecl *o, const idl_typedecl *n, const char *what) {
        char *oc = typedecl_c_name(c->old, o), *nc = typedecl_c_name(c->new, n);
        char *OC = oc ? c_upper(oc) : NULL, *NC = nc ? c_upper(nc) : NULL;
        const char *to = n->scope ? n->scope->c.name : NULL, *from = o->scope ? o->scope->c.name : NULL;
        if (!OC || !NC)
                c->oom = true;
        else if (strcmp(oc, nc) != 0) {
                if (o->kind == IDL_DECL_STRUCT || n->kind == IDL_DECL_STRUCT)
                        breaking(c, n->c.loc, "%s moved to %s%s: its C type is now '%s', not '%s' (the D-Bus "
                                 "signature '%s' is the same; C code that names the type breaks)", what,
                                 to ? "interface " : "file level", to ? to : "", nc, oc, n->signature);
                else
                        breaking(c, n->c.loc, "%s moved to %s%s: its C type is now '%s', not '%s', and its constants "
                                 "%s_*, not %s_* (the D-Bus signature '%s' is the same; C code that names them "
                                 "breaks)", what, to ? "interface " : "file level", to ? to : "", nc, oc, NC, OC,
                                 n->signature);
                note(c, o->c.loc, "was declared %s%s here", from ? "in " : "at file level", from ? from : "");
        }
        free(oc);
        free(nc);
        free(OC);
        free(NC);
        compare_typedecl(c, o, n, from);
}

static void compare_typedecls(compat *c, idl_typedecl *const *ot, size_t on, idl_typedecl *const *nt, size_t nn,
                              const char *scope, idl_loc removed_at) {
        for (size_t i = 0; i < on; i++) {
                const idl_typedecl *o = ot[i], *n = find_type(nt, nn, o->c.name);
                if (n) {
                        compare_typedecl(c, o, n, scope);
                        continue;
                }
                if ((n = moved_to(c, o))) {
                        char what[512];
                        snprintf(what, sizeof what, "%s '%s'%s%s", idl_typedecl_keyword(o->kind), o->c.name,
                                 scope ? " of " : "",
                                 scope ? scope : "");
                        report_moved(c, o, n, what);
                        continue;
                }
                breaking(c, removed_at, "%s '%s'%s%s was removed", idl_typedecl_keyword(o->kind), o->c.name,
                         scope ? " of " : "", scope ? scope : "");
                note(c, o->c.loc, "'%s' was declared here", o->c.name);
        }
}

/* ---- argument lists ---- */

static void compare_args(compat *c, const idl_field *oa, size_t on, const char *osig, const idl_field *na, size_t nn,
                         const char *nsig, const char *list, const char *what, idl_loc nloc, idl_loc oloc) {
        if (!streq(osig, nsig)) {
                breaking(c, nloc, "%s: %s signature changed from '%s' to '%s'", what, list, osig ? osig : "",
                         nsig ? nsig : "");
                note(c, oloc, "was '%s' here", osig ? osig : "");
                return;
        }
        /* same signature, so the same number of arguments */
        for (size_t i = 0; i < on && i < nn; i++) {
                char awhat[600];
                snprintf(awhat, sizeof awhat, "argument '%s' of %s", na[i].name, what);
                compare_type_spelling(c, oa[i].type, na[i].type, na[i].loc, oa[i].loc, awhat);
                if (!streq(oa[i].name, na[i].name)) {
                        warning(c, na[i].loc, "%s: %s argument %zu renamed from '%s' to '%s' (not breaking: "
                                "introspection data changes, D-Bus messages and C callers do not)",
                                what, list, i + 1, oa[i].name, na[i].name);
                        note(c, oa[i].loc, "was '%s' here", oa[i].name);
                }
        }
}

static void compare_c_name(compat *c, const idl_common *o, const idl_common *n, const char *what) {
        if (streq(o->c_name, n->c_name))
                return;
        const idl_annotation *a = annotation(n, "c_name"), *b = annotation(o, "c_name");
        breaking(c, a ? a->loc : n->loc, "%s: C name changed from '%s' to '%s'", what, o->c_name, n->c_name);
        note(c, b ? b->loc : o->loc, "was '%s' here", o->c_name);
}

/* ---- members ---- */

typedef struct member {
        const idl_common *c;
        const char *shape;      /* what a rename would keep: signatures */
        char shape_buf[600];    /* two 255-byte signatures and a little */
} member;

static const idl_common *find_member(const member *ms, size_t n, const char *dbus_name) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(ms[i].c->dbus_name, dbus_name) == 0)
                        return ms[i].c;
        return NULL;
}

static bool raises(const idl_method *m, const idl_error *e) {
        for (size_t i = 0; i < m->n_raises; i++)
                if (m->raises[i].error == e)
                        return true;
        return false;
}

/*
 * The methods (in both versions) that raised old error `oe` and now raise new
 * error `ne`: evidence that `ne` is `oe` renamed.  *first: the first of them.
 */
static size_t raised_instead(const idl_interface *oi, const idl_interface *ni, const idl_error *oe,
                             const idl_error *ne, const char **first) {
        size_t n = 0;
        for (size_t i = 0; i < oi->n_methods; i++)
                for (size_t k = 0; k < ni->n_methods; k++)
                        if (strcmp(oi->methods[i].c.dbus_name, ni->methods[k].c.dbus_name) == 0 &&
                            raises(&oi->methods[i], oe) && raises(&ni->methods[k], ne) && n++ == 0)
                                *first = ni->methods[k].c.dbus_name;
        return n;
}

/*
 * Report the members of `om` missing from `nm` (removed or renamed); the
 * caller compares the members both have.  A removal gets a note at the added
 * member it was plausibly renamed to: one of the same kind and shape (for
 * errors: any), paired by pair_renames() on the evidence of the names'
 * similarity and, for errors, of the methods that raise the new one where
 * they raised the old one.
 */
static void report_removed(compat *c, const char *kind, const idl_interface *oi, const idl_interface *ni,
                           const member *om, size_t on, const member *nm, size_t nn, idl_loc removed_at) {
        bool is_error = strcmp(kind, "error") == 0;
        long *score = calloc(on * nn + 1, sizeof *score);
        size_t *pair = calloc(on + 1, sizeof *pair);
        if (!score || !pair)
                c->oom = true;
        else {
                for (size_t r = 0; r < on; r++)
                        for (size_t a = 0; a < nn; a++) {
                                long *s = &score[r * nn + a];
                                const char *first = NULL;
                                *s = -1;
                                if (find_member(nm, nn, om[r].c->dbus_name) || find_member(om, on, nm[a].c->dbus_name) ||
                                    strcmp(nm[a].shape, om[r].shape) != 0)
                                        continue;
                                *s = name_similarity(om[r].c->name, nm[a].c->name);
                                if (is_error)
                                        *s += 1000 * (long) raised_instead(oi, ni, &oi->errors[r], &ni->errors[a], &first);
                        }
                pair_renames(score, on, nn, pair);
        }

        for (size_t i = 0; i < on; i++) {
                if (find_member(nm, nn, om[i].c->dbus_name))
                        continue;
                if (strcmp(om[i].c->name, om[i].c->dbus_name) != 0)
                        breaking(c, removed_at, "%s '%s' (%s) of %s was removed", kind, om[i].c->name,
                                 om[i].c->dbus_name, oi->c.name);
                else
                        breaking(c, removed_at, "%s '%s' of %s was removed", kind, om[i].c->name, oi->c.name);
                note(c, om[i].c->loc, "'%s' was declared here", om[i].c->name);

                if (!pair || pair[i] == NO_PAIR)
                        continue;
                const idl_common *a = nm[pair[i]].c;
                const char *first = NULL;
                size_t n_raised = is_error ? raised_instead(oi, ni, &oi->errors[i], &ni->errors[pair[i]], &first) : 0;
                if (n_raised > 0)
                        note(c, a->loc, "error '%s' was added, raised by %s%s where '%s' was; renaming an error "
                             "breaks its users", a->dbus_name, first, n_raised > 1 ? " and others" : "",
                             om[i].c->name);
                else
                        note(c, a->loc, "%s '%s' was added%s; renaming %s %s breaks its users", kind, a->dbus_name,
                             is_error ? "" : " with the same signature", article(kind), kind);
        }
        free(score);
        free(pair);
}

static member *methods_of(const idl_interface *it) {
        member *ms = calloc(it->n_methods + 1, sizeof *ms);
        for (size_t i = 0; ms && i < it->n_methods; i++) {
                const idl_method *m = &it->methods[i];
                ms[i].c = &m->c;
                snprintf(ms[i].shape_buf, sizeof ms[i].shape_buf, "(%s)->(%s)%s", m->in_signature, m->out_signature,
                         m->noreply ? " noreply" : "");
                ms[i].shape = ms[i].shape_buf;
        }
        return ms;
}

static member *signals_of(const idl_interface *it) {
        member *ms = calloc(it->n_signals + 1, sizeof *ms);
        for (size_t i = 0; ms && i < it->n_signals; i++) {
                ms[i].c = &it->signals[i].c;
                ms[i].shape = it->signals[i].signature ? it->signals[i].signature : "";
        }
        return ms;
}

static member *properties_of(const idl_interface *it) {
        member *ms = calloc(it->n_properties + 1, sizeof *ms);
        for (size_t i = 0; ms && i < it->n_properties; i++) {
                const idl_property *p = &it->properties[i];
                ms[i].c = &p->c;
                snprintf(ms[i].shape_buf, sizeof ms[i].shape_buf, "%s %d %d", p->type->signature, (int) p->access,
                         (int) p->emits);
                ms[i].shape = ms[i].shape_buf;
        }
        return ms;
}

static member *errors_of(const idl_interface *it) {
        member *ms = calloc(it->n_errors + 1, sizeof *ms);
        for (size_t i = 0; ms && i < it->n_errors; i++) {
                ms[i].c = &it->errors[i].c;
                ms[i].shape = "";
        }
        return ms;
}

static void compare_method(compat *c, const idl_interface *it, const idl_method *o, const idl_method *n) {
        char what[512];
        snprintf(what, sizeof what, "method '%s' of %s", n->c.dbus_name, it->c.name);
        compare_args(c, o->in, o->n_in, o->in_signature, n->in, n->n_in, n->in_signature, "input", what, n->c.loc,
                     o->c.loc);
        compare_args(c, o->out, o->n_out, o->out_signature, n->out, n->n_out, n->out_signature, "output", what,
                     n->c.loc, o->c.loc);
        if (o->noreply != n->noreply) {
                const idl_annotation *a = annotation(n->noreply ? &n->c : &o->c, "noreply");
                if (n->noreply) {
                        breaking(c, a ? a->loc : n->c.loc, "%s: @noreply added (callers that wait for a reply "
                                 "never get one)", what);
                        note(c, o->c.loc, "previously declared here without it");
                } else {
                        breaking(c, n->c.loc, "%s: @noreply removed (the service now replies to callers that do "
                                 "not expect it)", what);
                        note(c, a ? a->loc : o->c.loc, "was @noreply here");
                }
        }
        compare_c_name(c, &o->c, &n->c, what);
}

static void compare_signal(compat *c, const idl_interface *it, const idl_signal *o, const idl_signal *n) {
        char what[512];
        snprintf(what, sizeof what, "signal '%s' of %s", n->c.dbus_name, it->c.name);
        compare_args(c, o->args, o->n_args, o->signature, n->args, n->n_args, n->signature, "argument", what,
                     n->c.loc, o->c.loc);
        compare_c_name(c, &o->c, &n->c, what);
}

static bool readable(idl_access a) {
        return a != IDL_ACCESS_WRITEONLY;
}

static bool writable(idl_access a) {
        return a != IDL_ACCESS_READONLY;
}

/*
 * A property's access.  Losing Get or Set breaks the clients that use it and
 * removes the generated client function.  Gaining one (readonly or writeonly
 * to readwrite) is an addition, like a new method: a warning, since the service
 * must now answer it (its handler table gains the handler; left NULL, the call
 * is answered with an error).
 */
static void compare_access(compat *c, const idl_interface *it, const idl_property *o, const idl_property *n,
                           const char *what, bool emits_follows) {
        const char *P = it->c_prefix, *N = n->c.c_name, *was = idl_access_keyword(o->access), *now = idl_access_keyword(n->access);
        if (readable(o->access) && !readable(n->access))
                breaking(c, n->c.loc, "%s: access changed from %s to %s (clients that Get it now fail; %s_get_%s() "
                         "is gone)", what, was, now, P, N);
        else if (writable(o->access) && !writable(n->access))
                breaking(c, n->c.loc, "%s: access changed from %s to %s (clients that Set it now fail; %s_set_%s() "
                         "is gone)", what, was, now, P, N);
        else {
                const char *call = writable(o->access) ? "Get" : "Set", *field = writable(o->access) ? "get_" : "set_";
                warning(c, n->c.loc, "%s: access widened from %s to %s (not breaking for clients; the service must "
                        "now answer %s: its handler table gains %s%s, and %s fails while that is NULL)", what,
                        was, now, call, field, n->c.c_name, call);
        }
        note(c, o->c.loc, "was %s here", was);
        if (emits_follows && o->emits != n->emits)
                note(c, n->c.loc, "so its change notification is now @emits(%s), not @emits(%s)%s", idl_emits_keyword(n->emits),
                     idl_emits_keyword(o->emits), n->emits == IDL_EMITS_NONE ? ": no PropertiesChanged for it any more" : "");
}

static void compare_property(compat *c, const idl_interface *it, const idl_property *o, const idl_property *n) {
        char what[512];
        snprintf(what, sizeof what, "property '%s' of %s", n->c.dbus_name, it->c.name);
        if (!streq(o->type->signature, n->type->signature)) {
                breaking(c, n->type->loc, "%s: type changed from '%s' to '%s'", what, o->type->signature,
                         n->type->signature);
                note(c, o->type->loc, "was '%s' here", o->type->signature);
        } else
                compare_type_spelling(c, o->type, n->type, n->type->loc, o->type->loc, what);
        /*
         * Without an @emits on either side, the change notification is the
         * access's default (a writeonly property has no value to send): a
         * change of it follows from the access change and is no break of its own.
         */
        bool emits_follows = o->access != n->access && !annotation(&o->c, "emits") && !annotation(&n->c, "emits");
        if (o->access != n->access)
                compare_access(c, it, o, n, what, emits_follows);
        if (o->emits != n->emits && !emits_follows) {
                const idl_annotation *na = annotation(&n->c, "emits"), *oa = annotation(&o->c, "emits");
                breaking(c, na ? na->loc : n->c.loc, "%s: change notification changed from @emits(%s) to @emits(%s)",
                         what, idl_emits_keyword(o->emits), idl_emits_keyword(n->emits));
                note(c, oa ? oa->loc : o->c.loc, "was @emits(%s) here", idl_emits_keyword(o->emits));
        }
        compare_c_name(c, &o->c, &n->c, what);
}

static void compare_interface(compat *c, const idl_interface *o, const idl_interface *n) {
        const char *name = n->c.name;
        member *om = NULL, *nm = NULL;

        if (!streq(o->c_prefix, n->c_prefix)) {
                const idl_annotation *na = annotation(&n->c, "c_prefix"), *oa = annotation(&o->c, "c_prefix");
                breaking(c, na ? na->loc : n->c.loc, "interface %s: C prefix changed from '%s' to '%s' (every "
                         "generated C name changes)", name, o->c_prefix, n->c_prefix);
                note(c, oa ? oa->loc : o->c.loc, "was '%s' here", o->c_prefix);
        }

        compare_typedecls(c, o->types, o->n_types, n->types, n->n_types, name, n->c.loc);

        /* errors: matched by their D-Bus error name */
        om = errors_of(o);
        nm = errors_of(n);
        if (om && nm) {
                report_removed(c, "error", o, n, om, o->n_errors, nm, n->n_errors, n->c.loc);
                for (size_t i = 0; i < o->n_errors; i++) {
                        const idl_common *nc = find_member(nm, n->n_errors, o->errors[i].c.dbus_name);
                        if (!nc)
                                continue;
                        char what[512];
                        snprintf(what, sizeof what, "error '%s' of %s", nc->dbus_name, name);
                        compare_c_name(c, &o->errors[i].c, nc, what);
                }
        }
        if (!om || !nm)
                c->oom = true;
        free(om);
        free(nm);

        om = methods_of(o);
        nm = methods_of(n);
        if (om && nm) {
                report_removed(c, "method", o, n, om, o->n_methods, nm, n->n_methods, n->c.loc);
                for (size_t i = 0; i < o->n_methods; i++)
                        for (size_t k = 0; k < n->n_methods; k++)
                                if (strcmp(o->methods[i].c.dbus_name, n->methods[k].c.dbus_name) == 0)
                                        compare_method(c, n, &o->methods[i], &n->methods[k]);
        }
        if (!om || !nm)
                c->oom = true;
        free(om);
        free(nm);

        om = signals_of(o);
        nm = signals_of(n);
        if (om && nm) {
                report_removed(c, "signal", o, n, om, o->n_signals, nm, n->n_signals, n->c.loc);
                for (size_t i = 0; i < o->n_signals; i++)
                        for (size_t k = 0; k < n->n_signals; k++)
                                if (strcmp(o->signals[i].c.dbus_name, n->signals[k].c.dbus_name) == 0)
                                        compare_signal(c, n, &o->signals[i], &n->signals[k]);
        }
        if (!om || !nm)
                c->oom = true;
        free(om);
        free(nm);

        om = properties_of(o);
        nm = properties_of(n);
        if (om && nm) {
                report_removed(c, "property", o, n, om, o->n_properties, nm, n->n_properties, n->c.loc);
                for (size_t i = 0; i < o->n_properties; i++)
                        for (size_t k = 0; k < n->n_properties; k++)
                                if (strcmp(o->properties[i].c.dbus_name, n->properties[k].c.dbus_name) == 0)
                                        compare_property(c, n, &o->properties[i], &n->properties[k]);
        }
        if (!om || !nm)
                c->oom = true;
        free(om);
        free(nm);
}

static const idl_interface *find_interface(const idl_file *f, const char *name) {
        for (size_t i = 0; i < f->n_interfaces; i++)
                if (strcmp(f->interfaces[i].c.name, name) == 0)
                        return &f->interfaces[i];
        return NULL;
}

/* How many methods, signals and properties two interfaces have in common, by D-Bus name. */
static long shared_members(const idl_interface *a, const idl_interface *b) {
        long n = 0;
        for (size_t i = 0; i < a->n_methods; i++)
                for (size_t k = 0; k < b->n_methods; k++)
                        n += strcmp(a->methods[i].c.dbus_name, b->methods[k].c.dbus_name) == 0;
        for (size_t i = 0; i < a->n_signals; i++)
                for (size_t k = 0; k < b->n_signals; k++)
                        n += strcmp(a->signals[i].c.dbus_name, b->signals[k].c.dbus_name) == 0;
        for (size_t i = 0; i < a->n_properties; i++)
                for (size_t k = 0; k < b->n_properties; k++)
                        n += strcmp(a->properties[i].c.dbus_name, b->properties[k].c.dbus_name) == 0;
        return n;
}

int idl_check_compat(const idl_file *old, const idl_file *new, idl_diag_sink *sink) {
        compat c = { .sink = sink, .old = old, .new = new };

        compare_typedecls(&c, old->types, old->n_types, new->types, new->n_types, NULL, file_loc(new));

        /* the rename notes: an added interface paired with a removed one by shared members and name */
        size_t no = old->n_interfaces, nn = new->n_interfaces;
        long *score = calloc(no * nn + 1, sizeof *score);
        size_t *pair = calloc(no + 1, sizeof *pair);
        if (!score || !pair)
                c.oom = true;
        else {
                for (size_t r = 0; r < no; r++)
                        for (size_t a = 0; a < nn; a++) {
                                const idl_interface *o = &old->interfaces[r], *n = &new->interfaces[a];
                                score[r * nn + a] = find_interface(new, o->c.name) || find_interface(old, n->c.name)
                                        ? -1 : 1000 * shared_members(o, n) + name_similarity(o->c.name, n->c.name);
                        }
                pair_renames(score, no, nn, pair);
        }

        for (size_t i = 0; i < no; i++) {
                const idl_interface *o = &old->interfaces[i], *n = find_interface(new, o->c.name);
                if (n) {
                        compare_interface(&c, o, n);
                        continue;
                }
                breaking(&c, file_loc(new), "interface %s was removed", o->c.name);
                note(&c, o->c.loc, "'%s' was declared here", o->c.name);
                if (pair && pair[i] != NO_PAIR)
                        note(&c, new->interfaces[pair[i]].c.loc, "interface %s was added; renaming an interface "
                             "breaks its users", new->interfaces[pair[i]].c.name);
        }
        free(score);
        free(pair);
        return c.oom ? -ENOMEM : c.breaking;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/sema.c — the semantic pass: annotations, names, type resolution, signatures, limits and C-name collisions */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* qsort_r */
#endif
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hashmap.h"
#include "idl.h"
#include "lexer.h"

/* Named types may nest this deep before we stop (D-Bus allows 64 containers in all). */
#define MAX_SEMA_DEPTH 256
#define SIG_MAX_LEN 255
#define SIG_MAX_ARRAYS 32
#define SIG_MAX_STRUCTS 32
#define NAME_MAX_LEN 255

typedef struct sema {
        idl_file *f;
        idl_arena *arena;
        idl_diag_sink *sink;
        bool oom;
        bool too_deep;          /* "type nested too deeply" was reported (once is enough) */
        bool in_deprecated;     /* the declaration being checked is @deprecated (or inside a deprecated one) */
        bool *import_used;      /* per import of f: one of its types was used */
        idl_typedecl *stack[MAX_SEMA_DEPTH + 2];        /* structs whose signature is being computed */
        size_t n_stack;
        /*
         * Lookups by name (common/hashmap.h), so that resolving n type names
         * costs O(n) in all, not O(n) each: `scopes` maps an array of type
         * declarations (of a file or an interface) to a hashmap of its names,
         * built at its first lookup; `interfaces` maps the interfaces' names
         * to them.
         */
        hashmap scopes, interfaces;
} sema;

/* Markers in idl_typedecl.signature while the pass runs. */
static char sig_busy[1], sig_failed[1];

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static char *sdup(sema *s, const char *str) {
        char *p = idl_arena_strdup(s->arena, str);

        if (!p)
                s->oom = true;
        return p;
}

/* ---- names ---- */

static bool is_lower(char c) {
        return c >= 'a' && c <= 'z';
}

static bool is_upper(char c) {
        return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_ident_start(char c) {
        return is_lower(c) || is_upper(c) || c == '_';
}

char *idl_snake_case(const char *name) {
        size_t n, j = 0;
        char *out;

        if (!name)
                return NULL;
        n = strlen(name);
        out = malloc(2 * n + 1);
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                char c = name[i];

                if (is_upper(c) && i > 0) {
                        char prev = name[i - 1], next = name[i + 1];

                        if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next)))
                                out[j++] = '_';
                }
                out[j++] = is_upper(c) ? (char) (c - 'A' + 'a') : c;
        }
        out[j] = 0;
        return out;
}

char *idl_default_c_prefix(const char *name) {
        char *r = strdup("");
        for (const char *p = name; r && *p;) {
                size_t n = strcspn(p, ".");
                char *comp = strndup(p, n), *snake = comp ? idl_snake_case(comp) : NULL;
                char *joined = snake ? malloc(strlen(r) + strlen(snake) + 2) : NULL;
                if (joined)
                        sprintf(joined, "%s%s%s", r, *r ? "_" : "", snake);
                free(comp);
                free(snake);
                free(r);
                r = joined;
                p += n;
                if (*p == '.')
                        p++;
        }
        return r;
}

static char *snake(sema *s, const char *name) {
        char *t = idl_snake_case(name), *r;

        if (!t) {
                s->oom = true;
                return NULL;
        }
        r = sdup(s, t);
        free(t);
        return r;
}

static bool valid_c_identifier(const char *n) {
        if (!is_ident_start(n[0]))
                return false;
        for (const char *p = n + 1; *p; p++)
                if (!is_ident_start(*p) && !is_digit(*p))
                        return false;
        return true;
}

/* A D-Bus member name: [A-Za-z_][A-Za-z0-9_]*, at most 255 bytes. */
static bool valid_member_name(const char *n) {
        return valid_c_identifier(n) && strlen(n) <= NAME_MAX_LEN;
}

/*
 * A property name as GDBus accepts it: [A-Za-z_-][A-Za-z0-9_-]*, at most 255
 * bytes.  Real interfaces use such names (xdg-desktop-portal's Lockdown has
 * "disable-printing") and GDBus serves them, but they are no D-Bus member
 * names: sd-bus refuses a vtable that has one (-EINVAL), so only @dbus_name
 * of a property may relax the rule, and the property is left out of the
 * server side (idl_property.client_only).
 */
static bool valid_property_name(const char *n) {
        if (!n[0] || is_digit(n[0]) || strlen(n) > NAME_MAX_LEN)
                return false;
        for (const char *p = n; *p; p++)
                if (!is_ident_start(*p) && !is_digit(*p) && *p != '-')
                        return false;
        return true;
}

/* A D-Bus interface or error name: two or more dotted elements of [A-Za-z_][A-Za-z0-9_]*, at most 255 bytes. */
static bool valid_interface_name(const char *n) {
        unsigned elements = 0;
        const char *p = n;

        if (strlen(n) > NAME_MAX_LEN)
                return false;
        for (;;) {
                if (!is_ident_start(*p))
                        return false;
                p++;
                while (is_ident_start(*p) || is_digit(*p))
                        p++;
                elements++;
                if (*p == 0)
                        break;
                if (*p != '.')
                        return false;
                p++;
        }
        return elements >= 2;
}

/* ---- annotations ---- */

enum {
        T_INTERFACE = 1 << 0,
        T_METHOD    = 1 << 1,
        T_SIGNAL    = 1 << 2,
        T_PROPERTY  = 1 << 3,
        T_ERROR     = 1 << 4,
        T_STRUCT    = 1 << 5,
        T_ENUM      = 1 << 6,
        T_FLAGS     = 1 << 7,
        T_PARAM     = 1 << 8,       /* a method's input or output, a signal's argument */
        T_MEMBER    = T_METHOD | T_SIGNAL | T_PROPERTY,
        T_TYPE      = T_STRUCT | T_ENUM | T_FLAGS,
        T_ANY       = 0xff,         /* every declaration (parameters are not declarations) */
};

static const char *target_word(unsigned t) {
        switch (t) {
        case T_INTERFACE: return "an interface";
        case T_METHOD:    return "a method";
        case T_SIGNAL:    return "a signal";
        case T_PROPERTY:  return "a property";
        case T_ERROR:     return "an error";
        case T_STRUCT:    return "a struct";
        case T_ENUM:      return "an enum";
        case T_PARAM:     return "a parameter";
        default:          return "a flags type";
        }
}

enum {
        ANN_C_PREFIX,
        ANN_C_NAME,
        ANN_NOREPLY,
        ANN_DEPRECATED,
        ANN_EMITS,
        ANN_DBUS_NAME,
        ANN_ANNOTATION,
        ANN_SINCE,
        ANN_STORED,
        N_ANN,
};

static const struct {
        const char *name;
        unsigned targets;
        unsigned min, max;
        bool repeat;
} ann_defs[N_ANN] = {
        [ANN_C_PREFIX]   = { "c_prefix",   T_INTERFACE,                 1, 1, false },
        [ANN_C_NAME]     = { "c_name",     T_MEMBER | T_ERROR | T_TYPE, 1, 1, false },
        [ANN_NOREPLY]    = { "noreply",    T_METHOD,                    0, 0, false },
        [ANN_DEPRECATED] = { "deprecated", T_ANY,                       0, 1, false },
        [ANN_EMITS]      = { "emits",      T_PROPERTY,                  1, 1, false },
        [ANN_DBUS_NAME]  = { "dbus_name",  T_MEMBER | T_ERROR,          1, 1, false },
        [ANN_ANNOTATION] = { "annotation", T_ANY | T_PARAM,             2, 2, true  },
        [ANN_SINCE]      = { "since",      T_ANY,                       1, 1, false },
        [ANN_STORED]     = { "stored",     T_INTERFACE,                 0, 0, false },
};

typedef struct ann_result {
        const idl_annotation *found[N_ANN];
} ann_result;

static const char *arity_phrase(unsigned min, unsigned max) {
        if (max == 0)
                return "no arguments";
        if (min == 0)
                return "at most one argument";
        return max == 1 ? "one argument" : "two arguments";
}

/* Where argument `i` of an annotation is written: what a mistake in its value is reported at. */
static idl_loc arg_loc(const idl_annotation *a, size_t i) {
        return a->arg_locs && i < a->n_args ? a->arg_locs[i] : a->loc;
}

/* Check a @c_name / @c_prefix value. */
static bool check_c_value(sema *s, const idl_annotation *a) {
        const char *v = a->args[0];

        if (!valid_c_identifier(v)) {
                idl_error_at(s->sink, arg_loc(a, 0), "'@%s' needs a C identifier, not '%s'", a->name, v);
                return false;
        }
        if (v[0] == '_') {
                idl_error_at(s->sink, arg_loc(a, 0), "'@%s' value '%s' starts with '_'; such C names are reserved",
                             a->name, v);
                return false;
        }
        return true;
}

/*
 * Check the annotations `anns` written on a `target`, record what they say in
 * `c` and append the pass-through ones (@annotation) to *xml.  `c` is NULL
 * for a parameter: the only annotation allowed there is @annotation, which
 * needs no idl_common.
 */
static void check_annotations(sema *s, const idl_annotation *anns, size_t n, unsigned target, idl_common *c,
                              idl_xml_annotation **xml, size_t *n_xml, ann_result *res) {
        size_t cap_xml = 0;

        *res = (ann_result) {};
        for (size_t i = 0; i < n; i++) {
                const idl_annotation *a = &anns[i];
                int k;

                for (k = 0; k < N_ANN; k++)
                        if (strcmp(ann_defs[k].name, a->name) == 0)
                                break;
                if (k == N_ANN) {
                        const char *names[N_ANN], *sugg;

                        for (int j = 0; j < N_ANN; j++)
                                names[j] = ann_defs[j].name;
                        sugg = idl_suggest(a->name, names, N_ANN);
                        if (sugg)
                                idl_error_at(s->sink, a->loc, "unknown annotation '@%s'; did you mean '@%s'?", a->name, sugg);
                        else
                                idl_error_at(s->sink, a->loc, "unknown annotation '@%s'", a->name);
                        continue;
                }
                if (!(ann_defs[k].targets & target)) {
                        idl_error_at(s->sink, a->loc, "'@%s' is not allowed on %s", a->name, target_word(target));
                        continue;
                }
                if (a->n_args < ann_defs[k].min || a->n_args > ann_defs[k].max) {
                        idl_error_at(s->sink, a->loc, "'@%s' takes %s, not %zu", a->name,
                                     arity_phrase(ann_defs[k].min, ann_defs[k].max), a->n_args);
                        continue;
                }
                if (!ann_defs[k].repeat && res->found[k]) {
                        idl_error_at(s->sink, a->loc, "duplicate annotation '@%s'", a->name);
                        idl_note_at(s->sink, res->found[k]->loc, "previous '@%s' is here", a->name);
                        continue;
                }

                assert(c || k == ANN_ANNOTATION);       /* the only one whose targets include T_PARAM */
                switch (k) {
                case ANN_C_PREFIX:
                        if (!check_c_value(s, a))
                                continue;
                        break;
                case ANN_C_NAME:
                        if (!check_c_value(s, a))
                                continue;
                        c->c_name = a->args[0];
                        break;
                case ANN_DEPRECATED:
                        c->deprecated = true;
                        c->deprecated_reason = a->n_args > 0 ? a->args[0] : NULL;
                        break;
                case ANN_EMITS: {
                        static const char *const values[] = { "change", "invalidates", "const", "none" };
                        bool ok = false;

                        for (size_t j = 0; j < ELEMENTSOF(values); j++)
                                ok = ok || strcmp(values[j], a->args[0]) == 0;
                        if (!ok) {
                                idl_error_at(s->sink, arg_loc(a, 0),
                                             "'@emits' must be one of change, invalidates, const or none, not '%s'",
                                             a->args[0]);
                                continue;
                        }
                        break;
                }
                case ANN_DBUS_NAME:
                        if (target == T_ERROR) {
                                if (!valid_interface_name(a->args[0])) {
                                        idl_error_at(s->sink, arg_loc(a, 0),
                                                     "'@dbus_name' value '%s' is not a valid D-Bus error name",
                                                     a->args[0]);
                                        continue;
                                }
                        } else if (target == T_PROPERTY) {
                                if (!valid_property_name(a->args[0])) {
                                        idl_error_at(s->sink, arg_loc(a, 0),
                                                     "'@dbus_name' value '%s' is not a valid D-Bus property name "
                                                     "(letters, digits, '_' and '-', not starting with a digit, "
                                                     "at most %d bytes)",
                                                     a->args[0], NAME_MAX_LEN);
                                        continue;
                                }
                        } else if (!valid_member_name(a->args[0])) {
                                if (valid_property_name(a->args[0]))
                                        idl_error_at(s->sink, arg_loc(a, 0),
                                                     "'@dbus_name' value '%s' is not a valid D-Bus member name "
                                                     "(only a property's name may contain '-')",
                                                     a->args[0]);
                                else
                                        idl_error_at(s->sink, arg_loc(a, 0),
                                                     "'@dbus_name' value '%s' is not a valid D-Bus member name",
                                                     a->args[0]);
                                continue;
                        }
                        c->dbus_name = a->args[0];
                        break;
                case ANN_ANNOTATION: {
                        idl_xml_annotation *x;

                        if (a->args[0][0] == 0) {
                                idl_error_at(s->sink, arg_loc(a, 0), "'@annotation' needs a non-empty name");
                                continue;
                        }
                        x = IDL_ARENA_PUSH(s->arena, *xml, *n_xml, cap_xml);
                        if (!x) {
                                s->oom = true;
                                return;
                        }
                        x->name = a->args[0];
                        x->value = a->args[1];
                        break;
                }
                case ANN_SINCE:
                        c->since = a->args[0];
                        break;
                default:
                        break;
                }
                res->found[k] = a;
        }
}

static void process_annotations(sema *s, idl_common *c, unsigned target, ann_result *res) {
        check_annotations(s, c->annotations, c->n_annotations, target, c, &c->xml_annotations, &c->n_xml_annotations,
                          res);
}

/* The parameters of a method or signal: only @annotation, passed through to the <arg> of the introspection XML. */
static void process_param_annotations(sema *s, idl_field *params, size_t n) {
        ann_result res;

        for (size_t i = 0; i < n; i++)
                check_annotations(s, params[i].annotations, params[i].n_annotations, T_PARAM, NULL,
                                  &params[i].xml_annotations, &params[i].n_xml_annotations, &res);
}

/* c_name and dbus_name defaults, after the annotations. */
static void common_defaults(sema *s, idl_common *c) {
        if (!c->c_name)
                c->c_name = snake(s, c->name);
        if (!c->dbus_name)
                c->dbus_name = c->name;
}

static void check_member_name(sema *s, const idl_common *c) {
        if (strlen(c->name) > NAME_MAX_LEN)
                idl_error_at(s->sink, c->loc, "D-Bus member name '%.32s...' is longer than %d bytes", c->name, NAME_MAX_LEN);
}

char *idl_camel_case(const char *name) {
        char *r = malloc(strlen(name) + 1), *o = r;
        bool up = true;

        if (!r)
                return NULL;
        for (const char *p = name; *p; p++) {
                if (*p == '_') {
                        up = true;
                        continue;
                }
                *o++ = up && is_lower(*p) ? (char) (*p - 'a' + 'A') : *p;
                up = false;
        }
        *o = 0;
        return r;
}

/* idl_camel_case() in the arena.  NULL on ENOMEM (s->oom set). */
static char *camel_case(sema *s, const char *name) {
        char *t = idl_camel_case(name), *r = t ? sdup(s, t) : NULL;

        if (!r)
                s->oom = true;
        free(t);
        return r;
}

/* -Wmember-name-style: the D-Bus specification recommends UpperCamelCase member names. */
static void check_member_style(sema *s, const idl_common *c, const char *what) {
        const char *n = c->dbus_name ? c->dbus_name : c->name;
        char *better;

        if (is_upper(n[0]) && !strchr(n, '_'))
                return;
        better = camel_case(s, n);
        if (better && better[0] && is_upper(better[0]))
                idl_warn(s->sink, IDL_W_MEMBER_NAME_STYLE, c->loc,
                         "%s name '%s' is not UpperCamelCase, as D-Bus recommends; did you mean '%s'?", what, n, better);
        else
                idl_warn(s->sink, IDL_W_MEMBER_NAME_STYLE, c->loc,
                         "%s name '%s' is not UpperCamelCase, as D-Bus recommends", what, n);
}

/*
 * -Wproperty-name: a property whose @dbus_name is only a GDBus property name
 * ("disable-printing") works from the client side but cannot be served by
 * sd-bus; the server side leaves it out.  At the @dbus_name value.
 */
static void check_client_only(sema *s, idl_property *q, const idl_annotation *dbus_name) {
        static const char *const can[] = {
                [IDL_ACCESS_READONLY] = "read",
                [IDL_ACCESS_READWRITE] = "read and write",
                [IDL_ACCESS_WRITEONLY] = "write",
        };
        idl_loc at = dbus_name->arg_locs ? dbus_name->arg_locs[0] : dbus_name->loc;

        q->client_only = true;
        idl_warn(s->sink, IDL_W_PROPERTY_NAME, at,
                 "property name '%s' is not a valid D-Bus member name: sd-bus cannot serve it, so the server "
                 "skeleton leaves it out; clients can still %s it",
                 q->c.dbus_name, can[q->access]);
}

/* The members of an interface in source order, so that diagnostics come in that order. */
typedef enum member_kind {
        MEMBER_TYPE,
        MEMBER_ERROR,
        MEMBER_METHOD,
        MEMBER_SIGNAL,
        MEMBER_PROPERTY,
} member_kind;

typedef struct member_ref {
        member_kind kind;
        size_t index;
        idl_loc loc;
} member_ref;

static int cmp_member_ref(const void *a, const void *b) {
        const member_ref *x = a, *y = b;

        if (x->loc.line != y->loc.line)
                return x->loc.line < y->loc.line ? -1 : 1;
        if (x->loc.col != y->loc.col)
                return x->loc.col < y->loc.col ? -1 : 1;
        if (x->kind != y->kind)
                return x->kind < y->kind ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

static member_ref *members_in_order(sema *s, const idl_interface *it, size_t *ret_n) {
        size_t n = it->n_types + it->n_errors + it->n_methods + it->n_signals + it->n_properties, k = 0;
        member_ref *v = calloc(n + 1, sizeof(*v));

        *ret_n = 0;
        if (!v) {
                s->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < it->n_types; i++)
                v[k++] = (member_ref) { MEMBER_TYPE, i, it->types[i]->c.loc };
        for (size_t i = 0; i < it->n_errors; i++)
                v[k++] = (member_ref) { MEMBER_ERROR, i, it->errors[i].c.loc };
        for (size_t i = 0; i < it->n_methods; i++)
                v[k++] = (member_ref) { MEMBER_METHOD, i, it->methods[i].c.loc };
        for (size_t i = 0; i < it->n_signals; i++)
                v[k++] = (member_ref) { MEMBER_SIGNAL, i, it->signals[i].c.loc };
        for (size_t i = 0; i < it->n_properties; i++)
                v[k++] = (member_ref) { MEMBER_PROPERTY, i, it->properties[i].c.loc };
        qsort(v, n, sizeof(*v), cmp_member_ref);
        *ret_n = n;
        return v;
}

static void annotate_typedecl(sema *s, idl_typedecl *d) {
        ann_result res;

        process_annotations(s, &d->c, d->kind == IDL_DECL_STRUCT ? T_STRUCT : d->kind == IDL_DECL_ENUM ? T_ENUM : T_FLAGS,
                            &res);
        /* types are UpperCamelCase in C, functions snake_case: they never meet (docs/c-api.md) */
        if (!d->c.c_name)
                d->c.c_name = camel_case(s, d->c.name);
        common_defaults(s, &d->c);
}

static void annotate_interface(sema *s, idl_interface *it) {
        member_ref *members;
        ann_result res;
        size_t n;

        process_annotations(s, &it->c, T_INTERFACE, &res);
        if (strlen(it->c.name) > NAME_MAX_LEN)
                idl_error_at(s->sink, it->c.loc, "interface name '%.32s...' is longer than %d bytes", it->c.name,
                             NAME_MAX_LEN);
        else if (!strchr(it->c.name, '.'))
                idl_error_at(s->sink, it->c.loc,
                             "interface name '%s' needs at least two dot-separated elements, e.g. 'org.example.%s'",
                             it->c.name, it->c.name);

        if (res.found[ANN_C_PREFIX]) {
                it->c_prefix = res.found[ANN_C_PREFIX]->args[0];
                it->c_prefix_given = true;
        } else {
                char *t = idl_default_c_prefix(it->c.name);
                it->c_prefix = t ? sdup(s, t) : NULL;
                if (!t)
                        s->oom = true;
                free(t);
        }
        it->c.c_name = it->c_prefix;
        it->c.dbus_name = it->c.name;
        it->stored = res.found[ANN_STORED] != NULL;

        members = members_in_order(s, it, &n);
        for (size_t k = 0; k < n; k++) {
                size_t i = members[k].index;

                switch (members[k].kind) {
                case MEMBER_TYPE:
                        annotate_typedecl(s, it->types[i]);
                        break;
                case MEMBER_ERROR: {
                        idl_error *e = &it->errors[i];

                        process_annotations(s, &e->c, T_ERROR, &res);
                        if (!e->c.dbus_name) {
                                e->c.dbus_name = idl_arena_printf(s->arena, "%s.Error.%s", it->c.name, e->c.name);
                                if (!e->c.dbus_name)
                                        s->oom = true;
                                else if (strlen(e->c.dbus_name) > NAME_MAX_LEN)
                                        idl_error_at(s->sink, e->c.loc, "D-Bus error name '%.32s...' is longer than %d bytes",
                                                     e->c.dbus_name, NAME_MAX_LEN);
                        }
                        common_defaults(s, &e->c);
                        break;
                }
                case MEMBER_METHOD: {
                        idl_method *m = &it->methods[i];

                        process_annotations(s, &m->c, T_METHOD, &res);
                        check_member_name(s, &m->c);
                        common_defaults(s, &m->c);
                        check_member_style(s, &m->c, "method");
                        if (res.found[ANN_NOREPLY]) {
                                m->noreply = true;
                                if (m->n_out > 0)
                                        idl_error_at(s->sink, res.found[ANN_NOREPLY]->loc,
                                                     "'@noreply' method '%s' cannot have outputs", m->c.name);
                        }
                        process_param_annotations(s, m->in, m->n_in);
                        process_param_annotations(s, m->out, m->n_out);
                        break;
                }
                case MEMBER_SIGNAL: {
                        idl_signal *sg = &it->signals[i];

                        process_annotations(s, &sg->c, T_SIGNAL, &res);
                        check_member_name(s, &sg->c);
                        common_defaults(s, &sg->c);
                        check_member_style(s, &sg->c, "signal");
                        process_param_annotations(s, sg->args, sg->n_args);
                        break;
                }
                case MEMBER_PROPERTY: {
                        idl_property *q = &it->properties[i];
                        const idl_annotation *e;

                        process_annotations(s, &q->c, T_PROPERTY, &res);
                        check_member_name(s, &q->c);
                        common_defaults(s, &q->c);
                        /* a name that is no member name has no UpperCamelCase to suggest: one warning says it */
                        if (res.found[ANN_DBUS_NAME] && q->c.dbus_name && !valid_member_name(q->c.dbus_name))
                                check_client_only(s, q, res.found[ANN_DBUS_NAME]);
                        else
                                check_member_style(s, &q->c, "property");
                        q->emits = IDL_EMITS_CHANGE;
                        e = res.found[ANN_EMITS];
                        if (e) {
                                if (strcmp(e->args[0], "invalidates") == 0)
                                        q->emits = IDL_EMITS_INVALIDATES;
                                else if (strcmp(e->args[0], "const") == 0)
                                        q->emits = IDL_EMITS_CONST;
                                else if (strcmp(e->args[0], "none") == 0)
                                        q->emits = IDL_EMITS_NONE;
                                /* a constant cannot be written (sd-bus refuses such a vtable) */
                                if (q->emits == IDL_EMITS_CONST && q->access != IDL_ACCESS_READONLY)
                                        idl_error_at(s->sink, e->loc, "'@emits(const)' property '%s' must be readonly",
                                                     q->c.name);
                                /* nor can a value nobody may read be sent in PropertiesChanged */
                                else if (q->emits == IDL_EMITS_CHANGE && q->access == IDL_ACCESS_WRITEONLY)
                                        idl_error_at(s->sink, e->loc,
                                                     "writeonly property '%s' cannot emit its value; use "
                                                     "'@emits(invalidates)' or '@emits(none)'",
                                                     q->c.name);
                        } else if (q->access == IDL_ACCESS_WRITEONLY) {
                                /* no value to send: by default a writeonly property emits nothing */
                                q->emits = IDL_EMITS_NONE;
                        }
                        break;
                }
                }
        }
        free(members);
}

/* ---- duplicates ---- */

typedef struct dup_item {
        const char *key;
        const char *name;
        idl_loc loc;
        size_t idx;             /* position in source order */
} dup_item;

typedef void (*dup_report_fn)(sema *s, const dup_item *later, const dup_item *first, const char *what);

static int cmp_dup_item(const void *a, const void *b) {
        const dup_item *x = a, *y = b;
        int c = strcmp(x->key, y->key);

        if (c != 0)
                return c;
        return x->idx < y->idx ? -1 : x->idx > y->idx;
}

typedef struct dup_pair {
        const dup_item *later, *first;
} dup_pair;

static int cmp_dup_pair(const void *a, const void *b) {
        const dup_pair *x = a, *y = b;

        return x->later->idx < y->later->idx ? -1 : x->later->idx > y->later->idx;
}

static void report_redefinition(sema *s, const dup_item *later, const dup_item *first, const char *what) {
        idl_error_at(s->sink, later->loc, "redefinition of %s '%s'", what, later->name);
        idl_note_at(s->sink, first->loc, "previous definition of '%s' is here", first->name);
}

/* Report every item whose key was used by an earlier item, in source order. Sorts `items`. */
static void find_duplicates(sema *s, dup_item *items, size_t n, dup_report_fn report, const char *what) {
        dup_pair *pairs;
        size_t n_pairs = 0;

        if (n < 2)
                return;
        qsort(items, n, sizeof(*items), cmp_dup_item);
        pairs = malloc(n * sizeof(*pairs));
        if (!pairs) {
                s->oom = true;
                return;
        }
        for (size_t i = 0, first = 0; i < n; i++) {
                if (strcmp(items[i].key, items[first].key) != 0)
                        first = i;
                else if (i != first)
                        pairs[n_pairs++] = (dup_pair) { &items[i], &items[first] };
        }
        qsort(pairs, n_pairs, sizeof(*pairs), cmp_dup_pair);
        for (size_t i = 0; i < n_pairs; i++)
                report(s, pairs[i].later, pairs[i].first, what);
        free(pairs);
}

/* A growing list of dup_items, malloc'd. */
typedef struct dup_list {
        dup_item *v;
        size_t n, cap;
} dup_list;

static void dup_add(sema *s, dup_list *l, const char *key, const char *name, idl_loc loc) {
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 16;
                dup_item *v = realloc(l->v, cap * sizeof(*v));

                if (!v) {
                        s->oom = true;
                        return;
                }
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n] = (dup_item) { .key = key, .name = name, .loc = loc, .idx = l->n };
        l->n++;
}

static void dup_run(sema *s, dup_list *l, dup_report_fn report, const char *what) {
        find_duplicates(s, l->v, l->n, report, what);
        free(l->v);
        *l = (dup_list) {};
}

static void check_fields(sema *s, const idl_field *fields, size_t n, dup_list *l) {
        for (size_t i = 0; i < n; i++)
                if (fields[i].name)
                        dup_add(s, l, fields[i].name, fields[i].name, fields[i].loc);
}

static void check_type_names(sema *s, idl_typedecl **types, size_t n) {
        dup_list l = {};

        for (size_t i = 0; i < n; i++)
                dup_add(s, &l, types[i]->c.name, types[i]->c.name, types[i]->c.loc);
        dup_run(s, &l, report_redefinition, "type");
}

static idl_typedecl *find_type(sema *s, idl_typedecl **types, size_t n, const char *name);

/* File-level types of this file and of its imports share one scope. */
static void check_imported_names(sema *s) {
        const idl_file *f = s->f;

        for (size_t i = 0; i < f->n_types; i++)
                for (size_t j = 0; j < f->n_imports; j++) {
                        const idl_file *imp = f->imports[j].file;
                        const idl_typedecl *d =
                                imp ? find_type(s, imp->types, imp->n_types, f->types[i]->c.name) : NULL;

                        if (d) {
                                idl_error_at(s->sink, f->types[i]->c.loc,
                                             "type '%s' conflicts with a type of the same name imported from '%s'",
                                             d->c.name, f->imports[j].path);
                                idl_note_at(s->sink, d->c.loc, "'%s' is declared here", d->c.name);
                                break;
                        }
                }
        for (size_t j = 1; j < f->n_imports; j++) {
                const idl_file *b = f->imports[j].file;

                for (size_t k = 0; b && k < b->n_types; k++)
                        for (size_t i = 0; i < j; i++) {
                                const idl_file *a = f->imports[i].file;
                                const idl_typedecl *d = a && a != b ? find_type(s, a->types, a->n_types,
                                                                                b->types[k]->c.name)
                                                                    : NULL;

                                if (d) {
                                        idl_error_at(s->sink, f->imports[j].loc,
                                                     "imported files '%s' and '%s' both declare type '%s'",
                                                     f->imports[i].path, f->imports[j].path, d->c.name);
                                        idl_note_at(s->sink, d->c.loc, "'%s' is declared here", d->c.name);
                                        idl_note_at(s->sink, b->types[k]->c.loc, "and here");
                                        break;
                                }
                        }
        }
}

static void check_interface_names(sema *s, idl_interface *it) {
        dup_list l = {};

        check_type_names(s, it->types, it->n_types);

        for (size_t i = 0; i < it->n_errors; i++)
                dup_add(s, &l, it->errors[i].c.name, it->errors[i].c.name, it->errors[i].c.loc);
        dup_run(s, &l, report_redefinition, "error");
        for (size_t i = 0; i < it->n_methods; i++)
                dup_add(s, &l, it->methods[i].c.name, it->methods[i].c.name, it->methods[i].c.loc);
        dup_run(s, &l, report_redefinition, "method");
        for (size_t i = 0; i < it->n_signals; i++)
                dup_add(s, &l, it->signals[i].c.name, it->signals[i].c.name, it->signals[i].c.loc);
        dup_run(s, &l, report_redefinition, "signal");
        for (size_t i = 0; i < it->n_properties; i++)
                dup_add(s, &l, it->properties[i].c.name, it->properties[i].c.name, it->properties[i].c.loc);
        dup_run(s, &l, report_redefinition, "property");

        for (size_t i = 0; i < it->n_methods; i++) {
                idl_method *m = &it->methods[i];

                /* inputs and outputs are two scopes: an output may have an input's name (Echo(s) -> (s)),
                 * as D-Bus XML allows; the C names keep them apart (docs/c-api.md) */
                check_fields(s, m->in, m->n_in, &l);
                dup_run(s, &l, report_redefinition, "parameter");
                check_fields(s, m->out, m->n_out, &l);
                dup_run(s, &l, report_redefinition, "parameter");
        }
        for (size_t i = 0; i < it->n_signals; i++) {
                check_fields(s, it->signals[i].args, it->signals[i].n_args, &l);
                dup_run(s, &l, report_redefinition, "parameter");
        }
}

/* ---- types ---- */

static const char *decl_kind_word(const idl_typedecl *d) {
        return d->kind == IDL_DECL_STRUCT ? "struct" : d->kind == IDL_DECL_ENUM ? "enum" : "flags";
}

/* The type as IDL text, for messages. */
static const char *type_text(sema *s, const idl_type *t) {
        char *r = NULL;

        switch (t->kind) {
        case IDL_TYPE_ARRAY: {
                const char *e = type_text(s, t->elem);

                r = e ? idl_arena_printf(s->arena, "%s[]", e) : NULL;
                break;
        }
        case IDL_TYPE_DICT: {
                const char *k = type_text(s, t->key), *v = type_text(s, t->elem);

                r = k && v ? idl_arena_printf(s->arena, "dict<%s, %s>", k, v) : NULL;
                break;
        }
        case IDL_TYPE_STRUCT:
                r = sdup(s, "(");
                for (size_t i = 0; r && i < t->n_fields; i++) {
                        const char *f = type_text(s, t->fields[i].type);

                        r = f ? idl_arena_printf(s->arena, "%s%s%s", r, i > 0 ? ", " : "", f) : NULL;
                }
                if (r)
                        r = idl_arena_printf(s->arena, "%s)", r);
                break;
        case IDL_TYPE_NAMED:
                return t->name;
        default:
                return idl_type_kind_name(t->kind);
        }
        if (!r)
                s->oom = true;
        return r ? r : "?";
}

/* The first of the n declarations `types` named `name`, or NULL. */
static idl_typedecl *find_type(sema *s, idl_typedecl **types, size_t n, const char *name) {
        hashmap *names = NULL;
        void *d;

        if (n == 0)
                return NULL;
        if (!hashmap_get(&s->scopes, types, (void **) &names)) {
                names = malloc(sizeof(*names));
                if (names) {
                        *names = HASHMAP_INIT(&string_hash_ops);
                        /* the first of a repeated name stays (the repeat is reported as a redefinition) */
                        for (size_t i = 0; names && i < n; i++)
                                if (types[i]->c.name && hashmap_put(names, types[i]->c.name, types[i], NULL) < 0) {
                                        hashmap_clear(names);
                                        free(names);
                                        names = NULL;
                                }
                }
                if (names && hashmap_put(&s->scopes, types, names, NULL) < 0) {
                        hashmap_clear(names);
                        free(names);
                        names = NULL;
                }
        }
        if (names)
                return hashmap_get(names, name, &d) ? d : NULL;
        /* without memory for the index, a scan */
        for (size_t i = 0; i < n; i++)
                if (types[i]->c.name && strcmp(types[i]->c.name, name) == 0)
                        return types[i];
        return NULL;
}

/* The interface named by the n bytes at `name`, or NULL. */
static idl_interface *find_interface(sema *s, const char *name, size_t n) {
        char *key = strndup(name, n);
        void *it = NULL;

        if (!key) {
                s->oom = true;
                return NULL;
        }
        if (hashmap_size(&s->interfaces) == 0)
                for (size_t i = 0; i < s->f->n_interfaces; i++)
                        if (s->f->interfaces[i].c.name &&
                            hashmap_put(&s->interfaces, s->f->interfaces[i].c.name, &s->f->interfaces[i], NULL) < 0)
                                s->oom = true;
        if (!hashmap_get(&s->interfaces, key, &it))
                it = NULL;
        free(key);
        return it;
}

static idl_typedecl *resolve_type(sema *s, const char *name, idl_interface *scope) {
        const char *dot;
        idl_typedecl *d;

        if (scope) {
                d = find_type(s, scope->types, scope->n_types, name);
                if (d)
                        return d;
        }
        d = find_type(s, s->f->types, s->f->n_types, name);
        if (d)
                return d;
        for (size_t i = 0; i < s->f->n_imports; i++) {
                const idl_file *imp = s->f->imports[i].file;

                d = imp ? find_type(s, imp->types, imp->n_types, name) : NULL;
                if (d) {
                        if (s->import_used)
                                s->import_used[i] = true;
                        return d;
                }
        }
        dot = strrchr(name, '.');
        if (dot) {
                idl_interface *it = find_interface(s, name, (size_t) (dot - name));

                if (it)
                        return find_type(s, it->types, it->n_types, dot + 1);
        }
        return NULL;
}

/* A suggestion for a name no edit distance finds: the spellings of other languages' 8-bit integers. */
static const char *foreign_type_name(const char *name) {
        static const char *const bytes[] = { "uint8", "int8", "uint8_t", "int8_t", "char", "u8", "i8" };

        for (size_t i = 0; i < ELEMENTSOF(bytes); i++)
                if (strcmp(name, bytes[i]) == 0)
                        return "byte";
        return NULL;
}

static void unknown_type(sema *s, const idl_type *t, idl_interface *scope) {
        static const char *const keywords[] = {
                "int32", "uint32", "int64", "uint64", "int16", "uint16", "byte", "bool", "double",
                "string", "objpath", "signature", "fd", "variant", "blob",
        };
        size_t n = ELEMENTSOF(keywords), n_scope = scope ? scope->n_types : 0, n_imported = 0;
        const char **cands, *sugg = NULL;

        for (size_t i = 0; i < s->f->n_imports; i++)
                if (s->f->imports[i].file)
                        n_imported += s->f->imports[i].file->n_types;
        cands = malloc((n + n_scope + s->f->n_types + n_imported) * sizeof(char *));
        if (cands) {
                memcpy(cands, keywords, sizeof(keywords));
                for (size_t i = 0; i < n_scope; i++)
                        cands[n++] = scope->types[i]->c.name;
                for (size_t i = 0; i < s->f->n_types; i++)
                        cands[n++] = s->f->types[i]->c.name;
                for (size_t i = 0; i < s->f->n_imports; i++) {
                        const idl_file *imp = s->f->imports[i].file;

                        for (size_t j = 0; imp && j < imp->n_types; j++)
                                cands[n++] = imp->types[j]->c.name;
                }
                sugg = idl_suggest(t->name, cands, n);
        }
        if (foreign_type_name(t->name))
                sugg = foreign_type_name(t->name);
        if (sugg)
                idl_error_at(s->sink, t->loc, "unknown type '%s'; did you mean '%s'?", t->name, sugg);
        else
                idl_error_at(s->sink, t->loc, "unknown type '%s'", t->name);
        free(cands);
        /* a type of another interface is named with that interface's name */
        for (size_t i = 0; !sugg && !strchr(t->name, '.') && i < s->f->n_interfaces; i++) {
                const idl_interface *it = &s->f->interfaces[i];
                const idl_typedecl *d = it != scope ? find_type(s, it->types, it->n_types, t->name) : NULL;

                if (d) {
                        idl_note_at(s->sink, d->c.loc, "'%s' is declared in interface '%s': write '%s.%s'", d->c.name,
                                    it->c.name, it->c.name, d->c.name);
                        break;
                }
        }
}

/* "(" sigs ")" and the like; NULL if any part is NULL. */
static char *concat_sigs(sema *s, const char *open, char *const *sigs, size_t n, const char *close) {
        size_t len = strlen(open) + strlen(close), at;
        char *r;

        for (size_t i = 0; i < n; i++) {
                if (!sigs[i])
                        return NULL;
                len += strlen(sigs[i]);
        }
        r = idl_arena_alloc(s->arena, len + 1);
        if (!r) {
                s->oom = true;
                return NULL;
        }
        at = strlen(open);
        memcpy(r, open, at);
        for (size_t i = 0; i < n; i++) {
                size_t l = strlen(sigs[i]);

                memcpy(r + at, sigs[i], l);
                at += l;
        }
        strcpy(r + at, close);
        return r;
}

/* The deepest nesting of arrays and of structs (dict entries count as structs) in a signature. */
static void sig_depths(const char *sig, unsigned *ret_arrays, unsigned *ret_structs) {
        size_t n_stack = 0;
        unsigned arrays = 0, structs = 0, max_arrays = 0, max_structs = 0;
        char stack[SIG_MAX_LEN * 4 + 1];

        for (const char *p = sig; *p && n_stack < sizeof(stack); p++) {
                bool complete = false;

                switch (*p) {
                case 'a':
                        stack[n_stack++] = 'a';
                        if (++arrays > max_arrays)
                                max_arrays = arrays;
                        break;
                case '(':
                case '{':
                        stack[n_stack++] = '(';
                        if (++structs > max_structs)
                                max_structs = structs;
                        break;
                case ')':
                case '}':
                        while (n_stack > 0 && stack[n_stack - 1] == 'a') {
                                n_stack--;
                                arrays--;
                        }
                        if (n_stack > 0) {
                                n_stack--;
                                structs--;
                        }
                        complete = true;
                        break;
                default:
                        complete = true;
                }
                if (complete)
                        while (n_stack > 0 && stack[n_stack - 1] == 'a') {
                                n_stack--;
                                arrays--;
                        }
        }
        *ret_arrays = max_arrays;
        *ret_structs = max_structs;
}

/* Check a signature against the D-Bus limits; `what` names its owner in messages. */
static bool check_sig_limits(sema *s, const char *sig, idl_loc loc, const char *what) {
        size_t len = strlen(sig);
        unsigned max_arrays, max_structs;

        if (len > SIG_MAX_LEN) {
                idl_error_at(s->sink, loc, "signature of %s is too long (%zu bytes, the limit is %d)", what, len,
                             SIG_MAX_LEN);
                return false;
        }
        sig_depths(sig, &max_arrays, &max_structs);
        if (max_arrays > SIG_MAX_ARRAYS) {
                idl_error_at(s->sink, loc, "signature of %s nests arrays deeper than %d", what, SIG_MAX_ARRAYS);
                return false;
        }
        if (max_structs > SIG_MAX_STRUCTS) {
                idl_error_at(s->sink, loc, "signature of %s nests structs deeper than %d", what, SIG_MAX_STRUCTS);
                return false;
        }
        return true;
}

/*
 * Check the signature `sig` made of the signatures `sigs` of `parts` (a
 * method's inputs, a struct's fields) between `open` and `close` against the
 * D-Bus limits.  The error is at the type of the part that passes a limit
 * (the one nested too deeply, the one the length passes 255 at), with a note
 * at `owner` when that is on another line.
 */
static bool check_parts_limits(sema *s, const char *sig, char *const *sigs, const idl_field *parts, size_t n,
                               const char *open, const char *close, const idl_common *owner, const char *what) {
        size_t len = strlen(sig), cum = strlen(open) + strlen(close);
        unsigned wrap = open[0] == '(' ? 1 : 0;
        const idl_field *at = NULL;
        const char *problem = NULL;

        for (size_t i = 0; i < n && !at; i++) {
                unsigned arrays, structs;

                sig_depths(sigs[i], &arrays, &structs);
                if (arrays > SIG_MAX_ARRAYS)
                        problem = "arrays";
                else if (structs + wrap > SIG_MAX_STRUCTS)
                        problem = "structs";
                if (problem)
                        at = &parts[i];
        }
        if (at) {
                idl_error_at(s->sink, at->type->loc, "signature of %s nests %s deeper than %d", what, problem,
                             problem[0] == 'a' ? SIG_MAX_ARRAYS : SIG_MAX_STRUCTS);
        } else if (len > SIG_MAX_LEN) {
                for (size_t i = 0; i < n && !at; i++) {
                        cum += strlen(sigs[i]);
                        if (cum > SIG_MAX_LEN)
                                at = &parts[i];
                }
                if (!at)
                        at = &parts[n - 1];
                idl_error_at(s->sink, at->type->loc, "signature of %s is too long (%zu bytes, the limit is %d)", what,
                             len, SIG_MAX_LEN);
        } else
                return true;
        if (owner->loc.line != at->type->loc.line || owner->loc.file != at->type->loc.file)
                idl_note_at(s->sink, owner->loc, "'%s' is declared here", owner->name);
        return false;
}

static char *decl_sig(sema *s, idl_typedecl *d, idl_loc ref, unsigned depth);

/* -Wdeprecated: a use of a deprecated declaration `c` at `loc`, outside deprecated code. */
static void warn_deprecated(sema *s, const idl_common *c, const char *what, idl_loc loc) {
        if (c->deprecated_reason)
                idl_warn(s->sink, IDL_W_DEPRECATED, loc, "%s '%s' is deprecated: %s", what, c->name, c->deprecated_reason);
        else
                idl_warn(s->sink, IDL_W_DEPRECATED, loc, "%s '%s' is deprecated", what, c->name);
        idl_note_at(s->sink, c->loc, "'%s' is declared here", c->name);
}

static bool valid_dict_key(const idl_type *k) {
        if (k->kind == IDL_TYPE_NAMED)
                return k->decl && k->decl->kind != IDL_DECL_STRUCT;
        return idl_type_kind_is_basic(k->kind);
}

/* Resolve, check and compute the signature of a written type.  NULL when something is wrong (reported). */
static char *type_sig(sema *s, idl_type *t, idl_interface *scope, unsigned depth) {
        char *sig = NULL;

        if (depth > MAX_SEMA_DEPTH) {
                if (!s->too_deep)
                        idl_error_at(s->sink, t->loc, "type nested too deeply");
                s->too_deep = true;
                return NULL;
        }
        switch (t->kind) {
        case IDL_TYPE_ARRAY: {
                char *e = type_sig(s, t->elem, scope, depth + 1);

                sig = concat_sigs(s, "a", &e, 1, "");
                break;
        }
        case IDL_TYPE_DICT: {
                char *kv[2];

                kv[0] = type_sig(s, t->key, scope, depth + 1);
                kv[1] = type_sig(s, t->elem, scope, depth + 1);
                if (kv[0] && !valid_dict_key(t->key)) {
                        idl_error_at(s->sink, t->key->loc, "dict key must be a basic type, not '%s'",
                                     type_text(s, t->key));
                        kv[0] = NULL;
                }
                sig = concat_sigs(s, "a{", kv, 2, "}");
                break;
        }
        case IDL_TYPE_STRUCT: {
                char **sigs;
                bool ok = t->n_fields > 0;

                sigs = calloc(t->n_fields + 1, sizeof(char *));
                if (!sigs) {
                        s->oom = true;
                        return NULL;
                }
                for (size_t i = 0; i < t->n_fields; i++) {
                        sigs[i] = type_sig(s, t->fields[i].type, scope, depth + 1);
                        ok = ok && sigs[i];
                }
                if (ok)
                        sig = concat_sigs(s, "(", sigs, t->n_fields, ")");
                free(sigs);
                break;
        }
        case IDL_TYPE_NAMED:
                if (!t->decl)
                        t->decl = resolve_type(s, t->name, scope);
                if (!t->decl) {
                        unknown_type(s, t, scope);
                        return NULL;
                }
                if (t->decl->c.deprecated && !s->in_deprecated)
                        warn_deprecated(s, &t->decl->c, decl_kind_word(t->decl), t->loc);
                sig = decl_sig(s, t->decl, t->loc, depth + 1);
                break;
        default: {
                char code[2] = { idl_type_kind_code(t->kind), 0 };

                sig = sdup(s, code);
                break;
        }
        }
        t->signature = sig;
        return sig;
}

static void report_cycle(sema *s, idl_typedecl *d, idl_loc ref) {
        size_t from = 0, len = 0;
        char *chain, *p;

        for (size_t i = 0; i < s->n_stack; i++)
                if (s->stack[i] == d) {
                        from = i;
                        break;
                }
        for (size_t i = from; i < s->n_stack; i++)
                len += strlen(s->stack[i]->c.name) + 4;
        len += strlen(d->c.name) + 1;
        chain = malloc(len);
        if (!chain) {
                s->oom = true;
                return;
        }
        p = chain;
        for (size_t i = from; i < s->n_stack; i++)
                p += sprintf(p, "%s -> ", s->stack[i]->c.name);
        strcpy(p, d->c.name);
        idl_error_at(s->sink, ref, "struct '%s' contains itself: %s", d->c.name, chain);
        free(chain);
}

/* The signature of a declared type, computed once. */
static char *decl_sig(sema *s, idl_typedecl *d, idl_loc ref, unsigned depth) {
        char **sigs, *sig = NULL;
        bool ok = true, saved_deprecated;

        if (d->signature == sig_failed)
                return NULL;
        if (d->signature == sig_busy) {
                report_cycle(s, d, ref);
                return NULL;
        }
        if (d->signature || d->c.loc.file != s->f->path)
                return d->signature;    /* computed (or failed) when its own file was checked */
        if (d->kind != IDL_DECL_STRUCT) {
                char code[2] = { idl_type_kind_code(d->backing), 0 };

                if (d->backing_name) {
                        d->signature = sig_failed;      /* an unknown backing type (reported) */
                        return NULL;
                }
                d->signature = sdup(s, code);
                return d->signature;
        }
        if (depth > MAX_SEMA_DEPTH || s->n_stack >= ELEMENTSOF(s->stack)) {
                if (!s->too_deep)
                        idl_error_at(s->sink, ref, "type nested too deeply");
                s->too_deep = true;
                return NULL;
        }
        if (d->n_fields == 0) {
                d->signature = sig_failed;      /* reported by check_typedecl, or by the parser */
                return NULL;
        }

        sigs = calloc(d->n_fields, sizeof(char *));
        if (!sigs) {
                s->oom = true;
                return NULL;
        }
        d->signature = sig_busy;
        s->stack[s->n_stack++] = d;
        saved_deprecated = s->in_deprecated;
        s->in_deprecated = d->c.deprecated || (d->scope && d->scope->c.deprecated);
        for (size_t i = 0; i < d->n_fields; i++) {
                sigs[i] = type_sig(s, d->fields[i].type, d->scope, depth + 1);
                ok = ok && sigs[i];
        }
        s->in_deprecated = saved_deprecated;
        s->n_stack--;
        if (ok && d->incomplete)
                ok = false;     /* some field did not parse (reported): the signature is unknown */
        if (ok)
                sig = concat_sigs(s, "(", sigs, d->n_fields, ")");
        if (sig) {
                char *what = idl_arena_printf(s->arena, "struct '%s'", d->c.name);

                if (!what)
                        s->oom = true;
                else if (!check_parts_limits(s, sig, sigs, d->fields, d->n_fields, "(", ")", &d->c, what))
                        sig = NULL;
        }
        free(sigs);
        d->signature = sig ? sig : sig_failed;
        return sig;
}

static bool value_fits(idl_type_kind k, bool negative, uint64_t m) {
        uint64_t max_pos, max_neg;

        switch (k) {
        case IDL_TYPE_BYTE:   max_pos = UINT8_MAX;  max_neg = 0; break;
        case IDL_TYPE_INT16:  max_pos = INT16_MAX;  max_neg = (uint64_t) INT16_MAX + 1; break;
        case IDL_TYPE_UINT16: max_pos = UINT16_MAX; max_neg = 0; break;
        case IDL_TYPE_INT32:  max_pos = INT32_MAX;  max_neg = (uint64_t) INT32_MAX + 1; break;
        case IDL_TYPE_UINT32: max_pos = UINT32_MAX; max_neg = 0; break;
        case IDL_TYPE_INT64:  max_pos = INT64_MAX;  max_neg = (uint64_t) INT64_MAX + 1; break;
        default:              max_pos = UINT64_MAX; max_neg = 0; break;
        }
        return negative ? m <= max_neg : m <= max_pos;
}

static void report_same_value(sema *s, const dup_item *later, const dup_item *first, const char *what) {
        idl_error_at(s->sink, later->loc, "enumerator '%s' has the same value (%s) as '%s'", later->name, later->key,
                     first->name);
        idl_note_at(s->sink, first->loc, "'%s' is declared here", first->name);
        (void) what;
}

/*
 * An enum or flags backed by a name ("uint33"): no type of that name is an
 * integer type.  Said as for any unknown type, with the integer type it was
 * probably meant to be; a declared type is named as what it is.
 */
static void unknown_backing(sema *s, idl_typedecl *d) {
        static const char *const integers[] = { "byte", "int16", "uint16", "int32", "uint32", "int64", "uint64" };
        const idl_typedecl *other;
        const char *sugg;

        if (!d->backing_name[0])
                return;         /* a syntax error there, reported */
        other = resolve_type(s, d->backing_name, d->scope);
        sugg = foreign_type_name(d->backing_name);
        if (!sugg)
                sugg = idl_suggest(d->backing_name, integers, ELEMENTSOF(integers));
        if (other) {
                idl_error_at(s->sink, d->backing_loc,
                             "%s '%s' cannot be backed by %s '%s'; use byte, int16, uint16, int32, uint32, int64 or "
                             "uint64",
                             decl_kind_word(d), d->c.name, decl_kind_word(other), other->c.name);
                idl_note_at(s->sink, other->c.loc, "'%s' is declared here", other->c.name);
        } else if (sugg)
                idl_error_at(s->sink, d->backing_loc, "unknown type '%s'; did you mean '%s'?", d->backing_name, sugg);
        else
                idl_error_at(s->sink, d->backing_loc,
                             "unknown type '%s'; %s '%s' can be backed by byte, int16, uint16, int32, uint32, int64 or "
                             "uint64",
                             d->backing_name, decl_kind_word(d), d->c.name);
}

static void check_typedecl(sema *s, idl_typedecl *d) {
        dup_list l = {};

        if (d->kind == IDL_DECL_STRUCT) {
                if (d->n_fields == 0 && !d->incomplete)
                        idl_error_at(s->sink, d->c.loc, "struct '%s' has no fields; D-Bus structs need at least one",
                                     d->c.name);
                check_fields(s, d->fields, d->n_fields, &l);
                dup_run(s, &l, report_redefinition, "field");
                decl_sig(s, d, d->c.loc, 0);
                return;
        }

        if (d->backing_name)
                unknown_backing(s, d);
        else if (!idl_type_kind_is_integer(d->backing))
                idl_error_at(s->sink, d->backing_loc,
                             "%s '%s' cannot be backed by '%s'; use byte, int16, uint16, int32, uint32, int64 or uint64",
                             decl_kind_word(d), d->c.name, idl_type_kind_name(d->backing));
        if (d->n_values == 0 && !d->incomplete)
                idl_error_at(s->sink, d->c.loc, "%s '%s' has no values", decl_kind_word(d), d->c.name);

        for (size_t i = 0; i < d->n_values; i++) {
                idl_enumerator *e = &d->values[i];

                /* at the value: the name is not what is wrong (an implicit value's loc is the name's) */
                if (!d->backing_name && idl_type_kind_is_integer(d->backing) &&
                    !value_fits(d->backing, e->negative, e->magnitude))
                        idl_error_at(s->sink, e->value_loc.line ? e->value_loc : e->loc,
                                     "value %s%" PRIu64 " of '%s' does not fit '%s'", e->negative ? "-" : "",
                                     e->magnitude, e->name, idl_type_kind_name(d->backing));
                dup_add(s, &l, e->name, e->name, e->loc);
        }
        dup_run(s, &l, report_redefinition, "enumerator");

        for (size_t i = 0; i < d->n_values; i++) {
                idl_enumerator *e = &d->values[i];
                char *v = idl_arena_printf(s->arena, "%s%" PRIu64, e->negative ? "-" : "", e->magnitude);

                if (!v) {
                        s->oom = true;
                        break;
                }
                dup_add(s, &l, v, e->name, e->loc);
        }
        dup_run(s, &l, report_same_value, NULL);
        decl_sig(s, d, d->c.loc, 0);
}

/* The signatures of an argument list, concatenated and checked; NULL if anything is wrong. */
static char *args_sig(sema *s, idl_field *args, size_t n, idl_interface *it, const idl_common *owner,
                      const char *what) {
        char **sigs, *sig = NULL;
        bool ok = true;

        sigs = calloc(n + 1, sizeof(char *));
        if (!sigs) {
                s->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < n; i++) {
                sigs[i] = type_sig(s, args[i].type, it, 0);
                ok = ok && sigs[i];
        }
        if (ok)
                sig = concat_sigs(s, "", sigs, n, "");
        if (sig && !check_parts_limits(s, sig, sigs, args, n, "", "", owner, what))
                sig = NULL;
        free(sigs);
        return sig;
}

static void check_method(sema *s, idl_interface *it, idl_method *m) {
        char *what;

        what = idl_arena_printf(s->arena, "the inputs of '%s'", m->c.name);
        if (what)
                m->in_signature = args_sig(s, m->in, m->n_in, it, &m->c, what);
        what = idl_arena_printf(s->arena, "the outputs of '%s'", m->c.name);
        if (what)
                m->out_signature = args_sig(s, m->out, m->n_out, it, &m->c, what);
        if (!what)
                s->oom = true;

        for (size_t j = 0; j < m->n_raises; j++) {
                idl_raise *r = &m->raises[j];

                for (size_t k = 0; k < it->n_errors && !r->error; k++)
                        if (strcmp(it->errors[k].c.name, r->name) == 0)
                                r->error = &it->errors[k];
                if (!r->error) {
                        const char **cands, *sugg = NULL;
                        const idl_typedecl *d;

                        if (idl_keyword_lookup(r->name, strlen(r->name)) != TOK_IDENT) {
                                idl_error_at(s->sink, r->loc, "'%s' is a %s, not an error", r->name,
                                             TOK_IS_TYPE_KEYWORD(idl_keyword_lookup(r->name, strlen(r->name)))
                                                     ? "type" : "keyword");
                                continue;
                        }
                        d = resolve_type(s, r->name, it);
                        if (d) {
                                idl_error_at(s->sink, r->loc, "'%s' is %s %s, not an error", r->name,
                                             d->kind == IDL_DECL_ENUM ? "an" : "a", decl_kind_word(d));
                                idl_note_at(s->sink, d->c.loc, "'%s' is declared here", d->c.name);
                                continue;
                        }
                        cands = malloc((it->n_errors + 1) * sizeof(char *));
                        if (cands) {
                                for (size_t k = 0; k < it->n_errors; k++)
                                        cands[k] = it->errors[k].c.name;
                                sugg = idl_suggest(r->name, cands, it->n_errors);
                                free(cands);
                        }
                        if (sugg)
                                idl_error_at(s->sink, r->loc, "unknown error '%s' in raises; did you mean '%s'?",
                                             r->name, sugg);
                        else
                                idl_error_at(s->sink, r->loc, "unknown error '%s' in raises", r->name);
                        /* errors are local to their interface: one of another is not in scope */
                        for (size_t k = 0; k < s->f->n_interfaces; k++) {
                                const idl_interface *o = &s->f->interfaces[k];
                                bool found = false;

                                for (size_t q = 0; o != it && q < o->n_errors && !found; q++)
                                        if (strcmp(o->errors[q].c.name, r->name) == 0) {
                                                idl_note_at(s->sink, o->errors[q].c.loc,
                                                            "'%s' is an error of interface '%s'; an interface raises "
                                                            "only its own errors",
                                                            r->name, o->c.name);
                                                found = true;
                                        }
                                if (found)
                                        break;
                        }
                        continue;
                }
                for (size_t k = 0; k < j; k++)
                        if (m->raises[k].error == r->error) {
                                idl_error_at(s->sink, r->loc, "error '%s' is listed twice in raises", r->name);
                                break;
                        }
                if (r->error->c.deprecated && !s->in_deprecated)
                        warn_deprecated(s, &r->error->c, "error", r->loc);
        }
}

static void check_signal(sema *s, idl_interface *it, idl_signal *sg) {
        char *what = idl_arena_printf(s->arena, "'%s'", sg->c.name);

        if (!what) {
                s->oom = true;
                return;
        }
        sg->signature = args_sig(s, sg->args, sg->n_args, it, &sg->c, what);
}

static void check_property(sema *s, idl_interface *it, idl_property *q) {
        char *sig = type_sig(s, q->type, it, 0), *what;

        if (!sig)
                return;
        what = idl_arena_printf(s->arena, "'%s'", q->c.name);
        if (!what)
                s->oom = true;
        else if (!check_sig_limits(s, sig, q->type->loc, what)) {
                if (q->type->loc.line != q->c.loc.line)
                        idl_note_at(s->sink, q->c.loc, "'%s' is declared here", q->c.name);
                q->type->signature = NULL;
        }
}

static void check_members(sema *s, idl_interface *it) {
        member_ref *members;
        size_t n;

        members = members_in_order(s, it, &n);
        for (size_t k = 0; k < n; k++) {
                size_t i = members[k].index;

                if (members[k].kind == MEMBER_METHOD) {
                        s->in_deprecated = it->c.deprecated || it->methods[i].c.deprecated;
                        check_method(s, it, &it->methods[i]);
                } else if (members[k].kind == MEMBER_SIGNAL) {
                        s->in_deprecated = it->c.deprecated || it->signals[i].c.deprecated;
                        check_signal(s, it, &it->signals[i]);
                } else if (members[k].kind == MEMBER_PROPERTY) {
                        s->in_deprecated = it->c.deprecated || it->properties[i].c.deprecated;
                        check_property(s, it, &it->properties[i]);
                }
        }
        s->in_deprecated = false;
        free(members);
}

/* ---- the pass ---- */

int idl_check(idl_file *f, idl_diag_sink *sink) {
        sema *s;
        dup_list l = {};
        int r = 0;

        if (!f)
                return -EINVAL;
        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->f = f;
        s->arena = f->arena;
        s->sink = sink;
        s->scopes = HASHMAP_INIT(&pointer_hash_ops);
        s->interfaces = HASHMAP_INIT(&string_hash_ops);
        if (f->n_imports > 0) {
                s->import_used = calloc(f->n_imports, sizeof(bool));
                if (!s->import_used) {
                        free(s);
                        return -ENOMEM;
                }
        }

        /* what did not parse was reported, and is no declaration here: the file is not empty for that */
        if (f->n_types == 0 && f->n_interfaces == 0 && f->n_imports == 0 && !f->syntax_errors)
                idl_warn(sink, IDL_W_EMPTY_FILE, ((idl_loc) { .file = f->path }), "file contains no declarations");

        /* annotations, default names, name syntax */
        for (size_t i = 0; i < f->n_types; i++)
                annotate_typedecl(s, f->types[i]);
        for (size_t i = 0; i < f->n_interfaces; i++)
                annotate_interface(s, &f->interfaces[i]);

        /* duplicates */
        for (size_t i = 0; i < f->n_interfaces; i++)
                dup_add(s, &l, f->interfaces[i].c.name, f->interfaces[i].c.name, f->interfaces[i].c.loc);
        dup_run(s, &l, report_redefinition, "interface");
        check_type_names(s, f->types, f->n_types);
        check_imported_names(s);
        for (size_t i = 0; i < f->n_interfaces; i++)
                check_interface_names(s, &f->interfaces[i]);

        /* types, then members: resolution, signatures, limits */
        for (size_t i = 0; i < f->n_types; i++)
                check_typedecl(s, f->types[i]);
        for (size_t i = 0; i < f->n_interfaces; i++)
                for (size_t j = 0; j < f->interfaces[i].n_types; j++)
                        check_typedecl(s, f->interfaces[i].types[j]);
        for (size_t i = 0; i < f->n_interfaces; i++)
                check_members(s, &f->interfaces[i]);


        for (size_t i = 0; i < f->n_imports && !f->syntax_errors; i++)
                if (f->imports[i].file && !s->import_used[i])
                        idl_warn(sink, IDL_W_UNUSED_IMPORT, f->imports[i].loc,
                                 "nothing from imported file '%s' is used", f->imports[i].path);

        /* no markers are left behind */
        for (size_t i = 0; i < f->n_types; i++)
                if (f->types[i]->signature == sig_failed || f->types[i]->signature == sig_busy)
                        f->types[i]->signature = NULL;
        for (size_t i = 0; i < f->n_interfaces; i++)
                for (size_t j = 0; j < f->interfaces[i].n_types; j++) {
                        idl_typedecl *d = f->interfaces[i].types[j];

                        if (d->signature == sig_failed || d->signature == sig_busy)
                                d->signature = NULL;
                }

        if (s->oom)
                r = -ENOMEM;
        void *names;
        for (size_t i = 0; hashmap_iterate(&s->scopes, &i, NULL, &names);) {
                hashmap_clear(names);
                free(names);
        }
        hashmap_clear(&s->scopes);
        hashmap_clear(&s->interfaces);
        free(s->import_used);
        free(s);
        return r;
}

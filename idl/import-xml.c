/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/import-xml.c — D-Bus introspection XML (parsed with expat) turned into .idl text */

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hashmap.h"
#include "idl/idl.h"
#include "idl/import.h"

/*
 * The importer builds a small model of the document while expat reads it,
 * checks it (names, signatures, directions, access), and prints .idl text
 * that the ordinary front end then parses: `dbidlc FILE.xml` therefore
 * generates exactly what the printed .idl would.
 */

typedef struct xannot {
        char *name;
        char *value;
} xannot;

typedef struct xarg {
        char *name;
        char *type;
        bool out;
        xannot *annots;
        size_t n_annots;
        char *comment;                  /* an XML comment right before the element */
        char *xmldoc;                   /* the text of a <doc:doc> element inside it */
        unsigned line, col;
} xarg;

typedef enum xkind {
        XM_METHOD,
        XM_SIGNAL,
        XM_PROPERTY,
} xkind;

typedef struct xmember {
        xkind kind;
        char *name;
        char *type;                     /* property */
        char *access;                   /* property: read, write, readwrite */
        xarg *args;
        size_t n_args;
        xannot *annots;
        size_t n_annots;
        char *comment;                  /* an XML comment right before the element */
        char *xmldoc;                   /* the text of a <doc:doc> element inside it */
        unsigned line, col;
        char *c_name;                   /* set when a collision forces @c_name */
        char *idl_name;                 /* a property whose name is no member name: its IDL name, the XML name
                                         * going to @dbus_name (print_iface); NULL: the name is the IDL name */
} xmember;

typedef struct xiface {
        char *name;
        xmember *members;
        size_t n_members;
        hashmap member_index[3];        /* by xkind: name → position in members, for the duplicate check */
        xannot *annots;
        size_t n_annots;
        char *comment;
        char *xmldoc;
        unsigned line, col;
} xiface;

struct idl_importer {
        const char *path;
        idl_diag_sink *sink;
        XML_Parser parser;
        xiface *ifaces;
        size_t n_ifaces;
        hashmap iface_index;            /* name → position in ifaces: the interfaces seen so far */
        xiface *cur_iface;
        xmember *cur_member;
        xarg *cur_arg;
        unsigned depth;                 /* element nesting */
        unsigned skip_depth;            /* inside an element we ignore (0: none) */
        char *pending_comment;
        unsigned doc_depth;             /* inside <doc:doc> (0: no) */
        char *doc_text;                 /* its text so far */
        size_t doc_len, doc_cap;
        bool oom;
        unsigned errors;
        bool skip_standard;             /* leave out org.freedesktop.DBus.* (live services carry them) */
        char **children;                /* names of the root node's child <node>s in the last document */
        size_t n_children;
        idl_origin_mark *marks;         /* idl_import_options.ret_origins; NULL: not wanted */
        size_t n_marks;
        bool want_marks;
};
typedef struct idl_importer importer;

static char *xstrdup(importer *im, const char *s) {
        char *c = strdup(s ? s : "");
        if (!c)
                im->oom = true;
        return c;
}

/*
 * Room for element n (zeroed) in an array of n elements of `elsize` bytes:
 * the array doubles when n is 0 or a power of two, so that n appends cost
 * O(n) in all.  The new array, or NULL (im->oom set; arr is unchanged).
 */
static void *xgrow(importer *im, void *arr, size_t n, size_t elsize) {
        void *p = arr;
        if ((n & (n - 1)) == 0) {
                p = reallocarray(arr, n ? 2 * n : 1, elsize);
                if (!p) {
                        im->oom = true;
                        return NULL;
                }
        }
        memset((char *) p + n * elsize, 0, elsize);
        return p;
}

static idl_loc here(importer *im) {
        return (idl_loc) { .file = im->path,
                           .line = (unsigned) XML_GetCurrentLineNumber(im->parser),
                           .col = (unsigned) XML_GetCurrentColumnNumber(im->parser) + 1,
                           .len = 1 };
}

static void error_at(importer *im, idl_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(importer *im, idl_loc loc, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        idl_diagv(im->sink, IDL_SEVERITY_ERROR, loc, fmt, ap);
        va_end(ap);
        im->errors++;
}

static const char *attr(const XML_Char **atts, const char *name) {
        for (size_t i = 0; atts[i]; i += 2)
                if (strcmp(atts[i], name) == 0)
                        return atts[i + 1];
        return NULL;
}

/* ---- signatures ---- */

/* Length of the single complete type at `s` (0 if invalid), checking nesting as the D-Bus specification does. */
static size_t complete_type(const char *s, unsigned arrays, unsigned structs) {
        if (arrays > 32 || structs > 32)
                return 0;
        switch (*s) {
        case 'y': case 'b': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'd':
        case 's': case 'o': case 'g': case 'h': case 'v':
                return 1;
        case 'a': {
                if (s[1] == '{') {
                        /* a dict entry: a basic key, any value */
                        if (!strchr("ybnqiuxtdsogh", s[2]) || !s[2])
                                return 0;
                        size_t v = complete_type(s + 3, arrays + 1, structs + 1);
                        if (!v || s[3 + v] != '}')
                                return 0;
                        return 4 + v;
                }
                size_t e = complete_type(s + 1, arrays + 1, structs);
                return e ? 1 + e : 0;
        }
        case '(': {
                size_t n = 1;
                if (s[1] == ')')
                        return 0;
                while (s[n] && s[n] != ')') {
                        size_t m = complete_type(s + n, arrays, structs + 1);
                        if (!m)
                                return 0;
                        n += m;
                }
                return s[n] == ')' ? n + 1 : 0;
        }
        default:
                return 0;
        }
}

static bool single_complete_type(const char *s) {
        size_t n = s && *s ? complete_type(s, 0, 0) : 0;
        return n > 0 && s[n] == '\0' && n <= 255;
}

/* Print the IDL spelling of the single complete type at *s, advancing *s. */
static void print_type(FILE *out, const char **s) {
        static const char *const basic[128] = {
                ['y'] = "byte",   ['b'] = "bool",     ['n'] = "int16",     ['q'] = "uint16", ['i'] = "int32",
                ['u'] = "uint32", ['x'] = "int64",    ['t'] = "uint64",    ['d'] = "double", ['s'] = "string",
                ['o'] = "objpath", ['g'] = "signature", ['h'] = "fd",     ['v'] = "variant",
                ['H'] = "blob", /* a position org.dbidl.Blob marks (blob_type()) */
        };
        char c = **s;
        if (c == 'a' && (*s)[1] == '{') {
                *s += 2;
                fputs("dict<", out);
                print_type(out, s);
                fputs(", ", out);
                print_type(out, s);
                fputs(">", out);
                (*s)++; /* '}' */
                return;
        }
        if (c == 'a') {
                (*s)++;
                print_type(out, s);
                fputs("[]", out);
                return;
        }
        if (c == '(') {
                (*s)++;
                fputs("(", out);
                for (bool first = true; **s != ')'; first = false) {
                        if (!first)
                                fputs(", ", out);
                        print_type(out, s);
                }
                (*s)++;
                fputs(")", out);
                return;
        }
        fputs(basic[(unsigned char) c], out);
        (*s)++;
}

static const char BLOB[] = "org.dbidl.Blob";

/*
 * Whether `value` of an org.dbidl.Blob annotation marks blobs in the valid
 * signature `type`: the same signature with one or more 'h' written 'H'
 * (docs/outputs.md, "xml"), none of them a dict key, which a blob cannot be.
 */
static bool blob_marking(const char *type, const char *value) {
        bool any = false;
        if (!type || !value || strlen(type) != strlen(value) || !single_complete_type(type))
                return false;
        for (size_t i = 0; type[i]; i++) {
                if (value[i] == type[i])
                        continue;
                if (value[i] != 'H' || type[i] != 'h' || (i > 0 && type[i - 1] == '{'))
                        return false;
                any = true;
        }
        return any;
}

/* The signature to print for `type`: the valid org.dbidl.Blob marking among the annotations, else `type`. */
static const char *blob_type(const char *type, const xannot *a, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(a[i].name, BLOB) == 0 && blob_marking(type, a[i].value))
                        return a[i].value;
        return type;
}

/* Whether annotation `a` is a blob marking the printed type says already (and is not passed through). */
static bool is_blob_annotation(const xannot *a, const char *type) {
        return strcmp(a->name, BLOB) == 0 && blob_marking(type, a->value);
}

/* ---- names ---- */

static bool valid_member_name(const char *s) {
        if (!s || !*s || strlen(s) > 255 || isdigit((unsigned char) *s))
                return false;
        for (const char *p = s; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '_')
                        return false;
        return true;
}

/*
 * A property name as GDBus accepts and serves it, as the front end's
 * @dbus_name takes it: a member name that may also contain '-'
 * (xdg-desktop-portal's "disable-printing").  Such a property is imported
 * under an IDL name of its own with @dbus_name (idl_names).
 */
static bool valid_property_name(const char *s) {
        if (!s || !*s || strlen(s) > 255 || isdigit((unsigned char) *s))
                return false;
        for (const char *p = s; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '_' && *p != '-')
                        return false;
        return true;
}

static bool valid_interface_name(const char *s) {
        if (!s || strlen(s) > 255)
                return false;
        unsigned elements = 0;
        for (const char *p = s; *p;) {
                if (isdigit((unsigned char) *p) || *p == '.')
                        return false;
                while (*p && *p != '.') {
                        if (!isalnum((unsigned char) *p) && *p != '_')
                                return false;
                        p++;
                }
                elements++;
                if (*p == '.') {
                        p++;
                        if (!*p)
                                return false;
                }
        }
        return elements >= 2;
}

/* An argument name as an identifier: invalid characters become '_', a leading digit gets "arg". */
static char *arg_identifier(importer *im, const char *name, size_t index) {
        char *s;
        if (!name || !*name) {
                if (asprintf(&s, "arg%zu", index) < 0)
                        s = NULL;
        } else {
                bool digit = isdigit((unsigned char) name[0]);
                if (asprintf(&s, "%s%s", digit ? "arg" : "", name) < 0)
                        s = NULL;
                for (char *p = s; p && *p; p++)
                        if (!isalnum((unsigned char) *p) && *p != '_')
                                *p = '_';
        }
        if (!s)
                im->oom = true;
        return s;
}

/* ---- expat callbacks ---- */

static void take_comment(importer *im, char **dst) {
        free(*dst);
        *dst = im->pending_comment;
        im->pending_comment = NULL;
}

static void add_annotation(importer *im, xannot **arr, size_t *n, const char *name, const char *value) {
        xannot *a = xgrow(im, *arr, *n, sizeof(xannot));
        if (!a)
                return;
        *arr = a;
        a[*n].name = xstrdup(im, name);
        a[*n].value = xstrdup(im, value);
        (*n)++;
}

static void on_start(void *userdata, const XML_Char *el, const XML_Char **atts) {
        importer *im = userdata;
        im->depth++;
        if (im->skip_depth)
                return;
        idl_loc loc = here(im);
        const char *name = attr(atts, "name");

        if (strcmp(el, "node") == 0) {
                free(im->pending_comment);
                im->pending_comment = NULL;
                if (im->depth == 2 && name && *name) {
                        char **c = xgrow(im, im->children, im->n_children, sizeof(char *));
                        if (!c)
                                return;
                        im->children = c;
                        im->children[im->n_children] = xstrdup(im, name);
                        if (im->children[im->n_children])
                                im->n_children++;
                }
                return;
        }
        if (strcmp(el, "interface") == 0) {
                if (im->cur_iface) {
                        error_at(im, loc, "<interface> inside another <interface>");
                        im->skip_depth = im->depth;
                        return;
                }
                if (!name) {
                        error_at(im, loc, "<interface> without a 'name' attribute");
                        im->skip_depth = im->depth;
                        return;
                }
                if (!valid_interface_name(name))
                        error_at(im, loc, "'%s' is not a valid D-Bus interface name", name);
                bool seen = hashmap_contains(&im->iface_index, name);
                if (seen || (im->skip_standard && strncmp(name, "org.freedesktop.DBus.", 21) == 0)) {
                        /* found at several paths: the first definition stands for all */
                        im->skip_depth = im->depth;
                        return;
                }
                xiface *arr = xgrow(im, im->ifaces, im->n_ifaces, sizeof(xiface));
                if (!arr)
                        return;
                im->ifaces = arr;
                im->cur_iface = &im->ifaces[im->n_ifaces++];
                im->cur_iface->name = xstrdup(im, name);
                for (size_t k = 0; k < 3; k++)
                        im->cur_iface->member_index[k] = HASHMAP_INIT(&string_hash_ops);
                if (im->cur_iface->name &&
                    hashmap_put(&im->iface_index, im->cur_iface->name, (void *) (uintptr_t) (im->n_ifaces - 1),
                                NULL) < 0)
                        im->oom = true;
                im->cur_iface->line = loc.line;
                im->cur_iface->col = loc.col;
                take_comment(im, &im->cur_iface->comment);
                return;
        }
        if (strcmp(el, "method") == 0 || strcmp(el, "signal") == 0 || strcmp(el, "property") == 0) {
                if (!im->cur_iface || im->cur_member) {
                        error_at(im, loc, "<%s> outside an <interface>", el);
                        im->skip_depth = im->depth;
                        return;
                }
                if (!name) {
                        error_at(im, loc, "<%s> without a 'name' attribute", el);
                        im->skip_depth = im->depth;
                        return;
                }
                xkind kind = el[0] == 'm' ? XM_METHOD : el[0] == 's' ? XM_SIGNAL : XM_PROPERTY;
                if (kind == XM_PROPERTY ? !valid_property_name(name) : !valid_member_name(name))
                        error_at(im, loc, "'%s' is not a valid D-Bus %s name", name,
                                 kind == XM_PROPERTY ? "property" : "member");
                xiface *it = im->cur_iface;
                void *first;
                if (hashmap_get(&it->member_index[kind], name, &first)) {
                        error_at(im, loc, "%s '%s' is defined twice in interface '%s' (first at line %u)", el, name,
                                 it->name, it->members[(uintptr_t) first].line);
                        im->skip_depth = im->depth;
                        return;
                }
                xmember *arr = xgrow(im, it->members, it->n_members, sizeof(xmember));
                if (!arr)
                        return;
                it->members = arr;
                xmember *m = &it->members[it->n_members++];
                m->kind = el[0] == 'm' ? XM_METHOD : el[0] == 's' ? XM_SIGNAL : XM_PROPERTY;
                m->name = xstrdup(im, name);
                if (m->name && hashmap_put(&it->member_index[kind], m->name, (void *) (uintptr_t) (it->n_members - 1),
                                           NULL) < 0)
                        im->oom = true;
                m->line = loc.line;
                m->col = loc.col;
                take_comment(im, &m->comment);
                im->cur_member = m;
                if (m->kind == XM_PROPERTY) {
                        const char *type = attr(atts, "type"), *access = attr(atts, "access");
                        if (!type)
                                error_at(im, loc, "<property> '%s' without a 'type' attribute", name);
                        else if (!single_complete_type(type))
                                error_at(im, loc, "'%s' is not a valid single complete D-Bus type (property '%s')",
                                         type, name);
                        if (!access)
                                error_at(im, loc, "<property> '%s' without an 'access' attribute", name);
                        else if (strcmp(access, "read") != 0 && strcmp(access, "write") != 0 &&
                                 strcmp(access, "readwrite") != 0)
                                error_at(im, loc,
                                         "unknown access '%s' of property '%s' (read, write or readwrite)", access,
                                         name);
                        m->type = xstrdup(im, type);
                        m->access = xstrdup(im, access);
                }
                return;
        }
        if (strcmp(el, "arg") == 0) {
                xmember *m = im->cur_member;
                if (!m || m->kind == XM_PROPERTY) {
                        error_at(im, loc, "<arg> outside a <method> or <signal>");
                        im->skip_depth = im->depth;
                        return;
                }
                const char *type = attr(atts, "type"), *direction = attr(atts, "direction");
                if (!type)
                        error_at(im, loc, "<arg> of '%s' without a 'type' attribute", m->name);
                else if (!single_complete_type(type))
                        error_at(im, loc, "'%s' is not a valid single complete D-Bus type (argument of '%s')", type,
                                 m->name);
                bool out = m->kind == XM_SIGNAL;
                if (direction) {
                        if (m->kind == XM_SIGNAL && strcmp(direction, "out") != 0)
                                error_at(im, loc, "signal '%s' has an argument with direction '%s'; signal "
                                                  "arguments have no direction",
                                         m->name, direction);
                        else if (strcmp(direction, "out") == 0)
                                out = true;
                        else if (strcmp(direction, "in") != 0)
                                error_at(im, loc, "unknown direction '%s' (in or out)", direction);
                }
                xarg *arr = xgrow(im, m->args, m->n_args, sizeof(xarg));
                if (!arr)
                        return;
                m->args = arr;
                xarg *a = &m->args[m->n_args++];
                a->name = name ? xstrdup(im, name) : NULL;
                a->type = xstrdup(im, type);
                a->out = out;
                a->line = loc.line;
                a->col = loc.col;
                take_comment(im, &a->comment);
                im->cur_arg = a;
                return;
        }
        if (strcmp(el, "annotation") == 0) {
                const char *value = attr(atts, "value");
                if (!name || !value) {
                        error_at(im, loc, "<annotation> needs 'name' and 'value' attributes");
                        return;
                }
                if (im->cur_arg)
                        add_annotation(im, &im->cur_arg->annots, &im->cur_arg->n_annots, name, value);
                else if (im->cur_member)
                        add_annotation(im, &im->cur_member->annots, &im->cur_member->n_annots, name, value);
                else if (im->cur_iface)
                        add_annotation(im, &im->cur_iface->annots, &im->cur_iface->n_annots, name, value);
                return;
        }
        if (strcmp(el, "doc:doc") == 0 && !im->doc_depth && (im->cur_member || im->cur_iface)) {
                /* the documentation of the enclosing argument, member or interface (the old doc.dtd format) */
                im->doc_depth = im->depth;
                return;
        }
        if (im->doc_depth)
                return; /* doc:para, doc:description, …: only their text counts */
        /* anything else (extensions) is skipped with its children */
        im->skip_depth = im->depth;
}

/* Append n bytes to the <doc:doc> text, its room doubling as needed (the text comes a character at a time). */
static void doc_append(importer *im, const char *s, size_t n) {
        if (im->doc_len + n + 1 > im->doc_cap) {
                size_t cap = im->doc_cap ? im->doc_cap : 64;
                while (cap < im->doc_len + n + 1)
                        cap *= 2;
                char *p = realloc(im->doc_text, cap);
                if (!p) {
                        im->oom = true;
                        return;
                }
                im->doc_text = p;
                im->doc_cap = cap;
        }
        memcpy(im->doc_text + im->doc_len, s, n);
        im->doc_len += n;
        im->doc_text[im->doc_len] = '\0';
}

/* Character data inside <doc:doc>: whitespace runs become one space, paragraphs a blank line. */
static void on_text(void *userdata, const XML_Char *s, int len) {
        importer *im = userdata;
        if (!im->doc_depth || im->skip_depth)
                return;
        for (int i = 0; i < len; i++) {
                if (isspace((unsigned char) s[i])) {
                        if (im->doc_len > 0 && !isspace((unsigned char) im->doc_text[im->doc_len - 1]))
                                doc_append(im, " ", 1);
                } else
                        doc_append(im, &s[i], 1);
        }
}

/* Finish the text of a <doc:doc>: trimmed, or NULL if empty. */
static char *doc_finish(importer *im) {
        char *t = im->doc_text;
        size_t n = im->doc_len;
        im->doc_text = NULL;
        im->doc_len = im->doc_cap = 0;
        if (!t)
                return NULL;
        while (n > 0 && isspace((unsigned char) t[n - 1]))
                t[--n] = '\0';
        size_t start = 0;
        while (t[start] == ' ' || t[start] == '\n')
                start++;
        if (!t[start]) {
                free(t);
                return NULL;
        }
        if (start)
                memmove(t, t + start, n - start + 1);
        return t;
}

static void on_end(void *userdata, const XML_Char *el) {
        importer *im = userdata;
        if (im->doc_depth && !im->skip_depth) {
                if (im->depth == im->doc_depth) {
                        char **dst = im->cur_arg      ? &im->cur_arg->xmldoc
                                     : im->cur_member ? &im->cur_member->xmldoc
                                                      : &im->cur_iface->xmldoc;
                        free(*dst);
                        *dst = doc_finish(im);
                        im->doc_depth = 0;
                } else if (strcmp(el, "doc:para") == 0 && im->doc_len > 0) {
                        /* trim the paragraph's end and separate it from the next one */
                        while (im->doc_len > 0 && im->doc_text[im->doc_len - 1] == ' ')
                                im->doc_text[--im->doc_len] = '\0';
                        doc_append(im, "\n\n", 2);
                }
                im->depth--;
                return;
        }
        if (im->skip_depth) {
                if (im->depth == im->skip_depth)
                        im->skip_depth = 0;
                im->depth--;
                return;
        }
        im->depth--;
        if (strcmp(el, "arg") == 0)
                im->cur_arg = NULL;
        else if (strcmp(el, "method") == 0 || strcmp(el, "signal") == 0 || strcmp(el, "property") == 0)
                im->cur_member = NULL;
        else if (strcmp(el, "interface") == 0)
                im->cur_iface = NULL;
        free(im->pending_comment);
        im->pending_comment = NULL;
}

static bool blank_line(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!isspace((unsigned char) s[i]))
                        return false;
        return true;
}

/*
 * A comment's text as documentation, malloc'd: the indentation its lines
 * have in common removed, as Python's textwrap.dedent does (blank lines do
 * not count, nor does the first line, which starts right after "<!--",
 * wherever that is in the line), then trimmed.  Without this, a comment
 * indented with the XML keeps that indentation in the doc comment.  NULL
 * for a comment without a letter or digit (rulers of stars and dashes
 * document nothing), and when out of memory (im->oom set).
 */
static char *comment_doc(importer *im, const char *data) {
        size_t n = strlen(data);
        bool words = false;
        for (size_t i = 0; i < n && !words; i++)
                words = isalnum((unsigned char) data[i]);
        if (!words)
                return NULL;

        const char *common = NULL;      /* the indentation of the lines after the first */
        size_t common_len = 0;
        for (const char *l = strchr(data, '\n'); l; l = strchr(l, '\n')) {
                l++;
                size_t len = strcspn(l, "\n"), ind = 0;
                if (blank_line(l, len))
                        continue;
                while (l[ind] == ' ' || l[ind] == '\t')
                        ind++;
                if (!common) {
                        common = l;
                        common_len = ind;
                } else {
                        size_t k = 0;
                        while (k < common_len && k < ind && common[k] == l[k])
                                k++;
                        common_len = k;
                }
        }

        char *out = malloc(n + 1);
        if (!out) {
                im->oom = true;
                return NULL;
        }
        size_t o = 0;
        for (const char *l = data;; l++) {
                size_t len = strcspn(l, "\n");
                if (l != data) {
                        out[o++] = '\n';
                        if (blank_line(l, len)) {
                                l += len;
                                len = 0;
                        } else {
                                l += common_len;
                                len -= common_len;
                        }
                }
                memcpy(out + o, l, len);
                o += len;
                l += len;
                if (!*l)
                        break;
        }
        out[o] = '\0';

        /* trimmed: the first line's leading space too, and the line breaks around the text */
        size_t start = 0;
        while (o > 0 && isspace((unsigned char) out[o - 1]))
                out[--o] = '\0';
        while (isspace((unsigned char) out[start]))
                start++;
        memmove(out, out + start, o - start + 1);
        return out;
}

static void on_comment(void *userdata, const XML_Char *data) {
        importer *im = userdata;
        /* the last comment before an element documents it */
        free(im->pending_comment);
        im->pending_comment = comment_doc(im, data);
}

/* ---- output ---- */

static const char *annot_value(const xannot *a, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(a[i].name, name) == 0)
                        return a[i].value;
        return NULL;
}

/* Doc text: the DocString annotation, else DocString.Short, else <doc:doc>, else an XML comment. */
static const char *doc_of(const xannot *a, size_t n, const char *xmldoc, const char *comment) {
        const char *d = annot_value(a, n, "org.gtk.GDBus.DocString");
        if (!d)
                d = annot_value(a, n, "org.gtk.GDBus.DocString.Short");
        if (!d)
                d = xmldoc;
        return d ? d : comment;
}

static void print_doc(FILE *out, const char *indent, const char *doc) {
        if (!doc || !*doc)
                return;
        fprintf(out, "%s/**\n", indent);
        const char *p = doc;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                /* keep the text, defusing comment terminators */
                fprintf(out, "%s *%s", indent, n ? " " : "");
                for (size_t i = 0; i < n; i++) {
                        fputc(p[i], out);
                        if (p[i] == '*' && i + 1 < n && p[i + 1] == '/')
                                fputc(' ', out);
                }
                fputc('\n', out);
                p += n;
                if (*p == '\n')
                        p++;
        }
        fprintf(out, "%s */\n", indent);
}

static void print_string(FILE *out, const char *s) {
        fputc('"', out);
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        fprintf(out, "\\%c", c);
                else if (c == '\n')
                        fputs("\\n", out);
                else if (c == '\t')
                        fputs("\\t", out);
                else if (c < 0x20)
                        fprintf(out, "\\x%02x", c);
                else
                        fputc(c, out);
        }
        fputc('"', out);
}

static bool is_true(const char *v) {
        return v && strcmp(v, "true") == 0;
}

static const char EMITS[] = "org.freedesktop.DBus.Property.EmitsChangedSignal";

/*
 * An EmitsChangedSignal value as the word of @emits, or NULL where @emits
 * cannot say it: an unknown value, or "const" on a property that can be
 * written (sd-bus refuses SD_BUS_VTABLE_PROPERTY_CONST there, and so does
 * the front end).
 */
static const char *emits_word(const xmember *m, const char *value) {
        if (strcmp(value, "true") == 0)
                return "change";
        if (strcmp(value, "invalidates") == 0)
                return "invalidates";
        if (strcmp(value, "false") == 0)
                return "none";
        if (strcmp(value, "const") == 0 && m->access && strcmp(m->access, "read") == 0)
                return "const";
        return NULL;
}

/* @annotation("name", "value") and a space. */
static void print_pass_through(FILE *out, const char *name, const char *value) {
        fputs("@annotation(", out);
        print_string(out, name);
        fputs(", ", out);
        print_string(out, value);
        fputs(") ", out);
}

/* snake_case as the front end derives C names (idl_snake_case). */
static char *snake(importer *im, const char *s) {
        char *r = idl_snake_case(s);
        if (!r)
                im->oom = true;
        return r;
}

static void property_emits(const xiface *it, const xmember *m, const char **ret_emits, const char **ret_kept);

/* The annotations of a member as IDL annotations (`it`: its interface, for EmitsChangedSignal). */
static void print_annotations(importer *im, FILE *out, const xannot *a, size_t n, const xmember *m,
                              const xiface *it) {
        int outputs = -1; /* whether the method has outputs; -1: not looked at yet */
        for (size_t i = 0; i < n; i++) {
                const char *name = a[i].name, *value = a[i].value;
                if (strcmp(name, "org.gtk.GDBus.DocString") == 0 || strcmp(name, "org.gtk.GDBus.DocString.Short") == 0)
                        continue;
                if (strcmp(name, "org.freedesktop.DBus.Deprecated") == 0 && is_true(value)) {
                        fputs("@deprecated ", out);
                        continue;
                }
                if (strcmp(name, "org.gtk.GDBus.Since") == 0) {
                        fputs("@since(", out);
                        print_string(out, value);
                        fputs(") ", out);
                        continue;
                }
                if (strcmp(name, "org.gtk.GDBus.C.Name") == 0 && m && !m->c_name) {
                        char *c = snake(im, value);
                        if (c && valid_member_name(c) && c[0] != '_') {
                                fputs("@c_name(", out);
                                print_string(out, c);
                                fputs(") ", out);
                                free(c);
                                continue;
                        }
                        free(c);
                }
                if (strcmp(name, "org.freedesktop.DBus.Method.NoReply") == 0 && m && m->kind == XM_METHOD &&
                    is_true(value)) {
                        /* looked at once, however often the annotation is repeated */
                        if (outputs < 0) {
                                outputs = 0;
                                for (size_t k = 0; k < m->n_args && !outputs; k++)
                                        outputs = m->args[k].out;
                        }
                        if (!outputs) {
                                fputs("@noreply ", out);
                                continue;
                        }
                }
                /* one @emits says it, after the loop; a value it cannot say stays an @annotation */
                if (strcmp(name, EMITS) == 0 && m && m->kind == XM_PROPERTY && emits_word(m, value))
                        continue;
                /* a property's blob marking is said by its type, `blob` */
                if (m && m->kind == XM_PROPERTY && is_blob_annotation(&a[i], m->type))
                        continue;
                print_pass_through(out, name, value);
        }
        if (m && m->kind == XM_PROPERTY) {
                const char *emits, *kept;
                property_emits(it, m, &emits, &kept);
                if (kept)
                        print_pass_through(out, EMITS, kept);
                if (strcmp(emits, "change") != 0)
                        fprintf(out, "@emits(%s) ", emits);
        }
}

static bool is_doc_annotation(const char *name) {
        return strcmp(name, "org.gtk.GDBus.DocString") == 0 || strcmp(name, "org.gtk.GDBus.DocString.Short") == 0;
}

/* A parameter's doc comment on a line of its own: one line for a one-line text, else as a member's. */
static void print_param_doc(FILE *out, const char *indent, const char *doc) {
        if (!doc || !*doc)
                return;
        if (strchr(doc, '\n')) {
                print_doc(out, indent, doc);
                return;
        }
        fprintf(out, "%s/** ", indent);
        for (const char *p = doc; *p; p++) {
                fputc(*p, out);
                if (p[0] == '*' && p[1] == '/')
                        fputc(' ', out); /* defuse comment terminators, as print_doc() does */
        }
        fputs(" */\n", out);
}

/* Whether an argument has documentation or annotations: they put its member's parameters one per line. */
static bool arg_has_extras(const xarg *a) {
        const char *d = doc_of(a->annots, a->n_annots, a->xmldoc, a->comment);
        if (d && *d)
                return true;
        for (size_t i = 0; i < a->n_annots; i++)
                if (!is_doc_annotation(a->annots[i].name) && !is_blob_annotation(&a->annots[i], a->type))
                        return true;
        return false;
}

/* What is written to `out` from here on comes from line:col of the document (idl_import_options.ret_origins). */
static void mark(importer *im, FILE *out, unsigned line, unsigned col) {
        if (!im->want_marks)
                return;
        long off = ftell(out);
        if (off < 0)
                return;
        idl_origin_mark *m = xgrow(im, im->marks, im->n_marks, sizeof(*m));
        if (!m)
                return;
        im->marks = m;
        im->marks[im->n_marks++] = (idl_origin_mark) { .offset = (size_t) off, .line = line, .col = col };
}

/*
 * A method's inputs or outputs, or a signal's arguments, between the
 * parentheses.  `vertical`: one per line, each after its doc comment and
 * with its annotations, all as @annotation, the only one a parameter takes.
 */
static void print_args(importer *im, FILE *out, const xmember *m, bool outs, char **names, bool vertical) {
        static const char indent[] = "                ";
        bool first = true;
        for (size_t i = 0; i < m->n_args; i++) {
                const xarg *a = &m->args[i];
                if (a->out != outs)
                        continue;
                mark(im, out, a->line, a->col);
                if (vertical) {
                        fputs(first ? "\n" : ",\n", out);
                        print_param_doc(out, indent, doc_of(a->annots, a->n_annots, a->xmldoc, a->comment));
                        fputs(indent, out);
                        for (size_t k = 0; k < a->n_annots; k++)
                                if (!is_doc_annotation(a->annots[k].name) &&
                                    !is_blob_annotation(&a->annots[k], a->type))
                                        print_pass_through(out, a->annots[k].name, a->annots[k].value);
                } else if (!first)
                        fputs(", ", out);
                first = false;
                fprintf(out, "%s: ", names[i]);
                const char *s = a->type;
                if (s && single_complete_type(s) && (s = blob_type(s, a->annots, a->n_annots)))
                        print_type(out, &s);
                else
                        fputs("variant", out);
        }
        mark(im, out, m->line, m->col);
        /* the ')' back at the member's indentation */
        if (vertical && !first)
                fputs("\n        ", out);
}

/*
 * A set of strings (common/hashmap.h) that owns copies of them, for the names
 * already taken in a scope; each name can carry a counter (the next number
 * to try after it, for unique_name()).
 */
typedef struct name_set {
        hashmap names;
} name_set;

#define NAME_SET_INIT ((name_set) { .names = HASHMAP_INIT(&string_hash_ops) })

static bool name_set_contains(const name_set *set, const char *s) {
        return hashmap_contains(&set->names, s);
}

/* Add a copy of `s`: 0 (also when it is there already), or -ENOMEM. */
static int name_set_add(name_set *set, const char *s) {
        if (name_set_contains(set, s))
                return 0;
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        int r = hashmap_put(&set->names, copy, NULL, NULL);
        if (r < 0)
                free(copy);
        return r < 0 ? r : 0;
}

static void name_set_free(name_set *set) {
        const void *key;
        for (size_t i = 0; hashmap_iterate(&set->names, &i, &key, NULL);)
                free((void *) key);
        hashmap_clear(&set->names);
}

/*
 * A name not in `taken` (a set of names it borrows): `base` itself if it is
 * free (consumed: returned, or freed), else base + suffix, else base + suffix
 * + "2", "3", …, the first that is free, as a new string (NULL: out of
 * memory).  `counters` remembers per base + suffix the next number to try,
 * so that n repeats of one name cost O(n) in all, not O(n²).  Does not add
 * the result to `taken`.
 */
static char *unique_name(const hashmap *taken, name_set *counters, char *base, const char *suffix) {
        if (!hashmap_contains(taken, base))
                return base;
        char *stem, *n = NULL;
        int r = asprintf(&stem, "%s%s", base, suffix);
        free(base);
        if (r < 0)
                return NULL;
        if (!hashmap_contains(taken, stem))
                return stem;
        void *next = (void *) (uintptr_t) 2;
        (void) hashmap_get(&counters->names, stem, &next);
        for (uintptr_t k = (uintptr_t) next;; k++) {
                if (asprintf(&n, "%s%" PRIuPTR, stem, k) < 0) {
                        n = NULL;
                        break;
                }
                if (!hashmap_contains(taken, n)) {
                        if (name_set_add(counters, stem) < 0 ||
                            !hashmap_update(&counters->names, stem, (void *) (k + 1))) {
                                free(n);
                                n = NULL;
                        }
                        break;
                }
                free(n);
        }
        free(stem);
        return n;
}

/*
 * Unique argument names for a member: arg0… for missing ones, and for a name
 * used before in its scope (inputs and outputs are two scopes) the name with
 * "_in" or "_out" appended, then with a number after that ("_in2", "_in3",
 * …), the first that is free.  O(n) in the number of arguments.
 */
static char **member_arg_names(importer *im, const xmember *m) {
        char **names = calloc(m->n_args + 1, sizeof(char *));
        hashmap taken[2] = { HASHMAP_INIT(&string_hash_ops), HASHMAP_INIT(&string_hash_ops) }; /* borrow names[i] */
        name_set counters = NAME_SET_INIT;
        if (!names) {
                im->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < m->n_args && !im->oom; i++) {
                bool out = m->args[i].out;
                /* unnamed arguments are numbered by their position in the member: arg0, arg1, … */
                char *id = arg_identifier(im, m->args[i].name, i);
                char *n = id ? unique_name(&taken[out], &counters, id, out ? "_out" : "_in") : NULL;
                names[i] = n;
                if (!n || hashmap_put(&taken[out], n, NULL, NULL) < 0)
                        im->oom = true;
        }
        hashmap_clear(&taken[0]);
        hashmap_clear(&taken[1]);
        name_set_free(&counters);
        return names;
}

static void free_names(char **names, size_t n) {
        for (size_t i = 0; names && i < n; i++)
                free(names[i]);
        free(names);
}

/*
 * How a property's EmitsChangedSignal is written in the .idl.  The value in
 * effect is the property's own annotation's, else its interface's, else
 * "true" (the specification's default).  The .idl has no interface-wide
 * @emits, so the interface's value is applied to every property that does
 * not say otherwise, and the interface itself does not keep it.
 * *ret_emits: the @emits word the property gets ("change", the default, is
 * not written).  *ret_kept (if not NULL): an inherited value that @emits
 * cannot say, to keep on the property as @annotation, or NULL (the
 * property's own such value stays an @annotation where it was written).
 * Where the property's own value cannot be said (a writable "const"),
 * @emits follows the interface's value, the nearest the .idl can get.
 */
static void property_emits(const xiface *it, const xmember *m, const char **ret_emits, const char **ret_kept) {
        const char *own = annot_value(m->annots, m->n_annots, EMITS);
        const char *inherited = annot_value(it->annots, it->n_annots, EMITS);
        const char *w = emits_word(m, own ? own : inherited ? inherited : "true");
        if (ret_kept)
                *ret_kept = !own && inherited && !w ? inherited : NULL;
        if (!w && own && inherited)
                w = emits_word(m, inherited);
        *ret_emits = w ? w : "change";
}

/*
 * The key under which a member's C names can collide (docs/c-api.md): every
 * role has a verb of its own (P_call_m, P_emit_m, P_get_m, …), so only two
 * members of one kind with one C name meet (GetFoo and get_foo).  Writes
 * the key, kind and name, to `out`.
 */
static void member_key(const xmember *m, const char *c, char out[300]) {
        static const char kind[] = { [XM_METHOD] = 'm', [XM_SIGNAL] = 's', [XM_PROPERTY] = 'p' };
        snprintf(out, 300, "%c:%s", kind[m->kind], c);
}

static char *member_c_name(importer *im, const xmember *m) {
        if (m->c_name)
                return xstrdup(im, m->c_name);
        const char *cn = annot_value(m->annots, m->n_annots, "org.gtk.GDBus.C.Name");
        return snake(im, cn ? cn : m->idl_name ? m->idl_name : m->name);
}

/*
 * Give @c_name("<name>_<kind>") to each member whose C names would be
 * another member's of the same kind (member_key).  One pass over the members
 * with a set of the names taken: linear in the size of the interface.
 */
static void resolve_collisions(importer *im, xiface *it) {
        static const char *const kind_word[] = { "method", "signal", "property" };
        name_set taken = NAME_SET_INIT;
        for (size_t i = 0; i < it->n_members && !im->oom; i++) {
                char key[300];
                for (int attempt = 0; attempt < 8; attempt++) {
                        char *c = member_c_name(im, &it->members[i]);
                        if (!c)
                                break;
                        member_key(&it->members[i], c, key);
                        if (!name_set_contains(&taken, key)) {
                                free(c);
                                break;
                        }
                        char *renamed;
                        if (asprintf(&renamed, "%s_%s", c, kind_word[it->members[i].kind]) < 0)
                                renamed = NULL;
                        free(c);
                        if (!renamed) {
                                im->oom = true;
                                break;
                        }
                        free(it->members[i].c_name);
                        it->members[i].c_name = renamed;
                }
                if (name_set_add(&taken, key) < 0)
                        im->oom = true;
        }
        name_set_free(&taken);
}

/*
 * The UpperCamelCase of a property name that is no member name, for its IDL
 * name: the parts between '-' and '_', each with a capital first letter
 * ("disable-printing" → DisablePrinting).  "Property" goes in front of what
 * would not start with a letter ("-9" → Property9, "-" → Property).
 * malloc'd, or NULL (im->oom set).
 */
static char *camel_name(importer *im, const char *name) {
        char *r = malloc(strlen(name) + sizeof("Property")), *o = r;
        if (!r) {
                im->oom = true;
                return NULL;
        }
        if (!isalpha((unsigned char) name[strspn(name, "-_")]))
                o = stpcpy(o, "Property");
        bool up = true;
        for (const char *p = name; *p; p++) {
                if (*p == '-' || *p == '_') {
                        up = true;
                        continue;
                }
                *o++ = up ? (char) toupper((unsigned char) *p) : *p;
                up = false;
        }
        *o = '\0';
        return r;
}

/*
 * IDL names for the properties whose names are no member names (GDBus's
 * "disable-printing"): the UpperCamelCase of the name, the name itself going
 * to @dbus_name.  A name the interface already has (a property really called
 * DisablePrinting, which keeps it) gets "_property" appended, as a clash of
 * C names does (resolve_collisions), then a number ("_property2", …), the
 * first that is free.
 */
static void idl_names(importer *im, xiface *it) {
        name_set taken = NAME_SET_INIT, counters = NAME_SET_INIT;
        for (size_t i = 0; i < it->n_members; i++)
                if (it->members[i].kind == XM_PROPERTY && valid_member_name(it->members[i].name) &&
                    name_set_add(&taken, it->members[i].name) < 0)
                        im->oom = true;
        for (size_t i = 0; i < it->n_members && !im->oom; i++) {
                xmember *m = &it->members[i];
                if (m->kind != XM_PROPERTY || valid_member_name(m->name))
                        continue;
                char *camel = camel_name(im, m->name);
                char *n = camel ? unique_name(&taken.names, &counters, camel, "_property") : NULL;
                if (!n || name_set_add(&taken, n) < 0) {
                        free(n);
                        im->oom = true;
                        break;
                }
                free(m->idl_name);
                m->idl_name = n;
        }
        name_set_free(&taken);
        name_set_free(&counters);
}

static void print_member(importer *im, FILE *out, xiface *it, xmember *m) {
        mark(im, out, m->line, m->col);
        print_doc(out, "        ", doc_of(m->annots, m->n_annots, m->xmldoc, m->comment));
        fputs("        ", out);
        if (m->idl_name) {
                /* the name on the wire, first: it is what the member is */
                fputs("@dbus_name(", out);
                print_string(out, m->name);
                fputs(") ", out);
        }
        if (m->c_name) {
                fputs("@c_name(", out);
                print_string(out, m->c_name);
                fputs(") ", out);
        }
        print_annotations(im, out, m->annots, m->n_annots, m, it);
        if (m->kind == XM_PROPERTY) {
                const char *access = !m->access                          ? "readwrite"
                                     : strcmp(m->access, "read") == 0  ? "readonly"
                                     : strcmp(m->access, "write") == 0 ? "writeonly"
                                                                       : "readwrite";
                fprintf(out, "property %s %s: ", access, m->idl_name ? m->idl_name : m->name);
                const char *s = m->type;
                if (s && single_complete_type(s) && (s = blob_type(s, m->annots, m->n_annots)))
                        print_type(out, &s);
                else
                        fputs("variant", out);
                fputs(";\n", out);
                return;
        }
        char **names = member_arg_names(im, m);
        if (!names)
                return;
        /* documented or annotated arguments: one per line, so that the signature stays readable */
        bool vertical = false;
        for (size_t k = 0; k < m->n_args && !vertical; k++)
                vertical = arg_has_extras(&m->args[k]);
        fprintf(out, "%s %s(", m->kind == XM_METHOD ? "method" : "signal", m->name);
        print_args(im, out, m, m->kind == XM_SIGNAL, names, vertical);
        fputs(")", out);
        if (m->kind == XM_METHOD) {
                bool outputs = false;
                for (size_t k = 0; k < m->n_args; k++)
                        outputs = outputs || m->args[k].out;
                if (outputs) {
                        fputs(" -> (", out);
                        print_args(im, out, m, true, names, vertical);
                        fputs(")", out);
                }
        }
        fputs(";\n", out);
        free_names(names, m->n_args);
}

static void print_iface(importer *im, FILE *out, xiface *it) {
        idl_names(im, it);
        resolve_collisions(im, it);
        mark(im, out, it->line, it->col);
        print_doc(out, "", doc_of(it->annots, it->n_annots, it->xmldoc, it->comment));
        /*
         * no @c_prefix: the front end's default, the whole interface name, is unique on a desktop, and
         * dbidlc --c-prefix/--c-namespace choose another; GDBus's C.Name is kept as the annotation it is.
         * Interface annotations other than the documentation and EmitsChangedSignal, which each property
         * carries (property_emits): kept here too, it would override what a property says for itself
         * when written back
         */
        for (size_t i = 0; i < it->n_annots; i++) {
                const char *name = it->annots[i].name, *value = it->annots[i].value;
                if (strcmp(name, "org.gtk.GDBus.DocString") == 0 || strcmp(name, "org.gtk.GDBus.DocString.Short") == 0 ||
                    strcmp(name, EMITS) == 0)
                        continue;
                if (strcmp(name, "org.freedesktop.DBus.Deprecated") == 0 && is_true(value))
                        fputs("@deprecated ", out);
                else if (strcmp(name, "org.gtk.GDBus.Since") == 0) {
                        fputs("@since(", out);
                        print_string(out, value);
                        fputs(") ", out);
                } else
                        print_pass_through(out, name, value);
        }
        fprintf(out, "interface %s {\n", it->name);
        static const xkind order[] = { XM_METHOD, XM_SIGNAL, XM_PROPERTY };
        for (size_t k = 0; k < 3; k++)
                for (size_t i = 0; i < it->n_members; i++)
                        if (it->members[i].kind == order[k])
                                print_member(im, out, it, &it->members[i]);
        fputs("}\n", out);
}

static void free_annots(xannot *a, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(a[i].name);
                free(a[i].value);
        }
        free(a);
}

static void importer_free(importer *im) {
        for (size_t i = 0; i < im->n_ifaces; i++) {
                xiface *it = &im->ifaces[i];
                for (size_t j = 0; j < it->n_members; j++) {
                        xmember *m = &it->members[j];
                        for (size_t k = 0; k < m->n_args; k++) {
                                xarg *a = &m->args[k];
                                free(a->name);
                                free(a->type);
                                free_annots(a->annots, a->n_annots);
                                free(a->comment);
                                free(a->xmldoc);
                        }
                        free(m->args);
                        free_annots(m->annots, m->n_annots);
                        free(m->name);
                        free(m->type);
                        free(m->access);
                        free(m->comment);
                        free(m->xmldoc);
                        free(m->c_name);
                        free(m->idl_name);
                }
                free(it->members);
                for (size_t k = 0; k < 3; k++)
                        hashmap_clear(&it->member_index[k]);
                free_annots(it->annots, it->n_annots);
                free(it->name);
                free(it->comment);
                free(it->xmldoc);
        }
        free(im->ifaces);
        hashmap_clear(&im->iface_index);
        free(im->pending_comment);
        free(im->doc_text);
}

int idl_importer_new(idl_diag_sink *sink, bool skip_standard, idl_importer **ret) {
        if (!ret)
                return -EINVAL;
        importer *im = calloc(1, sizeof(*im));
        if (!im)
                return -ENOMEM;
        im->sink = sink;
        im->skip_standard = skip_standard;
        im->iface_index = HASHMAP_INIT(&string_hash_ops);
        *ret = im;
        return 0;
}

idl_importer *idl_importer_free(idl_importer *im) {
        if (!im)
                return NULL;
        importer_free(im);
        free(im->marks);
        for (size_t i = 0; i < im->n_children; i++)
                free(im->children[i]);
        free(im->children);
        free(im);
        return NULL;
}

int idl_importer_add(idl_importer *im, const char *path, const char *text, size_t len) {
        if (!im || !path || (!text && len))
                return -EINVAL;
        for (size_t i = 0; i < im->n_children; i++)
                free(im->children[i]);
        im->n_children = 0;
        im->path = path;
        im->depth = im->skip_depth = im->doc_depth = 0;
        im->cur_iface = NULL;
        im->cur_member = NULL;
        im->cur_arg = NULL;
        /* D-Bus introspection data is UTF-8 whatever the declaration says (python-dbus writes 'utf8') */
        im->parser = XML_ParserCreate("UTF-8");
        if (!im->parser)
                return -ENOMEM;
        (void) idl_diag_add_source(im->sink, path, text, len);
        XML_SetUserData(im->parser, im);
        XML_SetElementHandler(im->parser, on_start, on_end);
        XML_SetCommentHandler(im->parser, on_comment);
        XML_SetCharacterDataHandler(im->parser, on_text);

        if (len > INT32_MAX || XML_Parse(im->parser, text ? text : "", (int) len, 1) == XML_STATUS_ERROR) {
                idl_loc loc = { .file = path,
                                .line = (unsigned) XML_GetCurrentLineNumber(im->parser),
                                .col = (unsigned) XML_GetCurrentColumnNumber(im->parser) + 1,
                                .len = 1 };
                error_at(im, loc, "malformed XML: %s",
                         len > INT32_MAX ? "the file is too large"
                                         : XML_ErrorString(XML_GetErrorCode(im->parser)));
        }
        XML_ParserFree(im->parser);
        im->parser = NULL;
        free(im->pending_comment);
        im->pending_comment = NULL;
        free(im->doc_text);
        im->doc_text = NULL;
        im->doc_len = im->doc_cap = 0;
        return im->oom ? -ENOMEM : 0;
}

size_t idl_importer_get_children(const idl_importer *im, const char *const **ret) {
        if (ret)
                *ret = (const char *const *) im->children;
        return im->n_children;
}

int idl_importer_write(idl_importer *im, const idl_import_options *o, FILE *out) {
        if (!im || !out)
                return -EINVAL;
        if (im->errors == 0 && im->n_ifaces == 0) {
                idl_loc loc = { .file = o && o->source_name ? o->source_name : im->path, .line = 1, .col = 1, .len = 1 };
                error_at(im, loc, "no <interface> in this document");
        }
        if (im->errors > 0)
                return 0;
        im->want_marks = o && o->ret_origins && o->ret_n_origins;
        if (!o || !o->no_banner)
                fprintf(out, "// Imported from %s by dbidlc %s: edit freely.\n\n",
                        o && o->source_name ? o->source_name : im->path, PACKAGE_VERSION);
        for (size_t i = 0; i < im->n_ifaces; i++) {
                if (i > 0)
                        fputc('\n', out);
                print_iface(im, out, &im->ifaces[i]);
        }
        if (im->oom)
                return -ENOMEM;
        if (fflush(out) == EOF)
                return -errno;
        if (im->want_marks) {
                *o->ret_origins = im->marks;
                *o->ret_n_origins = im->n_marks;
                im->marks = NULL;
                im->n_marks = 0;
                im->want_marks = false;
        }
        return 0;
}

int idl_import_xml(const char *path, const char *text, size_t len, const idl_import_options *o, idl_diag_sink *sink,
                   FILE *out) {
        if (!path || (!text && len) || !out)
                return -EINVAL;
        importer *im;
        int r = idl_importer_new(sink, false, &im);
        if (r < 0)
                return r;
        r = idl_importer_add(im, path, text, len);
        if (r >= 0)
                r = idl_importer_write(im, o, out);
        idl_importer_free(im);
        return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/json.c — JSON ↔ sd-bus messages: yajl reads and writes the JSON, sd-bus the wire (docs/json.md) */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dbidl/json.h>

#include "common/signature.h"
#include "runtime/util.h"
#include "runtime/variant-internal.h"
#include "runtime/yajl-dl.h"

/*
 * Input goes in two steps: yajl's callbacks build a small tree of the
 * document (numbers kept as their text, so 64-bit integers stay exact), then
 * the tree is walked along the signature and appended through sd-bus.  The
 * tree is needed because an object's members come in any order (arguments
 * by name, a variant's "type" after its "data").  Both steps are bounded by
 * DBIDL_JSON_DEPTH_MAX, so recursion is too.
 */

/* ---- the document tree --------------------------------------------------- */

typedef enum jkind {
        J_NULL,
        J_BOOL,
        J_NUMBER,
        J_STRING,
        J_ARRAY,
        J_OBJECT,
} jkind;

typedef struct jnode jnode;
struct jnode {
        jkind kind;
        bool b;
        char *text;             /* J_NUMBER, J_STRING: NUL-terminated copy */
        size_t len;             /* its length (a string may hold a NUL) */
        jnode **items;          /* J_ARRAY, J_OBJECT */
        char **keys;            /* J_OBJECT, parallel to items */
        size_t n, alloc;
        jnode *parent;
};

static void jnode_free(jnode *j) {
        if (!j)
                return;
        for (size_t k = 0; k < j->n; k++) {
                jnode_free(j->items[k]);
                if (j->keys)
                        free(j->keys[k]);
        }
        free(j->items);
        free(j->keys);
        free(j->text);
        free(j);
}
DEFINE_TRIVIAL_CLEANUP_FUNC(jnode *, jnode_free)

typedef struct parser {
        jnode *root;
        jnode *cur;             /* the open container */
        char *key;              /* the pending key of an object member */
        unsigned depth;
        unsigned depth_max;
        int error;              /* -ENOMEM or -EBADMSG (too deep) when a callback stopped the parse */
} parser;

static int parser_add(parser *p, jnode *j) {
        jnode *c = p->cur;

        if (!c) {
                assert(!p->root);
                p->root = j;
                return 1;
        }
        if (c->n == c->alloc) {
                size_t a = c->alloc ? c->alloc * 2 : 4;
                jnode **items = reallocarray(c->items, a, sizeof(jnode *));
                if (!items)
                        goto oom;
                c->items = items;
                if (c->kind == J_OBJECT) {
                        char **keys = reallocarray(c->keys, a, sizeof(char *));
                        if (!keys)
                                goto oom;
                        c->keys = keys;
                }
                c->alloc = a;
        }
        c->items[c->n] = j;
        if (c->kind == J_OBJECT)
                c->keys[c->n] = TAKE_PTR(p->key);
        c->n++;
        j->parent = c;
        return 1;
oom:
        jnode_free(j);
        p->error = -ENOMEM;
        return 0;
}

static jnode *jnode_new(parser *p, jkind kind, const char *text, size_t len) {
        jnode *j = calloc(1, sizeof(jnode));

        if (!j)
                goto oom;
        j->kind = kind;
        if (text) {
                j->text = malloc(len + 1);
                if (!j->text)
                        goto oom;
                memcpy(j->text, text, len);
                j->text[len] = 0;
                j->len = len;
        }
        return j;
oom:
        free(j);
        p->error = -ENOMEM;
        return NULL;
}

static int on_null(void *ctx) {
        parser *p = ctx;
        jnode *j = jnode_new(p, J_NULL, NULL, 0);
        return j ? parser_add(p, j) : 0;
}

static int on_boolean(void *ctx, int b) {
        parser *p = ctx;
        jnode *j = jnode_new(p, J_BOOL, NULL, 0);
        if (!j)
                return 0;
        j->b = b;
        return parser_add(p, j);
}

static int on_number(void *ctx, const char *s, size_t len) {
        parser *p = ctx;
        jnode *j = jnode_new(p, J_NUMBER, s, len);
        return j ? parser_add(p, j) : 0;
}

static int on_string(void *ctx, const unsigned char *s, size_t len) {
        parser *p = ctx;
        jnode *j = jnode_new(p, J_STRING, (const char *) s, len);
        return j ? parser_add(p, j) : 0;
}

static int open_container(parser *p, jkind kind) {
        jnode *j;

        if (p->depth >= p->depth_max) {
                p->error = -EBADMSG;
                return 0;
        }
        j = jnode_new(p, kind, NULL, 0);
        if (!j || !parser_add(p, j))
                return 0;
        p->cur = j;
        p->depth++;
        return 1;
}

static int close_container(parser *p) {
        assert(p->cur);
        p->cur = p->cur->parent;
        p->depth--;
        return 1;
}

static int on_start_map(void *ctx) {
        return open_container(ctx, J_OBJECT);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len) {
        parser *p = ctx;

        free(p->key);
        p->key = malloc(len + 1);
        if (!p->key) {
                p->error = -ENOMEM;
                return 0;
        }
        memcpy(p->key, s, len);
        p->key[len] = 0;
        return 1;
}

static int on_end(void *ctx) {
        return close_container(ctx);
}

static int on_start_array(void *ctx) {
        return open_container(ctx, J_ARRAY);
}

static const yajl_callbacks callbacks = {
        .yajl_null = on_null,
        .yajl_boolean = on_boolean,
        .yajl_number = on_number,       /* the text itself: no precision lost to doubles */
        .yajl_string = on_string,
        .yajl_start_map = on_start_map,
        .yajl_map_key = on_map_key,
        .yajl_end_map = on_end,
        .yajl_start_array = on_start_array,
        .yajl_end_array = on_end,
};

static bool is_blank(const char *s, size_t len) {
        for (size_t k = 0; k < len; k++)
                if (!strchr(" \t\r\n", s[k]) || s[k] == 0)
                        return false;
        return true;
}

/* Parse `json` into a tree; on failure describe it on `error`. */
static int parse_json(const char *json, size_t len, unsigned depth_max, sd_bus_error *error, jnode **ret) {
        parser p = { .depth_max = depth_max };
        yajl_handle h;
        yajl_status st;
        bool at_end = false;
        int r = 0;

        r = yajl_dl_open(error);
        if (r < 0)
                return r;
        h = yj.alloc(&callbacks, NULL, &p);
        if (!h)
                return -ENOMEM;

        st = yj.parse(h, (const unsigned char *) json, len);
        if (st == yajl_status_ok) {
                st = yj.complete_parse(h);
                at_end = true;
        }
        if (st != yajl_status_ok && !p.root && !p.error && is_blank(json, len)) {
                sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "$: not JSON: empty document");
                r = -EBADMSG;
        } else if (st != yajl_status_ok) {
                if (p.error == -ENOMEM)
                        r = -ENOMEM;
                else if (p.error == -EBADMSG) {
                        sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                          "$: JSON nested deeper than %d levels (at byte %zu)",
                                          DBIDL_JSON_DEPTH_MAX, yj.get_bytes_consumed(h));
                        r = -EBADMSG;
                } else {
                        unsigned char *msg = yj.get_error(h, 0, (const unsigned char *) json, len);
                        size_t l = msg ? strlen((char *) msg) : 0;
                        while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
                                msg[--l] = 0;
                        sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "$: not JSON: %s (at byte %zu of %zu)",
                                          msg ? (char *) msg : "parse error",
                                          at_end ? len : yj.get_bytes_consumed(h), len);
                        if (msg)
                                yj.free_error(h, msg);
                        r = -EBADMSG;
                }
        } else if (!p.root) {
                sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "$: not JSON: empty document");
                r = -EBADMSG;
        }
        yj.free(h);
        free(p.key);
        if (r < 0) {
                jnode_free(p.root);
                return r;
        }
        *ret = p.root;
        return 0;
}

/* ---- locations and messages ---------------------------------------------- */

/*
 * Struct field names: a signature may name the members of its structs, each
 * member's type preceded by <NAME> ("a(<id>i<label>s)"; docs/json.md,
 * "Struct fields").  The plain signature is what is left without them; the
 * names are kept by the offset of the member's type in the plain signature,
 * so a walk along the plain signature finds them in O(1).  A type reached
 * through a variant is not part of the signature and has no names.
 */
#define FIELD_NAME_MAX 255

typedef struct fieldsig {
        char plain[SIGNATURE_MAX + 1];
        size_t len;
        bool any;                               /* some struct has names */
        const char *name[SIGNATURE_MAX + 1];    /* at a member's offset: its name (not NUL-terminated) or NULL */
        uint8_t name_len[SIGNATURE_MAX + 1];
} fieldsig;

static bool is_name_char(char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* Split `s` into the plain signature and the names: 0, or -EINVAL for a misplaced or malformed name. */
static int fieldsig_strip(const char *s, fieldsig *f) {
        size_t n = 0;

        f->len = 0;
        f->any = false;
        f->plain[0] = 0;
        memset(f->name, 0, sizeof(f->name));
        while (*s) {
                if (*s == '<') {
                        const char *q = ++s;
                        while (is_name_char(*s, s == q))
                                s++;
                        if (*s != '>' || s == q || s - q > FIELD_NAME_MAX || f->name[n])
                                return -EINVAL;
                        f->name[n] = q;
                        f->name_len[n] = (uint8_t) (s - q);
                        f->any = true;
                        s++;
                        continue;
                }
                if (n >= SIGNATURE_MAX)
                        return -EINVAL;
                f->plain[n++] = *s++;
        }
        f->plain[n] = 0;
        f->len = n;
        return 0;
}


/*
 * With f->plain valid: every name stands before a member of a struct, a
 * struct names all of its members or none, and no two alike.  0 or -EINVAL.
 * Work: each struct's members once, and pairs of names within one struct
 * (at most SIGNATURE_MAX of them).
 */
static int fieldsig_check(const fieldsig *f) {
        bool member[SIGNATURE_MAX + 1] = { false };

        if (!f->any)
                return 0;
        for (size_t i = 0; i < f->len; i++) {
                size_t count = 0, named = 0;

                if (f->plain[i] != '(')
                        continue;
                for (size_t p = i + 1; f->plain[p] != ')'; p += signature_type_len(f->plain + p)) {
                        member[p] = true;
                        count++;
                        if (!f->name[p])
                                continue;
                        named++;
                        for (size_t q = i + 1; q < p; q += signature_type_len(f->plain + q))
                                if (f->name_len[q] == f->name_len[p] &&
                                    memcmp(f->name[q], f->name[p], f->name_len[p]) == 0)
                                        return -EINVAL;
                }
                if (named != 0 && named != count)
                        return -EINVAL;
        }
        for (size_t i = 0; i <= f->len; i++)
                if (f->name[i] && !member[i])
                        return -EINVAL;
        return 0;
}

/* The name of the struct member whose type is at `t`, if `t` lies in f's plain signature and it has one. */
static const char *field_name(const fieldsig *f, const char *t, size_t *ret_len) {
        size_t off;

        if (!f || !f->any || t < f->plain || t >= f->plain + f->len)
                return NULL;
        off = (size_t) (t - f->plain);
        *ret_len = f->name_len[off];
        return f->name[off];
}

typedef struct appender {
        sd_bus_message *m;
        sd_bus_error *error;
        strbuf path;            /* "$.options.timeout" */
        unsigned depth;         /* D-Bus containers open */
        const fieldsig *fields; /* struct field names, by offset in the plain signature; NULL: none */
} appender;

static bool is_identifier(const char *s) {
        if (!*s || (*s >= '0' && *s <= '9'))
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
                        return false;
        return true;
}

/* A short JSON-ish quotation of `s` for messages: at most 40 characters, control characters escaped. */
static void quote(strbuf *sb, const char *s, size_t len) {
        size_t shown = len > 40 ? 40 : len;

        strbuf_puts(sb, "\"");
        for (size_t k = 0; k < shown; k++) {
                unsigned char c = (unsigned char) s[k];
                if (c == '"' || c == '\\')
                        strbuf_printf(sb, "\\%c", c);
                else if (c < 0x20 || c == 0x7f)
                        strbuf_printf(sb, "\\u%04x", c);
                else
                        strbuf_append(sb, (const char *) &c, 1);
        }
        strbuf_puts(sb, len > shown ? "\"…" : "\"");
}

static void path_push_key(appender *a, const char *key) {
        if (is_identifier(key)) {
                strbuf_puts(&a->path, ".");
                strbuf_puts(&a->path, key);
        } else {
                strbuf_puts(&a->path, "[");
                quote(&a->path, key, strlen(key));
                strbuf_puts(&a->path, "]");
        }
}

/* The decimal text of -mag (neg) or mag, at the end of buf (24 bytes): the hot paths' integers without printf. */
static const char *fmt_int(char buf[static 24], bool neg, uint64_t mag) {
        char *p = buf + 23;

        *p = 0;
        do {
                *--p = (char) ('0' + mag % 10);
                mag /= 10;
        } while (mag);
        if (neg)
                *--p = '-';
        return p;
}

static const char *fmt_signed(char buf[static 24], int64_t v) {
        return fmt_int(buf, v < 0, v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v);
}

static void path_push_index(appender *a, size_t i) {
        char buf[24];

        strbuf_puts(&a->path, "[");
        strbuf_puts(&a->path, fmt_int(buf, false, i));
        strbuf_puts(&a->path, "]");
}

static void path_pop(appender *a, size_t len) {
        if (a->path.error >= 0 && a->path.buf) {
                a->path.len = len;
                a->path.buf[len] = 0;
        }
}

static void describe_json(strbuf *sb, const jnode *j) {
        switch (j->kind) {
        case J_NULL:
                strbuf_puts(sb, "null");
                break;
        case J_BOOL:
                strbuf_puts(sb, j->b ? "boolean true" : "boolean false");
                break;
        case J_NUMBER:
                strbuf_printf(sb, "number %.40s%s", j->text, j->len > 40 ? "…" : "");
                break;
        case J_STRING:
                strbuf_puts(sb, "string ");
                quote(sb, j->text, j->len);
                break;
        case J_ARRAY:
                strbuf_printf(sb, "array of %zu", j->n);
                break;
        case J_OBJECT:
                strbuf_puts(sb, "object");
                break;
        }
}

/* The name of the single complete type starting at `t` (of length `len`) for messages: "uint32", "array \"as\"". */
static void describe_type(strbuf *sb, const char *t, size_t len) {
        static const struct {
                char code;
                const char *name;
        } names[] = {
                { 'y', "byte" },   { 'b', "boolean" }, { 'n', "int16" },       { 'q', "uint16" },
                { 'i', "int32" },  { 'u', "uint32" },  { 'x', "int64" },       { 't', "uint64" },
                { 'd', "double" }, { 's', "string" },  { 'o', "object path" }, { 'g', "signature" },
                { 'h', "fd" },     { 'v', "variant" },
        };

        for (size_t k = 0; k < ELEMENTSOF(names); k++)
                if (names[k].code == *t) {
                        strbuf_puts(sb, names[k].name);
                        return;
                }
        if (t[0] == 'a' && t[1] == '{')
                strbuf_puts(sb, "dict ");
        else if (t[0] == 'a')
                strbuf_puts(sb, "array ");
        else
                strbuf_puts(sb, "struct ");
        strbuf_printf(sb, "\"%.*s\"", (int) len, t);
}

/* Report `r` at the current location: "PATH: TEXT". */
static int fail(appender *a, int r, const char *format, ...) __attribute__((format(printf, 3, 4)));
static int fail(appender *a, int r, const char *format, ...) {
        strbuf sb = { 0 };
        _cleanup_(freep) char *text = NULL;
        va_list ap;
        char buf[512];

        va_start(ap, format);
        vsnprintf(buf, sizeof(buf), format, ap);
        va_end(ap);
        strbuf_printf(&sb, "%s: %s", a->path.buf ? a->path.buf : "$", buf);
        if (strbuf_steal(&sb, &text) < 0)
                return -ENOMEM;
        if (a->path.error < 0)
                return -ENOMEM;
        sd_bus_error_set(a->error, SD_BUS_ERROR_INVALID_ARGS, text);
        return r;
}

/* "expected TYPE, got VALUE[ SUFFIX]" */
static int mismatch(appender *a, const char *t, size_t tlen, const jnode *j, const char *suffix) {
        strbuf sb = { 0 };
        _cleanup_(freep) char *text = NULL;

        strbuf_puts(&sb, "expected ");
        describe_type(&sb, t, tlen);
        strbuf_puts(&sb, ", got ");
        describe_json(&sb, j);
        if (suffix)
                strbuf_puts(&sb, suffix);
        if (strbuf_steal(&sb, &text) < 0)
                return -ENOMEM;
        return fail(a, -ENXIO, "%s", text);
}

/* ---- JSON values → D-Bus values ------------------------------------------ */

static bool number_is_integer(const jnode *j) {
        return !strpbrk(j->text, ".eE");
}

/* Parse an integer JSON number: true with its sign and magnitude, or false if it is no integer or past 64 bits. */
static bool parse_integer(const char *text, bool *ret_neg, uint64_t *ret_mag) {
        const char *s = text;
        uint64_t v = 0;
        bool neg = false;

        if (*s == '-') {
                neg = true;
                s++;
        }
        if (!*s)
                return false;
        for (; *s; s++) {
                unsigned d;
                if (*s < '0' || *s > '9')
                        return false;
                d = (unsigned) (*s - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        *ret_neg = neg;
        *ret_mag = v;
        return true;
}

static int append_integer(appender *a, char type, const jnode *j) {
        static const struct {
                char code;
                int64_t min;
                uint64_t max;
        } ranges[] = {
                { 'y', 0, UINT8_MAX },          { 'n', INT16_MIN, INT16_MAX }, { 'q', 0, UINT16_MAX },
                { 'i', INT32_MIN, INT32_MAX },  { 'u', 0, UINT32_MAX },        { 'x', INT64_MIN, INT64_MAX },
                { 't', 0, UINT64_MAX },
        };
        const char t[2] = { type, 0 };
        bool neg;
        uint64_t mag;
        int64_t min = 0;
        uint64_t max = 0;
        union {
                uint8_t y;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
        } u;

        if (j->kind != J_NUMBER)
                return mismatch(a, t, 1, j, NULL);
        if (!number_is_integer(j))
                return mismatch(a, t, 1, j, " (not an integer)");
        for (size_t k = 0; k < ELEMENTSOF(ranges); k++)
                if (ranges[k].code == type) {
                        min = ranges[k].min;
                        max = ranges[k].max;
                }
        if (!parse_integer(j->text, &neg, &mag) || (neg && mag > (uint64_t) -(min + 1) + 1) || (!neg && mag > max) ||
            (neg && mag > 0 && min == 0))
                return mismatch(a, t, 1, j, " (out of range)");

        switch (type) {
        case 'y': u.y = (uint8_t) mag; break;
        case 'q': u.q = (uint16_t) mag; break;
        case 'u': u.u = (uint32_t) mag; break;
        case 't': u.t = mag; break;
        case 'n': u.n = (int16_t) (neg ? -(int64_t) mag : (int64_t) mag); break;
        case 'i': u.i = (int32_t) (neg ? -(int64_t) mag : (int64_t) mag); break;
        case 'x': u.x = neg ? (mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag) : (int64_t) mag; break;
        default: assert(false);
        }
        return sd_bus_message_append_basic(a->m, type, &u);
}

static int append_double(appender *a, const jnode *j) {
        double d;
        char *end = NULL;

        if (j->kind == J_STRING) {
                if (strcmp(j->text, "NaN") == 0)
                        d = NAN;
                else if (strcmp(j->text, "Infinity") == 0)
                        d = INFINITY;
                else if (strcmp(j->text, "-Infinity") == 0)
                        d = -INFINITY;
                else
                        return mismatch(a, "d", 1, j, " (only \"NaN\", \"Infinity\" and \"-Infinity\" as strings)");
        } else if (j->kind == J_NUMBER) {
                errno = 0;
                d = strtod(j->text, &end);
                if (!end || *end)
                        return mismatch(a, "d", 1, j, NULL);
                if (errno == ERANGE && isinf(d))
                        return mismatch(a, "d", 1, j, " (out of range)");
        } else
                return mismatch(a, "d", 1, j, NULL);
        return sd_bus_message_append_basic(a->m, 'd', &d);
}

static bool object_path_is_valid(const char *p) {
        if (p[0] != '/')
                return false;
        if (p[1] == 0)
                return true;
        for (const char *s = p + 1;; s++) {
                if (*s == '/' || *s == 0) {
                        if (s[-1] == '/')
                                return false;   /* empty element or trailing slash */
                        if (*s == 0)
                                return true;
                } else if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                             *s == '_'))
                        return false;
        }
}

static int append_string(appender *a, char type, const jnode *j) {
        const char t[2] = { type, 0 };

        if (j->kind != J_STRING)
                return mismatch(a, t, 1, j, NULL);
        if (strlen(j->text) != j->len)
                return mismatch(a, t, 1, j, " (holds a NUL)");
        if (type == 'o' && !object_path_is_valid(j->text))
                return mismatch(a, t, 1, j, " (not a valid object path)");
        if (type == 'g' && !signature_is_valid(j->text))
                return mismatch(a, t, 1, j, " (not a valid signature)");
        return sd_bus_message_append_basic(a->m, type, j->text);
}

static int append_fd(appender *a, const jnode *j) {
        _cleanup_(closep) int opened = -1;
        bool neg;
        uint64_t mag;
        int fd;

        if (j->kind == J_NUMBER) {
                if (!number_is_integer(j) || !parse_integer(j->text, &neg, &mag) || neg || mag > INT32_MAX)
                        return mismatch(a, "h", 1, j, " (not an fd number)");
                fd = (int) mag;
                if (fcntl(fd, F_GETFD) < 0)
                        return fail(a, -EBADF, "fd %d is not open in this process", fd);
        } else if (j->kind == J_STRING) {
                if (strlen(j->text) != j->len)
                        return mismatch(a, "h", 1, j, " (holds a NUL)");
                opened = open(j->text, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (opened < 0) {
                        int r = -errno;
                        return fail(a, r, "cannot open \"%s\" for an fd: %s", j->text, strerror(-r));
                }
                fd = opened;
        } else
                return mismatch(a, "h", 1, j, NULL);
        return sd_bus_message_append_basic(a->m, 'h', &fd);     /* sd-bus duplicates it */
}

static int base64_value(unsigned char c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+')
                return 62;
        if (c == '/')
                return 63;
        return -1;
}

/* Decode standard base64 (padding optional) into a new buffer; false if it is not base64. */
static bool base64_decode(const char *s, size_t len, uint8_t **ret, size_t *ret_n, int *ret_r) {
        uint8_t *out;
        size_t n = 0;
        uint32_t acc = 0;
        unsigned bits = 0;

        while (len > 0 && s[len - 1] == '=')
                len--;
        if (len % 4 == 1)
                return false;
        out = malloc(len / 4 * 3 + 3);
        if (!out) {
                *ret_r = -ENOMEM;
                return false;
        }
        for (size_t k = 0; k < len; k++) {
                int v = base64_value((unsigned char) s[k]);
                if (v < 0) {
                        free(out);
                        return false;
                }
                acc = (acc << 6) | (uint32_t) v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[n++] = (uint8_t) (acc >> bits);
                }
        }
        *ret = out;
        *ret_n = n;
        return true;
}

static int append_node(appender *a, const char *t, const jnode *j);

static int enter(appender *a, char type, const char *contents) {
        if (a->depth >= DBIDL_JSON_DEPTH_MAX)
                return fail(a, -ELOOP, "D-Bus value nested deeper than %d containers", DBIDL_JSON_DEPTH_MAX);
        a->depth++;
        return sd_bus_message_open_container(a->m, type, contents);
}

static int leave(appender *a) {
        a->depth--;
        return sd_bus_message_close_container(a->m);
}

/* A dict key given as an object member name: as the key type's JSON value would be. */
static int append_key(appender *a, char type, const char *key) {
        jnode k = { .kind = J_STRING, .text = (char *) key, .len = strlen(key) };

        if (strchr("ynqiuxtdh", type))
                k.kind = J_NUMBER;
        else if (type == 'b') {
                if (strcmp(key, "true") != 0 && strcmp(key, "false") != 0)
                        return mismatch(a, "b", 1, &k, " (as a dict key: \"true\" or \"false\")");
                k.kind = J_BOOL;
                k.b = key[0] == 't';
        }
        if (k.kind == J_NUMBER && (!*key || !strchr("-0123456789", key[0])))
                return mismatch(a, (const char[]) { type, 0 }, 1, &(jnode) { .kind = J_STRING, .text = k.text, .len = k.len },
                                " (as a dict key)");
        return append_node(a, (const char[]) { type, 0 }, &k);
}

static int append_dict(appender *a, const char *t, size_t tlen, const jnode *j) {
        /* t is "a{KV}" */
        char entry[SIGNATURE_MAX + 1];
        const char *value_type = t + 3;
        char key_type = t[2];
        size_t mark = a->path.len;
        int r;

        memcpy(entry, t + 2, tlen - 3);
        entry[tlen - 3] = 0;

        if (j->kind != J_OBJECT && j->kind != J_ARRAY)
                return mismatch(a, t, tlen, j, NULL);

        /* the 'a' container: entry signature is "{KV}" without the braces' outer a */
        {
                char contents[SIGNATURE_MAX + 1];
                memcpy(contents, t + 1, tlen - 1);
                contents[tlen - 1] = 0;
                r = enter(a, 'a', contents);
                if (r < 0)
                        return r;
        }

        for (size_t k = 0; k < j->n; k++) {
                const jnode *item = j->items[k];

                if (j->kind == J_OBJECT)
                        path_push_key(a, j->keys[k]);
                else {
                        path_push_index(a, k);
                        if (item->kind != J_ARRAY || item->n != 2) {
                                strbuf sb = { 0 };
                                _cleanup_(freep) char *text = NULL;
                                describe_json(&sb, item);
                                if (strbuf_steal(&sb, &text) < 0)
                                        return -ENOMEM;
                                return fail(a, -ENXIO, "expected a [key, value] pair of dict \"%.*s\", got %s",
                                            (int) tlen, t, text);
                        }
                }
                r = enter(a, 'e', entry);
                if (r < 0)
                        return r;
                if (j->kind == J_OBJECT)
                        r = append_key(a, key_type, j->keys[k]);
                else {
                        size_t m2 = a->path.len;
                        path_push_index(a, 0);
                        r = append_node(a, (const char[]) { key_type, 0 }, item->items[0]);
                        path_pop(a, m2);
                }
                if (r < 0)
                        return r;
                if (j->kind == J_OBJECT)
                        r = append_node(a, value_type, item);
                else {
                        size_t m2 = a->path.len;
                        path_push_index(a, 1);
                        r = append_node(a, value_type, item->items[1]);
                        path_pop(a, m2);
                }
                if (r < 0)
                        return r;
                r = leave(a);
                if (r < 0)
                        return r;
                path_pop(a, mark);
        }
        return leave(a);
}

static int append_array(appender *a, const char *t, size_t tlen, const jnode *j) {
        char contents[SIGNATURE_MAX + 1];
        size_t mark = a->path.len;
        int r;

        if (t[1] == '{')
                return append_dict(a, t, tlen, j);

        if (t[1] == 'y' && j->kind == J_STRING) {
                _cleanup_(freep) uint8_t *bytes = NULL;
                size_t n = 0;
                int rr = 0;

                if (!base64_decode(j->text, j->len, &bytes, &n, &rr))
                        return rr < 0 ? rr : mismatch(a, t, tlen, j, " (neither an array of numbers nor base64)");
                return sd_bus_message_append_array(a->m, 'y', bytes, n);
        }

        if (j->kind != J_ARRAY)
                return mismatch(a, t, tlen, j, NULL);

        memcpy(contents, t + 1, tlen - 1);
        contents[tlen - 1] = 0;
        r = enter(a, 'a', contents);
        if (r < 0)
                return r;
        for (size_t k = 0; k < j->n; k++) {
                path_push_index(a, k);
                r = append_node(a, t + 1, j->items[k]);     /* t + 1, not the copy: field names go by position */
                if (r < 0)
                        return r;
                path_pop(a, mark);
        }
        return leave(a);
}

/* A struct whose members have names, given as an object: each member by its name, no other members. */
static int append_struct_object(appender *a, const char *t, size_t tlen, const jnode *j) {
        char contents[SIGNATURE_MAX + 1];
        const jnode *value[SIGNATURE_MAX] = { NULL };
        size_t mark = a->path.len, n = 0, nl = 0;
        const char *nm;
        int r;

        /* every key names a member, once: at most one key past the members is looked at */
        for (size_t i = 0; i < j->n; i++) {
                size_t k = 0, klen = strlen(j->keys[i]);
                bool found = false;
                for (const char *p = t + 1; *p != ')' && !found; p += signature_type_len(p), k += !found) {
                        nm = field_name(a->fields, p, &nl);
                        found = nm && nl == klen && memcmp(nm, j->keys[i], nl) == 0;
                }
                path_push_key(a, j->keys[i]);
                if (!found) {
                        strbuf list = { 0 };
                        _cleanup_(freep) char *text = NULL;
                        for (const char *p = t + 1; *p != ')'; p += signature_type_len(p)) {
                                nm = field_name(a->fields, p, &nl);
                                strbuf_printf(&list, "%s%.*s", p == t + 1 ? "" : ", ", (int) nl, nm);
                        }
                        if (strbuf_steal(&list, &text) < 0)
                                return -ENOMEM;
                        return fail(a, -ENXIO, "unknown field of struct \"%.*s\" (the fields are: %s)", (int) tlen,
                                    t, text);
                }
                if (value[k])
                        return fail(a, -ENXIO, "field given twice");
                value[k] = j->items[i];
                path_pop(a, mark);
        }

        memcpy(contents, t + 1, tlen - 2);
        contents[tlen - 2] = 0;
        for (const char *p = t + 1; *p != ')'; p += signature_type_len(p), n++)
                if (!value[n]) {
                        strbuf sb = { 0 };
                        _cleanup_(freep) char *text = NULL;
                        nm = field_name(a->fields, p, &nl);
                        describe_type(&sb, p, signature_type_len(p));
                        if (strbuf_steal(&sb, &text) < 0)
                                return -ENOMEM;
                        return fail(a, -ENXIO, "missing field \"%.*s\" (%s) of struct \"%.*s\"", (int) nl, nm, text,
                                    (int) tlen, t);
                }
        r = enter(a, 'r', contents);
        if (r < 0)
                return r;
        n = 0;
        for (const char *p = t + 1; *p != ')'; p += signature_type_len(p), n++) {
                nm = field_name(a->fields, p, &nl);
                strbuf_printf(&a->path, "%s%.*s", ".", (int) nl, nm);
                r = append_node(a, p, value[n]);
                if (r < 0)
                        return r;
                path_pop(a, mark);
        }
        return leave(a);
}

static int append_struct(appender *a, const char *t, size_t tlen, const jnode *j) {
        char contents[SIGNATURE_MAX + 1];
        size_t mark = a->path.len, n = 0, nl = 0;
        int r;

        if (j->kind == J_OBJECT && field_name(a->fields, t + 1, &nl))
                return append_struct_object(a, t, tlen, j);
        if (j->kind != J_ARRAY)
                return mismatch(a, t, tlen, j, NULL);
        for (const char *p = t + 1; *p != ')'; p += signature_type_len(p))
                n++;
        if (j->n != n) {
                char suffix[64];
                snprintf(suffix, sizeof(suffix), " (a struct of %zu members)", n);
                return mismatch(a, t, tlen, j, suffix);
        }

        memcpy(contents, t + 1, tlen - 2);
        contents[tlen - 2] = 0;
        r = enter(a, 'r', contents);
        if (r < 0)
                return r;
        n = 0;
        for (const char *p = t + 1; *p != ')'; p += signature_type_len(p), n++) {
                path_push_index(a, n);
                r = append_node(a, p, j->items[n]);
                if (r < 0)
                        return r;
                path_pop(a, mark);
        }
        return leave(a);
}

/*
 * The type of a plain JSON value in a variant: a string is "s", a boolean
 * "b", an integer "i" if it fits int32, else "x" if it fits int64, else "t";
 * any other number "d"; an array of strings "as", any other array "av"; an
 * object "a{sv}".  null has none.
 */
static const char *infer_type(const jnode *j) {
        bool neg;
        uint64_t mag;

        switch (j->kind) {
        case J_STRING:
                return "s";
        case J_BOOL:
                return "b";
        case J_NUMBER:
                if (!number_is_integer(j) || !parse_integer(j->text, &neg, &mag))
                        return "d";
                if (neg)
                        return mag <= (uint64_t) INT32_MAX + 1 ? "i" : mag <= (uint64_t) INT64_MAX + 1 ? "x" : "d";
                return mag <= INT32_MAX ? "i" : mag <= INT64_MAX ? "x" : "t";
        case J_ARRAY:
                for (size_t k = 0; k < j->n; k++)
                        if (j->items[k]->kind != J_STRING)
                                return "av";
                return j->n > 0 ? "as" : "av";
        case J_OBJECT:
                return "a{sv}";
        default:
                return NULL;
        }
}

static int append_variant(appender *a, const jnode *j) {
        const jnode *data = NULL, *type = NULL;
        const char *sig;
        size_t mark = a->path.len;
        int r;

        if (j->kind == J_OBJECT && j->n == 2) {
                for (size_t k = 0; k < 2; k++) {
                        if (strcmp(j->keys[k], "type") == 0)
                                type = j->items[k];
                        else if (strcmp(j->keys[k], "data") == 0)
                                data = j->items[k];
                }
        }
        if (type && data) {
                if (type->kind != J_STRING || strlen(type->text) != type->len ||
                    !signature_is_single(type->text, false)) {
                        path_push_key(a, "type");
                        return mismatch(a, "g", 1, type, " (a single complete type)");
                }
                sig = type->text;
                r = enter(a, 'v', sig);
                if (r < 0)
                        return r;
                path_push_key(a, "data");
                r = append_node(a, sig, data);
                if (r < 0)
                        return r;
                path_pop(a, mark);
                return leave(a);
        }

        sig = infer_type(j);
        if (!sig)
                return mismatch(a, "v", 1, j, " (give {\"type\": SIGNATURE, \"data\": VALUE})");
        r = enter(a, 'v', sig);
        if (r < 0)
                return r;
        r = append_node(a, sig, j);
        if (r < 0)
                return r;
        return leave(a);
}

/* Append `j` as one value of the single complete type at `t`. */
static int append_node(appender *a, const char *t, const jnode *j) {
        size_t tlen = signature_type_len(t);

        switch (*t) {
        case 'y': case 'n': case 'q': case 'i': case 'u': case 'x': case 't':
                return append_integer(a, *t, j);
        case 'b': {
                int b;
                if (j->kind != J_BOOL)
                        return mismatch(a, "b", 1, j, NULL);
                b = j->b;
                return sd_bus_message_append_basic(a->m, 'b', &b);
        }
        case 'd':
                return append_double(a, j);
        case 's': case 'o': case 'g':
                return append_string(a, *t, j);
        case 'h':
                return append_fd(a, j);
        case 'a':
                return append_array(a, t, tlen, j);
        case '(':
                return append_struct(a, t, tlen, j);
        case 'v':
                return append_variant(a, j);
        default:
                assert(false);
                return -EINVAL;
        }
}

/* A C locale for strtod() and snprintf() of doubles, whatever the program's locale; freed by the caller. */
static locale_t c_locale_enter(locale_t *ret_old) {
        locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t) 0);
        *ret_old = c ? uselocale(c) : (locale_t) 0;
        return c;
}

static void c_locale_leave(locale_t c, locale_t old) {
        if (c) {
                uselocale(old);
                freelocale(c);
        }
}

static int append_document(sd_bus_message *m, const char *signature, const char *const *names, bool single,
                           const char *json, size_t len, sd_bus_error *ret_error) {
        _cleanup_(jnode_freep) jnode *root = NULL;
        _cleanup_(freep) fieldsig *fs = NULL;
        appender a = { .m = m, .error = ret_error };
        size_t n_types = 0;
        locale_t c, old;
        int r;

        return_if_fail(m, -EINVAL);
        return_if_fail(signature, -EINVAL);
        return_if_fail(json || len == 0, -EINVAL);
        fs = malloc(sizeof(*fs));
        if (!fs)
                return -ENOMEM;
        if (fieldsig_strip(signature, fs) < 0)
                return -EINVAL;
        signature = fs->plain;
        if (single ? !signature_is_single(signature, false) : !signature_is_valid(signature))
                return -EINVAL;
        if (fieldsig_check(fs) < 0)
                return -EINVAL;
        a.fields = fs;
        for (const char *p = signature; *p; p += signature_type_len(p))
                n_types++;
        if (names)
                for (size_t k = 0; k < n_types; k++)
                        if (!names[k])
                                return -EINVAL;

        /* the arguments' array or object is one more level than the values in it */
        r = parse_json(json, len, single ? DBIDL_JSON_DEPTH_MAX : DBIDL_JSON_DEPTH_MAX + 1, ret_error, &root);
        if (r < 0)
                return r;

        strbuf_puts(&a.path, "$");
        c = c_locale_enter(&old);

        if (single)
                r = append_node(&a, signature, root);
        else if (root->kind == J_ARRAY) {
                size_t k = 0;
                if (root->n != n_types)
                        r = fail(&a, -ENXIO, "expected %zu argument%s (\"%s\"), got %zu", n_types,
                                 n_types == 1 ? "" : "s", signature, root->n);
                else
                        for (const char *p = signature; *p && r >= 0; p += signature_type_len(p), k++) {
                                path_push_index(&a, k);
                                r = append_node(&a, p, root->items[k]);
                                path_pop(&a, 1);
                        }
        } else if (root->kind == J_OBJECT && names) {
                size_t k = 0;
                /* every member names an argument: bounded work before the first unknown name */
                for (size_t i = 0; i < root->n && r >= 0; i++) {
                        bool found = false;
                        for (size_t q = 0; q < n_types && !found; q++)
                                found = strcmp(root->keys[i], names[q]) == 0;
                        for (size_t q = 0; q < i && found && r >= 0; q++)
                                if (strcmp(root->keys[q], root->keys[i]) == 0) {
                                        path_push_key(&a, root->keys[i]);
                                        r = fail(&a, -ENXIO, "argument given twice");
                                }
                        if (!found) {
                                strbuf list = { 0 };
                                _cleanup_(freep) char *text = NULL;
                                for (size_t q = 0; q < n_types; q++)
                                        strbuf_printf(&list, "%s%s", q ? ", " : "", names[q]);
                                if (strbuf_steal(&list, &text) < 0)
                                        r = -ENOMEM;
                                else {
                                        path_push_key(&a, root->keys[i]);
                                        r = fail(&a, -ENXIO, "unknown argument (the arguments are: %s)",
                                                 n_types ? text : "none");
                                }
                        }
                }
                for (const char *p = signature; *p && r >= 0; p += signature_type_len(p), k++) {
                        const jnode *v = NULL;
                        for (size_t i = 0; i < root->n && !v; i++)
                                if (strcmp(root->keys[i], names[k]) == 0)
                                        v = root->items[i];
                        if (!v) {
                                strbuf sb = { 0 };
                                _cleanup_(freep) char *text = NULL;
                                describe_type(&sb, p, signature_type_len(p));
                                if (strbuf_steal(&sb, &text) < 0)
                                        r = -ENOMEM;
                                else
                                        r = fail(&a, -ENXIO, "missing argument \"%s\" (%s)", names[k], text);
                                break;
                        }
                        path_push_key(&a, names[k]);
                        r = append_node(&a, p, v);
                        path_pop(&a, 1);
                }
        } else if (root->kind == J_OBJECT)
                r = fail(&a, -ENXIO, "arguments without names are given as an array by position, got an object");
        else {
                strbuf sb = { 0 };
                _cleanup_(freep) char *text = NULL;
                describe_json(&sb, root);
                if (strbuf_steal(&sb, &text) < 0)
                        r = -ENOMEM;
                else
                        r = fail(&a, -ENXIO, "expected the arguments as an array%s, got %s",
                                 names ? " or an object" : "", text);
        }

        c_locale_leave(c, old);
        strbuf_done(&a.path);
        return r < 0 ? r : 0;
}

_public_ int dbidl_json_append(sd_bus_message *m, const char *signature, const char *const *names, const char *json,
                               size_t len, sd_bus_error *ret_error) {
        return append_document(m, signature, names, false, json, len, ret_error);
}

_public_ int dbidl_json_append_value(sd_bus_message *m, const char *type, const char *json, size_t len,
                                     sd_bus_error *ret_error) {
        return append_document(m, type, NULL, true, json, len, ret_error);
}

_public_ int dbidl_json_infer_signature(const char *json, size_t len, char **ret, sd_bus_error *ret_error) {
        _cleanup_(jnode_freep) jnode *root = NULL;
        appender a = { .error = ret_error };
        strbuf sig = { 0 };
        char *text = NULL;
        int r;

        return_if_fail(json || len == 0, -EINVAL);
        return_if_fail(ret, -EINVAL);
        r = parse_json(json, len, DBIDL_JSON_DEPTH_MAX + 1, ret_error, &root);
        if (r < 0)
                return r;
        strbuf_puts(&a.path, "$");
        if (root->kind != J_ARRAY) {
                strbuf sb = { 0 };
                _cleanup_(freep) char *what = NULL;
                describe_json(&sb, root);
                r = strbuf_steal(&sb, &what) < 0 ? -ENOMEM
                    : fail(&a, -ENXIO, "expected the arguments as an array, got %s", what);
        }
        for (size_t k = 0; r >= 0 && k < root->n; k++) {
                const char *t = infer_type(root->items[k]);
                if (!t) {
                        path_push_index(&a, k);
                        r = mismatch(&a, "v", 1, root->items[k], " (its type cannot be inferred: give a signature)");
                } else if (sig.len + strlen(t) > SIGNATURE_MAX)
                        r = fail(&a, -ENXIO, "more arguments than a D-Bus signature can hold");
                else
                        strbuf_puts(&sig, t);
        }
        strbuf_done(&a.path);
        if (r < 0) {
                strbuf_done(&sig);
                return r;
        }
        if (strbuf_steal(&sig, &text) < 0)
                return -ENOMEM;
        *ret = text;
        return 0;
}

/* ---- D-Bus values → JSON ------------------------------------------------- */

typedef struct renderer {
        sd_bus_message *m;
        yajl_gen g;
        unsigned depth;
        const fieldsig *fields; /* struct field names; the values are walked along fields->plain (NULL: none) */
} renderer;

static int gen_status(yajl_gen_status st) {
        switch (st) {
        case yajl_gen_status_ok:
                return 0;
        case yajl_gen_invalid_string:
                return -EBADMSG;
        default:
                return -ENOMEM;         /* yajl reports allocation failure by aborting; other states are our bugs */
        }
}

static int gen_string(renderer *rd, const char *s) {
        return gen_status(yj.gen_string(rd->g, (const unsigned char *) s, strlen(s)));
}

static int gen_number(renderer *rd, const char *s) {
        return gen_status(yj.gen_number(rd->g, s, strlen(s)));
}

/* The shortest "%.Ng" that reads back as the same double (the C locale is in effect); NaN and ±inf as strings. */
static int gen_double(renderer *rd, double d) {
        char buf[64];

        if (isnan(d))
                return gen_string(rd, "NaN");
        if (isinf(d))
                return gen_string(rd, d > 0 ? "Infinity" : "-Infinity");
        for (int prec = 15; prec <= 17; prec++) {
                snprintf(buf, sizeof(buf), "%.*g", prec, d);
                if (strtod(buf, NULL) == d)
                        break;
        }
        if (!strpbrk(buf, ".eEn"))
                strcat(buf, ".0");      /* a double stays visibly a double */
        return gen_number(rd, buf);
}

/* `t`: where the value's type is in rd->fields->plain, or NULL (no names: no signature, or inside a variant) */
static int render_value(renderer *rd, const char *t);

static int render_basic(renderer *rd, char type) {
        union {
                uint8_t y;
                int b;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
                double d;
                const char *s;
                int h;
        } u = { 0 };
        char buf[32];
        const char *text = buf;
        int r;

        r = sd_bus_message_read_basic(rd->m, type, &u);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        switch (type) {
        case 'y': text = fmt_int(buf, false, u.y); break;
        case 'n': text = fmt_signed(buf, u.n); break;
        case 'q': text = fmt_int(buf, false, u.q); break;
        case 'i': text = fmt_signed(buf, u.i); break;
        case 'u': text = fmt_int(buf, false, u.u); break;
        case 'x': text = fmt_signed(buf, u.x); break;
        case 't': text = fmt_int(buf, false, u.t); break;
        case 'h': text = fmt_signed(buf, u.h); break;
        case 'b': return gen_status(yj.gen_bool(rd->g, u.b));
        case 'd': return gen_double(rd, u.d);
        default: return gen_string(rd, u.s);    /* s, o, g */
        }
        return gen_number(rd, text);
}

static int render_fixed_array(renderer *rd, char type) {
        const void *data = NULL;
        size_t bytes = 0, size;
        char buf[32];
        const char *text = buf;
        int r;

        size = type == 'y' ? 1 : type == 'n' || type == 'q' ? 2 : type == 'i' || type == 'u' ? 4 : 8;
        r = sd_bus_message_read_array(rd->m, type, &data, &bytes);
        if (r < 0)
                return r;
        if (bytes % size != 0)
                return -EBADMSG;
        r = gen_status(yj.gen_array_open(rd->g));
        for (size_t k = 0; k < bytes / size && r >= 0; k++) {
                const char *p = (const char *) data + k * size;
                switch (type) {
                case 'y': text = fmt_int(buf, false, *(const uint8_t *) p); break;
                case 'n': text = fmt_signed(buf, *(const int16_t *) p); break;
                case 'q': text = fmt_int(buf, false, *(const uint16_t *) p); break;
                case 'i': text = fmt_signed(buf, *(const int32_t *) p); break;
                case 'u': text = fmt_int(buf, false, *(const uint32_t *) p); break;
                case 'x': text = fmt_signed(buf, *(const int64_t *) p); break;
                case 't': text = fmt_int(buf, false, *(const uint64_t *) p); break;
                case 'd':
                        r = gen_double(rd, *(const double *) p);
                        continue;
                }
                r = gen_number(rd, text);
        }
        return r < 0 ? r : gen_status(yj.gen_array_close(rd->g));
}

static int render_enter(renderer *rd, char type, const char *contents) {
        int r;

        if (rd->depth >= DBIDL_JSON_DEPTH_MAX)
                return -ELOOP;
        r = sd_bus_message_enter_container(rd->m, type, contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        rd->depth++;
        return 0;
}

static int render_leave(renderer *rd) {
        rd->depth--;
        return sd_bus_message_exit_container(rd->m);
}

/* The elements of the array just entered, each of the type at `t` (or NULL). */
static int render_items(renderer *rd, const char *t) {
        int r;

        for (;;) {
                r = sd_bus_message_at_end(rd->m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        return 0;
                r = render_value(rd, t);
                if (r < 0)
                        return r;
        }
}

/* The members of the struct just entered: an array, or an object when `t` (its "(…)", or NULL) names them. */
static int render_members(renderer *rd, const char *t) {
        const char *p = t ? t + 1 : NULL, *nm = NULL;
        size_t nl = 0;
        bool named = p && field_name(rd->fields, p, &nl);
        int r;

        r = gen_status(named ? yj.gen_map_open(rd->g) : yj.gen_array_open(rd->g));
        for (;;) {
                if (r < 0)
                        return r;
                r = sd_bus_message_at_end(rd->m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                if (p && *p == ')')
                        return -EBADMSG;        /* more members than the signature: cannot happen once checked */
                if (named) {
                        nm = field_name(rd->fields, p, &nl);
                        r = gen_status(yj.gen_string(rd->g, (const unsigned char *) nm, nl));
                        if (r < 0)
                                return r;
                }
                r = render_value(rd, p);
                if (p)
                        p += signature_type_len(p);
        }
        return gen_status(named ? yj.gen_map_close(rd->g) : yj.gen_array_close(rd->g));
}

static int render_dict(renderer *rd, const char *contents, const char *t) {
        /* t: the dict's "a{KV}" in the signature, or NULL */
        const char *value_t = t ? t + 3 : NULL;
        /* contents is "{KV}" */
        char entry[SIGNATURE_MAX + 1];
        bool as_object = strchr("sog", contents[1]) != NULL;
        size_t l = strlen(contents);
        int r;

        if (l < 4)
                return -EBADMSG;
        memcpy(entry, contents + 1, l - 2);
        entry[l - 2] = 0;

        r = render_enter(rd, 'a', contents);
        if (r < 0)
                return r;
        r = gen_status(as_object ? yj.gen_map_open(rd->g) : yj.gen_array_open(rd->g));
        for (;;) {
                if (r < 0)
                        return r;
                r = sd_bus_message_at_end(rd->m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                r = render_enter(rd, 'e', entry);
                if (r < 0)
                        return r;
                if (as_object)
                        r = render_basic(rd, entry[0]);         /* a string: the member's key */
                else {
                        r = gen_status(yj.gen_array_open(rd->g));
                        if (r >= 0)
                                r = render_value(rd, NULL);     /* a basic type */
                }
                if (r >= 0)
                        r = render_value(rd, value_t);
                if (r >= 0 && !as_object)
                        r = gen_status(yj.gen_array_close(rd->g));
                if (r >= 0)
                        r = render_leave(rd);
        }
        r = gen_status(as_object ? yj.gen_map_close(rd->g) : yj.gen_array_close(rd->g));
        if (r < 0)
                return r;
        return render_leave(rd);
}

static int render_value(renderer *rd, const char *t) {
        const char *contents = NULL;
        char type;
        int r;

        r = sd_bus_message_peek_type(rd->m, &type, &contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;

        if (strchr("ybnqiuxtdsogh", type))
                return render_basic(rd, type);
        if (!contents)
                return -EBADMSG;

        switch (type) {
        case 'a':
                if (contents[0] == '{')
                        return render_dict(rd, contents, t);
                if (strchr("ynqiuxtd", contents[0]) && contents[1] == 0)
                        return render_fixed_array(rd, contents[0]);
                r = render_enter(rd, 'a', contents);
                if (r >= 0)
                        r = gen_status(yj.gen_array_open(rd->g));
                if (r >= 0)
                        r = render_items(rd, t ? t + 1 : NULL);
                if (r >= 0)
                        r = gen_status(yj.gen_array_close(rd->g));
                return r < 0 ? r : render_leave(rd);
        case 'r':
                r = render_enter(rd, 'r', contents);
                if (r >= 0)
                        r = render_members(rd, t);
                return r < 0 ? r : render_leave(rd);
        case 'v':
                r = render_enter(rd, 'v', contents);
                if (r >= 0)
                        r = gen_status(yj.gen_map_open(rd->g));
                if (r >= 0)
                        r = gen_string(rd, "type");
                if (r >= 0)
                        r = gen_string(rd, contents);
                if (r >= 0)
                        r = gen_string(rd, "data");
                if (r >= 0)
                        r = render_value(rd, NULL);     /* the variant's own type: no names */
                if (r >= 0)
                        r = gen_status(yj.gen_map_close(rd->g));
                return r < 0 ? r : render_leave(rd);
        default:
                return -EBADMSG;
        }
}

/* The next value's complete type is the plain signature `t` (one complete type): 1, 0 if not, or -errno. */
static int next_type_is(sd_bus_message *m, const char *t) {
        const char *contents = NULL;
        size_t l = strlen(t);
        char type;
        int r;

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r < 0 ? r : -ENXIO;
        switch (type) {
        case 'a':
                return t[0] == 'a' && contents && strcmp(t + 1, contents) == 0;
        case 'r':
                return t[0] == '(' && contents && l >= 2 && t[l - 1] == ')' && strlen(contents) == l - 2 &&
                       memcmp(t + 1, contents, l - 2) == 0;
        default:
                return t[0] == type && t[1] == 0;
        }
}

/*
 * `signature`: NULL, or the signature with field names of the whole message
 * (whole) or of the next value; the message is rewound for a whole one.
 */
static int render(sd_bus_message *m, bool whole, const char *signature, const char *const *names, unsigned flags,
                  char **ret) {
        _cleanup_(freep) fieldsig *fs = NULL;
        renderer rd = { .m = m };
        const char *p = NULL;
        const unsigned char *buf;
        size_t len;
        locale_t c, old;
        char *out;
        int r;

        return_if_fail(m, -EINVAL);
        return_if_fail(ret, -EINVAL);
        return_if_fail((flags & ~(unsigned) DBIDL_JSON_PRETTY) == 0, -EINVAL);
        if (signature) {
                const char *actual;
                fs = malloc(sizeof(*fs));
                if (!fs)
                        return -ENOMEM;
                if (fieldsig_strip(signature, fs) < 0 ||
                    !(whole ? signature_is_valid(fs->plain) : signature_is_single(fs->plain, false)) ||
                    fieldsig_check(fs) < 0)
                        return -EINVAL;
                if (whole) {
                        r = sd_bus_message_rewind(m, true);
                        if (r < 0)
                                return r;
                        actual = sd_bus_message_get_signature(m, true);
                        if (!actual || strcmp(actual, fs->plain) != 0)
                                return -ENXIO;
                } else {
                        r = next_type_is(m, fs->plain);
                        if (r <= 0)
                                return r < 0 ? r : -ENXIO;
                }
                rd.fields = fs;
                p = fs->plain;
        }

        r = yajl_dl_open(NULL);
        if (r < 0)
                return r;
        rd.g = yj.gen_alloc(NULL);
        if (!rd.g)
                return -ENOMEM;
        yj.gen_config(rd.g, yajl_gen_beautify, (int) !!(flags & DBIDL_JSON_PRETTY));
        yj.gen_config(rd.g, yajl_gen_indent_string, "  ");
        yj.gen_config(rd.g, yajl_gen_validate_utf8, 1);
        c = c_locale_enter(&old);

        if (!whole)
                r = render_value(&rd, p);
        else {
                size_t k = 0;
                bool names_left = names != NULL;

                r = gen_status(names ? yj.gen_map_open(rd.g) : yj.gen_array_open(rd.g));
                for (;;) {
                        if (r < 0)
                                break;
                        r = sd_bus_message_at_end(m, true);
                        if (r < 0)
                                break;
                        if (r > 0) {
                                r = gen_status(names ? yj.gen_map_close(rd.g) : yj.gen_array_close(rd.g));
                                break;
                        }
                        if (names) {
                                char argn[32];
                                if (names_left && !names[k])
                                        names_left = false;
                                snprintf(argn, sizeof(argn), "arg%zu", k);
                                r = gen_string(&rd, names_left ? names[k] : argn);
                                if (r < 0)
                                        break;
                        }
                        r = render_value(&rd, p && *p ? p : NULL);
                        if (p && *p)
                                p += signature_type_len(p);
                        k++;
                }
        }

        c_locale_leave(c, old);
        if (r >= 0) {
                yj.gen_get_buf(rd.g, &buf, &len);
                out = malloc(len + 1);
                if (!out)
                        r = -ENOMEM;
                else {
                        memcpy(out, buf, len);
                        out[len] = 0;
                        /* beautify ends with a newline; the caller decides about newlines */
                        while (len > 0 && out[len - 1] == '\n')
                                out[--len] = 0;
                        *ret = out;
                }
        }
        yj.gen_free(rd.g);
        return r < 0 ? r : 0;
}

_public_ int dbidl_json_read(sd_bus_message *m, const char *const *names, unsigned flags, char **ret) {
        return render(m, true, NULL, names, flags, ret);
}

_public_ int dbidl_json_read_value(sd_bus_message *m, unsigned flags, char **ret) {
        return render(m, false, NULL, NULL, flags, ret);
}

_public_ int dbidl_json_read_typed(sd_bus_message *m, const char *signature, const char *const *names,
                                   unsigned flags, char **ret) {
        return_if_fail(signature, -EINVAL);
        return render(m, true, signature, names, flags, ret);
}

_public_ int dbidl_json_read_value_typed(sd_bus_message *m, const char *type, unsigned flags, char **ret) {
        return_if_fail(type, -EINVAL);
        return render(m, false, type, NULL, flags, ret);
}

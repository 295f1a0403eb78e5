/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/variant.c — dbidl_variant: immutable, reference-counted D-Bus values, their text form and wire I/O */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dbidl/dict.h>
#include <dbidl/variant.h>

#include "runtime/util.h"
#include "runtime/variant-internal.h"

/*
 * A variant is a signature plus either a basic value or a vector of
 * children: array items, struct members, a dict entry's key and value, or
 * the one value inside a nested variant.  Fixed-size arrays are kept as
 * children too, so dbidl_variant_get_child() works on every array; on the
 * wire they go through sd_bus_message_append_array()/read_array().
 */
struct dbidl_variant {
        unsigned n_ref;
        char type;              /* D-Bus type code; 'r' for a struct, 'e' for a dict entry */
        unsigned depth;         /* containers in this tree: 0 for a basic value */
        const char *signature;  /* static for basic types, else signature_buf */
        char *signature_buf;
        union {
                uint8_t y;
                bool b;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
                double d;
                char *str;      /* 's', 'o', 'g' */
                int fd;         /* 'h', owned */
        } basic;
        dbidl_variant **children;
        size_t n_children;
};

/* ---- validators ---------------------------------------------------------- */

bool utf8_is_valid(const char *s) {
        const unsigned char *p = (const unsigned char *) s;

        assert(s);

        while (*p) {
                uint32_t c;
                size_t n;

                if (*p < 0x80) {
                        p++;
                        continue;
                } else if ((*p & 0xe0) == 0xc0) {
                        c = *p & 0x1f;
                        n = 1;
                } else if ((*p & 0xf0) == 0xe0) {
                        c = *p & 0x0f;
                        n = 2;
                } else if ((*p & 0xf8) == 0xf0) {
                        c = *p & 0x07;
                        n = 3;
                } else
                        return false;

                for (size_t k = 1; k <= n; k++) {
                        if ((p[k] & 0xc0) != 0x80)      /* also stops at the NUL */
                                return false;
                        c = (c << 6) | (p[k] & 0x3f);
                }

                if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000))
                        return false;                   /* overlong */
                if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
                        return false;

                p += n + 1;
        }

        return true;
}

static bool type_is_basic(char c) {
        return c != 0 && strchr("ybnqiuxtdsogh", c);
}

static bool type_is_fixed(char c) {
        return c != 0 && strchr("ybnqiuxtd", c);
}

/*
 * The length of the single complete type at the start of `s`, or 0 if there
 * is none.  `arrays` and `structs` count the enclosing containers.
 */
static size_t complete_type_len(const char *s, bool allow_dict_entry, unsigned arrays, unsigned structs) {
        size_t len, l;

        if (type_is_basic(*s) || *s == 'v')
                return 1;

        switch (*s) {

        case 'a':
                if (arrays >= NESTING_MAX)
                        return 0;
                l = complete_type_len(s + 1, true, arrays + 1, structs);
                return l == 0 ? 0 : l + 1;

        case '(':
                if (structs >= NESTING_MAX)
                        return 0;
                len = 1;
                while (s[len] != ')') {
                        l = complete_type_len(s + len, false, arrays, structs + 1);
                        if (l == 0)
                                return 0;
                        len += l;
                }
                return len == 1 ? 0 : len + 1;          /* "()" is not a type */

        case '{':
                if (!allow_dict_entry || structs >= NESTING_MAX)
                        return 0;
                if (!type_is_basic(s[1]))
                        return 0;
                l = complete_type_len(s + 2, false, arrays, structs + 1);
                if (l == 0 || s[2 + l] != '}')
                        return 0;
                return l + 3;

        default:
                return 0;
        }
}

bool signature_is_single(const char *s, bool allow_dict_entry) {
        size_t l;

        assert(s);

        if (strlen(s) > SIGNATURE_MAX)
                return false;
        l = complete_type_len(s, allow_dict_entry, 0, 0);
        return l > 0 && s[l] == 0;
}

bool signature_is_valid(const char *s) {
        assert(s);

        if (strlen(s) > SIGNATURE_MAX)
                return false;
        while (*s) {
                size_t l = complete_type_len(s, false, 0, 0);
                if (l == 0)
                        return false;
                s += l;
        }
        return true;
}

/* ---- text buffer --------------------------------------------------------- */

static bool strbuf_reserve(strbuf *sb, size_t n) {
        size_t need;
        char *p;

        if (sb->error < 0)
                return false;
        if (n > SIZE_MAX - sb->len - 1) {
                sb->error = -ENOMEM;
                return false;
        }
        need = sb->len + n + 1;
        if (need <= sb->alloc)
                return true;
        if (need < 64)
                need = 64;
        if (need < sb->alloc * 2)
                need = sb->alloc * 2;
        p = realloc(sb->buf, need);
        if (!p) {
                sb->error = -ENOMEM;
                return false;
        }
        sb->buf = p;
        sb->alloc = need;
        return true;
}

void strbuf_append(strbuf *sb, const char *s, size_t n) {
        if (!strbuf_reserve(sb, n))
                return;
        memcpy(sb->buf + sb->len, s, n);
        sb->len += n;
        sb->buf[sb->len] = 0;
}

void strbuf_puts(strbuf *sb, const char *s) {
        strbuf_append(sb, s, strlen(s));
}

void strbuf_printf(strbuf *sb, const char *format, ...) {
        va_list ap;
        int n;

        va_start(ap, format);
        n = vsnprintf(NULL, 0, format, ap);
        va_end(ap);
        if (n < 0) {
                sb->error = sb->error < 0 ? sb->error : -EINVAL;
                return;
        }
        if (!strbuf_reserve(sb, (size_t) n))
                return;
        va_start(ap, format);
        vsnprintf(sb->buf + sb->len, (size_t) n + 1, format, ap);
        va_end(ap);
        sb->len += (size_t) n;
}

int strbuf_steal(strbuf *sb, char **ret) {
        if (sb->error >= 0)
                (void) strbuf_reserve(sb, 0);   /* an empty text still needs its NUL */
        if (sb->error < 0) {
                int r = sb->error;
                strbuf_done(sb);
                return r;
        }
        *ret = TAKE_PTR(sb->buf);
        sb->len = sb->alloc = 0;
        return 0;
}

void strbuf_done(strbuf *sb) {
        free(sb->buf);
        sb->buf = NULL;
        sb->len = sb->alloc = 0;
}

/* ---- construction -------------------------------------------------------- */

static dbidl_variant *variant_alloc(char type, const char *static_signature) {
        dbidl_variant *v;

        v = calloc(1, sizeof(*v));
        if (!v)
                return NULL;
        v->n_ref = 1;
        v->type = type;
        v->signature = static_signature;
        if (type == 'h')
                v->basic.fd = -1;
        return v;
}

static const char *basic_signature(char type) {
        static const char *const sigs[] = {
                "y", "b", "n", "q", "i", "u", "x", "t", "d", "s", "o", "g", "h",
        };
        const char *p = strchr("ybnqiuxtdsogh", type);

        assert(type && p);
        return sigs[p - "ybnqiuxtdsogh"];
}

/* Constructors of the fixed-size basic types: 0, or -EINVAL for a NULL ret, -ENOMEM. */
#define DEFINE_NEW_FIXED(name, ctype, code, field)                              \
        _public_ int dbidl_variant_new_##name(ctype value, dbidl_variant **ret) {\
                dbidl_variant *v;                                               \
                                                                                \
                return_if_fail(ret, -EINVAL);                                   \
                v = variant_alloc(code, basic_signature(code));                 \
                if (!v)                                                         \
                        return -ENOMEM;                                         \
                v->basic.field = value;                                         \
                *ret = v;                                                       \
                return 0;                                                       \
        }

DEFINE_NEW_FIXED(byte, uint8_t, 'y', y)
DEFINE_NEW_FIXED(bool, bool, 'b', b)
DEFINE_NEW_FIXED(int16, int16_t, 'n', n)
DEFINE_NEW_FIXED(uint16, uint16_t, 'q', q)
DEFINE_NEW_FIXED(int32, int32_t, 'i', i)
DEFINE_NEW_FIXED(uint32, uint32_t, 'u', u)
DEFINE_NEW_FIXED(int64, int64_t, 'x', x)
DEFINE_NEW_FIXED(uint64, uint64_t, 't', t)
DEFINE_NEW_FIXED(double, double, 'd', d)

static int variant_new_string_type(char type, const char *value, dbidl_variant **ret) {
        dbidl_variant *v;

        return_if_fail(value, -EINVAL);
        return_if_fail(ret, -EINVAL);

        switch (type) {
        case 's':
                return_if_fail(utf8_is_valid(value), -EINVAL);
                break;
        case 'o':
                return_if_fail(sd_bus_object_path_is_valid(value), -EINVAL);
                break;
        case 'g':
                return_if_fail(signature_is_valid(value), -EINVAL);
                break;
        default:
                assert(false);
        }

        v = variant_alloc(type, basic_signature(type));
        if (!v)
                return -ENOMEM;
        v->basic.str = strdup(value);
        if (!v->basic.str) {
                free(v);
                return -ENOMEM;
        }
        *ret = v;
        return 0;
}

/* A UTF-8 string ('s').  -EINVAL for NULL or invalid UTF-8; -ENOMEM. */
_public_ int dbidl_variant_new_string(const char *value, dbidl_variant **ret) {
        return variant_new_string_type('s', value, ret);
}

/* An object path ('o').  -EINVAL for NULL or an invalid path; -ENOMEM. */
_public_ int dbidl_variant_new_objpath(const char *value, dbidl_variant **ret) {
        return variant_new_string_type('o', value, ret);
}

/* A signature value ('g'): zero or more complete types.  -EINVAL for NULL or an invalid signature; -ENOMEM. */
_public_ int dbidl_variant_new_signature(const char *value, dbidl_variant **ret) {
        return variant_new_string_type('g', value, ret);
}

/* A Unix fd ('h'): the variant owns a CLOEXEC duplicate.  -EINVAL for a NULL ret, -EBADF for a bad fd, -ENOMEM. */
_public_ int dbidl_variant_new_fd(int fd, dbidl_variant **ret) {
        dbidl_variant *v;
        int copy;

        return_if_fail(ret, -EINVAL);
        return_if_fail(fd >= 0, -EBADF);

        copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return errno == EMFILE || errno == ENFILE ? -errno : -EBADF;

        v = variant_alloc('h', basic_signature('h'));
        if (!v) {
                close(copy);
                return -ENOMEM;
        }
        v->basic.fd = copy;
        *ret = v;
        return 0;
}

/*
 * Build a container of type `type` with signature `signature` (taken over,
 * freed on failure) from `n` children (new references are taken).
 */
static int variant_new_container(char type, char *signature, dbidl_variant *const *children, size_t n,
                                 dbidl_variant **ret) {
        _cleanup_(freep) char *sig = signature;
        dbidl_variant *v;
        unsigned depth = 0;

        assert(sig);
        assert(n == 0 || children);

        for (size_t k = 0; k < n; k++)
                if (children[k]->depth > depth)
                        depth = children[k]->depth;
        if (depth + 1 > VARIANT_DEPTH_MAX)
                return -EINVAL;

        v = variant_alloc(type, NULL);
        if (!v)
                return -ENOMEM;
        if (n > 0) {
                v->children = calloc(n, sizeof(dbidl_variant *));
                if (!v->children) {
                        free(v);
                        return -ENOMEM;
                }
                for (size_t k = 0; k < n; k++)
                        v->children[k] = dbidl_variant_ref(children[k]);
        }
        v->n_children = n;
        v->depth = depth + 1;
        v->signature_buf = TAKE_PTR(sig);
        v->signature = v->signature_buf;
        *ret = v;
        return 0;
}

/*
 * Concatenate `prefix`, the children's signatures and `suffix` into a new
 * string: -EINVAL if that would be longer than a signature may be, -ENOMEM.
 */
static int signature_join(const char *prefix, dbidl_variant *const *children, size_t n, const char *suffix,
                          char **ret) {
        size_t len = strlen(prefix) + strlen(suffix);
        char *s, *p;

        for (size_t k = 0; k < n; k++) {
                len += strlen(children[k]->signature);
                if (len > SIGNATURE_MAX)
                        return -EINVAL;
        }
        if (len > SIGNATURE_MAX)
                return -EINVAL;
        s = malloc(len + 1);
        if (!s)
                return -ENOMEM;
        p = stpcpy(s, prefix);
        for (size_t k = 0; k < n; k++)
                p = stpcpy(p, children[k]->signature);
        strcpy(p, suffix);
        *ret = s;
        return 0;
}

/* A nested variant "v" holding `inner` (a new reference).  -EINVAL for NULL or nesting past 64; -ENOMEM. */
_public_ int dbidl_variant_new_variant(dbidl_variant *inner, dbidl_variant **ret) {
        char *sig;

        return_if_fail(inner, -EINVAL);
        return_if_fail(ret, -EINVAL);
        /* a dict entry is only valid as an array element */
        return_if_fail(inner->type != 'e', -EINVAL);

        sig = strdup("v");
        if (!sig)
                return -ENOMEM;
        return variant_new_container('v', sig, &inner, 1, ret);
}

/*
 * A generic array "a<element_signature>" of `n` items (new references).
 * -EINVAL for NULL arguments, an invalid element signature, an item of
 * another signature, or a result too deep or with too long a signature;
 * -ENOMEM.
 */
_public_ int dbidl_variant_new_array(const char *element_signature, dbidl_variant *const *items, size_t n,
                            dbidl_variant **ret) {
        _cleanup_(freep) char *sig = NULL;

        return_if_fail(element_signature, -EINVAL);
        return_if_fail(items || n == 0, -EINVAL);
        return_if_fail(ret, -EINVAL);

        for (size_t k = 0; k < n; k++) {
                return_if_fail(items[k], -EINVAL);
                return_if_fail(strcmp(items[k]->signature, element_signature) == 0, -EINVAL);
        }

        if (strlen(element_signature) >= SIGNATURE_MAX)
                return -EINVAL;
        sig = malloc(strlen(element_signature) + 2);
        if (!sig)
                return -ENOMEM;
        sig[0] = 'a';
        strcpy(sig + 1, element_signature);
        if (!signature_is_single(sig, false))
                return -EINVAL;

        return variant_new_container('a', TAKE_PTR(sig), items, n, ret);
}

/* A struct of `n` >= 1 members (new references).  -EINVAL for NULL arguments, n == 0, or limits; -ENOMEM. */
_public_ int dbidl_variant_new_struct(dbidl_variant *const *members, size_t n, dbidl_variant **ret) {
        _cleanup_(freep) char *sig = NULL;
        int r;

        return_if_fail(members, -EINVAL);
        return_if_fail(n > 0, -EINVAL);
        return_if_fail(ret, -EINVAL);
        for (size_t k = 0; k < n; k++) {
                return_if_fail(members[k], -EINVAL);
                /* a dict entry is only valid as an array element */
                return_if_fail(members[k]->type != 'e', -EINVAL);
        }

        r = signature_join("(", members, n, ")", &sig);
        if (r < 0)
                return r;
        if (!signature_is_single(sig, false))
                return -EINVAL;

        return variant_new_container('r', TAKE_PTR(sig), members, n, ret);
}

/* A dict entry "{kv}"; `key` must be basic.  New references to both.  -EINVAL for NULL or a container key; -ENOMEM. */
_public_ int dbidl_variant_new_dict_entry(dbidl_variant *key, dbidl_variant *value, dbidl_variant **ret) {
        _cleanup_(freep) char *sig = NULL;
        dbidl_variant *pair[2] = { key, value };
        int r;

        return_if_fail(key, -EINVAL);
        return_if_fail(value, -EINVAL);
        return_if_fail(ret, -EINVAL);
        return_if_fail(type_is_basic(key->type), -EINVAL);
        return_if_fail(value->type != 'e', -EINVAL);

        r = signature_join("{", pair, 2, "}", &sig);
        if (r < 0)
                return r;
        if (!signature_is_single(sig, true))
                return -EINVAL;

        return variant_new_container('e', TAKE_PTR(sig), pair, 2, ret);
}

static void variant_unref_many(dbidl_variant **v, size_t n) {
        for (size_t k = 0; k < n; k++)
                dbidl_variant_unref(v[k]);
        free(v);
}

/* Build an array from `n` fresh children, consuming the references in `items` (also on failure). */
static int variant_new_array_consume(const char *element_signature, dbidl_variant **items, size_t n,
                                     dbidl_variant **ret) {
        int r;

        r = dbidl_variant_new_array(element_signature, items, n, ret);
        variant_unref_many(items, n);
        return r;
}

/* "as" from a NULL-terminated vector (NULL: empty).  -EINVAL for invalid UTF-8; -ENOMEM. */
_public_ int dbidl_variant_new_strv(char *const *strv, dbidl_variant **ret) {
        dbidl_variant **items;
        size_t n = 0;
        int r;

        return_if_fail(ret, -EINVAL);

        while (strv && strv[n])
                n++;
        items = calloc(n ? n : 1, sizeof(dbidl_variant *));
        if (!items)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++) {
                r = dbidl_variant_new_string(strv[k], &items[k]);
                if (r < 0) {
                        variant_unref_many(items, k);
                        return r;
                }
        }
        return variant_new_array_consume("s", items, n, ret);
}

static size_t fixed_c_size(char type) {
        switch (type) {
        case 'y': return sizeof(uint8_t);
        case 'b': return sizeof(bool);
        case 'n': case 'q': return sizeof(uint16_t);
        case 'i': case 'u': return sizeof(uint32_t);
        case 'x': case 't': return sizeof(uint64_t);
        case 'd': return sizeof(double);
        default: assert(false); return 0;
        }
}

/* A fixed-type basic variant of `type` from the C value at `p` (bool for 'b'). */
static int variant_new_fixed_from(char type, const void *p, dbidl_variant **ret) {
        dbidl_variant *v = variant_alloc(type, basic_signature(type));

        if (!v)
                return -ENOMEM;
        switch (type) {
        case 'y': memcpy(&v->basic.y, p, sizeof(v->basic.y)); break;
        case 'b': memcpy(&v->basic.b, p, sizeof(v->basic.b)); v->basic.b = !!v->basic.b; break;
        case 'n': memcpy(&v->basic.n, p, sizeof(v->basic.n)); break;
        case 'q': memcpy(&v->basic.q, p, sizeof(v->basic.q)); break;
        case 'i': memcpy(&v->basic.i, p, sizeof(v->basic.i)); break;
        case 'u': memcpy(&v->basic.u, p, sizeof(v->basic.u)); break;
        case 'x': memcpy(&v->basic.x, p, sizeof(v->basic.x)); break;
        case 't': memcpy(&v->basic.t, p, sizeof(v->basic.t)); break;
        case 'd': memcpy(&v->basic.d, p, sizeof(v->basic.d)); break;
        default: assert(false);
        }
        *ret = v;
        return 0;
}

/*
 * An array of a fixed-size type from `n` C values.  -EINVAL for a type not
 * in "ybnqiuxtd", NULL items with n > 0, or a NULL ret; -ENOMEM.
 */
_public_ int dbidl_variant_new_fixed_array(char type, const void *items, size_t n, dbidl_variant **ret) {
        const char *p = items;
        dbidl_variant **children;
        char sig[2] = { type, 0 };
        size_t size;
        int r;

        return_if_fail(type_is_fixed(type), -EINVAL);
        return_if_fail(items || n == 0, -EINVAL);
        return_if_fail(ret, -EINVAL);

        size = fixed_c_size(type);
        children = calloc(n ? n : 1, sizeof(dbidl_variant *));
        if (!children)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++) {
                r = variant_new_fixed_from(type, p + k * size, &children[k]);
                if (r < 0) {
                        variant_unref_many(children, k);
                        return r;
                }
        }
        return variant_new_array_consume(sig, children, n, ret);
}

/* ---- reference counting and accessors ------------------------------------ */

/* Take a reference.  Accepts NULL.  Not atomic. */
_public_ dbidl_variant *dbidl_variant_ref(dbidl_variant *v) {
        if (v) {
                assert(v->n_ref > 0);
                v->n_ref++;
        }
        return v;
}

/* Drop a reference, freeing with the last.  Accepts NULL; returns NULL.  Not atomic. */
_public_ dbidl_variant *dbidl_variant_unref(dbidl_variant *v) {
        if (!v)
                return NULL;
        assert(v->n_ref > 0);
        if (--v->n_ref > 0)
                return NULL;

        switch (v->type) {
        case 's': case 'o': case 'g':
                free(v->basic.str);
                break;
        case 'h':
                if (v->basic.fd >= 0)
                        close(v->basic.fd);
                break;
        default:
                break;
        }
        for (size_t k = 0; k < v->n_children; k++)
                dbidl_variant_unref(v->children[k]);
        free(v->children);
        free(v->signature_buf);
        free(v);
        return NULL;
}

/* The held value's signature, borrowed; NULL for a NULL variant. */
_public_ const char *dbidl_variant_get_signature(const dbidl_variant *v) {
        return v ? v->signature : NULL;
}

/* The held value's type code ('r' struct, 'e' dict entry); 0 for a NULL variant. */
_public_ char dbidl_variant_get_type(const dbidl_variant *v) {
        return v ? v->type : 0;
}

/*
 * Typed getters: 0, -EINVAL for NULL arguments, -ENXIO if `v` holds another
 * type.  Strings and the fd are borrowed from `v`.
 */
#define DEFINE_GET(name, ctype, code, field)                                    \
        _public_ int dbidl_variant_get_##name(const dbidl_variant *v, ctype *ret) {\
                return_if_fail(v, -EINVAL);                                     \
                return_if_fail(ret, -EINVAL);                                   \
                if (v->type != code)                                            \
                        return -ENXIO;                                          \
                *ret = v->basic.field;                                          \
                return 0;                                                       \
        }

DEFINE_GET(byte, uint8_t, 'y', y)
DEFINE_GET(bool, bool, 'b', b)
DEFINE_GET(int16, int16_t, 'n', n)
DEFINE_GET(uint16, uint16_t, 'q', q)
DEFINE_GET(int32, int32_t, 'i', i)
DEFINE_GET(uint32, uint32_t, 'u', u)
DEFINE_GET(int64, int64_t, 'x', x)
DEFINE_GET(uint64, uint64_t, 't', t)
DEFINE_GET(double, double, 'd', d)
DEFINE_GET(string, const char *, 's', str)
DEFINE_GET(objpath, const char *, 'o', str)
DEFINE_GET(signature_value, const char *, 'g', str)
DEFINE_GET(fd, int, 'h', fd)

/* 'as', 'ao' or 'ag' as a new vector (free with dbidl_strv_free()).  -EINVAL, -ENXIO, -ENOMEM. */
_public_ int dbidl_variant_get_strv(const dbidl_variant *v, char ***ret) {
        char **strv;

        return_if_fail(v, -EINVAL);
        return_if_fail(ret, -EINVAL);
        if (v->type != 'a' || !v->signature[1] || !strchr("sog", v->signature[1]) || v->signature[2])
                return -ENXIO;

        strv = calloc(v->n_children + 1, sizeof(char *));
        if (!strv)
                return -ENOMEM;
        for (size_t k = 0; k < v->n_children; k++) {
                strv[k] = strdup(v->children[k]->basic.str);
                if (!strv[k]) {
                        dbidl_strv_free(strv);
                        return -ENOMEM;
                }
        }
        *ret = strv;
        return 0;
}

/* The number of children: items, members, 2 for a dict entry, 1 for a nested variant, 0 for basic values. */
_public_ size_t dbidl_variant_get_n_children(const dbidl_variant *v) {
        return v ? v->n_children : 0;
}

/* The child at `i`, borrowed, or NULL past the end. */
_public_ dbidl_variant *dbidl_variant_get_child(const dbidl_variant *v, size_t i) {
        if (!v || i >= v->n_children)
                return NULL;
        return v->children[i];
}

/* Deep equality; doubles bitwise, fds by number.  Two NULLs are equal; NULL and a variant are not. */
_public_ bool dbidl_variant_equal(const dbidl_variant *a, const dbidl_variant *b) {
        if (a == b)
                return true;
        if (!a || !b)
                return false;
        if (a->type != b->type || strcmp(a->signature, b->signature) != 0)
                return false;

        switch (a->type) {
        case 'y': return a->basic.y == b->basic.y;
        case 'b': return a->basic.b == b->basic.b;
        case 'n': return a->basic.n == b->basic.n;
        case 'q': return a->basic.q == b->basic.q;
        case 'i': return a->basic.i == b->basic.i;
        case 'u': return a->basic.u == b->basic.u;
        case 'x': return a->basic.x == b->basic.x;
        case 't': return a->basic.t == b->basic.t;
        case 'd': return memcmp(&a->basic.d, &b->basic.d, sizeof(double)) == 0;
        case 's': case 'o': case 'g': return strcmp(a->basic.str, b->basic.str) == 0;
        case 'h': return a->basic.fd == b->basic.fd;
        default:
                break;
        }

        if (a->n_children != b->n_children)
                return false;
        for (size_t k = 0; k < a->n_children; k++)
                if (!dbidl_variant_equal(a->children[k], b->children[k]))
                        return false;
        return true;
}

/* Free a NULL-terminated vector and its strings.  Accepts NULL; returns NULL. */
_public_ char **dbidl_strv_free(char **strv) {
        if (strv) {
                for (char **s = strv; *s; s++)
                        free(*s);
                free(strv);
        }
        return NULL;
}

/* ---- text form ----------------------------------------------------------- */

/*
 * g_unichar_isprint() without Unicode tables: control characters (Cc), the
 * common format characters (Cf) and the non-characters U+FFFE/U+FFFF are
 * escaped; everything else is taken as printable.
 */
static bool unichar_is_print(uint32_t c) {
        if (c < 0x20 || (c >= 0x7f && c < 0xa0))
                return false;
        if (c == 0xad || (c >= 0x600 && c <= 0x605) || c == 0x61c || c == 0x6dd || c == 0x70f ||
            c == 0x180e || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f) || c == 0xfeff ||
            (c >= 0xfff9 && c <= 0xfffb) || c == 0xfffe || c == 0xffff)
                return false;
        return true;
}

static uint32_t utf8_next(const char **s) {
        const unsigned char *p = (const unsigned char *) *s;
        uint32_t c;
        size_t n;

        if (*p < 0x80) {
                *s += 1;
                return *p;
        }
        n = (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;
        c = *p & (0x3f >> n);
        for (size_t k = 1; k <= n; k++)
                c = (c << 6) | (p[k] & 0x3f);
        *s += n + 1;
        return c;
}

static void print_string(strbuf *sb, const char *str) {
        char quote = strchr(str, '\'') ? '"' : '\'';

        strbuf_append(sb, &quote, 1);
        while (*str) {
                const char *start = str;
                uint32_t c = utf8_next(&str);

                if (c == (uint32_t) quote || c == '\\')
                        strbuf_append(sb, "\\", 1);
                if (unichar_is_print(c)) {
                        strbuf_append(sb, start, (size_t) (str - start));
                        continue;
                }
                switch (c) {
                case '\a': strbuf_puts(sb, "\\a"); break;
                case '\b': strbuf_puts(sb, "\\b"); break;
                case '\f': strbuf_puts(sb, "\\f"); break;
                case '\n': strbuf_puts(sb, "\\n"); break;
                case '\r': strbuf_puts(sb, "\\r"); break;
                case '\t': strbuf_puts(sb, "\\t"); break;
                case '\v': strbuf_puts(sb, "\\v"); break;
                default:
                        if (c < 0x10000)
                                strbuf_printf(sb, "\\u%04x", (unsigned) c);
                        else
                                strbuf_printf(sb, "\\U%08x", (unsigned) c);
                }
        }
        strbuf_append(sb, &quote, 1);
}

/* The shortest "%.Ng" text that reads back as the same double, with '.' as the decimal point. */
static void print_double(strbuf *sb, double d) {
        char buf[64];
        const char *dp = localeconv()->decimal_point;
        size_t dplen = dp ? strlen(dp) : 0;
        char *p;

        for (int prec = 1; prec <= 17; prec++) {
                snprintf(buf, sizeof(buf), "%.*g", prec, d);
                if (isnan(d) || strtod(buf, NULL) == d)
                        break;
        }

        /* undo a locale's decimal comma */
        if (dplen > 0 && strcmp(dp, ".") != 0) {
                p = strstr(buf, dp);
                if (p) {
                        *p = '.';
                        memmove(p + 1, p + dplen, strlen(p + dplen) + 1);
                }
        }

        strbuf_puts(sb, buf);
        if (!strpbrk(buf, ".enN"))
                strbuf_puts(sb, ".0");
}

/* An "ay" that holds exactly one NUL, at its end, prints as a bytestring b'…', as GVariant does. */
static bool print_bytestring(strbuf *sb, const dbidl_variant *v) {
        bool has_quote = false;
        size_t n = v->n_children;

        if (n == 0 || v->children[n - 1]->basic.y != 0)
                return false;
        for (size_t k = 0; k + 1 < n; k++) {
                if (v->children[k]->basic.y == 0)
                        return false;
                if (v->children[k]->basic.y == '\'')
                        has_quote = true;
        }

        strbuf_puts(sb, has_quote ? "b\"" : "b'");
        for (size_t k = 0; k + 1 < n; k++) {
                uint8_t c = v->children[k]->basic.y;

                switch (c) {    /* g_strescape() */
                case '\b': strbuf_puts(sb, "\\b"); break;
                case '\f': strbuf_puts(sb, "\\f"); break;
                case '\n': strbuf_puts(sb, "\\n"); break;
                case '\r': strbuf_puts(sb, "\\r"); break;
                case '\t': strbuf_puts(sb, "\\t"); break;
                case '\v': strbuf_puts(sb, "\\v"); break;
                case '\\': strbuf_puts(sb, "\\\\"); break;
                case '"': strbuf_puts(sb, "\\\""); break;
                default:
                        if (c < 0x20 || c >= 0x7f)
                                strbuf_printf(sb, "\\%03o", c);
                        else
                                strbuf_append(sb, (const char *) &c, 1);
                }
        }
        strbuf_puts(sb, has_quote ? "\"" : "'");
        return true;
}

void variant_print(strbuf *sb, const dbidl_variant *v, bool annotate) {
        switch (v->type) {
        case 'y':
                strbuf_printf(sb, "%s0x%02x", annotate ? "byte " : "", v->basic.y);
                return;
        case 'b':
                strbuf_puts(sb, v->basic.b ? "true" : "false");
                return;
        case 'n':
                strbuf_printf(sb, "%s%d", annotate ? "int16 " : "", v->basic.n);
                return;
        case 'q':
                strbuf_printf(sb, "%s%u", annotate ? "uint16 " : "", v->basic.q);
                return;
        case 'i':
                strbuf_printf(sb, "%" PRIi32, v->basic.i);
                return;
        case 'u':
                strbuf_printf(sb, "%s%" PRIu32, annotate ? "uint32 " : "", v->basic.u);
                return;
        case 'x':
                strbuf_printf(sb, "%s%" PRIi64, annotate ? "int64 " : "", v->basic.x);
                return;
        case 't':
                strbuf_printf(sb, "%s%" PRIu64, annotate ? "uint64 " : "", v->basic.t);
                return;
        case 'h':
                strbuf_printf(sb, "%s%d", annotate ? "handle " : "", v->basic.fd);
                return;
        case 'd':
                print_double(sb, v->basic.d);
                return;
        case 's':
                print_string(sb, v->basic.str);
                return;
        case 'o':
                strbuf_printf(sb, "%s'%s'", annotate ? "objectpath " : "", v->basic.str);
                return;
        case 'g':
                strbuf_printf(sb, "%s'%s'", annotate ? "signature " : "", v->basic.str);
                return;
        case 'v':
                strbuf_puts(sb, "<");
                variant_print(sb, v->children[0], true);
                strbuf_puts(sb, ">");
                return;
        case 'e':
                strbuf_puts(sb, "{");
                variant_print(sb, v->children[0], annotate);
                strbuf_puts(sb, ", ");
                variant_print(sb, v->children[1], annotate);
                strbuf_puts(sb, "}");
                return;
        case 'r':
                strbuf_puts(sb, "(");
                for (size_t k = 0; k < v->n_children; k++) {
                        if (k > 0)
                                strbuf_puts(sb, ", ");
                        variant_print(sb, v->children[k], annotate);
                }
                strbuf_puts(sb, v->n_children == 1 ? ",)" : ")");
                return;
        case 'a':
                break;
        default:
                assert(false);
                return;
        }

        if (v->signature[1] == 'y' && print_bytestring(sb, v))
                return;

        if (v->n_children == 0) {
                if (annotate)
                        strbuf_printf(sb, "@%s ", v->signature);
                strbuf_puts(sb, v->signature[1] == '{' ? "{}" : "[]");
                return;
        }

        if (v->signature[1] == '{') {
                strbuf_puts(sb, "{");
                for (size_t k = 0; k < v->n_children; k++) {
                        const dbidl_variant *e = v->children[k];

                        if (k > 0)
                                strbuf_puts(sb, ", ");
                        variant_print(sb, e->children[0], annotate);
                        strbuf_puts(sb, ": ");
                        variant_print(sb, e->children[1], annotate);
                        annotate = false;
                }
                strbuf_puts(sb, "}");
        } else {
                strbuf_puts(sb, "[");
                for (size_t k = 0; k < v->n_children; k++) {
                        if (k > 0)
                                strbuf_puts(sb, ", ");
                        variant_print(sb, v->children[k], annotate);
                        annotate = false;
                }
                strbuf_puts(sb, "]");
        }
}

/*
 * Render `v` in GVariant text format as g_variant_print(v, TRUE) does; the
 * caller frees *ret.  Differences: doubles use the shortest text that reads
 * back exactly ("0.1", where GLib prints "0.10000000000000001"), and only
 * common non-printable characters are escaped in strings.  -EINVAL, -ENOMEM.
 */
_public_ int dbidl_variant_to_string(const dbidl_variant *v, char **ret) {
        strbuf sb = { 0 };

        return_if_fail(v, -EINVAL);
        return_if_fail(ret, -EINVAL);

        variant_print(&sb, v, true);
        return strbuf_steal(&sb, ret);
}

/* ---- wire ---------------------------------------------------------------- */

/*
 * Arrays of a fixed-size type other than 'b' go through
 * sd_bus_message_append_array()/read_array() in one piece; sd-bus refuses
 * booleans there (4 bytes on the wire), so those take the container path.
 */
static bool array_is_trivial(const char *signature) {
        return signature[0] == 'a' && type_is_fixed(signature[1]) && signature[1] != 'b' && signature[2] == 0;
}

static int append_fixed_array(sd_bus_message *m, const dbidl_variant *v) {
        char type = v->signature[1];
        size_t size = fixed_c_size(type);
        _cleanup_(freep) char *buf = NULL;

        if (v->n_children > 0) {
                buf = calloc(v->n_children, size);
                if (!buf)
                        return -ENOMEM;
        }
        for (size_t k = 0; k < v->n_children; k++)
                memcpy(buf + k * size, &v->children[k]->basic, size);
        return sd_bus_message_append_array(m, type, buf, v->n_children * size);
}

/* The signature between the brackets of a struct "(…)" or dict entry "{…}", as a new string. */
static char *signature_inner(const char *sig) {
        size_t len = strlen(sig);

        assert(len >= 2);
        return strndup(sig + 1, len - 2);
}

static int append_value(sd_bus_message *m, const dbidl_variant *v) {
        _cleanup_(freep) char *inner = NULL;
        const char *contents;
        int r, b;

        switch (v->type) {
        case 'b':
                b = v->basic.b;
                return sd_bus_message_append_basic(m, 'b', &b);
        case 's': case 'o': case 'g':
                return sd_bus_message_append_basic(m, v->type, v->basic.str);
        case 'y': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'd': case 'h':
                return sd_bus_message_append_basic(m, v->type, &v->basic);
        case 'a':
                if (array_is_trivial(v->signature))
                        return append_fixed_array(m, v);
                contents = v->signature + 1;
                break;
        case 'v':
                contents = v->children[0]->signature;
                break;
        case 'r': case 'e':
                inner = signature_inner(v->signature);
                if (!inner)
                        return -ENOMEM;
                contents = inner;
                break;
        default:
                assert(false);
                return -EINVAL;
        }

        r = sd_bus_message_open_container(m, v->type, contents);
        if (r < 0)
                return r;
        for (size_t k = 0; k < v->n_children; k++) {
                r = append_value(m, v->children[k]);
                if (r < 0)
                        return r;
        }
        return sd_bus_message_close_container(m);
}

/*
 * Append the value of `v` itself (an "i" variant appends an INT32).
 * -EINVAL for NULL arguments; otherwise what sd-bus returns (a dict entry
 * outside an array, for instance, is refused), or -ENOMEM.
 */
_public_ int dbidl_variant_append_value(sd_bus_message *m, const dbidl_variant *v) {
        return_if_fail(m, -EINVAL);
        return_if_fail(v, -EINVAL);

        return append_value(m, v);
}

/* Append `v` wrapped in a 'v' container.  Errors as dbidl_variant_append_value(). */
_public_ int dbidl_variant_append(sd_bus_message *m, const dbidl_variant *v) {
        int r;

        return_if_fail(m, -EINVAL);
        return_if_fail(v, -EINVAL);

        r = sd_bus_message_open_container(m, 'v', v->signature);
        if (r < 0)
                return r;
        r = append_value(m, v);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(m);
}

static int read_value(sd_bus_message *m, unsigned level, dbidl_variant **ret);

static int read_fixed_array(sd_bus_message *m, char type, dbidl_variant **ret) {
        size_t size = fixed_c_size(type);
        dbidl_variant **children;
        const void *data = NULL;
        size_t bytes = 0, n;
        char sig[2] = { type, 0 };
        int r;

        r = sd_bus_message_read_array(m, type, &data, &bytes);
        if (r < 0)
                return r;
        if (bytes % size != 0)
                return -EBADMSG;
        n = bytes / size;

        children = calloc(n ? n : 1, sizeof(dbidl_variant *));
        if (!children)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++) {
                r = variant_new_fixed_from(type, (const char *) data + k * size, &children[k]);
                if (r < 0) {
                        variant_unref_many(children, k);
                        return r;
                }
        }
        return variant_new_array_consume(sig, children, n, ret);
}

/* Read the children of the container just entered, until its end, into a new vector. */
static int read_children(sd_bus_message *m, unsigned level, dbidl_variant ***ret, size_t *ret_n) {
        dbidl_variant **children = NULL;
        size_t n = 0, alloc = 0;
        int r;

        for (;;) {
                r = sd_bus_message_at_end(m, false);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        break;
                if (n == alloc) {
                        size_t a = alloc ? alloc * 2 : 8;
                        dbidl_variant **c = reallocarray(children, a, sizeof(dbidl_variant *));
                        if (!c) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        children = c;
                        alloc = a;
                }
                r = read_value(m, level, &children[n]);
                if (r < 0)
                        goto fail;
                n++;
        }

        r = sd_bus_message_exit_container(m);
        if (r < 0)
                goto fail;
        *ret = children;
        *ret_n = n;
        return 0;

fail:
        variant_unref_many(children, n);
        return r;
}

static int read_value(sd_bus_message *m, unsigned level, dbidl_variant **ret) {
        dbidl_variant **children = NULL;
        const char *contents = NULL;
        size_t n = 0;
        char type;
        int r;

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;  /* nothing left to read */

        if (type_is_basic(type)) {
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
                        const char *str;
                        int fd;
                } u = { 0 };

                r = sd_bus_message_read_basic(m, type, &u);
                if (r < 0)
                        return r;
                if (r == 0)
                        return -ENXIO;
                switch (type) {
                case 'b': {
                        bool b = u.b != 0;
                        return variant_new_fixed_from('b', &b, ret);
                }
                case 's': case 'o': case 'g':
                        return variant_new_string_type(type, u.str, ret);
                case 'h':
                        /* the message owns its fds: keep a duplicate */
                        return dbidl_variant_new_fd(u.fd, ret);
                default:
                        return variant_new_fixed_from(type, &u, ret);
                }
        }

        if (!contents)
                return -EBADMSG;
        if (level >= VARIANT_DEPTH_MAX)
                return -EBADMSG;

        if (type == 'a' && type_is_fixed(contents[0]) && contents[0] != 'b' && contents[1] == 0)
                return read_fixed_array(m, contents[0], ret);

        r = sd_bus_message_enter_container(m, type, contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        r = read_children(m, level + 1, &children, &n);
        if (r < 0)
                return r;

        switch (type) {
        case 'a':
                r = dbidl_variant_new_array(contents, children, n, ret);
                break;
        case 'r':
                r = dbidl_variant_new_struct(children, n, ret);
                break;
        case 'e':
                r = n == 2 ? dbidl_variant_new_dict_entry(children[0], children[1], ret) : -EBADMSG;
                break;
        case 'v':
                r = n == 1 ? dbidl_variant_new_variant(children[0], ret) : -EBADMSG;
                break;
        default:
                r = -EBADMSG;
        }
        variant_unref_many(children, n);
        return r;
}

/*
 * Read the next complete value of `m`, whatever its type, into a new
 * variant.  -EINVAL for NULL arguments, -ENXIO at the end of the message or
 * container, -EBADMSG for values nested more than 64 containers deep, -ENOMEM,
 * -EMFILE when an fd cannot be duplicated, or what sd-bus returns.
 */
_public_ int dbidl_variant_read_value(sd_bus_message *m, dbidl_variant **ret) {
        return_if_fail(m, -EINVAL);
        return_if_fail(ret, -EINVAL);

        return read_value(m, 0, ret);
}

/*
 * Read one 'v' container from `m` into a new variant holding its contents.
 * -ENXIO if the next item is not a variant; otherwise as dbidl_variant_read_value().
 */
_public_ int dbidl_variant_read(sd_bus_message *m, dbidl_variant **ret) {
        _cleanup_(dbidl_variant_unrefp) dbidl_variant *v = NULL;
        const char *contents = NULL;
        char type;
        int r;

        return_if_fail(m, -EINVAL);
        return_if_fail(ret, -EINVAL);

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r < 0)
                return r;
        if (r == 0 || type != 'v' || !contents)
                return -ENXIO;

        r = sd_bus_message_enter_container(m, 'v', contents);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENXIO;
        r = read_value(m, 0, &v);
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(v);
        return 0;
}

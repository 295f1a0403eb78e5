/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/ast.c — the arena every tree node comes from, freeing a tree, and the type-kind tables */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

#define ARENA_CHUNK_SIZE (64u * 1024u)
#define ARENA_ALIGN (alignof(max_align_t))

typedef struct arena_chunk {
        struct arena_chunk *next;
        size_t size;
        size_t used;
        alignas(max_align_t) unsigned char data[];
} arena_chunk;

struct idl_arena {
        arena_chunk *head;
};

idl_arena *idl_arena_new(void) {
        return calloc(1, sizeof(idl_arena));
}

idl_arena *idl_arena_free(idl_arena *a) {
        if (!a)
                return NULL;
        for (arena_chunk *c = a->head, *next; c; c = next) {
                next = c->next;
                free(c);
        }
        free(a);
        return NULL;
}

void *idl_arena_alloc(idl_arena *a, size_t size) {
        arena_chunk *c;

        if (size == 0)
                size = 1;
        if (size > SIZE_MAX - ARENA_ALIGN - sizeof(arena_chunk))
                return NULL;
        size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);

        c = a->head;
        if (c && c->size - c->used >= size) {
                void *p = c->data + c->used;
                c->used += size;
                /* zeroed here, not when the chunk is made: a page of it is touched (and faulted in) only once it is
                 * handed out, so a small file costs a few pages, not ARENA_CHUNK_SIZE's sixteen */
                return memset(p, 0, size);
        }

        if (size > ARENA_CHUNK_SIZE / 4) {
                /* a big block gets a chunk of its own, behind the current one */
                c = calloc(1, sizeof(arena_chunk) + size);
                if (!c)
                        return NULL;
                c->size = c->used = size;
                if (a->head) {
                        c->next = a->head->next;
                        a->head->next = c;
                } else
                        a->head = c;
                return c->data;
        }

        c = malloc(sizeof(arena_chunk) + ARENA_CHUNK_SIZE);
        if (!c)
                return NULL;
        c->size = ARENA_CHUNK_SIZE;
        c->used = size;
        c->next = a->head;
        a->head = c;
        return memset(c->data, 0, size);
}

char *idl_arena_strndup(idl_arena *a, const char *s, size_t n) {
        char *p;

        if (n == SIZE_MAX)
                return NULL;
        p = idl_arena_alloc(a, n + 1);
        if (!p)
                return NULL;
        memcpy(p, s, n);
        p[n] = 0;
        return p;
}

char *idl_arena_strdup(idl_arena *a, const char *s) {
        return idl_arena_strndup(a, s, strlen(s));
}

char *idl_arena_printf(idl_arena *a, const char *fmt, ...) {
        va_list ap;
        char *p;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return NULL;
        p = idl_arena_alloc(a, (size_t) n + 1);
        if (!p)
                return NULL;
        va_start(ap, fmt);
        vsnprintf(p, (size_t) n + 1, fmt, ap);
        va_end(ap);
        return p;
}

void *idl_arena_grow(idl_arena *a, void *old, size_t n, size_t *cap, size_t elsize) {
        size_t newcap;
        void *p;

        if (n < *cap)
                return old;
        newcap = *cap ? *cap * 2 : 4;
        if (newcap <= n || newcap > SIZE_MAX / elsize)
                return NULL;
        p = idl_arena_alloc(a, newcap * elsize);
        if (!p)
                return NULL;
        if (n > 0)
                memcpy(p, old, n * elsize);
        *cap = newcap;
        return p;
}

idl_file *idl_file_free(idl_file *f) {
        if (!f)
                return NULL;
        for (size_t i = 0; i < f->n_owned; i++)
                idl_file_free(f->owned[i]);
        free(f->owned);
        idl_arena_free(f->arena);
        free(f);
        return NULL;
}

static const struct {
        char code;
        const char *name;
} kinds[] = {
        [IDL_TYPE_BYTE]      = { 'y', "byte" },
        [IDL_TYPE_BOOL]      = { 'b', "bool" },
        [IDL_TYPE_INT16]     = { 'n', "int16" },
        [IDL_TYPE_UINT16]    = { 'q', "uint16" },
        [IDL_TYPE_INT32]     = { 'i', "int32" },
        [IDL_TYPE_UINT32]    = { 'u', "uint32" },
        [IDL_TYPE_INT64]     = { 'x', "int64" },
        [IDL_TYPE_UINT64]    = { 't', "uint64" },
        [IDL_TYPE_DOUBLE]    = { 'd', "double" },
        [IDL_TYPE_STRING]    = { 's', "string" },
        [IDL_TYPE_OBJPATH]   = { 'o', "objpath" },
        [IDL_TYPE_SIGNATURE] = { 'g', "signature" },
        [IDL_TYPE_FD]        = { 'h', "fd" },
        [IDL_TYPE_VARIANT]   = { 'v', "variant" },
        [IDL_TYPE_BLOB]      = { 'h', "blob" },
};

char idl_type_kind_code(idl_type_kind k) {
        if ((unsigned) k > IDL_TYPE_BLOB)
                return 0;
        return kinds[k].code;
}

const char *idl_access_keyword(idl_access a) {
        static const char *const words[] = {
                [IDL_ACCESS_READONLY] = "readonly",
                [IDL_ACCESS_READWRITE] = "readwrite",
                [IDL_ACCESS_WRITEONLY] = "writeonly",
        };
        return (unsigned) a < sizeof(words) / sizeof(words[0]) ? words[a] : "readwrite";
}

const char *idl_access_xml(idl_access a) {
        static const char *const words[] = {
                [IDL_ACCESS_READONLY] = "read",
                [IDL_ACCESS_READWRITE] = "readwrite",
                [IDL_ACCESS_WRITEONLY] = "write",
        };
        return (unsigned) a < sizeof(words) / sizeof(words[0]) ? words[a] : "readwrite";
}

const char *idl_emits_keyword(idl_emits m) {
        static const char *const words[] = {
                [IDL_EMITS_CHANGE] = "change",
                [IDL_EMITS_INVALIDATES] = "invalidates",
                [IDL_EMITS_CONST] = "const",
                [IDL_EMITS_NONE] = "none",
        };
        return (unsigned) m < sizeof(words) / sizeof(words[0]) ? words[m] : "change";
}

const char *idl_emits_xml(idl_emits m) {
        static const char *const words[] = {
                [IDL_EMITS_CHANGE] = "true",
                [IDL_EMITS_INVALIDATES] = "invalidates",
                [IDL_EMITS_CONST] = "const",
                [IDL_EMITS_NONE] = "false",
        };
        return (unsigned) m < sizeof(words) / sizeof(words[0]) ? words[m] : "true";
}

const char *idl_typedecl_keyword(idl_typedecl_kind k) {
        static const char *const words[] = {
                [IDL_DECL_STRUCT] = "struct",
                [IDL_DECL_ENUM] = "enum",
                [IDL_DECL_FLAGS] = "flags",
        };
        return (unsigned) k < sizeof(words) / sizeof(words[0]) ? words[k] : "struct";
}

const char *idl_type_kind_name(idl_type_kind k) {
        if ((unsigned) k > IDL_TYPE_BLOB)
                return NULL;
        return kinds[k].name;
}

bool idl_type_kind_is_basic(idl_type_kind k) {
        return (unsigned) k <= IDL_TYPE_FD;
}

/* Append t's signature with blobs as 'H' to `f`; whether a blob was written.  Linear: sema refused recursive structs. */
static bool blob_marks(FILE *f, const idl_type *t) {
        bool any = false;
        switch (t->kind) {
        case IDL_TYPE_BLOB:
                fputc('H', f);
                return true;
        case IDL_TYPE_ARRAY:
                fputc('a', f);
                return blob_marks(f, t->elem);
        case IDL_TYPE_DICT:
                fputs("a{", f);
                any = blob_marks(f, t->key);
                any = blob_marks(f, t->elem) || any;
                fputc('}', f);
                return any;
        case IDL_TYPE_STRUCT:
                fputc('(', f);
                for (size_t i = 0; i < t->n_fields; i++)
                        any = blob_marks(f, t->fields[i].type) || any;
                fputc(')', f);
                return any;
        case IDL_TYPE_NAMED:
                if (t->decl && t->decl->kind == IDL_DECL_STRUCT) {
                        fputc('(', f);
                        for (size_t i = 0; i < t->decl->n_fields; i++)
                                any = blob_marks(f, t->decl->fields[i].type) || any;
                        fputc(')', f);
                        return any;
                }
                fputs(t->signature ? t->signature : "", f);
                return false;
        default:
                fputc(idl_type_kind_code(t->kind), f);
                return false;
        }
}

char *idl_type_blob_marks(const idl_type *t, bool *ret_oom) {
        char *buf = NULL;
        size_t len = 0;
        *ret_oom = false;
        if (!t || !t->signature)
                return NULL;
        FILE *f = open_memstream(&buf, &len);
        if (!f) {
                *ret_oom = true;
                return NULL;
        }
        bool any = blob_marks(f, t);
        if (fclose(f) != 0) {
                free(buf);
                *ret_oom = true;
                return NULL;
        }
        if (!any || strlen(buf) != strlen(t->signature)) {
                /* no blob, or a part whose signature is unknown */
                free(buf);
                return NULL;
        }
        return buf;
}

bool idl_type_kind_is_fixed(idl_type_kind k) {
        return (unsigned) k <= IDL_TYPE_DOUBLE;
}

bool idl_type_kind_is_integer(idl_type_kind k) {
        switch (k) {
        case IDL_TYPE_BYTE:
        case IDL_TYPE_INT16:
        case IDL_TYPE_UINT16:
        case IDL_TYPE_INT32:
        case IDL_TYPE_UINT32:
        case IDL_TYPE_INT64:
        case IDL_TYPE_UINT64:
                return true;
        default:
                return false;
        }
}

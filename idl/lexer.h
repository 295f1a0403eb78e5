/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/lexer.h — the tokenizer, plus the arena and helpers the front end's passes share (internal to idl/) */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ast.h"
#include "diag.h"

/* Small cleanup helpers, private to the front end. */
#define IDL_CLEANUP(f) __attribute__((cleanup(f)))
static inline void idl_freep(void *p) {
        free(*(void **) p);
}
#define IDL_TAKE_PTR(p) ({ __typeof__(p) _take_ = (p); (p) = NULL; _take_; })

/*
 * The arena: every node, string and array of an idl_file is allocated here
 * and released at once by idl_file_free().  Allocations are zeroed.  Not
 * thread-safe; one arena belongs to one tree.
 */
typedef struct idl_arena idl_arena;

/* A new, empty arena, or NULL (out of memory). */
idl_arena *idl_arena_new(void);
/* Release the arena and everything allocated from it.  Accepts NULL; returns NULL. */
idl_arena *idl_arena_free(idl_arena *a);
/* `size` zeroed bytes aligned for any type, or NULL (out of memory). */
void *idl_arena_alloc(idl_arena *a, size_t size);
/* Copies of strings into the arena, NUL-terminated, or NULL (out of memory). */
char *idl_arena_strndup(idl_arena *a, const char *s, size_t n);
char *idl_arena_strdup(idl_arena *a, const char *s);
char *idl_arena_printf(idl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Make room for element number `n` (0-based) of an array of `elsize`-byte
 * elements whose capacity is *cap: returns `old` when it is big enough, else
 * a copy with twice the capacity (the old block stays in the arena until the
 * arena is freed).  New slots are zeroed.  NULL on out of memory.
 */
void *idl_arena_grow(idl_arena *a, void *old, size_t n, size_t *cap, size_t elsize);

/* Append a zeroed element to arena array `arr` of `n` elements, capacity `cap`; evaluates to its address or NULL. */
#define IDL_ARENA_PUSH(a, arr, n, cap) ({                                               \
        __typeof__(arr) _new_ = idl_arena_grow((a), (arr), (n), &(cap), sizeof(*(arr))); \
        _new_ ? ((arr) = _new_, &_new_[(n)++]) : NULL;                                  \
})

/* Edit distance (insertions, deletions, substitutions, transpositions of neighbours). */
size_t idl_edit_distance(const char *a, const char *b);
/*
 * The candidate nearest to `name` within an edit distance of 2 (and less
 * than the length of `name`), or NULL.  Ties go to the earlier candidate.
 */
const char *idl_suggest(const char *name, const char *const *candidates, size_t n);

/* Tokens. */
typedef enum idl_token_kind {
        TOK_EOF,
        TOK_IDENT,
        TOK_INT,
        TOK_STRING,
        TOK_LBRACE,
        TOK_RBRACE,
        TOK_LPAREN,
        TOK_RPAREN,
        TOK_LBRACKET,
        TOK_RBRACKET,
        TOK_LT,
        TOK_GT,
        TOK_COMMA,
        TOK_SEMI,
        TOK_COLON,
        TOK_EQUALS,
        TOK_AT,
        TOK_DOT,
        TOK_ARROW,
        TOK_BAD_NAME,           /* a word that is no identifier ("Ok-Bad", "été", "a$b"); the lexer does not report
                                 * it, the parser does, saying what the word should have been */
        /* keywords */
        TOK_KW_INTERFACE,
        TOK_KW_IMPORT,
        TOK_KW_STRUCT,
        TOK_KW_ENUM,
        TOK_KW_FLAGS,
        TOK_KW_ERROR,
        TOK_KW_METHOD,
        TOK_KW_SIGNAL,
        TOK_KW_PROPERTY,
        TOK_KW_READONLY,
        TOK_KW_READWRITE,
        TOK_KW_WRITEONLY,
        TOK_KW_RAISES,
        TOK_KW_DICT,
        /* the type keywords, in idl_type_kind order (TOK_KW_BYTE + IDL_TYPE_x) */
        TOK_KW_BYTE,
        TOK_KW_BOOL,
        TOK_KW_INT16,
        TOK_KW_UINT16,
        TOK_KW_INT32,
        TOK_KW_UINT32,
        TOK_KW_INT64,
        TOK_KW_UINT64,
        TOK_KW_DOUBLE,
        TOK_KW_STRING,
        TOK_KW_OBJPATH,
        TOK_KW_SIGNATURE,
        TOK_KW_FD,
        TOK_KW_VARIANT,
        TOK_KW_BLOB,
        /* only when idl_lexer.keep_comments is set */
        TOK_COMMENT,            /* a // or / * * / comment, doc comments too; the text is the whole comment */
} idl_token_kind;

#define TOK_IS_KEYWORD(k) ((k) >= TOK_KW_INTERFACE && (k) <= TOK_KW_BLOB)
#define TOK_IS_TYPE_KEYWORD(k) ((k) >= TOK_KW_BYTE && (k) <= TOK_KW_BLOB)
#define TOK_TYPE_KIND(k) ((idl_type_kind) ((k) - TOK_KW_BYTE))

typedef enum idl_literal_error {
        IDL_LIT_OK,
        IDL_LIT_INVALID,        /* "0x", "12ab": not an integer literal */
        IDL_LIT_OVERFLOW,       /* does not fit in 64 bits */
} idl_literal_error;

#define IDL_NOT_UTF8 UINT32_MAX

typedef struct idl_token {
        idl_token_kind kind;
        idl_loc loc;
        const char *start;      /* the token's text in the source */
        size_t length;          /* its length in bytes */
        bool first_on_line;     /* no token before it on its line */
        char *string;           /* STRING: the unescaped value (arena) */
        uint64_t magnitude;     /* INT: the absolute value */
        bool negative;          /* INT: written with a leading '-' */
        char *doc;              /* the doc comment just before the token, or NULL (arena) */
        unsigned newlines_before;       /* line breaks between the previous token (or comment) and this one */
        idl_literal_error literal_error;        /* INT: why the literal is bad (not reported by the lexer: the
                                                 * parser reports it where the token is used) */
        bool unterminated;      /* STRING: no closing quote before the end of the line (reported) */
        size_t bad_offset;      /* BAD_NAME: where in the token the first character that no name may have is */
        uint32_t bad_char;      /* BAD_NAME: that character, a code point, or IDL_NOT_UTF8 (a byte that is not UTF-8) */
} idl_token;

typedef struct idl_lexer {
        const char *path;
        const char *text;
        size_t len;             /* up to the first NUL byte, if any */
        size_t pos;
        unsigned line;
        size_t line_start;
        idl_arena *arena;
        idl_diag_sink *sink;
        bool truncated;         /* a NUL byte or an unterminated comment was reported: input ends (no more errors) */
        char *doc;              /* pending doc comment */
        bool doc_is_line;       /* the pending doc came from /// lines */
        unsigned doc_line;      /* line of the last /// line of the pending doc */
        unsigned last_token_line;
        unsigned end_line, end_col;     /* just after the last token: where EOF is reported */
        bool keep_comments;     /* return comments as TOK_COMMENT tokens (for the formatter); set after init */
        unsigned nl;            /* line breaks since the last token */
        size_t comment_start;   /* keep_comments: the comment just skipped */
        unsigned comment_line, comment_nl;
        size_t comment_line_start;
} idl_lexer;

/*
 * Prepare to tokenize `text` (`len` bytes; `path` is used in locations).  A
 * NUL byte is reported at once, and then the text is taken as binary: no
 * tokens but TOK_EOF, and no further errors.
 */
void idl_lexer_init(idl_lexer *lx, const char *path, const char *text, size_t len,
                    idl_arena *arena, idl_diag_sink *sink);
/*
 * The next token into *ret.  Mistakes (stray characters, bad literals,
 * unterminated comments and strings) are reported to the sink and skipped.
 * At the end, TOK_EOF again and again.  Returns 0 or -ENOMEM.
 */
int idl_lexer_next(idl_lexer *lx, idl_token *ret);

/*
 * Report a bad INT token (tok->literal_error set) the way the lexer would:
 * "invalid integer literal '0x'", "integer literal '…' does not fit in 64
 * bits".  Nothing for a good one.
 */
void idl_report_literal(idl_diag_sink *sink, const idl_token *tok);

/*
 * The UTF-8 sequence at `s` (at most `n` bytes): its length (1 to 4) and
 * code point in *ret, or 0 when it is no valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF are not).
 */
size_t idl_utf8_decode(const char *s, size_t n, uint32_t *ret);

/* The keyword spelled `s` (`n` bytes), or TOK_IDENT. */
idl_token_kind idl_keyword_lookup(const char *s, size_t n);
/* true for identifiers and keywords: what may name a member, field or parameter. */
bool idl_token_is_name(const idl_token *t);

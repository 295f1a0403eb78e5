/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/lexer.c — the tokenizer: identifiers, keywords, integers, strings, punctuation, comments and doc comments */
#include <errno.h>
#include <string.h>

#include "lexer.h"

static const char *const keywords[] = {
        [TOK_KW_INTERFACE] = "interface",
        [TOK_KW_IMPORT]    = "import",
        [TOK_KW_STRUCT]    = "struct",
        [TOK_KW_ENUM]      = "enum",
        [TOK_KW_FLAGS]     = "flags",
        [TOK_KW_ERROR]     = "error",
        [TOK_KW_METHOD]    = "method",
        [TOK_KW_SIGNAL]    = "signal",
        [TOK_KW_PROPERTY]  = "property",
        [TOK_KW_READONLY]  = "readonly",
        [TOK_KW_READWRITE] = "readwrite",
        [TOK_KW_WRITEONLY] = "writeonly",
        [TOK_KW_RAISES]    = "raises",
        [TOK_KW_DICT]      = "dict",
        [TOK_KW_BYTE]      = "byte",
        [TOK_KW_BOOL]      = "bool",
        [TOK_KW_INT16]     = "int16",
        [TOK_KW_UINT16]    = "uint16",
        [TOK_KW_INT32]     = "int32",
        [TOK_KW_UINT32]    = "uint32",
        [TOK_KW_INT64]     = "int64",
        [TOK_KW_UINT64]    = "uint64",
        [TOK_KW_DOUBLE]    = "double",
        [TOK_KW_STRING]    = "string",
        [TOK_KW_OBJPATH]   = "objpath",
        [TOK_KW_SIGNATURE] = "signature",
        [TOK_KW_FD]        = "fd",
        [TOK_KW_VARIANT]   = "variant",
        [TOK_KW_BLOB]      = "blob",
};

idl_token_kind idl_keyword_lookup(const char *s, size_t n) {
        for (int k = TOK_KW_INTERFACE; k <= TOK_KW_BLOB; k++)
                if (strlen(keywords[k]) == n && memcmp(keywords[k], s, n) == 0)
                        return (idl_token_kind) k;
        return TOK_IDENT;
}

bool idl_token_is_name(const idl_token *t) {
        return t->kind == TOK_IDENT || TOK_IS_KEYWORD(t->kind);
}

static bool is_ident_start(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_ident_char(char c) {
        return is_ident_start(c) || is_digit(c);
}

static int hex_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

size_t idl_utf8_decode(const char *s, size_t n, uint32_t *ret) {
        const unsigned char *u = (const unsigned char *) s;
        uint32_t cp, min;
        size_t len;

        if (n == 0)
                return 0;
        if (u[0] < 0x80) {
                *ret = u[0];
                return 1;
        }
        if (u[0] >= 0xC2 && u[0] <= 0xDF) {
                len = 2;
                cp = u[0] & 0x1F;
                min = 0x80;
        } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
                len = 3;
                cp = u[0] & 0x0F;
                min = 0x800;
        } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
                len = 4;
                cp = u[0] & 0x07;
                min = 0x10000;
        } else
                return 0;
        if (n < len)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((u[i] & 0xC0) != 0x80)
                        return 0;
                cp = cp << 6 | (u[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        *ret = cp;
        return len;
}

/* A lone CR (an old Mac line end) ends a line like LF; CR LF is one line end, at the LF. */
static bool is_line_end(const idl_lexer *lx, size_t pos) {
        return lx->text[pos] == '\n' || (lx->text[pos] == '\r' && (pos + 1 >= lx->len || lx->text[pos + 1] != '\n'));
}

static idl_loc loc_here(const idl_lexer *lx, size_t pos, unsigned len) {
        return (idl_loc) {
                .file = lx->path,
                .line = lx->line,
                .col = (unsigned) (pos - lx->line_start + 1),
                .len = len > 0 ? len : 1,
        };
}

void idl_lexer_init(idl_lexer *lx, const char *path, const char *text, size_t len,
                    idl_arena *arena, idl_diag_sink *sink) {
        const char *nul;

        *lx = (idl_lexer) {
                .path = path,
                .text = text,
                .len = len,
                .line = 1,
                .arena = arena,
                .sink = sink,
                .end_line = 1,
                .end_col = 1,
        };

        nul = memchr(text, 0, len);
        if (nul) {
                idl_loc loc = { .file = path, .line = 1, .col = 1, .len = 1 };
                size_t ls = 0, at = (size_t) (nul - text);

                for (size_t i = 0; i < at; i++)
                        if (text[i] == '\n') {
                                loc.line++;
                                ls = i + 1;
                        }
                loc.col = (unsigned) (at - ls + 1);
                idl_error_at(sink, loc, "file contains a NUL byte; is it a text file?");
                /* binary input: one error, not one per byte of it; nothing is tokenized */
                lx->len = 0;
                lx->truncated = true;
        }
        /* a UTF-8 byte order mark is no part of the text (as for gcc); columns count from after it */
        if (lx->len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
                lx->pos = lx->line_start = 3;
}

static void newline(idl_lexer *lx) {
        /* lx->pos is just past a line end */
        lx->line++;
        lx->line_start = lx->pos;
        lx->nl++;
}

/* keep_comments: remember where the comment at lx->pos starts. */
static void comment_begins(idl_lexer *lx) {
        lx->comment_start = lx->pos;
        lx->comment_line = lx->line;
        lx->comment_line_start = lx->line_start;
        lx->comment_nl = lx->nl;
}

/* Append one doc line to a growing buffer in the arena. */
typedef struct docbuf {
        char *p;
        size_t n, cap;
} docbuf;

static int docbuf_add(idl_arena *a, docbuf *b, const char *s, size_t n) {
        if (b->n + n + 1 > b->cap) {
                size_t cap = b->cap ? b->cap : 64;
                char *p;

                while (cap < b->n + n + 1)
                        cap *= 2;
                p = idl_arena_alloc(a, cap);
                if (!p)
                        return -ENOMEM;
                if (b->n)
                        memcpy(p, b->p, b->n);
                b->p = p;
                b->cap = cap;
        }
        memcpy(b->p + b->n, s, n);
        b->n += n;
        b->p[b->n] = 0;
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Check the bytes of a comment or string at lx->pos for UTF-8: when they are
 * no UTF-8 sequence, report `what` ("invalid UTF-8 in a comment") at that
 * byte unless *reported (once per comment or string is enough).  Returns the
 * length of the sequence, 1 for a bad byte.
 */
static size_t check_utf8(idl_lexer *lx, const char *what, bool *reported) {
        uint32_t cp;
        size_t n = idl_utf8_decode(lx->text + lx->pos, lx->len - lx->pos, &cp);

        if (n > 0)
                return n;
        if (!*reported)
                idl_error_at(lx->sink, loc_here(lx, lx->pos, 1), "invalid UTF-8 in %s (byte 0x%02x)", what,
                             (unsigned char) lx->text[lx->pos]);
        *reported = true;
        return 1;
}

/* The text of a block doc comment: the part between "/ **" and "* /". */
static int block_doc(idl_lexer *lx, const char *s, size_t n, char **ret) {
        docbuf b = {};
        size_t pending_blank = 0;       /* empty lines not yet written (dropped at the end) */
        bool any = false, first = true;
        size_t i = 0;

        while (i <= n) {
                size_t start = i, end;
                const char *l;
                size_t ll;

                while (i < n && s[i] != '\n' && !(s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
                        i++;
                end = i;
                i++;    /* past the '\n' (or past the end) */

                l = s + start;
                ll = end - start;
                while (ll > 0 && is_blank(*l)) {
                        l++;
                        ll--;
                }
                if (!first && ll > 0 && *l == '*') {
                        l++;
                        ll--;
                        if (ll > 0 && *l == ' ')
                                l++, ll--;
                }
                first = false;
                while (ll > 0 && is_blank(l[ll - 1]))
                        ll--;

                if (ll == 0) {
                        if (any)
                                pending_blank++;
                        continue;
                }
                for (; pending_blank > 0; pending_blank--)
                        if (docbuf_add(lx->arena, &b, "\n", 1) < 0)
                                return -ENOMEM;
                if (any && docbuf_add(lx->arena, &b, "\n", 1) < 0)
                        return -ENOMEM;
                if (docbuf_add(lx->arena, &b, l, ll) < 0)
                        return -ENOMEM;
                any = true;
        }
        *ret = any ? b.p : NULL;
        return 0;
}

/*
 * Skip white space and comments, collecting doc comments into lx->doc.
 * Returns 0, -ENOMEM, or (keep_comments) 1: a comment was just skipped.
 */
static int skip_space(idl_lexer *lx) {
        const char *t = lx->text;

        while (lx->pos < lx->len) {
                char c = t[lx->pos];

                if (is_line_end(lx, lx->pos)) {
                        lx->pos++;
                        newline(lx);
                } else if (is_blank(c))
                        lx->pos++;
                else if (c == '/' && lx->pos + 1 < lx->len && t[lx->pos + 1] == '/') {
                        size_t start = lx->pos, end;
                        bool doc = lx->pos + 2 < lx->len && t[lx->pos + 2] == '/' &&
                                   !(lx->pos + 3 < lx->len && t[lx->pos + 3] == '/');
                        bool bad = false;

                        comment_begins(lx);
                        while (lx->pos < lx->len && !is_line_end(lx, lx->pos)) {
                                if ((unsigned char) t[lx->pos] >= 0x80)
                                        lx->pos += check_utf8(lx, doc ? "a doc comment" : "a comment", &bad);
                                else
                                        lx->pos++;
                        }
                        end = lx->pos;
                        if (doc) {
                                const char *l = t + start + 3;
                                size_t ll = end - start - 3;
                                docbuf b = {};

                                if (ll > 0 && *l == ' ')
                                        l++, ll--;
                                while (ll > 0 && is_blank(l[ll - 1]))
                                        ll--;
                                if (lx->doc && lx->doc_is_line && lx->doc_line + 1 == lx->line) {
                                        if (docbuf_add(lx->arena, &b, lx->doc, strlen(lx->doc)) < 0 ||
                                            docbuf_add(lx->arena, &b, "\n", 1) < 0)
                                                return -ENOMEM;
                                }
                                if (docbuf_add(lx->arena, &b, l, ll) < 0)
                                        return -ENOMEM;
                                lx->doc = b.p;
                                lx->doc_is_line = true;
                                lx->doc_line = lx->line;
                        }
                        if (lx->keep_comments)
                                return 1;
                } else if (c == '/' && lx->pos + 1 < lx->len && t[lx->pos + 1] == '*') {
                        size_t start = lx->pos;
                        idl_loc loc = loc_here(lx, start, 2);
                        bool doc = lx->pos + 3 < lx->len && t[lx->pos + 2] == '*' &&
                                   t[lx->pos + 3] != '*' && t[lx->pos + 3] != '/';
                        bool closed = false, bad = false;

                        comment_begins(lx);
                        lx->pos += 2;
                        while (lx->pos < lx->len) {
                                if (t[lx->pos] == '*' && lx->pos + 1 < lx->len && t[lx->pos + 1] == '/') {
                                        lx->pos += 2;
                                        closed = true;
                                        break;
                                }
                                if (is_line_end(lx, lx->pos)) {
                                        lx->pos++;
                                        newline(lx);
                                } else if ((unsigned char) t[lx->pos] >= 0x80)
                                        lx->pos += check_utf8(lx, doc ? "a doc comment" : "a comment", &bad);
                                else
                                        lx->pos++;
                        }
                        if (!closed) {
                                if (!lx->truncated)
                                        idl_error_at(lx->sink, loc, "unterminated comment");
                                lx->truncated = true;   /* the rest of the file is gone: no more errors */
                                return lx->keep_comments ? 1 : 0;
                        }
                        if (doc) {
                                char *text;

                                if (block_doc(lx, t + start + 3, lx->pos - 2 - (start + 3), &text) < 0)
                                        return -ENOMEM;
                                lx->doc = text;
                                lx->doc_is_line = false;
                        }
                        if (lx->keep_comments)
                                return 1;
                } else
                        break;
        }
        return 0;
}

static int lex_string(idl_lexer *lx, idl_token *tok) {
        const char *t = lx->text;
        size_t start = lx->pos;
        docbuf b = {};
        bool closed = false, bad_utf8 = false, escaped_high = false;

        if (docbuf_add(lx->arena, &b, "", 0) < 0)
                return -ENOMEM;
        lx->pos++;      /* the opening quote */
        while (lx->pos < lx->len) {
                char c = t[lx->pos], out;
                size_t esc = lx->pos;

                if (c == '"') {
                        lx->pos++;
                        closed = true;
                        break;
                }
                if (is_line_end(lx, lx->pos))
                        break;
                if (c != '\\') {
                        size_t n = (unsigned char) c >= 0x80 ? check_utf8(lx, "a string", &bad_utf8) : 1;

                        if (docbuf_add(lx->arena, &b, t + lx->pos, n) < 0)
                                return -ENOMEM;
                        lx->pos += n;
                        continue;
                }

                lx->pos++;
                if (lx->pos >= lx->len || is_line_end(lx, lx->pos))
                        break;
                c = t[lx->pos++];
                switch (c) {
                case 'n': out = '\n'; break;
                case 't': out = '\t'; break;
                case 'r': out = '\r'; break;
                case 'a': out = '\a'; break;
                case 'b': out = '\b'; break;
                case 'f': out = '\f'; break;
                case 'v': out = '\v'; break;
                case 'e': out = 0x1b; break;
                case '\\': case '"': case '\'': case '?': out = c; break;
                case '0' ... '7': {
                        unsigned v = (unsigned) (c - '0');

                        for (int k = 0; k < 2 && lx->pos < lx->len && t[lx->pos] >= '0' && t[lx->pos] <= '7'; k++)
                                v = v * 8 + (unsigned) (t[lx->pos++] - '0');
                        if (v > 0xff) {
                                idl_error_at(lx->sink, loc_here(lx, esc, (unsigned) (lx->pos - esc)),
                                             "octal escape sequence out of range");
                                v = '?';
                        }
                        out = (char) v;
                        break;
                }
                case 'x': {
                        unsigned v = 0;
                        int k = 0;

                        for (; k < 2 && lx->pos < lx->len && hex_value(t[lx->pos]) >= 0; k++)
                                v = v * 16 + (unsigned) hex_value(t[lx->pos++]);
                        if (k == 0) {
                                idl_error_at(lx->sink, loc_here(lx, esc, 2), "\\x used with no following hex digits");
                                v = '?';
                        }
                        out = (char) v;
                        break;
                }
                default:
                        if ((unsigned char) c >= 0x20 && (unsigned char) c < 0x7f)
                                idl_error_at(lx->sink, loc_here(lx, esc, 2), "unknown escape sequence '\\%c'", c);
                        else
                                idl_error_at(lx->sink, loc_here(lx, esc, 2), "unknown escape sequence '\\\\x%02x'",
                                             (unsigned char) c);
                        out = c;
                        if ((unsigned char) c >= 0x80) {
                                /* the rest of a UTF-8 sequence after the backslash goes with it */
                                lx->pos--;
                                lx->pos += check_utf8(lx, "a string", &bad_utf8);
                                if (docbuf_add(lx->arena, &b, t + esc + 1, lx->pos - esc - 1) < 0)
                                        return -ENOMEM;
                                continue;
                        }
                        break;
                }
                if (out == 0) {
                        idl_error_at(lx->sink, loc_here(lx, esc, (unsigned) (lx->pos - esc)),
                                     "a string cannot contain a NUL character");
                        continue;
                }
                if ((unsigned char) out >= 0x80)
                        escaped_high = true;
                if (docbuf_add(lx->arena, &b, &out, 1) < 0)
                        return -ENOMEM;
        }
        if (!closed) {
                if (!(lx->truncated && lx->pos >= lx->len))
                        idl_error_at(lx->sink, loc_here(lx, start, 1), "unterminated string");
                tok->unterminated = true;
        } else if (escaped_high && !bad_utf8) {
                /* "\xc3\xa9" is é; "\xff" would put a byte that is no UTF-8 into the XML and the C strings */
                uint32_t cp;

                for (size_t i = 0; i < b.n;) {
                        size_t n = idl_utf8_decode(b.p + i, b.n - i, &cp);

                        if (n == 0) {
                                idl_error_at(lx->sink, loc_here(lx, start, (unsigned) (lx->pos - start)),
                                             "the escape sequences of this string make it invalid UTF-8");
                                break;
                        }
                        i += n;
                }
        }

        tok->kind = TOK_STRING;
        tok->string = b.p;
        return 0;
}

/*
 * A byte that may be part of a word: identifier characters, any byte of a
 * non-ASCII character, ASCII characters that are no token ('$', '#', '?' …),
 * and '-' between such (not "->").  A word that is not an identifier is one
 * TOK_BAD_NAME ("Ok-Bad", "été"), so that one mistake makes one error.
 */
static bool is_stray_ascii(unsigned char c) {
        return c > 0x20 && c < 0x7f && !is_ident_char((char) c) && !strchr("{}()[]<>,;:=@.\"/-", c);
}

/* A Unicode space (no-break space, en space, ideographic space …) at `p`: its length, else 0. */
static size_t unicode_space(const idl_lexer *lx, size_t p) {
        uint32_t cp;
        size_t n = idl_utf8_decode(lx->text + p, lx->len - p, &cp);

        if (n > 1 && (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
                      cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF))
                return n;
        return 0;
}

static bool is_word_byte(const idl_lexer *lx, size_t p) {
        unsigned char c = (unsigned char) lx->text[p];

        if (c >= 0x80)
                return (c & 0xC0) == 0x80 || unicode_space(lx, p) == 0;
        if (is_ident_char((char) c) || is_stray_ascii(c))
                return true;
        if (c == '-' && p + 1 < lx->len) {
                unsigned char d = (unsigned char) lx->text[p + 1];

                return is_ident_char((char) d) || d >= 0x80 || is_stray_ascii(d);
        }
        return false;
}

static void lex_number(idl_lexer *lx, idl_token *tok) {
        const char *t = lx->text;
        size_t p = lx->pos;
        uint64_t v = 0;
        bool overflow = false, bad = false;

        if (t[p] == '-') {
                tok->negative = true;
                p++;
        }
        if (t[p] == '0' && p + 1 < lx->len && (t[p + 1] == 'x' || t[p + 1] == 'X')) {
                p += 2;
                if (p >= lx->len || hex_value(t[p]) < 0)
                        bad = true;
                while (p < lx->len && hex_value(t[p]) >= 0) {
                        if (v > UINT64_MAX / 16)
                                overflow = true;
                        v = v * 16 + (uint64_t) hex_value(t[p++]);
                }
        } else {
                while (p < lx->len && is_digit(t[p])) {
                        unsigned d = (unsigned) (t[p++] - '0');

                        if (v > (UINT64_MAX - d) / 10)
                                overflow = true;
                        v = v * 10 + d;
                }
        }
        while (p < lx->len && is_word_byte(lx, p)) {
                bad = true;
                p++;
        }
        lx->pos = p;
        tok->kind = TOK_INT;
        tok->magnitude = overflow || bad ? 0 : v;
        if (tok->magnitude == 0)
                tok->negative = false;
        tok->literal_error = bad ? IDL_LIT_INVALID : overflow ? IDL_LIT_OVERFLOW : IDL_LIT_OK;
}

void idl_report_literal(idl_diag_sink *sink, const idl_token *tok) {
        if (tok->kind != TOK_INT || tok->literal_error == IDL_LIT_OK)
                return;
        if (tok->literal_error == IDL_LIT_INVALID)
                idl_error_at(sink, tok->loc, "invalid integer literal '%.*s'", (int) tok->length, tok->start);
        else
                idl_error_at(sink, tok->loc, "integer literal '%.*s' does not fit in 64 bits", (int) tok->length,
                             tok->start);
}

/* Report a run of characters that make no token and no word: control characters, or ASCII like '$' alone. */
static void report_stray(idl_lexer *lx, size_t start, size_t end) {
        const char *t = lx->text;
        unsigned char u = (unsigned char) t[start];
        idl_loc loc = loc_here(lx, start, (unsigned) (end - start));

        if (u < 0x20 || u == 0x7f) {
                if (end - start > 1)
                        idl_error_at(lx->sink, loc, "unexpected control characters ('\\x%02x' and %zu more)", u,
                                     end - start - 1);
                else
                        idl_error_at(lx->sink, loc, "unexpected control character '\\x%02x'", u);
        } else if (end - start > 1)
                idl_error_at(lx->sink, loc, "unexpected characters '%.*s'", (int) (end - start), t + start);
        else
                idl_error_at(lx->sink, loc, "unexpected character '%c'", t[start]);
}

int idl_lexer_next(idl_lexer *lx, idl_token *tok) {
        const char *t = lx->text;
        int r;

        for (;;) {
                size_t start;
                char c;

                *tok = (idl_token) {};
                r = skip_space(lx);
                if (r < 0)
                        return r;
                if (r > 0) {
                        tok->kind = TOK_COMMENT;
                        tok->start = t + lx->comment_start;
                        tok->length = lx->pos - lx->comment_start;
                        tok->loc = (idl_loc) {
                                .file = lx->path,
                                .line = lx->comment_line,
                                .col = (unsigned) (lx->comment_start - lx->comment_line_start + 1),
                                .len = 2,
                        };
                        tok->newlines_before = lx->comment_nl;
                        lx->nl = 0;
                        return 0;
                }

                tok->newlines_before = lx->nl;
                if (lx->pos >= lx->len) {
                        lx->nl = 0;
                        tok->kind = TOK_EOF;
                        tok->loc = (idl_loc) { .file = lx->path, .line = lx->end_line, .col = lx->end_col, .len = 1 };
                        tok->start = t + lx->len;
                        tok->doc = lx->doc;
                        lx->doc = NULL;
                        return 0;
                }

                start = lx->pos;
                c = t[start];
                tok->start = t + start;
                tok->first_on_line = lx->line != lx->last_token_line;
                tok->loc = loc_here(lx, start, 1);

                if ((unsigned char) c >= 0x80 && unicode_space(lx, start) > 0) {
                        /* pasted text: a space that looks like one, and is no white space here */
                        uint32_t cp;

                        idl_utf8_decode(t + start, lx->len - start, &cp);
                        while (lx->pos < lx->len && unicode_space(lx, lx->pos) > 0)
                                lx->pos += unicode_space(lx, lx->pos);
                        idl_error_at(lx->sink, loc_here(lx, start, (unsigned) (lx->pos - start)),
                                     "unexpected character U+%04X, a Unicode space; write an ASCII space", (unsigned) cp);
                        continue;
                }
                if (c == '#') {
                        /* a shell or preprocessor habit: one error, and the rest of the line goes with it */
                        size_t p = start + 1;

                        while (p < lx->len && is_blank(t[p]))
                                p++;
                        if ((lx->len - p >= 7 && memcmp(t + p, "include", 7) == 0) ||
                            (lx->len - p >= 6 && memcmp(t + p, "import", 6) == 0))
                                idl_error_at(lx->sink, loc_here(lx, start, 1),
                                             "there is no preprocessor: a file is imported with 'import \"file.idl\";'");
                        else
                                idl_error_at(lx->sink, loc_here(lx, start, 1),
                                             "'#' starts no comment: comments are written // … or /* … */");
                        while (lx->pos < lx->len && !is_line_end(lx, lx->pos))
                                lx->pos++;
                        continue;
                }
                if (is_digit(c) || (c == '-' && start + 1 < lx->len && is_digit(t[start + 1])))
                        lex_number(lx, tok);
                else if (c == '"') {
                        r = lex_string(lx, tok);
                        if (r < 0)
                                return r;
                } else if (c == '-' && start + 1 < lx->len && t[start + 1] == '>') {
                        tok->kind = TOK_ARROW;
                        lx->pos += 2;
                } else if (c != '-' && strchr("{}()[]<>,;:=@.", c)) {
                        static const char punct[] = "{}()[]<>,;:=@.";

                        tok->kind = (idl_token_kind) (TOK_LBRACE + (strchr(punct, c) - punct));
                        lx->pos++;
                } else if (c != 0 && is_word_byte(lx, start)) {
                        bool ident = is_ident_start(c), wordy = false;
                        size_t bad = SIZE_MAX;

                        while (lx->pos < lx->len && is_word_byte(lx, lx->pos)) {
                                unsigned char u = (unsigned char) t[lx->pos];

                                if (is_ident_char((char) u) || u >= 0x80)
                                        wordy = true;
                                if (!is_ident_char((char) u) && bad == SIZE_MAX)
                                        bad = lx->pos;
                                lx->pos++;
                        }
                        if (!wordy) {
                                /* '$', "#!": nothing like a name */
                                report_stray(lx, start, lx->pos);
                                continue;
                        }
                        if (ident && bad == SIZE_MAX)
                                tok->kind = idl_keyword_lookup(t + start, lx->pos - start);
                        else {
                                uint32_t cp = (unsigned char) t[bad];

                                if (cp >= 0x80 && idl_utf8_decode(t + bad, lx->len - bad, &cp) == 0)
                                        cp = IDL_NOT_UTF8;
                                tok->kind = TOK_BAD_NAME;
                                tok->bad_offset = bad - start;
                                tok->bad_char = cp;
                        }
                } else {
                        /* control characters, a '-' alone */
                        lx->pos++;
                        if ((unsigned char) c < 0x20 || c == 0x7f)
                                while (lx->pos < lx->len && ((unsigned char) t[lx->pos] < 0x20 || t[lx->pos] == 0x7f) &&
                                       !is_blank(t[lx->pos]) && t[lx->pos] != '\n' && t[lx->pos] != 0)
                                        lx->pos++;
                        report_stray(lx, start, lx->pos);
                        continue;
                }

                tok->length = lx->pos - start;
                tok->loc.len = tok->length > 0 ? (unsigned) tok->length : 1;
                lx->nl = 0;
                tok->doc = lx->doc;
                lx->doc = NULL;
                lx->last_token_line = lx->line;
                lx->end_line = lx->line;
                lx->end_col = (unsigned) (lx->pos - lx->line_start + 1);
                return 0;
        }
}

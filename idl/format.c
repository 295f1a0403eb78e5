/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/format.c — the formatter: a token stream (comments included) printed in the canonical layout */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"
#include "lexer.h"

/*
 * The layout, in short (docs/idl.md has the user's version):
 *  - a statement (declaration, member, field, import) starts a line at
 *    8 spaces per open block; `;` ends it;
 *  - interface bodies are always one member per line; struct, enum and
 *    flags bodies stay on one line when they were written on one line,
 *    else one field or value per line;
 *  - annotations join the line of their declaration, except those of an
 *    interface, which get a line each above it (a parameter's stay in the
 *    parameter list, before its name, like any token there); `{` joins its
 *    header; a line comment after annotations, or comments on lines of
 *    their own between them and their declaration, put the declaration on
 *    a line of its own at the statement's indentation, not as a
 *    continuation (the same for a `{` after a line comment);
 *  - a line break inside parentheses, or before `->` / `raises`, is kept
 *    as a continuation line: aligned after the '(' , or, when the list
 *    starts on a new line (a "vertical" list), 8 spaces deeper than the
 *    line of the '(' with the ')' back at that line's indentation if it was
 *    on a line of its own; before `->`, 8 spaces deeper; all other breaks
 *    inside a statement are dropped;
 *  - blank lines between statements are kept, collapsed to one, and
 *    dropped after `{` and before `}`;
 *  - comments stay where they are: on their own line, or after a token on
 *    its line (a space on each side, but none before `,` `;` `:` `)` `]`
 *    `>` after a block comment); block comments are re-indented with their first line (when
 *    every further line starts with '*', those are aligned under the first
 *    line's '*');
 *  - empty statements (a stray `;`) are dropped; no other token changes.
 * Every token is printed as written, so doc comments and the tree the
 * parser builds are the same before and after.
 */

#define INDENT 8
#define MAX_NEST 256

typedef struct ftok {
        idl_token_kind kind;
        const char *start;
        size_t length;
        unsigned nl;            /* line breaks before it */
        unsigned line;          /* source line of its first byte */
        unsigned col;           /* source column of its first byte */
} ftok;

typedef enum block_kind {
        BLOCK_INTERFACE,
        BLOCK_STRUCT,
        BLOCK_ENUM,
} block_kind;

typedef struct block {
        block_kind kind;
        bool expanded;
} block;

typedef enum pending {
        PEND_NONE,
        PEND_SOFT,              /* after a comment on its own line: a new line if the source had one, else a space */
        PEND_STMT,              /* a new statement: new line at the block's indentation */
        PEND_CONT,              /* a continuation line */
} pending;

typedef struct fmt {
        FILE *out;
        const ftok *t;
        size_t n;
        size_t *match;          /* index of the matching '}' for each '{' */
        unsigned col;           /* output column, 0 at the start of a line */
        unsigned indent_next;   /* spaces to write before the next text on a new line */
        unsigned level;         /* open expanded blocks */
        pending pend;
        bool allow_blank;       /* a blank line may come before the next statement */
        bool in_stmt;           /* tokens of the current statement were written */
        idl_token_kind head;    /* the statement's keyword (interface, struct, method, …), or TOK_EOF */
        const ftok *prev, *prev2;       /* the last two tokens written (comments included) */
        const ftok *code_prev2;         /* the token before the last one written, comments left out */
        const ftok *code_prev;          /* the last token written, comments left out */
        unsigned line_indent;   /* the indentation of the current output line */
        bool iface_head;        /* the statement is an interface: its annotations get a line each */
        bool annots_only;       /* the statement so far is annotations: a line break in it goes back to its indentation */
        unsigned pcol[MAX_NEST];        /* continuation column inside each open '(' */
        unsigned pclose[MAX_NEST];      /* vertical lists: the column of a ')' on its own line; else UINT_MAX */
        size_t np;
        block blocks[MAX_NEST];
        size_t nb;
} fmt;

static void put(fmt *f, const char *s, size_t n) {
        if (n == 0)
                return;
        if (f->col == 0)
                for (unsigned i = 0; i < f->indent_next; i++, f->col++)
                        fputc(' ', f->out);
        fwrite(s, 1, n, f->out);
        f->col += (unsigned) n;
}

static void newline(fmt *f, unsigned indent) {
        fputc('\n', f->out);
        f->col = 0;
        f->indent_next = indent;
        f->line_indent = indent;
}

static bool is_name(idl_token_kind k) {
        return k == TOK_IDENT || TOK_IS_KEYWORD(k);
}

/* Statement-level blocks: the file, interfaces, expanded structs. */
static bool at_statement_level(const fmt *f) {
        if (f->nb == 0)
                return true;
        return f->blocks[f->nb - 1].kind == BLOCK_INTERFACE ||
               (f->blocks[f->nb - 1].kind == BLOCK_STRUCT && f->blocks[f->nb - 1].expanded);
}

static unsigned cont_indent(const fmt *f) {
        return f->np > 0 ? f->pcol[f->np - 1] : (f->level + 1) * INDENT;
}

static bool needs_space(const fmt *f, const ftok *t) {
        const ftok *p = f->prev;

        if (!p)
                return false;
        if (t->kind == TOK_COMMENT)
                return !(p->kind == TOK_LPAREN || p->kind == TOK_LBRACKET || p->kind == TOK_LT);
        switch (t->kind) {
        case TOK_LBRACKET:
        case TOK_DOT:
        case TOK_LT:
                /* set off from a comment before them (the comment is set off from what precedes it) */
                return p->kind == TOK_COMMENT;
        case TOK_COMMA:
        case TOK_SEMI:
        case TOK_RPAREN:
        case TOK_RBRACKET:
        case TOK_GT:
                /* closing and separating punctuation follows even a block comment directly (`a` comment `:`) */
                return false;
        case TOK_COLON:
                return f->head == TOK_KW_ENUM || f->head == TOK_KW_FLAGS;
        case TOK_LPAREN:
                /* the keyword of `-> (…) raises (E)` (even with a comment in between), not a method named raises */
                if (f->code_prev && f->code_prev->kind == TOK_KW_RAISES && f->code_prev2 &&
                    f->code_prev2->kind == TOK_RPAREN)
                        return true;
                if (is_name(p->kind) || p->kind == TOK_LPAREN || p->kind == TOK_LT)
                        return false;
                break;
        default:
                break;
        }
        switch (p->kind) {
        case TOK_LPAREN:
        case TOK_LBRACKET:
        case TOK_LT:
        case TOK_AT:
        case TOK_DOT:
                return false;
        default:
                return true;
        }
}

/* A comment: trailing whitespace dropped from every line, continuation lines moved with the first. */
static void put_comment(fmt *f, const ftok *t) {
        const char *s = t->start, *end = t->start + t->length;
        unsigned new_col = f->col == 0 ? f->indent_next : f->col;
        bool first = true, starred = t->start[1] == '*';

        /* a block comment whose every other line starts with '*' gets them aligned under its first '*' */
        for (const char *l = memchr(s, '\n', t->length); starred && l; l = memchr(l + 1, '\n', (size_t) (end - l - 1))) {
                const char *q = l + 1;

                while (q < end && (*q == ' ' || *q == '\t'))
                        q++;
                starred = q < end && *q == '*';
        }

        while (s <= end) {
                const char *e = memchr(s, '\n', (size_t) (end - s)), *b = s;
                size_t n;

                if (!e)
                        e = end;
                if (!first) {
                        unsigned strip = starred ? UINT_MAX : t->col - 1, w = 0;

                        while (b < e && (*b == ' ' || *b == '\t') && w < strip) {
                                b++;
                                w++;
                        }
                }
                n = (size_t) (e - b);
                while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r'))
                        n--;
                if (!first)
                        newline(f, new_col + (starred ? 1 : 0));
                put(f, b, n);
                first = false;
                if (e == end)
                        break;
                s = e + 1;
        }
}

static bool is_line_comment(const ftok *t) {
        return t->kind == TOK_COMMENT && t->length >= 2 && t->start[1] == '/';
}

/* Resolve a pending break before token `t`. */
static void break_before(fmt *f, const ftok *t) {
        pending p = f->pend;

        f->pend = PEND_NONE;
        if (p == PEND_SOFT)
                p = t->nl > 0 ? PEND_STMT : PEND_NONE;
        switch (p) {
        case PEND_STMT:
                newline(f, f->level * INDENT);
                if (t->nl >= 2 && f->allow_blank && t->kind != TOK_RBRACE)
                        newline(f, f->level * INDENT);
                break;
        case PEND_CONT:
                newline(f, cont_indent(f));
                break;
        default:
                if (f->col > 0 && needs_space(f, t))
                        put(f, " ", 1);
                break;
        }
}

/*
 * Inside a statement, a break that must be there (a line comment ends the
 * line) but is no continuation: after annotations, whose declaration keeps
 * its own indentation, or before the '{' of a header.
 */
static void stmt_break(fmt *f) {
        f->pend = PEND_STMT;
        f->allow_blank = false;
}

/* The kind of the first token from i on that is no comment (TOK_EOF at the end). */
static idl_token_kind next_code(const fmt *f, size_t i) {
        for (; i < f->n; i++)
                if (f->t[i].kind != TOK_COMMENT)
                        return f->t[i].kind;
        return TOK_EOF;
}

/* A break in the statement at token i goes back to the statement's indentation. */
static bool breaks_to_statement(const fmt *f, size_t i) {
        return f->np == 0 && (f->annots_only || next_code(f, i) == TOK_LBRACE);
}

static void end_statement(fmt *f) {
        f->pend = PEND_STMT;
        f->allow_blank = true;
        f->in_stmt = false;
        f->head = TOK_EOF;
}

static void format_comment(fmt *f, size_t i) {
        const ftok *t = &f->t[i];
        bool own_line = t->nl > 0 || !f->prev;

        if (!own_line) {
                /* after a token on its line: stays there */
                if (f->col > 0 && needs_space(f, t))
                        put(f, " ", 1);
                put_comment(f, t);
                if (is_line_comment(t) && f->pend == PEND_NONE) {
                        if (breaks_to_statement(f, i + 1))
                                stmt_break(f);
                        else
                                f->pend = PEND_CONT;
                }
        } else if (!f->in_stmt) {
                if (f->prev) {
                        if (f->pend == PEND_NONE || f->pend == PEND_SOFT)
                                f->pend = PEND_STMT;
                        break_before(f, t);
                }
                put_comment(f, t);
                f->pend = is_line_comment(t) ? PEND_STMT : PEND_SOFT;
                f->allow_blank = true;
        } else if (breaks_to_statement(f, i + 1)) {
                stmt_break(f);
                break_before(f, t);
                put_comment(f, t);
                if (is_line_comment(t))
                        stmt_break(f);
        } else {
                f->pend = PEND_CONT;
                break_before(f, t);
                put_comment(f, t);
                f->pend = is_line_comment(t) ? PEND_CONT : PEND_NONE;
        }
        f->prev2 = f->prev;
        f->prev = t;
}

/* Whether the annotations starting at token i belong to an interface. */
static bool annotates_interface(const fmt *f, size_t i) {
        while (i < f->n) {
                if (f->t[i].kind == TOK_COMMENT || f->t[i].kind == TOK_IDENT) {
                        i++;
                } else if (f->t[i].kind == TOK_AT) {
                        i++;
                        if (i < f->n && f->t[i].kind == TOK_IDENT)
                                i++;
                        if (i < f->n && f->t[i].kind == TOK_LPAREN)
                                while (i < f->n && f->t[i].kind != TOK_RPAREN)
                                        i++;
                        if (i < f->n && f->t[i].kind == TOK_RPAREN)
                                i++;
                } else
                        return f->t[i].kind == TOK_KW_INTERFACE;
        }
        return false;
}

static void format_token(fmt *f, size_t i) {
        const ftok *t = &f->t[i];
        bool preserve;

        if (t->kind == TOK_SEMI && !f->in_stmt && at_statement_level(f) && f->np == 0)
                return;         /* an empty statement */

        if (!f->in_stmt) {
                f->iface_head = t->kind == TOK_AT && annotates_interface(f, i);
                f->annots_only = t->kind == TOK_AT;
        } else {
                /* past the annotations (`@name`, `@name(…)`) at the first other token outside parentheses */
                if (f->annots_only && f->np == 0 && t->kind != TOK_AT && !(f->code_prev && f->code_prev->kind == TOK_AT) &&
                    !(t->kind == TOK_LPAREN && f->code_prev2 && f->code_prev2->kind == TOK_AT))
                        f->annots_only = false;
                if (f->iface_head && f->head == TOK_EOF && f->np == 0 &&
                    (t->kind == TOK_AT || t->kind == TOK_KW_INTERFACE) && f->pend == PEND_NONE)
                        stmt_break(f);
        }
        /* a '{' after a line comment ending its header: at the statement's indentation, not a continuation */
        if (t->kind == TOK_LBRACE && f->np == 0 && f->pend == PEND_CONT)
                stmt_break(f);

        if (t->kind == TOK_RBRACE && f->nb > 0) {
                block b = f->blocks[--f->nb];

                if (b.expanded) {
                        f->level--;
                        f->pend = PEND_STMT;
                        f->allow_blank = false;
                }
        }

        if (t->kind == TOK_RPAREN && f->np > 0 && f->np <= MAX_NEST && f->pclose[f->np - 1] != UINT_MAX &&
            t->nl > 0 && f->pend == PEND_NONE) {
                /* the ')' of a vertical list, on its own line */
                newline(f, f->pclose[f->np - 1]);
                preserve = false;
        } else
                preserve = f->in_stmt && t->nl > 0 && f->pend == PEND_NONE &&
                           ((f->np > 0 && t->kind != TOK_RPAREN) || t->kind == TOK_ARROW ||
                            (t->kind == TOK_KW_RAISES && f->prev && f->prev->kind == TOK_RPAREN));
        if (preserve)
                f->pend = PEND_CONT;
        break_before(f, t);
        put(f, t->start, t->length);
        f->prev2 = f->prev;
        f->prev = t;
        f->code_prev2 = f->code_prev;
        f->code_prev = t;
        f->in_stmt = true;

        if (f->np == 0 && f->head == TOK_EOF)
                switch (t->kind) {
                case TOK_KW_INTERFACE:
                case TOK_KW_IMPORT:
                case TOK_KW_STRUCT:
                case TOK_KW_ENUM:
                case TOK_KW_FLAGS:
                case TOK_KW_ERROR:
                case TOK_KW_METHOD:
                case TOK_KW_SIGNAL:
                case TOK_KW_PROPERTY:
                        f->head = t->kind;
                        break;
                default:
                        break;
                }

        switch (t->kind) {
        case TOK_LPAREN:
                if (f->np < MAX_NEST) {
                        bool vertical = i + 1 < f->n && f->t[i + 1].nl > 0 && f->t[i + 1].kind != TOK_RPAREN;

                        f->pcol[f->np] = vertical ? f->line_indent + INDENT : f->col;
                        f->pclose[f->np] = vertical ? f->line_indent : UINT_MAX;
                }
                f->np++;
                break;
        case TOK_RPAREN:
                if (f->np > 0)
                        f->np--;
                break;
        case TOK_LBRACE: {
                block b = { .kind = BLOCK_INTERFACE, .expanded = true };

                if (f->head == TOK_KW_STRUCT)
                        b.kind = BLOCK_STRUCT;
                else if (f->head == TOK_KW_ENUM || f->head == TOK_KW_FLAGS)
                        b.kind = BLOCK_ENUM;
                if (b.kind != BLOCK_INTERFACE)
                        b.expanded = f->match[i] < f->n && f->t[f->match[i]].line != t->line;
                if (f->nb < MAX_NEST)
                        f->blocks[f->nb++] = b;
                f->head = TOK_EOF;
                if (b.expanded) {
                        f->level++;
                        f->pend = PEND_STMT;
                        f->allow_blank = false;
                        f->in_stmt = false;
                }
                break;
        }
        case TOK_RBRACE:
                if (at_statement_level(f) && !(i + 1 < f->n && f->t[i + 1].kind == TOK_SEMI))
                        end_statement(f);
                break;
        case TOK_SEMI:
                if (f->np == 0 && at_statement_level(f))
                        end_statement(f);
                break;
        case TOK_COMMA:
                if (f->np == 0 && f->nb > 0 && f->blocks[f->nb - 1].kind == BLOCK_ENUM && f->blocks[f->nb - 1].expanded) {
                        f->pend = PEND_STMT;
                        f->allow_blank = true;
                        f->in_stmt = false;
                }
                break;
        default:
                break;
        }
}

/* Every token of the text, comments included, up to the end. */
static int tokenize(const char *path, const char *text, size_t len, ftok **ret, size_t *ret_n) {
        idl_arena *arena = idl_arena_new();
        ftok *v = NULL;
        size_t n = 0, cap = 0;
        idl_lexer lx;
        int r = 0;

        if (!arena)
                return -ENOMEM;
        idl_lexer_init(&lx, path, text, len, arena, NULL);
        lx.keep_comments = true;
        for (;;) {
                idl_token tok;

                r = idl_lexer_next(&lx, &tok);
                if (r < 0 || tok.kind == TOK_EOF)
                        break;
                if (n == cap) {
                        ftok *nv;

                        cap = cap ? cap * 2 : 256;
                        nv = realloc(v, cap * sizeof(*v));
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        v = nv;
                }
                v[n++] = (ftok) {
                        .kind = tok.kind,
                        .start = tok.start,
                        .length = tok.length,
                        .nl = tok.newlines_before,
                        .line = tok.loc.line,
                        .col = tok.loc.col,
                };
        }
        idl_arena_free(arena);
        if (r < 0) {
                free(v);
                return r;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

int idl_format(const char *path, const char *text, size_t len, idl_diag_sink *sink, FILE *out) {
        idl_diag_sink *own_sink = NULL;
        idl_file *tree = NULL;
        FILE *null = NULL;
        size_t *stack = NULL, ns = 0;
        ftok *toks = NULL;
        unsigned errors;
        fmt f = {};
        int r;

        if (!path || (!text && len > 0) || !out)
                return -EINVAL;
        if (!text)
                text = "";

        /* refuse what does not parse (without a sink, into a private one that prints nowhere) */
        if (!sink) {
                null = fopen("/dev/null", "we");
                if (!null)
                        return -errno;
                r = idl_diag_sink_new(null, &own_sink);
                if (r < 0) {
                        fclose(null);
                        return r;
                }
                sink = own_sink;
        }
        errors = idl_diag_error_count(sink);
        r = idl_parse_string(path, text, len, sink, &tree);
        if (r >= 0 && idl_diag_error_count(sink) != errors)
                r = -EBADMSG;
        idl_file_free(tree);
        idl_diag_sink_free(own_sink);
        if (null)
                fclose(null);
        if (r < 0)
                return r;

        r = tokenize(path, text, len, &toks, &f.n);
        if (r < 0)
                return r;
        f.out = out;
        f.t = toks;
        f.head = TOK_EOF;
        f.match = malloc((f.n + 1) * sizeof(size_t));
        stack = malloc((f.n + 1) * sizeof(size_t));
        if (!f.match || !stack) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < f.n; i++) {
                f.match[i] = f.n;
                if (toks[i].kind == TOK_LBRACE)
                        stack[ns++] = i;
                else if (toks[i].kind == TOK_RBRACE && ns > 0)
                        f.match[stack[--ns]] = i;
        }

        for (size_t i = 0; i < f.n; i++) {
                if (toks[i].kind == TOK_COMMENT)
                        format_comment(&f, i);
                else
                        format_token(&f, i);
        }
        if (f.col > 0)
                fputc('\n', out);
        if (fflush(out) != 0 || ferror(out))
                r = -EIO;

finish:
        free(stack);
        free(f.match);
        free(toks);
        return r;
}

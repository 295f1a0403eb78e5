/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/parser.c — recursive-descent parser: tokens to the AST of ast.h, recovering at ';' and '}' */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"
#include "lexer.h"

/* Containers may nest this deep in one written type: D-Bus allows 32 arrays + 32 structs. */
#define MAX_TYPE_DEPTH 64

/*
 * Parse functions return 0, -ENOMEM, or SYNTAX: an error was reported and
 * the caller recovers (skips to where parsing can go on).  What did not
 * parse stays out of the tree, so that the semantic pass, which runs on the
 * rest, never sees a half-built node: a member is added only once it is
 * whole.  A struct, enum or flags declaration is kept once its name parsed,
 * marked incomplete when its body did not parse well, so that its uses
 * still resolve (one mistake, one error, as with gcc).
 */
#define SYNTAX 1
/* parse_annotation(): an argument was no string (reported); the annotation is dropped, its declaration kept */
#define DROPPED 2

typedef struct parser {
        idl_lexer lx;
        idl_token tok;
        idl_token prev;
        idl_token next;         /* peek(): the token after tok, lexed once */
        bool has_next;
        idl_arena *arena;
        idl_diag_sink *sink;
        idl_file *file;
        size_t cap_imports, cap_types, cap_interfaces;
        bool eof_reported;      /* "found end of file" is said once */
        bool quiet;             /* an unterminated string ate the rest of its line (reported): no syntax errors
                                 * until the parser has recovered, one mistake being one error */
        bool bad_name;          /* take_name() or take_dotted() took a word that is no name (reported) */
        bool oom;               /* peek() ran out of memory */
} parser;

/* What may precede a declaration: a doc comment and annotations. */
typedef struct prefix {
        char *doc;
        idl_annotation *annotations;
        size_t n_annotations;
} prefix;

static int advance(parser *p) {
        int r = 0;

        p->prev = p->tok;
        if (p->has_next) {
                p->tok = p->next;
                p->has_next = false;
        } else
                r = idl_lexer_next(&p->lx, &p->tok);
        if (r == 0 && p->tok.kind == TOK_STRING && p->tok.unterminated)
                p->quiet = true;
        return r;
}

/* The kind of the token after the current one. */
static idl_token_kind peek_kind(parser *p) {
        if (!p->has_next) {
                if (idl_lexer_next(&p->lx, &p->next) < 0) {
                        p->oom = true;
                        return TOK_EOF;
                }
                p->has_next = true;
        }
        return p->next.kind;
}

/* Report a syntax error, unless the parser is quiet; returns whether it was reported (for its notes). */
static bool syntax_error(parser *p, idl_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool syntax_error(parser *p, idl_loc loc, const char *fmt, ...) {
        va_list ap;

        if (p->quiet)
                return false;
        va_start(ap, fmt);
        idl_diagv(p->sink, IDL_SEVERITY_ERROR, loc, fmt, ap);
        va_end(ap);
        return true;
}

/* A token as messages name it: 'x', "a string", "end of file". */
static void describe_token(const idl_token *t, char *buf, size_t n) {
        if (t->kind == TOK_EOF)
                snprintf(buf, n, "end of file");
        else if (t->kind == TOK_STRING)
                snprintf(buf, n, "a string");
        else if (t->kind == TOK_BAD_NAME && t->bad_char >= 0x80 && t->bad_char != IDL_NOT_UTF8 && t->bad_offset == 0 &&
                 idl_utf8_decode(t->start, t->length, &(uint32_t) { 0 }) == t->length)
                snprintf(buf, n, "'%.*s' (U+%04X)", (int) t->length, t->start, (unsigned) t->bad_char);
        else if (t->length > 40)
                snprintf(buf, n, "'%.40s...'", t->start);
        else
                snprintf(buf, n, "'%.*s'", (int) t->length, t->start);
}

/* "expected X, found Y" at the current token; returns whether it was reported. */
static bool report_expected(parser *p, const char *what) {
        const idl_token *t = &p->tok;
        char found[64];

        if (t->kind == TOK_EOF) {
                bool shown = false;

                if (!p->lx.truncated && !p->eof_reported)
                        shown = syntax_error(p, t->loc, "expected %s, found end of file", what);
                p->eof_reported = true;
                return shown;
        }
        describe_token(t, found, sizeof(found));
        return syntax_error(p, t->loc, "expected %s, found %s", what, found);
}

static int expected(parser *p, const char *what) {
        report_expected(p, what);
        return SYNTAX;
}

static int expect(parser *p, idl_token_kind k, const char *what) {
        if (p->tok.kind != k)
                return expected(p, what);
        return advance(p);
}

/* After an error about a missing closing bracket: where the bracket it would close was opened. */
static void note_match(parser *p, bool shown, idl_loc open, char c) {
        if (shown)
                idl_note_at(p->sink, open, "to match this '%c'", c);
}

/*
 * Whether the current token, found where a bracket opened at `open` could be
 * closed, suggests the closing bracket was forgotten (rather than, say, a
 * ',' between two parameters): the end, a ';', a brace, another line.
 */
static bool looks_unclosed(const parser *p, idl_loc open) {
        idl_token_kind k = p->tok.kind;

        return k == TOK_EOF || k == TOK_SEMI || k == TOK_LBRACE || k == TOK_RBRACE || p->tok.loc.line != open.line;
}

/* The closing bracket `k` (`cc`) of what `open` (`oc`) opened; else an error and its note. */
static int expect_close(parser *p, idl_token_kind k, idl_loc open, char oc, char cc) {
        char what[8];

        if (p->tok.kind == k)
                return advance(p);
        snprintf(what, sizeof(what), "'%c'", cc);
        note_match(p, report_expected(p, what), open, oc);
        return SYNTAX;
}

static bool starts_declaration(idl_token_kind k) {
        switch (k) {
        case TOK_KW_INTERFACE:
        case TOK_KW_IMPORT:
        case TOK_KW_STRUCT:
        case TOK_KW_ENUM:
        case TOK_KW_FLAGS:
        case TOK_KW_ERROR:
        case TOK_KW_METHOD:
        case TOK_KW_SIGNAL:
        case TOK_KW_PROPERTY:
        case TOK_AT:
                return true;
        default:
                return false;
        }
}

/*
 * A declaration keyword at the start of a line, followed by a name (or, for
 * `import`, a string): a new declaration begins, so whatever bracket was
 * still open before it was not closed.  A keyword used as a name
 * (`error: string`) is followed by ':' or ',' instead.
 */
static bool declaration_starts_here(parser *p) {
        idl_token_kind k = p->tok.kind, n;

        if (!p->tok.first_on_line || k == TOK_AT || !starts_declaration(k))
                return false;
        n = peek_kind(p);
        if (k == TOK_KW_IMPORT)
                return n == TOK_STRING;
        return n == TOK_IDENT || n == TOK_BAD_NAME || TOK_IS_KEYWORD(n);
}

/* "expected '}' before 'interface'" at the current token, with a note at the opening bracket. */
static void missing_close(parser *p, idl_loc open, char oc, char cc) {
        char found[64];

        describe_token(&p->tok, found, sizeof(found));
        note_match(p, syntax_error(p, p->tok.loc, "expected '%c' before %s", cc, found), open, oc);
}

/*
 * The ';' that ends a declaration (`what`: "method declaration").  When it is
 * missing and what comes next starts something new (a new line, a '}', a
 * declaration keyword; in a struct, `name:`), the declaration is taken as
 * complete: the error is just after its last token, where the ';' belongs,
 * as gcc says it, and nothing after it is lost.  Otherwise the error is at
 * the token found, and the caller recovers.
 */
static int expect_semi(parser *p, const char *what, bool field) {
        idl_token_kind k = p->tok.kind;
        char found[64];

        if (k == TOK_SEMI)
                return advance(p);
        if (k == TOK_EOF || k == TOK_RBRACE || p->tok.first_on_line || starts_declaration(k) ||
            (field && idl_token_is_name(&p->tok) && peek_kind(p) == TOK_COLON)) {
                idl_loc at = p->prev.loc;

                at.col += (unsigned) p->prev.length;
                at.len = 1;
                if (!(k == TOK_EOF && p->lx.truncated))
                        syntax_error(p, at, "expected ';' after %s", what);
                return 0;
        }
        if (field && k == TOK_COMMA) {
                syntax_error(p, p->tok.loc, "struct fields end with ';', not ','");
                return advance(p);
        }
        describe_token(&p->tok, found, sizeof(found));
        syntax_error(p, p->tok.loc, "expected ';' after %s, found %s", what, found);
        return SYNTAX;
}

/*
 * Error recovery: skip to just after the next ';', or to the '}' that closes
 * the enclosing block (not consumed, unless `toplevel`), or past a balanced
 * { … } block (and a ';' after it), or to a declaration keyword that starts
 * a line.  Always makes progress unless at '}' or the end, or unless the
 * declaration that failed (it started at `start`) consumed tokens already.
 */
static int sync(parser *p, bool toplevel, const char *start) {
        unsigned long depth = 0;
        int r;

        /* a declaration keyword may stop the skipping at once if the broken declaration consumed anything */
        for (bool first = p->tok.start == start;; first = false) {
                idl_token_kind k = p->tok.kind;

                if (k == TOK_EOF)
                        return 0;
                if (depth == 0) {
                        if (k == TOK_SEMI)
                                return advance(p);
                        if (k == TOK_RBRACE)
                                return toplevel ? advance(p) : 0;
                        if (!first && p->tok.first_on_line && starts_declaration(k))
                                return 0;
                }
                if (k == TOK_LBRACE || k == TOK_LPAREN || k == TOK_LBRACKET)
                        depth++;
                else if ((k == TOK_RBRACE || k == TOK_RPAREN || k == TOK_RBRACKET) && depth > 0) {
                        depth--;
                        if (depth == 0 && k == TOK_RBRACE) {
                                r = advance(p);
                                if (r < 0)
                                        return r;
                                return p->tok.kind == TOK_SEMI ? advance(p) : 0;
                        }
                }
                r = advance(p);
                if (r < 0)
                        return r;
        }
}

static char *token_text(parser *p, const idl_token *t) {
        return idl_arena_strndup(p->arena, t->start, t->length);
}

/* "a method name" → "method name" */
static const char *noun(const char *what) {
        if (strncmp(what, "a ", 2) == 0)
                return what + 2;
        if (strncmp(what, "an ", 3) == 0)
                return what + 3;
        return what;
}

/* Why a word (TOK_BAD_NAME) or a number (TOK_INT) is no name. */
static void why_not_a_name(const idl_token *t, char *buf, size_t n) {
        const char *c = t->start + t->bad_offset;

        if (t->kind == TOK_INT)
                snprintf(buf, n, "it starts with a digit");
        else if (t->bad_char == IDL_NOT_UTF8)
                snprintf(buf, n, "it contains the byte 0x%02x, which is not UTF-8", (unsigned char) *c);
        else if (t->bad_char >= 0x80) {
                uint32_t cp;
                size_t len = idl_utf8_decode(c, t->length - t->bad_offset, &cp);

                snprintf(buf, n, "it contains '%.*s' (U+%04X); names are ASCII letters, digits and '_'", (int) len, c,
                         (unsigned) cp);
        } else
                snprintf(buf, n, "it contains '%c'", *c);
}

/* "'Ok-Bad' is not a valid interface name element: it contains '-'" */
static void report_bad_name(parser *p, const idl_token *t, const char *what) {
        char word[64], why[128];

        describe_token(t, word, sizeof(word));
        why_not_a_name(t, why, sizeof(why));
        if (strcmp(what, "a property name") == 0 && t->kind == TOK_BAD_NAME && t->bad_char == '-')
                syntax_error(p, t->loc,
                             "%s is not a valid property name: it contains '-'; name it without, and give its D-Bus "
                             "name with @dbus_name(\"%.*s\")",
                             word, (int) (t->length > 255 ? 255 : t->length), t->start);
        else
                syntax_error(p, t->loc, "%s is not a valid %s: %s", word, noun(what), why);
}

/*
 * A single name: an identifier, or (when `keywords_ok`) a keyword used as a
 * name.  A word that is no name ("Ok-Bad") and, where keywords are no names,
 * a keyword are reported and taken anyway, with p->bad_name set: the caller
 * decides whether what it names can be kept.
 */
static int take_name(parser *p, const char *what, bool keywords_ok, char **ret, idl_loc *ret_loc) {
        idl_token_kind k = p->tok.kind;

        if (k == TOK_BAD_NAME) {
                report_bad_name(p, &p->tok, what);
                p->bad_name = true;
        } else if (TOK_IS_KEYWORD(k) && !keywords_ok) {
                syntax_error(p, p->tok.loc, "'%.*s' is a keyword: it cannot be %s", (int) p->tok.length, p->tok.start,
                             what);
                p->bad_name = true;
        } else if (k != TOK_IDENT && !(keywords_ok && TOK_IS_KEYWORD(k)))
                return expected(p, what);
        *ret = token_text(p, &p->tok);
        if (!*ret)
                return -ENOMEM;
        *ret_loc = p->tok.loc;
        return advance(p);
}

/*
 * name { '.' name }, joined with dots; the location spans the whole name when
 * it is on one line.  An element that is no name ("1abc", "Ok-Bad") is
 * reported (the first one) and taken anyway, with p->bad_name set.
 */
static int take_dotted(parser *p, const char *what, const char *element, bool keywords_ok, char **ret,
                       idl_loc *ret_loc) {
        const idl_token first = p->tok;
        char *buf = NULL, *n;
        size_t len = 0;
        bool reported = false;
        int r;

        if (!(first.kind == TOK_IDENT || (keywords_ok && TOK_IS_KEYWORD(first.kind)) || first.kind == TOK_BAD_NAME ||
              first.kind == TOK_INT))
                return expected(p, what);
        for (;;) {
                if ((p->tok.kind == TOK_BAD_NAME || p->tok.kind == TOK_INT) && !reported) {
                        report_bad_name(p, &p->tok, element);
                        p->bad_name = reported = true;
                }
                n = realloc(buf, len + p->tok.length + 2);
                if (!n) {
                        free(buf);
                        return -ENOMEM;
                }
                buf = n;
                memcpy(buf + len, p->tok.start, p->tok.length);
                len += p->tok.length;
                buf[len] = 0;
                r = advance(p);
                if (r < 0 || p->tok.kind != TOK_DOT)
                        break;
                r = advance(p);
                if (r < 0)
                        break;
                if (!idl_token_is_name(&p->tok) && p->tok.kind != TOK_BAD_NAME && p->tok.kind != TOK_INT) {
                        r = expected(p, "a name after '.'");
                        break;
                }
                buf[len++] = '.';
        }
        if (r != 0) {
                free(buf);
                return r;
        }
        *ret = idl_arena_strndup(p->arena, buf, len);
        free(buf);
        if (!*ret)
                return -ENOMEM;
        *ret_loc = first.loc;
        if (p->prev.loc.line == first.loc.line)
                ret_loc->len = (unsigned) (p->prev.start + p->prev.length - first.start);
        return 0;
}

/*
 * An annotation argument that is no string (`@since(1.2)`): the tokens up to
 * the ',' or ')' on its line, underlined together, with the string it was
 * probably meant to be.
 */
static int bad_argument(parser *p) {
        const idl_token first = p->tok;
        bool has_string = false;
        idl_loc loc = first.loc;
        size_t len;
        int r;

        for (;;) {
                idl_token_kind k = p->tok.kind;

                if (k == TOK_COMMA || k == TOK_RPAREN || k == TOK_SEMI || k == TOK_LBRACE || k == TOK_RBRACE ||
                    k == TOK_EOF || p->tok.loc.line != first.loc.line || (p->tok.start != first.start && k == TOK_AT))
                        break;
                has_string = has_string || k == TOK_STRING;
                r = advance(p);
                if (r < 0)
                        return r;
        }
        len = (size_t) (p->prev.start + p->prev.length - first.start);
        loc.len = (unsigned) len;
        if (!has_string && len <= 40 && !memchr(first.start, '"', len) && !memchr(first.start, '\\', len))
                syntax_error(p, loc, "expected a string, found '%.*s'; did you mean \"%.*s\"?", (int) len, first.start,
                             (int) len, first.start);
        else if (len <= 40)
                syntax_error(p, loc, "expected a string, found '%.*s'", (int) len, first.start);
        else
                syntax_error(p, loc, "expected a string");
        return 0;
}

/* '@' name [ '(' [ arg { ',' arg } ] ')' ], arg: a string or a bare name */
static int parse_annotation(parser *p, idl_annotation *a) {
        const char *at = p->tok.start;
        size_t cap = 0, loc_cap = 0;
        bool dropped = false;
        idl_loc open;
        int r;

        *a = (idl_annotation) { .loc = p->tok.loc };
        r = advance(p);
        if (r < 0)
                return r;
        /* a word that is no name ("@c-name") can be no annotation: the checks say so, with a suggestion */
        if (p->tok.kind != TOK_IDENT && p->tok.kind != TOK_BAD_NAME)
                return expected(p, "an annotation name after '@'");
        a->name = token_text(p, &p->tok);
        if (!a->name)
                return -ENOMEM;
        if (p->tok.loc.line == a->loc.line)
                a->loc.len = (unsigned) (p->tok.start + p->tok.length - at);
        r = advance(p);
        if (r < 0 || p->tok.kind != TOK_LPAREN)
                return r;
        open = p->tok.loc;
        r = advance(p);
        if (r < 0)
                return r;
        if (p->tok.kind == TOK_RPAREN)
                return advance(p);
        for (;;) {
                char **arg, *v;
                idl_loc *l, loc = p->tok.loc;
                size_t n_locs = a->n_args;

                if (p->tok.kind == TOK_STRING) {
                        if (p->tok.unterminated)
                                return SYNTAX;  /* reported; the rest of the line is in it */
                        v = p->tok.string;
                        /* the text inside the quotes, which is what diagnostics about the value point at (and
                         * what an introspection XML origin writes as an attribute value), when it is spelled
                         * as it reads: no escapes */
                        if (*v && p->tok.length == strlen(v) + 2 && loc.len == p->tok.length) {
                                loc.col++;
                                loc.len -= 2;
                        }
                } else if (idl_token_is_name(&p->tok)) {
                        v = token_text(p, &p->tok);
                        if (!v)
                                return -ENOMEM;
                } else if (p->tok.kind == TOK_COMMA || p->tok.kind == TOK_RPAREN) {
                        if (!dropped)   /* "(,)" is one mistake */
                                report_expected(p, "a string");
                        dropped = true;
                        v = NULL;
                } else if (p->tok.kind == TOK_SEMI || p->tok.kind == TOK_LBRACE || p->tok.kind == TOK_RBRACE ||
                           p->tok.kind == TOK_EOF) {
                        note_match(p, report_expected(p, "a string"), open, '(');
                        return SYNTAX;
                } else {
                        r = bad_argument(p);
                        if (r < 0)
                                return r;
                        dropped = true;
                        v = NULL;
                }
                if (v) {
                        arg = IDL_ARENA_PUSH(p->arena, a->args, a->n_args, cap);
                        l = IDL_ARENA_PUSH(p->arena, a->arg_locs, n_locs, loc_cap);
                        if (!arg || !l)
                                return -ENOMEM;
                        *arg = v;
                        *l = loc;
                        r = advance(p);
                        if (r < 0)
                                return r;
                }
                if (p->tok.kind == TOK_COMMA) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                } else if (p->tok.kind == TOK_RPAREN) {
                        r = advance(p);
                        return r < 0 ? r : dropped ? DROPPED : 0;
                } else {
                        bool shown = report_expected(p, "',' or ')'");

                        if (looks_unclosed(p, open))
                                note_match(p, shown, open, '(');
                        return SYNTAX;
                }
        }
}

static int parse_prefix(parser *p, prefix *pre) {
        size_t cap = 0;
        int r;

        *pre = (prefix) { .doc = p->tok.doc };
        while (p->tok.kind == TOK_AT) {
                idl_annotation a, *slot;

                r = parse_annotation(p, &a);
                if (r != 0 && r != DROPPED)
                        return r;
                if (r == 0) {
                        slot = IDL_ARENA_PUSH(p->arena, pre->annotations, pre->n_annotations, cap);
                        if (!slot)
                                return -ENOMEM;
                        *slot = a;
                }
                /* a doc comment between annotations and the keyword wins */
                if (p->tok.doc)
                        pre->doc = p->tok.doc;
        }
        return 0;
}

static void no_annotations(parser *p, const prefix *pre, const char *where) {
        if (pre->n_annotations > 0)
                idl_error_at(p->sink, pre->annotations[0].loc, "annotations are not allowed on %s", where);
}

static void common_from_prefix(idl_common *c, const prefix *pre) {
        c->doc = pre->doc;
        c->annotations = pre->annotations;
        c->n_annotations = pre->n_annotations;
}

static int parse_type(parser *p, unsigned depth, idl_type **ret) {
        idl_token_kind k = p->tok.kind;
        idl_type *t;
        int r;

        if (depth > MAX_TYPE_DEPTH) {
                syntax_error(p, p->tok.loc, "type nested too deeply (the limit is %d levels)", MAX_TYPE_DEPTH);
                return SYNTAX;
        }
        t = idl_arena_alloc(p->arena, sizeof(*t));
        if (!t)
                return -ENOMEM;
        t->loc = p->tok.loc;

        if (k == TOK_IDENT || (TOK_IS_KEYWORD(k) && !TOK_IS_TYPE_KEYWORD(k) && peek_kind(p) == TOK_DOT)) {
                /* a declared type; `error.example.Point` too: interface names may begin with a keyword */
                t->kind = IDL_TYPE_NAMED;
                p->bad_name = false;
                r = take_dotted(p, "a type", "type name element", true, &t->name, &t->loc);
                if (r != 0)
                        return r;
                if (p->bad_name)
                        return SYNTAX;  /* reported; it would only be an unknown type too */
        } else if (TOK_IS_TYPE_KEYWORD(k)) {
                t->kind = TOK_TYPE_KIND(k);
                r = advance(p);
                if (r < 0)
                        return r;
        } else if (k == TOK_KW_DICT) {
                idl_loc open;

                t->kind = IDL_TYPE_DICT;
                r = advance(p);
                if (r < 0)
                        return r;
                open = p->tok.loc;
                r = expect(p, TOK_LT, "'<' after 'dict'");
                if (r == 0)
                        r = parse_type(p, depth + 1, &t->key);
                if (r == 0)
                        r = expect(p, TOK_COMMA, "','");
                if (r == 0)
                        r = parse_type(p, depth + 1, &t->elem);
                if (r == 0 && p->tok.kind != TOK_GT) {
                        bool shown = report_expected(p, "'>'");

                        if (looks_unclosed(p, open))
                                note_match(p, shown, open, '<');
                        return SYNTAX;
                }
                if (r == 0)
                        r = advance(p);
                if (r != 0)
                        return r;
        } else if (k == TOK_LPAREN) {
                idl_loc open = p->tok.loc;
                size_t cap = 0;

                t->kind = IDL_TYPE_STRUCT;
                r = advance(p);
                if (r < 0)
                        return r;
                while (p->tok.kind != TOK_RPAREN) {
                        idl_field *f;
                        idl_type *ft;

                        r = parse_type(p, depth + 1, &ft);
                        if (r != 0)
                                return r;
                        f = IDL_ARENA_PUSH(p->arena, t->fields, t->n_fields, cap);
                        if (!f)
                                return -ENOMEM;
                        f->loc = ft->loc;
                        f->type = ft;
                        if (p->tok.kind == TOK_COMMA) {
                                r = advance(p);
                                if (r < 0)
                                        return r;
                        } else if (p->tok.kind != TOK_RPAREN) {
                                bool shown = report_expected(p, "',' or ')'");

                                if (looks_unclosed(p, open))
                                        note_match(p, shown, open, '(');
                                return SYNTAX;
                        }
                }
                if (t->n_fields == 0)
                        idl_error_at(p->sink, t->loc, "an anonymous struct needs at least one member");
                r = advance(p);
                if (r < 0)
                        return r;
        } else if (k == TOK_BAD_NAME) {
                report_bad_name(p, &p->tok, "a type name");
                return SYNTAX;
        } else
                return expected(p, "a type");

        while (p->tok.kind == TOK_LBRACKET) {
                idl_type *a;

                if (++depth > MAX_TYPE_DEPTH) {
                        syntax_error(p, p->tok.loc, "type nested too deeply (the limit is %d levels)", MAX_TYPE_DEPTH);
                        return SYNTAX;
                }
                r = advance(p);
                if (r < 0)
                        return r;
                if (p->tok.kind != TOK_RBRACKET)
                        return expected(p, "']'");
                a = idl_arena_alloc(p->arena, sizeof(*a));
                if (!a)
                        return -ENOMEM;
                a->kind = IDL_TYPE_ARRAY;
                a->loc = t->loc;
                if (p->tok.loc.line == t->loc.line && p->tok.loc.col >= t->loc.col)
                        a->loc.len = p->tok.loc.col - t->loc.col + 1;
                a->elem = t;
                t = a;
                r = advance(p);
                if (r < 0)
                        return r;
        }
        *ret = t;
        return 0;
}

/* '(' [ param { ',' param } [','] ] ')', param: [doc comment] { annotation } name ':' type */
static int parse_params(parser *p, idl_field **ret, size_t *ret_n) {
        idl_loc open = p->tok.loc;
        size_t cap = 0;
        int r;

        r = expect(p, TOK_LPAREN, "'('");
        if (r != 0)
                return r;
        while (p->tok.kind != TOK_RPAREN) {
                idl_field f = {}, *slot;
                idl_token name_tok;
                prefix pre;

                if (p->tok.kind == TOK_EOF)
                        return expect_close(p, TOK_RPAREN, open, '(', ')');
                if (declaration_starts_here(p)) {
                        missing_close(p, open, '(', ')');
                        return SYNTAX;
                }
                r = parse_prefix(p, &pre);
                if (r != 0)
                        return r;
                /* which annotations a parameter may carry is the semantic pass's business (only @annotation) */
                f.doc = pre.doc;
                f.annotations = pre.annotations;
                f.n_annotations = pre.n_annotations;
                name_tok = p->tok;
                r = take_name(p, "a parameter name", true, &f.name, &f.loc);
                if (r != 0)
                        return r;
                if (p->tok.kind != TOK_COLON) {
                        if (TOK_IS_TYPE_KEYWORD(name_tok.kind) &&
                            (p->tok.kind == TOK_COMMA || p->tok.kind == TOK_RPAREN || p->tok.kind == TOK_LBRACKET)) {
                                syntax_error(p, name_tok.loc, "parameter of type '%s' has no name; write 'name: %s'",
                                             f.name, f.name);
                                return SYNTAX;
                        }
                        return expected(p, "':'");
                }
                r = advance(p);
                if (r == 0)
                        r = parse_type(p, 0, &f.type);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, *ret, *ret_n, cap);
                if (!slot)
                        return -ENOMEM;
                *slot = f;
                if (p->tok.kind == TOK_COMMA) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                } else if (p->tok.kind == TOK_RPAREN)
                        ;
                else if (declaration_starts_here(p)) {
                        missing_close(p, open, '(', ')');
                        return SYNTAX;
                } else if (idl_token_is_name(&p->tok) && peek_kind(p) == TOK_COLON)
                        report_expected(p, "',' or ')'");       /* a ',' forgotten: the next parameter follows */
                else {
                        bool shown = report_expected(p, "',' or ')'");

                        if (looks_unclosed(p, open))
                                note_match(p, shown, open, '(');
                        return SYNTAX;
                }
        }
        return advance(p);
}

/* Skip a broken enumerator: to just after the next ',', to the '}' (not consumed), or to a new declaration. */
static int sync_enumerator(parser *p) {
        unsigned long depth = 0;
        int r;

        for (;;) {
                idl_token_kind k = p->tok.kind;

                if (k == TOK_EOF || (depth == 0 && k == TOK_RBRACE) || (depth == 0 && declaration_starts_here(p)))
                        return 0;
                if (depth == 0 && k == TOK_COMMA)
                        return advance(p);
                if (k == TOK_LBRACE || k == TOK_LPAREN || k == TOK_LBRACKET)
                        depth++;
                else if ((k == TOK_RBRACE || k == TOK_RPAREN || k == TOK_RBRACKET) && depth > 0)
                        depth--;
                r = advance(p);
                if (r < 0)
                        return r;
        }
}

/*
 * '{' { field } '}'.  A declaration that starts a line inside it means its
 * '}' was forgotten: that is said, and the struct ends there.
 */
static int parse_struct_body(parser *p, idl_typedecl *d) {
        idl_loc open = p->tok.loc;
        size_t cap = 0;
        int r;

        r = advance(p);
        if (r < 0)
                return r;
        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink)) {
                idl_field f = {}, *slot;
                const char *start;
                prefix pre;

                p->quiet = false;
                if (p->tok.kind == TOK_SEMI) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (declaration_starts_here(p)) {
                        missing_close(p, open, '{', '}');
                        return 0;
                }
                start = p->tok.start;
                r = parse_prefix(p, &pre);
                if (r == 0) {
                        no_annotations(p, &pre, "struct fields");
                        f.doc = pre.doc;
                        r = take_name(p, "a field name", true, &f.name, &f.loc);
                }
                if (r == 0)
                        r = expect(p, TOK_COLON, "':'");
                if (r == 0)
                        r = parse_type(p, 0, &f.type);
                if (r == 0) {
                        slot = IDL_ARENA_PUSH(p->arena, d->fields, d->n_fields, cap);
                        if (!slot)
                                return -ENOMEM;
                        *slot = f;
                        r = expect_semi(p, "struct field", true);
                }
                if (r < 0)
                        return r;
                if (r > 0) {
                        d->incomplete = true;
                        r = sync(p, false, start);
                        if (r < 0)
                                return r;
                }
        }
        return expect_close(p, TOK_RBRACE, open, '{', '}');
}

/* '{' [ enumerator { ',' enumerator } [','] ] '}', enumerator: name [ '=' integer ] */
static int parse_enum_body(parser *p, idl_typedecl *d) {
        bool flags = d->kind == IDL_DECL_FLAGS, have_prev = false, prev_known = true;
        bool prev_negative = false;
        uint64_t prev_magnitude = 0;
        idl_loc open = p->tok.loc;
        size_t cap = 0;
        int r;

        r = advance(p);
        if (r < 0)
                return r;
        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink)) {
                idl_enumerator e = {}, *slot;
                bool keep = true;
                prefix pre;

                p->quiet = false;
                if (declaration_starts_here(p)) {
                        missing_close(p, open, '{', '}');
                        return 0;
                }
                r = parse_prefix(p, &pre);
                if (r == 0) {
                        no_annotations(p, &pre, "enumerators");
                        e.doc = pre.doc;
                        r = take_name(p, "an enumerator name", true, &e.name, &e.loc);
                }
                if (r == 0 && p->tok.kind == TOK_EQUALS) {
                        r = advance(p);
                        if (r == 0 && p->tok.kind != TOK_INT)
                                r = expected(p, "an integer");
                        if (r == 0) {
                                e.value_loc = p->tok.loc;
                                if (p->tok.literal_error != IDL_LIT_OK) {
                                        /* reported here, where it matters; the enumerator has no value to check */
                                        idl_report_literal(p->sink, &p->tok);
                                        keep = false;
                                } else {
                                        e.negative = p->tok.negative;
                                        e.magnitude = p->tok.magnitude;
                                }
                                r = advance(p);
                        }
                } else if (r == 0) {
                        e.value_loc = e.loc;
                        if (flags) {
                                idl_error_at(p->sink, e.loc, "flags value '%s' needs an explicit value", e.name);
                                keep = false;
                        } else if (!have_prev)
                                e.magnitude = 0;
                        else if (!prev_known)
                                keep = false;   /* one more than a value that did not parse: unknown */
                        else if (prev_negative) {
                                e.magnitude = prev_magnitude - 1;
                                e.negative = e.magnitude != 0;
                        } else if (prev_magnitude == UINT64_MAX) {
                                idl_error_at(p->sink, e.loc, "the value of enumerator '%s' overflows", e.name);
                                keep = false;
                        } else
                                e.magnitude = prev_magnitude + 1;
                }
                if (r == 0) {
                        if (keep) {
                                slot = IDL_ARENA_PUSH(p->arena, d->values, d->n_values, cap);
                                if (!slot)
                                        return -ENOMEM;
                                *slot = e;
                        } else
                                d->incomplete = true;
                        have_prev = true;
                        prev_known = keep;
                        prev_negative = e.negative;
                        prev_magnitude = e.magnitude;
                        if (p->tok.kind == TOK_COMMA)
                                r = advance(p);
                        else if (p->tok.kind == TOK_RBRACE || declaration_starts_here(p))
                                ;
                        else if (p->tok.kind == TOK_SEMI) {
                                syntax_error(p, p->tok.loc, "enumerators are separated by ',', not ';'");
                                r = advance(p);
                        } else if (idl_token_is_name(&p->tok) || p->tok.kind == TOK_BAD_NAME)
                                report_expected(p, "',' or '}'");       /* a ',' forgotten: the next one follows */
                        else {
                                bool shown = report_expected(p, "',' or '}'");

                                if (looks_unclosed(p, open))
                                        note_match(p, shown, open, '{');
                                r = SYNTAX;
                        }
                }
                if (r < 0)
                        return r;
                if (r > 0) {
                        d->incomplete = true;
                        have_prev = true;
                        prev_known = false;
                        r = sync_enumerator(p);
                        if (r < 0)
                                return r;
                }
        }
        return expect_close(p, TOK_RBRACE, open, '{', '}');
}

/*
 * struct/enum/flags Name … { … } [;].  Once the name parsed, the declaration
 * is returned in *ret (also with SYNTAX), marked incomplete when its body
 * did not parse well: it is kept so that its uses resolve.
 */
static int parse_typedecl(parser *p, const prefix *pre, idl_typedecl **ret) {
        idl_token_kind k = p->tok.kind;
        idl_typedecl *d;
        int r;

        *ret = NULL;
        d = idl_arena_alloc(p->arena, sizeof(*d));
        if (!d)
                return -ENOMEM;
        common_from_prefix(&d->c, pre);
        d->kind = k == TOK_KW_STRUCT ? IDL_DECL_STRUCT : k == TOK_KW_ENUM ? IDL_DECL_ENUM : IDL_DECL_FLAGS;
        r = advance(p);
        if (r == 0)
                r = take_name(p, k == TOK_KW_STRUCT ? "a struct name" : k == TOK_KW_ENUM ? "an enum name" : "a flags name",
                              false, &d->c.name, &d->c.loc);
        if (r != 0)
                return r;
        *ret = d;

        if (d->kind != IDL_DECL_STRUCT) {
                d->backing = IDL_TYPE_UINT32;
                d->backing_loc = d->c.loc;
                if (p->tok.kind == TOK_COLON) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        if (TOK_IS_TYPE_KEYWORD(p->tok.kind)) {
                                d->backing = TOK_TYPE_KIND(p->tok.kind);
                                d->backing_loc = p->tok.loc;
                                r = advance(p);
                        } else if (p->tok.kind == TOK_IDENT || p->tok.kind == TOK_BAD_NAME) {
                                /* "uint33": the checks say what it is not, with a suggestion */
                                d->backing_name = token_text(p, &p->tok);
                                if (!d->backing_name)
                                        return -ENOMEM;
                                d->backing_loc = p->tok.loc;
                                r = advance(p);
                        } else {
                                report_expected(p, "an integer type");
                                d->backing_name = (char *) "";
                                d->backing_loc = p->tok.loc;
                        }
                        if (r < 0)
                                return r;
                }
        }
        if (p->tok.kind != TOK_LBRACE) {
                d->incomplete = true;
                return expected(p, "'{'");
        }
        r = d->kind == IDL_DECL_STRUCT ? parse_struct_body(p, d) : parse_enum_body(p, d);
        if (r != 0)
                return r;
        if (p->tok.kind == TOK_SEMI) {
                r = advance(p);
                if (r < 0)
                        return r;
        }
        return 0;
}

typedef struct member_caps {
        size_t types, errors, methods, signals, properties;
} member_caps;

static void unknown_keyword(parser *p, const char *what, const char *const *candidates, size_t n) {
        const char *s = NULL;
        char *word;

        if (p->tok.kind == TOK_IDENT) {
                word = strndup(p->tok.start, p->tok.length);
                if (word)
                        s = idl_suggest(word, candidates, n);
                free(word);
        }
        if (s)
                syntax_error(p, p->tok.loc, "unknown keyword '%.*s'; did you mean '%s'?", (int) p->tok.length,
                             p->tok.start, s);
        else
                report_expected(p, what);
}

/* method Name(…) [-> (…)] [raises (…)]; p->bad_name says afterwards whether Name is no name (reported) */
static int parse_method(parser *p, const prefix *pre, idl_method *m) {
        size_t cap = 0;
        bool bad;
        int r;

        common_from_prefix(&m->c, pre);
        r = advance(p);
        if (r == 0)
                r = take_name(p, "a method name", true, &m->c.name, &m->c.loc);
        bad = p->bad_name;
        if (r == 0)
                r = parse_params(p, &m->in, &m->n_in);
        if (r == 0 && p->tok.kind == TOK_ARROW) {
                r = advance(p);
                if (r == 0)
                        r = parse_params(p, &m->out, &m->n_out);
        }
        if (r == 0 && p->tok.kind == TOK_KW_RAISES) {
                idl_loc open;

                r = advance(p);
                open = p->tok.loc;
                if (r == 0)
                        r = expect(p, TOK_LPAREN, "'(' after 'raises'");
                while (r == 0) {
                        idl_raise *x, e = {};

                        if (p->tok.kind == TOK_EOF) {
                                r = expect_close(p, TOK_RPAREN, open, '(', ')');
                                break;
                        }
                        p->bad_name = false;
                        r = take_name(p, "an error name", true, &e.name, &e.loc);
                        if (r != 0)
                                break;
                        if (!p->bad_name) {
                                x = IDL_ARENA_PUSH(p->arena, m->raises, m->n_raises, cap);
                                if (!x)
                                        return -ENOMEM;
                                *x = e;
                        }
                        if (p->tok.kind == TOK_RPAREN) {
                                r = advance(p);
                                break;
                        }
                        if (p->tok.kind == TOK_COMMA) {
                                r = advance(p);
                                /* a trailing ',' as in parameter lists */
                                if (r == 0 && p->tok.kind == TOK_RPAREN) {
                                        r = advance(p);
                                        break;
                                }
                        } else {
                                bool shown = report_expected(p, "',' or ')'");

                                if (looks_unclosed(p, open))
                                        note_match(p, shown, open, '(');
                                r = SYNTAX;
                        }
                }
        }
        p->bad_name = bad;
        return r;
}

static int parse_member(parser *p, idl_interface *it, member_caps *caps) {
        static const char *const member_keywords[] = {
                "method", "signal", "property", "error", "struct", "enum", "flags",
        };
        prefix pre;
        bool bad;
        int r;

        r = parse_prefix(p, &pre);
        if (r != 0)
                return r;

        /* a member whose name is no name (reported) is parsed to its end, and left out */
        p->bad_name = false;
        switch (p->tok.kind) {
        case TOK_KW_ERROR: {
                idl_error e = {}, *slot;

                common_from_prefix(&e.c, &pre);
                r = advance(p);
                if (r == 0)
                        r = take_name(p, "an error name", true, &e.c.name, &e.c.loc);
                if (r != 0)
                        return r;
                if (!p->bad_name) {
                        slot = IDL_ARENA_PUSH(p->arena, it->errors, it->n_errors, caps->errors);
                        if (!slot)
                                return -ENOMEM;
                        *slot = e;
                }
                return expect_semi(p, "error declaration", false);
        }
        case TOK_KW_STRUCT:
        case TOK_KW_ENUM:
        case TOK_KW_FLAGS: {
                idl_typedecl *d, **slot;

                r = parse_typedecl(p, &pre, &d);
                if (r < 0 || !d)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->types, it->n_types, caps->types);
                if (!slot)
                        return -ENOMEM;
                *slot = d;
                return r;
        }
        case TOK_KW_METHOD: {
                idl_method m = {}, *slot;

                r = parse_method(p, &pre, &m);
                if (r != 0)
                        return r;
                if (!p->bad_name) {
                        slot = IDL_ARENA_PUSH(p->arena, it->methods, it->n_methods, caps->methods);
                        if (!slot)
                                return -ENOMEM;
                        *slot = m;
                }
                return expect_semi(p, "method declaration", false);
        }
        case TOK_KW_SIGNAL: {
                idl_signal s = {}, *slot;

                common_from_prefix(&s.c, &pre);
                r = advance(p);
                if (r == 0)
                        r = take_name(p, "a signal name", true, &s.c.name, &s.c.loc);
                bad = p->bad_name;
                if (r == 0)
                        r = parse_params(p, &s.args, &s.n_args);
                if (r != 0)
                        return r;
                if (!bad) {
                        slot = IDL_ARENA_PUSH(p->arena, it->signals, it->n_signals, caps->signals);
                        if (!slot)
                                return -ENOMEM;
                        *slot = s;
                }
                if (p->tok.kind == TOK_ARROW) {
                        syntax_error(p, p->tok.loc, "a signal has no outputs: '->' is for methods");
                        return SYNTAX;
                }
                return expect_semi(p, "signal declaration", false);
        }
        case TOK_KW_PROPERTY: {
                idl_property q = {}, *slot;

                common_from_prefix(&q.c, &pre);
                r = advance(p);
                if (r < 0)
                        return r;
                switch (p->tok.kind) {
                case TOK_KW_READONLY:
                        q.access = IDL_ACCESS_READONLY;
                        break;
                case TOK_KW_READWRITE:
                        q.access = IDL_ACCESS_READWRITE;
                        break;
                case TOK_KW_WRITEONLY:
                        q.access = IDL_ACCESS_WRITEONLY;
                        break;
                default:
                        if (!idl_token_is_name(&p->tok))
                                return expected(p, "'readonly', 'readwrite' or 'writeonly'");
                        syntax_error(p, p->tok.loc, "property '%.*s' needs an access: readonly, readwrite or writeonly",
                                     (int) p->tok.length, p->tok.start);
                        q.access = IDL_ACCESS_READWRITE;
                        goto name;
                }
                r = advance(p);
                if (r < 0)
                        return r;
        name:
                r = take_name(p, "a property name", true, &q.c.name, &q.c.loc);
                bad = p->bad_name;
                if (r == 0)
                        r = expect(p, TOK_COLON, "':'");
                if (r == 0)
                        r = parse_type(p, 0, &q.type);
                if (r != 0)
                        return r;
                if (!bad) {
                        slot = IDL_ARENA_PUSH(p->arena, it->properties, it->n_properties, caps->properties);
                        if (!slot)
                                return -ENOMEM;
                        *slot = q;
                }
                return expect_semi(p, "property declaration", false);
        }
        default:
                unknown_keyword(p, "'method', 'signal', 'property', 'error', 'struct', 'enum' or 'flags'",
                                member_keywords, sizeof(member_keywords) / sizeof(member_keywords[0]));
                return SYNTAX;
        }
}

static bool member_keyword(idl_token_kind k) {
        return k == TOK_KW_METHOD || k == TOK_KW_SIGNAL || k == TOK_KW_PROPERTY || k == TOK_KW_ERROR ||
               k == TOK_KW_STRUCT || k == TOK_KW_ENUM || k == TOK_KW_FLAGS || k == TOK_AT;
}

static int parse_interface(parser *p, const prefix *pre) {
        idl_interface it = {}, *slot;
        member_caps caps = {};
        idl_loc open;
        int r;

        common_from_prefix(&it.c, pre);
        r = advance(p);
        if (r == 0)
                r = take_dotted(p, "an interface name", "interface name element", true, &it.c.name, &it.c.loc);
        if (r != 0)
                return r;
        open = p->tok.loc;
        if (p->tok.kind == TOK_LBRACE)
                r = advance(p);
        else if (p->tok.first_on_line && member_keyword(p->tok.kind)) {
                /* the '{' was forgotten at the end of the line: the members follow */
                open = p->prev.loc;
                open.col += (unsigned) p->prev.length;
                open.len = 1;
                syntax_error(p, open, "expected '{' after interface name");
        } else
                return expected(p, "'{'");
        if (r != 0)
                return r;

        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink)) {
                const char *start = p->tok.start;

                p->quiet = false;
                if (p->tok.kind == TOK_SEMI) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (p->tok.kind == TOK_KW_INTERFACE || p->tok.kind == TOK_KW_IMPORT) {
                        /* no member starts so: this interface's '}' was forgotten */
                        missing_close(p, open, '{', '}');
                        break;
                }
                r = parse_member(p, &it, &caps);
                if (r < 0)
                        return r;
                if (r > 0) {
                        r = sync(p, false, start);
                        if (r < 0)
                                return r;
                }
        }

        slot = IDL_ARENA_PUSH(p->arena, p->file->interfaces, p->file->n_interfaces, p->cap_interfaces);
        if (!slot)
                return -ENOMEM;
        *slot = it;

        if (p->tok.kind == TOK_KW_INTERFACE || p->tok.kind == TOK_KW_IMPORT)
                return 0;
        r = expect_close(p, TOK_RBRACE, open, '{', '}');
        if (r == 0 && p->tok.kind == TOK_SEMI)
                r = advance(p);
        return r;
}

static int parse_import(parser *p) {
        idl_import *imp;
        int r;

        r = advance(p);
        if (r < 0)
                return r;
        if (p->tok.kind != TOK_STRING)
                return expected(p, "a file name in quotes");
        if (p->tok.unterminated)
                return SYNTAX;  /* reported */
        imp = IDL_ARENA_PUSH(p->arena, p->file->imports, p->file->n_imports, p->cap_imports);
        if (!imp)
                return -ENOMEM;
        imp->loc = p->tok.loc;
        imp->path = p->tok.string;
        r = advance(p);
        if (r < 0)
                return r;
        return expect_semi(p, "import", false);
}

static int parse_file(parser *p) {
        static const char *const toplevel_keywords[] = {
                "interface", "struct", "enum", "flags", "import",
        };
        idl_file *f = p->file;
        int r;

        r = advance(p);
        if (r < 0)
                return r;
        while (p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink) && !p->oom) {
                const char *start = p->tok.start;
                prefix pre;

                p->quiet = false;
                if (p->tok.kind == TOK_SEMI) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (p->tok.kind == TOK_RBRACE) {
                        syntax_error(p, p->tok.loc, "extraneous closing brace ('}')");
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
                }
                r = parse_prefix(p, &pre);
                if (r == 0)
                        switch (p->tok.kind) {
                        case TOK_KW_IMPORT:
                                no_annotations(p, &pre, "imports");
                                r = parse_import(p);
                                break;
                        case TOK_KW_INTERFACE:
                                r = parse_interface(p, &pre);
                                break;
                        case TOK_KW_STRUCT:
                        case TOK_KW_ENUM:
                        case TOK_KW_FLAGS: {
                                idl_typedecl *d, **slot;

                                r = parse_typedecl(p, &pre, &d);
                                if (r < 0 || !d)
                                        break;
                                slot = IDL_ARENA_PUSH(p->arena, f->types, f->n_types, p->cap_types);
                                if (!slot)
                                        return -ENOMEM;
                                *slot = d;
                                break;
                        }
                        case TOK_KW_METHOD:
                        case TOK_KW_SIGNAL:
                        case TOK_KW_PROPERTY:
                        case TOK_KW_ERROR:
                                syntax_error(p, p->tok.loc, "%s %.*s must be declared inside an interface",
                                             p->tok.kind == TOK_KW_ERROR ? "an" : "a", (int) p->tok.length,
                                             p->tok.start);
                                r = SYNTAX;
                                break;
                        default:
                                unknown_keyword(p, "'interface', 'struct', 'enum', 'flags' or 'import'",
                                                toplevel_keywords,
                                                sizeof(toplevel_keywords) / sizeof(toplevel_keywords[0]));
                                r = SYNTAX;
                        }
                if (r < 0)
                        return r;
                if (r > 0) {
                        r = sync(p, true, start);
                        if (r < 0)
                                return r;
                }
        }
        if (p->oom)
                return -ENOMEM;

        /* the interfaces array has stopped moving: point the scoped declarations at their interface */
        for (size_t i = 0; i < f->n_interfaces; i++) {
                idl_interface *it = &f->interfaces[i];

                for (size_t j = 0; j < it->n_types; j++)
                        it->types[j]->scope = it;
                for (size_t j = 0; j < it->n_errors; j++)
                        it->errors[j].scope = it;
        }
        return 0;
}

int idl_parse_string(const char *path, const char *text, size_t len, idl_diag_sink *sink, idl_file **ret) {
        unsigned errors;
        idl_file *f;
        parser p;
        int r;

        if (!path || (!text && len > 0) || !ret)
                return -EINVAL;

        f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        f->arena = idl_arena_new();
        if (!f->arena) {
                free(f);
                return -ENOMEM;
        }
        /* a UTF-8 byte order mark is no part of the text, as for gcc: lines and columns count without it */
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
                text += 3;
                len -= 3;
        }
        f->path = idl_arena_strdup(f->arena, path);
        f->text = idl_arena_strndup(f->arena, text ? text : "", len);
        f->text_len = len;
        if (!f->path || !f->text) {
                idl_file_free(f);
                return -ENOMEM;
        }
        /* old Mac line ends (a CR alone) are line ends: here as LF, so that diagnostics show the right line */
        for (size_t i = 0; i < len; i++)
                if (f->text[i] == '\r' && (i + 1 >= len || f->text[i + 1] != '\n'))
                        f->text[i] = '\n';
        if (sink) {
                r = idl_diag_add_source(sink, f->path, f->text, len);
                if (r < 0) {
                        idl_file_free(f);
                        return r;
                }
        }
        if (len > IDL_MAX_FILE_SIZE) {
                idl_error_at(sink, ((idl_loc) { .file = f->path }), "file is too large (more than %u MiB)",
                             IDL_MAX_FILE_SIZE / (1024u * 1024u));
                f->syntax_errors = true;
                *ret = f;
                return 0;
        }

        p = (parser) { .arena = f->arena, .sink = sink, .file = f };
        errors = idl_diag_error_count(sink);
        idl_lexer_init(&p.lx, f->path, f->text, len, f->arena, sink);
        r = parse_file(&p);
        if (r < 0) {
                idl_file_free(f);
                return r;
        }
        f->syntax_errors = idl_diag_error_count(sink) != errors;
        *ret = f;
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/parser.c — recursive-descent parser: tokens to the AST of ast.h, recovering at ';' and '}' */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"
#include "lexer.h"

/* Containers may nest this deep in one written type: D-Bus allows 32 arrays + 32 structs. */
#define MAX_TYPE_DEPTH 64

/* Parse functions return 0, -ENOMEM, or SYNTAX: an error was reported, the caller recovers. */
#define SYNTAX 1

typedef struct parser {
        idl_lexer lx;
        idl_token tok;
        idl_token prev;
        idl_arena *arena;
        idl_diag_sink *sink;
        idl_file *file;
        size_t cap_imports, cap_types, cap_interfaces;
        bool eof_reported;      /* "found end of file" is said once */
} parser;

/* What may precede a declaration: a doc comment and annotations. */
typedef struct prefix {
        char *doc;
        idl_annotation *annotations;
        size_t n_annotations;
} prefix;

static int advance(parser *p) {
        p->prev = p->tok;
        return idl_lexer_next(&p->lx, &p->tok);
}

static void report_expected(parser *p, const char *what, const char *hint) {
        const idl_token *t = &p->tok;

        if (t->kind == TOK_EOF) {
                if (!p->lx.truncated && !p->eof_reported)
                        idl_error_at(p->sink, t->loc, "expected %s, found end of file%s", what, hint);
                p->eof_reported = true;
        } else if (t->kind == TOK_STRING)
                idl_error_at(p->sink, t->loc, "expected %s, found a string%s", what, hint);
        else if (t->length > 40)
                idl_error_at(p->sink, t->loc, "expected %s, found '%.40s...'%s", what, t->start, hint);
        else
                idl_error_at(p->sink, t->loc, "expected %s, found '%.*s'%s", what, (int) t->length, t->start, hint);
}

static int expected(parser *p, const char *what) {
        report_expected(p, what, "");
        return SYNTAX;
}

static int expect(parser *p, idl_token_kind k, const char *what) {
        if (p->tok.kind != k)
                return expected(p, what);
        return advance(p);
}

/*
 * The ';' that ends a declaration.  When it is missing and the next token
 * starts a new line, the declaration is taken as complete (a forgotten ';'
 * at the end of a line), so nothing after it is lost.
 */
static int expect_semi(parser *p) {
        if (p->tok.kind == TOK_SEMI)
                return advance(p);
        report_expected(p, "';'", "");
        if (p->tok.first_on_line || p->tok.kind == TOK_EOF || p->tok.kind == TOK_RBRACE)
                return 0;
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

/* A single name: an identifier, or (when `keywords_ok`) a keyword used as a name. */
static int take_name(parser *p, const char *what, bool keywords_ok, char **ret, idl_loc *ret_loc) {
        if (!(p->tok.kind == TOK_IDENT || (keywords_ok && TOK_IS_KEYWORD(p->tok.kind))))
                return expected(p, what);
        *ret = token_text(p, &p->tok);
        if (!*ret)
                return -ENOMEM;
        *ret_loc = p->tok.loc;
        return advance(p);
}

/* name { '.' name }, joined with dots; the location spans the whole name when it is on one line. */
static int take_dotted(parser *p, const char *what, bool keywords_ok, char **ret, idl_loc *ret_loc) {
        const idl_token first = p->tok;
        char *buf = NULL, *n;
        size_t len = 0;
        int r;

        if (!(first.kind == TOK_IDENT || (keywords_ok && TOK_IS_KEYWORD(first.kind))))
                return expected(p, what);
        for (;;) {
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
                if (!idl_token_is_name(&p->tok)) {
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

/* '@' name [ '(' [ arg { ',' arg } ] ')' ], arg: a string or a bare name */
static int parse_annotation(parser *p, idl_annotation *a) {
        const char *at = p->tok.start;
        size_t cap = 0, loc_cap = 0;
        int r;

        *a = (idl_annotation) { .loc = p->tok.loc };
        r = advance(p);
        if (r < 0)
                return r;
        if (p->tok.kind != TOK_IDENT)
                return expected(p, "an annotation name after '@'");
        a->name = token_text(p, &p->tok);
        if (!a->name)
                return -ENOMEM;
        if (p->tok.loc.line == a->loc.line)
                a->loc.len = (unsigned) (p->tok.start + p->tok.length - at);
        r = advance(p);
        if (r < 0 || p->tok.kind != TOK_LPAREN)
                return r;
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
                } else
                        return expected(p, "a string");
                arg = IDL_ARENA_PUSH(p->arena, a->args, a->n_args, cap);
                l = IDL_ARENA_PUSH(p->arena, a->arg_locs, n_locs, loc_cap);
                if (!arg || !l)
                        return -ENOMEM;
                *arg = v;
                *l = loc;
                r = advance(p);
                if (r < 0)
                        return r;
                if (p->tok.kind == TOK_COMMA) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                } else if (p->tok.kind == TOK_RPAREN)
                        return advance(p);
                else
                        return expected(p, "',' or ')'");
        }
}

static int parse_prefix(parser *p, prefix *pre) {
        size_t cap = 0;
        int r;

        *pre = (prefix) { .doc = p->tok.doc };
        while (p->tok.kind == TOK_AT) {
                idl_annotation a, *slot;

                r = parse_annotation(p, &a);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, pre->annotations, pre->n_annotations, cap);
                if (!slot)
                        return -ENOMEM;
                *slot = a;
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
        idl_type *t;
        int r;

        if (depth > MAX_TYPE_DEPTH) {
                idl_error_at(p->sink, p->tok.loc, "type nested too deeply (the limit is %d levels)", MAX_TYPE_DEPTH);
                return SYNTAX;
        }
        t = idl_arena_alloc(p->arena, sizeof(*t));
        if (!t)
                return -ENOMEM;
        t->loc = p->tok.loc;

        if (TOK_IS_TYPE_KEYWORD(p->tok.kind)) {
                t->kind = TOK_TYPE_KIND(p->tok.kind);
                r = advance(p);
                if (r < 0)
                        return r;
        } else if (p->tok.kind == TOK_KW_DICT) {
                t->kind = IDL_TYPE_DICT;
                r = advance(p);
                if (r == 0)
                        r = expect(p, TOK_LT, "'<' after 'dict'");
                if (r == 0)
                        r = parse_type(p, depth + 1, &t->key);
                if (r == 0)
                        r = expect(p, TOK_COMMA, "','");
                if (r == 0)
                        r = parse_type(p, depth + 1, &t->elem);
                if (r == 0)
                        r = expect(p, TOK_GT, "'>'");
                if (r != 0)
                        return r;
        } else if (p->tok.kind == TOK_LPAREN) {
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
                        } else if (p->tok.kind != TOK_RPAREN)
                                return expected(p, "',' or ')'");
                }
                if (t->n_fields == 0)
                        idl_error_at(p->sink, t->loc, "an anonymous struct needs at least one member");
                r = advance(p);
                if (r < 0)
                        return r;
        } else if (p->tok.kind == TOK_IDENT) {
                t->kind = IDL_TYPE_NAMED;
                r = take_dotted(p, "a type", false, &t->name, &t->loc);
                if (r != 0)
                        return r;
        } else
                return expected(p, "a type");

        while (p->tok.kind == TOK_LBRACKET) {
                idl_type *a;

                if (++depth > MAX_TYPE_DEPTH) {
                        idl_error_at(p->sink, p->tok.loc, "type nested too deeply (the limit is %d levels)",
                                     MAX_TYPE_DEPTH);
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
        size_t cap = 0;
        int r;

        r = expect(p, TOK_LPAREN, "'('");
        if (r != 0)
                return r;
        while (p->tok.kind != TOK_RPAREN) {
                idl_field f = {}, *slot;
                idl_token name_tok;
                prefix pre;

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
                                idl_error_at(p->sink, name_tok.loc,
                                             "parameter of type '%s' has no name; write 'name: %s'", f.name, f.name);
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
                } else if (p->tok.kind != TOK_RPAREN)
                        return expected(p, "',' or ')'");
        }
        return advance(p);
}

/* Skip a broken enumerator: to just after the next ',' or to the '}' (not consumed). */
static int sync_enumerator(parser *p) {
        unsigned long depth = 0;
        int r;

        for (;;) {
                idl_token_kind k = p->tok.kind;

                if (k == TOK_EOF || (depth == 0 && k == TOK_RBRACE))
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

static int parse_struct_body(parser *p, idl_typedecl *d) {
        size_t cap = 0;
        int r;

        r = expect(p, TOK_LBRACE, "'{'");
        if (r != 0)
                return r;
        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF) {
                idl_field f = {}, *slot;
                const char *start;
                prefix pre;

                if (p->tok.kind == TOK_SEMI) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
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
                        r = expect_semi(p);
                }
                if (r < 0)
                        return r;
                if (r > 0) {
                        r = sync(p, false, start);
                        if (r < 0)
                                return r;
                }
        }
        return expect(p, TOK_RBRACE, "'}'");
}

static int parse_enum_body(parser *p, idl_typedecl *d) {
        bool flags = d->kind == IDL_DECL_FLAGS, have_prev = false;
        bool prev_negative = false;
        uint64_t prev_magnitude = 0;
        size_t cap = 0;
        int r;

        r = expect(p, TOK_LBRACE, "'{'");
        if (r != 0)
                return r;
        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF) {
                idl_enumerator e = {}, *slot;
                prefix pre;

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
                                e.negative = p->tok.negative;
                                e.magnitude = p->tok.magnitude;
                                r = advance(p);
                        }
                } else if (r == 0) {
                        if (flags)
                                idl_error_at(p->sink, e.loc, "flags value '%s' needs an explicit value", e.name);
                        else if (!have_prev)
                                e.magnitude = 0;
                        else if (prev_negative) {
                                e.magnitude = prev_magnitude - 1;
                                e.negative = e.magnitude != 0;
                        } else if (prev_magnitude == UINT64_MAX)
                                idl_error_at(p->sink, e.loc, "the value of enumerator '%s' overflows", e.name);
                        else
                                e.magnitude = prev_magnitude + 1;
                }
                if (r == 0) {
                        slot = IDL_ARENA_PUSH(p->arena, d->values, d->n_values, cap);
                        if (!slot)
                                return -ENOMEM;
                        *slot = e;
                        have_prev = true;
                        prev_negative = e.negative;
                        prev_magnitude = e.magnitude;
                        if (p->tok.kind == TOK_COMMA)
                                r = advance(p);
                        else if (p->tok.kind != TOK_RBRACE)
                                r = expected(p, "',' or '}'");
                }
                if (r < 0)
                        return r;
                if (r > 0) {
                        r = sync_enumerator(p);
                        if (r < 0)
                                return r;
                }
        }
        return expect(p, TOK_RBRACE, "'}'");
}

/* struct/enum/flags Name … { … } [;] */
static int parse_typedecl(parser *p, const prefix *pre, idl_typedecl **ret) {
        idl_token_kind k = p->tok.kind;
        idl_typedecl *d;
        int r;

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

        if (d->kind == IDL_DECL_STRUCT)
                r = parse_struct_body(p, d);
        else {
                d->backing = IDL_TYPE_UINT32;
                d->backing_loc = d->c.loc;
                if (p->tok.kind == TOK_COLON) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        if (!TOK_IS_TYPE_KEYWORD(p->tok.kind))
                                return expected(p, "an integer type");
                        d->backing = TOK_TYPE_KIND(p->tok.kind);
                        d->backing_loc = p->tok.loc;
                        r = advance(p);
                        if (r < 0)
                                return r;
                }
                r = parse_enum_body(p, d);
        }
        if (r != 0)
                return r;
        if (p->tok.kind == TOK_SEMI) {
                r = advance(p);
                if (r < 0)
                        return r;
        }
        *ret = d;
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
                idl_error_at(p->sink, p->tok.loc, "unknown keyword '%.*s'; did you mean '%s'?",
                             (int) p->tok.length, p->tok.start, s);
        else
                report_expected(p, what, "");
}

static int parse_method(parser *p, const prefix *pre, idl_method *m) {
        size_t cap = 0;
        int r;

        common_from_prefix(&m->c, pre);
        r = advance(p);
        if (r == 0)
                r = take_name(p, "a method name", true, &m->c.name, &m->c.loc);
        if (r == 0)
                r = parse_params(p, &m->in, &m->n_in);
        if (r == 0 && p->tok.kind == TOK_ARROW) {
                r = advance(p);
                if (r == 0)
                        r = parse_params(p, &m->out, &m->n_out);
        }
        if (r == 0 && p->tok.kind == TOK_KW_RAISES) {
                r = advance(p);
                if (r == 0)
                        r = expect(p, TOK_LPAREN, "'(' after 'raises'");
                while (r == 0) {
                        idl_raise *x, e = {};

                        r = take_name(p, "an error name", true, &e.name, &e.loc);
                        if (r != 0)
                                break;
                        x = IDL_ARENA_PUSH(p->arena, m->raises, m->n_raises, cap);
                        if (!x)
                                return -ENOMEM;
                        *x = e;
                        if (p->tok.kind == TOK_RPAREN) {
                                r = advance(p);
                                break;
                        }
                        r = expect(p, TOK_COMMA, "',' or ')'");
                }
        }
        return r;
}

static int parse_member(parser *p, idl_interface *it, member_caps *caps) {
        static const char *const member_keywords[] = {
                "method", "signal", "property", "error", "struct", "enum", "flags",
        };
        prefix pre;
        int r;

        r = parse_prefix(p, &pre);
        if (r != 0)
                return r;

        switch (p->tok.kind) {
        case TOK_KW_ERROR: {
                idl_error e = {}, *slot;

                common_from_prefix(&e.c, &pre);
                r = advance(p);
                if (r == 0)
                        r = take_name(p, "an error name", true, &e.c.name, &e.c.loc);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->errors, it->n_errors, caps->errors);
                if (!slot)
                        return -ENOMEM;
                *slot = e;
                return expect_semi(p);
        }
        case TOK_KW_STRUCT:
        case TOK_KW_ENUM:
        case TOK_KW_FLAGS: {
                idl_typedecl *d, **slot;

                r = parse_typedecl(p, &pre, &d);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->types, it->n_types, caps->types);
                if (!slot)
                        return -ENOMEM;
                *slot = d;
                return 0;
        }
        case TOK_KW_METHOD: {
                idl_method m = {}, *slot;

                r = parse_method(p, &pre, &m);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->methods, it->n_methods, caps->methods);
                if (!slot)
                        return -ENOMEM;
                *slot = m;
                return expect_semi(p);
        }
        case TOK_KW_SIGNAL: {
                idl_signal s = {}, *slot;

                common_from_prefix(&s.c, &pre);
                r = advance(p);
                if (r == 0)
                        r = take_name(p, "a signal name", true, &s.c.name, &s.c.loc);
                if (r == 0)
                        r = parse_params(p, &s.args, &s.n_args);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->signals, it->n_signals, caps->signals);
                if (!slot)
                        return -ENOMEM;
                *slot = s;
                return expect_semi(p);
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
                        idl_error_at(p->sink, p->tok.loc,
                                     "property '%.*s' needs an access: readonly, readwrite or writeonly",
                                     (int) p->tok.length, p->tok.start);
                        q.access = IDL_ACCESS_READWRITE;
                        goto name;
                }
                r = advance(p);
                if (r < 0)
                        return r;
        name:
                r = take_name(p, "a property name", true, &q.c.name, &q.c.loc);
                if (r == 0)
                        r = expect(p, TOK_COLON, "':'");
                if (r == 0)
                        r = parse_type(p, 0, &q.type);
                if (r != 0)
                        return r;
                slot = IDL_ARENA_PUSH(p->arena, it->properties, it->n_properties, caps->properties);
                if (!slot)
                        return -ENOMEM;
                *slot = q;
                return expect_semi(p);
        }
        default:
                unknown_keyword(p, "'method', 'signal', 'property', 'error', 'struct', 'enum' or 'flags'",
                                member_keywords, sizeof(member_keywords) / sizeof(member_keywords[0]));
                return SYNTAX;
        }
}

static int parse_interface(parser *p, const prefix *pre) {
        idl_interface it = {}, *slot;
        member_caps caps = {};
        int r;

        common_from_prefix(&it.c, pre);
        r = advance(p);
        if (r == 0)
                r = take_dotted(p, "an interface name", true, &it.c.name, &it.c.loc);
        if (r == 0)
                r = expect(p, TOK_LBRACE, "'{'");
        if (r != 0)
                return r;

        while (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink)) {
                const char *start = p->tok.start;

                if (p->tok.kind == TOK_SEMI) {
                        r = advance(p);
                        if (r < 0)
                                return r;
                        continue;
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

        r = expect(p, TOK_RBRACE, "'}'");
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
        imp = IDL_ARENA_PUSH(p->arena, p->file->imports, p->file->n_imports, p->cap_imports);
        if (!imp)
                return -ENOMEM;
        imp->loc = p->tok.loc;
        imp->path = p->tok.string;
        r = advance(p);
        if (r < 0)
                return r;
        return expect_semi(p);
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
        while (p->tok.kind != TOK_EOF && !idl_diag_stopped(p->sink)) {
                const char *start = p->tok.start;
                prefix pre;

                if (p->tok.kind == TOK_SEMI) {
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
                                if (r != 0)
                                        break;
                                slot = IDL_ARENA_PUSH(p->arena, f->types, f->n_types, p->cap_types);
                                if (!slot)
                                        return -ENOMEM;
                                *slot = d;
                                break;
                        }
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
        f->path = idl_arena_strdup(f->arena, path);
        f->text = idl_arena_strndup(f->arena, text ? text : "", len);
        f->text_len = len;
        if (!f->path || !f->text) {
                idl_file_free(f);
                return -ENOMEM;
        }
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
                *ret = f;
                return 0;
        }

        p = (parser) { .arena = f->arena, .sink = sink, .file = f };
        idl_lexer_init(&p.lx, f->path, f->text, len, f->arena, sink);
        r = parse_file(&p);
        if (r < 0) {
                idl_file_free(f);
                return r;
        }
        *ret = f;
        return 0;
}

int idl_parse_file(const char *path, idl_diag_sink *sink, idl_file **ret) {
        IDL_CLEANUP(idl_freep) char *buf = NULL;
        size_t len;
        int r;

        if (!path || !ret)
                return -EINVAL;
        r = idl_read_file(path, &buf, &len);
        if (r < 0)
                return r;
        return idl_parse_string(path, buf, len, sink, ret);
}

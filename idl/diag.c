/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/diag.c — the diagnostics sink: gcc-like rendering with the source line and a caret, counts, suggestions */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lexer.h"

typedef struct diag_source {
        char *path;             /* our copy */
        const char *text;       /* not ours */
        size_t len;
        size_t *lines;          /* offsets of line starts, computed on first use */
        size_t n_lines;
        /* idl_diag_set_origin(): the text this one was generated from (ours, text included), and the marks */
        struct diag_source *origin;
        idl_origin_mark *marks;
        size_t n_marks;
} diag_source;

struct idl_diag_sink {
        FILE *out;
        diag_source *sources;
        size_t n_sources;
        unsigned n_errors;
        unsigned n_warnings;
        unsigned max_errors;    /* 0: no limit */
        unsigned warnings;      /* enabled: (1u << idl_warning) bits */
        bool werror;
        bool color;
        bool stopped;           /* the error limit was hit */
        bool hide_notes;        /* the last error or warning was not shown: neither are its notes */
};

/* ANSI SGR sequences, as gcc and clang use them. */
#define C_BOLD    "\033[1m"
#define C_ERROR   "\033[1;31m"
#define C_WARNING "\033[1;35m"
#define C_NOTE    "\033[1;36m"
#define C_CARET   "\033[1;32m"
#define C_RESET   "\033[0m"

static const char *const warning_names[IDL_W_COUNT] = {
        [IDL_W_MEMBER_NAME_STYLE] = "member-name-style",
        [IDL_W_DEPRECATED]        = "deprecated",
        [IDL_W_EMPTY_FILE]        = "empty-file",
        [IDL_W_UNUSED_IMPORT]     = "unused-import",
        [IDL_W_PROPERTY_NAME]     = "property-name",
};

const char *idl_warning_name(idl_warning w) {
        return (unsigned) w < IDL_W_COUNT ? warning_names[w] : NULL;
}

int idl_warning_from_name(const char *name) {
        if (!name)
                return -1;
        for (int w = 0; w < IDL_W_COUNT; w++)
                if (strcmp(warning_names[w], name) == 0)
                        return w;
        return -1;
}

int idl_color_from_string(const char *v, idl_color *ret) {
        static const struct {
                const char *name;
                idl_color mode;
        } table[] = {
                { "auto", IDL_COLOR_AUTO },     { "tty", IDL_COLOR_AUTO },    { "if-tty", IDL_COLOR_AUTO },
                { "always", IDL_COLOR_ALWAYS }, { "yes", IDL_COLOR_ALWAYS },  { "force", IDL_COLOR_ALWAYS },
                { "never", IDL_COLOR_NEVER },   { "no", IDL_COLOR_NEVER },    { "none", IDL_COLOR_NEVER },
        };

        if (!v || !ret)
                return -EINVAL;
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
                if (strcmp(table[i].name, v) == 0) {
                        *ret = table[i].mode;
                        return 0;
                }
        return -EINVAL;
}

int idl_diag_sink_new(FILE *out, idl_diag_sink **ret) {
        idl_diag_sink *s;

        if (!out || !ret)
                return -EINVAL;
        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->out = out;
        s->warnings = IDL_WARNINGS_DEFAULT;
        *ret = s;
        return 0;
}

idl_diag_sink *idl_diag_sink_free(idl_diag_sink *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < s->n_sources; i++) {
                diag_source *o = s->sources[i].origin;
                if (o) {
                        free((char *) o->text);
                        free(o->lines);
                        free(o);
                }
                free(s->sources[i].marks);
                free(s->sources[i].path);
                free(s->sources[i].lines);
        }
        free(s->sources);
        free(s);
        return NULL;
}

void idl_diag_set_color(idl_diag_sink *s, idl_color mode) {
        const char *no_color;

        if (!s)
                return;
        /* NO_COLOR (no-color.org) set to anything non-empty turns colour off, whatever was asked */
        no_color = getenv("NO_COLOR");
        if (no_color && *no_color) {
                s->color = false;
                return;
        }
        switch (mode) {
        case IDL_COLOR_ALWAYS:
                s->color = true;
                break;
        case IDL_COLOR_NEVER:
                s->color = false;
                break;
        default:
                s->color = isatty(fileno(s->out)) > 0;
                break;
        }
}

void idl_diag_set_max_errors(idl_diag_sink *s, unsigned max_errors) {
        if (s)
                s->max_errors = max_errors;
}

void idl_diag_set_warnings(idl_diag_sink *s, unsigned warnings, bool warnings_as_errors) {
        if (!s)
                return;
        s->warnings = warnings & IDL_WARNINGS_ALL;
        s->werror = warnings_as_errors;
}

bool idl_diag_color(const idl_diag_sink *s) {
        return s && s->color;
}

bool idl_diag_warning_enabled(const idl_diag_sink *s, idl_warning w) {
        return s && (unsigned) w < IDL_W_COUNT && (s->warnings & (1u << w));
}

bool idl_diag_stopped(const idl_diag_sink *s) {
        return s && s->stopped;
}

static diag_source *find_source(idl_diag_sink *s, const char *path) {
        for (size_t i = 0; i < s->n_sources; i++)
                if (strcmp(s->sources[i].path, path) == 0)
                        return &s->sources[i];
        return NULL;
}

int idl_diag_add_source(idl_diag_sink *s, const char *path, const char *text, size_t len) {
        diag_source *src, *n;

        if (!s || !path || (!text && len > 0))
                return -EINVAL;
        src = find_source(s, path);
        if (src) {
                free(src->lines);
                src->lines = NULL;
                src->n_lines = 0;
        } else {
                n = realloc(s->sources, (s->n_sources + 1) * sizeof(*n));
                if (!n)
                        return -ENOMEM;
                s->sources = n;
                src = &s->sources[s->n_sources];
                *src = (diag_source) {};
                src->path = strdup(path);
                if (!src->path)
                        return -ENOMEM;
                s->n_sources++;
        }
        src->text = text;
        src->len = len;
        return 0;
}

int idl_diag_set_origin(idl_diag_sink *s, const char *path, const char *origin, size_t origin_len,
                        const idl_origin_mark *marks, size_t n_marks) {
        diag_source *src, *o;
        int r;

        if (!s || !path || (!origin && origin_len > 0) || (!marks && n_marks > 0))
                return -EINVAL;
        src = find_source(s, path);
        if (!src) {
                r = idl_diag_add_source(s, path, "", 0);
                if (r < 0)
                        return r;
                src = find_source(s, path);
        }
        o = calloc(1, sizeof(*o));
        char *text = malloc(origin_len + 1);
        idl_origin_mark *m = n_marks > 0 ? malloc(n_marks * sizeof(*m)) : NULL;
        if (!o || !text || (n_marks > 0 && !m)) {
                free(o);
                free(text);
                free(m);
                return -ENOMEM;
        }
        if (origin_len > 0)
                memcpy(text, origin, origin_len);
        text[origin_len] = '\0';
        if (n_marks > 0)
                memcpy(m, marks, n_marks * sizeof(*m));
        o->text = text;
        o->len = origin_len;
        if (src->origin) {
                free((char *) src->origin->text);
                free(src->origin->lines);
                free(src->origin);
        }
        free(src->marks);
        src->origin = o;
        src->marks = m;
        src->n_marks = n_marks;
        return 0;
}

static int index_lines(diag_source *src) {
        size_t n = 1;

        if (src->lines)
                return 0;
        for (size_t i = 0; i < src->len; i++)
                if (src->text[i] == '\n')
                        n++;
        src->lines = malloc(n * sizeof(size_t));
        if (!src->lines)
                return -ENOMEM;
        src->lines[0] = 0;
        src->n_lines = 1;
        for (size_t i = 0; i < src->len; i++)
                if (src->text[i] == '\n')
                        src->lines[src->n_lines++] = i + 1;
        return 0;
}

static bool utf8_continuation(unsigned char c) {
        return (c & 0xC0) == 0x80;
}

/* The source line and the caret line under it. */
static void render_excerpt(FILE *out, bool color, diag_source *src, idl_loc loc) {
        const char *line;
        size_t start, end, col, span;
        int width;

        if (index_lines(src) < 0 || loc.line > src->n_lines)
                return;
        start = src->lines[loc.line - 1];
        end = loc.line < src->n_lines ? src->lines[loc.line] - 1 : src->len;
        if (end > start && src->text[end - 1] == '\r')
                end--;
        line = src->text + start;

        width = fprintf(out, "%5u", loc.line);
        fputs(" | ", out);
        for (size_t i = 0; i < end - start; i++) {
                unsigned char c = (unsigned char) line[i];
                fputc(c == '\t' || (c >= 0x20 && c != 0x7f) ? c : ' ', out);
        }
        fputc('\n', out);

        col = loc.col > 0 ? loc.col - 1 : 0;
        if (col > end - start)
                col = end - start;
        span = loc.len > 0 ? loc.len : 1;
        if (span > end - start - col)
                span = end - start - col;
        if (span == 0)
                span = 1;

        fprintf(out, "%*s | ", width > 0 ? width : 5, "");
        for (size_t i = 0; i < col; i++) {
                unsigned char c = (unsigned char) line[i];
                if (c == '\t')
                        fputc('\t', out);
                else if (!utf8_continuation(c))
                        fputc(' ', out);
        }
        if (color)
                fputs(C_CARET, out);
        fputc('^', out);
        for (size_t i = col + 1; i < col + span; i++)
                if (!utf8_continuation((unsigned char) line[i]))
                        fputc('~', out);
        if (color)
                fputs(C_RESET, out);
        fputc('\n', out);
}

/*
 * A place in a generated source (idl_diag_set_origin) as the place in its
 * origin: the diagnostic's token written as an attribute value ("name" or
 * 'name') inside the opening tag of the mark's element, else that tag's
 * name.  Returns false when no mark comes before the place.
 */
static bool origin_loc(diag_source *src, idl_loc loc, idl_loc *ret) {
        diag_source *o = src->origin;
        const idl_origin_mark *mark = NULL;
        size_t off, lo = 0, hi = src->n_marks;

        if (index_lines(src) < 0 || index_lines(o) < 0 || loc.line == 0 || loc.line > src->n_lines)
                return false;
        off = src->lines[loc.line - 1] + (loc.col > 0 ? loc.col - 1 : 0);
        if (off > src->len)
                off = src->len;
        while (lo < hi) {       /* the last mark at or before off */
                size_t mid = lo + (hi - lo) / 2;
                if (src->marks[mid].offset <= off)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == 0)
                return false;
        mark = &src->marks[lo - 1];
        if (mark->line == 0 || mark->line > o->n_lines)
                return false;

        /* the opening tag: from the mark to the first '>' outside quotes */
        size_t start = o->lines[mark->line - 1] + (mark->col > 0 ? mark->col - 1 : 0), end = start;
        char quote = 0;
        if (start > o->len)
                start = end = o->len;
        while (end < o->len && (quote || o->text[end] != '>')) {
                if (quote && o->text[end] == quote)
                        quote = 0;
                else if (!quote && (o->text[end] == '"' || o->text[end] == '\''))
                        quote = o->text[end];
                end++;
        }
        size_t at = start, len = 1, tlen = loc.len;
        const char *token = src->text + off;
        if (tlen > src->len - off)
                tlen = src->len - off;
        bool found = false;
        for (size_t i = start; tlen > 0 && i + tlen + 2 <= end; i++)
                if ((o->text[i] == '"' || o->text[i] == '\'') && o->text[i + tlen + 1] == o->text[i] &&
                    memcmp(o->text + i + 1, token, tlen) == 0) {
                        at = i + 1;
                        len = tlen;
                        found = true;
                        break;
                }
        if (!found) /* '<' and the element name */
                while (start + len < end && o->text[start + len] != ' ' && o->text[start + len] != '\t' &&
                       o->text[start + len] != '\n' && o->text[start + len] != '/' && o->text[start + len] != '>')
                        len++;
        /* back to line and column */
        unsigned line = mark->line;
        while (line < o->n_lines && o->lines[line] <= at)
                line++;
        *ret = (idl_loc) { .file = loc.file, .line = line, .col = (unsigned) (at - o->lines[line - 1]) + 1,
                           .len = (unsigned) len };
        return true;
}

static const char *severity_word(idl_severity sev) {
        switch (sev) {
        case IDL_SEVERITY_ERROR:
                return "error";
        case IDL_SEVERITY_WARNING:
                return "warning";
        default:
                return "note";
        }
}

static const char *severity_color(idl_severity sev) {
        return sev == IDL_SEVERITY_ERROR ? C_ERROR : sev == IDL_SEVERITY_WARNING ? C_WARNING : C_NOTE;
}

/* `warning` is an idl_warning, or -1 for plain diagnostics. */
static void report(idl_diag_sink *s, idl_severity sev, int warning, idl_loc loc, const char *fmt, va_list ap) {
        char stackbuf[512], *heap = NULL, suffix[64] = "";
        const char *msg = stackbuf, *bold = "", *sevc = "", *reset = "";
        diag_source *src;
        va_list aq;
        int n;

        if (!s)
                return;
        if (sev == IDL_SEVERITY_NOTE) {
                if (s->hide_notes || s->stopped)
                        return;
        } else {
                if (warning >= 0) {
                        if (!idl_diag_warning_enabled(s, (idl_warning) warning)) {
                                s->hide_notes = true;
                                return;
                        }
                        if (s->werror) {
                                sev = IDL_SEVERITY_ERROR;
                                snprintf(suffix, sizeof(suffix), " [-Werror=%s]", warning_names[warning]);
                        } else
                                snprintf(suffix, sizeof(suffix), " [-W%s]", warning_names[warning]);
                }
                if (sev == IDL_SEVERITY_ERROR)
                        s->n_errors++;
                else
                        s->n_warnings++;
                if (s->stopped) {
                        s->hide_notes = true;
                        return;
                }
                if (sev == IDL_SEVERITY_ERROR && s->max_errors > 0 && s->n_errors > s->max_errors) {
                        if (s->color)
                                fprintf(s->out, "dbidlc: " C_ERROR "fatal:" C_RESET
                                        " too many errors emitted, stopping now [--max-errors=%u]\n", s->max_errors);
                        else
                                fprintf(s->out, "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=%u]\n",
                                        s->max_errors);
                        s->stopped = true;
                        s->hide_notes = true;
                        return;
                }
                s->hide_notes = false;
        }

        va_copy(aq, ap);
        n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, aq);
        va_end(aq);
        if (n < 0)
                msg = fmt;
        else if ((size_t) n >= sizeof(stackbuf)) {
                heap = malloc((size_t) n + 1);
                if (heap) {
                        vsnprintf(heap, (size_t) n + 1, fmt, ap);
                        msg = heap;
                }
        }
        if (s->color) {
                bold = C_BOLD;
                sevc = severity_color(sev);
                reset = C_RESET;
        }

        src = loc.file ? find_source(s, loc.file) : NULL;
        if (src && src->origin && loc.line > 0) {
                idl_loc at;
                if (origin_loc(src, loc, &at))
                        loc = at;
                else
                        loc.line = 0;
                src = src->origin;
        }
        if (!loc.file)
                fprintf(s->out, "%sdbidlc:%s %s%s:%s %s%s\n", bold, reset, sevc, severity_word(sev), reset, msg, suffix);
        else if (loc.line == 0)
                fprintf(s->out, "%s%s:%s %s%s:%s %s%s\n", bold, loc.file, reset, sevc, severity_word(sev), reset, msg,
                        suffix);
        else {
                fprintf(s->out, "%s%s:%u:%u:%s %s%s:%s %s%s\n", bold, loc.file, loc.line, loc.col, reset, sevc,
                        severity_word(sev), reset, msg, suffix);
                if (src)
                        render_excerpt(s->out, s->color, src, loc);
        }
        free(heap);
}

void idl_diagv(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, va_list ap) {
        report(s, sev, -1, loc, fmt, ap);
}

void idl_diag(idl_diag_sink *s, idl_severity sev, idl_loc loc, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        report(s, sev, -1, loc, fmt, ap);
        va_end(ap);
}

void idl_warn(idl_diag_sink *s, idl_warning w, idl_loc loc, const char *fmt, ...) {
        va_list ap;

        if ((unsigned) w >= IDL_W_COUNT)
                return;
        va_start(ap, fmt);
        report(s, IDL_SEVERITY_WARNING, (int) w, loc, fmt, ap);
        va_end(ap);
}

unsigned idl_diag_error_count(const idl_diag_sink *s) {
        return s ? s->n_errors : 0;
}

unsigned idl_diag_warning_count(const idl_diag_sink *s) {
        return s ? s->n_warnings : 0;
}

size_t idl_edit_distance(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b), *d, r;

        if (la == 0)
                return lb;
        if (lb == 0)
                return la;
        if (la > 256 || lb > 256)       /* not worth it: far apart anyway */
                return la > lb ? la : lb;
        /* optimal string alignment distance, (la+1) x (lb+1) table */
        d = malloc((la + 1) * (lb + 1) * sizeof(size_t));
        if (!d)
                return SIZE_MAX;
#define D(i, j) d[(i) * (lb + 1) + (j)]
        for (size_t i = 0; i <= la; i++)
                D(i, 0) = i;
        for (size_t j = 0; j <= lb; j++)
                D(0, j) = j;
        for (size_t i = 1; i <= la; i++)
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1, v;

                        v = D(i - 1, j) + 1;
                        if (D(i, j - 1) + 1 < v)
                                v = D(i, j - 1) + 1;
                        if (D(i - 1, j - 1) + cost < v)
                                v = D(i - 1, j - 1) + cost;
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
                                v = D(i - 2, j - 2) + 1;
                        D(i, j) = v;
                }
        r = D(la, lb);
#undef D
        free(d);
        return r;
}

const char *idl_suggest(const char *name, const char *const *candidates, size_t n) {
        const char *best = NULL;
        size_t best_d = 3, len = strlen(name);

        for (size_t i = 0; i < n; i++) {
                size_t d;

                if (!candidates[i] || strcmp(candidates[i], name) == 0)
                        continue;
                d = idl_edit_distance(name, candidates[i]);
                if (d < best_d && d < len) {
                        best = candidates[i];
                        best_d = d;
                }
        }
        return best;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/diag.c — the diagnostics sink: gcc-like rendering with the source line and a caret, counts, suggestions */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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

/* Where a group (an error or warning and its notes) sorts: see diag_cmp(). */
typedef struct diag_key {
        size_t file;            /* index in idl_diag_sink.files: the order files were first reported in */
        unsigned line;          /* 0: the file as a whole, first */
        unsigned col;
        size_t group;           /* the order the groups were reported in */
} diag_key;

/* A diagnostic reported but not yet written: rendered, waiting for idl_diag_flush(). */
typedef struct diag_record {
        diag_key key;
        unsigned sub;           /* 0: the error or warning; 1, 2, …: its notes in order */
        bool primary;           /* an error or warning (not a note) */
        bool error;
        char *text;             /* the whole diagnostic: its line, source excerpt and caret */
        size_t len;
} diag_record;

/* idl_diag_set_import(): `path` was imported at from:line. */
typedef struct diag_import {
        char *path;
        char *from;
        unsigned line;
} diag_import;

struct idl_diag_sink {
        FILE *out;
        diag_source *sources;
        size_t n_sources;
        unsigned n_errors;
        unsigned n_warnings;
        unsigned max_errors;    /* 0: no limit */
        unsigned warnings;      /* enabled: (1u << idl_warning) bits */
        unsigned werror;        /* shown as errors: (1u << idl_warning) bits */
        bool color;
        bool stopped;           /* the error limit was hit: more than max_errors errors reported */
        bool hide_notes;        /* the last error or warning was not shown: neither are its notes */

        /* buffered until idl_diag_flush() */
        diag_record *records;
        size_t n_records, cap_records;
        size_t prune_at;        /* n_records at which prune() next runs */
        char **files;           /* file names (NULL: diagnostics without one) in the order first reported */
        size_t n_files;
        size_t n_groups;
        bool in_group;          /* a group is open: notes join it */
        diag_key cur;           /* its key */
        unsigned cur_sub;       /* its notes so far */
        unsigned shown_errors;  /* errors written */
        bool fatal_shown;       /* "too many errors" was written: nothing more is */
        bool have_cutoff;       /* prune() found the error that becomes "too many errors": */
        diag_key cutoff;        /* its key; what sorts after it is not shown */
        size_t last_file;       /* file of the last error or warning written; SIZE_MAX: none */

        diag_import *imports;
        size_t n_imports;
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
        s->last_file = SIZE_MAX;
        s->prune_at = 1024;
        *ret = s;
        return 0;
}

static void drop_records(idl_diag_sink *s, size_t from) {
        for (size_t i = from; i < s->n_records; i++)
                free(s->records[i].text);
        s->n_records = from;
}

idl_diag_sink *idl_diag_sink_free(idl_diag_sink *s) {
        if (!s)
                return NULL;
        idl_diag_flush(s);
        drop_records(s, 0);
        free(s->records);
        for (size_t i = 0; i < s->n_files; i++)
                free(s->files[i]);
        free(s->files);
        for (size_t i = 0; i < s->n_imports; i++) {
                free(s->imports[i].path);
                free(s->imports[i].from);
        }
        free(s->imports);
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
        s->werror = warnings_as_errors ? IDL_WARNINGS_ALL : 0;
}

void idl_diag_set_warning_errors(idl_diag_sink *s, unsigned errors) {
        if (s)
                s->werror = errors & IDL_WARNINGS_ALL;
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

int idl_diag_set_import(idl_diag_sink *s, const char *path, idl_loc at) {
        diag_import *n;
        char *p, *from;

        if (!s || !path || !at.file)
                return -EINVAL;
        for (size_t i = 0; i < s->n_imports; i++)
                if (strcmp(s->imports[i].path, path) == 0)
                        return 0;
        n = realloc(s->imports, (s->n_imports + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        s->imports = n;
        p = strdup(path);
        from = strdup(at.file);
        if (!p || !from) {
                free(p);
                free(from);
                return -ENOMEM;
        }
        s->imports[s->n_imports++] = (diag_import) { .path = p, .from = from, .line = at.line };
        return 0;
}

static const diag_import *find_import(const idl_diag_sink *s, const char *path) {
        for (size_t i = 0; i < s->n_imports; i++)
                if (strcmp(s->imports[i].path, path) == 0)
                        return &s->imports[i];
        return NULL;
}

/* `n` times `c` (a diagnostic is rendered into a memory stream, open_memstream()). */
static void put_n(FILE *f, char c, size_t n) {
        while (n-- > 0)
                fputc(c, f);
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

/*
 * A long line is shown as a window around the caret, as clang does: about
 * EXCERPT_COLUMNS columns of it, with "..." where it was cut.  A tab counts
 * as EXCERPT_TAB_COLUMNS when the window is chosen (the terminal decides how
 * wide it is; the caret line repeats it, so the caret stays aligned), a UTF-8
 * character as one, and the window holds at most EXCERPT_BYTES bytes (for
 * stray continuation bytes, which count as nothing).
 */
#define EXCERPT_COLUMNS 100
#define EXCERPT_TAB_COLUMNS 8
#define EXCERPT_BYTES (4 * EXCERPT_COLUMNS)

static size_t byte_columns(unsigned char c) {
        return c == '\t' ? EXCERPT_TAB_COLUMNS : utf8_continuation(c) ? 0 : 1;
}

/* The length of the character at line[i] (a lead byte and up to three continuation bytes), within n. */
static size_t char_len(const char *line, size_t n, size_t i) {
        size_t j = i + 1;

        while (j < n && j - i < 4 && utf8_continuation((unsigned char) line[j]))
                j++;
        return j - i;
}

/* The start of the character that ends at line[i] (exclusive); i > 0. */
static size_t char_before(const char *line, size_t i) {
        size_t j = i - 1;

        while (j > 0 && i - j < 4 && utf8_continuation((unsigned char) line[j]))
                j--;
        return j;
}

/* Columns of line[from, to), counting no further than `cap` columns or EXCERPT_BYTES bytes. */
static size_t columns(const char *line, size_t from, size_t to, size_t cap) {
        size_t w = 0;

        for (size_t i = from; i < to && w < cap && i - from < EXCERPT_BYTES; i++)
                w += byte_columns((unsigned char) line[i]);
        return w;
}

/*
 * The part [*ret_start, *ret_end) of the line `line` (n bytes) that the excerpt shows: all of it when it fits,
 * else a window that holds the start of the span [col, col + span) with context on both sides (the span itself
 * takes at most two thirds of it).  Both ends are character boundaries.
 */
static void excerpt_window(const char *line, size_t n, size_t col, size_t span, size_t *ret_start, size_t *ret_end) {
        size_t ws, we, w, left, sw, rw;

        if (n <= EXCERPT_BYTES && columns(line, 0, n, EXCERPT_COLUMNS + 1) <= EXCERPT_COLUMNS) {
                *ret_start = 0;
                *ret_end = n;
                return;
        }
        /* the span may be the one column past the end of the line (a caret after its last character) */
        sw = columns(line, col, col + span < n ? col + span : n, EXCERPT_COLUMNS * 2 / 3);
        if (sw > EXCERPT_COLUMNS * 2 / 3)
                sw = EXCERPT_COLUMNS * 2 / 3;
        rw = columns(line, col, n, EXCERPT_COLUMNS);
        /* half of what the span leaves goes before it; more when the line ends soon after it */
        left = (EXCERPT_COLUMNS - sw) / 2;
        if (rw < EXCERPT_COLUMNS - left)
                left = EXCERPT_COLUMNS - rw;

        for (ws = col, w = 0; ws > 0;) {
                size_t c = char_before(line, ws), cw = byte_columns((unsigned char) line[c]);

                if (w + cw > left || col - c > EXCERPT_BYTES / 2)
                        break;
                w += cw;
                ws = c;
        }
        for (we = ws, w = 0; we < n;) {
                size_t len = char_len(line, n, we), cw = byte_columns((unsigned char) line[we]);

                if (we > col && (w + cw > EXCERPT_COLUMNS || we + len - ws > EXCERPT_BYTES))
                        break;
                w += cw;
                we += len;
        }
        *ret_start = ws;
        *ret_end = we;
}

/* line[from, to) with control characters (but tabs) as spaces: written in runs. */
static void put_source(FILE *f, const char *line, size_t from, size_t to) {
        size_t run = from;

        for (size_t i = from; i < to; i++) {
                unsigned char c = (unsigned char) line[i];

                if (c == '\t' || (c >= 0x20 && c != 0x7f))
                        continue;
                fwrite(line + run, 1, i - run, f);
                fputc(' ', f);
                run = i + 1;
        }
        fwrite(line + run, 1, to - run, f);
}

/* The source line (or the window of it around the place) and the caret line under it. */
static void render_excerpt(FILE *f, bool color, diag_source *src, idl_loc loc) {
        const char *line;
        size_t start, end, n, col, span, ws, we, spaces = 0;
        int width;

        if (index_lines(src) < 0 || loc.line > src->n_lines)
                return;
        start = src->lines[loc.line - 1];
        end = loc.line < src->n_lines ? src->lines[loc.line] - 1 : src->len;
        if (end > start && src->text[end - 1] == '\r')
                end--;
        line = src->text + start;
        n = end - start;

        col = loc.col > 0 ? loc.col - 1 : 0;
        if (col > n)
                col = n;
        span = loc.len > 0 ? loc.len : 1;
        if (span > n - col)
                span = n - col;
        if (span == 0)
                span = 1;
        excerpt_window(line, n, col, span, &ws, &we);

        width = fprintf(f, "%5u", loc.line);
        if (width < 0)
                width = 5;
        fputs(" | ", f);
        if (ws > 0)
                fputs("...", f);
        put_source(f, line, ws, we);
        if (we < n)
                fputs("...", f);
        fputc('\n', f);

        fprintf(f, "%*s | ", width, "");
        if (ws > 0)
                fputs("   ", f);
        for (size_t i = ws; i < col; i++) {
                unsigned char c = (unsigned char) line[i];

                if (c == '\t') {
                        put_n(f, ' ', spaces);
                        spaces = 0;
                        fputc('\t', f);
                } else if (!utf8_continuation(c))
                        spaces++;
        }
        put_n(f, ' ', spaces);
        if (color)
                fputs(C_CARET, f);
        fputc('^', f);
        spaces = 0;
        for (size_t i = col + 1; i < col + span && i < we; i++)
                if (!utf8_continuation((unsigned char) line[i]))
                        spaces++;
        put_n(f, '~', spaces);
        if (color)
                fputs(C_RESET, f);
        fputc('\n', f);
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

/* The index of `file` (NULL for diagnostics without one) in the order files were first reported; SIZE_MAX when
 * out of memory. */
static size_t file_index(idl_diag_sink *s, const char *file) {
        char **n, *copy = NULL;

        for (size_t i = 0; i < s->n_files; i++)
                if (file ? s->files[i] && strcmp(s->files[i], file) == 0 : !s->files[i])
                        return i;
        n = realloc(s->files, (s->n_files + 1) * sizeof(*n));
        if (!n)
                return SIZE_MAX;
        s->files = n;
        if (file) {
                copy = strdup(file);
                if (!copy)
                        return SIZE_MAX;
        }
        s->files[s->n_files] = copy;
        return s->n_files++;
}

/* Source order: file, line, column, then the order of report; a group's notes after its error or warning. */
static int diag_cmp(const void *a, const void *b) {
        const diag_record *x = a, *y = b;

        if (x->key.file != y->key.file)
                return x->key.file < y->key.file ? -1 : 1;
        if (x->key.line != y->key.line)
                return x->key.line < y->key.line ? -1 : 1;
        if (x->key.col != y->key.col)
                return x->key.col < y->key.col ? -1 : 1;
        if (x->key.group != y->key.group)
                return x->key.group < y->key.group ? -1 : 1;
        return x->sub < y->sub ? -1 : x->sub > y->sub;
}

static bool key_before(const diag_key *x, const diag_key *y) {
        diag_record a = { .key = *x }, b = { .key = *y };

        return diag_cmp(&a, &b) < 0;
}

/* The errors still to be shown before "too many errors"; UINT_MAX: no limit. */
static unsigned errors_left(const idl_diag_sink *s) {
        if (s->max_errors == 0)
                return (unsigned) -1;
        return s->shown_errors < s->max_errors ? s->max_errors - s->shown_errors : 0;
}

/*
 * With an error limit, forget what the flush will not show: everything after the error that becomes "too many
 * errors" in source order.  Keeps the buffer small when a pass goes on reporting after idl_diag_stopped().
 */
static void prune(idl_diag_sink *s) {
        unsigned left = errors_left(s), seen = 0;

        if (s->max_errors == 0 || s->n_records == 0)
                return;
        qsort(s->records, s->n_records, sizeof(*s->records), diag_cmp);
        for (size_t i = 0; i < s->n_records; i++) {
                if (!s->records[i].primary || !s->records[i].error || seen++ < left)
                        continue;
                /* this one becomes the "too many errors" line: nothing after it is shown, nor its notes */
                if (s->in_group && !key_before(&s->cur, &s->records[i].key))
                        s->hide_notes = true;
                s->cutoff = s->records[i].key;
                s->have_cutoff = true;
                drop_records(s, i + 1);
                break;
        }
}

static void add_record(idl_diag_sink *s, diag_record r) {
        if (s->n_records == s->cap_records) {
                size_t cap = s->cap_records ? 2 * s->cap_records : 64;
                diag_record *n = realloc(s->records, cap * sizeof(*n));

                if (!n) {       /* no room to sort it: write it now */
                        fwrite(r.text, 1, r.len, s->out);
                        free(r.text);
                        return;
                }
                s->records = n;
                s->cap_records = cap;
        }
        s->records[s->n_records++] = r;
        if (s->n_records >= s->prune_at) {
                prune(s);
                s->prune_at = 2 * s->n_records > 1024 ? 2 * s->n_records : 1024;
        }
}

/* `warning` is an idl_warning, or -1 for plain diagnostics. */
static void report(idl_diag_sink *s, idl_severity sev, int warning, idl_loc loc, const char *fmt, va_list ap) {
        char suffix[64] = "";
        const char *bold = "", *sevc = "", *reset = "";
        char *text = NULL;
        size_t len = 0;
        FILE *f;
        diag_source *src;
        diag_record r;

        if (!s)
                return;
        if (sev == IDL_SEVERITY_NOTE) {
                if (s->hide_notes || s->fatal_shown)
                        return;
        } else {
                if (warning >= 0) {
                        if (!idl_diag_warning_enabled(s, (idl_warning) warning)) {
                                s->hide_notes = true;
                                return;
                        }
                        if (s->werror & (1u << warning)) {
                                sev = IDL_SEVERITY_ERROR;
                                snprintf(suffix, sizeof(suffix), " [-Werror=%s]", warning_names[warning]);
                        } else
                                snprintf(suffix, sizeof(suffix), " [-W%s]", warning_names[warning]);
                }
                if (sev == IDL_SEVERITY_ERROR)
                        s->n_errors++;
                else
                        s->n_warnings++;
                s->in_group = false;
                if (s->fatal_shown) {   /* "too many errors" was written: nothing more will be */
                        s->hide_notes = true;
                        return;
                }
                s->hide_notes = false;
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
        if (sev != IDL_SEVERITY_NOTE || !s->in_group) {
                /* a new group: an error or warning, or a note without one */
                diag_key key = { .file = file_index(s, loc.file), .line = loc.line, .col = loc.col,
                                 .group = s->n_groups++ };

                if (s->have_cutoff && !key_before(&key, &s->cutoff)) {
                        s->hide_notes = true;   /* after the limit in source order: never shown */
                        return;
                }
                s->cur = key;
                s->cur_sub = 0;
                s->in_group = true;
        }
        if (sev == IDL_SEVERITY_ERROR && s->max_errors > 0 && s->n_errors > s->max_errors && !s->stopped) {
                s->stopped = true;
                s->prune_at = 0;        /* prune() now: what sorts after the limit need not even be rendered */
        }
        if (s->color) {
                bold = C_BOLD;
                sevc = severity_color(sev);
                reset = C_RESET;
        }
        f = open_memstream(&text, &len);
        if (!f) {
                fprintf(s->out, "dbidlc: error: out of memory\n");
                return;
        }
        if (!loc.file)
                fprintf(f, "%sdbidlc:%s %s%s:%s ", bold, reset, sevc, severity_word(sev), reset);
        else if (loc.line == 0)
                fprintf(f, "%s%s:%s %s%s:%s ", bold, loc.file, reset, sevc, severity_word(sev), reset);
        else
                fprintf(f, "%s%s:%u:%u:%s %s%s:%s ", bold, loc.file, loc.line, loc.col, reset, sevc,
                        severity_word(sev), reset);
        if (vfprintf(f, fmt, ap) < 0)
                fputs(fmt, f);
        fputs(suffix, f);
        fputc('\n', f);
        if (loc.file && loc.line > 0 && src)
                render_excerpt(f, s->color, src, loc);
        bool failed = ferror(f) != 0;
        if (fclose(f) != 0 || failed) {
                free(text);
                fprintf(s->out, "dbidlc: error: out of memory\n");
                return;
        }

        r = (diag_record) { .key = s->cur, .primary = sev != IDL_SEVERITY_NOTE, .error = sev == IDL_SEVERITY_ERROR,
                            .text = text, .len = len };
        if (!r.primary)
                r.sub = ++s->cur_sub;
        add_record(s, r);
}

/* "In file imported from b.idl:2,\n                 from main.idl:1:\n" for the file `path`, if it was imported. */
static void write_import_context(idl_diag_sink *s, const char *path) {
        const diag_import *imp = find_import(s, path);

        for (size_t depth = 0; imp && depth <= 256; depth++) {
                const diag_import *up = find_import(s, imp->from);

                fprintf(s->out, "%s%s:%u%s\n", depth == 0 ? "In file imported from " : "                 from ",
                        imp->from, imp->line, up && depth < 256 ? "," : ":");
                imp = up;
        }
}

void idl_diag_flush(idl_diag_sink *s) {
        if (!s)
                return;
        if (s->n_records > 1)
                qsort(s->records, s->n_records, sizeof(*s->records), diag_cmp);
        for (size_t i = 0; i < s->n_records && !s->fatal_shown; i++) {
                const diag_record *r = &s->records[i];

                if (r->primary && r->error && errors_left(s) == 0) {
                        if (s->color)
                                fprintf(s->out, "dbidlc: " C_ERROR "fatal:" C_RESET
                                        " too many errors emitted, stopping now [--max-errors=%u]\n", s->max_errors);
                        else
                                fprintf(s->out,
                                        "dbidlc: fatal: too many errors emitted, stopping now [--max-errors=%u]\n",
                                        s->max_errors);
                        s->fatal_shown = true;
                        s->stopped = true;
                        break;
                }
                if (r->primary) {
                        if (r->key.file != s->last_file && r->key.file < s->n_files && s->files[r->key.file])
                                write_import_context(s, s->files[r->key.file]);
                        s->last_file = r->key.file;
                        if (r->error)
                                s->shown_errors++;
                }
                fwrite(r->text, 1, r->len, s->out);
        }
        drop_records(s, 0);
        s->prune_at = 1024;
        s->have_cutoff = false;
        fflush(s->out);
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
        size_t la = strlen(a), lb = strlen(b), *d, r, small[1024];

        if (la == 0)
                return lb;
        if (lb == 0)
                return la;
        if (la > 256 || lb > 256)       /* not worth it: far apart anyway */
                return la > lb ? la : lb;
        /* optimal string alignment distance, (la+1) x (lb+1) table: on the stack for names (a suggestion is
         * looked for at every unknown name, hundreds of thousands of times in a big file) */
        d = (la + 1) * (lb + 1) <= sizeof(small) / sizeof(small[0]) ? small
                                                                     : malloc((la + 1) * (lb + 1) * sizeof(size_t));
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
        if (d != small)
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
                d = strlen(candidates[i]);
                if ((d > len ? d - len : len - d) >= best_d)
                        continue;       /* the distance is at least the difference in length */
                d = idl_edit_distance(name, candidates[i]);
                if (d < best_d && d < len) {
                        best = candidates[i];
                        best_d = d;
                }
        }
        return best;
}

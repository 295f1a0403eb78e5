/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idl/load.c — the loader: options, reading files, resolving imports (search path, cycles), checking every file */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1           /* asprintf */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idl.h"
#include "lexer.h"

void idl_options_init(idl_options *o) {
        if (!o)
                return;
        *o = (idl_options) {
                .max_errors = IDL_DEFAULT_MAX_ERRORS,
                .warnings = IDL_WARNINGS_DEFAULT,
                .color = IDL_COLOR_AUTO,
        };
}

int idl_options_parse_warning(idl_options *o, const char *arg) {
        bool off = false;
        int w;

        if (!o || !arg)
                return -EINVAL;
        if (strncmp(arg, "no-", 3) == 0) {
                off = true;
                arg += 3;
        }
        if (strncmp(arg, "error=", 6) == 0) {
                w = idl_warning_from_name(arg + 6);
                if (w < 0)
                        return -EINVAL;
                o->warning_errors_given |= 1u << w;
                if (off)
                        o->warning_errors &= ~(1u << w);
                else {
                        o->warning_errors |= 1u << w;
                        o->warnings |= 1u << w; /* as gcc: -Werror=NAME implies -WNAME */
                        o->warnings_given |= 1u << w;
                }
                return 0;
        }
        if (strcmp(arg, "error") == 0) {
                o->warnings_as_errors = !off;
                return 0;
        }
        if (strcmp(arg, "all") == 0) {
                o->warnings = off ? 0 : IDL_WARNINGS_ALL;
                o->warnings_given = IDL_WARNINGS_ALL;
                return 0;
        }
        w = idl_warning_from_name(arg);
        if (w < 0)
                return -EINVAL;
        o->warnings_given |= 1u << w;
        if (off)
                o->warnings &= ~(1u << w);
        else
                o->warnings |= 1u << w;
        return 0;
}

unsigned idl_options_warning_errors(const idl_options *o) {
        if (!o)
                return 0;
        return ((o->warnings_as_errors ? IDL_WARNINGS_ALL : 0) & ~o->warning_errors_given) |
               (o->warning_errors & o->warning_errors_given);
}

void idl_options_apply(const idl_options *o, idl_diag_sink *sink) {
        idl_options def;

        if (!sink)
                return;
        if (!o) {
                idl_options_init(&def);
                o = &def;
        }
        idl_diag_set_color(sink, o->color);
        idl_diag_set_max_errors(sink, o->max_errors);
        idl_diag_set_warnings(sink, o->warnings, false);
        idl_diag_set_warning_errors(sink, idl_options_warning_errors(o));
}

/* Read an open file: at most IDL_MAX_FILE_SIZE + 1 bytes, NUL-terminated. */
static int read_fd(int fd, char **ret_text, size_t *ret_len) {
        IDL_CLEANUP(idl_freep) char *buf = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t n;

                if (len + 1 >= cap) {
                        char *nb;

                        if (len > IDL_MAX_FILE_SIZE)
                                break;
                        cap = cap ? cap * 2 : 16384;
                        nb = realloc(buf, cap);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                }
                n = read(fd, buf + len, cap - len - 1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        if (!buf) {
                buf = malloc(1);
                if (!buf)
                        return -ENOMEM;
        }
        buf[len] = 0;
        *ret_text = IDL_TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

/* Open `path` for reading and say which file it is. */
static int open_file(const char *path, struct stat *st) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        if (fstat(fd, st) < 0) {
                int r = -errno;

                close(fd);
                return r;
        }
        if (S_ISDIR(st->st_mode)) {
                close(fd);
                return -EISDIR;
        }
        return fd;
}

int idl_read_file(const char *path, char **ret_text, size_t *ret_len) {
        struct stat st;
        int fd, r;

        if (!path || !ret_text || !ret_len)
                return -EINVAL;
        fd = open_file(path, &st);
        if (fd < 0)
                return fd;
        r = read_fd(fd, ret_text, ret_len);
        close(fd);
        return r;
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

/* ---- idl_load ---- */

typedef struct loaded {
        dev_t dev;
        ino_t ino;
        idl_file *f;
} loaded;

typedef struct frame {
        dev_t dev;
        ino_t ino;
        idl_file *f;
        const idl_import *via;  /* the import (in the frame below) that brought this file in; NULL for the root */
} frame;

typedef struct loader {
        const idl_options *o;
        idl_diag_sink *sink;
        idl_file *root;
        loaded *files;
        size_t n_files;
        frame stack[IDL_MAX_IMPORT_DEPTH + 1];
        size_t depth;
} loader;

/* `dir` + "/" + `name`, or `name` when `dir` is empty; malloc'd or NULL. */
static char *path_join(const char *dir, size_t dir_len, const char *name) {
        char *p;

        while (dir_len > 1 && dir[dir_len - 1] == '/')
                dir_len--;
        if (dir_len == 0)
                return strdup(name);
        if (asprintf(&p, "%.*s%s%s", (int) dir_len, dir, dir[dir_len - 1] == '/' ? "" : "/", name) < 0)
                return NULL;
        return p;
}

static size_t dir_len(const char *path) {
        const char *slash = strrchr(path, '/');

        return slash ? (size_t) (slash - path) + (slash == path) : 0;
}

static int remember(loader *l, const struct stat *st, idl_file *f) {
        loaded *n = realloc(l->files, (l->n_files + 1) * sizeof(*n));

        if (!n)
                return -ENOMEM;
        l->files = n;
        l->files[l->n_files++] = (loaded) { .dev = st->st_dev, .ino = st->st_ino, .f = f };
        return 0;
}

static int own(loader *l, idl_file *f) {
        idl_file **n = realloc(l->root->owned, (l->root->n_owned + 1) * sizeof(*n));

        if (!n)
                return -ENOMEM;
        l->root->owned = n;
        l->root->owned[l->root->n_owned++] = f;
        return 0;
}

/*
 * Check a file, also one whose parse reported errors: the parser keeps only
 * what parsed well (idl_file.syntax_errors), so a syntax error does not hide
 * the mistakes the checks find elsewhere, as in a C compiler.
 */
static int check_if_clean(loader *l, idl_file *f, bool parsed_clean) {
        (void) parsed_clean;
        if (idl_diag_stopped(l->sink))
                return 0;
        return idl_check(f, l->sink);
}

static void report_cycle(loader *l, const idl_import *imp, size_t from, const char *path) {
        idl_error_at(l->sink, imp->loc, "circular import of '%s'", path);
        for (size_t j = from + 1; j < l->depth; j++)
                idl_note_at(l->sink, l->stack[j].via->loc, "'%s' imports '%s' here", l->stack[j - 1].f->path,
                            l->stack[j].f->path);
}

/*
 * Find the file an import names: its path and an open descriptor; -ENOENT when it is nowhere (*ret_path NULL),
 * -EISDIR when the only things of that name are directories (*ret_path the first of them).
 */
static int find_import(loader *l, const idl_file *f, const idl_import *imp, char **ret_path, struct stat *st) {
        size_t n_dirs = l->o ? l->o->n_include_dirs : 0;
        char *dir = NULL;

        for (size_t i = 0; i <= n_dirs; i++) {
                char *cand;
                int fd;

                if (imp->path[0] == '/') {
                        if (i > 0)
                                break;
                        cand = strdup(imp->path);
                } else if (i == 0)
                        cand = path_join(f->path, dir_len(f->path), imp->path);
                else
                        cand = path_join(l->o->include_dirs[i - 1], strlen(l->o->include_dirs[i - 1]), imp->path);
                if (!cand) {
                        free(dir);
                        return -ENOMEM;
                }
                fd = open_file(cand, st);
                if (fd >= 0 || (fd != -ENOENT && fd != -ENOTDIR && fd != -EISDIR)) {
                        free(dir);
                        *ret_path = cand;
                        return fd;
                }
                if (fd == -EISDIR && !dir)
                        dir = cand;     /* a file of that name further on still wins */
                else
                        free(cand);
        }
        if (dir) {
                *ret_path = dir;
                return -EISDIR;
        }
        return -ENOENT;
}

static int load_imports(loader *l, idl_file *f);

static int load_import(loader *l, idl_file *f, idl_import *imp) {
        IDL_CLEANUP(idl_freep) char *path = NULL, *text = NULL;
        idl_file *nf = NULL;
        struct stat st;
        unsigned errors;
        bool clean;
        size_t len;
        int fd, r;

        if (imp->path[0] == 0) {
                idl_error_at(l->sink, imp->loc, "empty file name in import");
                return 0;
        }
        fd = find_import(l, f, imp, &path, &st);
        if (fd == -ENOMEM)
                return fd;
        if (fd == -ENOENT && !path) {
                if (l->o && l->o->n_include_dirs > 0)
                        idl_error_at(l->sink, imp->loc,
                                     "cannot find imported file '%s' (searched beside '%s' and in %zu include %s)",
                                     imp->path, f->path, l->o->n_include_dirs,
                                     l->o->n_include_dirs == 1 ? "directory" : "directories");
                else
                        idl_error_at(l->sink, imp->loc, "cannot find imported file '%s' (searched beside '%s'; add -I DIR?)",
                                     imp->path, f->path);
                return 0;
        }
        if (fd == -EISDIR) {
                if (strcmp(path, imp->path) == 0)
                        idl_error_at(l->sink, imp->loc, "cannot import '%s': it is a directory", imp->path);
                else
                        idl_error_at(l->sink, imp->loc, "cannot import '%s': '%s' is a directory", imp->path, path);
                return 0;
        }
        if (fd < 0) {
                idl_error_at(l->sink, imp->loc, "cannot read imported file '%s': %s", path, strerror(-fd));
                return 0;
        }

        for (size_t i = 0; i < l->depth; i++)
                if (l->stack[i].dev == st.st_dev && l->stack[i].ino == st.st_ino) {
                        close(fd);
                        report_cycle(l, imp, i, l->stack[i].f->path);
                        return 0;
                }
        for (size_t i = 0; i < l->n_files; i++)
                if (l->files[i].dev == st.st_dev && l->files[i].ino == st.st_ino) {
                        close(fd);
                        imp->file = l->files[i].f;
                        return 0;
                }
        if (l->depth > IDL_MAX_IMPORT_DEPTH) {
                close(fd);
                idl_error_at(l->sink, imp->loc, "imports nested too deeply (the limit is %d)", IDL_MAX_IMPORT_DEPTH);
                return 0;
        }

        r = read_fd(fd, &text, &len);
        close(fd);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                idl_error_at(l->sink, imp->loc, "cannot read imported file '%s': %s", path, strerror(-r));
                return 0;
        }
        if (len > IDL_MAX_FILE_SIZE) {  /* said here, at the import, rather than by the parser without a place */
                idl_error_at(l->sink, imp->loc, "cannot import '%s': the file is too large (the limit is %u MiB)",
                             imp->path, IDL_MAX_FILE_SIZE / (1024u * 1024u));
                return 0;
        }

        /* its diagnostics get "In file imported from …" */
        r = idl_diag_set_import(l->sink, path, imp->loc);
        if (r == -ENOMEM)
                return r;
        errors = idl_diag_error_count(l->sink);
        r = idl_parse_string(path, text, len, l->sink, &nf);
        if (r < 0)
                return r;
        clean = idl_diag_error_count(l->sink) == errors;
        r = own(l, nf);
        if (r < 0) {
                idl_file_free(nf);
                return r;
        }
        nf->imported = true;
        r = remember(l, &st, nf);
        if (r < 0)
                return r;

        l->stack[l->depth++] = (frame) { .dev = st.st_dev, .ino = st.st_ino, .f = nf, .via = imp };
        r = load_imports(l, nf);
        l->depth--;
        if (r < 0)
                return r;
        imp->file = nf;
        return check_if_clean(l, nf, clean);
}

static int load_imports(loader *l, idl_file *f) {
        for (size_t i = 0; i < f->n_imports && !idl_diag_stopped(l->sink); i++) {
                int r = load_import(l, f, &f->imports[i]);

                if (r < 0)
                        return r;
        }
        return 0;
}

int idl_load(const char *path, const idl_options *o, idl_diag_sink *sink, idl_file **ret) {
        IDL_CLEANUP(idl_freep) char *text = NULL;
        loader l = { .o = o, .sink = sink };
        idl_file *f = NULL;
        struct stat st;
        unsigned errors;
        bool clean;
        size_t len;
        int fd, r;

        if (!path || !ret)
                return -EINVAL;
        idl_options_apply(o, sink);

        fd = open_file(path, &st);
        if (fd < 0)
                return fd;
        r = read_fd(fd, &text, &len);
        close(fd);
        if (r < 0)
                return r;

        errors = idl_diag_error_count(sink);
        r = idl_parse_string(path, text, len, sink, &f);
        if (r < 0)
                return r;
        clean = idl_diag_error_count(sink) == errors;
        l.root = f;
        r = remember(&l, &st, f);
        if (r >= 0) {
                l.stack[l.depth++] = (frame) { .dev = st.st_dev, .ino = st.st_ino, .f = f };
                r = load_imports(&l, f);
                l.depth--;
        }
        if (r >= 0)
                r = check_if_clean(&l, f, clean);
        free(l.files);
        if (r < 0) {
                idl_file_free(f);
                return r;
        }
        *ret = f;
        return 0;
}

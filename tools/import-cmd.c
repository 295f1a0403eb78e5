/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/import-cmd.c — dbidlc's importing modes: --import-xml, --import-bus, and .xml inputs */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idl/import.h"
#include "tools/atomic-write.h"
#ifdef DBIDLC_IMPORT_BUS
#include "tools/import-bus.h"
#endif
#include "tools/import-cmd.h"

/* Read a whole file: 0, or -errno.  *ret is NUL-terminated and malloc'd. */
static int read_file(const char *path, char **ret, size_t *ret_len) {
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        char *buf = NULL;
        size_t len = 0, cap = 0;
        for (;;) {
                if (cap - len < 65536) {
                        cap = cap ? cap * 2 : 65536;
                        if (cap > IMPORT_MAX_SIZE + 65536) {
                                free(buf);
                                fclose(f);
                                return -EFBIG;
                        }
                        char *p = realloc(buf, cap + 1);
                        if (!p) {
                                free(buf);
                                fclose(f);
                                return -ENOMEM;
                        }
                        buf = p;
                }
                size_t n = fread(buf + len, 1, cap - len, f);
                len += n;
                if (n == 0)
                        break;
        }
        int r = ferror(f) ? -EIO : 0;
        fclose(f);
        if (r < 0 || len > IMPORT_MAX_SIZE) {
                free(buf);
                return r < 0 ? r : -EFBIG;
        }
        buf[len] = '\0';
        *ret = buf;
        *ret_len = len;
        return 0;
}

/* "dir/org.foo.Bar.xml" → "org.foo.Bar" (malloc'd). */
char *import_stem(const char *path, const char *suffix) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t n = strlen(base), s = strlen(suffix);
        if (n > s && strcmp(base + n - s, suffix) == 0)
                n -= s;
        return strndup(base, n);
}

/* Write `text` to DIR/STEM.idl (write_file_atomic(): an error leaves the old file); reported. */
static int write_idl(const char *dir, const char *stem, const char *text, size_t len) {
        char *target = NULL;
        if (asprintf(&target, "%s/%s.idl", dir, stem) < 0)
                return -ENOMEM;
        int r = write_file_atomic(target, text, len, 0644, false);
        if (r < 0)
                fprintf(stderr, "dbidlc: error: cannot write %s: %s\n", target, strerror(-r));
        free(target);
        return r;
}

int import_xml_to_text(const char *path, bool located, idl_diag_sink *sink, char **ret_text, size_t *ret_len) {
        char *xml = NULL;
        size_t len = 0;
        int r = read_file(path, &xml, &len);
        if (r < 0) {
                idl_diag_flush(sink); /* what earlier files got comes first */
                fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", path, strerror(-r));
                return r;
        }
        char *text = NULL;
        size_t text_len = 0;
        FILE *out = open_memstream(&text, &text_len);
        if (!out) {
                free(xml);
                return -ENOMEM;
        }
        idl_origin_mark *marks = NULL;
        size_t n_marks = 0;
        idl_import_options o = { .source_name = path };
        if (located) {
                o.ret_origins = &marks;
                o.ret_n_origins = &n_marks;
        }
        r = idl_import_xml(path, xml, len, &o, sink, out);
        if (fclose(out) != 0 && r >= 0)
                r = -ENOMEM;
        /* the diagnostics of the import have been shown; those about the .idl text point into the XML (a copy) */
        (void) idl_diag_add_source(sink, path, "", 0);
        if (r >= 0 && located)
                r = idl_diag_set_origin(sink, path, xml, len, marks, n_marks);
        free(marks);
        free(xml);
        if (r < 0) {
                free(text);
                return r;
        }
        *ret_text = text;
        *ret_len = text_len;
        return 0;
}

int import_xml_files(char *const *files, size_t n, const char *outdir, idl_diag_sink *sink) {
        int ret = 0;
        for (size_t i = 0; i < n; i++) {
                char *text = NULL;
                size_t len = 0;
                unsigned before = idl_diag_error_count(sink);
                int r = import_xml_to_text(files[i], false, sink, &text, &len);
                if (r < 0)
                        ret = ret ? ret : r;
                else if (idl_diag_error_count(sink) == before) {
                        if (outdir) {
                                char *stem = import_stem(files[i], ".xml");
                                r = stem ? write_idl(outdir, stem, text, len) : -ENOMEM;
                                free(stem);
                                if (r < 0)
                                        ret = ret ? ret : r;
                        } else if (fwrite(text, 1, len, stdout) != len) {
                                ret = ret ? ret : -EIO;
                        } else if (i + 1 < n)
                                fputc('\n', stdout);
                }
                free(text);
        }
        return ret;
}

#ifdef DBIDLC_IMPORT_BUS
int import_bus_command(const import_bus_options *o, idl_diag_sink *sink) {
        sd_bus *bus = NULL;
        int r = import_bus_connect(o->address, o->system, &bus, stderr);
        if (r < 0)
                return r;
        idl_importer *im = NULL;
        r = idl_importer_new(sink, true, &im);
        if (r >= 0)
                r = import_bus(bus, o->destination, o->path ? o->path : "/", im, stderr);
        if (r >= 0 && idl_diag_error_count(sink) == 0) {
                char *text = NULL;
                size_t len = 0;
                FILE *out = open_memstream(&text, &len);
                if (!out)
                        r = -ENOMEM;
                else {
                        char *source = NULL;
                        if (asprintf(&source, "%s on the %s bus", o->destination,
                                     o->address ? o->address : o->system ? "system" : "session") < 0)
                                source = NULL;
                        idl_import_options io = { .source_name = source ? source : o->destination };
                        r = idl_importer_write(im, &io, out);
                        if (fclose(out) != 0 && r >= 0)
                                r = -ENOMEM;
                        free(source);
                }
                if (r >= 0 && idl_diag_error_count(sink) == 0) {
                        if (o->outdir)
                                r = write_idl(o->outdir, o->destination, text, len);
                        else if (fwrite(text, 1, len, stdout) != len)
                                r = -EIO;
                }
                free(text);
        }
        idl_importer_free(im);
        import_bus_close(bus);
        return r;
}
#else
int import_bus_command(const import_bus_options *o, idl_diag_sink *sink) {
        static const char helper[] = "dbidlc-import-bus", installed[] = DBIDL_PKGLIBEXECDIR "/dbidlc-import-bus";
        char path[4096];
        ssize_t n = readlink("/proc/self/exe", path, sizeof path);
        /* a path that fills the buffer may have been cut short: then the installed helper alone */
        char *slash = n > 0 && (size_t) n < sizeof path - sizeof helper ? memrchr(path, '/', (size_t) n) : NULL;
        fflush(NULL);
        if (slash) {
                memcpy(slash + 1, helper, sizeof helper);
                execv(path, o->argv);
        }
        execv(installed, o->argv);
        int r = -errno;
        fprintf(stderr, "dbidlc: error: --import-bus runs %s: %s\n", installed, strerror(-r));
        return r;
}
#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/dbidlc.c — the dbidl compiler: .idl in, C header, client stubs and server skeletons out */

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "idl/idl.h"
#include "tools/import-cmd.h"

enum {
        EXIT_INPUT = 1,         /* mistakes in the input */
        EXIT_USAGE = 2,         /* bad command line */
};

/* Write what the sink holds (in source order) before dbidlc prints anything of its own. */
static void flush_diags(idl_diag_sink *sink) {
        idl_diag_flush(sink);
        fflush(stderr);
}

static void usage(FILE *out) {
        fprintf(out,
                "Usage: dbidlc [OPTION]... FILE.idl|FILE.xml\n"
                "  or:  dbidlc --check-compat OLD.idl NEW.idl\n"
                "  or:  dbidlc --import-xml [-o DIR] FILE.xml...\n"
                "  or:  dbidlc --import-bus [--session|--system|--address=ADDR] [-o DIR] DEST [PATH]\n"
                "  or:  dbidlc --emit=service --bus-name=NAME --exec=COMMAND [-o DIR]\n"
                "Compile a dbidl interface definition into C bindings over sd-bus.\n"
                "\n"
                "Writes DIR/STEM.h, DIR/STEM-client.c and DIR/STEM-server.c, where STEM is\n"
                "FILE without its .idl suffix.\n"
                "\n"
                "  -o, --output=DIR   write the generated files into DIR (default: .), made if\n"
                "                     missing\n"
                "      --signatures   print every member with its D-Bus signature; write nothing\n"
                "      --emit=LIST    what to write, comma-separated: c (STEM.h, STEM-client.c,\n"
                "                     STEM-server.c; the default), xml (INTERFACE.xml, one per\n"
                "                     interface), json (STEM.json), markdown (STEM.md)\n"
                "                     service (NAME.service, D-Bus activation; with --bus-name and\n"
                "                     --exec, no input file needed)\n"
                "      --bus-name=NAME, --exec=COMMAND  the activation file's Name= and Exec=\n"
                "      --import-xml   turn D-Bus introspection XML into .idl: on stdout, or into\n"
                "                     DIR/STEM.idl with -o (a FILE.xml input generates C directly)\n"
                "      --import-bus   introspect the running service DEST below PATH (default /)\n"
                "                     into one .idl (DIR/DEST.idl with -o); --session (default),\n"
                "                     --system or --address=ADDR choose the bus\n"
                "      --check-compat report every change from OLD.idl to NEW.idl that breaks\n"
                "                     clients or code; exit 1 if there is one\n"
                "  -I DIR             search DIR for imported files (after the importing file's\n"
                "                     directory; repeatable, in order)\n"
                "      --max-errors=N stop after N errors (default 20; 0: no limit)\n"
                "  -W NAME, -Wno-NAME enable or disable a warning: member-name-style, deprecated,\n"
                "                     empty-file, unused-import, property-name; -Wall: all of them\n"
                "  -Werror            make warnings errors\n"
                "      --color[=WHEN] colour diagnostics: auto (default: on a terminal, unless\n"
                "                     NO_COLOR is set), always, never\n"
                "      --format       print FILE.idl in the canonical layout; write nothing else\n"
                "  -i                 with --format: rewrite FILE.idl in place\n"
                "  -h, --help         show this help and exit\n"
                "      --version      show the version and exit\n"
                "\n"
                "Exit status: 0 on success, 1 if the input has errors (or, with --check-compat,\n"
                "breaking changes), 2 on usage errors.\n"
                "Documentation: docs/idl.md (the language), docs/c-api.md (the generated API).\n");
}

/* mkdir -p DIR (mode 0777 less the umask): 0, or -errno (reported). */
static int make_directory(const char *dir) {
        char *p = strdup(dir);
        int r = 0;
        if (!p) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                return -ENOMEM;
        }
        /* each parent first, then DIR itself */
        for (char *slash = p; r == 0; slash++) {
                slash = strchr(slash, '/');
                if (slash == p)
                        continue; /* the root */
                if (slash)
                        *slash = '\0';
                if (mkdir(p, 0777) < 0) {
                        struct stat st;
                        if (errno != EEXIST || stat(p, &st) < 0)
                                r = -errno;
                        else if (!S_ISDIR(st.st_mode))
                                r = -ENOTDIR;
                }
                if (!slash)
                        break;
                *slash = '/';
        }
        if (r < 0)
                fprintf(stderr, "dbidlc: error: cannot create the directory %s: %s\n", p, strerror(-r));
        free(p);
        return r;
}

static char *path_join(const char *dir, const char *stem, const char *suffix) {
        size_t n = strlen(dir) + 1 + strlen(stem) + strlen(suffix) + 1;
        char *p = malloc(n);
        if (p)
                snprintf(p, n, "%s/%s%s", dir, stem, suffix);
        return p;
}

typedef int (*generator)(const idl_file *f, const codegen_options *o, FILE *out, FILE *err);

/* Generate into a temporary file beside the target and rename it into place: a failure leaves the old file. */
static int write_output(const char *dir, const char *suffix, generator gen, const idl_file *f,
                        const codegen_options *o) {
        char *target = path_join(dir, o->stem, suffix);
        char *tmp = NULL;
        int r = 0;
        if (!target) {
                r = -ENOMEM;
                goto out;
        }
        size_t n = strlen(target) + sizeof(".XXXXXX");
        tmp = malloc(n);
        if (!tmp) {
                r = -ENOMEM;
                goto out;
        }
        snprintf(tmp, n, "%s.XXXXXX", target);
        int fd = mkstemp(tmp);
        if (fd < 0) {
                r = -errno;
                fprintf(stderr, "dbidlc: error: cannot create %s: %s\n", target, strerror(errno));
                goto out;
        }
        FILE *out = fdopen(fd, "w");
        if (!out) {
                r = -errno;
                close(fd);
                unlink(tmp);
                goto out;
        }
        r = gen(f, o, out, stderr);
        if (fclose(out) != 0 && r >= 0)
                r = -errno;
        if (r >= 0 && chmod(tmp, 0644) < 0)
                r = -errno;
        if (r >= 0 && rename(tmp, target) < 0)
                r = -errno;
        if (r < 0) {
                unlink(tmp);
                if (r != -EOPNOTSUPP && r != -EINVAL) /* those were explained by the generator */
                        fprintf(stderr, "dbidlc: error: cannot write %s: %s\n", target, strerror(-r));
        }
out:
        free(tmp);
        free(target);
        return r;
}

/* --emit: the output kinds, a bit each. */
enum {
        EMIT_C = 1 << 0,
        EMIT_XML = 1 << 1,
        EMIT_JSON = 1 << 2,
        EMIT_MARKDOWN = 1 << 3,
        EMIT_SERVICE = 1 << 4,
};

/* Parse --emit's comma-separated LIST into *ret.  Returns 0, or -EINVAL (with a message) for a bad list. */
static int parse_emit(const char *list, unsigned *ret) {
        static const struct {
                const char *name;
                unsigned bit;
        } kinds[] = {
                { "c", EMIT_C },           { "xml", EMIT_XML },         { "json", EMIT_JSON },
                { "markdown", EMIT_MARKDOWN }, { "service", EMIT_SERVICE },
        };
        unsigned mask = 0;
        const char *p = list;
        for (;;) {
                size_t n = strcspn(p, ",");
                size_t i;
                for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
                        if (strlen(kinds[i].name) == n && strncmp(kinds[i].name, p, n) == 0)
                                break;
                if (i == sizeof kinds / sizeof kinds[0]) {
                        fprintf(stderr, "dbidlc: error: unknown --emit value '%.*s' (expected c, xml, json, markdown or service)\n",
                                (int) n, p);
                        return -EINVAL;
                }
                mask |= kinds[i].bit;
                if (p[n] == '\0')
                        break;
                p += n + 1;
        }
        *ret = mask;
        return 0;
}

/* --emit=xml,json,markdown: the description files beside (or instead of) the C ones.  Returns 0 or -errno. */
static int write_descriptions(const char *outdir, unsigned emit, const idl_file *f, const codegen_options *o) {
        int r = 0;
        if (emit & EMIT_XML)
                for (size_t i = 0; i < f->n_interfaces && r >= 0; i++) {
                        codegen_options ox = *o;
                        ox.stem = f->interfaces[i].c.name;
                        ox.interface = &f->interfaces[i];
                        r = write_output(outdir, ".xml", codegen_xml, f, &ox);
                }
        if (r >= 0 && (emit & EMIT_JSON))
                r = write_output(outdir, ".json", codegen_json, f, o);
        if (r >= 0 && (emit & EMIT_MARKDOWN))
                r = write_output(outdir, ".md", codegen_markdown, f, o);
        return r;
}

/* --check-compat OLD NEW: 0 when compatible, EXIT_INPUT for breaking changes or errors in either file. */
static int check_compat(const char *old_path, const char *new_path, const idl_options *opts) {
        idl_diag_sink *sink = NULL;
        idl_file *old = NULL, *new = NULL;
        int ret = EXIT_INPUT, r;

        if (idl_diag_sink_new(stderr, &sink) < 0) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                return EXIT_INPUT;
        }
        r = idl_load(old_path, opts, sink, &old);
        if (r < 0) {
                flush_diags(sink);
                fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", old_path, strerror(-r));
                goto out;
        }
        r = idl_load(new_path, opts, sink, &new);
        if (r < 0) {
                flush_diags(sink);
                fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", new_path, strerror(-r));
                goto out;
        }
        if (idl_diag_error_count(sink) > 0)
                goto out;
        flush_diags(sink);      /* the warnings of both files, before the comparison's own */
        idl_diag_set_max_errors(sink, 0);       /* every breaking change, not the first IDL_DEFAULT_MAX_ERRORS */
        r = idl_check_compat(old, new, sink);
        flush_diags(sink);
        if (r < 0)
                fprintf(stderr, "dbidlc: error: %s\n", strerror(-r));
        else if (r > 0)
                fprintf(stderr, "dbidlc: %d breaking change%s from %s to %s\n", r, r == 1 ? "" : "s", old_path,
                        new_path);
        else
                ret = 0;
out:
        idl_file_free(new);
        idl_file_free(old);
        idl_diag_sink_free(sink);
        return ret;
}

/* --format [-i]: print the canonical form of `input`, or replace the file with it.  Returns an exit status. */
static int format_file(const char *input, bool in_place, idl_diag_sink *sink) {
        char *text = NULL, *buf = NULL, *tmp = NULL;
        size_t len = 0, n = 0;
        int ret = EXIT_INPUT, fd = -1;
        int r = idl_read_file(input, &text, &len);
        if (r < 0) {
                fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", input, strerror(-r));
                return EXIT_INPUT;
        }
        FILE *out = in_place ? open_memstream(&buf, &n) : stdout;
        if (!out)
                goto out;
        r = idl_format(input, text, len, sink, out);
        flush_diags(sink);
        if (in_place && fclose(out) != 0 && r >= 0)
                r = -errno;
        if (r == -EBADMSG)
                goto out;       /* reported */
        if (r < 0) {
                fprintf(stderr, "dbidlc: error: cannot format %s: %s\n", input, strerror(-r));
                goto out;
        }
        if (!in_place || (n == len && memcmp(buf, text, n) == 0)) {
                ret = 0;
                goto out;
        }
        /* atomically: a temporary file beside the input, renamed over it */
        struct stat st;
        if (stat(input, &st) < 0 || asprintf(&tmp, "%s.XXXXXX", input) < 0) {
                tmp = NULL;
                fprintf(stderr, "dbidlc: error: cannot rewrite %s: %s\n", input, strerror(errno));
                goto out;
        }
        fd = mkstemp(tmp);
        if (fd < 0 || fchmod(fd, st.st_mode & 07777) < 0 || write(fd, buf, n) != (ssize_t) n || fsync(fd) < 0 ||
            close(fd) < 0 || rename(tmp, input) < 0) {
                fprintf(stderr, "dbidlc: error: cannot rewrite %s: %s\n", input, strerror(errno));
                if (fd >= 0)
                        unlink(tmp);
                goto out;
        }
        ret = 0;
out:
        free(tmp);
        free(buf);
        free(text);
        return ret;
}

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "output", required_argument, NULL, 'o' },
                { "signatures", no_argument, NULL, 'S' },
                { "emit", required_argument, NULL, 'E' },
                { "check-compat", no_argument, NULL, 'C' },
                { "max-errors", required_argument, NULL, 'M' },
                { "color", optional_argument, NULL, 'K' },
                { "format", no_argument, NULL, 'F' },
                { "import-xml", no_argument, NULL, 'X' },
                { "import-bus", no_argument, NULL, 'B' },
                { "session", no_argument, NULL, 's' },
                { "system", no_argument, NULL, 'Y' },
                { "address", required_argument, NULL, 'A' },
                { "bus-name", required_argument, NULL, 'N' },
                { "exec", required_argument, NULL, 'x' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {},
        };
        bool import_xml = false, import_bus_mode = false, outdir_set = false;
        import_bus_options bo = { 0 };
        const char *bus_name = NULL, *exec = NULL;
        const char *outdir = ".";
        bool signatures = false;
        bool compat = false;
        unsigned emit = EMIT_C;
        idl_options lo;
        const char **include_dirs = NULL;
        bool format = false, in_place = false;
        int c;
        static char stderr_buffer[BUFSIZ];

        /* diagnostics are written whole (and in source order): no write(2) per character, flushed at exit */
        setvbuf(stderr, stderr_buffer, _IOFBF, sizeof stderr_buffer);
        idl_options_init(&lo);
        while ((c = getopt_long(argc, argv, "o:hI:W:i", options, NULL)) >= 0) {
                switch (c) {
                case 'I': {
                        const char **n = realloc(include_dirs, (lo.n_include_dirs + 1) * sizeof(*n));
                        if (!n) {
                                fprintf(stderr, "dbidlc: error: out of memory\n");
                                return EXIT_INPUT;
                        }
                        include_dirs = n;
                        include_dirs[lo.n_include_dirs++] = optarg;
                        lo.include_dirs = include_dirs;
                        break;
                }
                case 'W':
                        if (idl_options_parse_warning(&lo, optarg) < 0) {
                                fprintf(stderr, "dbidlc: error: unknown warning option '-W%s'\n"
                                        "Try 'dbidlc --help' for more information.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'M': {
                        char *end;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (errno != 0 || end == optarg || *end || optarg[0] == '-' || v > 1000000) {
                                fprintf(stderr, "dbidlc: error: invalid --max-errors value '%s'\n"
                                        "Try 'dbidlc --help' for more information.\n", optarg);
                                return EXIT_USAGE;
                        }
                        lo.max_errors = (unsigned) v;
                        break;
                }
                case 'K':
                        if (idl_color_from_string(optarg ? optarg : "always", &lo.color) < 0) {
                                fprintf(stderr, "dbidlc: error: invalid --color value '%s' (expected auto, always or never)\n"
                                        "Try 'dbidlc --help' for more information.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'F':
                        format = true;
                        break;
                case 'i':
                        in_place = true;
                        break;
                case 'o':
                        outdir = optarg;
                        outdir_set = true;
                        break;
                case 'X':
                        import_xml = true;
                        break;
                case 'B':
                        import_bus_mode = true;
                        break;
                case 's':
                        bo.system = false;
                        bo.address = NULL;
                        break;
                case 'Y':
                        bo.system = true;
                        bo.address = NULL;
                        break;
                case 'A':
                        bo.address = optarg;
                        break;
                case 'N':
                        bus_name = optarg;
                        break;
                case 'x':
                        exec = optarg;
                        break;
                case 'S':
                        signatures = true;
                        break;
                case 'E':
                        if (parse_emit(optarg, &emit) < 0) {
                                fprintf(stderr, "Try 'dbidlc --help' for more information.\n");
                                return EXIT_USAGE;
                        }
                        break;
                case 'C':
                        compat = true;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'V':
                        printf("dbidlc %s\n", PACKAGE_VERSION);
                        return 0;
                default:
                        fprintf(stderr, "Try 'dbidlc --help' for more information.\n");
                        return EXIT_USAGE;
                }
        }
        if (compat) {
                if (optind != argc - 2) {
                        fprintf(stderr, "dbidlc: error: --check-compat needs two files, OLD.idl and NEW.idl\n"
                                "Try 'dbidlc --help' for more information.\n");
                        free(include_dirs);
                        return EXIT_USAGE;
                }
                int status = check_compat(argv[optind], argv[optind + 1], &lo);
                free(include_dirs);
                return status;
        }
        /* -o DIR is made if missing (as mkdir -p), for every mode that writes there */
        if (outdir_set && !signatures && !format && make_directory(outdir) < 0) {
                free(include_dirs);
                return EXIT_INPUT;
        }
        if (import_xml || import_bus_mode) {
                if (import_xml ? optind >= argc : (optind != argc - 1 && optind != argc - 2)) {
                        fprintf(stderr, "dbidlc: error: %s\nTry 'dbidlc --help' for more information.\n",
                                import_xml ? "--import-xml needs at least one FILE.xml"
                                           : "--import-bus needs a destination and at most one object path");
                        free(include_dirs);
                        return EXIT_USAGE;
                }
                idl_diag_sink *isink = NULL;
                if (idl_diag_sink_new(stderr, &isink) < 0) {
                        free(include_dirs);
                        return EXIT_INPUT;
                }
                idl_options_apply(&lo, isink);
                int r;
                if (import_xml)
                        r = import_xml_files(argv + optind, (size_t) (argc - optind), outdir_set ? outdir : NULL,
                                             isink);
                else {
                        bo.destination = argv[optind];
                        bo.path = optind + 1 < argc ? argv[optind + 1] : NULL;
                        bo.outdir = outdir_set ? outdir : NULL;
                        r = import_bus_command(&bo, isink);
                }
                int status = r < 0 || idl_diag_error_count(isink) > 0 ? EXIT_INPUT : 0;
                idl_diag_sink_free(isink);
                free(include_dirs);
                return status;
        }
        if ((emit & EMIT_SERVICE) && (!bus_name || !exec)) {
                fprintf(stderr, "dbidlc: error: --emit=service needs --bus-name=NAME and --exec=COMMAND\n"
                        "Try 'dbidlc --help' for more information.\n");
                free(include_dirs);
                return EXIT_USAGE;
        }
        if (emit == EMIT_SERVICE && optind == argc) {
                /* the activation file alone needs no interface definition */
                codegen_options so = { .stem = bus_name, .version = PACKAGE_VERSION, .bus_name = bus_name,
                                       .exec = exec };
                free(include_dirs);
                return write_output(outdir, ".service", codegen_service, NULL, &so) < 0 ? EXIT_INPUT : 0;
        }
        if (optind != argc - 1) {
                fprintf(stderr, "dbidlc: error: %s\nTry 'dbidlc --help' for more information.\n",
                        optind >= argc ? "no input file" : "exactly one input file is expected");
                return EXIT_USAGE;
        }
        const char *input = argv[optind];
        size_t input_len = strlen(input);
        bool xml_input = input_len > 4 && strcmp(input + input_len - 4, ".xml") == 0;

        idl_diag_sink *sink = NULL;
        idl_file *f = NULL;
        int ret = EXIT_INPUT;
        if (idl_diag_sink_new(stderr, &sink) < 0) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                return EXIT_INPUT;
        }
        if (in_place && !format) {
                fprintf(stderr, "dbidlc: error: -i only goes with --format\n"
                        "Try 'dbidlc --help' for more information.\n");
                ret = EXIT_USAGE;
                goto out;
        }
        if (format) {
                idl_options_apply(&lo, sink);
                ret = format_file(input, in_place, sink);
                goto out;
        }
        int r;
        if (xml_input) {
                /* introspection XML: imported to .idl text, then compiled exactly as that text would be */
                char *text = NULL;
                size_t text_len = 0;
                /* the member names of someone else's interface are not the user's to fix: -Wmember-name-style only
                 * when asked for */
                lo.warnings &= ~((1u << IDL_W_MEMBER_NAME_STYLE) & ~lo.warnings_given);
                idl_options_apply(&lo, sink);
                r = import_xml_to_text(input, true, sink, &text, &text_len);
                if (r < 0)
                        goto out;
                if (idl_diag_error_count(sink) == 0) {
                        r = idl_parse_string(input, text, text_len, sink, &f);
                        if (r >= 0 && idl_diag_error_count(sink) == 0)
                                r = idl_check(f, sink);
                }
                free(text);
                if (r < 0) {
                        flush_diags(sink);
                        fprintf(stderr, "dbidlc: error: %s\n", strerror(-r));
                        goto out;
                }
        } else {
                r = idl_load(input, &lo, sink, &f);
                if (r < 0) {
                        flush_diags(sink);
                        fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", input, strerror(-r));
                        goto out;
                }
        }
        /* the diagnostics (warnings only, when it goes on) before any output */
        flush_diags(sink);
        if (idl_diag_error_count(sink) > 0)
                goto out;

        if (signatures) {
                ret = codegen_signatures(f, stdout) < 0 ? EXIT_INPUT : 0;
                goto out;
        }

        /* STEM: the file name without directories and without .idl */
        char *copy = strdup(input);
        if (!copy)
                goto out;
        char *base = basename(copy);
        size_t len = strlen(base);
        if (len > 4 && (strcmp(base + len - 4, ".idl") == 0 || strcmp(base + len - 4, ".xml") == 0))
                base[len - 4] = '\0';
        /* the banner names the source file without its directories */
        const char *slash = strrchr(input, '/');
        codegen_options o = { .stem = base, .source_name = slash ? slash + 1 : input, .version = PACKAGE_VERSION };
        if ((!(emit & EMIT_C) || (write_output(outdir, ".h", codegen_header, f, &o) >= 0 &&
                                  write_output(outdir, "-client.c", codegen_client, f, &o) >= 0 &&
                                  write_output(outdir, "-server.c", codegen_server, f, &o) >= 0)) &&
            write_descriptions(outdir, emit, f, &o) >= 0) {
                ret = 0;
                if (emit & EMIT_SERVICE) {
                        codegen_options so = o;
                        so.stem = bus_name;
                        so.bus_name = bus_name;
                        so.exec = exec;
                        if (write_output(outdir, ".service", codegen_service, f, &so) < 0)
                                ret = EXIT_INPUT;
                }
        }
        free(copy);
out:
        idl_file_free(f);
        idl_diag_sink_free(sink);
        free(include_dirs);
        return ret;
}

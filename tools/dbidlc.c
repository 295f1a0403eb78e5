/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/dbidlc.c — the dbidl compiler: .idl in, C header, client stubs and server skeletons out */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "codegen/naming.h"
#include "idl/idl.h"
#include "tools/atomic-write.h"
#include "tools/import-cmd.h"

enum {
        EXIT_INPUT = 1,         /* mistakes in the input, a file that cannot be read or written */
        EXIT_USAGE = 2,         /* bad command line */
};

/* A usage error: "dbidlc: error: MESSAGE" and where to read more.  Returns EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
        va_list ap;

        fputs("dbidlc: error: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputs("\nTry 'dbidlc --help' for more information.\n", stderr);
        return EXIT_USAGE;
}

/* Write what the sink holds (in source order) before dbidlc prints anything of its own. */
static void flush_diags(idl_diag_sink *sink) {
        idl_diag_flush(sink);
        fflush(stderr);
}

static void usage(FILE *out) {
        fprintf(out,
                "Usage: dbidlc [OPTION]... FILE.idl|FILE.xml\n"
                "  or:  dbidlc [--header=FILE] [--client=FILE] [--server=FILE] [OPTION]... FILE.idl|FILE.xml\n"
                "  or:  dbidlc --check-compat OLD.idl NEW.idl\n"
                "  or:  dbidlc --import-xml [-o DIR] FILE.xml...\n"
                "  or:  dbidlc --import-bus [--session|--system|--address=ADDR] [-o DIR] DEST [PATH]\n"
                "  or:  dbidlc --emit=service --bus-name=NAME --exec=COMMAND [-o DIR]\n"
                "Compile a dbidl interface definition into C bindings over sd-bus.\n"
                "\n"
                "Writes DIR/STEM.h, DIR/STEM-client.c and DIR/STEM-server.c, where STEM is\n"
                "FILE without its .idl suffix; with --header, --client or --server, only the\n"
                "outputs named.  An output whose content is unchanged is left alone (its mtime\n"
                "kept).\n"
                "\n"
                "  -o, --output=DIR   write the generated files into DIR (default: .), made if\n"
                "                     missing\n"
                "      --header=FILE, --client=FILE, --server=FILE  write the header, the client\n"
                "                     stubs or the server skeletons to FILE (relative to the\n"
                "                     current directory; not made) and no other output\n"
                "      --header-include=NAME  the .c files #include \"NAME\" (default: the file\n"
                "                     name of --header without directories, else STEM.h)\n"
                "      --signatures   print every member with its D-Bus signature; write nothing\n"
                "      --emit=LIST    what to write, comma-separated: c (STEM.h, STEM-client.c,\n"
                "                     STEM-server.c; the default), xml (INTERFACE.xml, one per\n"
                "                     interface), json (STEM.json), markdown (STEM.md)\n"
                "                     service (NAME.service, D-Bus activation; with --bus-name and\n"
                "                     --exec, no input file needed)\n"
                "      --bus-name=NAME, --exec=COMMAND  the activation file's Name= and Exec=\n"
                "      --c-prefix=[INTERFACE=]PREFIX  the C prefix of INTERFACE's names (of the\n"
                "                     only one without INTERFACE=), over @c_prefix; repeatable\n"
                "      --c-namespace=NS  default C prefixes NS_last_component instead of the\n"
                "                     whole interface name in snake_case\n"
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
                "  -Werror=NAME       enable warning NAME and make it an error; -Wno-error=NAME:\n"
                "                     NAME stays a warning even with -Werror\n"
                "      --color[=WHEN] colour diagnostics: auto (default: on a terminal, unless\n"
                "                     NO_COLOR is set), always, never\n"
                "      --format       print FILE.idl in the canonical layout; write nothing else\n"
                "  -i                 with --format: rewrite FILE.idl in place\n"
                "  -h, --help         show this help and exit\n"
                "      --version      show the version and exit\n"
                "\n"
                "At most one of --signatures, --format, --check-compat, --import-xml and\n"
                "--import-bus; none of them takes --emit, and of them only the imports take -o.\n"
                "--bus-name and --exec need --emit=service; --session, --system and --address\n"
                "need --import-bus.  --header, --client and --server go with none of these\n"
                "modes, --emit or -o, and name distinct files, none of them the input.\n"
                "Anything else is a usage error.\n"
                "\n"
                "Exit status: 0 on success, 1 if the input has errors (or, with --check-compat,\n"
                "breaking changes) or a file cannot be read or written, 2 on usage errors.\n"
                "Documentation: man dbidlc, man 5 dbidl.idl, and in " DBIDL_DOCDIR ":\n"
                "idl.md (the language), c-api.md (the generated API and its naming scheme).\n");
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

typedef int (*generator)(const idl_file *f, const codegen_options *o, strbuf *out, idl_diag_sink *sink);

/* Generate into memory, then write_file_atomic() to `target`: a failure leaves the old file, an unchanged one is
 * left alone.  The generator's diagnostics go to `sink`, flushed here.  Returns 0 or -errno (reported). */
static int write_generated(const char *target, generator gen, const idl_file *f, const codegen_options *o,
                           idl_diag_sink *sink) {
        strbuf text = { 0 };
        int r = gen(f, o, &text, sink);
        flush_diags(sink);
        if (r >= 0)
                r = write_file_atomic(target, text.data ? text.data : "", text.len, 0644, false);
        if (r < 0 && r != -EOPNOTSUPP && r != -EINVAL) /* those were explained by the generator */
                fprintf(stderr, "dbidlc: error: cannot write %s: %s\n", target, strerror(-r));
        free(text.data);
        return r;
}

/* write_generated() to DIR/STEM+SUFFIX. */
static int write_output(const char *dir, const char *suffix, generator gen, const idl_file *f,
                        const codegen_options *o, idl_diag_sink *sink) {
        char *target = path_join(dir, o->stem, suffix);
        if (!target) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                return -ENOMEM;
        }
        int r = write_generated(target, gen, f, o, sink);
        free(target);
        return r;
}

/*
 * Whether the paths `a` and `b` name one file: the same file if both exist (hard links and symbolic links
 * included), else the same directory (resolved) and the same last component.
 */
static bool same_file(const char *a, const char *b) {
        struct stat sa, sb;
        if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
                return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
        const char *pa[2] = { a, b };
        char *resolved[2] = { NULL, NULL };
        for (int i = 0; i < 2; i++) {
                const char *slash = strrchr(pa[i], '/');
                char *dir = slash ? strndup(pa[i], slash == pa[i] ? 1 : (size_t) (slash - pa[i])) : strdup(".");
                char *real = dir ? realpath(dir, NULL) : NULL;
                if (real && asprintf(&resolved[i], "%s/%s", real, slash ? slash + 1 : pa[i]) < 0)
                        resolved[i] = NULL;
                free(real);
                free(dir);
        }
        bool same = resolved[0] && resolved[1] ? strcmp(resolved[0], resolved[1]) == 0 : strcmp(a, b) == 0;
        free(resolved[0]);
        free(resolved[1]);
        return same;
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
                        usage_error("unknown --emit value '%.*s' (expected c, xml, json, markdown or service)", (int) n,
                                    p);
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
static int write_descriptions(const char *outdir, unsigned emit, const idl_file *f, const codegen_options *o,
                              idl_diag_sink *sink) {
        int r = 0;
        if (emit & EMIT_XML)
                for (size_t i = 0; i < f->n_interfaces && r >= 0; i++) {
                        codegen_options ox = *o;
                        ox.stem = f->interfaces[i].c.name;
                        ox.interface = &f->interfaces[i];
                        r = write_output(outdir, ".xml", codegen_xml, f, &ox, sink);
                }
        if (r >= 0 && (emit & EMIT_JSON))
                r = write_output(outdir, ".json", codegen_json, f, o, sink);
        if (r >= 0 && (emit & EMIT_MARKDOWN))
                r = write_output(outdir, ".md", codegen_markdown, f, o, sink);
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
        char *text = NULL, *buf = NULL;
        size_t len = 0, n = 0;
        int ret = EXIT_INPUT;
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
        /* atomically: a temporary file beside the input, with its mode, renamed over it */
        struct stat st;
        if (stat(input, &st) < 0)
                r = -errno;
        else
                r = write_file_atomic(input, buf, n, st.st_mode & 07777, true);
        if (r < 0) {
                fprintf(stderr, "dbidlc: error: cannot rewrite %s: %s\n", input, strerror(-r));
                goto out;
        }
        ret = 0;
out:
        free(buf);
        free(text);
        return ret;
}

/* STEM: the file name without directories and without .idl or .xml.  malloc'd, NULL on ENOMEM. */
static char *stem_of(const char *input) {
        const char *slash = strrchr(input, '/'), *base = slash ? slash + 1 : input;
        size_t len = strlen(base);
        if (len > 4 && (strcmp(base + len - 4, ".idl") == 0 || strcmp(base + len - 4, ".xml") == 0))
                len -= 4;
        return strndup(base, len);
}

/* The long options' values that are no short option: above every character. */
enum {
        OPT_SIGNATURES = 256,
        OPT_EMIT,
        OPT_CHECK_COMPAT,
        OPT_MAX_ERRORS,
        OPT_COLOR,
        OPT_FORMAT,
        OPT_IMPORT_XML,
        OPT_IMPORT_BUS,
        OPT_SESSION,
        OPT_SYSTEM,
        OPT_ADDRESS,
        OPT_BUS_NAME,
        OPT_EXEC,
        OPT_HEADER,
        OPT_CLIENT,
        OPT_SERVER,
        OPT_HEADER_INCLUDE,
        OPT_VERSION,
        OPT_C_PREFIX,
        OPT_C_NAMESPACE,
};

static const struct option options[] = {
        { "output", required_argument, NULL, 'o' },
        { "signatures", no_argument, NULL, OPT_SIGNATURES },
        { "emit", required_argument, NULL, OPT_EMIT },
        { "check-compat", no_argument, NULL, OPT_CHECK_COMPAT },
        { "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
        { "color", optional_argument, NULL, OPT_COLOR },
        { "format", no_argument, NULL, OPT_FORMAT },
        { "import-xml", no_argument, NULL, OPT_IMPORT_XML },
        { "import-bus", no_argument, NULL, OPT_IMPORT_BUS },
        { "session", no_argument, NULL, OPT_SESSION },
        { "system", no_argument, NULL, OPT_SYSTEM },
        { "address", required_argument, NULL, OPT_ADDRESS },
        { "bus-name", required_argument, NULL, OPT_BUS_NAME },
        { "exec", required_argument, NULL, OPT_EXEC },
        { "header", required_argument, NULL, OPT_HEADER },
        { "client", required_argument, NULL, OPT_CLIENT },
        { "server", required_argument, NULL, OPT_SERVER },
        { "header-include", required_argument, NULL, OPT_HEADER_INCLUDE },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { "c-prefix", required_argument, NULL, OPT_C_PREFIX },
        { "c-namespace", required_argument, NULL, OPT_C_NAMESPACE },
        {},
};
static const char short_options[] = ":o:hI:W:i";

/*
 * The message for what getopt_long() refused (opterr is 0: its own messages would name the program by its
 * path): `c` is what it returned, '?' or ':'.  Returns EXIT_USAGE.
 */
static int bad_option(int c, char **argv) {
        const char *arg = optind > 0 ? argv[optind - 1] : "";
        bool is_long = strncmp(arg, "--", 2) == 0;
        size_t name_len = is_long ? strcspn(arg + 2, "=") : 0;
        const struct option *match = NULL;
        size_t n_matches = 0;

        /* the long option `arg` names, exactly or by a unique prefix */
        for (const struct option *o = options; is_long && o->name; o++)
                if (strncmp(o->name, arg + 2, name_len) == 0) {
                        if (strlen(o->name) == name_len) {
                                match = o;
                                n_matches = 1;
                                break;
                        }
                        match = o;
                        n_matches++;
                }
        if (c == ':') {
                if (is_long && (optopt >= OPT_SIGNATURES || strchr(short_options + 1, optopt)))
                        return usage_error("option '--%.*s' needs an argument", (int) name_len, arg + 2);
                return usage_error("option '-%c' needs an argument", optopt);
        }
        if (optopt == 0) {      /* a long option that is none, or an ambiguous prefix */
                if (n_matches > 1) {
                        char list[512] = "";
                        for (const struct option *o = options; o->name; o++)
                                if (strncmp(o->name, arg + 2, name_len) == 0 &&
                                    strlen(list) + strlen(o->name) + 5 < sizeof list)
                                        strcat(strcat(strcat(list, " '--"), o->name), "'");
                        return usage_error("option '--%.*s' is ambiguous; possibilities:%s", (int) name_len, arg + 2,
                                           list);
                }
                const char *names[sizeof options / sizeof options[0]];
                size_t n = 0;
                char *name = strndup(arg + 2, name_len);
                for (const struct option *o = options; o->name; o++)
                        names[n++] = o->name;
                const char *near = name ? idl_suggest(name, names, n) : NULL;
                free(name);
                if (near)
                        return usage_error("unknown option '%.*s'; did you mean '--%s'?", (int) name_len + 2, arg, near);
                return usage_error("unknown option '%.*s'", (int) name_len + 2, arg);
        }
        if (is_long && n_matches == 1 && match->has_arg == no_argument && arg[2 + name_len] == '=' &&
            match->val == optopt)
                return usage_error("option '--%s' takes no argument", match->name);
        if (isprint(optopt))
                return usage_error("unknown option '-%c'", optopt);
        return usage_error("unknown option '-\\x%02x'", (unsigned) optopt & 0xffu);
}

/* The message for a -W option that names no warning, with the nearest name. */
static int bad_warning_option(const char *arg) {
        static const char *const prefixes[] = { "no-error=", "error=", "no-", "" };
        const char *names[IDL_W_COUNT + 2];
        size_t n = 0, i = 0;

        while (strncmp(arg, prefixes[i], strlen(prefixes[i])) != 0)
                i++;
        for (int w = 0; w < IDL_W_COUNT; w++)
                names[n++] = idl_warning_name((idl_warning) w);
        if (strchr(prefixes[i], '=') == NULL) {
                names[n++] = "all";
                names[n++] = "error";
        }
        const char *near = idl_suggest(arg + strlen(prefixes[i]), names, n);
        if (near)
                return usage_error("unknown warning option '-W%s'; did you mean '-W%s%s'?", arg, prefixes[i], near);
        return usage_error("unknown warning option '-W%s'", arg);
}

int main(int argc, char **argv) {
        static char stderr_buffer[BUFSIZ];
        bool outdir_set = false, emit_set = false, version = false;
        import_bus_options bo = { 0 };
        const char *bus_name = NULL, *exec = NULL, *bus_option = NULL, *service_option = NULL;
        const char *outdir = ".";
        /* --header, --client, --server (in this order): the C outputs' own paths; NULL: not written */
        const char *named[3] = { NULL, NULL, NULL };
        static const char *const named_option[3] = { "--header", "--client", "--server" };
        const char *header_include = NULL;
        const char *mode = NULL;        /* --signatures, --format, --check-compat, --import-xml or --import-bus */
        unsigned emit = EMIT_C;
        idl_options lo;
        const char **include_dirs = NULL;
        char **c_prefixes = NULL;       /* --c-prefix, as given */
        size_t n_c_prefixes = 0;
        const char *c_namespace = NULL;
        bool in_place = false;
        char *stem = NULL;              /* the input's file name without directories and .idl/.xml */
        int c, ret = EXIT_INPUT;

        /* diagnostics are written whole (and in source order): no write(2) per character, flushed at exit */
        setvbuf(stderr, stderr_buffer, _IOFBF, sizeof stderr_buffer);
        opterr = 0;
        idl_options_init(&lo);
        while ((c = getopt_long(argc, argv, short_options, options, NULL)) >= 0) {
                const char *this_mode = NULL;

                switch (c) {
                case 'I': {
                        const char **n = realloc(include_dirs, (lo.n_include_dirs + 1) * sizeof(*n));
                        if (!n) {
                                fprintf(stderr, "dbidlc: error: out of memory\n");
                                goto out_opts;
                        }
                        include_dirs = n;
                        include_dirs[lo.n_include_dirs++] = optarg;
                        lo.include_dirs = include_dirs;
                        break;
                }
                case 'W':
                        if (idl_options_parse_warning(&lo, optarg) < 0) {
                                ret = bad_warning_option(optarg);
                                goto out_opts;
                        }
                        break;
                case OPT_MAX_ERRORS: {
                        char *end;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (errno != 0 || end == optarg || *end || optarg[0] == '-' || v > 1000000) {
                                ret = usage_error("invalid --max-errors value '%s'", optarg);
                                goto out_opts;
                        }
                        lo.max_errors = (unsigned) v;
                        break;
                }
                case OPT_COLOR:
                        if (idl_color_from_string(optarg ? optarg : "always", &lo.color) < 0) {
                                ret = usage_error("invalid --color value '%s' (expected auto, always or never)", optarg);
                                goto out_opts;
                        }
                        break;
                case 'i':
                        in_place = true;
                        break;
                case 'o':
                        outdir = optarg;
                        outdir_set = true;
                        break;
                case OPT_SESSION:
                        bo.system = false;
                        bo.address = NULL;
                        bus_option = "--session";
                        break;
                case OPT_SYSTEM:
                        bo.system = true;
                        bo.address = NULL;
                        bus_option = "--system";
                        break;
                case OPT_ADDRESS:
                        bo.address = optarg;
                        bus_option = "--address";
                        break;
                case OPT_BUS_NAME:
                        bus_name = optarg;
                        service_option = "--bus-name";
                        break;
                case OPT_EXEC:
                        exec = optarg;
                        service_option = "--exec";
                        break;
                case OPT_HEADER:
                case OPT_CLIENT:
                case OPT_SERVER:
                        named[c - OPT_HEADER] = optarg;
                        break;
                case OPT_HEADER_INCLUDE:
                        header_include = optarg;
                        break;
                case OPT_EMIT:
                        if (parse_emit(optarg, &emit) < 0) {
                                ret = EXIT_USAGE;
                                goto out_opts;
                        }
                        emit_set = true;
                        break;
                case OPT_SIGNATURES:
                        this_mode = "--signatures";
                        break;
                case OPT_FORMAT:
                        this_mode = "--format";
                        break;
                case OPT_CHECK_COMPAT:
                        this_mode = "--check-compat";
                        break;
                case OPT_IMPORT_XML:
                        this_mode = "--import-xml";
                        break;
                case OPT_IMPORT_BUS:
                        this_mode = "--import-bus";
                        break;
                case 'h':
                        usage(stdout);
                        ret = 0;
                        goto out_opts;
                case OPT_VERSION:
                        version = true;
                        break;
                case OPT_C_PREFIX: {
                        char **n = realloc(c_prefixes, (n_c_prefixes + 1) * sizeof(*n));
                        if (!n) {
                                fprintf(stderr, "dbidlc: error: out of memory\n");
                                goto out_opts;
                        }
                        c_prefixes = n;
                        c_prefixes[n_c_prefixes++] = optarg;
                        break;
                }
                case OPT_C_NAMESPACE:
                        c_namespace = optarg;
                        break;
                default:
                        ret = bad_option(c, argv);
                        goto out_opts;
                }
                if (this_mode) {
                        if (mode && strcmp(mode, this_mode) != 0) {
                                ret = usage_error("%s and %s cannot be combined", mode, this_mode);
                                goto out_opts;
                        }
                        mode = this_mode;
                }
        }
        if (version) {
                if (argc != 2) {
                        ret = usage_error("--version takes no other arguments");
                        goto out_opts;
                }
                printf("dbidlc %s\n", PACKAGE_VERSION);
                ret = 0;
                goto out_opts;
        }
        /* options that mean nothing in the mode asked for would be ignored: refuse them */
        bool import_xml = mode && strcmp(mode, "--import-xml") == 0, import_bus_mode = mode && strcmp(mode, "--import-bus") == 0;
        bool signatures = mode && strcmp(mode, "--signatures") == 0, format = mode && strcmp(mode, "--format") == 0;
        bool compat = mode && strcmp(mode, "--check-compat") == 0;
        if (mode && emit_set) {
                ret = usage_error("%s and --emit cannot be combined", mode);
                goto out_opts;
        }
        if ((signatures || format || compat) && outdir_set) {
                ret = usage_error("%s and -o cannot be combined (%s writes no files)", mode, mode);
                goto out_opts;
        }
        if ((n_c_prefixes || c_namespace) && (mode || !(emit & EMIT_C))) {
                ret = usage_error("%s only goes with the C outputs (no --emit, or --emit=c)",
                                  n_c_prefixes ? "--c-prefix" : "--c-namespace");
                goto out_opts;
        }
        if (in_place && !format) {
                ret = usage_error("-i only goes with --format");
                goto out_opts;
        }
        if (service_option && !(emit & EMIT_SERVICE)) {
                ret = usage_error("%s only goes with --emit=service", service_option);
                goto out_opts;
        }
        if (bus_option && !import_bus_mode) {
                ret = usage_error("%s only goes with --import-bus", bus_option);
                goto out_opts;
        }
        /* --header, --client, --server: exactly the outputs named, each a path of its own */
        const char *first_named = NULL;
        for (int i = 0; i < 3 && !first_named; i++)
                if (named[i])
                        first_named = named_option[i];
        if (first_named && (mode || emit_set || outdir_set)) {
                ret = usage_error("%s and %s cannot be combined%s", mode ? mode : emit_set ? "--emit" : "-o",
                                  first_named, mode || emit_set ? "" : " (give each output its whole path)");
                goto out_opts;
        }
        if (header_include && (mode || !(emit & EMIT_C))) {
                ret = usage_error("--header-include only goes with the C outputs");
                goto out_opts;
        }
        for (int i = 0; i < 3; i++)
                if (named[i] && (!*named[i] || named[i][strlen(named[i]) - 1] == '/')) {
                        ret = usage_error("%s needs a file name, not '%s'", named_option[i], named[i]);
                        goto out_opts;
                }
        /* what the .c files #include: a name that fits between the quotes */
        const char *header_name = header_include;
        if (!header_name && named[0])
                header_name = strrchr(named[0], '/') ? strrchr(named[0], '/') + 1 : named[0];
        if (header_name && (!*header_name || strpbrk(header_name, "\"\n"))) {
                ret = usage_error("'%s' cannot be #included (empty, or a '\"' or a newline in it)", header_name);
                goto out_opts;
        }
        if (compat) {
                if (optind != argc - 2) {
                        ret = usage_error("--check-compat needs two files, OLD.idl and NEW.idl");
                        goto out_opts;
                }
                ret = check_compat(argv[optind], argv[optind + 1], &lo);
                goto out_opts;
        }
        if (import_xml || import_bus_mode) {
                if (import_xml ? optind >= argc : (optind != argc - 1 && optind != argc - 2)) {
                        ret = usage_error("%s", import_xml ? "--import-xml needs at least one FILE.xml"
                                                           : "--import-bus needs a destination and at most one object path");
                        goto out_opts;
                }
        } else if ((emit & EMIT_SERVICE) && (!bus_name || !exec)) {
                ret = usage_error("--emit=service needs --bus-name=NAME and --exec=COMMAND");
                goto out_opts;
        } else if (!(emit == EMIT_SERVICE && optind == argc) && optind != argc - 1) {
                ret = usage_error("%s", optind >= argc ? "no input file" : "exactly one input file is expected");
                goto out_opts;
        }
        /* no two outputs in one file, and none over the input */
        for (int i = 0; i < 3; i++)
                for (int j = -1; named[i] && j < i; j++) {
                        const char *other = j < 0 ? argv[optind] : named[j];
                        if (other && same_file(named[i], other)) {
                                ret = j < 0 ? usage_error("%s=%s would overwrite the input file", named_option[i],
                                                          named[i])
                                            : usage_error("%s and %s name the same file '%s'", named_option[j],
                                                          named_option[i], named[i]);
                                goto out_opts;
                        }
                }
        /* -o DIR is made if missing (as mkdir -p), for every mode that writes there */
        if (outdir_set && make_directory(outdir) < 0)
                goto out_opts;
        if (import_xml || import_bus_mode) {
                idl_diag_sink *isink = NULL;
                if (idl_diag_sink_new(stderr, &isink) < 0)
                        goto out_opts;
                idl_options_apply(&lo, isink);
                int r;
                if (import_xml)
                        r = import_xml_files(argv + optind, (size_t) (argc - optind), outdir_set ? outdir : NULL,
                                             isink);
                else {
                        bo.destination = argv[optind];
                        bo.path = optind + 1 < argc ? argv[optind + 1] : NULL;
                        bo.outdir = outdir_set ? outdir : NULL;
                        bo.argv = argv;
                        r = import_bus_command(&bo, isink);
                }
                ret = r < 0 || idl_diag_error_count(isink) > 0 ? EXIT_INPUT : 0;
                idl_diag_sink_free(isink);
                goto out_opts;
        }
        if (emit == EMIT_SERVICE && optind == argc) {
                /* the activation file alone needs no interface definition */
                codegen_options so = { .stem = bus_name, .version = PACKAGE_VERSION, .bus_name = bus_name,
                                       .exec = exec };
                idl_diag_sink *ssink = NULL;
                if (idl_diag_sink_new(stderr, &ssink) < 0) {
                        fprintf(stderr, "dbidlc: error: out of memory\n");
                        goto out_opts;
                }
                ret = write_output(outdir, ".service", codegen_service, NULL, &so, ssink) < 0 ? EXIT_INPUT : 0;
                idl_diag_sink_free(ssink);
                goto out_opts;
        }
        const char *input = argv[optind];
        size_t input_len = strlen(input);
        bool xml_input = input_len > 4 && strcmp(input + input_len - 4, ".xml") == 0;

        idl_diag_sink *sink = NULL;
        idl_file *f = NULL;
        if (idl_diag_sink_new(stderr, &sink) < 0) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                goto out_opts;
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
        /* the C names: the prefixes asked for, then every name the C back ends would write, checked */
        stem = stem_of(input);
        if (!stem) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                goto out;
        }
        if (idl_diag_error_count(sink) == 0 && (emit & EMIT_C) && !signatures) {
                r = codegen_set_c_prefixes(f, c_namespace, c_prefixes, n_c_prefixes, sink);
                if (r >= 0)
                        r = codegen_check_names(f, stem, sink);
                if (r < 0) {
                        flush_diags(sink);
                        if (r != -EINVAL)
                                fprintf(stderr, "dbidlc: error: %s\n", strerror(-r));
                        ret = r == -EINVAL ? EXIT_USAGE : EXIT_INPUT;
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

        /* the banner names the source file without its directories */
        const char *slash = strrchr(input, '/');
        codegen_options o = { .stem = stem, .header_name = header_name, .source_name = slash ? slash + 1 : input,
                              .version = PACKAGE_VERSION };
        if (first_named) {
                static const generator gens[3] = { codegen_header, codegen_client, codegen_server };
                ret = 0;
                for (int i = 0; i < 3 && ret == 0; i++)
                        if (named[i] && write_generated(named[i], gens[i], f, &o, sink) < 0)
                                ret = EXIT_INPUT;
        } else if ((!(emit & EMIT_C) || (write_output(outdir, ".h", codegen_header, f, &o, sink) >= 0 &&
                                         write_output(outdir, "-client.c", codegen_client, f, &o, sink) >= 0 &&
                                         write_output(outdir, "-server.c", codegen_server, f, &o, sink) >= 0)) &&
                   write_descriptions(outdir, emit, f, &o, sink) >= 0) {
                ret = 0;
                if (emit & EMIT_SERVICE) {
                        codegen_options so = o;
                        so.stem = bus_name;
                        so.bus_name = bus_name;
                        so.exec = exec;
                        if (write_output(outdir, ".service", codegen_service, f, &so, sink) < 0)
                                ret = EXIT_INPUT;
                }
        }
out:
        free(stem);
        idl_file_free(f);
        idl_diag_sink_free(sink);
out_opts:
        free(include_dirs);
        free(c_prefixes);
        fflush(stderr);
        return ret;
}

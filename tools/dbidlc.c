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

enum {
        EXIT_INPUT = 1,         /* mistakes in the input */
        EXIT_USAGE = 2,         /* bad command line */
};

static void usage(FILE *out) {
        fprintf(out,
                "Usage: dbidlc [OPTION]... FILE.idl\n"
                "Compile a dbidl interface definition into C bindings over sd-bus.\n"
                "\n"
                "Writes DIR/STEM.h, DIR/STEM-client.c and DIR/STEM-server.c, where STEM is\n"
                "FILE without its .idl suffix.\n"
                "\n"
                "  -o, --output=DIR   write the generated files into DIR (default: .)\n"
                "      --signatures   print every member with its D-Bus signature; write nothing\n"
                "  -h, --help         show this help and exit\n"
                "      --version      show the version and exit\n"
                "\n"
                "Exit status: 0 on success, 1 if the input has errors, 2 on usage errors.\n"
                "Documentation: docs/idl.md (the language), docs/c-api.md (the generated API).\n");
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
                if (r != -EOPNOTSUPP)
                        fprintf(stderr, "dbidlc: error: cannot write %s: %s\n", target, strerror(-r));
        }
out:
        free(tmp);
        free(target);
        return r;
}

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "output", required_argument, NULL, 'o' },
                { "signatures", no_argument, NULL, 'S' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {},
        };
        const char *outdir = ".";
        bool signatures = false;
        int c;
        while ((c = getopt_long(argc, argv, "o:h", options, NULL)) >= 0) {
                switch (c) {
                case 'o':
                        outdir = optarg;
                        break;
                case 'S':
                        signatures = true;
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
        if (optind != argc - 1) {
                fprintf(stderr, "dbidlc: error: %s\nTry 'dbidlc --help' for more information.\n",
                        optind >= argc ? "no input file" : "exactly one input file is expected");
                return EXIT_USAGE;
        }
        const char *input = argv[optind];

        idl_diag_sink *sink = NULL;
        idl_file *f = NULL;
        int ret = EXIT_INPUT;
        if (idl_diag_sink_new(stderr, &sink) < 0) {
                fprintf(stderr, "dbidlc: error: out of memory\n");
                return EXIT_INPUT;
        }
        int r = idl_parse_file(input, sink, &f);
        if (r < 0) {
                fprintf(stderr, "dbidlc: error: cannot read %s: %s\n", input, strerror(-r));
                goto out;
        }
        if (idl_diag_error_count(sink) == 0) {
                r = idl_check(f, sink);
                if (r < 0) {
                        fprintf(stderr, "dbidlc: error: %s\n", strerror(-r));
                        goto out;
                }
        }
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
        if (len > 4 && strcmp(base + len - 4, ".idl") == 0)
                base[len - 4] = '\0';
        /* the banner names the source file without its directories */
        const char *slash = strrchr(input, '/');
        codegen_options o = { .stem = base, .source_name = slash ? slash + 1 : input, .version = PACKAGE_VERSION };
        if (write_output(outdir, ".h", codegen_header, f, &o) >= 0 &&
            write_output(outdir, "-client.c", codegen_client, f, &o) >= 0 &&
            write_output(outdir, "-server.c", codegen_server, f, &o) >= 0)
                ret = 0;
        free(copy);
out:
        idl_file_free(f);
        idl_diag_sink_free(sink);
        return ret;
}

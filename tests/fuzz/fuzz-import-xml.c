/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/fuzz/fuzz-import-xml.c — libFuzzer target for the introspection XML importer (dbidlc --import-xml) */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "idl/idl.h"
#include "idl/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * One input: import it as "fuzz.xml" exactly as it comes (not NUL-terminated:
 * libFuzzer's buffer ends where the data ends, so a read past it is an ASan
 * finding), with a sink that renders every diagnostic into /dev/null and the
 * .idl written to memory; then, as dbidlc does with a FILE.xml input,
 * parse and check that .idl text when the import reported no error.  (The
 * front end may refuse it: a D-Bus signature over 255 bytes across a
 * method's inputs is valid XML the language does not take, as
 * tests/xml/front-end/ shows.)  Out of memory (-ENOMEM) is not a finding; anything ASan or UBSan notices is.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static FILE *devnull;
        idl_diag_sink *sink = NULL;
        char *text = NULL;
        size_t len = 0;
        FILE *out;

        if (!devnull) {
                devnull = fopen("/dev/null", "we");
                if (!devnull)
                        abort();
        }
        if (idl_diag_sink_new(devnull, &sink) < 0)
                return 0;
        out = open_memstream(&text, &len);
        if (!out) {
                idl_diag_sink_free(sink);
                return 0;
        }
        int r = idl_import_xml("fuzz.xml", (const char *) data, size, NULL, sink, out);
        bool imported = r >= 0 && idl_diag_error_count(sink) == 0;
        if (fclose(out) != 0)
                imported = false;
        if (imported && len > 0) {
                idl_diag_sink *check = NULL;
                idl_file *f = NULL;
                if (idl_diag_sink_new(devnull, &check) == 0) {
                        r = idl_parse_string("fuzz.idl", text, len, check, &f);
                        if (r >= 0 && idl_diag_error_count(check) == 0)
                                (void) idl_check(f, check);
                        idl_file_free(f);
                        idl_diag_sink_free(check);
                }
        }
        free(text);
        idl_diag_sink_free(sink);
        return 0;
}

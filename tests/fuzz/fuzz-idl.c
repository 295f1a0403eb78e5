/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/fuzz/fuzz-idl.c — libFuzzer target for the front end: lexer, parser, semantic pass and diagnostics */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "idl/idl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * One input: parse it from memory as "fuzz.idl" with a sink that renders
 * every diagnostic (source line, caret and all) into /dev/null, run the
 * semantic pass on what parsed, also after syntax errors — as dbidlc does —
 * and free everything.  Out of memory (-ENOMEM) is not a finding; anything ASan or
 * UBSan notices is.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static FILE *devnull;
        idl_diag_sink *sink = NULL;
        idl_file *f = NULL;

        if (!devnull) {
                devnull = fopen("/dev/null", "we");
                if (!devnull)
                        abort();
        }

        if (idl_diag_sink_new(devnull, &sink) < 0)
                return 0;
        if (idl_parse_string("fuzz.idl", (const char *) data, size, sink, &f) >= 0)
                (void) idl_check(f, sink);

        idl_file_free(f);
        idl_diag_sink_free(sink);
        return 0;
}

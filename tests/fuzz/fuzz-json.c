/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/fuzz/fuzz-json.c — libFuzzer target for JSON → D-Bus message → JSON (dbidl/json.h) with random signatures */

/*
 * libdbidl's sources are compiled into this program with the fuzzer's
 * instrumentation (as for fuzz-skeleton).  The input is:
 *
 *   byte 0   bit 0: one value of a single complete type
 *            (dbidl_json_append_value) instead of arguments
 *            (dbidl_json_append); bit 1: the arguments have names "a0",
 *            "a1", … (an object by name is accepted, and output is an
 *            object); bit 2: render with the signature's struct field names
 *            (dbidl_json_read_typed / _read_value_typed)
 *   then     the signature, up to the first newline: any text, so the
 *            fuzzer finds valid, invalid and field-named signatures itself
 *            ("a(<id>i<label>s)")
 *   then     the JSON text
 *
 * Checked, besides ASan, UBSan and LeakSanitizer:
 *   - a failure is one of the documented errnos, and every error about the
 *     JSON (-EBADMSG, -ENXIO, -ELOOP) comes with a message that starts with
 *     its location ("$…");
 *   - what was appended renders as JSON, and that JSON appends again to a
 *     fresh message of the same signature and renders to the same text:
 *     output is always valid input, and the conversion is a fixed point
 *     after one round.
 *
 * File descriptors are left out: an fd given as a string is a path the
 * library opens, and random paths must not be opened (a FIFO would block).
 * Inputs whose signature holds 'h', or whose JSON holds an 'h' or a \u0068 /
 * \u0048 escape (the only ways to write the type "h" of a variant) are
 * skipped.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include <dbidl/json.h>

#define MAX_SIGNATURE_TEXT 1024
#define MAX_NAMES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sd_bus *bus;

static sd_bus *get_bus(void) {
        int fds[2];

        if (bus)
                return bus;
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 || sd_bus_new(&bus) < 0 ||
            sd_bus_set_fd(bus, fds[0], fds[0]) < 0 || sd_bus_start(bus) < 0)
                abort();
        close(fds[1]);
        return bus;
}

static sd_bus_message *new_message(void) {
        sd_bus_message *m = NULL;

        if (sd_bus_message_new_signal(get_bus(), &m, "/fuzz", "org.dbidl.Fuzz", "Json") < 0)
                abort();
        return m;
}

static bool has_h(const char *s, size_t len) {
        for (size_t k = 0; k < len; k++) {
                if (s[k] == 'h')
                        return true;
                if (s[k] == '\\' && k + 5 < len && s[k + 1] == 'u' && s[k + 2] == '0' && s[k + 3] == '0' &&
                    (s[k + 4] == '6' || s[k + 4] == '4') && s[k + 5] == '8')
                        return true;
        }
        return false;
}

/* Append `json` as `sig` to a fresh message; 0 and the sealed message, or the errno (checked against the docs). */
static int append(bool single, const char *sig, const char *const *names, const char *json, size_t len,
                  sd_bus_message **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        int r;

        r = single ? dbidl_json_append_value(m, sig, json, len, &error)
                   : dbidl_json_append(m, sig, names, json, len, &error);
        if (r < 0) {
                switch (r) {
                case -EBADMSG:
                case -ENXIO:
                case -ELOOP:
                        if (!error.message || error.message[0] != '$') {
                                fprintf(stderr, "errno %d without a located message: %s\n", r,
                                        error.message ? error.message : "(none)");
                                abort();
                        }
                        break;
                case -EINVAL:
                case -ENOMEM:
                        break;
                default:
                        /* sd-bus's own refusals while appending (e.g. a message too large) */
                        if (r != -E2BIG && r != -EMSGSIZE && r != -ENOBUFS) {
                                fprintf(stderr, "undocumented errno %d (%s)\n", r,
                                        error.message ? error.message : "");
                                abort();
                        }
                }
                sd_bus_error_free(&error);
                sd_bus_message_unref(m);
                return r;
        }
        sd_bus_error_free(&error);
        if (sd_bus_message_seal(m, 1, 0) < 0 || sd_bus_message_rewind(m, true) < 0)
                abort();
        *ret = m;
        return 0;
}

static char *render(sd_bus_message *m, bool single, bool typed, const char *sig, const char *const *names) {
        char *text = NULL;
        int r;

        if (sd_bus_message_rewind(m, true) < 0)
                abort();
        if (single)
                r = typed ? dbidl_json_read_value_typed(m, sig, 0, &text) : dbidl_json_read_value(m, 0, &text);
        else
                r = typed ? dbidl_json_read_typed(m, sig, names, 0, &text) : dbidl_json_read(m, names, 0, &text);
        if (r < 0) {
                fprintf(stderr, "rendering what was appended failed: %d\n", r);
                abort();
        }
        return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static char name_text[MAX_NAMES][8];
        const char *names[MAX_NAMES + 1];
        char sig[MAX_SIGNATURE_TEXT + 1];
        const char *json, *nl;
        sd_bus_message *m1 = NULL, *m2 = NULL;
        char *out1, *out2;
        bool single, named, typed;
        size_t siglen, jlen;

        if (size < 1)
                return 0;
        single = data[0] & 1;
        named = !single && (data[0] & 2);
        typed = data[0] & 4;
        data++;
        size--;
        nl = memchr(data, '\n', size);
        if (!nl)
                return 0;
        siglen = (size_t) (nl - (const char *) data);
        if (siglen > MAX_SIGNATURE_TEXT || memchr(data, 0, siglen))
                return 0;
        memcpy(sig, data, siglen);
        sig[siglen] = 0;
        json = nl + 1;
        jlen = size - siglen - 1;
        if (has_h(sig, siglen) || has_h(json, jlen))
                return 0;

        /* names a0, a1, …, more than any signature has complete types (the library reads one per type) */
        for (size_t k = 0; k < MAX_NAMES; k++) {
                snprintf(name_text[k], sizeof(name_text[k]), "a%zu", k);
                names[k] = name_text[k];
        }
        names[MAX_NAMES] = NULL;

        if (append(single, sig, named ? names : NULL, json, jlen, &m1) < 0)
                goto out;
        out1 = render(m1, single, typed, sig, named ? names : NULL);
        if (append(single, sig, named ? names : NULL, out1, strlen(out1), &m2) < 0) {
                fprintf(stderr, "the output does not append again: %s\n", out1);
                abort();
        }
        out2 = render(m2, single, typed, sig, named ? names : NULL);
        if (strcmp(out1, out2) != 0) {
                fprintf(stderr, "not a fixed point:\n  %s\n  %s\n", out1, out2);
                abort();
        }
        free(out1);
        free(out2);
out:
        sd_bus_message_unref(m1);
        sd_bus_message_unref(m2);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/server-address.c — parsing the D-Bus server addresses a dbidl_server listens on */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "runtime/server-address.h"
#include "runtime/util.h"

/* D-Bus specification, "Server Addresses": bytes that may appear in a value unescaped. */
static bool optionally_escaped(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
               c == '/' || c == '.' || c == '\\' || c == '*';
}

static int hex_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static int fail(char **ret_message, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char **ret_message, int error, const char *fmt, ...) {
        if (ret_message) {
                va_list ap;
                va_start(ap, fmt);
                if (vasprintf(ret_message, fmt, ap) < 0)
                        *ret_message = NULL;
                va_end(ap);
        }
        return error;
}

void server_address_clear(server_address *a) {
        if (!a)
                return;
        free(a->path);
        free(a->host);
        free(a->bind);
        *a = (server_address) { 0 };
}

char *server_address_escape(const char *value) {
        size_t n = strlen(value);
        char *out = malloc(3 * n + 1), *o = out;
        if (!out)
                return NULL;
        for (const char *p = value; *p; p++) {
                if (optionally_escaped(*p))
                        *o++ = *p;
                else
                        o += sprintf(o, "%%%02x", (unsigned char) *p);
        }
        *o = '\0';
        return out;
}

/* Decode the value text[0..len) into a malloc'd string; -EINVAL (message set) for a bad byte or escape. */
static int decode_value(const char *key, const char *text, size_t len, char **ret, char **ret_message) {
        if (len == 0)
                return fail(ret_message, -EINVAL, "empty value for key '%s'", key);
        char *out = malloc(len + 1), *o = out;
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < len; i++) {
                char c = text[i];
                if (c == '%') {
                        int hi = i + 1 < len ? hex_value(text[i + 1]) : -1;
                        int lo = i + 2 < len ? hex_value(text[i + 2]) : -1;
                        if (hi < 0 || lo < 0) {
                                free(out);
                                return fail(ret_message, -EINVAL, "bad %%-escape in the value of '%s' (expected %%XX)",
                                            key);
                        }
                        c = (char) (hi << 4 | lo);
                        if (c == '\0') {
                                free(out);
                                return fail(ret_message, -EINVAL, "the value of '%s' contains %%00", key);
                        }
                        i += 2;
                } else if (!optionally_escaped(c)) {
                        free(out);
                        if (c == ';')
                                return fail(ret_message, -EINVAL,
                                            "a server listens on one address: ';' (a list of addresses) is not allowed");
                        if (c == '=')
                                return fail(ret_message, -EINVAL, "unescaped '=' in the value of '%s' (write %%3d)", key);
                        return fail(ret_message, -EINVAL, "byte 0x%02x in the value of '%s' must be written %%%02x",
                                    (unsigned char) c, key, (unsigned char) c);
                }
                *o++ = c;
        }
        *o = '\0';
        *ret = out;
        return 0;
}

static int parse_port(const char *value, uint16_t *ret, char **ret_message) {
        unsigned long v = 0;
        if (!*value || strlen(value) > 5)
                return fail(ret_message, -EINVAL, "port '%s' is not a number from 0 to 65535", value);
        for (const char *p = value; *p; p++) {
                if (*p < '0' || *p > '9')
                        return fail(ret_message, -EINVAL, "port '%s' is not a number from 0 to 65535", value);
                v = v * 10 + (unsigned long) (*p - '0');
        }
        if (v > 65535)
                return fail(ret_message, -EINVAL, "port '%s' is not a number from 0 to 65535", value);
        *ret = (uint16_t) v;
        return 0;
}

/* The keys each transport knows; `slot` is where a key's decoded value goes. */
typedef struct key_slot {
        const char *key;
        char *value;
} key_slot;

int server_address_parse(const char *text, server_address *ret, char **ret_message) {
        if (ret_message)
                *ret_message = NULL;
        if (!text || !ret)
                return -EINVAL;

        const char *colon = strchr(text, ':');
        if (!colon || colon == text)
                return fail(ret_message, -EINVAL, "'%s' is not a D-Bus address (expected TRANSPORT:KEY=VALUE,...)", text);
        size_t tlen = (size_t) (colon - text);
        bool is_unix = tlen == 4 && memcmp(text, "unix", 4) == 0;
        bool is_tcp = tlen == 3 && memcmp(text, "tcp", 3) == 0;
        if (!is_unix && !is_tcp) {
                static const char *const client_only[] = { "nonce-tcp", "unixexec", "launchd", "systemd",
                                                           "autolaunch", "x-machine-unix", "kernel" };
                for (size_t i = 0; i < ELEMENTSOF(client_only); i++)
                        if (strlen(client_only[i]) == tlen && memcmp(text, client_only[i], tlen) == 0)
                                return fail(ret_message, -EPROTONOSUPPORT,
                                            "cannot listen on transport '%.*s' (a server listens on unix: or tcp:)",
                                            (int) tlen, text);
                return fail(ret_message, -EINVAL, "unknown transport '%.*s' (expected unix: or tcp:)", (int) tlen, text);
        }

        key_slot unix_keys[] = { { "path", NULL }, { "abstract", NULL }, { "dir", NULL }, { "tmpdir", NULL } };
        key_slot tcp_keys[] = { { "host", NULL }, { "bind", NULL }, { "port", NULL }, { "family", NULL } };
        key_slot *keys = is_unix ? unix_keys : tcp_keys;
        size_t n_keys = is_unix ? ELEMENTSOF(unix_keys) : ELEMENTSOF(tcp_keys);
        int r = 0;

        for (const char *p = colon + 1; *p;) {
                const char *eq = p;
                while (*eq && *eq != '=' && *eq != ',' && *eq != ';')
                        eq++;
                if (*eq != '=') {
                        if (*eq == ';')
                                r = fail(ret_message, -EINVAL,
                                         "a server listens on one address: ';' (a list of addresses) is not allowed");
                        else
                                r = fail(ret_message, -EINVAL, "'%.*s' is not KEY=VALUE", (int) (eq - p), p);
                        goto finish;
                }
                if (eq == p) {
                        r = fail(ret_message, -EINVAL, "empty key before '='");
                        goto finish;
                }
                const char *end = eq + 1;
                while (*end && *end != ',')
                        end++;
                key_slot *k = NULL;
                for (size_t i = 0; i < n_keys; i++)
                        if (strlen(keys[i].key) == (size_t) (eq - p) && memcmp(keys[i].key, p, (size_t) (eq - p)) == 0)
                                k = &keys[i];
                if (!k) {
                        if ((size_t) (eq - p) == 4 && memcmp(p, "guid", 4) == 0)
                                r = fail(ret_message, -EINVAL, "guid= is for clients: a server makes its own GUID");
                        else
                                r = fail(ret_message, -EINVAL, "unknown key '%.*s' for %s: (expected %s)", (int) (eq - p),
                                         p, is_unix ? "unix" : "tcp",
                                         is_unix ? "path, abstract, dir or tmpdir" : "host, bind, port or family");
                        goto finish;
                }
                if (k->value) {
                        r = fail(ret_message, -EINVAL, "key '%s' given twice", k->key);
                        goto finish;
                }
                r = decode_value(k->key, eq + 1, (size_t) (end - eq - 1), &k->value, ret_message);
                if (r < 0)
                        goto finish;
                p = end;
                if (*p == ',') {
                        p++;
                        if (!*p) {
                                r = fail(ret_message, -EINVAL, "trailing ',' after the last KEY=VALUE");
                                goto finish;
                        }
                }
        }

        server_address a = { 0 };
        if (is_unix) {
                size_t given = 0, which = 0;
                for (size_t i = 0; i < n_keys; i++)
                        if (keys[i].value) {
                                given++;
                                which = i;
                        }
                if (given != 1) {
                        r = fail(ret_message, -EINVAL, "unix: needs exactly one of path=, abstract=, dir= or tmpdir=");
                        goto finish;
                }
                a.kind = which == 0 ? SERVER_ADDRESS_UNIX_PATH :
                         which == 1 ? SERVER_ADDRESS_UNIX_ABSTRACT :
                                      SERVER_ADDRESS_UNIX_DIR;
                a.path = TAKE_PTR(keys[which].value);
        } else {
                a.kind = SERVER_ADDRESS_TCP;
                a.family = AF_UNSPEC;
                if (keys[3].value) {
                        if (strcmp(keys[3].value, "ipv4") == 0)
                                a.family = AF_INET;
                        else if (strcmp(keys[3].value, "ipv6") == 0)
                                a.family = AF_INET6;
                        else {
                                r = fail(ret_message, -EINVAL, "family '%s' is not ipv4 or ipv6", keys[3].value);
                                goto finish;
                        }
                }
                if (keys[2].value) {
                        r = parse_port(keys[2].value, &a.port, ret_message);
                        if (r < 0)
                                goto finish;
                }
                a.host = keys[0].value ? TAKE_PTR(keys[0].value) : strdup("localhost");
                a.bind = TAKE_PTR(keys[1].value);
                if (!a.host) {
                        server_address_clear(&a);
                        r = -ENOMEM;
                        goto finish;
                }
        }
        *ret = a;
        r = 0;
finish:
        for (size_t i = 0; i < n_keys; i++)
                free(keys[i].value);
        return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/server-address.h — parsing the D-Bus server addresses a dbidl_server listens on (internal) */
#pragma once

#include <stdint.h>

/*
 * The listening side of a D-Bus server address (D-Bus specification,
 * "Server Addresses", "Transports"): one address, `transport:key=value,...`,
 * values optionally %XX-escaped.  The client side is sd-bus's job
 * (sd_bus_set_address()).
 */
typedef enum server_address_kind {
        SERVER_ADDRESS_UNIX_PATH,       /* unix:path=P */
        SERVER_ADDRESS_UNIX_ABSTRACT,   /* unix:abstract=N (Linux) */
        SERVER_ADDRESS_UNIX_DIR,        /* unix:dir=D or unix:tmpdir=D: a fresh socket name in D */
        SERVER_ADDRESS_TCP,             /* tcp:host=H,bind=B,port=N,family=ipv4|ipv6 */
} server_address_kind;

typedef struct server_address {
        server_address_kind kind;
        char *path;             /* unix: the path, the abstract name or the directory, decoded */
        char *host;             /* tcp: host= (what clients connect to; default "localhost") */
        char *bind;             /* tcp: bind= (what to listen on; NULL: host) */
        uint16_t port;          /* tcp: port= (default 0: any free port) */
        int family;             /* tcp: AF_UNSPEC, AF_INET (family=ipv4) or AF_INET6 (family=ipv6) */
} server_address;

/*
 * Parse `text` into *ret, in one pass (linear in its length).  Strict: one
 * address only (no ';' lists), known keys only, each at most once, no empty
 * values, bytes outside the D-Bus "optionally escaped" set
 * ([-0-9A-Za-z_/.\*]) only as %XX, no NUL.  Returns 0; -EINVAL for a
 * syntax error, an unknown key or a bad value; -EPROTONOSUPPORT for a
 * transport one cannot listen on here (nonce-tcp, unixexec, launchd,
 * systemd, autolaunch, ...); -ENOMEM.  On failure *ret_message (if not
 * NULL) is a malloc'd sentence naming what is wrong (NULL for -ENOMEM), and
 * *ret is untouched.
 */
int server_address_parse(const char *text, server_address *ret, char **ret_message);
void server_address_clear(server_address *a);

/* `value` %XX-escaped for use in a D-Bus address (everything outside [-0-9A-Za-z_/.\*]).  malloc'd, NULL on ENOMEM. */
char *server_address_escape(const char *value);

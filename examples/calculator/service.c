/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/calculator/service.c — calculator-service: serves org.example.Calculator1 with the generated skeleton */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculator.h"

#define CALC_PATH "/org/example/Calculator1"
#define CALC_NAME "org.example.Calculator1"

typedef struct calculator {
        sd_bus *bus;            /* on a bus */
        dbidl_server *server;   /* or peer-to-peer (--address): one connection per client */
        uint32_t precision;
        double last_result;
} calculator;

/* Call fn for every client: once on the bus (the daemon fans signals out), once per connected peer otherwise. */
static int for_every_client(calculator *c, dbidl_server_peer_fn fn, void *userdata) {
        if (c->server)
                return dbidl_server_foreach_peer(c->server, fn, userdata);
        return fn(c->bus, userdata);
}

static int notify_last_result(sd_bus *bus, void *userdata) {
        (void) userdata;
        return calc_notify_last_result(bus, CALC_PATH);
}

static int emit_overflow(sd_bus *bus, void *userdata) {
        const int32_t *ab = userdata;
        return calc_emit_overflow(bus, CALC_PATH, ab[0], ab[1]);
}

/* Remember a result and tell the world (PropertiesChanged for LastResult). */
static void set_result(calculator *c, double value) {
        c->last_result = value;
        int r = for_every_client(c, notify_last_result, NULL);
        if (r < 0)
                fprintf(stderr, "calculator-service: PropertiesChanged failed: %s\n", strerror(-r));
}

static int on_add(sd_bus_message *call, void *userdata, int32_t a, int32_t b, int32_t *ret_sum,
                  sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) call;
        int64_t sum = (int64_t) a + b;
        if (sum > INT32_MAX || sum < INT32_MIN) {
                printf("Add(%" PRIi32 ", %" PRIi32 ") overflows\n", a, b);
                int32_t ab[2] = { a, b };
                (void) for_every_client(c, emit_overflow, ab);
                return calc_raise_overflow(ret_error, "%" PRIi32 " + %" PRIi32 " does not fit in int32", a, b);
        }
        printf("Add(%" PRIi32 ", %" PRIi32 ") = %" PRIi64 "\n", a, b, sum);
        *ret_sum = (int32_t) sum;
        set_result(c, (double) sum);
        return 0;
}

static int on_divide(sd_bus_message *call, void *userdata, double a, double b, double *ret_quotient,
                     sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) call;
        if (b == 0.0) {
                printf("Divide(%g, %g): division by zero\n", a, b);
                return calc_raise_division_by_zero(ret_error, "cannot divide %g by zero", a);
        }
        *ret_quotient = a / b;
        printf("Divide(%g, %g) = %.*f\n", a, b, (int) c->precision, *ret_quotient);
        set_result(c, *ret_quotient);
        return 0;
}

static int on_sum(sd_bus_message *call, void *userdata, const double *values, size_t n_values, double *ret_total,
                  sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) call;
        (void) ret_error;
        double total = 0;
        for (size_t i = 0; i < n_values; i++)
                total += values[i];
        printf("Sum(%zu values) = %.*f\n", n_values, (int) c->precision, total);
        *ret_total = total;
        set_result(c, total);
        return 0;
}

static int on_concat(sd_bus_message *call, void *userdata, char *const *parts, const char *separator,
                     char **ret_joined, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        size_t len = 1, n = 0;
        for (char *const *p = parts; p && *p; p++, n++)
                len += strlen(*p) + strlen(separator);
        char *joined = malloc(len);
        if (!joined)
                return -ENOMEM;
        joined[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        strcat(joined, separator);
                strcat(joined, parts[i]);
        }
        printf("Concat(%zu parts, \"%s\") = \"%s\"\n", n, separator, joined);
        *ret_joined = joined; /* the skeleton frees it after the reply */
        return 0;
}

static int on_reset(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) call;
        (void) ret_error;
        printf("Reset()\n");
        set_result(c, 0.0);
        return 0;
}

static int get_precision(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) ret_error;
        *ret_value = c->precision;
        return 0;
}

static int set_precision(void *userdata, uint32_t value, sd_bus_error *ret_error) {
        calculator *c = userdata;
        if (value > 17)
                return dbidl_error_invalid_args(ret_error, "Precision must be at most 17, not %" PRIu32, value);
        printf("Precision = %" PRIu32 "\n", value);
        c->precision = value;
        return 0;
}

static int get_last_result(void *userdata, double *ret_value, sd_bus_error *ret_error) {
        calculator *c = userdata;
        (void) ret_error;
        *ret_value = c->last_result;
        return 0;
}

static const calc_handlers handlers = {
        .handle_add = on_add,
        .handle_divide = on_divide,
        .handle_sum = on_sum,
        .handle_concat = on_concat,
        .handle_reset = on_reset,
        .get_precision = get_precision,
        .set_precision = set_precision,
        .get_last_result = get_last_result,
};

/* Peer-to-peer: the same object, exported on every connection. */
static int export_calculator(sd_bus *peer, void *userdata) {
        return calc_export(peer, CALC_PATH, &handlers, userdata, NULL);
}

static int serve_peer_to_peer(calculator *c, const char *address) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = dbidl_server_new(&c->server);
        if (r >= 0)
                r = dbidl_server_add_export(c->server, export_calculator, c);
        if (r < 0) {
                fprintf(stderr, "calculator-service: %s\n", strerror(-r));
                return r;
        }
        r = dbidl_server_listen(c->server, address, &error);
        if (r < 0) {
                fprintf(stderr, "calculator-service: cannot listen on %s: %s\n", address,
                        error.message ? error.message : strerror(-r));
                sd_bus_error_free(&error);
                return r;
        }
        printf("calculator-service: serving %s at %s peer-to-peer; clients connect to %s\n", CALC_INTERFACE,
               CALC_PATH, dbidl_server_get_client_address(c->server));
        r = dbidl_server_run(c->server, NULL);
        if (r < 0)
                fprintf(stderr, "calculator-service: event loop failed: %s\n", strerror(-r));
        return r;
}

int main(int argc, char **argv) {
        calculator c = { .precision = 6 };
        int r;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: calculator-service [--address ADDRESS]\n"
                       "Serve %s at %s on the session bus until SIGTERM, or with --address peer-to-peer on a\n"
                       "D-Bus server address (unix:path=..., unix:tmpdir=..., tcp:host=127.0.0.1,port=0).\n",
                       CALC_NAME, CALC_PATH);
                return 0;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);

        if (argc > 2 && strcmp(argv[1], "--address") == 0) {
                r = serve_peer_to_peer(&c, argv[2]);
                dbidl_server_unref(c.server);
                return r < 0 ? 1 : 0;
        }

        r = dbidl_bus_open_session(&c.bus);
        if (r < 0) {
                fprintf(stderr, "calculator-service: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = calc_export(c.bus, CALC_PATH, &handlers, &c, NULL);
        if (r < 0) {
                fprintf(stderr, "calculator-service: cannot export %s: %s\n", CALC_PATH, strerror(-r));
                goto out;
        }
        r = dbidl_bus_request_name(c.bus, CALC_NAME, 0);
        if (r <= 0) {
                fprintf(stderr, "calculator-service: cannot own %s: %s\n", CALC_NAME, r < 0 ? strerror(-r) : "queued");
                r = r < 0 ? r : -EEXIST;
                goto out;
        }
        printf("calculator-service: serving %s at %s\n", CALC_NAME, CALC_PATH);
        r = dbidl_bus_run(c.bus, NULL);
        if (r < 0)
                fprintf(stderr, "calculator-service: event loop failed: %s\n", strerror(-r));
out:
        sd_bus_flush_close_unref(c.bus);
        return r < 0 ? 1 : 0;
}

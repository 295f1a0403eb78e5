/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/calculator/client.c — calculator-client: calls every member of org.example.Calculator1 and checks the answers */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculator.h"

static int failures;

#define CHECK(cond, ...)                                        \
        do {                                                    \
                if (!(cond)) {                                  \
                        printf("  FAILED: " __VA_ARGS__);       \
                        printf("\n");                           \
                        failures++;                             \
                }                                               \
        } while (0)

typedef struct overflow_seen {
        bool arrived;
        int count;
        int32_t a, b;
} overflow_seen;

static void on_overflow(calc_proxy *proxy, int32_t a, int32_t b, void *userdata) {
        overflow_seen *s = userdata;
        (void) proxy;
        printf("signal Overflow(%" PRIi32 ", %" PRIi32 ")\n", a, b);
        s->arrived = true;
        s->count++;
        s->a = a;
        s->b = b;
}

typedef struct async_result {
        bool done;
        int32_t sum;
        char error[256];
} async_result;

static void on_add_done(calc_proxy *proxy, const sd_bus_error *error, int32_t sum, void *userdata) {
        async_result *res = userdata;
        (void) proxy;
        res->done = true;
        res->sum = sum;
        if (error)
                snprintf(res->error, sizeof res->error, "%s", error->name);
}

/* Process bus traffic until *flag becomes true or 5 s pass. */
static int wait_for(sd_bus *bus, const bool *flag) {
        for (int i = 0; i < 500 && !*flag; i++) {
                int r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, 10000);
                if (r < 0)
                        return r;
        }
        return *flag ? 0 : -ETIMEDOUT;
}

int main(int argc, char **argv) {
        /* calculator-client [DESTINATION] on the session bus, or calculator-client --address ADDRESS peer-to-peer */
        const char *address = argc > 2 && strcmp(argv[1], "--address") == 0 ? argv[2] : NULL;
        const char *destination = address ? NULL : argc > 1 ? argv[1] : "org.example.Calculator1";
        sd_bus *bus = NULL;
        calc_proxy *proxy = NULL;
        sd_bus_slot *slot = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        overflow_seen seen = { 0 };
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        /* a peer connection has no bus daemon and no names: the proxy's destination is NULL */
        r = address ? dbidl_bus_open_peer(address, 0, &bus) : dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "calculator-client: cannot connect to %s: %s\n", address ? address : "the session bus",
                        strerror(-r));
                return 1;
        }
        r = calc_proxy_new(bus, destination, "/org/example/Calculator1", &proxy);
        if (r < 0) {
                fprintf(stderr, "calculator-client: %s\n", strerror(-r));
                return 1;
        }
        r = calc_connect_overflow(proxy, on_overflow, &seen, &slot);
        CHECK(r >= 0, "connect Overflow: %s", strerror(-r));

        int32_t sum = 0;
        r = calc_call_add(proxy, 2, 3, &sum, 0, &error);
        printf("Add(2, 3) = %" PRIi32 "\n", sum);
        CHECK(r == 0 && sum == 5, "Add(2, 3): %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);

        double q = 0;
        r = calc_call_divide(proxy, 1, 4, &q, 0, &error);
        printf("Divide(1, 4) = %g\n", q);
        CHECK(r == 0 && q == 0.25, "Divide(1, 4): %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);

        r = calc_call_divide(proxy, 1, 0, &q, 0, &error);
        printf("Divide(1, 0) failed: %s: %s\n", error.name ? error.name : "(none)", dbidl_error_message(r, &error));
        CHECK(r < 0 && calc_error_is_division_by_zero(&error), "Divide(1, 0) must raise DivisionByZero");
        sd_bus_error_free(&error);

        double total = -1;
        r = calc_call_sum(proxy, NULL, 0, &total, 0, &error);
        printf("Sum([]) = %g\n", total);
        CHECK(r == 0 && total == 0.0, "Sum([]): %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);

        const double values[] = { 1.5, 2.5, 3 };
        r = calc_call_sum(proxy, values, 3, &total, 0, &error);
        printf("Sum([1.5, 2.5, 3]) = %g\n", total);
        CHECK(r == 0 && total == 7.0, "Sum: %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);

        char *parts[] = { (char *) "dbidl", (char *) "over", (char *) "sd-bus", NULL };
        char *joined = NULL;
        r = calc_call_concat(proxy, parts, " ", &joined, 0, &error);
        printf("Concat([dbidl, over, sd-bus], \" \") = \"%s\"\n", joined ? joined : "");
        CHECK(r == 0 && joined && strcmp(joined, "dbidl over sd-bus") == 0, "Concat: %s", dbidl_error_message(r, &error));
        free(joined);
        sd_bus_error_free(&error);

        uint32_t precision = 0;
        r = calc_get_precision(proxy, &precision, &error);
        printf("Precision = %" PRIu32 "\n", precision);
        CHECK(r == 0 && precision == 6, "Precision default: %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);

        r = calc_set_precision(proxy, 3, &error);
        CHECK(r == 0, "set Precision: %s", dbidl_error_message(r, &error));
        sd_bus_error_free(&error);
        r = calc_get_precision(proxy, &precision, &error);
        printf("Precision after set = %" PRIu32 "\n", precision);
        CHECK(r == 0 && precision == 3, "Precision read back");
        sd_bus_error_free(&error);

        r = calc_set_precision(proxy, 99, &error);
        printf("Precision = 99 refused: %s\n", error.name ? error.name : "(none)");
        CHECK(r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_INVALID_ARGS), "Precision 99 must be refused");
        sd_bus_error_free(&error);
        (void) calc_set_precision(proxy, 6, NULL);

        double last = 0;
        r = calc_get_last_result(proxy, &last, &error);
        printf("LastResult = %g\n", last);
        CHECK(r == 0 && last == 7.0, "LastResult after Sum");
        sd_bus_error_free(&error);

        r = calc_call_add(proxy, INT32_MAX, 1, &sum, 0, &error);
        printf("Add(INT32_MAX, 1) failed: %s\n", error.name ? error.name : "(none)");
        CHECK(r < 0 && calc_error_is_overflow(&error), "Add overflow must raise Overflow");
        sd_bus_error_free(&error);
        r = wait_for(bus, &seen.arrived);
        CHECK(r == 0 && seen.count == 1 && seen.a == INT32_MAX && seen.b == 1, "the Overflow signal must arrive once with (INT32_MAX, 1)");

        async_result res = { 0 };
        r = calc_async_add(proxy, 20, 22, 0, on_add_done, &res, NULL);
        CHECK(r == 0, "Add async: %s", strerror(-r));
        r = wait_for(bus, &res.done);
        printf("Add(20, 22) async = %" PRIi32 "%s%s\n", res.sum, res.error[0] ? " error " : "", res.error);
        CHECK(r == 0 && res.sum == 42 && !res.error[0], "async Add");

        r = calc_call_reset(proxy);
        CHECK(r == 0, "Reset: %s", strerror(-r));
        /* Reset has no reply: read LastResult until the reset has been handled */
        last = -1;
        for (int i = 0; i < 50 && last != 0.0; i++)
                (void) calc_get_last_result(proxy, &last, NULL);
        printf("LastResult after Reset = %g\n", last);
        CHECK(last == 0.0, "Reset must clear LastResult");

        sd_bus_slot_unref(slot);
        calc_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        printf("calculator-client: %s (%d failure%s)\n", failures ? "FAILED" : "all calls answered as expected",
               failures, failures == 1 ? "" : "s");
        return failures ? 1 : 0;
}

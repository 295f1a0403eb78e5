/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-message.c — Check tests for dbidl/message.h: string vectors read from and appended to messages */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include <dbidl/dbidl.h>

/* ---- helpers ------------------------------------------------------------- */

static sd_bus *bus;

/* One started end of a socketpair connection: enough to build messages on. */
static void bus_setup(void) {
        int fds[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_bus_new(&bus), 0);
        ck_assert_int_ge(sd_bus_set_fd(bus, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_start(bus), 0);
        close(fds[1]);
}

static void bus_teardown(void) {
        bus = sd_bus_close_unref(bus);
}

static sd_bus_message *new_message(void) {
        sd_bus_message *m = NULL;

        ck_assert_int_ge(sd_bus_message_new_signal(bus, &m, "/test", "org.example.Test", "Strv"), 0);
        return m;
}

static void seal(sd_bus_message *m) {
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, 1), 0);
}

static size_t strv_length(char **strv) {
        size_t n = 0;

        while (strv[n])
                n++;
        return n;
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(test_read_strv_empty)
{
        sd_bus_message *m = new_message();
        char **v = NULL;
        int32_t after = 0;

        ck_assert_int_ge(dbidl_message_append_strv(m, 's', NULL), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "i", 42), 0);
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, 1), "asi");
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), 0);
        /* { NULL }, never NULL */
        ck_assert_ptr_nonnull(v);
        ck_assert_ptr_null(v[0]);
        dbidl_strv_free(v);
        /* the message is past the array */
        ck_assert_int_gt(sd_bus_message_read(m, "i", &after), 0);
        ck_assert_int_eq(after, 42);
        sd_bus_message_unref(m);
}
END_TEST

START_TEST(test_read_strv_many)
{
        enum { N = 20000 };
        sd_bus_message *m = new_message();
        char **in = calloc(N + 1, sizeof(char *)), **v = NULL;
        const char *tail = NULL;

        ck_assert_ptr_nonnull(in);
        for (size_t i = 0; i < N; i++)
                ck_assert_int_ge(asprintf(&in[i], "string number %zu", i), 0);
        free(in[3]);
        in[3] = strdup(""); /* an empty string is a string */
        ck_assert_ptr_nonnull(in[3]);
        ck_assert_int_ge(dbidl_message_append_strv(m, 's', in), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "s", "tail"), 0);
        seal(m);
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), 0);
        ck_assert_uint_eq(strv_length(v), N);
        for (size_t i = 0; i < N; i++)
                ck_assert_str_eq(v[i], in[i]);
        /* copies, not pointers into the message */
        ck_assert_ptr_ne(v[0], in[0]);
        ck_assert_int_gt(sd_bus_message_read(m, "s", &tail), 0);
        ck_assert_str_eq(tail, "tail");
        dbidl_strv_free(v);
        dbidl_strv_free(in);
        sd_bus_message_unref(m);
}
END_TEST

START_TEST(test_read_strv_types)
{
        sd_bus_message *m = new_message();
        char p0[] = "/a", p1[] = "/a/b", g0[] = "a{sv}", g1[] = "", g2[] = "(ii)";
        char *paths[] = { p0, p1, NULL }, *sigs[] = { g0, g1, g2, NULL };
        char **v = NULL;

        ck_assert_int_ge(dbidl_message_append_strv(m, 'o', paths), 0);
        ck_assert_int_ge(dbidl_message_append_strv(m, 'g', sigs), 0);
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, 1), "aoag");
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), 0);
        ck_assert_uint_eq(strv_length(v), 2);
        ck_assert_str_eq(v[0], "/a");
        ck_assert_str_eq(v[1], "/a/b");
        dbidl_strv_free(v);
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), 0);
        ck_assert_uint_eq(strv_length(v), 3);
        ck_assert_str_eq(v[0], "a{sv}");
        ck_assert_str_eq(v[1], "");
        ck_assert_str_eq(v[2], "(ii)");
        dbidl_strv_free(v);
        sd_bus_message_unref(m);
}
END_TEST

START_TEST(test_read_strv_mismatch)
{
        sd_bus_message *m = new_message();
        char **v = NULL;

        ck_assert_int_ge(sd_bus_message_append(m, "aisv", 1, 7, "x", "s", "y"), 0);
        seal(m);
        /* an array of another type, a string, a variant, the end: -ENXIO, *ret untouched */
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), -ENXIO);
        ck_assert_int_ge(sd_bus_message_skip(m, "ai"), 0);
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), -ENXIO);
        ck_assert_int_ge(sd_bus_message_skip(m, "s"), 0);
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), -ENXIO);
        ck_assert_int_ge(sd_bus_message_skip(m, "v"), 0);
        ck_assert_int_eq(dbidl_message_read_strv(m, &v), -ENXIO);
        ck_assert_ptr_null(v);
        ck_assert_int_eq(dbidl_message_read_strv(NULL, &v), -EINVAL);
        ck_assert_int_eq(dbidl_message_read_strv(m, NULL), -EINVAL);
        sd_bus_message_unref(m);
}
END_TEST

static Suite *message_suite(void) {
        Suite *s = suite_create("message");
        TCase *tc = tcase_create("strv");

        tcase_add_checked_fixture(tc, bus_setup, bus_teardown);
        tcase_add_test(tc, test_read_strv_empty);
        tcase_add_test(tc, test_read_strv_many);
        tcase_add_test(tc, test_read_strv_types);
        tcase_add_test(tc, test_read_strv_mismatch);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(message_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-server-address.c — Check tests of the server address parser (runtime/server-address.c) */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "runtime/server-address.h"

/* parse `text`, expect `error`; with a message containing `needle` if error < 0 */
static void expect_error(const char *text, int error, const char *needle) {
        server_address a = { 0 };
        char *message = NULL;
        int r = server_address_parse(text, &a, &message);
        ck_assert_msg(r == error, "%s: got %d, want %d (%s)", text, r, error, message ? message : "");
        ck_assert_msg(message && strstr(message, needle), "%s: message '%s' lacks '%s'", text,
                      message ? message : "(null)", needle);
        free(message);
}

START_TEST(test_unix) {
        server_address a;
        char *message = NULL;
        ck_assert_int_eq(server_address_parse("unix:path=/run/user/1000/x", &a, &message), 0);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_UNIX_PATH);
        ck_assert_str_eq(a.path, "/run/user/1000/x");
        ck_assert_ptr_null(message);
        server_address_clear(&a);

        ck_assert_int_eq(server_address_parse("unix:path=/tmp/a%20b%2cc", &a, NULL), 0);
        ck_assert_str_eq(a.path, "/tmp/a b,c");
        server_address_clear(&a);

        ck_assert_int_eq(server_address_parse("unix:abstract=dbidl-test", &a, NULL), 0);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_UNIX_ABSTRACT);
        ck_assert_str_eq(a.path, "dbidl-test");
        server_address_clear(&a);

        ck_assert_int_eq(server_address_parse("unix:dir=/tmp", &a, NULL), 0);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_UNIX_DIR);
        server_address_clear(&a);
        ck_assert_int_eq(server_address_parse("unix:tmpdir=/tmp", &a, NULL), 0);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_UNIX_DIR);
        ck_assert_str_eq(a.path, "/tmp");
        server_address_clear(&a);
}
END_TEST

START_TEST(test_tcp) {
        server_address a;
        ck_assert_int_eq(server_address_parse("tcp:host=127.0.0.1,port=0,family=ipv4", &a, NULL), 0);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_TCP);
        ck_assert_str_eq(a.host, "127.0.0.1");
        ck_assert_ptr_null(a.bind);
        ck_assert_int_eq(a.port, 0);
        ck_assert_int_eq(a.family, AF_INET);
        server_address_clear(&a);

        ck_assert_int_eq(server_address_parse("tcp:port=65535,family=ipv6", &a, NULL), 0);
        ck_assert_str_eq(a.host, "localhost");
        ck_assert_int_eq(a.port, 65535);
        ck_assert_int_eq(a.family, AF_INET6);
        server_address_clear(&a);

        ck_assert_int_eq(server_address_parse("tcp:host=example.org,bind=127.0.0.1", &a, NULL), 0);
        ck_assert_str_eq(a.bind, "127.0.0.1");
        ck_assert_int_eq(a.family, AF_UNSPEC);
        server_address_clear(&a);
}
END_TEST

START_TEST(test_errors) {
        expect_error("", -EINVAL, "not a D-Bus address");
        expect_error("unix", -EINVAL, "not a D-Bus address");
        expect_error(":path=/x", -EINVAL, "not a D-Bus address");
        expect_error("bogus:path=/x", -EINVAL, "unknown transport 'bogus'");
        expect_error("unixexec:path=/bin/true", -EPROTONOSUPPORT, "cannot listen on transport 'unixexec'");
        expect_error("nonce-tcp:host=localhost", -EPROTONOSUPPORT, "nonce-tcp");
        expect_error("unix:", -EINVAL, "exactly one of");
        expect_error("unix:path=/a,abstract=b", -EINVAL, "exactly one of");
        expect_error("unix:pth=/x", -EINVAL, "unknown key 'pth' for unix: (expected path, abstract, dir or tmpdir)");
        expect_error("tcp:hots=x", -EINVAL, "unknown key 'hots' for tcp:");
        expect_error("unix:path=/a,path=/b", -EINVAL, "key 'path' given twice");
        expect_error("unix:path=", -EINVAL, "empty value for key 'path'");
        expect_error("unix:path", -EINVAL, "'path' is not KEY=VALUE");
        expect_error("unix:=x", -EINVAL, "empty key");
        expect_error("unix:path=/a,", -EINVAL, "trailing ','");
        expect_error("unix:path=/a;unix:path=/b", -EINVAL, "one address");
        expect_error("unix:path=/a b", -EINVAL, "byte 0x20 in the value of 'path' must be written %20");
        expect_error("unix:path=/a=b", -EINVAL, "unescaped '='");
        expect_error("unix:path=/a%2", -EINVAL, "bad %-escape");
        expect_error("unix:path=/a%zz", -EINVAL, "bad %-escape");
        expect_error("unix:path=/a%00b", -EINVAL, "%00");
        expect_error("unix:path=/a,guid=0123", -EINVAL, "guid= is for clients");
        expect_error("tcp:port=65536", -EINVAL, "port '65536'");
        expect_error("tcp:port=-1", -EINVAL, "port '-1'");
        expect_error("tcp:port=1x", -EINVAL, "port '1x'");
        expect_error("tcp:port=0000080", -EINVAL, "port '0000080'");
        expect_error("tcp:family=ipx", -EINVAL, "family 'ipx' is not ipv4 or ipv6");
}
END_TEST

START_TEST(test_untouched_on_failure) {
        server_address a = { .kind = SERVER_ADDRESS_TCP, .port = 7 };
        ck_assert_int_eq(server_address_parse("unix:path=/a,bogus=1", &a, NULL), -EINVAL);
        ck_assert_int_eq(a.kind, SERVER_ADDRESS_TCP);
        ck_assert_int_eq(a.port, 7);
        ck_assert_ptr_null(a.path);
        ck_assert_int_eq(server_address_parse(NULL, &a, NULL), -EINVAL);
}
END_TEST

START_TEST(test_escape) {
        char *e = server_address_escape("/tmp/a b,c=d;é");
        ck_assert_str_eq(e, "/tmp/a%20b%2cc%3dd%3b%c3%a9");
        server_address a;
        char *text = NULL;
        ck_assert_int_ge(asprintf(&text, "unix:path=%s", e), 0);
        ck_assert_int_eq(server_address_parse(text, &a, NULL), 0);
        ck_assert_str_eq(a.path, "/tmp/a b,c=d;é");
        server_address_clear(&a);
        free(text);
        free(e);
}
END_TEST

/* linear: a long value of escapes parses in one pass (a quadratic parser would take seconds here) */
START_TEST(test_long) {
        size_t n = 1 << 20;
        char *text = malloc(10 + 3 * n + 1);
        strcpy(text, "unix:path=");
        for (size_t i = 0; i < n; i++)
                memcpy(text + 10 + 3 * i, "%41", 3);
        text[10 + 3 * n] = '\0';
        server_address a;
        ck_assert_int_eq(server_address_parse(text, &a, NULL), 0);
        ck_assert_uint_eq(strlen(a.path), n);
        server_address_clear(&a);
        free(text);
}
END_TEST

static Suite *server_address_suite(void) {
        Suite *s = suite_create("server-address");
        TCase *tc = tcase_create("parse");
        tcase_add_test(tc, test_unix);
        tcase_add_test(tc, test_tcp);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_untouched_on_failure);
        tcase_add_test(tc, test_escape);
        tcase_add_test(tc, test_long);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(server_address_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

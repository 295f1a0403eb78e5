/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-json.c — Check tests for dbidl/json.h: every D-Bus type both ways, 64-bit extremes, errors, depth */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include <dbidl/dbidl.h>

static sd_bus *bus;

/* One started end of a socketpair connection: enough to build messages on. */
static void bus_setup(void) {
        int fds[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_bus_new(&bus), 0);
        ck_assert_int_ge(sd_bus_set_fd(bus, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_negotiate_fds(bus, 1), 0);
        ck_assert_int_ge(sd_bus_start(bus), 0);
        close(fds[1]);
}

static void bus_teardown(void) {
        bus = sd_bus_close_unref(bus);
}

static sd_bus_message *new_message(void) {
        sd_bus_message *m = NULL;

        ck_assert_int_ge(sd_bus_message_new_signal(bus, &m, "/test", "org.example.Test", "Json"), 0);
        return m;
}

static void seal(sd_bus_message *m) {
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, 1), 0);
}

/* Append `in` as the arguments `sig` (by position), read them back as JSON and compare with `out`. */
static void roundtrip_args(const char *sig, const char *const *names, const char *in, const char *out) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        char *text = NULL;
        int r;

        r = dbidl_json_append(m, sig, names, in, strlen(in), &error);
        ck_assert_msg(r == 0, "%s %s: %d %s", sig, in, r, error.message ? error.message : "");
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, true), sig);
        ck_assert_int_eq(dbidl_json_read(m, names, 0, &text), 0);
        ck_assert_str_eq(text, out);
        free(text);
        sd_bus_message_unref(m);
        sd_bus_error_free(&error);
}

/* One value of type `sig`: JSON in, JSON out. */
static void roundtrip(const char *sig, const char *in, const char *out) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        char *text = NULL;
        int r;

        r = dbidl_json_append_value(m, sig, in, strlen(in), &error);
        ck_assert_msg(r == 0, "%s %s: %d %s", sig, in, r, error.message ? error.message : "");
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, true), sig);
        ck_assert_int_eq(dbidl_json_read_value(m, 0, &text), 0);
        ck_assert_msg(strcmp(text, out) == 0, "%s %s: got %s, expected %s", sig, in, text, out);
        free(text);
        sd_bus_message_unref(m);
        sd_bus_error_free(&error);
}

static void same(const char *sig, const char *json) {
        roundtrip(sig, json, json);
}

/* Appending `in` to `sig` arguments fails with `errno_` and the error message `message`. */
static void refused_args(const char *sig, const char *const *names, const char *in, int errno_, const char *message) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        int r;

        r = dbidl_json_append(m, sig, names, in, strlen(in), &error);
        ck_assert_msg(r == errno_, "%s %s: %d, expected %d (%s)", sig, in, r, errno_,
                      error.message ? error.message : "");
        if (message) {
                ck_assert_str_eq(error.name, SD_BUS_ERROR_INVALID_ARGS);
                ck_assert_str_eq(error.message, message);
        }
        sd_bus_message_unref(m);
        sd_bus_error_free(&error);
}

static void refused(const char *sig, const char *in, int errno_, const char *message) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        int r;

        r = dbidl_json_append_value(m, sig, in, strlen(in), &error);
        ck_assert_msg(r == errno_, "%s %s: %d, expected %d (%s)", sig, in, r, errno_,
                      error.message ? error.message : "");
        if (message)
                ck_assert_str_eq(error.message, message);
        sd_bus_message_unref(m);
        sd_bus_error_free(&error);
}

START_TEST(test_integers) {
        same("y", "0");
        same("y", "255");
        same("n", "-32768");
        same("n", "32767");
        same("q", "65535");
        same("i", "-2147483648");
        same("i", "2147483647");
        same("u", "4294967295");
        same("x", "-9223372036854775808");
        same("x", "9223372036854775807");
        same("t", "18446744073709551615");
        same("t", "9007199254740993");         /* 2^53 + 1: a double would say ...992 */
        roundtrip("i", "-0", "0");
        refused("y", "256", -ENXIO, "$: expected byte, got number 256 (out of range)");
        refused("y", "-1", -ENXIO, "$: expected byte, got number -1 (out of range)");
        refused("n", "32768", -ENXIO, NULL);
        refused("i", "2147483648", -ENXIO, NULL);
        refused("u", "-1", -ENXIO, "$: expected uint32, got number -1 (out of range)");
        refused("x", "9223372036854775808", -ENXIO, NULL);
        refused("x", "-9223372036854775809", -ENXIO, NULL);
        refused("t", "18446744073709551616", -ENXIO, "$: expected uint64, got number 18446744073709551616 (out of range)");
        refused("u", "1.5", -ENXIO, "$: expected uint32, got number 1.5 (not an integer)");
        refused("u", "1e3", -ENXIO, NULL);
        refused("u", "\"5\"", -ENXIO, "$: expected uint32, got string \"5\"");
        refused("i", "true", -ENXIO, "$: expected int32, got boolean true");
        refused("i", "null", -ENXIO, "$: expected int32, got null");
}
END_TEST

START_TEST(test_doubles) {
        same("d", "0.1");
        same("d", "1.0");
        same("d", "-2.5");
        same("d", "1.7976931348623157e+308");
        same("d", "4.94065645841247e-324");     /* the shortest of %.15g..%.17g that reads back */
        same("d", "0.30000000000000004");
        same("d", "\"NaN\"");
        same("d", "\"Infinity\"");
        same("d", "\"-Infinity\"");
        roundtrip("d", "3", "3.0");
        roundtrip("d", "1e2", "100.0");
        refused("d", "1e999", -ENXIO, "$: expected double, got number 1e999 (out of range)");
        refused("d", "\"1.5\"", -ENXIO, NULL);
}
END_TEST

START_TEST(test_doubles_locale) {
        /* a decimal comma in the program's locale changes nothing, if the machine has one */
        if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
                return;
        same("d", "0.5");
        same("d", "1.0e-300");
        setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_strings) {
        same("b", "true");
        same("b", "false");
        same("s", "\"\"");
        roundtrip("s", "\"h\\u00e9llo \\\"quoted\\\" \\\\ \\n\\t \\/\"", "\"h\xc3\xa9llo \\\"quoted\\\" \\\\ \\n\\t /\"");
        roundtrip("s", "\"\\u00e9\"", "\"\xc3\xa9\"");
        same("s", "\"\xe2\x82\xac \xf0\x9f\x98\x80\"");
        same("o", "\"/\"");
        same("o", "\"/org/example/Obj_1\"");
        same("g", "\"a{sv}(ii)\"");
        same("g", "\"\"");
        refused("s", "\"a\\u0000b\"", -ENXIO, "$: expected string, got string \"a\\u0000b\" (holds a NUL)");
        refused("o", "\"/a/\"", -ENXIO, "$: expected object path, got string \"/a/\" (not a valid object path)");
        refused("o", "\"a\"", -ENXIO, NULL);
        refused("o", "\"/a//b\"", -ENXIO, NULL);
        refused("g", "\"a\"", -ENXIO, "$: expected signature, got string \"a\" (not a valid signature)");
        refused("b", "1", -ENXIO, "$: expected boolean, got number 1");
        refused("s", "5", -ENXIO, "$: expected string, got number 5");
        /* not UTF-8: yajl refuses the document */
        refused("s", "\"\xff\"", -EBADMSG, NULL);
}
END_TEST

START_TEST(test_arrays) {
        same("ay", "[]");
        same("ay", "[0,1,255]");
        roundtrip("ay", "\"AAH/\"", "[0,1,255]");
        roundtrip("ay", "\"aGVsbG8=\"", "[104,101,108,108,111]");
        roundtrip("ay", "\"aGVsbG8\"", "[104,101,108,108,111]");
        roundtrip("ay", "\"\"", "[]");
        refused("ay", "\"a\"", -ENXIO, "$: expected array \"ay\", got string \"a\" (neither an array of numbers nor base64)");
        refused("ay", "\"a*bc\"", -ENXIO, NULL);
        refused("ay", "[1,256]", -ENXIO, "$[1]: expected byte, got number 256 (out of range)");
        same("an", "[-1,2]");
        same("aq", "[65535]");
        same("ai", "[1,-2,3]");
        same("au", "[4294967295]");
        same("ax", "[-9223372036854775808,9223372036854775807]");
        same("at", "[18446744073709551615,0]");
        same("ad", "[0.5,-1e-10,\"NaN\"]");
        same("ab", "[true,false]");
        same("as", "[\"a\",\"b\"]");
        same("ao", "[\"/a\",\"/b/c\"]");
        same("ag", "[\"s\",\"a{sv}\"]");
        same("aai", "[[],[1],[2,3]]");
        same("av", "[]");
        refused("as", "{}", -ENXIO, "$: expected array \"as\", got object");
        refused("as", "[\"a\",1]", -ENXIO, "$[1]: expected string, got number 1");
}
END_TEST

START_TEST(test_structs) {
        same("(i)", "[1]");
        same("(isd)", "[1,\"x\",2.5]");
        same("a(isd)", "[[1,\"x\",2.5],[-1,\"\",0.0]]");
        same("((ii)(ss))", "[[1,2],[\"a\",\"b\"]]");
        refused("(is)", "[1]", -ENXIO, "$: expected struct \"(is)\", got array of 1 (a struct of 2 members)");
        refused("(is)", "[1,2]", -ENXIO, "$[1]: expected string, got number 2");
        refused("(is)", "{\"a\":1}", -ENXIO, NULL);
}
END_TEST

START_TEST(test_dicts) {
        same("a{ss}", "{}");
        same("a{ss}", "{\"a\":\"b\",\"c d\":\"e\"}");
        same("a{os}", "{\"/a\":\"b\"}");
        same("a{gs}", "{\"ai\":\"b\"}");
        same("a{sa{si}}", "{\"a\":{\"b\":1}}");
        /* other keys: pairs out, pairs or objects in */
        same("a{is}", "[]");
        same("a{is}", "[[1,\"a\"],[-2,\"b\"]]");
        roundtrip("a{is}", "{\"1\":\"a\",\"-2\":\"b\"}", "[[1,\"a\"],[-2,\"b\"]]");
        same("a{tb}", "[[18446744073709551615,true]]");
        roundtrip("a{bi}", "{\"true\":1}", "[[true,1]]");
        roundtrip("a{ss}", "[[\"a\",\"b\"]]", "{\"a\":\"b\"}");
        refused("a{is}", "{\"x\":\"a\"}", -ENXIO, "$.x: expected int32, got string \"x\" (as a dict key)");
        refused("a{is}", "{\"1.5\":\"a\"}", -ENXIO, NULL);
        refused("a{is}", "[[1]]", -ENXIO, "$[0]: expected a [key, value] pair of dict \"a{is}\", got array of 1");
        refused("a{si}", "{\"a\":\"b\"}", -ENXIO, "$.a: expected int32, got string \"b\"");
        refused("a{si}", "{\"a b\":\"b\"}", -ENXIO, "$[\"a b\"]: expected int32, got string \"b\"");
}
END_TEST

START_TEST(test_variants) {
        same("v", "{\"type\":\"s\",\"data\":\"x\"}");
        same("v", "{\"type\":\"t\",\"data\":18446744073709551615}");
        same("v", "{\"type\":\"v\",\"data\":{\"type\":\"v\",\"data\":{\"type\":\"ai\",\"data\":[1]}}}");
        same("a{sv}", "{\"a\":{\"type\":\"(ii)\",\"data\":[1,2]},\"b\":{\"type\":\"as\",\"data\":[]}}");
        roundtrip("v", "{\"data\":5,\"type\":\"q\"}", "{\"type\":\"q\",\"data\":5}");
        /* plain values: inferred */
        roundtrip("v", "\"x\"", "{\"type\":\"s\",\"data\":\"x\"}");
        roundtrip("v", "true", "{\"type\":\"b\",\"data\":true}");
        roundtrip("v", "5", "{\"type\":\"i\",\"data\":5}");
        roundtrip("v", "-2147483649", "{\"type\":\"x\",\"data\":-2147483649}");
        roundtrip("v", "18446744073709551615", "{\"type\":\"t\",\"data\":18446744073709551615}");
        roundtrip("v", "0.5", "{\"type\":\"d\",\"data\":0.5}");
        roundtrip("v", "[\"a\"]", "{\"type\":\"as\",\"data\":[\"a\"]}");
        roundtrip("v", "[1,\"a\"]",
                  "{\"type\":\"av\",\"data\":[{\"type\":\"i\",\"data\":1},{\"type\":\"s\",\"data\":\"a\"}]}");
        roundtrip("a{sv}", "{\"timeout\":5,\"name\":\"x\"}",
                  "{\"timeout\":{\"type\":\"i\",\"data\":5},\"name\":{\"type\":\"s\",\"data\":\"x\"}}");
        roundtrip("v", "{\"k\":1}", "{\"type\":\"a{sv}\",\"data\":{\"k\":{\"type\":\"i\",\"data\":1}}}");
        refused("v", "null", -ENXIO, "$: expected variant, got null (give {\"type\": SIGNATURE, \"data\": VALUE})");
        refused("v", "{\"type\":\"ii\",\"data\":1}", -ENXIO,
                "$.type: expected signature, got string \"ii\" (a single complete type)");
        refused("a{sv}", "{\"options\":{\"type\":\"u\",\"data\":\"5\"}}", -ENXIO,
                "$.options.data: expected uint32, got string \"5\"");
}
END_TEST

START_TEST(test_fds) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        char json[64];
        int fd, got = -1;

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        snprintf(json, sizeof(json), "[%d, \"/dev/null\"]", fd);
        ck_assert_int_eq(dbidl_json_append(m, "hh", NULL, json, strlen(json), &error), 0);
        seal(m);
        ck_assert_int_eq(sd_bus_message_read(m, "h", &got), 1);
        ck_assert_int_ne(got, fd);              /* the message holds its own duplicate */
        sd_bus_message_unref(m);
        close(fd);

        refused("h", "\"/nonexistent/file\"", -ENOENT, "$: cannot open \"/nonexistent/file\" for an fd: No such file or directory");
        refused("h", "999999", -EBADF, "$: fd 999999 is not open in this process");
        refused("h", "-1", -ENXIO, NULL);
        sd_bus_error_free(&error);
}
END_TEST

START_TEST(test_arguments) {
        static const char *const names[] = { "name", "options", "flags", NULL };

        roundtrip_args("", NULL, "[]", "[]");
        roundtrip_args("", names, "{}", "{}");
        roundtrip_args("sa{sv}u", NULL, "[\"x\",{},7]", "[\"x\",{},7]");
        roundtrip_args("sa{sv}u", names, "{\"flags\":7,\"name\":\"x\",\"options\":{}}",
                       "{\"name\":\"x\",\"options\":{},\"flags\":7}");
        roundtrip_args("sa{sv}u", names, "[\"x\",{},7]", "{\"name\":\"x\",\"options\":{},\"flags\":7}");
        refused_args("sa{sv}u", names, "{\"name\":\"x\",\"options\":{\"timeout\":{\"type\":\"u\",\"data\":\"5\"}},\"flags\":1}",
                     -ENXIO, "$.options.timeout.data: expected uint32, got string \"5\"");
        refused_args("sa{sv}u", names, "{\"name\":\"x\",\"flags\":1}", -ENXIO,
                     "$: missing argument \"options\" (dict \"a{sv}\")");
        refused_args("sa{sv}u", names, "{\"name\":\"x\",\"flag\":1}", -ENXIO,
                     "$.flag: unknown argument (the arguments are: name, options, flags)");
        refused_args("sa{sv}u", names, "{\"name\":\"x\",\"name\":\"y\",\"options\":{},\"flags\":1}", -ENXIO,
                     "$.name: argument given twice");
        refused_args("su", NULL, "[\"x\"]", -ENXIO, "$: expected 2 arguments (\"su\"), got 1");
        refused_args("su", NULL, "{\"a\":1}", -ENXIO,
                     "$: arguments without names are given as an array by position, got an object");
        refused_args("su", NULL, "\"x\"", -ENXIO, "$: expected the arguments as an array, got string \"x\"");
        refused_args("su", NULL, "[\"x\", 1", -EBADMSG, NULL);
        refused_args("su", NULL, "[\"x\", 1] [", -EBADMSG, NULL);
        refused_args("su", NULL, "", -EBADMSG, "$: not JSON: empty document");
        refused_args("s(", NULL, "[]", -EINVAL, NULL);
}
END_TEST

START_TEST(test_depth) {
        char json[2 * 100 + 1];
        char sig[70];
        sd_bus_message *m;
        char *text = NULL;

        /* 65 arrays deep: JSON too deep for any D-Bus value, refused while parsing */
        for (int k = 0; k < 100; k++) {
                json[k] = '[';
                json[199 - k] = ']';
        }
        json[200] = 0;
        refused("av", json, -EBADMSG, "$: JSON nested deeper than 64 levels (at byte 65)");

        /* 40 variants in variants: fine for JSON (nested 40 objects), refused past 64 D-Bus containers when inferred */
        same("v", "{\"type\":\"v\",\"data\":{\"type\":\"v\",\"data\":{\"type\":\"i\",\"data\":1}}}");
        {
                /* a{sv} objects inferred: each JSON level is three D-Bus containers */
                char deep[400] = "";
                for (int k = 0; k < 30; k++)
                        strcat(deep, "{\"a\":");
                strcat(deep, "1");
                for (int k = 0; k < 30; k++)
                        strcat(deep, "}");
                refused("a{sv}", deep, -ELOOP, NULL);
        }

        /* 32 nested arrays of int32: the deepest signature D-Bus allows, both ways */
        memset(sig, 'a', 32);
        strcpy(sig + 32, "i");
        for (int k = 0; k < 32; k++) {
                json[k] = '[';
                json[32 + k] = ']';
        }
        json[64] = 0;
        m = new_message();
        ck_assert_int_eq(dbidl_json_append_value(m, sig, json, strlen(json), NULL), 0);
        seal(m);
        ck_assert_int_eq(dbidl_json_read_value(m, 0, &text), 0);
        ck_assert_str_eq(text, json);
        free(text);
        sd_bus_message_unref(m);
}
END_TEST

START_TEST(test_pretty_and_names) {
        static const char *const names[] = { "a", NULL };
        sd_bus_message *m = new_message();
        char *text = NULL;

        ck_assert_int_ge(sd_bus_message_append(m, "sis", "x", 1, "z"), 0);
        seal(m);
        ck_assert_int_eq(dbidl_json_read(m, names, DBIDL_JSON_PRETTY, &text), 0);
        ck_assert_str_eq(text, "{\n  \"a\": \"x\",\n  \"arg1\": 1,\n  \"arg2\": \"z\"\n}");
        free(text);
        ck_assert_int_eq(dbidl_json_read_value(m, 0, &text), -ENXIO);   /* at the end */
        ck_assert_int_eq(dbidl_json_read(m, NULL, 2, &text), -EINVAL);
        sd_bus_message_unref(m);
}
END_TEST

/* Arguments typed by a signature with field names: JSON in, the message's plain signature, JSON out. */
static void roundtrip_typed(const char *sig, const char *plain, const char *const *names, const char *in,
                            const char *out) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = new_message();
        char *text = NULL;
        int r;

        r = dbidl_json_append(m, sig, names, in, strlen(in), &error);
        ck_assert_msg(r == 0, "%s %s: %d %s", sig, in, r, error.message ? error.message : "");
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, true), plain);
        ck_assert_int_eq(dbidl_json_read_typed(m, sig, names, 0, &text), 0);
        ck_assert_msg(strcmp(text, out) == 0, "%s %s: got %s, expected %s", sig, in, text, out);
        free(text);
        /* the same message without the names: arrays */
        ck_assert_int_ge(sd_bus_message_rewind(m, true), 0);
        ck_assert_int_eq(dbidl_json_read(m, names, 0, &text), 0);
        free(text);
        sd_bus_message_unref(m);
        sd_bus_error_free(&error);
}

START_TEST(test_struct_fields) {
        static const char *const names[] = { "items", "when" };
        sd_bus_message *m;
        char *text = NULL;

        /* an object or an array on input, an object on output */
        roundtrip_typed("a(<id>i<label>s<score>d)(<sec>x<nsec>u)", "a(isd)(xu)", names,
                        "{\"items\": [{\"label\": \"a\", \"id\": 1, \"score\": 0.5}, [2, \"b\", 1]],"
                        " \"when\": [5, 6]}",
                        "{\"items\":[{\"id\":1,\"label\":\"a\",\"score\":0.5},{\"id\":2,\"label\":\"b\","
                        "\"score\":1.0}],\"when\":{\"sec\":5,\"nsec\":6}}");
        /* nested named structs, in a dict's values; an anonymous struct inside keeps the array */
        roundtrip_typed("a{s(<p>(<x>i<y>i)<q>(ii))}", "a{s((ii)(ii))}", NULL,
                        "[{\"k\": {\"p\": {\"x\": 1, \"y\": 2}, \"q\": [3, 4]}}]",
                        "[{\"k\":{\"p\":{\"x\":1,\"y\":2},\"q\":[3,4]}}]");
        /* inside a variant the names do not apply */
        roundtrip_typed("(<v>v)", "(v)", NULL, "[{\"v\": {\"type\": \"(i)\", \"data\": [1]}}]",
                        "[{\"v\":{\"type\":\"(i)\",\"data\":[1]}}]");

        /* errors name the field */
        refused_args("(<id>i<label>s)", NULL, "[{\"id\": 1}]", -ENXIO,
                     "$[0]: missing field \"label\" (string) of struct \"(is)\"");
        refused_args("(<id>i<label>s)", NULL, "[{\"id\": 1, \"label\": \"x\", \"extra\": 2}]", -ENXIO,
                     "$[0].extra: unknown field of struct \"(is)\" (the fields are: id, label)");
        refused_args("(<id>i<label>s)", NULL, "[{\"id\": 1, \"id\": 2, \"label\": \"x\"}]", -ENXIO,
                     "$[0].id: field given twice");
        refused_args("(<id>i<label>s)", NULL, "[{\"id\": \"1\", \"label\": \"x\"}]", -ENXIO,
                     "$[0].id: expected int32, got string \"1\"");
        refused_args("(<id>i)", NULL, "[{}]", -ENXIO, "$[0]: missing field \"id\" (int32) of struct \"(i)\"");
        /* an anonymous struct is not an object */
        refused_args("(i)", NULL, "[{\"0\": 1}]", -ENXIO, NULL);

        /* misplaced, partial, repeated and malformed names */
        refused_args("<a>i", NULL, "[1]", -EINVAL, NULL);
        refused_args("a{<k>s<v>i}", NULL, "[{}]", -EINVAL, NULL);
        refused_args("(<a>ii)", NULL, "[[1, 2]]", -EINVAL, NULL);
        refused_args("(<a>i<a>i)", NULL, "[[1, 2]]", -EINVAL, NULL);
        refused_args("(<1a>i)", NULL, "[[1]]", -EINVAL, NULL);
        refused_args("(<a>i<>i)", NULL, "[[1, 2]]", -EINVAL, NULL);
        refused_args("(<a><b>i)", NULL, "[[1]]", -EINVAL, NULL);
        refused_args("(<a>i", NULL, "[[1]]", -EINVAL, NULL);
        refused_args("(i<a>)", NULL, "[[1]]", -EINVAL, NULL);

        /* read_typed refuses a message of another signature; read_value_typed reads one value */
        m = new_message();
        ck_assert_int_ge(sd_bus_message_append(m, "(is)i", 7, "x", 3), 0);
        seal(m);
        ck_assert_int_eq(dbidl_json_read_typed(m, "(<a>i<b>s)", NULL, 0, &text), -ENXIO);
        ck_assert_int_eq(dbidl_json_read_typed(m, "(<a>i<b>s", NULL, 0, &text), -EINVAL);
        ck_assert_int_ge(sd_bus_message_rewind(m, true), 0);
        ck_assert_int_eq(dbidl_json_read_value_typed(m, "(<a>i<b>s)", 0, &text), 0);
        ck_assert_str_eq(text, "{\"a\":7,\"b\":\"x\"}");
        free(text);
        ck_assert_int_eq(dbidl_json_read_value_typed(m, "u", 0, &text), -ENXIO);
        ck_assert_int_eq(dbidl_json_read_value_typed(m, "i", 0, &text), 0);
        ck_assert_str_eq(text, "3");
        free(text);
        ck_assert_int_eq(dbidl_json_read_value_typed(m, "i", 0, &text), -ENXIO);
        sd_bus_message_unref(m);
}
END_TEST

START_TEST(test_large) {
        /* a(isd) of 20000 elements: linear, and the same text back */
        size_t n = 20000, len = 0;
        char *json = malloc(n * 40 + 3), *text = NULL;
        sd_bus_message *m = new_message();

        json[len++] = '[';
        for (size_t k = 0; k < n; k++)
                len += (size_t) sprintf(json + len, "%s[%zu,\"s%zu\",%zu.5]", k ? "," : "", k, k, k);
        json[len++] = ']';
        json[len] = 0;
        ck_assert_int_eq(dbidl_json_append_value(m, "a(isd)", json, len, NULL), 0);
        seal(m);
        ck_assert_int_eq(dbidl_json_read_value(m, 0, &text), 0);
        ck_assert_str_eq(text, json);
        free(text);
        free(json);
        sd_bus_message_unref(m);
}
END_TEST

static Suite *json_suite(void) {
        Suite *s = suite_create("json");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, bus_setup, bus_teardown);
        tcase_add_test(tc, test_integers);
        tcase_add_test(tc, test_doubles);
        tcase_add_test(tc, test_doubles_locale);
        tcase_add_test(tc, test_strings);
        tcase_add_test(tc, test_arrays);
        tcase_add_test(tc, test_structs);
        tcase_add_test(tc, test_dicts);
        tcase_add_test(tc, test_variants);
        tcase_add_test(tc, test_fds);
        tcase_add_test(tc, test_arguments);
        tcase_add_test(tc, test_depth);
        tcase_add_test(tc, test_pretty_and_names);
        tcase_add_test(tc, test_struct_fields);
        tcase_add_test(tc, test_large);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(json_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-bus.c — Check tests for connections, name requests, the event loop runner and error helpers */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <dbidl/dbidl.h>

/* ---- a private dbus-daemon ------------------------------------------------ */

static pid_t daemon_pid = -1;
static char daemon_address[1024];

/*
 * Start `dbus-daemon --session` on a fresh socket and read its address.  A
 * missing dbus-daemon makes the test fail: there is nothing to skip to.
 */
static void daemon_start(void) {
        int pipefd[2];
        size_t len = 0;

        ck_assert_int_eq(pipe(pipefd), 0);
        ck_assert_int_eq(fcntl(pipefd[0], F_SETFD, FD_CLOEXEC), 0);
        ck_assert_int_eq(fcntl(pipefd[1], F_SETFD, FD_CLOEXEC), 0);

        daemon_pid = fork();
        ck_assert_int_ge(daemon_pid, 0);
        if (daemon_pid == 0) {
                char arg[64];
                int fd = dup(pipefd[1]);        /* without CLOEXEC, for the daemon */

                if (fd < 0)
                        _exit(127);
                snprintf(arg, sizeof(arg), "--print-address=%d", fd);
                execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork", "--nopidfile",
                       "--address=unix:tmpdir=/tmp", arg, (char *) NULL);
                _exit(127);
        }
        close(pipefd[1]);

        while (len + 1 < sizeof(daemon_address)) {
                struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
                ssize_t n;

                ck_assert_msg(poll(&p, 1, 10 * 1000) == 1, "dbus-daemon did not print its address");
                n = read(pipefd[0], daemon_address + len, sizeof(daemon_address) - 1 - len);
                ck_assert_msg(n > 0, "dbus-daemon could not be started (is it installed?)");
                len += (size_t) n;
                daemon_address[len] = 0;
                if (strchr(daemon_address, '\n'))
                        break;
        }
        close(pipefd[0]);
        ck_assert_ptr_nonnull(strchr(daemon_address, '\n'));
        *strchr(daemon_address, '\n') = 0;
        ck_assert_msg(strncmp(daemon_address, "unix:", 5) == 0, "odd address '%s'", daemon_address);
}

static void daemon_stop(void) {
        if (daemon_pid > 0) {
                kill(daemon_pid, SIGTERM);
                waitpid(daemon_pid, NULL, 0);
                daemon_pid = -1;
        }
}

/* ---- connections --------------------------------------------------------- */

START_TEST(test_open_address)
{
        sd_bus *bus = NULL;
        const char *unique = NULL;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &bus), 0);
        ck_assert_ptr_nonnull(bus);
        ck_assert_int_ge(sd_bus_get_unique_name(bus, &unique), 0);     /* Hello was answered */
        ck_assert_int_eq(unique[0], ':');
        ck_assert_int_gt(sd_bus_is_bus_client(bus), 0);
        ck_assert_ptr_null(sd_bus_get_event(bus));
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_open_address_failures)
{
        sd_bus *bus = (sd_bus *) 0x1;

        ck_assert_int_eq(dbidl_bus_open_address(NULL, &bus), -EINVAL);
        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, NULL), -EINVAL);
        ck_assert_int_lt(dbidl_bus_open_address("unix:path=/nonexistent/dbidl/socket", &bus), 0);
        ck_assert_ptr_eq(bus, (sd_bus *) 0x1);
}
END_TEST

START_TEST(test_open_session_and_system)
{
        sd_bus *bus = NULL;
        const char *unique = NULL;
        char *saved_session = getenv("DBUS_SESSION_BUS_ADDRESS"), *saved_system = getenv("DBUS_SYSTEM_BUS_ADDRESS");

        saved_session = saved_session ? strdup(saved_session) : NULL;
        saved_system = saved_system ? strdup(saved_system) : NULL;

        ck_assert_int_eq(setenv("DBUS_SESSION_BUS_ADDRESS", daemon_address, 1), 0);
        ck_assert_int_eq(dbidl_bus_open_session(&bus), 0);
        ck_assert_int_ge(sd_bus_get_unique_name(bus, &unique), 0);
        ck_assert_int_eq(unique[0], ':');
        bus = sd_bus_flush_close_unref(bus);

        ck_assert_int_eq(setenv("DBUS_SYSTEM_BUS_ADDRESS", daemon_address, 1), 0);
        ck_assert_int_eq(dbidl_bus_open_system(&bus), 0);
        ck_assert_int_ge(sd_bus_get_unique_name(bus, &unique), 0);
        bus = sd_bus_flush_close_unref(bus);

        ck_assert_int_eq(setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dbidl/socket", 1), 0);
        ck_assert_int_lt(dbidl_bus_open_session(&bus), 0);
        ck_assert_ptr_null(bus);

        ck_assert_int_eq(dbidl_bus_open_session(NULL), -EINVAL);
        ck_assert_int_eq(dbidl_bus_open_system(NULL), -EINVAL);

        if (saved_session)
                setenv("DBUS_SESSION_BUS_ADDRESS", saved_session, 1);
        else
                unsetenv("DBUS_SESSION_BUS_ADDRESS");
        if (saved_system)
                setenv("DBUS_SYSTEM_BUS_ADDRESS", saved_system, 1);
        else
                unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
        free(saved_session);
        free(saved_system);
}
END_TEST

START_TEST(test_request_name)
{
        sd_bus *a = NULL, *b = NULL;
        const char *owner = NULL;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &a), 0);
        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &b), 0);

        ck_assert_int_eq(dbidl_bus_request_name(a, "org.example.DbidlTest", 0), 1);
        /* already ours: still success */
        ck_assert_int_eq(dbidl_bus_request_name(a, "org.example.DbidlTest", 0), 1);
        /* taken, not queueing */
        ck_assert_int_eq(dbidl_bus_request_name(b, "org.example.DbidlTest", 0), -EEXIST);
        /* taken, queueing */
        ck_assert_int_eq(dbidl_bus_request_name(b, "org.example.DbidlTest", SD_BUS_NAME_QUEUE), 0);

        {
                sd_bus_creds *c = NULL;
                const char *ua = NULL;

                ck_assert_int_ge(sd_bus_get_name_creds(b, "org.example.DbidlTest", SD_BUS_CREDS_UNIQUE_NAME, &c), 0);
                ck_assert_int_ge(sd_bus_creds_get_unique_name(c, &owner), 0);
                ck_assert_int_ge(sd_bus_get_unique_name(a, &ua), 0);
                ck_assert_str_eq(owner, ua);
                sd_bus_creds_unref(c);
        }

        /* replacement, when the owner allows it */
        ck_assert_int_eq(dbidl_bus_request_name(a, "org.example.Replaceable", SD_BUS_NAME_ALLOW_REPLACEMENT), 1);
        ck_assert_int_eq(dbidl_bus_request_name(b, "org.example.Replaceable", SD_BUS_NAME_REPLACE_EXISTING), 1);

        ck_assert_int_eq(dbidl_bus_request_name(a, "not a name", 0), -EINVAL);
        ck_assert_int_eq(dbidl_bus_request_name(a, ":1.99", 0), -EINVAL);
        ck_assert_int_eq(dbidl_bus_request_name(a, NULL, 0), -EINVAL);
        ck_assert_int_eq(dbidl_bus_request_name(NULL, "org.example.X", 0), -EINVAL);

        sd_bus_flush_close_unref(a);
        sd_bus_flush_close_unref(b);
}
END_TEST

/* ---- the loop ------------------------------------------------------------ */

static int exit_with_42(sd_event_source *s, void *userdata) {
        return sd_event_exit(sd_event_source_get_event(s), 42);
}

static int send_sigterm(sd_event_source *s, void *userdata) {
        return kill(getpid(), SIGTERM) < 0 ? -errno : 0;
}

static int on_ping_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        int *replies = userdata;

        ck_assert(!sd_bus_message_is_method_error(reply, NULL));
        (*replies)++;
        return sd_event_exit(sd_bus_get_event(sd_bus_message_get_bus(reply)), 7);
}

START_TEST(test_run_exit_code)
{
        sd_bus *bus = NULL;
        sd_event *e = NULL;
        sd_event_source *s = NULL;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &bus), 0);
        ck_assert_int_ge(sd_event_new(&e), 0);
        ck_assert_int_ge(sd_event_add_defer(e, &s, exit_with_42, NULL), 0);

        ck_assert_int_eq(dbidl_bus_run(bus, e), 42);
        /* the bus was attached for the run only */
        ck_assert_ptr_null(sd_bus_get_event(bus));

        sd_event_source_unref(s);
        sd_event_unref(e);
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_run_serves_bus)
{
        sd_bus *server = NULL, *client = NULL;
        sd_event *e = NULL;
        const char *unique = NULL;
        int replies = 0;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &server), 0);
        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &client), 0);
        ck_assert_int_ge(sd_bus_get_unique_name(server, &unique), 0);
        ck_assert_int_ge(sd_event_new(&e), 0);
        ck_assert_int_ge(sd_bus_attach_event(client, e, SD_EVENT_PRIORITY_NORMAL), 0);
        /* Peer.Ping is answered by sd-bus itself, once the server's loop dispatches it */
        ck_assert_int_ge(sd_bus_call_method_async(client, NULL, unique, "/", "org.freedesktop.DBus.Peer", "Ping",
                                                  on_ping_reply, &replies, ""), 0);

        ck_assert_int_eq(dbidl_bus_run(server, e), 7);
        ck_assert_int_eq(replies, 1);

        sd_bus_detach_event(client);
        sd_event_unref(e);
        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}
END_TEST

START_TEST(test_run_sigterm_default_loop)
{
        sd_bus *bus = NULL;
        sd_event *e = NULL;
        sd_event_source *s = NULL;
        sigset_t mask, pending;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &bus), 0);
        ck_assert_int_ge(sd_event_default(&e), 0);
        ck_assert_int_ge(sd_event_add_defer(e, &s, send_sigterm, NULL), 0);
        ck_assert_int_ge(sd_event_source_set_enabled(s, SD_EVENT_ONESHOT), 0);

        /* NULL: the thread's default loop, where the defer source waits */
        ck_assert_int_eq(dbidl_bus_run(bus, NULL), 0);
        ck_assert_ptr_null(sd_bus_get_event(bus));

        /* the signal was consumed by the loop and the mask is as before */
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
        ck_assert(!sigismember(&mask, SIGTERM));
        ck_assert(!sigismember(&mask, SIGINT));
        ck_assert_int_eq(sigpending(&pending), 0);
        ck_assert(!sigismember(&pending, SIGTERM));

        sd_event_source_unref(s);
        sd_event_unref(e);
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_run_busy)
{
        sd_bus *bus = NULL;
        sd_event *mine = NULL, *other = NULL;

        ck_assert_int_eq(dbidl_bus_open_address(daemon_address, &bus), 0);
        ck_assert_int_ge(sd_event_new(&mine), 0);
        ck_assert_int_ge(sd_event_new(&other), 0);
        ck_assert_int_ge(sd_bus_attach_event(bus, mine, SD_EVENT_PRIORITY_NORMAL), 0);

        ck_assert_int_eq(dbidl_bus_run(bus, other), -EBUSY);
        ck_assert_int_eq(dbidl_bus_run(NULL, other), -EINVAL);
        /* an attachment made by the caller is left alone */
        ck_assert_ptr_eq(sd_bus_get_event(bus), mine);

        sd_bus_detach_event(bus);
        sd_event_unref(mine);
        sd_event_unref(other);
        sd_bus_flush_close_unref(bus);
}
END_TEST

/* ---- errors and version -------------------------------------------------- */

START_TEST(test_error_set)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        ck_assert_int_eq(dbidl_error_set(&e, SD_BUS_ERROR_ACCESS_DENIED, "no %s for %d", "entry", 5), -EACCES);
        ck_assert_str_eq(e.name, SD_BUS_ERROR_ACCESS_DENIED);
        ck_assert_str_eq(e.message, "no entry for 5");
        ck_assert_str_eq(dbidl_error_message(-EACCES, &e), "no entry for 5");
        /* an error that is already set is not overwritten */
        ck_assert_int_eq(dbidl_error_set(&e, SD_BUS_ERROR_FAILED, "again"), -EINVAL);
        ck_assert_str_eq(e.name, SD_BUS_ERROR_ACCESS_DENIED);
        sd_bus_error_free(&e);

        /* unknown names map to -EIO; the name is kept */
        ck_assert_int_eq(dbidl_error_set(&e, "org.example.Calc.Error.DivByZero", "x"), -EIO);
        ck_assert_str_eq(e.name, "org.example.Calc.Error.DivByZero");
        sd_bus_error_free(&e);

        /* no message */
        ck_assert_int_eq(dbidl_error_set(&e, SD_BUS_ERROR_NO_MEMORY, NULL), -ENOMEM);
        ck_assert_str_eq(dbidl_error_message(-ENOMEM, &e), SD_BUS_ERROR_NO_MEMORY);
        sd_bus_error_free(&e);

        /* no error object: only the errno */
        ck_assert_int_eq(dbidl_error_set(NULL, SD_BUS_ERROR_FILE_NOT_FOUND, "gone"), -ENOENT);
        ck_assert_int_eq(dbidl_error_set(NULL, "org.example.Unknown", "x"), -EIO);

        /* bad names */
        ck_assert_int_eq(dbidl_error_set(&e, NULL, "x"), -EINVAL);
        ck_assert_int_eq(dbidl_error_set(&e, "nodots", "x"), -EINVAL);
        ck_assert_int_eq(dbidl_error_set(&e, "a..b", "x"), -EINVAL);
        ck_assert_int_eq(dbidl_error_set(&e, "a.1b", "x"), -EINVAL);
        ck_assert_int_eq(dbidl_error_set(&e, "a.b.", "x"), -EINVAL);
        ck_assert_int_eq(dbidl_error_set(NULL, "a-b.c", "x"), -EINVAL);
        ck_assert(!sd_bus_error_is_set(&e));

        ck_assert_int_eq(dbidl_error_invalid_args(&e, "bad %s", "arg"), -EINVAL);
        ck_assert_str_eq(e.name, SD_BUS_ERROR_INVALID_ARGS);
        ck_assert_str_eq(e.message, "bad arg");
        sd_bus_error_free(&e);
        ck_assert_int_eq(dbidl_error_invalid_args(NULL, "bad"), -EINVAL);
}
END_TEST

START_TEST(test_error_message)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        ck_assert_str_eq(dbidl_error_message(-ENOENT, NULL), strerror(ENOENT));
        ck_assert_str_eq(dbidl_error_message(-ECONNREFUSED, &e), strerror(ECONNREFUSED));
        ck_assert_int_lt(sd_bus_error_set(&e, "org.example.Error.Thing", "it broke"), 0);
        ck_assert_str_eq(dbidl_error_message(-EIO, &e), "it broke");
        sd_bus_error_free(&e);
}
END_TEST

START_TEST(test_version)
{
        ck_assert_ptr_nonnull(dbidl_version());
        ck_assert_str_eq(dbidl_version(), PACKAGE_VERSION);
}
END_TEST

static Suite *bus_suite(void) {
        Suite *s = suite_create("bus");
        TCase *tc;

        tc = tcase_create("daemon");
        tcase_add_checked_fixture(tc, daemon_start, daemon_stop);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_open_address);
        tcase_add_test(tc, test_open_address_failures);
        tcase_add_test(tc, test_open_session_and_system);
        tcase_add_test(tc, test_request_name);
        tcase_add_test(tc, test_run_exit_code);
        tcase_add_test(tc, test_run_serves_bus);
        tcase_add_test(tc, test_run_sigterm_default_loop);
        tcase_add_test(tc, test_run_busy);
        suite_add_tcase(s, tc);

        tc = tcase_create("errors");
        tcase_add_test(tc, test_error_set);
        tcase_add_test(tc, test_error_message);
        tcase_add_test(tc, test_version);
        suite_add_tcase(s, tc);

        return s;
}

int main(void) {
        SRunner *sr = srunner_create(bus_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

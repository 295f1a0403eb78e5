/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/runtime/json-lazy.c — libdbidl opens libyajl at the first JSON call (runtime/yajl-dl.c): what a program
 * sees before and after, and when libyajl.so.2 cannot be used (driven by library.sh) */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include <dbidl/dbidl.h>

#define THREADS 4

/* Whether a libyajl is mapped into this process (/proc/self/maps). */
static bool yajl_mapped(void) {
        char line[4096];
        bool found = false;
        FILE *f = fopen("/proc/self/maps", "re");
        if (!f) {
                perror("json-lazy: /proc/self/maps");
                exit(1);
        }
        while (!found && fgets(line, sizeof line, f))
                found = strstr(line, "/libyajl.so") != NULL;
        fclose(f);
        return found;
}

/* r as printed: the number if >= 0, else the errno's name (ENOPKG); buf is the caller's (threads call this) */
static const char *errname(int r, char buf[static 32]) {
        if (r >= 0) {
                snprintf(buf, 32, "%d", r);
                return buf;
        }
        const char *n = strerrorname_np(-r);
        return n ? n : "unknown errno";
}

static pthread_barrier_t barrier;

/* The first JSON calls of the process, from THREADS threads at once: each must get the one answer. */
static void *infer(void *arg) {
        const char *json = "[1, \"x\", {\"a\": true}]";
        char *sig = NULL, buf[32];
        pthread_barrier_wait(&barrier);
        int r = dbidl_json_infer_signature(json, strlen(json), &sig, NULL);
        snprintf(arg, 128, "%s %s", errname(r, buf), r >= 0 ? sig : "-");
        free(sig);
        return NULL;
}

int main(void) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus *bus = NULL;
        sd_bus_message *m = NULL;
        pthread_t t[THREADS];
        char answer[THREADS][128];
        char *text = NULL, buf[32];
        int fds[2], r;

        printf("libdbidl %s; libyajl mapped before any JSON call: %s\n", dbidl_version(), yajl_mapped() ? "yes" : "no");

        if (pthread_barrier_init(&barrier, NULL, THREADS) != 0)
                return 1;
        for (int i = 0; i < THREADS; i++)
                if (pthread_create(&t[i], NULL, infer, answer[i]) != 0)
                        return 1;
        for (int i = 0; i < THREADS; i++)
                pthread_join(t[i], NULL);
        for (int i = 1; i < THREADS; i++)
                if (strcmp(answer[i], answer[0]) != 0) {
                        printf("the threads got different answers: '%s' and '%s'\n", answer[0], answer[i]);
                        return 1;
                }
        printf("dbidl_json_infer_signature, %d threads at once: %s\n", THREADS, answer[0]);

        /* messages need a started connection: one end of a socketpair */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 || sd_bus_new(&bus) < 0 ||
            sd_bus_set_fd(bus, fds[0], fds[0]) < 0 || sd_bus_start(bus) < 0 ||
            sd_bus_message_new_signal(bus, &m, "/test", "org.example.Test", "Json") < 0)
                return 1;
        close(fds[1]);

        const char *json = "{\"n\": 1}";
        r = dbidl_json_append_value(m, "a{sv}", json, strlen(json), &error);
        printf("dbidl_json_append_value: %s", errname(r, buf));
        if (r < 0)
                printf(" %s: %s", error.name, error.message);
        printf("\n");
        sd_bus_error_free(&error);
        if (r >= 0) {
                if (sd_bus_message_seal(m, 1, 0) < 0 || sd_bus_message_rewind(m, 1) < 0)
                        return 1;
        } else if (sd_bus_message_append(m, "s", "plain") < 0 || sd_bus_message_seal(m, 1, 0) < 0 ||
                   sd_bus_message_rewind(m, 1) < 0)
                return 1;
        r = dbidl_json_read(m, NULL, 0, &text);
        printf("dbidl_json_read: %s %s\n", errname(r, buf), r >= 0 ? text : "-");
        free(text);

        printf("libyajl mapped after: %s\n", yajl_mapped() ? "yes" : "no");
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
        pthread_barrier_destroy(&barrier);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/stress/stress-client.c — stress-client: N clients × M async calls to calculator-service, every answer checked */

/*
 * N clients, each its own connection to the session bus (its own unique name), all in this one process and
 * one thread, make M calls each to org.example.Calculator1 through the generated proxy's async calls
 * (calc_async_add(), _divide(), _sum(), _concat()), with at most W calls of each client in flight: a client
 * sends its next call from the completion of an earlier one.  The calls are a fixed mix, a function of the
 * client's number and the call's (call_plan() below): a quarter of each method, and a quarter of the Divide
 * calls divide by zero, whose answer must be the IDL's DivisionByZero error.  Every answer is checked: a
 * value is compared exactly (the operands are chosen so that the service's double arithmetic gives the
 * same bits as ours), an error by name.  So each call ends as one of
 *
 *   reply              the right value
 *   expected error     DivisionByZero for a division by zero
 *   wrong              another value, a success where the error was due, or a second completion of one call
 *   unexpected error   any other error the service or the bus sent
 *   lost               no answer: sd-bus's timeout of the call (NoReply, after --timeout seconds), the bus
 *                      saying the service went away without answering (NoReply), or still unanswered
 *                      when the run gives up (no completion at all for --timeout + 30 s)
 *
 * Why one event loop of our own (epoll over dbidl_bus_get_poll()/dbidl_bus_dispatch(), the runtime's
 * interface for foreign loops) rather than sd-event: sd-event runs the prepare callback of every attached bus
 * on every iteration and dispatches one source per iteration, so every message would cost a pass over all
 * 1,000 buses.  Here a bus is dispatched only when its socket is ready, and every bus with calls in flight
 * once a second (sd-bus handles the calls' timeouts when it processes a bus).
 *
 * Rounds: all clients connect; a warm-up round (--warmup K calls per client, the same window) brings the
 * service's allocator, sd-bus's queues and the bus daemon to their working size; the service's VmRSS and
 * descriptor count (/proc/PID/status, /proc/PID/fd; its pid from the bus) give the baseline; then the run
 * (M calls per client); the service measured again; then every client disconnects, and once the bus driver
 * lists none of their names and the service has answered one more call, the service is measured a third
 * time.  Checks: nothing lost, wrong or unexpectedly failed, every call answered; the descriptors back at the
 * baseline; VmRSS back at the baseline within --rss-tolerance kB (the default and its reason at
 * RSS_TOLERANCE_KB).  Exit status 0 if every check holds, 1 if not (or if the service cannot be reached),
 * 2 for a usage error.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "calculator.h"

#define CALC_NAME "org.example.Calculator1"
#define CALC_PATH "/org/example/Calculator1"

/*
 * How much the service's VmRSS may stay above the baseline once every client has gone.  The service keeps
 * nothing per call or per caller, so anything it lost would be lost a million times in a full run: a block
 * of glibc's smallest size (32 bytes) lost once every 100 calls is 320 kB, once a call 32 MB.  What moves
 * without a loss is the allocator's free memory at the top of the heap, which glibc returns to the kernel
 * only beyond M_TRIM_THRESHOLD (128 kB by default): the queues in the service's sd-bus and the messages in
 * flight grow and shrink with the load, and the run is not the warm-up.  So 256 kB: twice the memory
 * glibc may keep without returning it, and less than a loss of one small block every 100 calls.
 */
#define RSS_TOLERANCE_KB 256

/* Errors printed in full before only being counted. */
#define MAX_REPORTS 10

/* A run without any completion for this long past the calls' own timeout has lost what is still in flight. */
#define STALL_GRACE_SEC 30

typedef enum call_kind { CALL_ADD, CALL_DIVIDE, CALL_SUM, CALL_CONCAT, N_CALL_KINDS } call_kind;
static const char *const kind_names[N_CALL_KINDS] = { "Add", "Divide", "Sum", "Concat" };

#define MAX_SUM_VALUES 8

/* One call: its arguments and the answer due, a function of the client's and the call's numbers only. */
typedef struct call_plan {
        call_kind kind;
        int32_t a, b, sum;                /* Add */
        double x, y, quotient;            /* Divide; y == 0: DivisionByZero is due */
        double values[MAX_SUM_VALUES];    /* Sum */
        size_t n_values;
        double total;
        char part0[24], part1[24];        /* Concat: "client", part0, "call", part1 */
        const char *separator;
        char joined[128];
} call_plan;

typedef struct stress stress;
typedef struct client client;

/* A call in flight: the async call's userdata, one of a client's W. */
typedef struct call_slot {
        client *c;
        unsigned seq;
        bool busy;
} call_slot;

struct client {
        stress *s;
        unsigned index;
        sd_bus *bus;
        calc_proxy *proxy;
        int fd;                 /* the bus's descriptor in the epoll set, -1 before */
        uint32_t events;        /* what epoll watches on it */
        call_slot *slots;       /* window entries */
        unsigned target;        /* calls of this round */
        unsigned sent, answered, in_flight;
        bool dead;              /* connection failed: nothing more is sent or counted */
};

typedef struct tally {
        unsigned long sent, replies, expected_errors, wrong, unexpected_errors, lost, not_sent;
} tally;

typedef struct options {
        unsigned clients, calls, window, warmup, timeout_sec;
        unsigned long rss_tolerance_kb;
} options;

struct stress {
        options opt;
        int epfd;
        client *clients;
        unsigned busy;          /* clients whose round is not over */
        tally t;                /* the current round's */
        unsigned long reports;
        double last_progress;   /* when a call last completed */
        unsigned long next_report, report_every;
        double round_start;
        bool failed_client;
};

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void report(stress *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(stress *s, const char *fmt, ...) {
        if (s->reports++ >= MAX_REPORTS) {
                if (s->reports == MAX_REPORTS + 1)
                        printf("  (further failures only counted)\n");
                return;
        }
        va_list ap;
        va_start(ap, fmt);
        printf("  ");
        vprintf(fmt, ap);
        printf("\n");
        va_end(ap);
}

/*
 * The plan of call `seq` of client `k`.  The kinds rotate with both numbers, so that every moment of the run
 * has all four in flight.  Divide's operands are small integers and halves, Sum's quarters: double
 * arithmetic on them is exact or rounds the same way in the service as here, so answers compare with ==.
 */
static void call_plan_make(unsigned k, unsigned seq, call_plan *p) {
        memset(p, 0, sizeof(*p));
        p->kind = (call_kind) ((seq + k) % N_CALL_KINDS);
        switch (p->kind) {
        case CALL_ADD:
                p->a = (int32_t) ((k * 1000003u + seq) % 1000000000u);
                p->b = (int32_t) (seq % 1000) - 500;
                p->sum = p->a + p->b; /* within ±1e9 + 500: no overflow */
                break;
        case CALL_DIVIDE:
                p->x = (double) (k % 100000) * 3 + seq + 1;
                p->y = (seq / N_CALL_KINDS) % 4 == 0 ? 0.0 : (double) (seq % 7 + 1) * 0.5;
                p->quotient = p->y == 0.0 ? 0.0 : p->x / p->y;
                break;
        case CALL_SUM:
                p->n_values = seq % MAX_SUM_VALUES; /* 0 too: the sum of nothing is 0 */
                for (size_t j = 0; j < p->n_values; j++) {
                        p->values[j] = (double) (k % 100000) + (double) j * 0.25 + (double) (seq % 100);
                        p->total += p->values[j];
                }
                break;
        case CALL_CONCAT: {
                static const char *const separators[] = { "-", ", ", "" };
                snprintf(p->part0, sizeof(p->part0), "%u", k);
                snprintf(p->part1, sizeof(p->part1), "%u", seq);
                p->separator = separators[seq % 3];
                snprintf(p->joined, sizeof(p->joined), "client%s%s%scall%s%s", p->separator, p->part0, p->separator,
                         p->separator, p->part1);
                break;
        }
        default:
                abort();
        }
}

/* A completion's verdict on an error: lost (no answer), expected or unexpected. */
static void count_error(stress *s, call_slot *slot, const call_plan *p, const sd_bus_error *error) {
        if (sd_bus_error_has_name(error, SD_BUS_ERROR_NO_REPLY) || sd_bus_error_has_name(error, SD_BUS_ERROR_TIMEOUT)) {
                s->t.lost++;
                report(s, "client %u, call %u (%s): no answer: %s: %s", slot->c->index, slot->seq,
                       kind_names[p->kind], error->name, error->message ? error->message : "");
        } else if (p->kind == CALL_DIVIDE && p->y == 0.0 && calc_error_is_division_by_zero(error)) {
                s->t.expected_errors++;
        } else {
                s->t.unexpected_errors++;
                report(s, "client %u, call %u (%s): unexpected error %s: %s", slot->c->index, slot->seq,
                       kind_names[p->kind], error->name, error->message ? error->message : "");
        }
}

static void client_pump(client *c);

/*
 * The common end of every completion: check that the slot was in flight (sd-bus completes a call once),
 * free it, count the answer, send what the window allows.  Returns false for a slot not in flight (counted
 * as wrong), whose answer the caller then ignores.
 */
static bool slot_complete(call_slot *slot) {
        client *c = slot->c;
        stress *s = c->s;
        if (!slot->busy) {
                s->t.wrong++;
                report(s, "client %u: a second completion of call %u", c->index, slot->seq);
                return false;
        }
        slot->busy = false;
        c->in_flight--;
        c->answered++;
        s->last_progress = now();
        return true;
}

static void slot_done(call_slot *slot) {
        client *c = slot->c;
        stress *s = c->s;
        if (c->answered == c->target) {
                s->busy--;
                return;
        }
        client_pump(c);
        unsigned long answered = s->t.replies + s->t.expected_errors + s->t.wrong + s->t.unexpected_errors + s->t.lost;
        if (s->report_every && answered >= s->next_report) {
                double t = now() - s->round_start;
                printf("  %lu calls answered in %.1f s, %.0f calls/s\n", answered, t, (double) answered / t);
                s->next_report += s->report_every;
        }
}

static void on_add(calc_proxy *proxy, const sd_bus_error *error, int32_t sum, void *userdata) {
        call_slot *slot = userdata;
        call_plan p;
        (void) proxy;
        if (!slot_complete(slot))
                return;
        call_plan_make(slot->c->index, slot->seq, &p);
        if (error)
                count_error(slot->c->s, slot, &p, error);
        else if (sum == p.sum)
                slot->c->s->t.replies++;
        else {
                slot->c->s->t.wrong++;
                report(slot->c->s, "client %u, call %u: Add(%" PRIi32 ", %" PRIi32 ") = %" PRIi32 ", not %" PRIi32,
                       slot->c->index, slot->seq, p.a, p.b, sum, p.sum);
        }
        slot_done(slot);
}

static void on_divide(calc_proxy *proxy, const sd_bus_error *error, double quotient, void *userdata) {
        call_slot *slot = userdata;
        call_plan p;
        (void) proxy;
        if (!slot_complete(slot))
                return;
        call_plan_make(slot->c->index, slot->seq, &p);
        if (error)
                count_error(slot->c->s, slot, &p, error);
        else if (p.y != 0.0 && quotient == p.quotient)
                slot->c->s->t.replies++;
        else {
                slot->c->s->t.wrong++;
                report(slot->c->s, "client %u, call %u: Divide(%.17g, %.17g) = %.17g, not %s", slot->c->index,
                       slot->seq, p.x, p.y, quotient, p.y == 0.0 ? "DivisionByZero" : "the quotient");
        }
        slot_done(slot);
}

static void on_sum(calc_proxy *proxy, const sd_bus_error *error, double total, void *userdata) {
        call_slot *slot = userdata;
        call_plan p;
        (void) proxy;
        if (!slot_complete(slot))
                return;
        call_plan_make(slot->c->index, slot->seq, &p);
        if (error)
                count_error(slot->c->s, slot, &p, error);
        else if (total == p.total)
                slot->c->s->t.replies++;
        else {
                slot->c->s->t.wrong++;
                report(slot->c->s, "client %u, call %u: Sum of %zu values = %.17g, not %.17g", slot->c->index,
                       slot->seq, p.n_values, total, p.total);
        }
        slot_done(slot);
}

static void on_concat(calc_proxy *proxy, const sd_bus_error *error, const char *joined, void *userdata) {
        call_slot *slot = userdata;
        call_plan p;
        (void) proxy;
        if (!slot_complete(slot))
                return;
        call_plan_make(slot->c->index, slot->seq, &p);
        if (error)
                count_error(slot->c->s, slot, &p, error);
        else if (joined && strcmp(joined, p.joined) == 0)
                slot->c->s->t.replies++;
        else {
                slot->c->s->t.wrong++;
                report(slot->c->s, "client %u, call %u: Concat = \"%s\", not \"%s\"", slot->c->index, slot->seq,
                       joined ? joined : "(null)", p.joined);
        }
        slot_done(slot);
}

/* Send call `slot->seq` of its client.  Returns what the generated async call returned. */
static int slot_send(call_slot *slot) {
        client *c = slot->c;
        uint64_t timeout = (uint64_t) c->s->opt.timeout_sec * 1000000u;
        call_plan p;
        call_plan_make(c->index, slot->seq, &p);
        switch (p.kind) {
        case CALL_ADD:
                return calc_async_add(c->proxy, p.a, p.b, timeout, on_add, slot, NULL);
        case CALL_DIVIDE:
                return calc_async_divide(c->proxy, p.x, p.y, timeout, on_divide, slot, NULL);
        case CALL_SUM:
                return calc_async_sum(c->proxy, p.values, p.n_values, timeout, on_sum, slot, NULL);
        case CALL_CONCAT: {
                char *parts[] = { (char *) "client", p.part0, (char *) "call", p.part1, NULL };
                return calc_async_concat(c->proxy, parts, p.separator, timeout, on_concat, slot, NULL);
        }
        default:
                abort();
        }
}

/*
 * Fill the client's window.  A call that cannot be sent (the generated call returns an errno: the connection
 * is gone, or memory) ends the client's round: what it has not sent is counted as not sent.
 */
static void client_pump(client *c) {
        stress *s = c->s;
        if (c->dead)
                return;
        for (unsigned i = 0; i < s->opt.window && c->sent < c->target && c->in_flight < s->opt.window; i++) {
                call_slot *slot = &c->slots[i];
                if (slot->busy)
                        continue;
                slot->seq = c->sent;
                int r = slot_send(slot);
                if (r < 0) {
                        report(s, "client %u: call %u could not be sent: %s", c->index, c->sent, strerror(-r));
                        s->t.not_sent += c->target - c->sent;
                        c->target = c->sent; /* the round ends when what was sent is answered */
                        if (c->answered == c->target)
                                s->busy--;
                        s->failed_client = true;
                        return;
                }
                slot->busy = true;
                c->sent++;
                c->in_flight++;
                s->t.sent++;
        }
}

/* Keep the epoll set in line with what the bus waits for (it changes after every dispatch and send). */
static int client_watch(client *c) {
        int fd, r;
        short events;
        uint64_t timeout;
        r = dbidl_bus_get_poll(c->bus, &fd, &events, &timeout);
        if (r < 0)
                return r;
        uint32_t want = ((events & POLLIN) ? EPOLLIN : 0u) | ((events & POLLOUT) ? EPOLLOUT : 0u);
        if (fd == c->fd && want == c->events)
                return 0;
        struct epoll_event ev = { .events = want, .data.ptr = c };
        if (c->fd >= 0 && fd != c->fd) {
                (void) epoll_ctl(c->s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
                c->fd = -1;
        }
        if (epoll_ctl(c->s->epfd, c->fd < 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) < 0)
                return -errno;
        c->fd = fd;
        c->events = want;
        return 0;
}

/*
 * A client whose connection failed: sd-bus has completed its calls in flight with errors (counted), or will
 * not; whatever is still in flight is lost, what it has not sent is counted as not sent.
 */
static void client_fail(client *c, int r) {
        stress *s = c->s;
        if (c->dead)
                return;
        report(s, "client %u: connection failed: %s", c->index, strerror(-r));
        c->dead = true;
        s->failed_client = true;
        if (c->fd >= 0)
                (void) epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
        c->fd = -1;
        s->t.lost += c->in_flight;
        s->t.not_sent += c->target - c->sent;
        if (c->answered < c->target) /* its round was not over: it is now */
                s->busy--;
        c->in_flight = 0;
        c->answered = c->target = c->sent;
}

static void client_dispatch(client *c) {
        if (c->dead)
                return;
        int r = dbidl_bus_dispatch(c->bus);
        if (r >= 0)
                r = client_watch(c);
        if (r < 0)
                client_fail(c, r);
}

/*
 * One round: every client makes `calls` calls, at most W at a time.  Returns when every call is answered, or
 * when nothing has been answered for the calls' timeout plus STALL_GRACE_SEC (what is in flight then is lost).
 */
static void run_round(stress *s, unsigned calls, bool progress) {
        const double stall = (double) s->opt.timeout_sec + STALL_GRACE_SEC;
        memset(&s->t, 0, sizeof(s->t));
        s->busy = 0;
        s->round_start = s->last_progress = now();
        s->report_every = progress ? (unsigned long) s->opt.clients * calls / 10 : 0;
        s->next_report = s->report_every;
        for (unsigned k = 0; k < s->opt.clients; k++) {
                client *c = &s->clients[k];
                if (c->dead)
                        continue;
                c->target = calls;
                c->sent = c->answered = 0;
                if (calls > 0)
                        s->busy++;
        }
        for (unsigned k = 0; k < s->opt.clients; k++) {
                client_pump(&s->clients[k]);
                client_dispatch(&s->clients[k]);
        }

        double last_tick = now();
        while (s->busy > 0) {
                struct epoll_event events[256];
                int n = epoll_wait(s->epfd, events, 256, 1000);
                if (n < 0 && errno != EINTR) {
                        fprintf(stderr, "stress-client: epoll_wait: %s\n", strerror(errno));
                        abort();
                }
                for (int i = 0; i < n; i++)
                        client_dispatch(events[i].data.ptr);
                double t = now();
                if (t - last_tick < 1.0)
                        continue;
                /* once a second, every bus: sd-bus completes the calls whose timeout has passed */
                last_tick = t;
                for (unsigned k = 0; k < s->opt.clients; k++)
                        if (s->clients[k].in_flight > 0)
                                client_dispatch(&s->clients[k]);
                if (t - s->last_progress > stall) {
                        unsigned long left = 0;
                        for (unsigned k = 0; k < s->opt.clients; k++)
                                left += s->clients[k].in_flight;
                        report(s, "no call answered for %.0f s: %lu calls in flight counted as lost", stall, left);
                        s->t.lost += left;
                        break;
                }
        }
}

static void print_tally(const char *what, const tally *t, double seconds) {
        unsigned long answered = t->replies + t->expected_errors + t->wrong + t->unexpected_errors;
        printf("%s: %lu calls in %.1f s, %.0f calls/s\n", what, t->sent, seconds,
               seconds > 0 ? (double) answered / seconds : 0.0);
        printf("  replies (right value)      %lu\n", t->replies);
        printf("  expected errors            %lu (DivisionByZero)\n", t->expected_errors);
        printf("  wrong values               %lu\n", t->wrong);
        printf("  unexpected errors          %lu\n", t->unexpected_errors);
        printf("  lost replies               %lu\n", t->lost);
        if (t->not_sent > 0)
                printf("  calls not sent             %lu\n", t->not_sent);
}

/* The round's verdict: every call sent, every answer the one due, nothing lost. */
static bool tally_ok(const tally *t, unsigned long due) {
        return t->sent == due && t->not_sent == 0 && t->wrong == 0 && t->unexpected_errors == 0 && t->lost == 0 &&
               t->replies + t->expected_errors == due;
}

/* The service's VmRSS (kB) and open descriptors; -1 for what cannot be read. */
typedef struct measure {
        long rss_kb, fds;
} measure;

static measure service_measure(pid_t pid) {
        measure m = { -1, -1 };
        char path[64], line[256];
        snprintf(path, sizeof(path), "/proc/%ld/status", (long) pid);
        FILE *f = fopen(path, "re");
        if (f) {
                while (fgets(line, sizeof(line), f))
                        if (sscanf(line, "VmRSS: %ld kB", &m.rss_kb) == 1)
                                break;
                fclose(f);
        }
        snprintf(path, sizeof(path), "/proc/%ld/fd", (long) pid);
        DIR *d = opendir(path);
        if (d) {
                struct dirent *de;
                m.fds = 0;
                while ((de = readdir(d)))
                        if (de->d_name[0] != '.')
                                m.fds++;
                closedir(d);
        }
        return m;
}

static void print_measure(const char *when, measure m) {
        printf("service %-24s VmRSS %ld kB, %ld descriptors\n", when, m.rss_kb, m.fds);
}

/* Unique names on the bus (the bus driver's ListNames), or a negative errno. */
static long count_unique_names(sd_bus *bus) {
        char **names = NULL;
        int r = sd_bus_list_names(bus, &names, NULL);
        if (r < 0)
                return r;
        long n = 0;
        for (char **p = names; p && *p; p++) {
                if ((*p)[0] == ':')
                        n++;
                free(*p);
        }
        free(names);
        return n;
}

/* One blocking Add on `proxy`: the service answers, so it has handled everything sent to it before. */
static int ping(calc_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t sum = 0;
        int r = calc_call_add(proxy, 40, 2, &sum, 10 * 1000000u, &error);
        if (r < 0)
                fprintf(stderr, "stress-client: %s Add failed: %s\n", CALC_NAME, dbidl_error_message(r, &error));
        else if (sum != 42) {
                fprintf(stderr, "stress-client: %s answers Add(40, 2) = %" PRIi32 "\n", CALC_NAME, sum);
                r = -EBADMSG;
        }
        sd_bus_error_free(&error);
        return r;
}

/* Enough descriptors for every client's connection: the soft limit raised up to the hard one if need be. */
static int raise_fd_limit(unsigned clients) {
        struct rlimit rl;
        rlim_t need = (rlim_t) clients + 64;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return -errno;
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
                if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
                        fprintf(stderr, "stress-client: %u clients need %lu descriptors, the hard limit is %lu\n",
                                clients, (unsigned long) need, (unsigned long) rl.rlim_max);
                        return -EMFILE;
                }
                rl.rlim_cur = rl.rlim_max;
                if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
                        return -errno;
        }
        return 0;
}

static int parse_unsigned(const char *arg, const char *value, unsigned long min, unsigned long max,
                          unsigned long *ret) {
        char *end;
        errno = 0;
        unsigned long v = value ? strtoul(value, &end, 10) : 0;
        if (!value || errno || end == value || *end || v < min || v > max || value[0] == '-') {
                fprintf(stderr, "stress-client: %s needs a number from %lu to %lu\n", arg, min, max);
                return -EINVAL;
        }
        *ret = v;
        return 0;
}

static void usage(FILE *f) {
        fprintf(f,
                "Usage: stress-client [--clients N] [--calls M] [--window W] [--warmup K] [--timeout S]\n"
                "                     [--rss-tolerance KB]\n"
                "N clients (default 1000), each its own connection to the session bus, make M calls each (default\n"
                "1000) to %s with at most W in flight (default 4) after a warm-up of K calls each\n"
                "(default 10); S is each call's timeout in seconds (default 120).  Prints replies, errors, lost\n"
                "replies, calls/s and the service's VmRSS and descriptors at the baseline, after the run and after\n"
                "the clients left, whose VmRSS must be within KB kB of the baseline (default %d).\n"
                "Exits 0 if every check holds, 1 if not.\n",
                CALC_NAME, RSS_TOLERANCE_KB);
}

static int parse_options(int argc, char **argv, options *o) {
        *o = (options) { .clients = 1000, .calls = 1000, .window = 4, .warmup = 10, .timeout_sec = 120,
                         .rss_tolerance_kb = RSS_TOLERANCE_KB };
        for (int i = 1; i < argc; i++) {
                unsigned long v;
                const char *a = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
                if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        usage(stdout);
                        exit(0);
                }
#define OPTION(name, field, min, max)                                           \
                if (strcmp(a, name) == 0) {                                     \
                        if (parse_unsigned(a, value, min, max, &v) < 0)         \
                                return -EINVAL;                                 \
                        o->field = (__typeof__(o->field)) v;                    \
                        i++;                                                    \
                        continue;                                               \
                }
                OPTION("--clients", clients, 1, 100000)
                OPTION("--calls", calls, 1, 100000000)
                OPTION("--window", window, 1, 1024)
                OPTION("--warmup", warmup, 0, 100000)
                OPTION("--timeout", timeout_sec, 1, 3600)
                OPTION("--rss-tolerance", rss_tolerance_kb, 0, 100000000)
#undef OPTION
                fprintf(stderr, "stress-client: unknown argument '%s'\n", a);
                usage(stderr);
                return -EINVAL;
        }
        return 0;
}

/* Client k's connection and proxy; a few retries if the bus daemon's listening socket is full for a moment. */
static int client_open(stress *s, unsigned k) {
        client *c = &s->clients[k];
        int r = -EAGAIN;
        *c = (client) { .s = s, .index = k, .fd = -1 };
        for (int attempt = 0; attempt < 100 && (r == -EAGAIN || r == -ECONNREFUSED); attempt++) {
                if (attempt > 0)
                        usleep(10000);
                r = dbidl_bus_open_session(&c->bus);
        }
        if (r < 0)
                return r;
        r = calc_proxy_new(c->bus, CALC_NAME, CALC_PATH, &c->proxy);
        if (r < 0)
                return r;
        c->slots = calloc(s->opt.window, sizeof(call_slot));
        if (!c->slots)
                return -ENOMEM;
        for (unsigned i = 0; i < s->opt.window; i++)
                c->slots[i].c = c;
        return client_watch(c);
}

/* Every client gone: the proxies freed (cancelling nothing: no call is in flight), the connections closed. */
static void clients_close(stress *s) {
        for (unsigned k = 0; k < s->opt.clients; k++) {
                client *c = &s->clients[k];
                if (c->fd >= 0)
                        (void) epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
                c->fd = -1;
                c->proxy = calc_proxy_unref(c->proxy);
                c->bus = sd_bus_flush_close_unref(c->bus);
                free(c->slots);
                c->slots = NULL;
        }
}

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        printf("check: ");
        vprintf(fmt, ap);
        printf(": %s\n", ok ? "ok" : "FAILED");
        va_end(ap);
        return ok;
}

int main(int argc, char **argv) {
        stress s = { .epfd = -1 };
        sd_bus *control = NULL;
        calc_proxy *control_proxy = NULL;
        sd_bus_creds *creds = NULL;
        pid_t pid = 0;
        bool ok = true;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (parse_options(argc, argv, &s.opt) < 0)
                return 2;
        r = raise_fd_limit(s.opt.clients);
        if (r < 0) {
                fprintf(stderr, "stress-client: cannot raise the descriptor limit: %s\n", strerror(-r));
                return 1;
        }

        /* The control connection: the service's pid, the names on the bus, one call after the clients left. */
        r = dbidl_bus_open_session(&control);
        if (r < 0) {
                fprintf(stderr, "stress-client: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = calc_proxy_new(control, CALC_NAME, CALC_PATH, &control_proxy);
        if (r < 0) {
                fprintf(stderr, "stress-client: calc_proxy_new: %s\n", strerror(-r));
                goto out;
        }
        r = ping(control_proxy);
        if (r < 0)
                goto out;
        r = sd_bus_get_name_creds(control, CALC_NAME, SD_BUS_CREDS_PID, &creds);
        if (r >= 0)
                r = sd_bus_creds_get_pid(creds, &pid);
        if (r < 0) {
                fprintf(stderr, "stress-client: the pid of %s: %s\n", CALC_NAME, strerror(-r));
                goto out;
        }
        long names_before = count_unique_names(control);
        if (names_before < 0) {
                r = (int) names_before;
                fprintf(stderr, "stress-client: ListNames: %s\n", strerror(-r));
                goto out;
        }
        struct rlimit rl;
        (void) getrlimit(RLIMIT_NOFILE, &rl);
        printf("stress: %u clients x %u calls (Add, Divide, Sum, Concat; %u in flight per client, timeout %u s) "
               "to %s, pid %ld\n",
               s.opt.clients, s.opt.calls, s.opt.window, s.opt.timeout_sec, CALC_NAME, (long) pid);

        s.epfd = epoll_create1(EPOLL_CLOEXEC);
        s.clients = calloc(s.opt.clients, sizeof(client));
        if (s.epfd < 0 || !s.clients) {
                r = s.epfd < 0 ? -errno : -ENOMEM;
                fprintf(stderr, "stress-client: %s\n", strerror(-r));
                goto out;
        }
        double t0 = now();
        for (unsigned k = 0; k < s.opt.clients; k++) {
                r = client_open(&s, k);
                if (r < 0) {
                        fprintf(stderr, "stress-client: client %u cannot connect: %s\n", k, strerror(-r));
                        s.opt.clients = k + 1; /* close what is open */
                        goto out;
                }
        }
        printf("connected %u clients in %.1f s (descriptor limit %lu)\n", s.opt.clients, now() - t0,
               (unsigned long) rl.rlim_cur);

        run_round(&s, s.opt.warmup, false);
        double t = now() - s.round_start;
        ok &= check(tally_ok(&s.t, (unsigned long) s.opt.clients * s.opt.warmup),
                    "warm-up: %lu calls, every one answered right (%lu replies, %lu expected errors) in %.1f s",
                    s.t.sent, s.t.replies, s.t.expected_errors, t);
        if (!ok)
                print_tally("warm-up", &s.t, t);
        measure base = service_measure(pid);
        print_measure("at the baseline:", base);

        run_round(&s, s.opt.calls, true);
        t = now() - s.round_start;
        print_tally("run", &s.t, t);
        measure after_run = service_measure(pid);
        print_measure("after the run:", after_run);

        clients_close(&s);
        /* The bus has noticed every client gone when ListNames is back to what it was; up to 60 s. */
        long names = -1;
        for (int i = 0; i < 600; i++) {
                names = count_unique_names(control);
                if (names < 0 || names <= names_before)
                        break;
                usleep(100000);
        }
        r = ping(control_proxy);
        measure after_close = service_measure(pid);
        print_measure("after the clients left:", after_close);

        ok &= check(names >= 0 && names <= names_before, "the clients' names gone from the bus (%ld unique names, %ld before)",
                    names, names_before);
        ok &= check(r >= 0, "the service answers after the clients left");
        ok &= check(s.t.lost == 0, "lost replies: %lu", s.t.lost);
        ok &= check(s.t.wrong == 0 && s.t.unexpected_errors == 0 && !s.failed_client,
                    "wrong values, unexpected errors and failed clients: %lu, %lu, %s", s.t.wrong,
                    s.t.unexpected_errors, s.failed_client ? "some" : "none");
        ok &= check(tally_ok(&s.t, (unsigned long) s.opt.clients * s.opt.calls),
                    "every call sent and answered as due: %lu of %lu", s.t.replies + s.t.expected_errors,
                    (unsigned long) s.opt.clients * s.opt.calls);
        if (base.fds < 0 || base.rss_kb < 0 || after_close.fds < 0 || after_close.rss_kb < 0) {
                printf("check: the service's /proc/%ld cannot be read: VmRSS and descriptors not checked\n", (long) pid);
        } else {
                ok &= check(after_close.fds == base.fds, "service descriptors back to the baseline: %ld, baseline %ld",
                            after_close.fds, base.fds);
                ok &= check(after_close.rss_kb <= base.rss_kb + (long) s.opt.rss_tolerance_kb,
                            "service VmRSS back to the baseline within %lu kB: %ld kB, baseline %ld kB (%+ld kB)",
                            s.opt.rss_tolerance_kb, after_close.rss_kb, base.rss_kb, after_close.rss_kb - base.rss_kb);
        }
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
                printf("CPU time: stress-client %.1f s\n", (double) ru.ru_utime.tv_sec + (double) ru.ru_stime.tv_sec +
                                                               (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
        printf("stress: %s\n", ok ? "PASS" : "FAIL");
        r = ok ? 0 : -EPROTO;
out:
        if (s.clients)
                clients_close(&s);
        free(s.clients);
        if (s.epfd >= 0)
                close(s.epfd);
        sd_bus_creds_unref(creds);
        calc_proxy_unref(control_proxy);
        sd_bus_flush_close_unref(control);
        return r < 0 ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/memory.c — giving the heap that a burst of large messages left behind back to the kernel */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <dbidl/bus.h>

#include "runtime/memory.h"
#include "runtime/util.h"

/*
 * Why this exists (docs/runtime.md, "Memory after large messages"): sd-bus keeps every message in one malloc'd
 * buffer.  glibc maps a block of 128 KiB or more with mmap() and unmaps it on free(), but the first free() of such
 * a block raises its mmap threshold to the block's size, and its trim threshold to twice that (malloc(3),
 * M_MMAP_THRESHOLD), so that from then on messages of that size come from the heap and their memory stays in the
 * process after free(): 1,000 echoes of 4 MiB leave a client at 2.7 times its RSS, with hand-written sd-bus as with
 * generated code.  Keeping that memory during a burst is what spares each call its page faults; keeping it after
 * the burst is the surprise.  So the runtime watches the heap grow (the program break, sbrk(0): no system call),
 * and once it has grown by TRIM_GROWTH beyond its mark (the break at load, or at the last trim), it arms a timer
 * on the bus's event loop that calls malloc_trim(0) when no large message has come for TRIM_DELAY_USEC.  No malloc
 * setting of the process changes.
 */
#define TRIM_GROWTH ((uintptr_t) 1024 * 1024)
#define TRIM_DELAY_USEC (1000 * 1000)
#define TRIM_ACCURACY_USEC (250 * 1000)

#if HAVE_MALLOC_TRIM
/* The program break at load time or at the last trim, or the lowest seen since (0: unknown).  The heap is the
 * process's, not a thread's. */
static uintptr_t trim_mark;
/* This thread's timer (sd-event loops belong to one thread): floating, owned by its loop, NULL once freed with it. */
static _Thread_local sd_event_source *trim_timer;

static uintptr_t program_break(void) {
        void *b = sbrk(0);
        return b == (void *) -1 ? 0 : (uintptr_t) b;
}

/* The baseline: the program break when libdbidl is loaded, before any message. */
static void __attribute__((constructor)) trim_mark_init(void) {
        __atomic_store_n(&trim_mark, program_break(), __ATOMIC_RELAXED);
}

static int on_trim_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) s;
        (void) usec;
        (void) userdata;
        (void) dbidl_trim_memory();
        return 0;
}

static void on_trim_timer_gone(void *userdata) {
        (void) userdata;
        trim_timer = NULL;
}

static void arm_trim_timer(sd_event *e) {
        if (trim_timer) {
                /* a burst goes on: the trim waits for its end */
                if (sd_event_source_set_time_relative(trim_timer, TRIM_DELAY_USEC) >= 0)
                        (void) sd_event_source_set_enabled(trim_timer, SD_EVENT_ONESHOT);
                return;
        }
        sd_event_source *s = NULL;
        if (sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, TRIM_DELAY_USEC, TRIM_ACCURACY_USEC, on_trim_timer,
                                       NULL) < 0)
                return;
        if (sd_event_source_set_destroy_callback(s, on_trim_timer_gone) < 0 ||
            sd_event_source_set_floating(s, 1) < 0) {
                sd_event_source_unref(s);
                return;
        }
        (void) sd_event_source_set_priority(s, SD_EVENT_PRIORITY_IDLE);
        (void) sd_event_source_set_description(s, "dbidl-trim-memory");
        /* floating: the loop holds the only reference, and frees it (on_trim_timer_gone) when it is freed */
        sd_event_source_unref(s);
        trim_timer = s;
}
#endif

void memory_note(sd_bus *bus) {
#if HAVE_MALLOC_TRIM
        uintptr_t b = program_break(), mark = __atomic_load_n(&trim_mark, __ATOMIC_RELAXED);
        if (mark == 0 || b < mark) {
                __atomic_store_n(&trim_mark, b, __ATOMIC_RELAXED);
                return;
        }
        if (b - mark < TRIM_GROWTH)
                return;
        sd_event *e = bus ? sd_bus_get_event(bus) : NULL;
        if (e)
                arm_trim_timer(e);
#else
        (void) bus;
#endif
}

_public_ int dbidl_trim_memory(void) {
#if HAVE_MALLOC_TRIM
        int released = malloc_trim(0);
        __atomic_store_n(&trim_mark, program_break(), __ATOMIC_RELAXED);
        return released ? 1 : 0;
#else
        return -EOPNOTSUPP;
#endif
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/memory.h — internal: noticing the heap a burst of large messages grew (runtime/memory.c) */
#pragma once

#include <systemd/sd-bus.h>

/*
 * Called by the runtime after each message it handled on `bus` (a blocking call's reply, a method call, an async
 * reply, a signal): if the heap has grown by 1 MiB or more since the last trim, and `bus` is attached to an sd-event
 * loop, (re)arm that loop's timer that calls dbidl_trim_memory() once no such message has come for 1 s.  One
 * comparison when the heap has not grown; never fails (without a loop, or without malloc_trim(), it does nothing).
 */
void memory_note(sd_bus *bus);

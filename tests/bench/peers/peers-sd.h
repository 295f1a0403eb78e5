/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-sd.h — sd-bus set-up shared by the sd-bus and dbidl programs: peer connections, the loop */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

/* Client: a direct connection to the D-Bus server at `address` (sd_bus_new, sd_bus_set_address, sd_bus_start;
 * no Hello, no bus).  Returns 0 or a negative errno. */
int peers_sd_connect_peer(const char *address, sd_bus **ret);

/* Client: attach `bus` to the thread's default sd-event loop, as an application with a main loop does (both
 * sd-bus-based clients do it, so neither pays for set-up the other skips); *ret gets a reference to the loop.
 * Returns 0 or a negative errno. */
int peers_sd_attach_default_event(sd_bus *bus, sd_event **ret);

/* Client: run `event` for `seconds` (sd_event_run until a timer of its own fires).  Returns 0, or -1 after
 * printing what failed, with `who`. */
int peers_sd_idle(const char *who, sd_event *event, double seconds);

/* Server: listen on `address` ("unix:path=FILE"), print "ready", accept one connection and make it the server
 * side of a D-Bus connection (sd_bus_set_fd, sd_bus_set_server with a random id, EXTERNAL authentication,
 * sd_bus_start).  Returns 0 or a negative errno. */
int peers_sd_accept_peer(const char *address, sd_bus **ret);

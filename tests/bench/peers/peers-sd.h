/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers-sd.h — peer-to-peer connections with sd-bus, shared by the sd-bus and dbidl programs */
#pragma once

#include <systemd/sd-bus.h>

/* Client: a direct connection to the D-Bus server at `address` (sd_bus_new, sd_bus_set_address, sd_bus_start;
 * no Hello, no bus).  Returns 0 or a negative errno. */
int peers_sd_connect_peer(const char *address, sd_bus **ret);

/* Server: listen on `address` ("unix:path=FILE"), print "ready", accept one connection and make it the server
 * side of a D-Bus connection (sd_bus_set_fd, sd_bus_set_server with a random id, EXTERNAL authentication,
 * sd_bus_start).  Returns 0 or a negative errno. */
int peers_sd_accept_peer(const char *address, sd_bus **ret);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/import-bus.h — walking a live service's object tree for dbidlc --import-bus */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "idl/import.h"

/*
 * Connect to the bus --import-bus asks for: the one at `address` when it is
 * not NULL, else the system bus when `system`, else the session bus
 * (sd_bus_set_address() and sd_bus_start(), sd_bus_open_system(),
 * sd_bus_open_user()).  On success *ret_bus is a started connection the
 * caller owns (import_bus_close()).  Errors are reported on `err`
 * ("dbidlc: error: …") and returned: the -errno of sd-bus (-ENOENT,
 * -ECONNREFUSED, -EINVAL for a bad address, …); *ret_bus is then untouched.
 * Only dbidlc-import-bus links this (tools/local.mk).
 */
int import_bus_connect(const char *address, bool system, sd_bus **ret_bus, FILE *err);

/* Flush and close a connection of import_bus_connect(); NULL is fine.  Returns NULL. */
sd_bus *import_bus_close(sd_bus *bus);

/*
 * Introspect `destination` at `root` and every object below it
 * (org.freedesktop.DBus.Introspectable.Introspect, following child <node>s),
 * over `bus`, a connection of import_bus_connect() (borrowed), adding each
 * document to `im` (which merges interfaces found at several paths).  Stops
 * after 10000 objects.  Returns 0, or a negative errno (a failed call is
 * also described on `err`).
 */
int import_bus(sd_bus *bus, const char *destination, const char *root, idl_importer *im, FILE *err);

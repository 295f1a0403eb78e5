/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/import-bus.h — walking a live service's object tree for dbidlc --import-bus */
#pragma once

#include <stdio.h>
#include <systemd/sd-bus.h>

#include "idl/import.h"

/*
 * Introspect `destination` at `root` and every object below it
 * (org.freedesktop.DBus.Introspectable.Introspect, following child <node>s),
 * adding each document to `im` (which merges interfaces found at several
 * paths).  Stops after 10000 objects.  Returns 0, or a negative errno (a
 * failed call is also described on `err`).
 */
int import_bus(sd_bus *bus, const char *destination, const char *root, idl_importer *im, FILE *err);

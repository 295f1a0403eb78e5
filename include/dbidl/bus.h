/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/bus.h — connecting to a bus, owning names, and running an sd-event loop */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Open a connection: to the session bus (sd_bus_open_user()), to the system
 * bus (sd_bus_open_system()), or to the bus at a D-Bus server address such
 * as "unix:path=/run/x" (sd_bus_new(), sd_bus_set_address(),
 * sd_bus_set_bus_client(), sd_bus_start()).  The connection is not attached
 * to any event loop.  The caller owns *ret and releases it with
 * sd_bus_flush_close_unref().
 *
 * Returns 0 or the negative errno sd-bus returned: -ENOMEDIUM / -ENOENT when
 * no bus address is known or the socket is missing, -ECONNREFUSED,
 * -EACCES, -ENOMEM; -EINVAL for a NULL address or ret.
 * Threads: the connection belongs to the thread that uses it (sd-bus
 * connections are not thread-safe).
 */
int dbidl_bus_open_session(sd_bus **ret);
int dbidl_bus_open_system(sd_bus **ret);
int dbidl_bus_open_address(const char *address, sd_bus **ret);

/*
 * Open a peer-to-peer connection (D-Bus specification, "Server Addresses"):
 * to a dbidl_server, a GDBusServer, or anything that serves D-Bus on a
 * socket without being a bus, so without the bus handshake (no Hello,
 * sd_bus_set_bus_client(bus, 0)).  `address` is parsed by sd-bus
 * (sd_bus_set_address()): "unix:path=/run/user/1000/fortune",
 * "unix:abstract=NAME", "tcp:host=127.0.0.1,port=4711[,family=ipv4]", or
 * "unixexec:path=PROGRAM,argv1=ARG,..." to talk through a program's stdin
 * and stdout (ssh, socat; docs/peer-to-peer.md).  Unix fds are negotiated
 * on unix sockets (sd_bus_negotiate_fds()).  Blocks until the
 * authentication handshake is over, for at most `timeout_usec`
 * microseconds (0: 25 s), so that a refused peer learns it here.  Generated
 * proxies work on it with destination NULL.  Not attached to an event loop.
 * The caller owns *ret and releases it with sd_bus_flush_close_unref().
 *
 * Returns 0 or a negative errno: -EINVAL for a NULL or malformed address
 * (sd-bus's own check), -ENOENT / -ECONNREFUSED when nobody listens there,
 * -EPIPE or -ECONNRESET when the server closed the connection during the
 * handshake (the usual sign of being refused by its access policy or its
 * connection limit: a dbidl_server closes such a peer before reading
 * anything; which errno depends on whether the client was writing or
 * reading then), -EPERM / -EACCES when the handshake was rejected, -ETIMEDOUT,
 * -ENOMEM, or another from sd-bus.
 */
int dbidl_bus_open_peer(const char *address, uint64_t timeout_usec, sd_bus **ret);

/*
 * Request the well-known name `name` (D-Bus specification, "Message Bus
 * Messages", RequestName) with sd_bus_request_name().  `flags` is a mask of
 * SD_BUS_NAME_REPLACE_EXISTING, SD_BUS_NAME_ALLOW_REPLACEMENT and
 * SD_BUS_NAME_QUEUE.  Blocks until the bus driver answers.
 *
 * Returns 1 when the name is now owned (or already was), 0 when the request
 * was queued (SD_BUS_NAME_QUEUE), -EEXIST when another connection owns it
 * and no queueing was asked for, -EALREADY is never returned (already owning
 * counts as success), -EINVAL for an invalid name, or another negative errno
 * from sd-bus.
 */
int dbidl_bus_request_name(sd_bus *bus, const char *name, uint64_t flags);

/*
 * Own `name` without blocking (sd_bus_request_name_async()), with `flags` as
 * for dbidl_bus_request_name().  `callback` runs with acquired = true when
 * the name becomes ours (at once, or later when a queued request is
 * granted) and with acquired = false when the request fails or the name is
 * lost (taken over by a connection with SD_BUS_NAME_REPLACE_EXISTING, since
 * ours allowed replacement).  Releasing the slot releases the name
 * (ReleaseName).  Returns 0 or a negative errno from sd-bus.  The signals
 * that tell are followed with one match rule (added asynchronously); if the
 * bus refuses it (its match limit), the connection stays up and the name is
 * still requested, but a later loss is not reported.
 */
typedef void (*dbidl_name_fn)(sd_bus *bus, const char *name, int acquired, void *userdata);
int dbidl_bus_own_name(sd_bus *bus, const char *name, uint64_t flags, dbidl_name_fn callback, void *userdata,
                       sd_bus_slot **ret_slot);

/*
 * Integration with any event loop (GLib, libuv, a hand-written poll()):
 * watch *ret_fd for *ret_events (POLLIN/POLLOUT bits, as poll(2)) and wake up
 * after at most *ret_timeout_usec microseconds (UINT64_MAX: no timeout; a
 * relative value, unlike sd_bus_get_timeout()), then call
 * dbidl_bus_dispatch().  Ask again after every dispatch: the events and the
 * timeout change.  Return 0 or a negative errno from sd-bus.
 */
int dbidl_bus_get_poll(sd_bus *bus, int *ret_fd, short *ret_events, uint64_t *ret_timeout_usec);
/*
 * Process everything that is ready (sd_bus_process() until it has nothing
 * left), running handlers and callbacks.  Returns 0, or a negative errno when
 * the connection failed (-ECONNRESET and friends: the application should
 * close the bus).
 */
int dbidl_bus_dispatch(sd_bus *bus);

/*
 * Run `bus` on an sd-event loop until sd_event_exit() is called on it, or
 * until SIGINT or SIGTERM arrives (both are blocked and handled by the loop,
 * which then exits with code 0).  `event` may be NULL: the thread's default
 * loop (sd_event_default()) is used.  If `bus` is not yet attached to an
 * event loop it is attached to this one at SD_EVENT_PRIORITY_NORMAL.
 *
 * When the loop ends, deferred calls still unanswered are cancelled
 * (dbidl_bus_cancel_pending()).
 *
 * Returns the loop's exit code (>= 0) or a negative errno from sd-event or
 * sd-bus (for instance -EBUSY when the bus is attached to another loop).
 */
int dbidl_bus_run(sd_bus *bus, sd_event *event);

/*
 * Give the free memory of the process's heap back to the kernel (glibc's
 * malloc_trim(0); newer libsystemd has the same as sd_event_trim_memory()).
 *
 * A burst of large messages (1 MiB and more) leaves the heap grown: once
 * glibc has freed one block of that size, it takes later ones from the heap
 * and keeps them after free() (malloc(3), M_MMAP_THRESHOLD), which spares
 * each call of the burst its page faults.  A connection attached to an
 * sd-event loop needs nothing: when the runtime has seen the heap grow by
 * 1 MiB or more while handling messages (blocking replies, method calls,
 * async replies, signals), that loop calls this function once no such
 * message has come for about 1 s.  A program that makes blocking calls
 * without a loop calls it itself after its burst (docs/runtime.md, "Memory
 * after large messages").  It does not change any malloc setting.
 *
 * Returns 1 if memory went back to the kernel, 0 if there was none to give
 * back, -EOPNOTSUPP where the C library has no malloc_trim() (then nothing is
 * trimmed, automatically or not).  Threads: safe to call from any thread.
 */
int dbidl_trim_memory(void);

#ifdef __cplusplus
}
#endif

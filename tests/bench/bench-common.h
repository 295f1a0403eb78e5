/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/bench-common.h — names shared by the benchmark's service and client */
#pragma once

/* The service owns this name and serves both interfaces at the one path, on one connection. */
#define BENCH_NAME "org.dbidl.Bench1"
#define BENCH_PATH "/org/dbidl/Bench1"
/* The generated skeleton serves BENCH1_INTERFACE ("org.dbidl.Bench1", bench.idl); the hand-written
 * sd-bus vtable serves this one, with the same method, signature and argument names. */
#define BENCH_RAW_INTERFACE "org.dbidl.BenchRaw1"

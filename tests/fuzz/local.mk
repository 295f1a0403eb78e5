# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/local.mk — the libFuzzer targets: the front end, the XML importer, generated skeletons (./configure
# --enable-fuzz CC=clang; docs/testing.md)

# The front end's sources (all of libidl.la's, whatever idl/local.mk lists)
# are compiled into the fuzzer itself, with the fuzzer's coverage
# instrumentation and sanitizers: libidl.la is built without them, so linking
# against it would leave libFuzzer blind.
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz-idl tests/fuzz/fuzz-import-xml tests/fuzz/fuzz-skeleton tests/fuzz/fuzz-json
endif
tests_fuzz_fuzz_idl_SOURCES = tests/fuzz/fuzz-idl.c $(libidl_la_SOURCES)
tests_fuzz_fuzz_idl_CFLAGS = $(libidl_la_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_idl_LDADD = $(libidl_la_LIBADD)
tests_fuzz_fuzz_idl_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_import_xml_SOURCES = tests/fuzz/fuzz-import-xml.c $(libidl_la_SOURCES)
tests_fuzz_fuzz_import_xml_CFLAGS = $(tests_fuzz_fuzz_idl_CFLAGS)
tests_fuzz_fuzz_import_xml_LDADD = $(tests_fuzz_fuzz_idl_LDADD)
tests_fuzz_fuzz_import_xml_LDFLAGS = $(tests_fuzz_fuzz_idl_LDFLAGS)

# The skeleton fuzzer: the generated service side of examples/types/types.idl and tests/runtime/rt.idl (their
# -server.c, from the stamp rules of examples/types/local.mk and tests/runtime/local.mk) and all of libdbidl's
# sources, compiled in for the same reason.  The explicit dependency makes `make tests/fuzz/fuzz-skeleton` alone
# generate the headers first (BUILT_SOURCES only covers `make all` and `make check`).
tests_fuzz_fuzz_skeleton_SOURCES = tests/fuzz/fuzz-skeleton.c examples/types/copy.h $(libdbidl_la_SOURCES)
nodist_tests_fuzz_fuzz_skeleton_SOURCES = examples/types/types.h examples/types/types-server.c \
	tests/runtime/rt.h tests/runtime/rt-server.c
tests_fuzz_fuzz_skeleton_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/types -I$(top_builddir)/tests/runtime
tests_fuzz_fuzz_skeleton_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(YAJL_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_skeleton_LDADD = $(libdbidl_la_LIBADD)
tests_fuzz_fuzz_skeleton_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests/fuzz/fuzz_skeleton-fuzz-skeleton.$(OBJEXT): examples/types/types.h tests/runtime/rt.h

# The JSON fuzzer: JSON → message → JSON with random signatures (dbidl/json.h), libdbidl's sources compiled in
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz-json.c $(libdbidl_la_SOURCES)
tests_fuzz_fuzz_json_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(YAJL_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_json_LDADD = $(libdbidl_la_LIBADD)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)

# tests/fuzz/run-fuzz.sh [TARGET] SECONDS runs one (from the build directory) with its seeds and dictionary
EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/idl.dict tests/fuzz/xml.dict tests/fuzz/skeleton-seeds.py \
	tests/fuzz/skeleton-seeds tests/fuzz/json.dict tests/fuzz/json-seeds

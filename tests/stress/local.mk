# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/stress/local.mk — make stress: 1,000 clients × 1,000 async calls to calculator-service (long; not part of check)

# Built by every `make`, so that it always compiles, with the examples' strict flags; run only by `make stress`.  It
# uses the calculator example's generated client (examples/local.mk writes it; BUILT_SOURCES there), compiled again
# with this program's flags.
noinst_PROGRAMS += tests/stress/stress-client
tests_stress_stress_client_SOURCES = tests/stress/stress-client.c
nodist_tests_stress_stress_client_SOURCES = examples/calculator/calculator.h examples/calculator/calculator-client.c
tests_stress_stress_client_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/calculator
tests_stress_stress_client_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
tests_stress_stress_client_LDADD = libdbidl.la $(SYSTEMD_LIBS)
EXTRA_DIST += tests/stress/run.sh

# make stress: calculator-service and stress-client on a private bus (tests/stress/run.sh, docs/testing.md); a full run
# takes minutes.  STRESS_ARGS go to stress-client: make stress STRESS_ARGS='--clients 50 --calls 200'.
stress: tests/stress/stress-client$(EXEEXT) examples/calculator/calculator-service$(EXEEXT)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' SANITIZER_CFLAGS='$(SANITIZER_CFLAGS)' \
		bash $(top_srcdir)/tests/stress/run.sh $(STRESS_ARGS)
.PHONY: stress

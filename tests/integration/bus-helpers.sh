#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/bus-helpers.sh — the comparison helpers of tests/lib/bus.sh: exact, explicitly partial, and a failed comparison fails the test
set -u
. "$top_srcdir/tests/lib/bus.sh"

# outcome SCRIPT: run SCRIPT in a fresh bash that sources bus.sh and ends with finish; print "pass" or "fail"
# (by finish's exit status) followed by the TAP lines it printed.  The inner script runs no program, so it
# runs with DBIDL_RUN empty: under --enable-valgrind, finish would add its valgrind check line.
outcome() {
        local out status
        out=$(DBIDL_RUN= bash -c '. "$top_srcdir/tests/lib/bus.sh"; '"$1"'; finish' 2>&1)
        status=$?
        if [ "$status" -eq 0 ]; then echo pass; else echo "fail $status"; fi
        printf '%s\n' "$out" | grep -E '^(not )?ok '
}

# check: equal only
check "check: equal text passes" "pass
ok 1 - same" "$(outcome 'check same abc abc')"
check "check: a substring fails" "fail 1
not ok 1 - part" "$(outcome 'check part abc xabcx')"
check "check: an empty actual value fails" "fail 1
not ok 1 - empty" "$(outcome 'check empty 12.500000 ""')"
check "check: an empty expectation fails, even against an empty value" "fail 1
not ok 1 - nothing" "$(outcome 'check nothing "" ""')"
check "check: multi-line, compared as one piece (one line of it is not enough)" "fail 1
not ok 1 - lines" "$(outcome 'check lines "$(printf "a\nb")" "$(printf "a\nc\nb")"')"
check "check: multi-line, equal" "pass
ok 1 - lines" "$(outcome 'check lines "$(printf "a\nb")" "$(printf "a\nb")"')"
check "check: a trailing space counts" "fail 1
not ok 1 - space" "$(outcome 'check space "a" "a "')"
check "check: glob characters are literal" "fail 1
not ok 1 - glob" "$(outcome 'check glob "a*" "abc"')"

# check_empty
check "check_empty: empty passes" "pass
ok 1 - e" "$(outcome 'check_empty e ""')"
check "check_empty: anything else fails" "fail 1
not ok 1 - e" "$(outcome 'check_empty e " "')"

# check_match: the whole value matches an extended regular expression
check "check_match: a whole match passes" "pass
ok 1 - m" "$(outcome "check_match m '[0-9]+\\.[0-9]{6}' 12.345678")"
check "check_match: a partial match fails (anchored)" "fail 1
not ok 1 - m" "$(outcome "check_match m '[0-9]+\\.[0-9]{6}' 'x12.345678'")"
check "check_match: an empty value fails" "fail 1
not ok 1 - m" "$(outcome "check_match m '[0-9]+' ''")"
check "check_match: an empty pattern fails" "fail 1
not ok 1 - m" "$(outcome "check_match m '' ''")"

# one failure among passes fails the test, and the counts say so
check "finish: one failed check of three fails the test" "fail 1
ok 1 - a
not ok 2 - b
ok 3 - c" "$(outcome 'check a x x; check b x y; check c y y')"
check "a failure shows the expectation and the value" "not ok 1 - b
#   expected exactly:
#   | x
#   got:
#   | x y
0 passed, 1 failed" "$(DBIDL_RUN= bash -c '. "$top_srcdir/tests/lib/bus.sh"; check b x "x y"; finish' 2>&1)"

# the filters
check "xml_element: one element, through its closing line at the same indentation" '  <method name="A">
   <arg type="s" name="x" direction="in"/>
  </method>' "$(xml_element '<method name="A">' <<'XML'
 <interface name="I">
  <method name="A">
   <arg type="s" name="x" direction="in"/>
  </method>
  <method name="B"/>
 </interface>
XML
)"
check "xml_element: a self-closing element is one line" '  <method name="B"/>' "$(xml_element '<method name="B"' <<'XML'
 <interface name="I">
  <method name="B"/>
  <method name="C">
  </method>
 </interface>
XML
)"
check_empty "xml_element: no such element, nothing" "$(xml_element '<method name="Z"' <<<' <method name="A"/>')"
check "mask_dbus_send: the header's changing values" "method return time=… sender=… -> destination=… serial=… reply_serial=…
   int32 5" "$(printf 'method return time=1.5 sender=:1.2 -> destination=:1.30 serial=7 reply_serial=2\n   int32 5\n' |
        mask_dbus_send)"
check "mask_dbus_send: an error is left as it is" "Error org.example.Failed: no" \
        "$(printf 'Error org.example.Failed: no\n' | mask_dbus_send)"
finish

#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dbidl-completion.sh — the bash completion of dbidl (tools/bash-completion/dbidl): commands and
# options, and bus names, object paths, interfaces, methods and properties asked of a private bus with the types
# example on it, on the session bus and through --address
set -u
. "$top_srcdir/tests/lib/bus.sh"
start_private_bus
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$top_builddir/examples/types/types-service"
wait_name org.dbidl.Types1 || exit 1
PATH=$top_builddir:$PATH
# shellcheck source=../../tools/bash-completion/dbidl
. "$top_srcdir/tools/bash-completion/dbidl"

# comp WORD…: what completing the last word offers, one a line, sorted
comp() {
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _dbidl
        [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

check "complete -F _dbidl dbidl is registered" "complete -F _dbidl dbidl" "$(complete -p dbidl)"
check "commands" "call
emit
get
introspect
list
monitor
set
tree
wait" "$(comp dbidl '')"
check "options before the command" "--session
--signature=
--system" "$(comp dbidl --s)"
check "commands after options" "call" "$(comp dbidl --json=short ca)"
check "bus names" "org.dbidl.Types1" "$(comp dbidl call org.dbidl.T)"
check "bus names for monitor, more than one" "org.dbidl.Types1" "$(comp dbidl monitor org.freedesktop.DBus org.dbidl.)"
check "object paths" "/org/dbidl/Types1" "$(comp dbidl call org.dbidl.Types1 /org/dbidl/T)"
check "methods, as INTERFACE.METHOD" "org.dbidl.Types1.EchoStructs" \
        "$(comp dbidl call org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1.EchoS)"
check "interfaces for get" "org.dbidl.Types1" "$(comp dbidl get org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.T)"
check "properties for get" "Level
Lists" "$(comp dbidl get org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1 L)"
check "properties for get, after one" "Level
Lists" "$(comp dbidl get org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1 Current L)"
check_empty "nothing for call's JSON" "$(comp dbidl call org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1.EchoVariant '')"
# the connection options reach the queries: with no session bus, names come only through --address
address=$DBUS_SESSION_BUS_ADDRESS
check_empty "no session bus: no names" "$(DBUS_SESSION_BUS_ADDRESS=unix:path=$DBIDL_TMP/none comp dbidl call org.dbidl.T)"
check "--address=…: names of that bus" "org.dbidl.Types1" \
        "$(DBUS_SESSION_BUS_ADDRESS=unix:path=$DBIDL_TMP/none comp dbidl "--address=$address" call org.dbidl.T)"
check "--list introspect" "interface org.dbidl.Types1
method org.dbidl.Types1.EchoVariant
signal org.dbidl.Types1.VariantEchoed
property org.dbidl.Types1 Level" \
        "$(dbidl --list introspect org.dbidl.Types1 /org/dbidl/Types1 org.dbidl.Types1 |
                grep -E '^interface|EchoVariant$|VariantEchoed$| Level$')"
finish

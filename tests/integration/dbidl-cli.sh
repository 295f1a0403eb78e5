#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dbidl-cli.sh — the dbidl command against the types example and the bus driver on a private
# bus: every type JSON in and out, 64-bit extremes, errors with their locations and exit statuses, get/set,
# monitor as JSON lines (SIGINT, SIGPIPE), emit, wait, introspect, and busctl --json for the same calls.
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless busctl
start_private_bus
ex=$top_builddir/examples/types
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$ex/types-service"
wait_name org.dbidl.Types1 || exit 1

DBIDL=("$top_builddir/dbidl" --json=short)
T=(org.dbidl.Types1 /org/dbidl/Types1)
I=org.dbidl.Types1

# run ARGS…: dbidl's stdout, then "status N" and its stderr
run() {
        local out err st
        out=$("${DBIDL[@]}" "$@" 2>"$DBIDL_TMP/err")
        st=$?
        err=$(cat "$DBIDL_TMP/err")
        printf '%sstatus %s%s' "${out:+$out
}" "$st" "${err:+
$err}"
}

check "--version" "dbidl $(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
status 0" "$(run --version)"

# every basic type at its extremes, by name, through the live introspection
check "EchoBasics: maxima by name" \
        '{"out_y":255,"out_b":true,"out_n":32767,"out_q":65535,"out_i":2147483647,"out_u":4294967295,"out_x":9223372036854775807,"out_t":18446744073709551615,"out_d":1.7976931348623157e+308,"out_s":"h\u00e9 \"q\" \\ \n","out_o":"/a/b_1","out_g":"a{sv}(ii)"}
status 0' \
        "$(run call "${T[@]}" $I.EchoBasics '{"y":255,"b":true,"n":32767,"q":65535,"i":2147483647,"u":4294967295,"x":9223372036854775807,"t":18446744073709551615,"d":1.7976931348623157e308,"s":"h\u00e9 \"q\" \\ \n","o":"/a/b_1","g":"a{sv}(ii)"}' | sed 's/hé/h\\u00e9/')"
check "EchoBasics: minima by position" \
        '{"out_y":0,"out_b":false,"out_n":-32768,"out_q":0,"out_i":-2147483648,"out_u":0,"out_x":-9223372036854775808,"out_t":0,"out_d":-0.0,"out_s":"","out_o":"/","out_g":""}
status 0' \
        "$(run call "${T[@]}" $I.EchoBasics '[0,false,-32768,0,-2147483648,0,-9223372036854775808,0,-0.0,"","/",""]')"
check "uint64 above 2^53 and doubles round-trip exactly" \
        '{"out_y":1,"out_b":true,"out_n":1,"out_q":1,"out_i":1,"out_u":1,"out_x":-9007199254740993,"out_t":9007199254740993,"out_d":0.30000000000000004,"out_s":"€😀","out_o":"/","out_g":"v"}
status 0' \
        "$(run call "${T[@]}" $I.EchoBasics '[1,true,1,1,1,1,-9007199254740993,9007199254740993,0.30000000000000004,"€😀","/","v"]')"
check "NaN and infinities as strings" '{"out_v":{"type":"ad","data":["NaN","Infinity","-Infinity",5e-324]}}
status 0' \
        "$(run call "${T[@]}" $I.EchoVariant '{"v":{"type":"ad","data":["NaN","Infinity","-Infinity",5e-324]}}' | sed 's/4.94065645841247e-324/5e-324/')"

# containers
check "EchoArrays: empty and full, ay from base64" \
        '{"out_ai":[1,-2],"out_ay":[104,105],"out_as":["","x"],"out_ab":[true,false],"out_aad":[[1.5,2.5],[]]}
status 0' \
        "$(run call "${T[@]}" $I.EchoArrays '{"ai":[1,-2],"ay":"aGk=","as":["","x"],"ab":[true,false],"aad":[[1.5,2.5],[]]}')"
check "EchoDicts: uint32 keys as pairs, string keys as objects, inferred variants" \
        '{"out_lists":[[7,["x","y"]],[0,[]]],"out_objects":{"/a":{"k":{"type":"i","data":1}}},"out_options":{"t":{"type":"t","data":18446744073709551615},"s":{"type":"s","data":"v"}},"out_nested":{"o":{"i":1},"e":{}}}
status 0' \
        "$(run call "${T[@]}" $I.EchoDicts '{"lists":{"7":["x","y"],"0":[]},"objects":{"/a":{"k":1}},"options":{"t":{"type":"t","data":18446744073709551615},"s":"v"},"nested":{"o":{"i":1},"e":{}}}')"
check "EchoStructs: structs as arrays" \
        '{"out_header":[18446744073709551615,"l","/p"],"out_record":[[1,"r","/"],2,[-1,["w","/w"]],["t"],{"k":3},[[0.5]]],"out_anon":[5,["s","/o"]],"out_items":[[1,["a","b"]],[2,[]]],"out_records":[]}
status 0' \
        "$(run call "${T[@]}" $I.EchoStructs '[[18446744073709551615,"l","/p"],[[1,"r","/"],2,[-1,["w","/w"]],["t"],{"k":3},[[0.5]]],[5,["s","/o"]],[[1,["a","b"]],[2,[]]],[]]')"
check "nested variants" '{"out_v":{"type":"v","data":{"type":"v","data":{"type":"(ias)","data":[1,["a"]]}}}}
status 0' \
        "$(run call "${T[@]}" $I.EchoVariant '{"v":{"type":"v","data":{"type":"v","data":{"type":"(ias)","data":[1,["a"]]}}}}')"
out=$(run call "${T[@]}" $I.EchoFds '{"handle":"/dev/null","handles":[],"named":{},"file":["f","/dev/null"]}' 3</dev/null)
check_match "EchoFds: fds from paths" '\{"out_handle":[0-9]+,"out_handles":\[\],"out_named":\{\},"out_file":\["f",[0-9]+\]\}
status 0' "$out"
check_match "EchoFds: an inherited fd number" '\{"out_handle":[0-9]+,.*
status 0' "$(run call "${T[@]}" $I.EchoFds '{"handle":3,"handles":[3],"named":{"a":3},"file":["f",3]}' 3</dev/null)"

# errors: locations, exit statuses
check "a value out of range: its location, status 2" 'status 2
dbidl: $.u: expected uint32, got number 4294967296 (out of range)' \
        "$(run call "${T[@]}" $I.EchoBasics '{"y":0,"b":true,"n":0,"q":0,"i":0,"u":4294967296,"x":0,"t":0,"d":0,"s":"","o":"/","g":""}')"
check "a string for a number" 'status 2
dbidl: $.options.timeout.data: expected uint32, got string "5"' \
        "$(run call "${T[@]}" $I.EchoDicts '{"lists":{},"objects":{},"options":{"timeout":{"type":"u","data":"5"}},"nested":{}}')"
check "a missing argument" 'status 2
dbidl: $: missing argument "aad" (array "aad")' \
        "$(run call "${T[@]}" $I.EchoArrays '{"ai":[],"ay":[],"as":[],"ab":[]}')"
check "an unknown argument" 'status 2
dbidl: $.bogus: unknown argument (the arguments are: v)' "$(run call "${T[@]}" $I.EchoVariant '{"bogus":1}')"
check "bad JSON" 'status 2
dbidl: $: not JSON: parse error: premature EOF (at byte 6 of 6)' "$(run call "${T[@]}" $I.EchoVariant '{"v":1')"
check "an unknown method, with a suggestion" 'status 2
dbidl: org.dbidl.Types1 has no method EchoVarient in org.dbidl.Types1 at /org/dbidl/Types1 (did you mean EchoVariant?)' \
        "$(run call "${T[@]}" $I.EchoVarient '{}')"
check "an unknown name: the D-Bus error as JSON, status 1" 'status 1
{"error":"org.freedesktop.DBus.Error.ServiceUnknown","message":"The name org.dbidl.Nobody was not provided by any .service files"}' \
        "$(run call org.dbidl.Nobody / $I.EchoVariant '{}')"
check "a usage error" "status 2
dbidl: call takes NAME PATH INTERFACE.METHOD [JSON]
Try 'dbidl --help'." "$(run call "${T[@]}")"
check "an unknown command" "status 2
dbidl: unknown command 'frobnicate'
Try 'dbidl --help'." "$(run frobnicate)"

# properties
check "set a dict property, get it back" 'status 0
status 0
{"Lists":[[7,["a"]]],"Level":-1}
status 0' "$(run set "${T[@]}" $I Lists '{"7":["a"]}'; echo; run set "${T[@]}" $I Level '-1'; echo; run get "${T[@]}" $I Lists Level)"
check "set: a wrong type" 'status 2
dbidl: $: expected int16, got string "x"' "$(run set "${T[@]}" $I Level '"x"')"

# the bus driver, compared with busctl --json for the same call
pid=$(run call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID '["org.dbidl.Types1"]')
bpid=$(busctl --user --json=short call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
        GetConnectionUnixProcessID s org.dbidl.Types1)
check "GetConnectionUnixProcessID as busctl --json sees it" "$(printf '%s' "$bpid" | sed -n 's/^{"type":"u","data":\[\([0-9]*\)\]}$/{"arg0":\1}/p')
status 0" "$pid"
names=$(run call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.ListNames)
check_match "ListNames" '\{"arg0":\[.*"org.dbidl.Types1".*\]\}
status 0' "$names"

# monitor: JSON lines, a clean exit on SIGINT and when the reader goes away
"${DBIDL[@]}" monitor org.dbidl.Types1 >"$DBIDL_TMP/monitor.out" 2>&1 &
mpid=$!
sleep 0.5
run call "${T[@]}" $I.EchoVariant '{"v":"x"}' >/dev/null
sleep 0.3
kill -INT $mpid
wait $mpid
check "monitor exits 0 on SIGINT" 0 $?
check_match "monitor printed the signal as a JSON line, its arguments named by the sender's introspection" \
        '\{"sender":":1\.[0-9]+","path":"/org/dbidl/Types1","interface":"org.dbidl.Types1","member":"VariantEchoed","signature":"v","args":\{"v":\{"type":"s","data":"x"\}\}\}' \
        "$(cat "$DBIDL_TMP/monitor.out")"
( "${DBIDL[@]}" monitor | grep -m 1 '"member":"Ping"' >"$DBIDL_TMP/head.out"; echo "${PIPESTATUS[0]}" >"$DBIDL_TMP/head.status" ) &
hpid=$!
sleep 0.5
"${DBIDL[@]}" --signature=su emit /org/example/Emit org.example.Emit.Ping '["a",1]'
sleep 0.2
"${DBIDL[@]}" --signature=su emit /org/example/Emit org.example.Emit.Ping '["b",2]'
wait $hpid
check_match "monitor | grep -m 1: the emitted signal" \
        '\{"sender":":1\.[0-9]+","path":"/org/example/Emit","interface":"org.example.Emit","member":"Ping","signature":"su","args":\["a",1\]\}' \
        "$(cat "$DBIDL_TMP/head.out")"
check "monitor ends with status 0 when its reader goes away" 0 "$(cat "$DBIDL_TMP/head.status")"

# --idl: typed by the .idl, named structs as objects (introspection has no field names: arrays above)
IDL=(--idl="$top_srcdir/examples/types/types.idl")
check "--idl: structs by field name, both ways" \
        '{"out_header":{"id":18446744073709551615,"label":"l","path":"/p"},"out_record":{"header":{"id":1,"label":"r","path":"/"},"color":2,"where":[-1,["w","/w"]],"tags":["t"],"scores":{"k":3},"matrix":[[0.5]]},"out_anon":[5,["s","/o"]],"out_items":[[1,["a","b"]]],"out_records":[]}
status 0' \
        "$(run "${IDL[@]}" call "${T[@]}" $I.EchoStructs '{"header":{"label":"l","id":18446744073709551615,"path":"/p"},"record":{"header":[1,"r","/"],"color":2,"where":[-1,["w","/w"]],"tags":["t"],"scores":{"k":3},"matrix":[[0.5]]},"anon":[5,["s","/o"]],"items":[[1,["a","b"]]],"records":[]}')"
check "--idl: a missing field" 'status 2
dbidl: $.header: missing field "path" (object path) of struct "(tso)"' \
        "$(run "${IDL[@]}" call "${T[@]}" $I.EchoStructs '{"header":{"label":"l","id":1},"record":[],"anon":[],"items":[],"records":[]}')"
check "--idl: a method the IDL does not have" "status 2
dbidl: $top_srcdir/examples/types/types.idl has no method EchoStruct in org.dbidl.Types1 (did you mean EchoStructs?)" \
        "$(run "${IDL[@]}" call "${T[@]}" $I.EchoStruct '{}')"
check "--idl: a file that is not there" "status 2
dbidl: cannot read /nonexistent.idl: No such file or directory" \
        "$(run --idl=/nonexistent.idl call "${T[@]}" $I.EchoStructs '{}')"
check "--idl: set and get a struct property by field name" 'status 0
{"Current":{"header":{"id":7,"label":"c","path":"/c"},"color":1,"where":[0,["",  "/"]],"tags":[],"scores":{},"matrix":[]}}
status 0' "$(run "${IDL[@]}" set "${T[@]}" $I Current '{"header":{"id":7,"label":"c","path":"/c"},"color":1,"where":[0,["","/"]],"tags":[],"scores":{},"matrix":[]}'; echo; run "${IDL[@]}" get "${T[@]}" $I Current | sed 's/\["",/["",  /')"
"${DBIDL[@]}" "${IDL[@]}" monitor org.dbidl.Types1 >"$DBIDL_TMP/monitor-idl.out" 2>&1 &
mpid=$!
sleep 0.5
run "${IDL[@]}" call "${T[@]}" $I.EchoStructs '[[1,"h","/"],[[2,"r","/"],1,[0,["","/"]],[],{},[]],[3,["x","/x"]],[],[]]' >/dev/null
sleep 0.3
kill -INT $mpid
wait $mpid
check_match "monitor --idl: struct fields of a signal by name" \
        '.*"member":"StructsEchoed","signature":"\(tso\)\(i\(so\)\)a\(ias\)","args":\{"header":\{"id":1,"label":"h","path":"/"\},"anon":\[3,\["x","/x"\]\],"items":\[\]\}\}' \
        "$(grep StructsEchoed "$DBIDL_TMP/monitor-idl.out")"

# emit: typed by the JSON itself, by --idl
"${DBIDL[@]}" monitor >"$DBIDL_TMP/monitor-emit.out" 2>&1 &
mpid=$!
sleep 0.5
check "emit: the signature inferred from the JSON" "status 0" \
        "$(run emit /org/example/Emit org.example.Emit.Infer '["s",-1,4294967296,1.5,true,["a"],{"k":1},[1]]')"
check "emit --idl: arguments by name" "status 0" \
        "$(run "${IDL[@]}" emit /org/dbidl/Types1 org.dbidl.Types1.VariantEchoed '{"v":{"type":"q","data":9}}')"
check "emit: null has no type" 'status 2
dbidl: $[1]: expected variant, got null (its type cannot be inferred: give a signature)' \
        "$(run emit /org/example/Emit org.example.Emit.Infer '[1,null]')"
sleep 0.3
kill -INT $mpid
wait $mpid
check_match "monitor: the inferred signature" \
        '.*"member":"Infer","signature":"sixdbasa\{sv\}av","args":\["s",-1,4294967296,1.5,true,\["a"\],\{"k":\{"type":"i","data":1\}\},\[\{"type":"i","data":1\}\]\]\}' \
        "$(grep '"Infer"' "$DBIDL_TMP/monitor-emit.out")"
# (by position: the sender, gone or not, does not describe org.dbidl.Types1)
check_match "monitor: the emitted VariantEchoed" '.*"member":"VariantEchoed","signature":"v","args":\[\{"type":"q","data":9\}\]\}' \
        "$(grep VariantEchoed "$DBIDL_TMP/monitor-emit.out")"

# wait, introspect, tree
check "wait for an owned name" "status 0" "$(run wait org.dbidl.Types1)"
check "wait times out" "status 1
dbidl: timed out waiting for org.dbidl.Later" "$(run --timeout=0.3 wait org.dbidl.Later)"
check "tree" "/
/org
/org/dbidl
/org/dbidl/Types1
status 0" "$(run tree org.dbidl.Types1)"
check "introspect as .idl" "        method EchoVariant(v: variant) -> (out_v: variant);" \
        "$("$top_builddir/dbidl" introspect "${T[@]}" $I | grep EchoVariant)"
check_match "introspect --json" '\{"org.dbidl.Types1":\{"methods":\{.*"EchoVariant":\{"in":\[\{"name":"v","type":"v"\}\],"in_signature":"v","out":\[\{"name":"out_v","type":"v"\}\],"out_signature":"v"\}.*' \
        "$("${DBIDL[@]}" introspect "${T[@]}" $I)"

finish

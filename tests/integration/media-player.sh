#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/media-player.sh — the MPRIS example player against playerctl, gdbus, dbus-send, busctl, dbus-monitor
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless playerctl gdbus dbus-send dbus-monitor busctl
start_private_bus
ex=$top_builddir/examples/media-player
NAME=org.mpris.MediaPlayer2.dbidl_demo
start_service "$DBIDL_TMP/player.log" $DBIDL_RUN "$ex/media-player"
player_pid=$!
wait_name "$NAME" || exit 1

P=(playerctl -p dbidl_demo)
D=(-d "$NAME" -o /org/mpris/MediaPlayer2)

# wait_for DESCRIPTION EXPECTED COMMAND…: run COMMAND every 0.1 s, for up to 20 s, until its output is EXPECTED;
# then check it (exactly).  For what happens asynchronously (signals, timers).
wait_for() {
        local what=$1 expected=$2 out _
        shift 2
        for _ in $(seq 200); do
                out=$("$@" 2>&1)
                [ "$out" = "$expected" ] && break
                sleep 0.1
        done
        check "$what" "$expected" "$out"
}

# signals MEMBER [TEXT]: from the dbus-monitor log, every signal MEMBER (whose body contains the fixed string TEXT,
# if given) in the order they came, one block each: the header from "path=" on (its time, sender and serial change
# from run to run), then the body; blocks separated by an empty line, unique names masked as :1.N.
signals() {
        awk -v member="$1" -v text="${2:-}" '
                function flush() {
                        if (block != "" && index(block, text)) {
                                printf "%s%s", sep, block
                                sep = "\n"
                        }
                        block = ""
                }
                /^[a-z]/ {      # a message header; the body lines are indented
                        flush()
                        if ($0 ~ ("; member=" member "$")) {
                                block = $0
                                sub(/^.* path=/, "path=", block)
                                block = block "\n"
                        }
                        next
                }
                block != "" { block = block $0 "\n" }
                END { flush() }' "$DBIDL_TMP/monitor.log" | sed -E 's/:1\.[0-9]+/:1.N/g'
}

# changed PROPERTY VALUE: a PropertiesChanged signal of the Player interface that sends one value, as signals()
# prints it
changed() {
        printf '%s\n' "path=/org/mpris/MediaPlayer2; interface=org.freedesktop.DBus.Properties; member=PropertiesChanged" \
                '   string "org.mpris.MediaPlayer2.Player"' '   array [' \
                '      dict entry(' "         string \"$1\"" "         variant             $2" '      )' '   ]' \
                '   array [' '   ]'
}

# greater A B: true if the number B is greater than the number A (positions are printed as seconds, "12.345678").
greater() {
        awk -v a="$1" -v b="$2" 'BEGIN { exit !(b + 0 > a + 0) }'
}

# every Seeked signal and PropertiesChanged the player sends, for the checks below
start_service "$DBIDL_TMP/monitor.log" dbus-monitor --session "type='signal',path='/org/mpris/MediaPlayer2'"
wait_for "dbus-monitor is listening (its own NameLost)" "path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameLost
   string \":1.N\"" signals NameLost

# discovery and the initial state
check "playerctl -l lists the player" "dbidl_demo" "$(playerctl -l 2>&1)"
check "status: Stopped at start" "Stopped" "$("${P[@]}" status 2>&1)"
check "metadata title" "Signal and Slot" "$("${P[@]}" metadata title 2>&1)"
check "metadata artist (xesam:artist, as)" "The Marshallers" "$("${P[@]}" metadata artist 2>&1)"
check "metadata mpris:length (x, µs)" "205000000" "$("${P[@]}" metadata mpris:length 2>&1)"
check "metadata mpris:trackid (o)" "'/org/dbidl/MediaPlayer/Track/0'" "$("${P[@]}" metadata mpris:trackid 2>&1)"

# playerctl --follow status, in the background, sees every change of PlaybackStatus (PropertiesChanged)
"${P[@]}" --follow status >"$DBIDL_TMP/follow.log" 2>&1 &
follow_pid=$!
wait_for "--follow status prints the current status" "Stopped" cat "$DBIDL_TMP/follow.log"

# play, and the position advances with time
check_status "play" "${P[@]}" play
check "status: Playing" "Playing" "$("${P[@]}" status 2>&1)"
wait_for "--follow status sees Playing" "$(printf 'Stopped\nPlaying')" cat "$DBIDL_TMP/follow.log"
pos1=$("${P[@]}" position 2>&1)
sleep 1
pos2=$("${P[@]}" position 2>&1)
# positions are seconds with six decimals; an empty or malformed one fails here, not silently below
check_match "a position while Playing ($pos1)" '[0-9]+\.[0-9]{6}' "$pos1"
check_match "a position a second later ($pos2)" '[0-9]+\.[0-9]{6}' "$pos2"
check_status "position advances while Playing ($pos1 -> $pos2)" greater "$pos1" "$pos2"

# pause: the position stands still
check_status "pause" "${P[@]}" pause
check "status: Paused" "Paused" "$("${P[@]}" status 2>&1)"
wait_for "--follow status sees Paused" "$(printf 'Stopped\nPlaying\nPaused')" cat "$DBIDL_TMP/follow.log"
pos1=$("${P[@]}" position 2>&1)
check_match "a position while Paused ($pos1)" '[0-9]+\.[0-9]{6}' "$pos1"
sleep 0.5
# check refuses an empty expectation: an empty $pos1 fails here too
check "position stands still while Paused" "$pos1" "$("${P[@]}" position 2>&1)"
check "play-pause resumes" "Playing" "$("${P[@]}" play-pause 2>&1; "${P[@]}" status 2>&1)"
check "play-pause pauses" "Paused" "$("${P[@]}" play-pause 2>&1; "${P[@]}" status 2>&1)"

# next and previous change the track (Metadata and CanGoPrevious in PropertiesChanged)
check_status "next" "${P[@]}" next
check "next: the title changes" "Properties Changed" "$("${P[@]}" metadata title 2>&1)"
check "next: two artists joined" "Ada Vtable, The Introspectors" "$("${P[@]}" metadata artist 2>&1)"
check "next: the status stays Paused" "Paused" "$("${P[@]}" status 2>&1)"
check "next: the position starts at 0" "0.000000" "$("${P[@]}" position 2>&1)"
check_status "previous" "${P[@]}" previous
check "previous: the title changes back" "Signal and Slot" "$("${P[@]}" metadata title 2>&1)"
wait_for "PropertiesChanged: Metadata of track 2, then of track 1" 'path=/org/mpris/MediaPlayer2; interface=org.freedesktop.DBus.Properties; member=PropertiesChanged
   string "org.mpris.MediaPlayer2.Player"
   array [
      dict entry(
         string "Metadata"
         variant             array [
               dict entry(
                  string "mpris:trackid"
                  variant                      object path "/org/dbidl/MediaPlayer/Track/1"
               )
               dict entry(
                  string "mpris:length"
                  variant                      int64 242000000
               )
               dict entry(
                  string "xesam:title"
                  variant                      string "Properties Changed"
               )
               dict entry(
                  string "xesam:artist"
                  variant                      array [
                        string "Ada Vtable"
                        string "The Introspectors"
                     ]
               )
               dict entry(
                  string "xesam:album"
                  variant                      string "Method Calls"
               )
               dict entry(
                  string "xesam:trackNumber"
                  variant                      int32 2
               )
            ]
      )
   ]
   array [
   ]

path=/org/mpris/MediaPlayer2; interface=org.freedesktop.DBus.Properties; member=PropertiesChanged
   string "org.mpris.MediaPlayer2.Player"
   array [
      dict entry(
         string "Metadata"
         variant             array [
               dict entry(
                  string "mpris:trackid"
                  variant                      object path "/org/dbidl/MediaPlayer/Track/0"
               )
               dict entry(
                  string "mpris:length"
                  variant                      int64 205000000
               )
               dict entry(
                  string "xesam:title"
                  variant                      string "Signal and Slot"
               )
               dict entry(
                  string "xesam:artist"
                  variant                      array [
                        string "The Marshallers"
                     ]
               )
               dict entry(
                  string "xesam:album"
                  variant                      string "Method Calls"
               )
               dict entry(
                  string "xesam:trackNumber"
                  variant                      int32 1
               )
            ]
      )
   ]
   array [
   ]' signals PropertiesChanged 'string "Metadata"'
wait_for "PropertiesChanged: CanGoPrevious true after next, false after previous" \
        "$(changed CanGoPrevious "boolean true")

$(changed CanGoPrevious "boolean false")" signals PropertiesChanged 'string "CanGoPrevious"'


# volume: set, read back, clamped to [0, 1], NaN refused
check "volume: 0.8 at start" "0.800000" "$("${P[@]}" volume 2>&1)"
check_status "volume 0.4" "${P[@]}" volume 0.4
check "volume read back" "0.400000" "$("${P[@]}" volume 2>&1)"
wait_for "PropertiesChanged: Volume" "$(changed Volume "double 0.4")" signals PropertiesChanged 'string "Volume"'
"${P[@]}" volume 1.7 >/dev/null 2>&1
check "volume 1.7 is clamped to 1" "1.000000" "$("${P[@]}" volume 2>&1)"
check "Set Volume NaN: InvalidArgs" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: Volume must be a number, not NaN
(According to introspection data, you need to pass 'ssv')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set \
                org.mpris.MediaPlayer2.Player Volume '<nan>' 2>&1)"
check "volume unchanged after NaN" "1.000000" "$("${P[@]}" volume 2>&1)"
"${P[@]}" volume 0.4 >/dev/null 2>&1

# position and seek (paused, so the numbers are exact); each emits Seeked
check_status "position 30 (SetPosition)" "${P[@]}" position 30
check "position read back" "30.000000" "$("${P[@]}" position 2>&1)"
wait_for "Seeked signal after SetPosition" "path=/org/mpris/MediaPlayer2; interface=org.mpris.MediaPlayer2.Player; member=Seeked
   int64 30000000" signals Seeked
check_status "position 10+ (Seek)" "${P[@]}" position 10+
check "position after seeking forward" "40.000000" "$("${P[@]}" position 2>&1)"
check_status "position 5- (Seek back)" "${P[@]}" position 5-
check "position after seeking back" "35.000000" "$("${P[@]}" position 2>&1)"
check_status "position 100- (before the start)" "${P[@]}" position 100-
check "seeking before the start gives 0" "0.000000" "$("${P[@]}" position 2>&1)"
check_status "SetPosition with a stale track id (dbus-send)" dbus-send --session --print-reply --dest="$NAME" \
        /org/mpris/MediaPlayer2 org.mpris.MediaPlayer2.Player.SetPosition \
        objpath:/org/dbidl/MediaPlayer/Track/2 int64:50000000
check "a stale SetPosition is ignored" "0.000000" "$("${P[@]}" position 2>&1)"

# stop; --follow saw every status
check_status "stop" "${P[@]}" stop
check "status: Stopped" "Stopped" "$("${P[@]}" status 2>&1)"
wait_for "--follow status sees Stopped again" "Stopped" tail -n1 "$DBIDL_TMP/follow.log"
kill "$follow_pid" 2>/dev/null
wait "$follow_pid" 2>/dev/null
check "--follow status printed every change in order" "$(printf 'Stopped\nPlaying\nPaused\nPlaying\nPaused\nStopped')" \
        "$(cat "$DBIDL_TMP/follow.log")"

# loop and shuffle (readwrite properties)
check "loop: None at start" "None" "$("${P[@]}" loop 2>&1)"
check "loop Playlist read back" "Playlist" "$("${P[@]}" loop Playlist 2>&1; "${P[@]}" loop 2>&1)"
check "Set LoopStatus to an unknown value: InvalidArgs" \
        'Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: LoopStatus must be "None", "Track" or "Playlist", not "Sometimes"
(According to introspection data, you need to pass '"'ssv')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set \
                org.mpris.MediaPlayer2.Player LoopStatus '<"Sometimes">' 2>&1)"
check "previous wraps around with LoopStatus Playlist" "Match Rule" \
        "$("${P[@]}" previous 2>&1; "${P[@]}" metadata title 2>&1)"
check "loop None" "None" "$("${P[@]}" loop None 2>&1; "${P[@]}" loop 2>&1)"
check "shuffle On read back" "On" "$("${P[@]}" shuffle On 2>&1; "${P[@]}" shuffle 2>&1)"
check "shuffle Off read back" "Off" "$("${P[@]}" shuffle Off 2>&1; "${P[@]}" shuffle 2>&1)"

# the end of a track moves on to the next one (the sd-event timer), still Playing
"${P[@]}" previous >/dev/null 2>&1
check "back on track 3" "Well-Known Name" "$("${P[@]}" metadata title 2>&1)"
check_status "play, then 0.5 s before the end" bash -c '"$@" play && "$@" position 166.5' _ "${P[@]}"
wait_for "the next track follows when a track ends" "Match Rule" "${P[@]}" metadata title
check "still Playing after the track change" "Playing" "$("${P[@]}" status 2>&1)"

# open a file: a new track, playing (playerctl turns the path of an existing file into a file:// URI)
: >"$DBIDL_TMP/song.ogg"
check_status "open a file (OpenUri file://…/song.ogg)" "${P[@]}" open "$DBIDL_TMP/song.ogg"
check "the opened track is current" "song.ogg" "$("${P[@]}" metadata title 2>&1)"
check "the opened track's URL" "file://$DBIDL_TMP/song.ogg" "$("${P[@]}" metadata xesam:url 2>&1)"
check "the opened track plays" "Playing" "$("${P[@]}" status 2>&1)"
check "OpenUri of an unsupported scheme: NotSupported" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.NotSupported: Only file:// URIs are supported (SupportedUriSchemes), not http://example.org/a.mp3" \
        "$(gdbus call --session "${D[@]}" -m org.mpris.MediaPlayer2.Player.OpenUri 'http://example.org/a.mp3' 2>&1)"

# gdbus: a method call, GetAll on both interfaces, the introspection data
check "gdbus call PlayPause" "()" "$(gdbus call --session "${D[@]}" -m org.mpris.MediaPlayer2.Player.PlayPause 2>&1)"
all=$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.GetAll org.mpris.MediaPlayer2.Player 2>&1)
# the position moves while the track played: checked as a number, the rest exactly
check_match "GetAll Player: Position, an int64" '[0-9]+' "$(sed -nE "s/.*'Position': <int64 ([0-9]+)>.*/\\1/p" <<<"$all")"
check "GetAll Player: every property (Metadata with the track id as an object path, mpris:length as int64, xesam:artist as a string array, CanGoNext false on the last track)" \
        "({'PlaybackStatus': <'Paused'>, 'LoopStatus': <'None'>, 'Rate': <1.0>, 'Shuffle': <false>, 'Metadata': <{'mpris:trackid': <objectpath '/org/dbidl/MediaPlayer/Track/4'>, 'mpris:length': <int64 180000000>, 'xesam:title': <'song.ogg'>, 'xesam:artist': <['Unknown artist']>, 'xesam:url': <'file://$DBIDL_TMP/song.ogg'>, 'xesam:trackNumber': <5>}>, 'Volume': <0.40000000000000002>, 'Position': <int64 …>, 'MinimumRate': <0.25>, 'MaximumRate': <4.0>, 'CanGoNext': <false>, 'CanGoPrevious': <true>, 'CanPlay': <true>, 'CanPause': <true>, 'CanSeek': <true>, 'CanControl': <true>},)" \
        "$(sed -E "s/'Position': <int64 [0-9]+>/'Position': <int64 …>/" <<<"$all")"
root=$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.GetAll org.mpris.MediaPlayer2 2>&1)
check "GetAll MediaPlayer2: every property" \
        "({'CanQuit': <true>, 'CanRaise': <false>, 'HasTrackList': <false>, 'Identity': <'dbidl demo player'>, 'DesktopEntry': <'dbidl-media-player'>, 'SupportedUriSchemes': <['file']>, 'SupportedMimeTypes': <['audio/mpeg', 'audio/ogg', 'audio/flac', 'audio/x-wav']>},)" \
        "$root"
intro=$(gdbus introspect --session --xml "${D[@]}" 2>&1)
check "introspection: Seek's argument" '  <method name="Seek">
   <arg type="x" name="Offset" direction="in"/>
  </method>' "$(xml_element '<method name="Seek">' <<<"$intro")"
check "introspection: SetPosition's track id" '  <method name="SetPosition">
   <arg type="o" name="TrackId" direction="in"/>
   <arg type="x" name="Position" direction="in"/>
  </method>' "$(xml_element '<method name="SetPosition">' <<<"$intro")"
check "introspection: Seeked" '  <signal name="Seeked">
   <arg type="x" name="Position"/>
  </signal>' "$(xml_element '<signal name="Seeked">' <<<"$intro")"
check "introspection: Metadata" '  <property name="Metadata" type="a{sv}" access="read">
  </property>' "$(xml_element '<property name="Metadata"' <<<"$intro")"
check "introspection: Volume is readwrite" '  <property name="Volume" type="d" access="readwrite">
  </property>' "$(xml_element '<property name="Volume"' <<<"$intro")"
check "introspection: Position emits no PropertiesChanged" '  <property name="Position" type="x" access="read">
   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
  </property>' "$(xml_element '<property name="Position"' <<<"$intro")"
check "introspection: CanControl is const" '  <property name="CanControl" type="b" access="read">
   <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>
  </property>' "$(xml_element '<property name="CanControl"' <<<"$intro")"
check "introspection: the root interface" ' <interface name="org.mpris.MediaPlayer2">
  <method name="Raise">
  </method>
  <method name="Quit">
  </method>
  <property name="CanQuit" type="b" access="read">
  </property>
  <property name="CanRaise" type="b" access="read">
  </property>
  <property name="HasTrackList" type="b" access="read">
  </property>
  <property name="Identity" type="s" access="read">
  </property>
  <property name="DesktopEntry" type="s" access="read">
  </property>
  <property name="SupportedUriSchemes" type="as" access="read">
  </property>
  <property name="SupportedMimeTypes" type="as" access="read">
  </property>
 </interface>' "$(xml_element '<interface name="org.mpris.MediaPlayer2">' <<<"$intro")"

# a second player cannot take the name, and says so
second=$(timeout 120 $DBIDL_RUN "$ex/media-player" 2>&1)
check "a second instance exits with status 1" "status 1" "status $?"
check "a second instance explains why" 'playlist of 4 tracks; track 1: "Signal and Slot" (3:25); Stopped
media-player: org.mpris.MediaPlayer2.dbidl_demo is owned by another player, or was lost; exiting
media-player: exiting' "$second"

# Quit ends the player cleanly (exit status 0)
check "gdbus call Quit" "()" "$(gdbus call --session "${D[@]}" -m org.mpris.MediaPlayer2.Quit 2>&1)"
for _ in $(seq 300); do
        alive "$player_pid" || break
        sleep 0.1
done
wait "$player_pid"
check "the player exits with status 0 after Quit" "status 0" "status $?"
check "the player printed what it did" "playlist of 4 tracks; track 1: \"Signal and Slot\" (3:25); Stopped
media-player: serving org.mpris.MediaPlayer2.dbidl_demo at /org/mpris/MediaPlayer2 (playerctl -p dbidl_demo …)
Play
Playing
Pause
Paused
PlayPause
Playing
PlayPause
Paused
Next
track 2/4: \"Properties Changed\" (4:02)
Previous
track 1/4: \"Signal and Slot\" (3:25)
Volume = 0.4
Volume = 1 (asked for 1.7)
Volume = 0.4
SetPosition(/org/dbidl/MediaPlayer/Track/0, 30000000 µs)
position 0:30
Seek(+10000000 µs)
position 0:40
Seek(-5000000 µs)
position 0:35
Seek(-100000000 µs)
position 0:00
SetPosition(/org/dbidl/MediaPlayer/Track/2, 50000000 µs)
  ignored: /org/dbidl/MediaPlayer/Track/2 is not the current track
Stop
Stopped
LoopStatus = Playlist
Previous
track 4/4: \"Match Rule\" (5:13)
LoopStatus = None
Shuffle = true
Shuffle = false
Previous
track 3/4: \"Well-Known Name\" (2:47)
Play
Playing
SetPosition(/org/dbidl/MediaPlayer/Track/2, 166500000 µs)
position 2:46
end of \"Well-Known Name\"
track 4/4: \"Match Rule\" (5:13)
OpenUri(file://$DBIDL_TMP/song.ogg)
track 5/5: \"song.ogg\" (3:00)
OpenUri(http://example.org/a.mp3)
PlayPause
Paused
Quit
media-player: exiting" "$(cat "$DBIDL_TMP/player.log")"

# a new instance takes the name again; finish stops it with SIGTERM
start_service "$DBIDL_TMP/player2.log" $DBIDL_RUN "$ex/media-player"
wait_name "$NAME" || exit 1
check "a new instance serves again" "Stopped" "$("${P[@]}" status 2>&1)"

# the limits (README.md, "Limits"): a URI of more than 4096 bytes is refused with LimitsExceeded, one of 4096 is
# taken; the playlist keeps 1000 tracks, and OpenUri past that drops the oldest
uri=file:///music/$(head -c 4078 /dev/zero | tr '\0' x).ogg
limits_exceeded="Error: GDBus.Error:org.freedesktop.DBus.Error.LimitsExceeded:"
check "a URI of 4097 bytes: LimitsExceeded" \
        "$limits_exceeded The URI has 4097 bytes; OpenUri takes URIs of at most 4096 bytes" \
        "$(gdbus call --session "${D[@]}" -m org.mpris.MediaPlayer2.Player.OpenUri "${uri}x" 2>&1)"
check "a URI of 4096 bytes is opened (dbus-send: an empty reply)" \
        "method return time=… sender=… -> destination=… serial=… reply_serial=…" \
        "$(dbus-send --session --print-reply --dest="$NAME" /org/mpris/MediaPlayer2 \
                org.mpris.MediaPlayer2.Player.OpenUri "string:$uri" 2>&1 | mask_dbus_send)"
check "the URL of the track of 4096 bytes" "$uri" "$("${P[@]}" metadata xesam:url 2>&1)"
check "the player printed the refusal and the track" "OpenUri(a URI of 4097 bytes): refused, longer than 4096 bytes
OpenUri($uri)
track 5/5: \"$(head -c 4078 /dev/zero | tr '\0' x).ogg\" (3:00)
Playing" "$(sed -n '3,$p' "$DBIDL_TMP/player2.log")"
for i in $(seq 6 1000); do
        busctl --user call "$NAME" /org/mpris/MediaPlayer2 org.mpris.MediaPlayer2.Player OpenUri s \
                "file:///music/$i.ogg" || break
done
check "1000 tracks: the last one opened is track 1000 of 1000, nothing dropped" '0 dropped
OpenUri(file:///music/1000.ogg)
track 1000/1000: "1000.ogg" (3:00)' "$(grep -c '^playlist full' "$DBIDL_TMP/player2.log") dropped
$(grep -E '^(OpenUri|track|playlist full)' "$DBIDL_TMP/player2.log" | tail -n2)"
for i in 1001 1002; do
        check "OpenUri of track $i past the limit (dbus-send: an empty reply)" \
                "method return time=… sender=… -> destination=… serial=… reply_serial=…" \
                "$(dbus-send --session --print-reply --dest="$NAME" /org/mpris/MediaPlayer2 \
                        org.mpris.MediaPlayer2.Player.OpenUri "string:file:///music/$i.ogg" 2>&1 | mask_dbus_send)"
done
check "track 1001 and 1002 drop the oldest two, Signal and Slot and Properties Changed" \
        'OpenUri(file:///music/1001.ogg)
playlist full (1000 tracks): dropping the oldest, "Signal and Slot" (/org/dbidl/MediaPlayer/Track/0)
track 1000/1000: "1001.ogg" (3:00)
OpenUri(file:///music/1002.ogg)
playlist full (1000 tracks): dropping the oldest, "Properties Changed" (/org/dbidl/MediaPlayer/Track/1)
track 1000/1000: "1002.ogg" (3:00)' "$(grep -E '^(OpenUri|track|playlist full)' "$DBIDL_TMP/player2.log" | tail -n6)"
check "the current track's id counts every track added (none is reused)" "'/org/dbidl/MediaPlayer/Track/1001'" \
        "$("${P[@]}" metadata mpris:trackid 2>&1)"
check "Next with LoopStatus Playlist wraps to the oldest track left, Well-Known Name" \
        "Well-Known Name '/org/dbidl/MediaPlayer/Track/2'" \
        "$("${P[@]}" loop Playlist 2>&1; "${P[@]}" next 2>&1
           printf '%s %s' "$("${P[@]}" metadata title 2>&1)" "$("${P[@]}" metadata mpris:trackid 2>&1)")"
finish

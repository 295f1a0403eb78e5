#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dbidl-peer.py — a peer-to-peer D-Bus server (python-dbus, no bus) for dbidl --peer
#
# usage: dbidl-peer.py ADDRESS   (e.g. unix:path=/tmp/x/peer); prints "ready" once it listens.  Every connection
# gets /org/example/Peer with org.example.Peer1: Repeat(s text, i times) -> s, Echo(a{sv} options) -> a{sv}, and a
# signal Said(s text) sent by Say(s text).
import sys

import dbus
import dbus.mainloop.glib
import dbus.server
import dbus.service
from gi.repository import GLib

IFACE = 'org.example.Peer1'


class Peer(dbus.service.Object):
    @dbus.service.method(IFACE, in_signature='si', out_signature='s')
    def Repeat(self, text, times):
        return text * times

    @dbus.service.method(IFACE, in_signature='a{sv}', out_signature='a{sv}')
    def Echo(self, options):
        return options

    @dbus.service.signal(IFACE, signature='s')
    def Said(self, text):
        pass

    @dbus.service.method(IFACE, in_signature='s', out_signature='')
    def Say(self, text):
        self.Said(text)


class Server(dbus.server.Server):
    def connection_added(self, conn):
        Peer(conn, '/org/example/Peer')


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
server = Server(sys.argv[1])
print('ready', flush=True)
GLib.MainLoop().run()

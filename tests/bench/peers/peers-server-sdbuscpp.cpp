// SPDX-License-Identifier: LGPL-2.1-or-later
// tests/bench/peers/peers-server-sdbuscpp.cpp — org.dbidl.BenchPeers1 served by sdbus-c++'s generated adaptor

// peers-server-sdbuscpp --bus NAME
//
// The adaptor sdbus-c++-xml2cpp generates (gen/sdbuscpp-adaptor.h) implemented as its documentation shows:
// arguments arrive as std::string / std::vector / sdbus::Struct, results are returned, Ticks go out through
// emitTick().  It owns NAME on the session bus and runs the connection's event loop until SIGTERM.
// sdbus-c++ 1.2 has no peer-to-peer API (no server or direct connections before 2.0), so --listen says so
// and exits 2; run.sh shows "n/a" in the peer-to-peer table.

#include <cstdio>
#include <cstring>
#include <numeric>
#include <sdbus-c++/sdbus-c++.h>

#include "peers.h"
#include "sdbuscpp-adaptor.h"

namespace {

class Server final : public sdbus::AdaptorInterfaces<org::dbidl::BenchPeers1_adaptor> {
public:
        Server(sdbus::IConnection &connection) : AdaptorInterfaces(connection, PEERS_PATH) { registerAdaptor(); }
        ~Server() { unregisterAdaptor(); }

private:
        int32_t Ping(const int32_t &x) override { return x + 1; }
        std::string Echo(const std::string &s) override { return s; }
        int64_t Sum(const std::vector<int32_t> &v) override { return std::accumulate(v.begin(), v.end(), int64_t(0)); }
        std::tuple<uint32_t, int64_t> Structs(const std::vector<sdbus::Struct<int32_t, std::string, double>> &v) override {
                int64_t total = 0;
                for (const auto &item : v)
                        total += item.get<0>();
                return { uint32_t(v.size()), total };
        }
        void Burst(const uint32_t &n, const uint32_t &size) override {
                std::string pad(size, 'x');
                for (uint32_t i = 0; i < n; i++)
                        emitTick(i, pad);
        }
};

}

int main(int argc, char **argv) {
        if (argc == 3 && std::strcmp(argv[1], "--listen") == 0) {
                std::fprintf(stderr, "peers-server-sdbuscpp: peer-to-peer: not available in sdbus-c++ 1.2\n");
                return 2;
        }
        if (argc != 3 || std::strcmp(argv[1], "--bus") != 0) {
                std::fprintf(stderr, "Usage: peers-server-sdbuscpp --bus NAME\n");
                return 2;
        }
        try {
                auto connection = sdbus::createSessionBusConnection();
                Server server(*connection);
                connection->requestName(argv[2]);
                std::printf("ready\n");
                std::fflush(stdout);
                connection->enterEventLoop();
        } catch (const sdbus::Error &e) {
                std::fprintf(stderr, "peers-server-sdbuscpp: %s: %s\n", e.getName().c_str(), e.getMessage().c_str());
                return 1;
        }
        return 0;
}

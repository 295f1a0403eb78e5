// SPDX-License-Identifier: LGPL-2.1-or-later
// tests/bench/peers/peers-client-sdbuscpp.cpp — the sdbus-c++ contender's calls: the proxy sdbus-c++-xml2cpp generates (main() in peers-client.c)

// Blocking calls through the generated proxy's methods (gen/sdbuscpp-proxy.h) on a connection of our own
// (no event-loop thread); the inputs are a std::string, a std::vector<int32_t> and a vector of
// sdbus::Struct built once; Ticks arrive in the proxy's onTick(), dispatched with processPendingRequest()
// after Burst's reply.  sdbus-c++ 1.2 cannot make peer-to-peer connections: --peer says so and exits 2.

#include <cstdio>
#include <poll.h>
#include <sdbus-c++/sdbus-c++.h>

#include "peers.h"
#include "sdbuscpp-proxy.h"

namespace {

class Proxy final : public sdbus::ProxyInterfaces<org::dbidl::BenchPeers1_proxy> {
public:
        Proxy(sdbus::IConnection &connection, std::string destination)
                : ProxyInterfaces(connection, std::move(destination), PEERS_PATH) {
                registerProxy();
        }
        ~Proxy() { unregisterProxy(); }
        peers_ticks *ticks = nullptr;

private:
        void onTick(const uint32_t &seq, const std::string &) override {
                if (ticks)
                        peers_tick(ticks, seq);
        }
};

struct Client {
        std::unique_ptr<sdbus::IConnection> connection;
        std::unique_ptr<Proxy> proxy;
        std::string echo_s;
        std::vector<int32_t> sum_v;
        std::vector<sdbus::Struct<int32_t, std::string, double>> items;
};

int fail(const char *what, const sdbus::Error &e) {
        std::fprintf(stderr, "peers-client: sdbuscpp: %s failed: %s: %s\n", what, e.getName().c_str(), e.getMessage().c_str());
        return -1;
}

int cpp_connect(const char *bus_name, const char *address, void **ret) {
        if (address) {
                std::fprintf(stderr, "peers-client: sdbuscpp: peer-to-peer: not available in sdbus-c++ 1.2\n");
                std::exit(2);
        }
        try {
                auto c = new Client;
                c->connection = sdbus::createSessionBusConnection();
                c->proxy = std::make_unique<Proxy>(*c->connection, bus_name);
                *ret = c;
                return 0;
        } catch (const sdbus::Error &e) {
                return fail("connecting", e);
        }
}

void cpp_disconnect(void *p) {
        delete static_cast<Client *>(p);
}

int cpp_ping(void *p, int32_t x, int32_t *ret_y) {
        try {
                *ret_y = static_cast<Client *>(p)->proxy->Ping(x);
                return 0;
        } catch (const sdbus::Error &e) {
                return fail("Ping", e);
        }
}

int cpp_echo_prepare(void *p, const char *s, size_t len) {
        static_cast<Client *>(p)->echo_s.assign(s, len);
        return 0;
}

void cpp_echo_release(void *p) {
        std::string().swap(static_cast<Client *>(p)->echo_s);
}

int cpp_echo(void *p, const char *s, size_t len) {
        auto c = static_cast<Client *>(p);
        try {
                std::string got = c->proxy->Echo(c->echo_s);
                return peers_check_echo("sdbuscpp", s, len, got.data(), got.size());
        } catch (const sdbus::Error &e) {
                return fail("Echo", e);
        }
}

int cpp_sum_prepare(void *p, const int32_t *v, size_t n) {
        static_cast<Client *>(p)->sum_v.assign(v, v + n);
        return 0;
}

int cpp_sum(void *p, const int32_t *, size_t, int64_t *ret_total) {
        auto c = static_cast<Client *>(p);
        try {
                *ret_total = c->proxy->Sum(c->sum_v);
                return 0;
        } catch (const sdbus::Error &e) {
                return fail("Sum", e);
        }
}

int cpp_structs_prepare(void *p, const peers_item *v, size_t n) {
        auto c = static_cast<Client *>(p);
        c->items.reserve(n);
        for (size_t i = 0; i < n; i++)
                c->items.emplace_back(sdbus::make_struct(v[i].id, std::string(v[i].name), v[i].value));
        return 0;
}

int cpp_structs(void *p, const peers_item *, size_t, uint32_t *ret_n, int64_t *ret_total) {
        auto c = static_cast<Client *>(p);
        try {
                auto [n, total] = c->proxy->Structs(c->items);
                *ret_n = n;
                *ret_total = total;
                return 0;
        } catch (const sdbus::Error &e) {
                return fail("Structs", e);
        }
}

int cpp_burst(void *p, uint32_t n, uint32_t size, double timeout, peers_ticks *t) {
        auto c = static_cast<Client *>(p);
        try {
                c->proxy->ticks = t;
                c->proxy->Burst(n, size);
                double deadline = peers_now() + timeout;
                while (t->received + t->wrong < n && t->expected < n) {
                        double left = deadline - peers_now();
                        if (left <= 0)
                                break;
                        if (c->connection->processPendingRequest())
                                continue;
                        auto data = c->connection->getEventLoopPollData();
                        struct pollfd pfd = { data.fd, data.events, 0 };
                        int ms = int(left * 1000) + 1;
                        if (data.timeout_usec != UINT64_MAX && data.timeout_usec / 1000 < uint64_t(ms))
                                ms = int(data.timeout_usec / 1000);
                        poll(&pfd, 1, ms);
                }
                c->proxy->ticks = nullptr;
                return 0;
        } catch (const sdbus::Error &e) {
                return fail("Burst", e);
        }
}

const peers_ops sdbuscpp_ops = {
        "sdbuscpp",
        cpp_connect,
        cpp_disconnect,
        cpp_ping,
        cpp_echo_prepare,
        cpp_echo,
        cpp_echo_release,
        cpp_sum_prepare,
        cpp_sum,
        cpp_structs_prepare,
        cpp_structs,
        cpp_burst,
        nullptr, // idle: rss4m, the only workload that uses it, runs for sd-bus and dbidl only (run.sh)
};

}

const peers_ops *peers_contender(bool borrowed) {
        return borrowed ? nullptr : &sdbuscpp_ops;
}

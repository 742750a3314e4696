// Internal to pjsip: IP literals, masks and host[:port] as the address-valued fields print them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pjsip::net {

struct IpAddress {
  int family = 0;  // AF_INET or AF_INET6
  std::array<unsigned char, 16> bytes{};
};

struct SockAddr {
  IpAddress ip;
  uint16_t port = 0;  // 0: none given
};

// A bare IPv4 or IPv6 literal (no brackets, no port); nullopt otherwise.
std::optional<IpAddress> ParseIp(std::string_view s);
// inet_ntop form.
std::string FormatIp(const IpAddress& ip);

// "a.b.c.d", "a.b.c.d:port", "v6", "[v6]", "[v6]:port". Host must be an IP literal.
// With !port_allowed a port is refused.
std::optional<SockAddr> ParseSockAddr(std::string_view s, bool port_allowed);
// "a.b.c.d[:port]" / "v6" / "[v6]:port"; with always_port the port is printed even when 0.
std::string FormatSockAddr(const SockAddr& a, bool always_port);

// Prefix length ("24") or an address-form mask of the same family ("255.255.255.0").
std::optional<IpAddress> ParseMask(std::string_view s, int family);
IpAddress FullMask(int family);
IpAddress ApplyMask(const IpAddress& a, const IpAddress& mask);

}  // namespace pjsip::net

#include "pjsip/net.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "util/strings.h"

namespace pjsip::net {

std::optional<IpAddress> ParseIp(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  std::string buf(s);
  IpAddress ip;
  if (inet_pton(AF_INET, buf.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET;
    return ip;
  }
  if (inet_pton(AF_INET6, buf.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  return std::nullopt;
}

std::string FormatIp(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(ip.family, ip.bytes.data(), buf, sizeof buf);
  return buf;
}

namespace {
std::optional<uint16_t> ParsePort(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}
}  // namespace

std::optional<SockAddr> ParseSockAddr(std::string_view s, bool port_allowed) {
  SockAddr out;
  std::string_view host = s;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = s.substr(1, close - 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
    auto ip = ParseIp(host);
    if (!ip || ip->family != AF_INET6) return std::nullopt;
    out.ip = *ip;
  } else {
    size_t colons = 0;
    for (char c : s) colons += c == ':';
    if (colons == 1) {
      size_t c = s.find(':');
      host = s.substr(0, c);
      port = s.substr(c + 1);
      if (port.empty()) return std::nullopt;
    }
    auto ip = ParseIp(host);
    if (!ip) return std::nullopt;
    if (colons == 1 && ip->family != AF_INET) return std::nullopt;
    out.ip = *ip;
  }
  if (!port.empty()) {
    if (!port_allowed) return std::nullopt;
    auto p = ParsePort(port);
    if (!p) return std::nullopt;
    out.port = *p;
  }
  return out;
}

std::string FormatSockAddr(const SockAddr& a, bool always_port) {
  std::string ip = FormatIp(a.ip);
  if (a.port == 0 && !always_port) return ip;
  if (a.ip.family == AF_INET6) return "[" + ip + "]:" + std::to_string(a.port);
  return ip + ":" + std::to_string(a.port);
}

IpAddress FullMask(int family) {
  IpAddress m;
  m.family = family;
  size_t n = family == AF_INET ? 4 : 16;
  for (size_t i = 0; i < n; ++i) m.bytes[i] = 0xFF;
  return m;
}

std::optional<IpAddress> ParseMask(std::string_view s, int family) {
  bool digits = !s.empty() && s.size() <= 3;
  for (char c : s) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    int bits = 0;
    for (char c : s) bits = bits * 10 + (c - '0');
    int max = family == AF_INET ? 32 : 128;
    if (bits > max) return std::nullopt;
    IpAddress m;
    m.family = family;
    for (int i = 0; i < bits; ++i) m.bytes[i / 8] |= static_cast<unsigned char>(0x80u >> (i % 8));
    return m;
  }
  auto m = ParseIp(s);
  if (!m || m->family != family) return std::nullopt;
  return m;
}

IpAddress ApplyMask(const IpAddress& a, const IpAddress& mask) {
  IpAddress out = a;
  for (size_t i = 0; i < out.bytes.size(); ++i) out.bytes[i] &= mask.bytes[i];
  return out;
}

}  // namespace pjsip::net

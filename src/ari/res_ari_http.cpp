#include "ari/res_ari_http.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "util/strings.h"

namespace ari {

std::string PrettyJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 2);
  size_t depth = 0;
  auto newline = [&] {
    out += '\n';
    out.append(depth * 2, ' ');
  };
  auto next_significant = [&](size_t i) {
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
    return i;
  };
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    switch (c) {
      case '"': {
        size_t start = i++;
        while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
        out.append(json.substr(start, i - start + 1));
        break;
      }
      case '{':
      case '[': {
        size_t n = next_significant(i + 1);
        char close = c == '{' ? '}' : ']';
        if (n < json.size() && json[n] == close) {
          out += c;
          out += close;
          i = n;
          break;
        }
        out += c;
        ++depth;
        newline();
        break;
      }
      case '}':
      case ']':
        if (depth > 0) --depth;
        newline();
        out += c;
        break;
      case ',':
        out += ',';
        newline();
        break;
      case ':':
        out += ": ";
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool OriginAllowed(const std::vector<std::string>& allowed, std::string_view origin) {
  if (origin.empty()) return false;
  for (const std::string& a : allowed)
    if (a == "*" || a == origin) return true;
  return false;
}

namespace {

struct Parsed {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

std::optional<Parsed> ParseAddress(std::string_view text) {
  std::string s(util::Trim(text));
  Parsed p;
  if (s.find(':') == std::string::npos) {
    in_addr a4;
    if (inet_pton(AF_INET, s.c_str(), &a4) != 1) return std::nullopt;
    p.family = 4;
    std::memcpy(p.bytes.data(), &a4, 4);
    return p;
  }
  if (!s.empty() && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  in6_addr a6;
  if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) return std::nullopt;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(&a6, kMapped, 12) == 0) {
    p.family = 4;
    std::memcpy(p.bytes.data(), reinterpret_cast<const unsigned char*>(&a6) + 12, 4);
    return p;
  }
  p.family = 6;
  std::memcpy(p.bytes.data(), &a6, 16);
  return p;
}

std::array<unsigned char, 16> PrefixMask(unsigned bits) {
  std::array<unsigned char, 16> m{};
  for (unsigned i = 0; i < 16 && bits > 0; ++i) {
    unsigned take = bits >= 8 ? 8 : bits;
    m[i] = static_cast<unsigned char>(0xFF << (8 - take));
    bits -= take;
  }
  return m;
}

}  // namespace

util::Status AddressAcl::Add(bool permit, std::string_view networks) {
  std::vector<Rule> added;
  for (std::string_view item : util::Split(networks, ',')) {
    item = util::Trim(item);
    if (item.empty()) continue;
    Rule r;
    r.permit = permit;
    std::string_view net = item;
    if (net.front() == '!') {
      r.negate = true;
      net = util::Trim(net.substr(1));
    }
    std::string_view mask_text;
    if (auto slash = net.find('/'); slash != std::string_view::npos) {
      mask_text = net.substr(slash + 1);
      net = net.substr(0, slash);
    }
    auto addr = ParseAddress(net);
    if (!addr) return util::Status::Invalid("'" + std::string(item) + "' is not a network");
    r.family = addr->family;
    unsigned max_bits = r.family == 4 ? 32 : 128;
    if (mask_text.empty()) {
      r.mask = PrefixMask(max_bits);
    } else if (auto bits = util::ParseUint32(mask_text); bits && mask_text.find('.') == std::string_view::npos) {
      if (*bits > max_bits) return util::Status::Invalid("'" + std::string(item) + "' has a bad prefix length");
      r.mask = PrefixMask(*bits);
    } else {
      auto m = ParseAddress(mask_text);
      if (!m || m->family != r.family) return util::Status::Invalid("'" + std::string(item) + "' has a bad mask");
      r.mask = m->bytes;
    }
    for (size_t i = 0; i < 16; ++i) r.network[i] = addr->bytes[i] & r.mask[i];
    added.push_back(r);
  }
  rules_.insert(rules_.end(), added.begin(), added.end());
  return util::Status::Ok();
}

bool AddressAcl::Allows(std::string_view address) const {
  if (rules_.empty()) return true;
  auto addr = ParseAddress(address);
  if (!addr) return false;
  bool allowed = true;
  for (const Rule& r : rules_) {
    if (r.family != addr->family) continue;  // rules of the other family never apply
    bool inside = true;
    {
      for (size_t i = 0; i < 16; ++i)
        if ((addr->bytes[i] & r.mask[i]) != r.network[i]) {
          inside = false;
          break;
        }
    }
    if (inside != r.negate) allowed = r.permit;
  }
  return allowed;
}

}  // namespace ari

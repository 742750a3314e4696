#include "cli/pjsip_format.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace cli::pjsip_format {

std::string Left(std::string_view s, int width) {
  std::string out;
  if (width >= 0) {
    size_t w = static_cast<size_t>(width);
    out.assign(s.substr(0, w));
    out.append(w - out.size(), ' ');
  } else {
    size_t w = static_cast<size_t>(-static_cast<long>(width));
    out.assign(s);
    if (out.size() < w) out.append(w - out.size(), ' ');
  }
  return out;
}

std::string Right(std::string_view s, int width) {
  std::string out;
  size_t w = width > 0 ? static_cast<size_t>(width) : 0;
  if (s.size() < w) out.append(w - s.size(), ' ');
  out += s;
  return out;
}

std::string DetailBlock(const sorcery::ObjectSet& set) {
  std::vector<const std::pair<std::string, std::string>*> rows;
  rows.reserve(set.size());
  size_t name_width = 13;
  size_t value_width = 14;
  for (const auto& entry : set) {
    rows.push_back(&entry);
    name_width = std::max(name_width, entry.first.size());
    value_width = std::max(value_width, entry.second.size());
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  const int w = static_cast<int>(name_width);
  std::string out;
  out += ' ' + Left("ParameterName", w) + " : ParameterValue\n";
  out += ' ' + std::string(name_width + value_width + 3, '=') + '\n';
  for (const auto* row : rows) out += ' ' + Left(row->first, w) + " : " + row->second + '\n';
  return out;
}

namespace {

// Per-round left-rotation amounts and sine-derived constants of RFC 1321.
constexpr std::array<uint32_t, 16> kShift = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

const std::array<uint32_t, 64>& SineTable() {
  static const std::array<uint32_t, 64> table = [] {
    std::array<uint32_t, 64> t{};
    for (size_t i = 0; i < 64; ++i) {
      double sine = std::fabs(std::sin(static_cast<double>(i + 1)));
      t[i] = static_cast<uint32_t>(std::floor(sine * 4294967296.0));
    }
    return t;
  }();
  return table;
}

uint32_t RotateLeft(uint32_t x, uint32_t n) { return (x << n) | (x >> (32 - n)); }

void Md5Block(std::array<uint32_t, 4>& state, const unsigned char* block) {
  const auto& k = SineTable();
  uint32_t m[16];
  for (size_t i = 0; i < 16; ++i) {
    m[i] = static_cast<uint32_t>(block[i * 4]) | static_cast<uint32_t>(block[i * 4 + 1]) << 8 |
           static_cast<uint32_t>(block[i * 4 + 2]) << 16 | static_cast<uint32_t>(block[i * 4 + 3]) << 24;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  for (uint32_t i = 0; i < 64; ++i) {
    uint32_t f;
    uint32_t g;
    switch (i / 16) {
      case 0:
        f = (b & c) | (~b & d);
        g = i;
        break;
      case 1:
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
        break;
      case 2:
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
        break;
      default:
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
        break;
    }
    uint32_t next_b = b + RotateLeft(a + f + k[i] + m[g], kShift[(i / 16) * 4 + i % 4]);
    a = d;
    d = c;
    c = b;
    b = next_b;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  std::array<uint32_t, 4> state = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
  std::string padded(data);
  const uint64_t bit_length = static_cast<uint64_t>(data.size()) * 8;
  padded += static_cast<char>(0x80);
  while (padded.size() % 64 != 56) padded += '\0';
  for (int i = 0; i < 8; ++i) padded += static_cast<char>((bit_length >> (8 * i)) & 0xff);
  for (size_t off = 0; off < padded.size(); off += 64)
    Md5Block(state, reinterpret_cast<const unsigned char*>(padded.data() + off));

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint32_t word : state) {
    for (int i = 0; i < 4; ++i) {
      unsigned byte = (word >> (8 * i)) & 0xff;
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

int MaskBits(std::string_view mask) {
  std::string text(mask);
  unsigned char bytes[16];
  size_t n = 0;
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) {
    n = 4;
  } else if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    n = 16;
  } else {
    return -1;
  }
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    for (int bit = 7; bit >= 0; --bit) {
      if ((bytes[i] >> bit) & 1) {
        ++bits;
      } else {
        return bits;
      }
    }
  }
  return bits;
}

}  // namespace cli::pjsip_format

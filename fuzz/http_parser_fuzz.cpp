// libFuzzer target: the HTTP request parser, fed the input in splits chosen by the input itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ari/http_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // First byte: split size and limits variant.
  size_t step = 1 + (data[0] & 0x3F);
  ari::HttpRequestParser::Limits lim;
  if (data[0] & 0x40) {
    lim.max_head = 128;
    lim.max_body = 32;
    lim.max_headers = 4;
  }
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  ari::HttpRequestParser p(lim);
  while (!in.empty()) {
    std::string_view piece = in.substr(0, step);
    size_t used = 0;
    auto st = p.Feed(piece, &used);
    if (used > piece.size()) __builtin_trap();
    in.remove_prefix(used);
    if (st == ari::HttpRequestParser::Status::kError) {
      if (p.error().status < 400) __builtin_trap();
      break;
    }
    if (st == ari::HttpRequestParser::Status::kComplete) {
      if (p.request().body.size() > lim.max_body) __builtin_trap();
      (void)ari::WantsKeepAlive(p.request());
      p.Reset();
    } else if (used != piece.size()) {
      __builtin_trap();
    }
  }
  return 0;
}

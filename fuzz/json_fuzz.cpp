// libFuzzer target: util::json::Parse, and the writer on whatever it accepts (the output must
// parse again and re-serialise identically).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto v = util::json::Parse(in);
  if (!v.ok()) return 0;
  std::string out;
  util::json::AppendValue(out, *v);
  auto again = util::json::Parse(out);
  if (!again.ok()) __builtin_trap();
  std::string out2;
  util::json::AppendValue(out2, *again);
  if (out != out2) __builtin_trap();
  return 0;
}

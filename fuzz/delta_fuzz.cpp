// libFuzzer target: astdb::delta. The input's first two bytes (little-endian, modulo the rest's
// length + 1) split the rest into a base and a target. Whenever Encode gives a delta for
// (base, target), and for (base, target spliced into the middle of base), the delta must respect
// the size contract and Apply must rebuild the target exactly. The raw input is also fed to Apply
// as a delta, against a fixed base and against the split base: it may be refused, never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "astdb/delta.h"

namespace {

void CheckRoundTrip(std::string_view base, std::string_view target) {
  std::string d = astdb::delta::Encode(base, target);
  if (d.empty()) return;
  if (target.size() < astdb::delta::kMinTargetBytes) std::abort();
  if (d.size() > target.size() / 2) std::abort();
  std::string out = "stale";
  if (!astdb::delta::Apply(base, d, out, target.size())) std::abort();
  if (out != target) std::abort();
  std::string capped;
  if (astdb::delta::Apply(base, d, capped, target.size() - 1)) std::abort();
}

void CheckArbitraryDelta(std::string_view base, std::string_view delta, size_t max_bytes) {
  std::string out;
  if (astdb::delta::Apply(base, delta, out, max_bytes) && out.size() > max_bytes) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  static const std::string kFixedBase =
      "{\"id\":\"alice\",\"type\":\"endpoint\",\"transport\":\"transport-udp\","
      "\"context\":\"default\",\"allow\":\"ulaw,alaw\",\"aors\":\"alice\"}";
  CheckArbitraryDelta(kFixedBase, in, 1 << 16);
  CheckArbitraryDelta(kFixedBase, in, 64);

  if (size < 2) return 0;
  std::string_view rest = in.substr(2);
  size_t split = (static_cast<size_t>(data[0]) | static_cast<size_t>(data[1]) << 8) % (rest.size() + 1);
  std::string_view base = rest.substr(0, split);
  std::string_view target = rest.substr(split);

  CheckRoundTrip(base, target);

  // The target as an insertion into the middle of the base: most of it can be copied.
  size_t at = target.empty() ? 0 : static_cast<uint8_t>(target[0]) * base.size() / 256;
  std::string spliced(base.substr(0, at));
  spliced.append(target.substr(target.empty() ? 0 : 1));
  spliced.append(base.substr(at));
  CheckRoundTrip(base, spliced);

  CheckArbitraryDelta(base, target, 1 << 16);
  return 0;
}

// Delta: a compact description of one value in terms of another, for the redo log.
//
// An AstDB value written by sorcery is a whole object (an endpoint is about 5 KB of JSON), but an
// update usually changes a few fields and a new object of a type looks much like the last one
// created. The redo log records such a write as the edits that turn an earlier value (the base)
// into the new one, which is a few hundred bytes instead of kilobytes.
//
// Encoding: a sequence of operations, each a tag byte followed by unsigned LEB128 integers:
//   'C' offset length   copy `length` bytes of the base starting at `offset`
//   'I' length bytes    insert the next `length` bytes of the delta
// The result is the concatenation of the operations' output. Nothing else is stored: the caller
// keeps the target's length and checksum beside the delta to verify what ApplyDelta rebuilt.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace astdb::delta {

// Values shorter than this are never encoded as deltas (the full value is as small).
constexpr size_t kMinTargetBytes = 256;

// Edits that turn `base` into `target`. Empty when a delta would not be worth it: the target is
// shorter than kMinTargetBytes, or the delta is not at most half the target's size.
// Any bytes are accepted; the chunking is tuned for JSON objects (it splits at ',').
std::string Encode(std::string_view base, std::string_view target);

// Rebuilds the target from `base` and a delta made by Encode into `out` (replacing its content).
// False, with `out` unspecified, when the delta is malformed: an unknown tag, a truncated
// integer or insert, a copy outside the base, or a result longer than `max_bytes`. Never reads
// outside `base` or `delta`.
bool Apply(std::string_view base, std::string_view delta, std::string& out, size_t max_bytes);

}  // namespace astdb::delta

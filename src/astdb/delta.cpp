#include "astdb/delta.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <cstdint>
#include <vector>

namespace astdb::delta {

namespace {

static_assert(std::endian::native == std::endian::little, "CommonPrefix/CommonSuffix read words little-endian");

constexpr char kCopy = 'C';
constexpr char kInsert = 'I';
// Below this many bytes the middle of a value is inserted whole rather than chunked.
constexpr size_t kChunkedMinBytes = 64;
// How many chunks ahead a resynchronisation looks (fields added or removed in one place).
constexpr size_t kWindow = 32;

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

bool GetVarint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    const auto byte = static_cast<uint8_t>(in[pos++]);
    const uint64_t bits = byte & 0x7f;
    if (shift == 63 && bits > 1) return false;  // more than 64 bits
    v |= bits << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Collects operations, merging a copy that continues the previous one and adjacent inserts.
class Writer {
 public:
  Writer(std::string_view target, size_t limit) : target_(target), limit_(limit) {}

  void Copy(size_t base_off, size_t len) {
    if (len == 0) return;
    FlushInsert();
    if (copy_len_ > 0 && copy_off_ + copy_len_ == base_off) {
      copy_len_ += len;
      return;
    }
    FlushCopy();
    copy_off_ = base_off;
    copy_len_ = len;
  }

  void Insert(size_t target_off, size_t len) {
    if (len == 0) return;
    FlushCopy();
    if (ins_len_ > 0 && ins_off_ + ins_len_ == target_off) {
      ins_len_ += len;
      return;
    }
    FlushInsert();
    ins_off_ = target_off;
    ins_len_ = len;
  }

  // The encoded delta, or empty when it grew past the limit.
  std::string Finish() {
    FlushCopy();
    FlushInsert();
    if (over_) return {};
    return std::move(out_);
  }

  bool over() const { return over_; }

 private:
  void FlushCopy() {
    if (copy_len_ == 0) return;
    out_ += kCopy;
    PutVarint(out_, copy_off_);
    PutVarint(out_, copy_len_);
    copy_len_ = 0;
    Check();
  }
  void FlushInsert() {
    if (ins_len_ == 0) return;
    out_ += kInsert;
    PutVarint(out_, ins_len_);
    out_.append(target_.substr(ins_off_, ins_len_));
    ins_len_ = 0;
    Check();
  }
  void Check() {
    if (out_.size() > limit_) over_ = true;
  }

  std::string_view target_;
  size_t limit_;
  std::string out_;
  bool over_ = false;
  size_t copy_off_ = 0, copy_len_ = 0;
  size_t ins_off_ = 0, ins_len_ = 0;
};

struct Chunk {
  size_t off;  // in the whole value
  size_t len;
};

// Splits value[from, from + len) into chunks that end after each ','.
std::vector<Chunk> Chunks(std::string_view value, size_t from, size_t len) {
  std::vector<Chunk> out;
  out.reserve(len / 24 + 1);
  const size_t end = from + len;
  size_t start = from;
  while (start < end) {
    const void* comma = std::memchr(value.data() + start, ',', end - start);
    const size_t stop = comma ? static_cast<size_t>(static_cast<const char*>(comma) - value.data()) + 1 : end;
    out.push_back({start, stop - start});
    start = stop;
  }
  return out;
}

bool Same(std::string_view a, const Chunk& ca, std::string_view b, const Chunk& cb) {
  return ca.len == cb.len && std::memcmp(a.data() + ca.off, b.data() + cb.off, ca.len) == 0;
}

// Chunk-level alignment of base[b_off, +b_len) and target[t_off, +t_len): equal chunks are
// copied, the rest inserted. Greedy, with a bounded look-ahead to resynchronise after chunks
// were added to or removed from one side.
void DiffMiddle(std::string_view base, size_t b_off, size_t b_len, std::string_view target, size_t t_off,
                size_t t_len, Writer& w) {
  const std::vector<Chunk> bc = Chunks(base, b_off, b_len);
  const std::vector<Chunk> tc = Chunks(target, t_off, t_len);
  size_t i = 0, j = 0;
  while (i < tc.size() && !w.over()) {
    if (j < bc.size() && Same(target, tc[i], base, bc[j])) {
      w.Copy(bc[j].off, bc[j].len);
      ++i;
      ++j;
      continue;
    }
    // Chunks removed from the base: the target's chunk shows up a little further on.
    size_t found = 0;
    for (size_t k = j + 1; k < bc.size() && k <= j + kWindow; ++k) {
      if (Same(target, tc[i], base, bc[k])) {
        found = k;
        break;
      }
    }
    if (found != 0) {
      j = found;
      continue;
    }
    // Chunks added in the target: the base's chunk shows up a little further on.
    size_t added = 0;
    if (j < bc.size()) {
      for (size_t k = i + 1; k < tc.size() && k <= i + kWindow; ++k) {
        if (Same(target, tc[k], base, bc[j])) {
          added = k;
          break;
        }
      }
    }
    if (added != 0) {
      for (; i < added; ++i) w.Insert(tc[i].off, tc[i].len);
      continue;
    }
    // A changed chunk.
    w.Insert(tc[i].off, tc[i].len);
    ++i;
    if (j < bc.size()) ++j;
  }
}

// Length of the common prefix of a and b (at most n bytes), eight bytes at a time.
size_t CommonPrefix(const char* a, const char* b, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return i + static_cast<size_t>(std::countr_zero(x ^ y)) / 8;  // little-endian
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Length of the common suffix of a[0, a_len) and b[0, b_len), at most n bytes.
size_t CommonSuffix(const char* a, size_t a_len, const char* b, size_t b_len, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + a_len - i - 8, 8);
    std::memcpy(&y, b + b_len - i - 8, 8);
    if (x != y) return i + static_cast<size_t>(std::countl_zero(x ^ y)) / 8;  // little-endian
  }
  while (i < n && a[a_len - 1 - i] == b[b_len - 1 - i]) ++i;
  return i;
}

}  // namespace

std::string Encode(std::string_view base, std::string_view target) {
  if (target.size() < kMinTargetBytes || base.empty()) return {};
  const size_t limit = target.size() / 2;
  const size_t common = std::min(base.size(), target.size());
  const size_t prefix = CommonPrefix(target.data(), base.data(), common);
  const size_t suffix = CommonSuffix(target.data(), target.size(), base.data(), base.size(), common - prefix);

  Writer w(target, limit);
  w.Copy(0, prefix);
  const size_t b_mid = base.size() - prefix - suffix;
  const size_t t_mid = target.size() - prefix - suffix;
  if (t_mid > 0) {
    if (b_mid == 0 || t_mid < kChunkedMinBytes) {
      w.Insert(prefix, t_mid);
    } else {
      DiffMiddle(base, prefix, b_mid, target, prefix, t_mid, w);
    }
  }
  w.Copy(base.size() - suffix, suffix);
  return w.Finish();
}

bool Apply(std::string_view base, std::string_view delta, std::string& out, size_t max_bytes) {
  out.clear();
  size_t pos = 0;
  while (pos < delta.size()) {
    const char tag = delta[pos++];
    if (tag == kCopy) {
      uint64_t off = 0, len = 0;
      if (!GetVarint(delta, pos, off) || !GetVarint(delta, pos, len)) return false;
      if (off > base.size() || len > base.size() - off) return false;
      if (len > max_bytes - out.size()) return false;
      out.append(base.substr(off, len));
    } else if (tag == kInsert) {
      uint64_t len = 0;
      if (!GetVarint(delta, pos, len)) return false;
      if (len > delta.size() - pos) return false;
      if (len > max_bytes - out.size()) return false;
      out.append(delta.substr(pos, len));
      pos += len;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace astdb::delta

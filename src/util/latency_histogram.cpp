#include "util/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace util {

namespace {

// Threads take shards in turn on their first record.
size_t ThisThreadShard() {
  static std::atomic<size_t> next{0};
  thread_local const size_t shard = next.fetch_add(1, std::memory_order_relaxed) % LatencyHistogram::kShards;
  return shard;
}

}  // namespace

size_t LatencyHistogram::BucketOf(uint64_t us) {
  if (us < kExact) return static_cast<size_t>(us);
  const size_t e = static_cast<size_t>(std::bit_width(us)) - 1;  // 2^e <= us < 2^(e+1), e >= 4
  const size_t doubling = e - 4;
  if (doubling >= kDoublings) return kBuckets - 1;
  const size_t sub = static_cast<size_t>(us >> (e - 3)) & (kSubBuckets - 1);
  return kExact + doubling * kSubBuckets + sub;
}

uint64_t LatencyHistogram::UpperBound(size_t bucket) {
  if (bucket < kExact) return bucket;
  const size_t doubling = (bucket - kExact) / kSubBuckets;
  const uint64_t sub = (bucket - kExact) % kSubBuckets;
  const size_t e = doubling + 4;
  return ((kSubBuckets + sub + 1) << (e - 3)) - 1;
}

void LatencyHistogram::Record(std::chrono::nanoseconds elapsed) {
  const uint64_t us = elapsed.count() <= 0 ? 0 : static_cast<uint64_t>(elapsed.count()) / 1000;
  Shard& s = shards_[ThisThreadShard()];
  s.counts[BucketOf(us)].fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(us, std::memory_order_relaxed);
  uint64_t seen = s.max_us.load(std::memory_order_relaxed);
  while (us > seen && !s.max_us.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
  }
}

void LatencyHistogram::Reset() {
  for (Shard& s : shards_) {
    for (auto& c : s.counts) c.store(0, std::memory_order_relaxed);
    s.sum_us.store(0, std::memory_order_relaxed);
    s.max_us.store(0, std::memory_order_relaxed);
  }
}

LatencyHistogram::Snapshot LatencyHistogram::Take() const {
  Snapshot out;
  out.counts.assign(kBuckets, 0);
  for (const Shard& s : shards_) {
    for (size_t b = 0; b < kBuckets; ++b) out.counts[b] += s.counts[b].load(std::memory_order_relaxed);
    out.sum_us += s.sum_us.load(std::memory_order_relaxed);
    out.max_us = std::max(out.max_us, s.max_us.load(std::memory_order_relaxed));
  }
  for (uint64_t c : out.counts) out.count += c;
  return out;
}

uint64_t LatencyHistogram::Snapshot::Quantile(double q) const {
  if (count == 0) return 0;
  // The rank of the record at quantile q (1-based), e.g. the 990th of 1,000 for q = 0.99.
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count))));
  uint64_t seen = 0;
  for (size_t b = 0; b < counts.size(); ++b) {
    seen += counts[b];
    if (seen >= rank) return b + 1 == counts.size() ? max_us : std::min(UpperBound(b), max_us);
  }
  return max_us;
}

}  // namespace util

// A latency histogram that many threads record into without locks, read by the console.
//
// Buckets are exact below 16 µs, then eight to each doubling (each bucket 12.5 % of its lower
// bound wide) up to about 19 hours; longer times go into the last bucket. Each thread records
// into one of a few shards (its own, unless there are more threads than shards), so recording
// is a relaxed increment on a cache line few other threads touch. A snapshot sums the shards;
// taken while others record, it may miss records still in progress, never invents any.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace util {

class LatencyHistogram {
 public:
  static constexpr size_t kExact = 16;        // 0..15 µs: one bucket per microsecond
  static constexpr size_t kSubBuckets = 8;    // per doubling above that
  static constexpr size_t kDoublings = 32;    // 16 µs .. 2^36 µs
  static constexpr size_t kBuckets = kExact + kSubBuckets * kDoublings;
  static constexpr size_t kShards = 16;

  // The bucket of a time in microseconds, and the largest time (µs) that bucket holds.
  static size_t BucketOf(uint64_t us);
  static uint64_t UpperBound(size_t bucket);

  void Record(std::chrono::nanoseconds elapsed);
  // Sets every count to zero. Records made meanwhile may be kept or dropped.
  void Reset();

  struct Snapshot {
    std::vector<uint64_t> counts;  // kBuckets entries
    uint64_t count = 0;
    uint64_t sum_us = 0;
    uint64_t max_us = 0;
    // The smallest bucket bound (µs) at or below which at least `q` (0..1) of the records
    // fall; 0 when there are none. An upper bound: within 12.5 % of the true quantile.
    uint64_t Quantile(double q) const;
  };
  Snapshot Take() const;

 private:
  struct alignas(64) Shard {
    std::array<std::atomic<uint64_t>, kBuckets> counts{};
    std::atomic<uint64_t> sum_us{0};
    std::atomic<uint64_t> max_us{0};
  };
  std::array<Shard, kShards> shards_;
};

}  // namespace util

#include "util/latency_histogram.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace util {
namespace {

using std::chrono::microseconds;

TEST(LatencyHistogram, EveryTimeFallsInABucketAtMostAnEighthWide) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> values = {0, 1, 15, 16, 17, 31, 32, 33, 1000, 1023, 1024, 999999, 1ull << 35};
  for (int i = 0; i < 100000; ++i) values.push_back(rng() >> (rng() % 60 + 4));
  for (uint64_t v : values) {
    const size_t b = LatencyHistogram::BucketOf(v);
    ASSERT_LT(b, LatencyHistogram::kBuckets);
    const uint64_t hi = LatencyHistogram::UpperBound(b);
    if (b + 1 == LatencyHistogram::kBuckets && v > hi) continue;  // beyond 19 hours: the last bucket
    const uint64_t lo = b == 0 ? 0 : LatencyHistogram::UpperBound(b - 1) + 1;
    ASSERT_LE(lo, v) << v;
    ASSERT_LE(v, hi) << v;
    if (v >= LatencyHistogram::kExact) {
      ASSERT_LE(hi - lo + 1, lo / 8) << v;  // 12.5 % of the lower bound
    } else {
      ASSERT_EQ(lo, hi);
    }
  }
  // Buckets are in increasing order with no gaps.
  for (size_t b = 1; b < LatencyHistogram::kBuckets; ++b) {
    ASSERT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::UpperBound(b - 1) + 1), b);
  }
}

TEST(LatencyHistogram, QuantilesAreTightUpperBounds) {
  LatencyHistogram h;
  for (int us = 1; us <= 1000; ++us) h.Record(microseconds(us));
  const auto s = h.Take();
  EXPECT_EQ(s.count, 1000u);
  EXPECT_EQ(s.sum_us, 500500u);
  EXPECT_EQ(s.max_us, 1000u);
  const struct {
    double q;
    uint64_t exact;
  } cases[] = {{0.5, 500}, {0.9, 900}, {0.99, 990}, {0.999, 999}, {1.0, 1000}, {0.001, 1}};
  for (const auto& c : cases) {
    const uint64_t got = s.Quantile(c.q);
    EXPECT_GE(got, c.exact) << c.q;
    EXPECT_LE(got, c.exact + c.exact / 8) << c.q;
  }
  // Below a microsecond counts as 0; a negative duration too.
  LatencyHistogram z;
  z.Record(std::chrono::nanoseconds(999));
  z.Record(std::chrono::nanoseconds(-5));
  EXPECT_EQ(z.Take().Quantile(1.0), 0u);
  EXPECT_EQ(z.Take().count, 2u);
  EXPECT_EQ(LatencyHistogram().Take().Quantile(0.99), 0u);
}

TEST(LatencyHistogram, ThreadsRecordWithoutLosingCountsAndResetEmpties) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  constexpr int kThreads = 20;  // more than the shards: some threads share one
  constexpr int kEach = 50000;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kEach; ++i) h.Record(microseconds(t * 100 + i % 7));
    });
  }
  for (auto& t : threads) t.join();
  auto s = h.Take();
  EXPECT_EQ(s.count, uint64_t{kThreads} * kEach);
  uint64_t sum = 0;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) sum += static_cast<uint64_t>(t * 100 + i % 7);
  EXPECT_EQ(s.sum_us, sum);
  EXPECT_EQ(s.max_us, uint64_t{(kThreads - 1) * 100 + 6});
  h.Reset();
  s = h.Take();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.sum_us, 0u);
  EXPECT_EQ(s.max_us, 0u);
}

}  // namespace
}  // namespace util

#include "cli/latency_commands.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cli/command_registry.h"

namespace cli {
namespace {

using std::chrono::microseconds;

struct LatencyCommands : ::testing::Test {
  void SetUp() override {
    RegisterLatencyCommands(registry, {{"GET", &get}, {"PUT", &put}, {"Storage commit wait", &wait}});
  }
  util::LatencyHistogram get, put, wait;
  CommandRegistry registry;
};

TEST_F(LatencyCommands, ShowsCountMeanAndPercentilesInMilliseconds) {
  for (int i = 1; i <= 100; ++i) get.Record(microseconds(i * 10));  // 10 µs .. 1 ms
  put.Record(microseconds(2500));
  const std::string out = registry.Execute("http show latency");
  auto has = [&out](const std::string& line) { return out.find(line + "\n") != std::string::npos; };
  EXPECT_TRUE(out.starts_with("Time in the server per request, in ms:")) << out;
  EXPECT_TRUE(has("Requests                  Count      Mean       p50       p90       p99     p99.9       Max")) << out;
  // GET: mean 0.505 ms; p50 the bucket holding 500 µs (496..511), p90 holding 900 (896..959),
  // p99 and above capped at the maximum, 1 ms.
  EXPECT_TRUE(has("GET                         100     0.505     0.511     0.959     1.000     1.000     1.000")) << out;
  EXPECT_TRUE(has("PUT                           1     2.500     2.500     2.500     2.500     2.500     2.500")) << out;
  EXPECT_TRUE(has("Storage commit wait           0         -         -         -         -         -         -")) << out;
}

TEST_F(LatencyCommands, ResetEmptiesEveryRow) {
  get.Record(microseconds(5));
  wait.Record(microseconds(7));
  EXPECT_EQ(registry.Execute("http reset latency"), "Request latency histograms emptied.\n");
  EXPECT_EQ(get.Take().count, 0u);
  EXPECT_EQ(wait.Take().count, 0u);
  EXPECT_NE(registry.Execute("http show latency").find("GET                           0         -"), std::string::npos);
}

TEST_F(LatencyCommands, ExtraWordsPrintTheUsage) {
  EXPECT_TRUE(registry.Execute("http show latency now").starts_with("Usage: http show latency"));
  EXPECT_TRUE(registry.Execute("http reset latency all").starts_with("Usage: http reset latency"));
}

}  // namespace
}  // namespace cli

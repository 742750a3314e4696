#include <gtest/gtest.h>

#include <thread>

#include "util/log.h"

namespace util {
namespace {

TEST(LogCaptureTest, CollectsThisThreadsLinesAtOrAboveItsLevel) {
  LogCapture outer(LogLevel::kNotice);
  {
    LogCapture inner(LogLevel::kWarning);
    LogNotice("not captured by inner");
    LogError("captured by inner");
    std::thread([] { LogError("other thread"); }).join();
    ASSERT_EQ(inner.lines().size(), 1u);
    EXPECT_EQ(inner.lines()[0].message, "captured by inner");
    EXPECT_EQ(inner.lines()[0].level, LogLevel::kError);
  }
  LogNotice("captured by outer");
  ASSERT_EQ(outer.lines().size(), 1u);
  EXPECT_EQ(outer.lines()[0].message, "captured by outer");
  EXPECT_STREQ(LogLevelName(LogLevel::kWarning), "WARNING");
}

}  // namespace
}  // namespace util

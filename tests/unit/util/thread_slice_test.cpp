#include "util/thread_slice.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

namespace util {
namespace {

using std::chrono::microseconds;

// Per-thread slices came with Linux 6.12.
bool KernelHasThreadSlices() {
  utsname u{};
  if (uname(&u) != 0) return false;
  int major = 0, minor = 0;
  if (std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 12);
}

TEST(ThreadSlice, ShortensOnlyTheCallingThreadAndKeepsItsNiceValue) {
  if (!KernelHasThreadSlices()) GTEST_SKIP() << "this kernel (before Linux 6.12) has no per-thread time slices";
  microseconds before{0};
  std::thread([&before] {
    ASSERT_EQ(setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5), 0);
    before = ThisThreadTimeSlice();  // the default slice, a few ms
    EXPECT_GT(before, kRequestPathSlice);
    ASSERT_TRUE(ShortenTimeSlice(kRequestPathSlice));
    EXPECT_EQ(ThisThreadTimeSlice(), kRequestPathSlice);
    EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))), 5);
    // A thread it starts inherits the slice.
    std::thread([] { EXPECT_EQ(ThisThreadTimeSlice(), kRequestPathSlice); }).join();
  }).join();
  // Other threads keep the default.
  EXPECT_EQ(ThisThreadTimeSlice(), before);
  std::thread([before] { EXPECT_EQ(ThisThreadTimeSlice(), before); }).join();
}

TEST(ThreadSlice, TheKernelBoundsTheSlice) {
  if (!KernelHasThreadSlices()) GTEST_SKIP() << "this kernel (before Linux 6.12) has no per-thread time slices";
  std::thread([] {
    // 0.1 ms is the shortest the kernel grants: asking for less gets that.
    ASSERT_TRUE(ShortenTimeSlice(microseconds(10)));
    EXPECT_EQ(ThisThreadTimeSlice(), microseconds(100));
  }).join();
}

}  // namespace
}  // namespace util

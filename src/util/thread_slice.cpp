#include "util/thread_slice.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace util {

namespace {

// The kernel's struct sched_attr (glibc 2.36 has no wrapper).
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

bool GetAttr(SchedAttr& attr) {
  attr = SchedAttr{};
  return syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) == 0;
}

}  // namespace

bool ShortenTimeSlice(std::chrono::microseconds slice) {
  SchedAttr attr;
  if (!GetAttr(attr) || attr.sched_policy != 0 /* SCHED_OTHER */) return false;
  attr.size = sizeof attr;
  attr.sched_flags = 0;  // attr.sched_nice as read: the nice value stays
  attr.sched_runtime = static_cast<uint64_t>(std::chrono::nanoseconds(slice).count());
  if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return false;
  // A kernel without per-thread slices accepts the call and ignores the field; one with them
  // bounds it to 0.1 .. 100 ms.
  using std::chrono::microseconds;
  return ThisThreadTimeSlice() == std::clamp(slice, microseconds(100), microseconds(100000));
}

std::chrono::microseconds ThisThreadTimeSlice() {
  SchedAttr attr;
  if (!GetAttr(attr) || attr.sched_policy != 0) return std::chrono::microseconds(0);
  return std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::nanoseconds(attr.sched_runtime));
}

}  // namespace util

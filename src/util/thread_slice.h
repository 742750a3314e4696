// Asks the kernel's fair scheduler for a shorter time slice for the calling thread.
//
// Linux 6.12 and later (EEVDF) let a thread choose its slice (sched_setattr's sched_runtime for
// SCHED_OTHER, 0.1 to 100 ms; the default is a few milliseconds). A shorter slice gives the
// thread an earlier deadline whenever it wakes, so it gets a CPU sooner, at the price of being
// preempted sooner when it runs long. Its share of the CPU does not change. Worth it for
// threads that wake often and run briefly: sorceryd's HTTP I/O threads and its redo-log writer,
// on which every answer waits (docs/benchmarks.md, fifth session).
#pragma once

#include <chrono>

namespace util {

// The slice sorceryd asks for its request-path threads.
inline constexpr std::chrono::microseconds kRequestPathSlice{100};

// Sets the calling thread's slice (its nice value stays; threads it starts later inherit it). Returns false, changing nothing, when
// the kernel refuses or ignores it (before Linux 6.12, or without permission).
bool ShortenTimeSlice(std::chrono::microseconds slice);

// The calling thread's slice as the kernel reports it (the default one unless shortened), or 0
// from a kernel without per-thread slices.
std::chrono::microseconds ThisThreadTimeSlice();

}  // namespace util

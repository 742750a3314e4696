// Commit: the acknowledgement of a durable write.
//
// A storage layer that batches writes (group commit) hands one of these back for every write it
// accepts. It completes exactly once: ok when the write is on disk, failed when it is not. Callers
// that must not answer before the data is durable (an ARI PUT) wait on it, either by callback or
// by blocking.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace util {

class Commit;
using CommitPtr = std::shared_ptr<Commit>;

class Commit {
 public:
  // A commit that is already complete (storage with nothing to wait for, e.g. memory).
  static CommitPtr Done(bool ok = true);
  // A pending commit, to be completed by the storage layer.
  static CommitPtr Pending();

  // Completes the commit; later calls are ignored. Runs the waiting callbacks on this thread.
  void Complete(bool ok);
  // Runs `cb(ok)` once the commit is complete: immediately on the calling thread if it already
  // is, otherwise on the thread that completes it. The callback must not block.
  void OnComplete(std::function<void(bool)> cb);
  // Blocks until complete; returns ok. For the console and tests, never for the I/O threads.
  bool Wait();
  bool done() const;

  // One commit that completes when all of `parts` have; ok iff all are ok. Null parts are skipped.
  static CommitPtr All(const std::vector<CommitPtr>& parts);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool ok_ = false;
  std::vector<std::function<void(bool)>> waiters_;
};

}  // namespace util

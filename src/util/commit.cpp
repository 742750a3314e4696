#include "util/commit.h"

#include <atomic>

namespace util {

CommitPtr Commit::Done(bool ok) {
  auto c = std::make_shared<Commit>();
  c->done_ = true;
  c->ok_ = ok;
  return c;
}

CommitPtr Commit::Pending() { return std::make_shared<Commit>(); }

void Commit::Complete(bool ok) {
  std::vector<std::function<void(bool)>> waiters;
  {
    std::lock_guard lock(mu_);
    if (done_) return;
    done_ = true;
    ok_ = ok;
    waiters.swap(waiters_);
  }
  cv_.notify_all();
  for (auto& w : waiters) w(ok);
}

void Commit::OnComplete(std::function<void(bool)> cb) {
  bool ok;
  {
    std::lock_guard lock(mu_);
    if (!done_) {
      waiters_.push_back(std::move(cb));
      return;
    }
    ok = ok_;
  }
  cb(ok);
}

bool Commit::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_; });
  return ok_;
}

bool Commit::done() const {
  std::lock_guard lock(mu_);
  return done_;
}

CommitPtr Commit::All(const std::vector<CommitPtr>& parts) {
  std::vector<CommitPtr> pending;
  bool ok = true;
  for (const auto& p : parts) {
    if (!p) continue;
    pending.push_back(p);
  }
  if (pending.empty()) return Done(ok);
  if (pending.size() == 1) return pending.front();
  auto all = Pending();
  struct State {
    std::atomic<size_t> left;
    std::atomic<bool> ok{true};
  };
  auto st = std::make_shared<State>();
  st->left = pending.size();
  for (auto& p : pending) {
    p->OnComplete([st, all](bool part_ok) {
      if (!part_ok) st->ok = false;
      if (st->left.fetch_sub(1) == 1) all->Complete(st->ok);
    });
  }
  return all;
}

}  // namespace util

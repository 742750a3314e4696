// The console's control socket: a Unix stream socket in astrundir. A client sends one command
// line; the daemon answers with the command's output and closes the connection.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "util/status.h"

namespace cli {

class ControlServer {
 public:
  using Executor = std::function<std::string(const std::string& line)>;

  // Binds `path` (replacing a stale socket file) and starts serving on a thread.
  static util::Result<std::unique_ptr<ControlServer>> Start(const std::string& path, Executor executor);
  ~ControlServer();
  void Stop();

 private:
  ControlServer() = default;
  void Serve();
  std::string path_;
  int fd_ = -1;
  int wake_[2] = {-1, -1};
  Executor executor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

// Sends `line` to the daemon listening on `path` and returns what it printed. Error when nothing
// listens there.
util::Result<std::string> RunRemoteCommand(const std::string& path, const std::string& line);

}  // namespace cli

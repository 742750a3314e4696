#include "cli/control_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/log.h"
#include "util/thread_name.h"

namespace cli {

namespace {

bool FillAddress(const std::string& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

util::Result<std::unique_ptr<ControlServer>> ControlServer::Start(const std::string& path, Executor executor) {
  sockaddr_un addr;
  if (!FillAddress(path, addr)) return util::Status::Invalid("control socket path too long: " + path);
  std::unique_ptr<ControlServer> s(new ControlServer());
  s->path_ = path;
  s->executor_ = std::move(executor);
  s->fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->fd_ < 0) return util::Status::Io(std::string("socket: ") + std::strerror(errno));
  ::unlink(path.c_str());
  if (::bind(s->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return util::Status::Io("cannot bind control socket " + path + ": " + std::strerror(errno));
  ::chmod(path.c_str(), 0660);
  if (::listen(s->fd_, 16) != 0) return util::Status::Io(std::string("listen: ") + std::strerror(errno));
  if (::pipe2(s->wake_, O_CLOEXEC) != 0) return util::Status::Io(std::string("pipe: ") + std::strerror(errno));
  s->thread_ = std::thread([p = s.get()] {
    util::NameThisThread("console");
    p->Serve();
  });
  return s;
}

ControlServer::~ControlServer() { Stop(); }

void ControlServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (wake_[1] >= 0) {
    char c = 1;
    (void)!::write(wake_[1], &c, 1);
  }
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
  for (int& w : wake_)
    if (w >= 0) ::close(w);
  ::unlink(path_.c_str());
}

void ControlServer::Serve() {
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents || stopping_) return;
    int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    // One line, at most 64 KiB, within 5 seconds.
    std::string line;
    char buf[4096];
    bool done = false;
    while (!done && line.size() < 65536) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) {
        done = true;
        break;
      }
      line.append(buf, static_cast<size_t>(n));
      if (line.find('\n') != std::string::npos) done = true;
    }
    if (auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string out = executor_(line);
    WriteAll(c, out);
    ::close(c);
  }
}

util::Result<std::string> RunRemoteCommand(const std::string& path, const std::string& line) {
  sockaddr_un addr;
  if (!FillAddress(path, addr)) return util::Status::Invalid("control socket path too long: " + path);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return util::Status::Io(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd);
    return util::Status::Io("Unable to connect to remote sorceryd (does " + path + " exist?): " + std::strerror(e));
  }
  std::string msg = line + "\n";
  if (!WriteAll(fd, msg)) {
    ::close(fd);
    return util::Status::Io("cannot send the command to " + path);
  }
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace cli

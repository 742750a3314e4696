#include "conf/file_access.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace conf {

namespace {

std::string ErrnoText(int err) { return std::system_category().message(err); }

bool HasGlobMagic(const std::string& s) { return s.find_first_of("*?[{") != std::string::npos; }

// Backslash-escapes glob(3) characters so `s` matches only itself inside a pattern.
std::string EscapeForGlob(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// Closes a descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

bool ReadRegularFile(const std::string& path, std::string* text, ReadFailure* failure) {
  if (path.find('\0') != std::string::npos) {
    *failure = ReadFailure{false, "file name contains a NUL byte"};
    return false;
  }
  // O_NONBLOCK so that opening a FIFO cannot hang; it has no effect on regular files.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    *failure = ReadFailure{err == ENOENT, ErrnoText(err)};
    return false;
  }
  FdCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    *failure = ReadFailure{false, ErrnoText(errno)};
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *failure = ReadFailure{false, "not a regular file"};
    return false;
  }
  text->clear();
  if (st.st_size > 0) text->reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      *failure = ReadFailure{false, ErrnoText(errno)};
      return false;
    }
    text->append(buf, static_cast<size_t>(n));
  }
  return true;
}

util::Result<std::vector<std::string>> ExpandIncludeName(const std::string& base_dir,
                                                         const std::string& name) {
  const bool absolute = !name.empty() && name.front() == '/';
  if (!HasGlobMagic(name)) {
    return std::vector<std::string>{absolute ? name : Join(base_dir, name)};
  }
  const std::string pattern = absolute ? name : Join(EscapeForGlob(base_dir), name);
  int flags = 0;
#ifdef GLOB_BRACE
  flags |= GLOB_BRACE;
#endif
  glob_t matches{};
  const int rc = ::glob(pattern.c_str(), flags, nullptr, &matches);
  std::vector<std::string> paths;
  if (rc == 0) {
    paths.reserve(matches.gl_pathc);
    for (size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  if (rc != 0 && rc != GLOB_NOMATCH) {
    return util::Status::Io(rc == GLOB_NOSPACE
                                ? "out of memory expanding '" + name + "'"
                                : "cannot read a directory expanding '" + name + "'");
  }
  return paths;
}

std::string FileIdentity(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  if (ec) return std::filesystem::path(path).lexically_normal().string();
  return p.string();
}

}  // namespace conf

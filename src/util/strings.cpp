#include "util/strings.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace util {

namespace {
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool IsTrueWord(std::string_view s) {
  for (auto w : {"yes", "true", "y", "t", "1", "on"})
    if (IEquals(s, w)) return true;
  return false;
}

bool IsFalseWord(std::string_view s) {
  for (auto w : {"no", "false", "n", "f", "0", "off"})
    if (IEquals(s, w)) return true;
  return false;
}

std::optional<uint32_t> ParseUint32(std::string_view s) {
  std::string buf(s);
  const char* p = buf.c_str();
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f') ++p;
  if (*p == '\0' || *p == '-') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(p, &end, 0);
  if (errno != 0 || end == p || *end != '\0' || v > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::optional<int32_t> ParseInt32(std::string_view s) {
  std::string buf(s);
  const char* p = buf.c_str();
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f') ++p;
  if (*p == '\0') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(p, &end, 0);
  if (errno != 0 || end == p || *end != '\0' || v < INT32_MIN || v > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(v);
}

std::optional<double> ParseDouble(std::string_view s) {
  std::string buf(s);
  if (buf.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(buf.c_str(), &end);
  if (end == buf.c_str() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return v;
}

std::string FormatDouble(double d) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%f", d);
  return buf;
}

}  // namespace util

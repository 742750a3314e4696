#include "conf/comment_stripper.h"

namespace conf {

namespace {
constexpr std::string_view kBlockOpen = ";--";
constexpr std::string_view kBlockClose = "--;";

bool At(std::string_view s, size_t i, std::string_view token) {
  return i < s.size() && s.substr(i, token.size()) == token;
}
}  // namespace

std::string CommentStripper::Strip(std::string_view line, int line_number) {
  std::string out;
  out.reserve(line.size());
  size_t i = 0;
  while (i < line.size()) {
    if (depth_ > 0) {
      if (At(line, i, kBlockOpen)) {
        // Counting is saturated far beyond anything meaningful so it can never overflow.
        if (depth_ < (1 << 30)) ++depth_;
        i += kBlockOpen.size();
      } else if (At(line, i, kBlockClose)) {
        --depth_;
        i += kBlockClose.size();
      } else {
        ++i;
      }
      continue;
    }
    const char c = line[i];
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == ';') {
      out.push_back(';');
      i += 2;
    } else if (At(line, i, kBlockOpen)) {
      depth_ = 1;
      block_line_ = line_number;
      i += kBlockOpen.size();
    } else if (c == ';') {
      break;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace conf

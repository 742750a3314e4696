#include "ari/http_parser.h"

#include <cstring>

#include "util/strings.h"

namespace ari {

namespace {

// RFC 9110 tchar.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string_view TrimSpaceTab(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if the comma-separated list `value` contains `token` (case-insensitive).
bool ListHasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = TrimSpaceTab(value.substr(0, comma));
    if (util::IEquals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

constexpr std::string_view kBadRequest = "Bad Request";
constexpr std::string_view kHeadTooLarge = "Request Header Fields Too Large";
constexpr size_t kMaxChunkLine = 1024;

}  // namespace

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (util::IEquals(n, name)) return &v;
  return nullptr;
}

void HttpRequest::Clear() {
  method.clear();
  target.clear();
  path.clear();
  query.clear();
  headers.clear();
  body.clear();
  version_minor = 1;
}

bool WantsKeepAlive(const HttpRequest& request) {
  bool close = false;
  bool keep_alive = false;
  for (const auto& [n, v] : request.headers) {
    if (!util::IEquals(n, "Connection")) continue;
    if (ListHasToken(v, "close")) close = true;
    if (ListHasToken(v, "keep-alive")) keep_alive = true;
  }
  if (close) return false;
  return request.version_minor >= 1 || keep_alive;
}

HttpRequestParser::HttpRequestParser(Limits limits) : limits_(limits) {}

void HttpRequestParser::Reset() {
  state_ = State::kStart;
  request_.Clear();
  error_ = HttpParseError{};
  line_.clear();
  line_complete_ = false;
  head_bytes_ = 0;
  skipped_bytes_ = 0;
  remaining_ = 0;
  trailer_bytes_ = 0;
  continue_ = false;
}

bool HttpRequestParser::Fail(int status, std::string_view reason, std::string_view message,
                             bool json) {
  state_ = State::kError;
  error_.status = status;
  error_.reason.assign(reason);
  error_.message.assign(message);
  error_.json = json;
  return false;
}

bool HttpRequestParser::TakeLine(std::string_view data, size_t* pos, size_t limit,
                                 std::string_view* line, size_t* raw, bool* too_long) {
  if (line_complete_) {
    line_.clear();
    line_complete_ = false;
  }
  const char* begin = data.data() + *pos;
  size_t n = data.size() - *pos;
  const void* nl = n ? std::memchr(begin, '\n', n) : nullptr;
  if (nl == nullptr) {
    if (line_.size() + n > limit) {
      *too_long = true;
      return false;
    }
    line_.append(begin, n);
    *pos = data.size();
    return false;
  }
  size_t len = static_cast<size_t>(static_cast<const char*>(nl) - begin);
  if (line_.size() + len + 1 > limit) {
    *too_long = true;
    return false;
  }
  *pos += len + 1;
  *raw = line_.size() + len + 1;
  std::string_view l;
  if (line_.empty()) {
    l = std::string_view(begin, len);
  } else {
    line_.append(begin, len);
    line_complete_ = true;
    l = line_;
  }
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  *line = l;
  return true;
}

bool HttpRequestParser::OnRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return Fail(400, kBadRequest, "Malformed request line");
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return Fail(400, kBadRequest, "Malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty())
    return Fail(400, kBadRequest, "Malformed request line");
  for (char ch : target) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) return Fail(400, kBadRequest, "Malformed request line");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return Fail(400, kBadRequest, "Malformed request line");
  if (version[5] != '1') return Fail(505, "HTTP Version Not Supported", "Unsupported HTTP version");
  request_.version_minor = version[7] - '0';
  request_.method.assign(method);
  request_.target.assign(target);
  size_t q = target.find('?');
  request_.path.assign(target.substr(0, q));
  if (q != std::string_view::npos) request_.query.assign(target.substr(q + 1));
  return true;
}

bool HttpRequestParser::OnHeaderLine(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t')
    return Fail(400, kBadRequest, "Folded header lines are not supported");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon)))
    return Fail(400, kBadRequest, "Malformed header line");
  std::string_view value = TrimSpaceTab(line.substr(colon + 1));
  for (char ch : value) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return Fail(400, kBadRequest, "Malformed header line");
  }
  if (request_.headers.size() >= limits_.max_headers)
    return Fail(431, kHeadTooLarge, "Too many headers");
  request_.headers.emplace_back(line.substr(0, colon), value);
  return true;
}

bool HttpRequestParser::OnHeadEnd() {
  bool has_length = false;
  bool chunked = false;
  int te_count = 0;
  uint64_t length = 0;
  bool expect_continue = false;
  for (const auto& [name, value] : request_.headers) {
    if (util::IEquals(name, "Content-Length")) {
      // 1*DIGIT; more than 15 digits is certainly too large for any body limit.
      if (value.empty() || value.size() > 15)
        return Fail(400, kBadRequest, "Invalid Content-Length in request!");
      uint64_t v = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return Fail(400, kBadRequest, "Invalid Content-Length in request!");
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      if (has_length && v != length)
        return Fail(400, kBadRequest, "Invalid Content-Length in request!");
      has_length = true;
      length = v;
    } else if (util::IEquals(name, "Transfer-Encoding")) {
      ++te_count;
      if (!util::IEquals(value, "chunked"))
        return Fail(501, "Not Implemented", "Unsupported Transfer-Encoding");
      chunked = true;
    } else if (util::IEquals(name, "Expect")) {
      if (util::IEquals(value, "100-continue")) expect_continue = true;
    }
  }
  if (te_count > 1) return Fail(400, kBadRequest, "Invalid Transfer-Encoding");
  if (chunked && has_length)
    return Fail(400, kBadRequest, "Content-Length with Transfer-Encoding");
  if (chunked) {
    state_ = State::kChunkSize;
  } else if (has_length && length > 0) {
    if (length > limits_.max_body)
      return Fail(413, "Request Entity Too Large", "Request body too large", true);
    remaining_ = static_cast<size_t>(length);
    request_.body.reserve(remaining_);
    state_ = State::kBody;
  } else {
    state_ = State::kComplete;
    return true;
  }
  continue_ = expect_continue && request_.version_minor >= 1;
  return true;
}

bool HttpRequestParser::OnChunkSizeLine(std::string_view line) {
  size_t i = 0;
  uint64_t size = 0;
  while (i < line.size()) {
    char c = line[i];
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      break;
    if (i >= 15) return Fail(413, "Request Entity Too Large", "Request body too large", true);
    size = size * 16 + static_cast<uint64_t>(d);
    ++i;
  }
  if (i == 0) return Fail(400, kBadRequest, "Invalid chunked body");
  std::string_view rest = TrimSpaceTab(line.substr(i));
  if (!rest.empty() && rest.front() != ';') return Fail(400, kBadRequest, "Invalid chunked body");
  if (size == 0) {
    state_ = State::kTrailer;
    return true;
  }
  if (size > limits_.max_body - request_.body.size())
    return Fail(413, "Request Entity Too Large", "Request body too large", true);
  remaining_ = static_cast<size_t>(size);
  state_ = State::kChunkData;
  return true;
}

HttpRequestParser::Status HttpRequestParser::Feed(std::string_view data, size_t* consumed) {
  size_t pos = 0;
  *consumed = 0;
  auto result = [&]() {
    *consumed = pos;
    if (state_ == State::kComplete) return Status::kComplete;
    if (state_ == State::kError) return Status::kError;
    return Status::kNeedMore;
  };
  while (pos < data.size() && state_ != State::kComplete && state_ != State::kError) {
    std::string_view line;
    size_t raw = 0;
    bool too_long = false;
    switch (state_) {
      case State::kStart:
      case State::kHeaders: {
        size_t budget = limits_.max_head - head_bytes_;
        if (!TakeLine(data, &pos, budget, &line, &raw, &too_long)) {
          if (too_long) Fail(431, kHeadTooLarge, "Request header too large");
          break;
        }
        if (state_ == State::kStart) {
          if (line.empty()) {  // tolerated blank lines before the request line
            skipped_bytes_ += raw;
            if (skipped_bytes_ > limits_.max_head) Fail(400, kBadRequest, "Malformed request line");
            break;
          }
          head_bytes_ += raw;
          if (OnRequestLine(line)) state_ = State::kHeaders;
          break;
        }
        head_bytes_ += raw;
        if (line.empty())
          OnHeadEnd();
        else
          OnHeaderLine(line);
        break;
      }
      case State::kBody:
      case State::kChunkData: {
        size_t take = std::min(remaining_, data.size() - pos);
        request_.body.append(data.data() + pos, take);
        pos += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = state_ == State::kBody ? State::kComplete : State::kChunkDataEnd;
        break;
      }
      case State::kChunkSize:
        if (!TakeLine(data, &pos, kMaxChunkLine, &line, &raw, &too_long)) {
          if (too_long) Fail(400, kBadRequest, "Invalid chunked body");
          break;
        }
        OnChunkSizeLine(line);
        break;
      case State::kChunkDataEnd:
        if (!TakeLine(data, &pos, 3, &line, &raw, &too_long)) {
          if (too_long) Fail(400, kBadRequest, "Invalid chunked body");
          break;
        }
        if (!line.empty())
          Fail(400, kBadRequest, "Invalid chunked body");
        else
          state_ = State::kChunkSize;
        break;
      case State::kTrailer:
        if (!TakeLine(data, &pos, limits_.max_head - trailer_bytes_, &line, &raw, &too_long)) {
          if (too_long) Fail(431, kHeadTooLarge, "Request trailer too large");
          break;
        }
        trailer_bytes_ += raw;
        if (line.empty()) state_ = State::kComplete;
        break;
      case State::kComplete:
      case State::kError:
        break;
    }
  }
  return result();
}

}  // namespace ari

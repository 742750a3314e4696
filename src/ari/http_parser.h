// HTTP/1.1 request parsing: the request value and an incremental parser that turns bytes from a
// connection into requests. No I/O here (and no Asio), so it can be unit-tested and fuzzed alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ari {

// One request as received.
struct HttpRequest {
  std::string method;            // as sent (case-sensitive token)
  std::string target;            // raw request-target
  std::string path;              // target before '?', NOT percent-decoded
  std::string query;             // after '?', raw
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::string body;              // decoded (de-chunked) body
  int version_minor = 1;         // HTTP/1.x
  std::string remote_address;    // peer IP text
  bool tls = false;

  // Value of the first header named `name` (ASCII case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
  // Empties every field, keeping string capacity where it can.
  void Clear();
};

// Whether the connection may stay open after answering `request`: HTTP/1.1 unless the Connection
// header lists "close"; HTTP/1.0 only when it lists "keep-alive".
bool WantsKeepAlive(const HttpRequest& request);

// Why a request could not be parsed, and what to answer. The connection must be closed after the
// answer. `json` false: an HTML error page around `message` (Asterisk's core errors);
// true: Content-type application/json with body {"message":"<message>"} (ARI's errors).
struct HttpParseError {
  int status = 400;
  std::string reason;
  std::string message;
  bool json = false;
};

// Incremental request parser. Feed it the bytes of a connection in any split; it copies what it
// needs into request(), so the caller may discard consumed bytes at once.
//
// Accepted: request line "METHOD SP target SP HTTP/1.x", header lines "name: value", CRLF or bare
// LF line ends, empty lines before the request line, Content-Length or Transfer-Encoding: chunked
// bodies (chunk extensions and trailers are ignored). Everything else is an error.
class HttpRequestParser {
 public:
  struct Limits {
    size_t max_head = 8192;       // request line + headers, line ends included
    size_t max_headers = 100;     // header lines
    size_t max_body = 40960;      // decoded body bytes
  };
  enum class Status { kNeedMore, kComplete, kError };

  explicit HttpRequestParser(Limits limits);
  HttpRequestParser() : HttpRequestParser(Limits{}) {}

  // Consumes a prefix of `data` and stores its length in `*consumed`.
  //  kNeedMore: all of `data` was consumed; feed more.
  //  kComplete: request() is a whole request; bytes after it were not consumed. Call Reset()
  //             before feeding the next request (pipelining).
  //  kError:    error() says what to answer; the parser stays in error until Reset().
  Status Feed(std::string_view data, size_t* consumed);

  HttpRequest& request() { return request_; }
  const HttpRequest& request() const { return request_; }
  const HttpParseError& error() const { return error_; }

  // True once any byte of the current request has arrived (leading blank lines excepted).
  bool started() const {
    return state_ != State::kStart || head_bytes_ > 0 || (!line_.empty() && !line_complete_);
  }
  // True (once) when the head asked for "Expect: 100-continue" and a body is still to come:
  // the caller should send "HTTP/1.1 100 Continue" before waiting for the body.
  bool TakeContinue() {
    bool c = continue_;
    continue_ = false;
    return c;
  }

  // Forgets the current request (and any error); ready for the next one.
  void Reset();

 private:
  enum class State {
    kStart,         // before the request line
    kHeaders,       // header lines
    kBody,          // Content-Length body
    kChunkSize,     // chunk-size line
    kChunkData,     // chunk payload
    kChunkDataEnd,  // CRLF after a chunk's payload
    kTrailer,       // trailer lines after the last chunk
    kComplete,
    kError,
  };

  // Takes one line (without its line end) from data[*pos...], buffering partial lines.
  // Returns false when the line is incomplete (all remaining input buffered). Sets `*too_long`
  // when the buffered line would exceed `limit`.
  // `*raw` is the line's length in the input, line end included.
  bool TakeLine(std::string_view data, size_t* pos, size_t limit, std::string_view* line,
                size_t* raw, bool* too_long);
  bool OnRequestLine(std::string_view line);
  bool OnHeaderLine(std::string_view line);
  bool OnHeadEnd();  // decides how the body is framed
  bool OnChunkSizeLine(std::string_view line);
  bool Fail(int status, std::string_view reason, std::string_view message, bool json = false);

  Limits limits_;
  State state_ = State::kStart;
  HttpRequest request_;
  HttpParseError error_;
  std::string line_;         // partial line carried between Feed calls
  bool line_complete_ = false;  // line_ holds a line already handed out; clear before reuse
  size_t head_bytes_ = 0;    // bytes of request line + headers so far
  size_t skipped_bytes_ = 0; // blank lines before the request line
  size_t remaining_ = 0;     // kBody / kChunkData: bytes still to come
  size_t trailer_bytes_ = 0;
  bool continue_ = false;
};

}  // namespace ari

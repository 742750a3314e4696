// The HTTP/1.1 server under ARI: listeners, connections, keep-alive, and responses written in
// Asterisk's header order. Asio stays inside http_server.cpp; this header is cheap to include.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ari/http_parser.h"
#include "ari/tls_context.h"
#include "util/commit.h"
#include "util/latency_histogram.h"
#include "util/status.h"

namespace ari {

struct HttpResponse {
  int status = 200;
  std::string reason;  // e.g. "OK", "Bad request"; empty = the standard phrase for `status`
  // Extra headers, sent in this order after Cache-Control (e.g. {"Content-type",
  // "application/json"}). Content-Length is always added by the server; don't set it here.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // send Connection: close and close after writing
  // If set: the response is written only after this commit completes; if it fails the server
  // sends 500 {"message":"Storage commit failed"} instead. Later pipelined requests on the same
  // connection wait for it too (responses stay in request order).
  util::CommitPtr wait_for;
};

// Appends the response head exactly as Asterisk's HTTP core writes it:
//   HTTP/1.1 <code> <reason>, Server (unless `server_name` is empty), Date, Connection: close
//   (only when `close`), Cache-Control: no-cache, no-store, the extra headers, Content-Length,
//   then the empty line. `date` is the RFC 1123 date text (see HttpDate).
void AppendResponseHead(std::string& out, const HttpResponse& response, std::string_view server_name,
                        std::string_view date, bool close);
// RFC 1123 date of `unix_seconds` in GMT, e.g. "Thu, 26 Nov 2026 09:34:54 GMT".
std::string HttpDate(int64_t unix_seconds);
// The standard reason phrase for `status` ("OK", "Not Found", ...); "Unknown" if none.
std::string_view HttpReasonPhrase(int status);

// How long the server takes over requests, for the console (`http show latency`). Each time
// runs from the moment a request has been read completely to the moment its response has been
// handed to the kernel in full: it includes waiting for a storage commit and for the
// connection's earlier responses, not the time the request spent in the socket before the
// server read it, nor the client's.
struct RequestLatency {
  util::LatencyHistogram get, put, del, other;  // by method (HEAD, OPTIONS, POST...: other)
  // Of the requests above, the part spent waiting for a storage commit (a PUT or DELETE into
  // durable storage): from the handler's return to the commit's completion.
  util::LatencyHistogram commit_wait;
};

class HttpServer {
 public:
  struct Listener {
    Listener() = default;
    Listener(std::string a, uint16_t p, std::shared_ptr<const TlsContext> t = nullptr)
        : address(std::move(a)), port(p), tls(std::move(t)) {}
    std::string address;  // IP literal or host name (first resolved address); empty = 0.0.0.0
    uint16_t port = 8088;
    // Set: HTTPS. Each connection does an asynchronous TLS handshake (bounded by inactivity_ms)
    // before its first request, and requests reach the handler with HttpRequest::tls = true.
    // A failed handshake (e.g. plain HTTP sent to this port) is logged at debug level and the
    // connection closed.
    std::shared_ptr<const TlsContext> tls;
  };
  struct Options {
    std::vector<Listener> listeners;
    int threads = 0;              // 0 = std::thread::hardware_concurrency()
    size_t session_limit = 100;   // concurrent connections; over the limit: accept and close at once
    int keep_alive_ms = 15000;    // idle time between requests on a kept-alive connection;
                                  // 0 = every response closes
    int inactivity_ms = 30000;    // max time to receive a full request once it started (also the
                                  // wait for the first request, and the limit on a stalled write)
    size_t max_body = 40960;
    std::string server_name = "Asterisk/sorceryd";  // Server: header; empty = omit the header
    RequestLatency* latency = nullptr;  // where to record request times; null: not recorded
  };
  // Runs on an I/O thread; must not block. Exceptions are caught and answered with 500.
  using Handler = std::function<HttpResponse(HttpRequest&)>;

  // Binds every listener (SO_REUSEADDR, and SO_REUSEPORT: one acceptor per thread) and starts
  // the threads. On failure nothing is left running; the error names the address:port and the
  // system's error text.
  static util::Result<std::unique_ptr<HttpServer>> Start(Options options, Handler handler);

  // Stops accepting, closes every connection, joins the threads. Idempotent. Commits still
  // pending at that point complete into nothing.
  void Stop();
  ~HttpServer();

  // The bound port of each listener, in Options order (useful with port 0).
  std::vector<uint16_t> bound_ports() const;

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ari

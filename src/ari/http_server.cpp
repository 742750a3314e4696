#include "ari/http_server.h"

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "util/json.h"
#include "util/log.h"
#include "util/thread_name.h"
#include "util/thread_slice.h"

namespace ari {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

// ---------------------------------------------------------------------------------------------
// Response formatting

std::string_view HttpReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string HttpDate(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
           tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
           tm.tm_sec);
  return buf;
}

namespace {

void AppendNumber(std::string& out, uint64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  out.append(buf, r.ptr);
}

// The Date header text, recomputed at most once a second per thread.
std::string_view CurrentDate() {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached;
  int64_t now = static_cast<int64_t>(::time(nullptr));
  if (now != cached_second) {
    cached = HttpDate(now);
    cached_second = now;
  }
  return cached;
}

}  // namespace

void AppendResponseHead(std::string& out, const HttpResponse& response, std::string_view server_name,
                        std::string_view date, bool close) {
  out += "HTTP/1.1 ";
  AppendNumber(out, static_cast<uint64_t>(response.status < 0 ? 0 : response.status));
  out += ' ';
  out += response.reason.empty() ? HttpReasonPhrase(response.status)
                                 : std::string_view(response.reason);
  out += "\r\n";
  if (!server_name.empty()) {
    out += "Server: ";
    out += server_name;
    out += "\r\n";
  }
  out += "Date: ";
  out += date;
  out += "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "Cache-Control: no-cache, no-store\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "Content-Length: ";
  AppendNumber(out, response.body.size());
  out += "\r\n\r\n";
}

namespace {

HttpResponse JsonError(int status, std::string_view reason, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.reason.assign(reason);
  r.headers.emplace_back("Content-type", "application/json");
  r.body = "{\"message\":";
  util::json::AppendString(r.body, message);
  r.body += '}';
  return r;
}

// Asterisk's core error page (ast_http_error): a small HTML document.
HttpResponse HtmlError(int status, std::string_view reason, std::string_view message,
                       std::string_view server_name) {
  HttpResponse r;
  r.status = status;
  r.reason.assign(reason);
  r.headers.emplace_back("Content-type", "text/html");
  std::string& b = r.body;
  b += "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n<title>";
  AppendNumber(b, static_cast<uint64_t>(status));
  b += ' ';
  b += reason;
  b += "</title>\r\n</head><body>\r\n<h1>";
  b += reason;
  b += "</h1>\r\n<p>";
  b += message;
  b += "</p>\r\n<hr />\r\n";
  if (!server_name.empty()) {
    b += "<address>";
    b += server_name;
    b += "</address>\r\n";
  }
  b += "</body></html>\r\n";
  return r;
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kNever = std::chrono::steady_clock::time_point::max();
constexpr int kLingerMs = 2000;
constexpr size_t kLingerMaxBytes = 1 << 20;
constexpr size_t kReadBufferSize = 16384;

// ---------------------------------------------------------------------------------------------
// Server state

// Lets a commit callback (on a storage thread) post to a worker only while the server runs.
struct Gate {
  std::mutex mu;
  bool open = true;
  asio::io_context* ioc = nullptr;
};

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  virtual void Close() = 0;
};

struct Acceptor {
  tcp::acceptor socket;
  std::shared_ptr<const TlsContext> tls;  // null: plain HTTP
};

struct Worker {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::vector<std::unique_ptr<Acceptor>> acceptors;
  std::unordered_map<SessionBase*, std::shared_ptr<SessionBase>> sessions;  // this thread only
  std::thread thread;
};

struct Shared {
  HttpServer::Options options;
  HttpServer::Handler handler;
  HttpRequestParser::Limits limits;
  std::atomic<size_t> sessions{0};
};

// One connection. Stream is the byte stream: tcp::socket (plain HTTP) or TlsStream (HTTPS: a
// handshake before the first read, one coalesced TLS write per batch, close_notify when closing
// after the last response). The TLS parts are `if constexpr`, so the plain path pays nothing.
//
// Everything runs on the worker's single thread. At most one read or one write is in flight; the
// read buffer is parsed only while no write is in flight and no commit is awaited, so responses
// go out in request order. Pump() decides the next step after every event.
template <typename Stream>
class Session final : public SessionBase {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(Shared& shared, Worker& worker, Stream stream)
      : sh_(shared), w_(worker), stream_(std::move(stream)), timer_(worker.ioc),
        parser_(shared.limits), rbuf_(kReadBufferSize) {}

  void Start() {
    boost::system::error_code ec;
    auto ep = stream_.lowest_layer().remote_endpoint(ec);
    if (!ec) {
      auto addr = ep.address();
      if (addr.is_v6() && addr.to_v6().is_v4_mapped())
        addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
      remote_ = addr.to_string();
    }
    stream_.lowest_layer().set_option(tcp::no_delay(true), ec);
    if constexpr (kTls) {
      SetPhase(Phase::kHandshake);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = Self()](const boost::system::error_code& hec) {
                                if (self->closed_) return;
                                if (hec) {
                                  util::LogDebug("TLS handshake with " + self->remote_ +
                                                 " failed: " + hec.message());
                                  self->Close();
                                  return;
                                }
                                self->Pump();
                              });
    } else {
      Pump();
    }
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    stream_.lowest_layer().close(ec);
    timer_.cancel();
    sh_.sessions.fetch_sub(1, std::memory_order_relaxed);
    auto self = shared_from_this();  // erase may drop the registry's reference
    w_.sessions.erase(this);
  }

 private:
  enum class Phase { kNone, kHandshake, kIdle, kReceiving, kWaiting, kWriting, kLinger };

  std::shared_ptr<Session> Self() { return std::static_pointer_cast<Session>(shared_from_this()); }

  void Pump() {
    if (closed_ || writing_ || reading_) return;
    if (waiting_ && commit_done_) FinishPending();
    while (!waiting_ && !close_after_write_) {
      size_t n = 0;
      auto st = parser_.Feed(std::string_view(rbuf_.data() + rbeg_, rend_ - rbeg_), &n);
      rbeg_ += n;
      if (st == HttpRequestParser::Status::kNeedMore) {
        if (parser_.TakeContinue()) AppendRaw(kContinue);
        break;
      }
      if (st == HttpRequestParser::Status::kError) {
        const HttpParseError& e = parser_.error();
        HttpResponse r = e.json ? JsonError(e.status, e.reason, e.message)
                                : HtmlError(e.status, e.reason, e.message, sh_.options.server_name);
        Enqueue(r, true);
        close_after_write_ = true;
        break;
      }
      HandleRequest();
      parser_.Reset();
    }
    if (!segs_.empty()) {
      StartWrite();
      return;
    }
    if (close_after_write_) {
      StartLinger();
      return;
    }
    if (waiting_) {
      SetPhase(Phase::kWaiting);
      return;
    }
    if (parser_.started())
      SetPhase(Phase::kReceiving);
    else
      SetPhase(Phase::kIdle);
    StartRead();
  }

  void HandleRequest() {
    HttpRequest& req = parser_.request();
    const auto started = std::chrono::steady_clock::now();
    util::LatencyHistogram* histogram = nullptr;
    if (RequestLatency* l = sh_.options.latency) {
      histogram = req.method == "GET"      ? &l->get
                  : req.method == "PUT"    ? &l->put
                  : req.method == "DELETE" ? &l->del
                                           : &l->other;
    }
    req.remote_address = remote_;  // per request: the handler may move fields out
    req.tls = kTls;
    bool close = !WantsKeepAlive(req) || sh_.options.keep_alive_ms <= 0;
    HttpResponse resp;
    try {
      resp = sh_.handler(req);
    } catch (const std::exception& e) {
      util::LogError(std::string("HTTP handler failed: ") + e.what());
      resp = JsonError(500, "Internal Server Error", "Internal server error");
    } catch (...) {
      util::LogError("HTTP handler failed with an unknown exception");
      resp = JsonError(500, "Internal Server Error", "Internal server error");
    }
    served_any_ = true;
    close = close || resp.close;
    if (resp.wait_for) {
      util::CommitPtr commit = std::move(resp.wait_for);
      resp.wait_for.reset();
      if (commit->done()) {
        bool ok = false;
        commit->OnComplete([&ok](bool v) { ok = v; });  // runs at once: already complete
        if (!ok) resp = CommitFailed();
      } else {
        pending_ = std::move(resp);
        pending_close_ = close;
        pending_started_ = started;
        pending_histogram_ = histogram;
        if (histogram != nullptr) commit_started_ = std::chrono::steady_clock::now();
        waiting_ = true;
        commit_done_ = false;
        std::weak_ptr<Session> weak = Self();
        std::shared_ptr<Gate> gate = w_.gate;
        commit->OnComplete([weak, gate](bool ok) {
          std::lock_guard lock(gate->mu);
          if (!gate->open) return;
          asio::post(*gate->ioc, [weak, ok] {
            if (auto s = weak.lock()) s->OnCommit(ok);
          });
        });
        return;
      }
    }
    Enqueue(resp, close);
    if (histogram != nullptr) timed_.push_back({started, histogram});
    if (close) close_after_write_ = true;
  }

  static HttpResponse CommitFailed() {
    return JsonError(500, "Internal Server Error", "Storage commit failed");
  }

  void OnCommit(bool ok) {
    if (pending_histogram_ != nullptr) {
      sh_.options.latency->commit_wait.Record(std::chrono::steady_clock::now() - commit_started_);
    }
    commit_done_ = true;
    commit_ok_ = ok;
    Pump();
  }

  void FinishPending() {
    if (!commit_ok_) pending_ = CommitFailed();
    Enqueue(pending_, pending_close_);
    if (pending_histogram_ != nullptr) timed_.push_back({pending_started_, pending_histogram_});
    pending_histogram_ = nullptr;
    if (pending_close_) close_after_write_ = true;
    pending_ = HttpResponse{};
    waiting_ = false;
    commit_done_ = false;
  }

  // Output: heads accumulate in out_, bodies are moved into bodies_, segs_ lists the pieces in
  // order; one gather write sends them all.
  struct Seg {
    int body;  // -1: out_
    size_t off, len;
  };

  void AddOutSeg(size_t off) {
    size_t len = out_.size() - off;
    if (!segs_.empty() && segs_.back().body < 0 && segs_.back().off + segs_.back().len == off)
      segs_.back().len += len;
    else
      segs_.push_back({-1, off, len});
  }

  void AppendRaw(std::string_view s) {
    size_t off = out_.size();
    out_ += s;
    AddOutSeg(off);
  }

  void Enqueue(HttpResponse& r, bool close) {
    size_t off = out_.size();
    AppendResponseHead(out_, r, sh_.options.server_name, CurrentDate(), close);
    if (r.body.size() < 1024) {
      out_ += r.body;
      AddOutSeg(off);
    } else {
      AddOutSeg(off);
      size_t len = r.body.size();
      bodies_.push_back(std::move(r.body));
      segs_.push_back({static_cast<int>(bodies_.size() - 1), 0, len});
    }
  }

  asio::const_buffer SegBuffer(const Seg& s) const {
    const std::string& src = s.body < 0 ? out_ : bodies_[static_cast<size_t>(s.body)];
    return asio::buffer(src.data() + s.off, s.len);
  }

  void StartWrite() {
    writing_ = true;
    SetPhase(Phase::kWriting);
    auto done = [self = Self()](const boost::system::error_code& ec, size_t) {
      self->OnWrite(ec);
    };
    if constexpr (kTls) {
      // An SSL stream writes one buffer per record and syscall: send the batch as one buffer.
      if (segs_.size() > 1) {
        tls_out_.clear();
        for (const auto& seg : segs_) {
          auto b = SegBuffer(seg);
          tls_out_.append(static_cast<const char*>(b.data()), b.size());
        }
        asio::async_write(stream_, asio::buffer(tls_out_), std::move(done));
        return;
      }
    }
    if (segs_.size() == 1) {
      asio::async_write(stream_, SegBuffer(segs_[0]), std::move(done));
    } else if (segs_.size() == 2) {
      std::array<asio::const_buffer, 2> b{SegBuffer(segs_[0]), SegBuffer(segs_[1])};
      asio::async_write(stream_, b, std::move(done));
    } else {
      bufs_.clear();
      for (const auto& s : segs_) bufs_.push_back(SegBuffer(s));
      asio::async_write(stream_, bufs_, std::move(done));
    }
  }

  void OnWrite(const boost::system::error_code& ec) {
    writing_ = false;
    if (closed_) return;
    if (ec) {
      Close();
      return;
    }
    if (!timed_.empty()) {
      const auto now = std::chrono::steady_clock::now();
      for (const Timed& t : timed_) t.histogram->Record(now - t.started);
      timed_.clear();
    }
    out_.clear();
    bodies_.clear();
    segs_.clear();
    Pump();
  }

  void StartRead() {
    if (rbeg_ == rend_) {
      rbeg_ = rend_ = 0;
    } else if (rbuf_.size() - rend_ < 4096) {
      std::memmove(rbuf_.data(), rbuf_.data() + rbeg_, rend_ - rbeg_);
      rend_ -= rbeg_;
      rbeg_ = 0;
    }
    reading_ = true;
    stream_.async_read_some(asio::buffer(rbuf_.data() + rend_, rbuf_.size() - rend_),
                            [self = Self()](const boost::system::error_code& ec, size_t n) {
                              self->OnRead(ec, n);
                            });
  }

  void OnRead(const boost::system::error_code& ec, size_t n) {
    reading_ = false;
    if (closed_) return;
    if (ec) {
      Close();
      return;
    }
    rend_ += n;
    Pump();
  }

  // After the last response: stop sending, then read and discard what the client still sends
  // (for a while), so that closing does not reset the connection under the unread response.
  void StartLinger() {
    if constexpr (kTls) {
      // close_notify, then wait (bounded by the linger time) for the client's or its close.
      SetPhase(Phase::kLinger);
      stream_.async_shutdown([self = Self()](const boost::system::error_code&) { self->Close(); });
      return;
    }
    boost::system::error_code ec;
    stream_.lowest_layer().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      Close();
      return;
    }
    SetPhase(Phase::kLinger);
    LingerRead();
  }

  void LingerRead() {
    stream_.async_read_some(asio::buffer(rbuf_.data(), rbuf_.size()),
                            [self = Self()](const boost::system::error_code& ec, size_t n) {
                              if (self->closed_) return;
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kLingerMaxBytes) {
                                self->Close();
                                return;
                              }
                              self->LingerRead();
                            });
  }

  // Timeouts: one timer per connection, re-armed only when a deadline moves earlier; when it
  // fires early (the deadline moved later) it waits again.
  void SetPhase(Phase p) {
    if (p == phase_) return;
    phase_ = p;
    int ms;
    switch (p) {
      case Phase::kHandshake:
        ms = sh_.options.inactivity_ms;
        break;
      case Phase::kIdle:
        ms = served_any_ ? sh_.options.keep_alive_ms : sh_.options.inactivity_ms;
        break;
      case Phase::kReceiving:
      case Phase::kWriting:
        ms = sh_.options.inactivity_ms;
        break;
      case Phase::kLinger:
        ms = kLingerMs;
        break;
      default:
        deadline_ = kNever;
        return;
    }
    if (ms <= 0) ms = 1;
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    if (!timer_armed_ || deadline_ < timer_expiry_) ArmTimer(deadline_);
  }

  void ArmTimer(std::chrono::steady_clock::time_point at) {
    timer_armed_ = true;
    timer_expiry_ = at;
    uint64_t gen = ++timer_gen_;
    timer_.expires_at(at);
    timer_.async_wait([self = Self(), gen](const boost::system::error_code&) {
      if (gen != self->timer_gen_ || self->closed_) return;
      self->timer_armed_ = false;
      if (self->deadline_ == kNever) return;
      if (std::chrono::steady_clock::now() >= self->deadline_) {
        self->Close();
        return;
      }
      self->ArmTimer(self->deadline_);
    });
  }

  Shared& sh_;
  Worker& w_;
  Stream stream_;
  asio::steady_timer timer_;
  HttpRequestParser parser_;
  std::string remote_;

  std::vector<char> rbuf_;
  size_t rbeg_ = 0, rend_ = 0;

  std::string out_;
  std::vector<std::string> bodies_;
  std::vector<Seg> segs_;
  std::vector<asio::const_buffer> bufs_;
  std::string tls_out_;  // TLS only: the coalesced batch being written

  HttpResponse pending_;
  bool pending_close_ = false;
  bool waiting_ = false;
  // Request times (RequestLatency): the responses in out_/bodies_ with when their requests were
  // read, recorded once the write that carries them completes.
  struct Timed {
    std::chrono::steady_clock::time_point started;
    util::LatencyHistogram* histogram;
  };
  std::vector<Timed> timed_;
  std::chrono::steady_clock::time_point pending_started_;  // of pending_
  std::chrono::steady_clock::time_point commit_started_;   // when pending_ began to wait
  util::LatencyHistogram* pending_histogram_ = nullptr;
  bool commit_done_ = false;
  bool commit_ok_ = false;

  bool reading_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool closed_ = false;
  bool served_any_ = false;
  size_t lingered_ = 0;

  Phase phase_ = Phase::kNone;
  std::chrono::steady_clock::time_point deadline_ = kNever;
  std::chrono::steady_clock::time_point timer_expiry_{};
  bool timer_armed_ = false;
  uint64_t timer_gen_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// HttpServer

struct HttpServer::Impl {
  Shared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<uint16_t> ports;
  std::mutex stop_mu;
  bool stopped = false;

  // Every listener has one acceptor, run by the first worker; each accepted connection goes to
  // the next worker in turn. Keep-alive clients hold their connections for long, so an even
  // spread matters: with an acceptor per worker (SO_REUSEPORT) the kernel's hash put e.g. 11 of
  // 16 connections on one thread, which doubled the tail latency at full load.
  std::atomic<size_t> next_worker{0};

  void Accept(Worker& home, Acceptor& acc) {
    tcp::acceptor& a = acc.socket;
    Worker& target = *workers[next_worker.fetch_add(1, std::memory_order_relaxed) % workers.size()];
    a.async_accept(target.ioc, [this, &home, &target, &acc, &a](const boost::system::error_code& ec,
                                                                  tcp::socket s) {
      if (ec == asio::error::operation_aborted || !a.is_open()) return;
      if (ec) {
        // Out of descriptors or similar: back off briefly instead of spinning.
        util::LogWarning("HTTP accept failed: " + ec.message());
        auto t = std::make_shared<asio::steady_timer>(home.ioc, std::chrono::milliseconds(100));
        t->async_wait([this, &home, &acc, &a, t](const boost::system::error_code& tec) {
          if (!tec && a.is_open()) Accept(home, acc);
        });
        return;
      }
      size_t before = shared.sessions.fetch_add(1, std::memory_order_relaxed);
      if (before >= shared.options.session_limit) {
        shared.sessions.fetch_sub(1, std::memory_order_relaxed);
        boost::system::error_code ignored;
        s.close(ignored);
      } else {
        // The session lives on its worker's thread: start it there.
        asio::post(target.ioc, [this, &target, &acc, s = std::move(s)]() mutable {
          StartSession(target, acc, std::move(s));
        });
      }
      Accept(home, acc);
    });
  }

  void StartSession(Worker& w, Acceptor& acc, tcp::socket s) {
    if (!acc.tls) {
      auto session = std::make_shared<Session<tcp::socket>>(shared, w, std::move(s));
      w.sessions.emplace(session.get(), session);
      session->Start();
    } else if (ssl_st* ssl = acc.tls->NewConnection()) {
      auto session = std::make_shared<Session<TlsStream>>(shared, w, TlsStream(std::move(s), ssl));
      w.sessions.emplace(session.get(), session);
      session->Start();
    } else {
      util::LogWarning("HTTPS connection refused: " + TakeOpensslError());
      shared.sessions.fetch_sub(1, std::memory_order_relaxed);
      boost::system::error_code ignored;
      s.close(ignored);
    }
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

std::vector<uint16_t> HttpServer::bound_ports() const { return impl_->ports; }

namespace {

std::string EndpointText(const std::string& address, uint16_t port) {
  std::string a = address.empty() ? "0.0.0.0" : address;
  if (a.find(':') != std::string::npos) a = "[" + a + "]";
  return a + ":" + std::to_string(port);
}

}  // namespace

util::Result<std::unique_ptr<HttpServer>> HttpServer::Start(Options options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->shared.options = std::move(options);
  impl->shared.handler = std::move(handler);
  const Options& opt = impl->shared.options;
  impl->shared.limits.max_body = opt.max_body;

  int threads = opt.threads;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->gate->ioc = &w->ioc;
    impl->workers.push_back(std::move(w));
  }

  for (const Listener& l : opt.listeners) {
    boost::system::error_code ec;
    std::string host = l.address.empty() ? "0.0.0.0" : l.address;
    asio::ip::address addr = asio::ip::make_address(host, ec);
    if (ec) {
      tcp::resolver resolver(impl->workers[0]->ioc);
      auto results = resolver.resolve(host, "", ec);
      if (ec || results.empty())
        return util::Status::Invalid("Unable to resolve " + EndpointText(l.address, l.port) +
                                     ": " + (ec ? ec.message() : "no address"));
      addr = results.begin()->endpoint().address();
    }
    tcp::endpoint ep(addr, l.port);
    Worker& home = *impl->workers.front();
    auto acc = std::make_unique<Acceptor>(Acceptor{tcp::acceptor(home.ioc), l.tls});
    tcp::acceptor* a = &acc->socket;
    auto fail = [&](const char* what) {
      return util::Status::Io(std::string("Unable to ") + what + " " + EndpointText(l.address, l.port) + ": " +
                              ec.message());
    };
    if (a->open(ep.protocol(), ec)) return fail("open");
    if (a->set_option(tcp::acceptor::reuse_address(true), ec)) return fail("configure");
    if (a->bind(ep, ec)) return fail("bind");
    if (a->listen(asio::socket_base::max_listen_connections, ec)) return fail("listen on");
    impl->ports.push_back(a->local_endpoint(ec).port());
    if (ec) return fail("query");
    home.acceptors.push_back(std::move(acc));
  }

  Impl* raw = impl.get();
  for (size_t i = 0; i < raw->workers.size(); ++i) {
    auto& w = raw->workers[i];
    for (auto& a : w->acceptors) raw->Accept(*w, *a);
    Worker* wp = w.get();
    wp->thread = std::thread([wp, i] {
      util::NameThisThread("ari-io/" + std::to_string(i));
      // These threads wake for every request and run briefly: a short slice gets them a CPU
      // sooner on a busy machine (util/thread_slice.h).
      if (!util::ShortenTimeSlice(util::kRequestPathSlice) && i == 0)
        util::LogDebug("HTTP: the kernel keeps the default time slice for the I/O threads");
      for (;;) {
        try {
          wp->ioc.run();
          return;
        } catch (const std::exception& e) {
          util::LogError(std::string("HTTP worker: ") + e.what());
        }
      }
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  if (!impl_) return;
  std::lock_guard lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  for (auto& w : impl_->workers) {
    std::lock_guard g(w->gate->mu);
    w->gate->open = false;
  }
  for (auto& w : impl_->workers) {
    Worker* wp = w.get();
    asio::post(wp->ioc, [wp] {
      boost::system::error_code ec;
      for (auto& a : wp->acceptors) a->socket.close(ec);
      std::vector<std::shared_ptr<SessionBase>> all;
      for (auto& [p, s] : wp->sessions) all.push_back(s);
      for (auto& s : all) s->Close();
      wp->ioc.stop();
    });
  }
  for (auto& w : impl_->workers)
    if (w->thread.joinable()) w->thread.join();
  for (auto& w : impl_->workers) {
    w->sessions.clear();
    w->acceptors.clear();
  }
}

}  // namespace ari

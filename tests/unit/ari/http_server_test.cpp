#include "ari/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>

namespace ari {
namespace {

using namespace std::chrono_literals;

// A raw loopback client with timeouts, so a broken server fails a test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  void Close() {
    ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads more bytes into buf_; false on EOF, error or timeout.
  bool ReadMore(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  // One whole response (head + Content-Length body), or "" on timeout/EOF.
  std::string ReadResponse(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t len = 0;
        std::smatch m;
        std::string head = buf_.substr(0, end + 4);
        if (std::regex_search(head, m, std::regex("Content-Length: (\\d+)\r\n")))
          len = std::stoul(m[1]);
        if (buf_.size() >= end + 4 + len) {
          std::string r = buf_.substr(0, end + 4 + len);
          buf_.erase(0, end + 4 + len);
          return r;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms || !ReadMore(left)) return "";
    }
  }

  // True if the server closes the connection within `timeout` (after any pending bytes).
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      if (!ReadMore(left) && !eof_) return false;
    }
    return true;
  }

  const std::string& pending() const { return buf_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buf_;
};

HttpResponse JsonOk(std::string body) {
  HttpResponse r;
  r.status = 200;
  r.reason = "OK";
  r.headers.emplace_back("Content-type", "application/json");
  r.body = std::move(body);
  return r;
}

struct ServerFixture : ::testing::Test {
  void StartServer(HttpServer::Handler h, HttpServer::Options o = {}) {
    o.listeners = {{"127.0.0.1", 0}};
    if (o.threads == 0) o.threads = 2;
    if (o.server_name == "Asterisk/sorceryd") o.server_name = "Asterisk";
    auto s = HttpServer::Start(std::move(o), std::move(h));
    ASSERT_TRUE(s.ok()) << s.status().message();
    server = std::move(s).value();
    port = server->bound_ports().at(0);
    ASSERT_NE(port, 0);
  }
  void TearDown() override {
    if (server) server->Stop();
  }
  std::unique_ptr<HttpServer> server;
  uint16_t port = 0;
};

const std::regex kDateLine("Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d "
                           "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                           "\\d\\d:\\d\\d:\\d\\d GMT\r\n");

// Replaces the Date value with a fixed token after checking its form.
std::string MaskDate(const std::string& r) {
  std::smatch m;
  if (!std::regex_search(r, m, kDateLine)) return r;
  return std::regex_replace(r, kDateLine, "Date: D\r\n", std::regex_constants::format_first_only);
}

TEST(HttpFormat, HttpDate) {
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(HttpDate(1795685694), "Thu, 26 Nov 2026 09:34:54 GMT");
}

TEST(HttpFormat, HeadOrder) {
  HttpResponse r = JsonOk("{}");
  r.headers.emplace_back("Allow", "OPTIONS,GET");
  std::string out;
  AppendResponseHead(out, r, "Asterisk", "D", true);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nServer: Asterisk\r\nDate: D\r\nConnection: close\r\n"
            "Cache-Control: no-cache, no-store\r\nContent-type: application/json\r\n"
            "Allow: OPTIONS,GET\r\nContent-Length: 2\r\n\r\n");
  out.clear();
  HttpResponse e;
  e.status = 204;
  AppendResponseHead(out, e, "", "D", false);
  EXPECT_EQ(out,
            "HTTP/1.1 204 No Content\r\nDate: D\r\nCache-Control: no-cache, no-store\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST_F(ServerFixture, StatusLineAndHeaderOrder) {
  std::string seen_remote;
  std::mutex mu;
  StartServer([&](HttpRequest& req) {
    std::lock_guard l(mu);
    seen_remote = req.remote_address;
    return JsonOk("{\"path\":\"" + req.path + "\"}");
  });
  Client c(port);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("GET /ari/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::string r = c.ReadResponse();
  ASSERT_TRUE(std::regex_search(r, kDateLine)) << r;
  EXPECT_EQ(MaskDate(r),
            "HTTP/1.1 200 OK\r\nServer: Asterisk\r\nDate: D\r\n"
            "Cache-Control: no-cache, no-store\r\nContent-type: application/json\r\n"
            "Content-Length: 17\r\n\r\n{\"path\":\"/ari/x\"}");
  std::lock_guard l(mu);
  EXPECT_EQ(seen_remote, "127.0.0.1");
}

TEST_F(ServerFixture, KeepAliveReusesConnection) {
  std::atomic<int> n{0};
  StartServer([&](HttpRequest&) { return JsonOk(std::to_string(++n)); });
  Client c(port);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
    std::string r = c.ReadResponse();
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(r.ends_with("\r\n\r\n" + std::to_string(i))) << r;
  }
  // HTTP/1.0 with keep-alive also stays open.
  ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_FALSE(c.ReadResponse().empty());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(c.ReadResponse().empty());
}

TEST_F(ServerFixture, ConnectionCloseHonoured) {
  StartServer([](HttpRequest&) { return JsonOk("{}"); });
  {
    Client c(port);
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    std::string r = MaskDate(c.ReadResponse());
    EXPECT_EQ(r,
              "HTTP/1.1 200 OK\r\nServer: Asterisk\r\nDate: D\r\nConnection: close\r\n"
              "Cache-Control: no-cache, no-store\r\nContent-type: application/json\r\n"
              "Content-Length: 2\r\n\r\n{}");
    EXPECT_TRUE(c.ClosedWithin(3000ms));
  }
  {
    Client c(port);  // HTTP/1.0 without keep-alive closes
    ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\n\r\n"));
    EXPECT_NE(c.ReadResponse().find("Connection: close\r\n"), std::string::npos);
    EXPECT_TRUE(c.ClosedWithin(3000ms));
  }
}

TEST_F(ServerFixture, HandlerCloseFlag) {
  StartServer([](HttpRequest&) {
    HttpResponse r = JsonOk("{}");
    r.status = 503;
    r.reason = "Service Unavailable";
    r.close = true;
    return r;
  });
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_TRUE(r.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << r;
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerFixture, KeepAliveDisabledAndIdleTimeout) {
  HttpServer::Options o;
  o.keep_alive_ms = 0;
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerFixture, IdleKeepAliveTimesOut) {
  HttpServer::Options o;
  o.keep_alive_ms = 200;
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(c.ReadResponse().empty());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedWithin(3000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
}

TEST_F(ServerFixture, IncompleteRequestTimesOut) {
  HttpServer::Options o;
  o.inactivity_ms = 200;
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: slow"));
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerFixture, BodyTooLarge) {
  StartServer([](HttpRequest&) { return JsonOk("{}"); });
  Client c(port);
  ASSERT_TRUE(c.Send("PUT /x HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n" +
                     std::string(1000, 'x')));
  std::string r = MaskDate(c.ReadResponse());
  EXPECT_EQ(r,
            "HTTP/1.1 413 Request Entity Too Large\r\nServer: Asterisk\r\nDate: D\r\n"
            "Connection: close\r\nCache-Control: no-cache, no-store\r\n"
            "Content-type: application/json\r\nContent-Length: 36\r\n\r\n"
            "{\"message\":\"Request body too large\"}");
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerFixture, ChunkedBodyReachesHandler) {
  StartServer([](HttpRequest& req) { return JsonOk(req.body); });
  Client c(port);
  ASSERT_TRUE(c.Send("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_TRUE(r.ends_with("Content-Length: 7\r\n\r\n{\"a\":1}")) << r;
}

TEST_F(ServerFixture, BadRequests) {
  StartServer([](HttpRequest&) { return JsonOk("{}"); });
  {
    Client c(port);
    ASSERT_TRUE(c.Send("PUT /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_TRUE(r.starts_with("HTTP/1.1 400 Bad Request\r\n")) << r;
    EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos);
    EXPECT_NE(r.find("Content-type: text/html\r\n"), std::string::npos);
    EXPECT_NE(r.find("Invalid Content-Length in request!"), std::string::npos);
    EXPECT_TRUE(c.ClosedWithin(3000ms));
  }
  {
    Client c(port);
    ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_TRUE(r.starts_with("HTTP/1.1 400 Bad Request\r\n")) << r;
    EXPECT_TRUE(c.ClosedWithin(3000ms));
  }
  {
    Client c(port);
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_TRUE(r.starts_with("HTTP/1.1 431 ")) << r;
    EXPECT_TRUE(c.ClosedWithin(3000ms));
  }
}

TEST_F(ServerFixture, PipelinedRequestsAnsweredInOrder) {
  StartServer([](HttpRequest& req) { return JsonOk(req.path + req.body); });
  Client c(port);
  std::string batch;
  for (int i = 0; i < 20; ++i)
    batch += "PUT /" + std::to_string(i) + " HTTP/1.1\r\nContent-Length: 1\r\n\r\nb";
  batch += "GET /last HTTP/1.1\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(c.Send(batch));
  for (int i = 0; i < 20; ++i) {
    std::string r = c.ReadResponse();
    EXPECT_TRUE(r.ends_with("\r\n\r\n/" + std::to_string(i) + "b")) << i << ": " << r;
  }
  EXPECT_TRUE(c.ReadResponse().ends_with("/last"));
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerFixture, WaitForDelaysResponse) {
  std::mutex mu;
  std::vector<util::CommitPtr> commits;
  StartServer([&](HttpRequest& req) {
    HttpResponse r = JsonOk(req.path);
    if (req.path != "/now") {
      std::lock_guard l(mu);
      r.wait_for = util::Commit::Pending();
      commits.push_back(r.wait_for);
    }
    return r;
  });
  auto commit_at = [&](size_t i) -> util::CommitPtr {
    for (int k = 0; k < 200; ++k) {
      {
        std::lock_guard l(mu);
        if (commits.size() > i) return commits[i];
      }
      std::this_thread::sleep_for(10ms);
    }
    return nullptr;
  };
  Client c(port);
  // A pending commit holds back its response and the pipelined one behind it.
  ASSERT_TRUE(c.Send("PUT /a HTTP/1.1\r\n\r\nGET /now HTTP/1.1\r\n\r\n"));
  auto first = commit_at(0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(c.ReadResponse(300ms), "");
  first->Complete(true);
  EXPECT_TRUE(c.ReadResponse().ends_with("\r\n\r\n/a"));
  EXPECT_TRUE(c.ReadResponse().ends_with("\r\n\r\n/now"));
  // A failed commit turns the response into 500.
  ASSERT_TRUE(c.Send("PUT /b HTTP/1.1\r\n\r\n"));
  auto second = commit_at(1);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(c.ReadResponse(200ms), "");
  std::thread([second] { second->Complete(false); }).join();
  std::string r = MaskDate(c.ReadResponse());
  EXPECT_EQ(r,
            "HTTP/1.1 500 Internal Server Error\r\nServer: Asterisk\r\nDate: D\r\n"
            "Cache-Control: no-cache, no-store\r\nContent-type: application/json\r\n"
            "Content-Length: 35\r\n\r\n{\"message\":\"Storage commit failed\"}");
  // The connection is still usable.
  ASSERT_TRUE(c.Send("GET /now HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().ends_with("/now"));
}

TEST_F(ServerFixture, RecordsRequestTimesByMethodAndTheCommitWait) {
  RequestLatency latency;
  std::mutex mu;
  util::CommitPtr pending;
  HttpServer::Options o;
  o.latency = &latency;
  StartServer(
      [&](HttpRequest& req) {
        HttpResponse r = JsonOk(req.path);
        if (req.method == "PUT") {
          std::lock_guard l(mu);
          r.wait_for = pending = util::Commit::Pending();
        }
        return r;
      },
      o);
  // A time is recorded once the response's write completes, which may be just after the client
  // has read it.
  auto counted = [](const util::LatencyHistogram& h, uint64_t n) {
    for (int i = 0; i < 300 && h.Take().count < n; ++i) std::this_thread::sleep_for(10ms);
    return h.Take().count == n;
  };
  Client c(port);
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().ends_with("/a"));
  ASSERT_TRUE(c.Send("DELETE /b HTTP/1.1\r\n\r\nOPTIONS /c HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().ends_with("/b"));
  EXPECT_TRUE(c.ReadResponse().ends_with("/c"));
  EXPECT_TRUE(counted(latency.get, 1));
  EXPECT_TRUE(counted(latency.del, 1));
  EXPECT_TRUE(counted(latency.other, 1));
  EXPECT_EQ(latency.put.Take().count, 0u);
  EXPECT_EQ(latency.commit_wait.Take().count, 0u);  // nothing waited for a commit

  // A PUT whose commit completes 80 ms later: both its time and its commit wait include them.
  ASSERT_TRUE(c.Send("PUT /d HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
  util::CommitPtr commit;
  for (int i = 0; i < 300 && !commit; ++i) {
    std::this_thread::sleep_for(10ms);
    std::lock_guard l(mu);
    commit = pending;
  }
  ASSERT_NE(commit, nullptr);
  std::this_thread::sleep_for(80ms);
  commit->Complete(true);
  EXPECT_TRUE(c.ReadResponse().ends_with("/d"));
  ASSERT_TRUE(counted(latency.put, 1));
  ASSERT_TRUE(counted(latency.commit_wait, 1));
  const auto put = latency.put.Take();
  const auto wait = latency.commit_wait.Take();
  EXPECT_GE(put.max_us, 80000u);
  EXPECT_GE(put.Quantile(0.5), 80000u);
  EXPECT_GE(wait.max_us, 80000u);
  EXPECT_LE(wait.max_us, put.max_us);
  EXPECT_LT(put.max_us, 10000000u);
}

TEST_F(ServerFixture, WaitForAlreadyDone) {
  StartServer([](HttpRequest& req) {
    HttpResponse r = JsonOk("{}");
    r.wait_for = util::Commit::Done(req.path == "/ok");
    return r;
  });
  Client c(port);
  ASSERT_TRUE(c.Send("PUT /ok HTTP/1.1\r\n\r\nPUT /bad HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().starts_with("HTTP/1.1 200 OK"));
  EXPECT_TRUE(c.ReadResponse().starts_with("HTTP/1.1 500 Internal Server Error"));
}

TEST_F(ServerFixture, PendingCommitAtStopIsHarmless) {
  util::CommitPtr pending = util::Commit::Pending();
  StartServer([&](HttpRequest&) {
    HttpResponse r = JsonOk("{}");
    r.wait_for = pending;
    return r;
  });
  Client c(port);
  ASSERT_TRUE(c.Send("PUT / HTTP/1.1\r\n\r\n"));
  std::this_thread::sleep_for(100ms);
  server->Stop();
  server.reset();
  pending->Complete(true);  // after the server is gone: must not touch it
}

TEST_F(ServerFixture, SessionLimit) {
  HttpServer::Options o;
  o.session_limit = 2;
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  auto c1 = std::make_unique<Client>(port);
  Client c2(port);
  ASSERT_TRUE(c1->Send("GET / HTTP/1.1\r\n\r\n"));
  ASSERT_TRUE(c2.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(c1->ReadResponse().empty());
  EXPECT_FALSE(c2.ReadResponse().empty());
  Client c3(port);
  c3.Send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(c3.ClosedWithin(3000ms));
  EXPECT_EQ(c3.pending(), "");
  c1.reset();  // frees a slot
  std::string r;
  for (int i = 0; i < 50 && r.empty(); ++i) {
    std::this_thread::sleep_for(20ms);
    Client c4(port);
    c4.Send("GET / HTTP/1.1\r\n\r\n");
    r = c4.ReadResponse(1000ms);
  }
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK")) << r;
}

TEST_F(ServerFixture, SlowClientDoesNotBlockOthers) {
  HttpServer::Options o;
  o.threads = 1;
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  Client slow(port);
  ASSERT_TRUE(slow.Send("PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab"));
  Client fast(port);
  ASSERT_TRUE(fast.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(fast.ReadResponse(2000ms).starts_with("HTTP/1.1 200 OK"));
  ASSERT_TRUE(slow.Send("cdefghij"));
  EXPECT_TRUE(slow.ReadResponse(2000ms).starts_with("HTTP/1.1 200 OK"));
}

TEST_F(ServerFixture, HandlerExceptionGives500) {
  StartServer([](HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

TEST_F(ServerFixture, ExpectContinue) {
  StartServer([](HttpRequest& req) { return JsonOk(req.body); });
  Client c(port);
  ASSERT_TRUE(c.Send("PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send("{}"));
  EXPECT_TRUE(c.ReadResponse().ends_with("\r\n\r\n{}"));
}

TEST_F(ServerFixture, EmptyServerNameOmitsHeader) {
  HttpServer::Options o;
  o.server_name = "";
  StartServer([](HttpRequest&) { return JsonOk("{}"); }, o);
  Client c(port);
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\nDate: ")) << r;
  EXPECT_EQ(r.find("Server:"), std::string::npos);
}

TEST_F(ServerFixture, GarbageNeverCrashes) {
  StartServer([](HttpRequest&) { return JsonOk("{}"); });
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    Client c(port);
    std::string junk;
    size_t len = rng() % 3000;
    for (size_t k = 0; k < len; ++k) junk.push_back(static_cast<char>(rng()));
    c.Send(junk);
  }
  Client ok(port);
  ASSERT_TRUE(ok.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(ok.ReadResponse().starts_with("HTTP/1.1 200 OK"));
}

TEST(HttpServerStart, BindErrorNamesAddress) {
  HttpServer::Options o;
  o.listeners = {{"127.0.0.1", 0}};
  o.threads = 1;
  auto first = HttpServer::Start(o, [](HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(first.ok()) << first.status().message();
  uint16_t port = first.value()->bound_ports().at(0);
  o.listeners = {{"127.0.0.1", port}};
  auto second = HttpServer::Start(o, [](HttpRequest&) { return HttpResponse{}; });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("in use"), std::string::npos)
      << second.status().message();
  first.value()->Stop();
  first.value()->Stop();  // idempotent
}

}  // namespace
}  // namespace ari

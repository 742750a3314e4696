// HTTPS: TlsContext's start-up checks and the HTTP server's TLS listener (handshake, requests,
// keep-alive, close_notify, wrong-protocol and silent clients), with a throwaway certificate
// made in-process.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "ari/http_server.h"
#include "ari/tls_context.h"

namespace ari {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A self-signed EC certificate for 127.0.0.1 and its key, written as PEM files in a temp dir.
struct Pki {
  Pki() {
    char tmpl[] = "/tmp/tls_server_test.XXXXXX";
    dir = ::mkdtemp(tmpl);
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    combined = dir + "/combined.pem";
    other_key = dir + "/other.pem";
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    EVP_PKEY* other = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1,
                               -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "IP:127.0.0.1")) {
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(x, pkey, EVP_sha256());
    auto write = [](const std::string& path, auto&& fn) {
      FILE* f = std::fopen(path.c_str(), "w");
      fn(f);
      std::fclose(f);
    };
    write(cert, [&](FILE* f) { PEM_write_X509(f, x); });
    write(key, [&](FILE* f) { PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr); });
    write(other_key, [&](FILE* f) { PEM_write_PrivateKey(f, other, nullptr, nullptr, 0, nullptr, nullptr); });
    write(combined, [&](FILE* f) {
      PEM_write_X509(f, x);
      PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    });
    std::ofstream(dir + "/junk.pem") << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    X509_free(x);
    EVP_PKEY_free(pkey);
    EVP_PKEY_free(other);
  }
  ~Pki() { fs::remove_all(dir); }
  std::string dir, cert, key, combined, other_key;
};

const Pki& TestPki() {
  static Pki pki;
  return pki;
}

std::shared_ptr<const TlsContext> MakeContext() {
  TlsServerConfig c;
  c.cert_file = TestPki().cert;
  c.key_file = TestPki().key;
  auto ctx = TlsContext::Create(c);
  EXPECT_TRUE(ctx.ok()) << ctx.status().message();
  return ctx.ok() ? ctx.value() : nullptr;
}

int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

// A blocking TLS client (5 s socket timeouts) that verifies the test certificate.
class TlsClient {
 public:
  explicit TlsClient(uint16_t port, int max_version = 0) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx_, TestPki().cert.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (max_version) {
      SSL_CTX_set_security_level(ctx_, 0);
      SSL_CTX_set_min_proto_version(ctx_, max_version);
      SSL_CTX_set_max_proto_version(ctx_, max_version);
    }
    fd_ = Connect(port);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    SSL_set1_host(ssl_, "127.0.0.1");
    ok_ = fd_ >= 0 && SSL_connect(ssl_) == 1;
    ERR_clear_error();
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return ok_; }
  std::string version() const { return SSL_get_version(ssl_); }
  bool Send(const std::string& s) { return SSL_write(ssl_, s.data(), static_cast<int>(s.size())) == int(s.size()); }

  std::string ReadResponse() {
    for (;;) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t len = 0;
        std::smatch m;
        std::string head = buf_.substr(0, end + 4);
        if (std::regex_search(head, m, std::regex("Content-Length: (\\d+)\r\n"))) len = std::stoul(m[1]);
        if (buf_.size() >= end + 4 + len) {
          std::string r = buf_.substr(0, end + 4 + len);
          buf_.erase(0, end + 4 + len);
          return r;
        }
      }
      if (!ReadMore()) return "";
    }
  }
  // True when the server ended the TLS session with close_notify.
  bool GotCloseNotify() {
    while (ReadMore()) {
    }
    return last_error_ == SSL_ERROR_ZERO_RETURN;
  }

 private:
  bool ReadMore() {
    char tmp[16384];
    int n = SSL_read(ssl_, tmp, sizeof(tmp));
    if (n <= 0) {
      last_error_ = SSL_get_error(ssl_, n);
      ERR_clear_error();
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool ok_ = false;
  int last_error_ = 0;
  std::string buf_;
};

// Reads until EOF; returns what came, or nullopt-like "TIMEOUT" if the server kept it open.
std::string ReadUntilClosed(int fd, std::chrono::milliseconds timeout) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0ms || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out + "TIMEOUT";
    char tmp[4096];
    ssize_t n = ::recv(fd, tmp, sizeof(tmp), 0);
    if (n <= 0) return out;
    out.append(tmp, static_cast<size_t>(n));
  }
}

// ---------------------------------------------------------------------------------------------
// TlsContext

TEST(TlsContext, LoadsCertificateAndKey) {
  EXPECT_NE(MakeContext(), nullptr);
  TlsServerConfig c;
  c.cert_file = TestPki().combined;  // key searched in the certificate file
  auto ctx = TlsContext::Create(c);
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  SSL* ssl = ctx.value()->NewConnection();
  ASSERT_NE(ssl, nullptr);
  SSL_free(ssl);
}

TEST(TlsContext, ErrorsNameTheFile) {
  auto error = [](const std::string& cert, const std::string& key, const std::string& ciphers = kDefaultTlsCiphers) {
    TlsServerConfig c;
    c.cert_file = cert;
    c.key_file = key;
    c.ciphers = ciphers;
    auto ctx = TlsContext::Create(c);
    EXPECT_FALSE(ctx.ok());
    return ctx.ok() ? std::string() : ctx.status().message();
  };
  const Pki& p = TestPki();
  EXPECT_EQ(error("/nonexistent/cert.pem", p.key),
            "TLS certificate file '/nonexistent/cert.pem' (tlscertfile): No such file or directory");
  EXPECT_EQ(error(p.cert, "/nonexistent/key.pem"),
            "TLS private key file '/nonexistent/key.pem' (tlsprivatekey): No such file or directory");
  EXPECT_NE(error(p.dir + "/junk.pem", p.key).find("'" + p.dir + "/junk.pem' (tlscertfile) has no usable PEM"),
            std::string::npos);
  EXPECT_NE(error(p.cert, p.dir + "/junk.pem").find("'" + p.dir + "/junk.pem' (tlsprivatekey) has no usable PEM"),
            std::string::npos);
  EXPECT_NE(error(p.cert, "").find("'" + p.cert + "' (tlscertfile) holds no usable private key"), std::string::npos);
  EXPECT_NE(error(p.cert, p.other_key).find("TLS private key '" + p.other_key + "' does not match the certificate in '" +
                                            p.cert + "'"),
            std::string::npos);
  EXPECT_NE(error(p.cert, p.key, "NO-SUCH-CIPHER").find("'NO-SUCH-CIPHER' (tlscipher)"), std::string::npos);
  EXPECT_EQ(error("", ""), "TLS is enabled but no tlscertfile is set");
  EXPECT_EQ(ERR_peek_error(), 0u) << "the OpenSSL error queue is left clean";
}

// ---------------------------------------------------------------------------------------------
// The TLS listener

struct TlsServerFixture : ::testing::Test {
  void StartServer(HttpServer::Options o = {}) {
    auto ctx = MakeContext();
    ASSERT_NE(ctx, nullptr);
    o.listeners = {{"127.0.0.1", 0, nullptr}, {"127.0.0.1", 0, ctx}};
    o.threads = 2;
    o.server_name = "Asterisk";
    auto s = HttpServer::Start(std::move(o), [this](HttpRequest& req) {
      HttpResponse r;
      r.headers.emplace_back("Content-type", "text/plain");
      r.body = (req.tls ? "tls " : "plain ") + req.path;
      if (req.path == "/big") r.body.append(100000, 'x');
      if (req.tls) tls_requests++;
      return r;
    });
    ASSERT_TRUE(s.ok()) << s.status().message();
    server = std::move(s).value();
    plain_port = server->bound_ports().at(0);
    tls_port = server->bound_ports().at(1);
  }
  void TearDown() override {
    if (server) server->Stop();
  }
  std::unique_ptr<HttpServer> server;
  uint16_t plain_port = 0, tls_port = 0;
  std::atomic<int> tls_requests{0};
};

std::string Body(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

TEST_F(TlsServerFixture, SameHandlerBothListenersTlsFlagSet) {
  StartServer();
  TlsClient c(tls_port);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.version() == "TLSv1.3" || c.version() == "TLSv1.2") << c.version();
  ASSERT_TRUE(c.Send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r1 = c.ReadResponse(), r2 = c.ReadResponse();
  EXPECT_EQ(r1.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(Body(r1), "tls /one");
  EXPECT_EQ(Body(r2), "tls /two");  // pipelined, kept alive
  ASSERT_TRUE(c.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string big = c.ReadResponse();
  EXPECT_EQ(Body(big).size(), 8 + 100000u);
  EXPECT_EQ(tls_requests.load(), 3);

  int fd = Connect(plain_port);
  ASSERT_GE(fd, 0);
  std::string req = "GET /p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), ssize_t(req.size()));
  std::string plain = ReadUntilClosed(fd, 5000ms);
  ::close(fd);
  EXPECT_EQ(Body(plain), "plain /p");
}

TEST_F(TlsServerFixture, ConnectionCloseEndsWithCloseNotify) {
  StartServer();
  TlsClient c(tls_port);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.Send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(Body(r), "tls /bye");
  EXPECT_TRUE(c.GotCloseNotify());
}

TEST_F(TlsServerFixture, PlainHttpToTlsPortIsClosed) {
  StartServer();
  int fd = Connect(tls_port);
  ASSERT_GE(fd, 0);
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), ssize_t(req.size()));
  std::string got = ReadUntilClosed(fd, 5000ms);
  ::close(fd);
  EXPECT_EQ(got.find("TIMEOUT"), std::string::npos) << "left open";
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos);
  EXPECT_EQ(tls_requests.load(), 0);
  TlsClient c(tls_port);  // still serving
  EXPECT_TRUE(c.ok());
}

TEST_F(TlsServerFixture, SilentClientClosedByHandshakeTimeout) {
  HttpServer::Options o;
  o.inactivity_ms = 200;
  StartServer(o);
  int fd = Connect(tls_port);
  ASSERT_GE(fd, 0);
  auto start = std::chrono::steady_clock::now();
  std::string got = ReadUntilClosed(fd, 3000ms);
  ::close(fd);
  EXPECT_EQ(got, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);
}

TEST_F(TlsServerFixture, StalledHandshakesDoNotBlockOthers) {
  StartServer();
  std::vector<int> stalled;
  for (int i = 0; i < 8; ++i) stalled.push_back(Connect(tls_port));  // both threads get some
  for (int i = 0; i < 4; ++i) {
    TlsClient c(tls_port);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(Body(c.ReadResponse()), "tls /x");
  }
  for (int fd : stalled) ::close(fd);
}

TEST_F(TlsServerFixture, Tls10Refused) {
  StartServer();
  TlsClient old(tls_port, TLS1_VERSION);
  EXPECT_FALSE(old.ok());
  TlsClient now(tls_port, TLS1_2_VERSION);
  EXPECT_TRUE(now.ok());
}

TEST_F(TlsServerFixture, StopDuringHandshakeIsHarmless) {
  StartServer();
  int fd = Connect(tls_port);
  ASSERT_GE(fd, 0);
  std::string partial("\x16\x03\x01\x02\x00\x01", 6);  // the start of a ClientHello
  ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  std::this_thread::sleep_for(50ms);
  server->Stop();
  server.reset();
  ::close(fd);
}

}  // namespace
}  // namespace ari

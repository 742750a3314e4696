// The server side of HTTPS: an OpenSSL context built from http.conf's TLS options. OpenSSL stays
// inside tls_context.cpp; the HTTP server takes one new SSL object per accepted connection.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

struct ssl_st;      // OpenSSL's SSL
struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace ari {

// Mozilla's "intermediate" TLS 1.2 cipher list (TLS 1.3 suites are always OpenSSL's defaults).
inline constexpr const char* kDefaultTlsCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

// What a TLS listener needs, in http.conf's words (tlscertfile, tlsprivatekey, ...).
struct TlsServerConfig {
  std::string cert_file;          // PEM: the certificate chain (and the key when key_file is empty)
  std::string key_file;           // PEM private key; empty = search cert_file for it
  std::string ciphers = kDefaultTlsCiphers;  // OpenSSL cipher list for TLS <= 1.2
  bool server_cipher_order = true;           // prefer our cipher order over the client's
  bool disable_tlsv1 = true;      // SSLv2 and SSLv3 are always refused
  bool disable_tlsv11 = false;
  bool disable_tlsv12 = false;
  std::string ca_file;            // tlscafile: CAs for client certificates
  std::string ca_path;            // tlscapath: hashed CA directory
  bool verify_client = false;     // tlsverifyclient: require a client certificate signed by a CA
};

// An immutable, thread-safe server context.
class TlsContext {
 public:
  // Loads the certificate chain and the key and checks that they match. Every error names the
  // file (or the option) and carries OpenSSL's reason; nothing is left allocated then.
  static util::Result<std::shared_ptr<const TlsContext>> Create(const TlsServerConfig& config);

  // A new connection object (the caller owns it; SSL_free), or nullptr when out of memory.
  ssl_st* NewConnection() const;
  ssl_ctx_st* native_handle() const { return ctx_; }

  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

// The text of OpenSSL's most recent error on this thread ("unknown error" if none), and clears
// the thread's error queue.
std::string TakeOpensslError();

}  // namespace ari

#include "ari/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ari {

std::string TakeOpensslError() {
  // Every queued reason, oldest (most specific, e.g. "no start line") first, without repeats.
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    char buf[256];
    if (!reason) {
      ERR_error_string_n(e, buf, sizeof(buf));
      reason = buf;
    }
    if (out.find(reason) != std::string::npos) continue;
    if (!out.empty()) out += "; ";
    out += reason;
  }
  return out.empty() ? "unknown error" : out;
}

namespace {

// A readable regular file, or an error naming it and the option it came from.
util::Status CheckReadable(const std::string& path, const char* option, const char* what) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return util::Status::Invalid(std::string("TLS ") + what + " '" + path + "' (" + option +
                                 "): " + std::strerror(errno));
  }
  std::fclose(f);
  return util::Status::Ok();
}

struct CtxOwner {
  SSL_CTX* ctx;
  ~CtxOwner() {
    if (ctx) SSL_CTX_free(ctx);
  }
};

}  // namespace

util::Result<std::shared_ptr<const TlsContext>> TlsContext::Create(const TlsServerConfig& c) {
  ERR_clear_error();
  auto fail = [](std::string message) {
    return util::Status::Invalid(std::move(message) + ": " + TakeOpensslError());
  };
  if (c.cert_file.empty()) return util::Status::Invalid("TLS is enabled but no tlscertfile is set");
  if (auto st = CheckReadable(c.cert_file, "tlscertfile", "certificate file"); !st.ok()) return st;
  const std::string& key_file = c.key_file.empty() ? c.cert_file : c.key_file;
  if (!c.key_file.empty()) {
    if (auto st = CheckReadable(c.key_file, "tlsprivatekey", "private key file"); !st.ok()) return st;
  }

  CtxOwner owner{SSL_CTX_new(TLS_server_method())};
  SSL_CTX* ctx = owner.ctx;
  if (!ctx) return fail("cannot create a TLS context");

  // SSLv2 and SSLv3 never; TLSv1.0 unless tlsdisablev1=no; the rest as configured.
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  uint64_t options = SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
  if (c.disable_tlsv1) options |= SSL_OP_NO_TLSv1;
  if (c.disable_tlsv11) options |= SSL_OP_NO_TLSv1_1;
  if (c.disable_tlsv12) options |= SSL_OP_NO_TLSv1_2;
  if (c.server_cipher_order) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(ctx, options);
  SSL_CTX_set_dh_auto(ctx, 1);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  static const unsigned char kSessionContext[] = "sorceryd-https";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);

  if (!c.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, c.ciphers.c_str()) != 1)
    return fail("TLS cipher list '" + c.ciphers + "' (tlscipher) selects no usable cipher");

  if (SSL_CTX_use_certificate_chain_file(ctx, c.cert_file.c_str()) != 1)
    return fail("TLS certificate file '" + c.cert_file + "' (tlscertfile) has no usable PEM certificate");
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
      return fail("TLS private key '" + key_file + "' does not match the certificate in '" + c.cert_file + "'");
    if (c.key_file.empty())
      return fail("TLS certificate file '" + c.cert_file +
                  "' (tlscertfile) holds no usable private key and tlsprivatekey is not set");
    return fail("TLS private key file '" + key_file + "' (tlsprivatekey) has no usable PEM private key");
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return fail("TLS private key '" + key_file + "' does not match the certificate in '" + c.cert_file + "'");

  if (!c.ca_file.empty() || !c.ca_path.empty()) {
    if (!c.ca_file.empty()) {
      if (auto st = CheckReadable(c.ca_file, "tlscafile", "CA file"); !st.ok()) return st;
    }
    if (SSL_CTX_load_verify_locations(ctx, c.ca_file.empty() ? nullptr : c.ca_file.c_str(),
                                      c.ca_path.empty() ? nullptr : c.ca_path.c_str()) != 1)
      return fail("TLS CA file '" + c.ca_file + "' / CA path '" + c.ca_path + "' (tlscafile/tlscapath) unusable");
    if (!c.ca_file.empty()) {
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(c.ca_file.c_str()))
        SSL_CTX_set_client_CA_list(ctx, names);
    }
  }
  if (c.verify_client) SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);

  ERR_clear_error();
  std::shared_ptr<const TlsContext> out(new TlsContext(ctx));
  owner.ctx = nullptr;
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

ssl_st* TlsContext::NewConnection() const { return SSL_new(ctx_); }

}  // namespace ari

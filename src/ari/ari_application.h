// The ARI front door: turns an HTTP request into an ARI answer, in Asterisk's order of checks
// (body, authentication, read-only, trailing slash, route, method; spec §2), and routes to the
// resources.
#pragma once

#include <memory>
#include <optional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "ari/api_docs.h"
#include "ari/ari_config.h"
#include "ari/dynamic_config.h"
#include "ari/http_server.h"
#include "ari/res_ari_asterisk.h"

namespace ari {

class AriApplication {
 public:
  AriApplication(AriSettings settings, std::string http_prefix, sorcery::InstanceRegistry& instances);

  // Answers one request. Runs on an I/O thread; never blocks on storage (durability is awaited by
  // the server through HttpResponse::wait_for).
  HttpResponse Handle(HttpRequest& request);

  // Replaces users and options (reload). Open connections keep working. Also reloads the
  // `res_ari` sorcery instance (when there is one) and sets info's last_reload_time.
  void UpdateSettings(AriSettings settings);

  // What /ari/asterisk/info and /ari/asterisk/ping report (default: no system name, language "en",
  // the first interface's MAC as entity id, started when the application was constructed).
  void SetServerIdentity(ServerIdentity identity);
  // http.conf `redirect` lines; answered 302 before the prefix and ARI are looked at.
  void SetRedirects(std::vector<std::pair<std::string, std::string>> redirects);

 private:
  struct Credentials {
    std::string user, password;
  };
  // The authenticated user for this request, or nullptr.
  std::shared_ptr<const AriUser> Authenticate(const HttpRequest& request, const std::string& query_api_key);
  bool CheckPassword(const AriUser& user, const std::string& password);
  // Steps 1-12 of the ARI request (everything below /[prefix/]ari); CORS and pretty are added by
  // Handle.
  HttpResponse HandleAri(HttpRequest& request, std::string_view rest, const AriSettings& settings,
                         bool& already_pretty);

  std::string prefix_;  // "/<prefix>" or ""
  sorcery::InstanceRegistry& instances_;
  DynamicConfigResource dynamic_config_;
  std::optional<ApiDocs> api_docs_;  // nullopt only when the embedded documents are defective

  mutable std::shared_mutex mu_;
  std::shared_ptr<const AriSettings> settings_;
  // Raw credentials already verified against a crypt hash (crypt is slow by design).
  std::unordered_map<std::string, std::string> verified_crypt_;  // "user:password" -> hash it matched
  std::shared_ptr<const AsteriskResource> asterisk_;
  std::shared_ptr<const std::vector<std::pair<std::string, std::string>>> redirects_;
};

// Splits a path into segments and percent-decodes each ("%2F" -> "/", "+" -> " ").
std::vector<std::string> DecodePathSegments(std::string_view path);
// Decodes one query component the same way.
std::string PercentDecode(std::string_view s);
// Base64 decoding for the Basic scheme; nullopt when the input is not base64.
std::optional<std::string> Base64Decode(std::string_view in);

}  // namespace ari

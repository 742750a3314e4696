// The ARI front door: turns an HTTP request into an ARI answer, in Asterisk's order of checks
// (body, authentication, read-only, trailing slash, route, method; spec §2), and routes to the
// resources.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "ari/ari_config.h"
#include "ari/dynamic_config.h"
#include "ari/http_server.h"

namespace ari {

class AriApplication {
 public:
  AriApplication(AriSettings settings, std::string http_prefix, sorcery::InstanceRegistry& instances);

  // Answers one request. Runs on an I/O thread; never blocks on storage (durability is awaited by
  // the server through HttpResponse::wait_for).
  HttpResponse Handle(HttpRequest& request);

  // Replaces users and options (reload). Open connections keep working.
  void UpdateSettings(AriSettings settings);

 private:
  struct Credentials {
    std::string user, password;
  };
  // The authenticated user for this request, or nullptr.
  std::shared_ptr<const AriUser> Authenticate(const HttpRequest& request, const std::string& query_api_key);
  bool CheckPassword(const AriUser& user, const std::string& password);

  std::string prefix_;  // "/<prefix>" or ""
  sorcery::InstanceRegistry& instances_;
  DynamicConfigResource dynamic_config_;

  mutable std::shared_mutex mu_;
  std::shared_ptr<const AriSettings> settings_;
  // Raw credentials already verified against a crypt hash (crypt is slow by design).
  std::unordered_map<std::string, std::string> verified_crypt_;  // "user:password" -> hash it matched
};

// Splits a path into segments and percent-decodes each ("%2F" -> "/", "+" -> " ").
std::vector<std::string> DecodePathSegments(std::string_view path);
// Decodes one query component the same way.
std::string PercentDecode(std::string_view s);
// Base64 decoding for the Basic scheme; nullopt when the input is not base64.
std::optional<std::string> Base64Decode(std::string_view in);

}  // namespace ari

// The ARI dynamic-config resource: GET/PUT/DELETE
// /ari/asterisk/config/dynamic/{configClass}/{objectType}/{id}, with Asterisk's statuses,
// reason phrases and messages (shared/spec/ari-dynamic-config.md §3).
#pragma once

#include <string>

#include "sorcery/sorcery.h"
#include "util/commit.h"
#include "util/json.h"

namespace ari {

// What a resource operation answers: status, reason phrase, JSON body (empty for 204), and the
// commit that must be durable before the answer may be sent.
struct AriReply {
  int status = 200;
  std::string reason = "OK";
  std::string body;
  util::CommitPtr commit;
};

class DynamicConfigResource {
 public:
  explicit DynamicConfigResource(sorcery::InstanceRegistry& instances) : instances_(instances) {}

  AriReply Get(const std::string& config_class, const std::string& object_type, const std::string& id);
  // `body` is the parsed JSON request body, or nullptr when the request carried none (no body, no
  // JSON content type). Never modifies stored data when it answers anything but 200.
  AriReply Put(const std::string& config_class, const std::string& object_type, const std::string& id,
               const util::json::Value* body);
  AriReply Delete(const std::string& config_class, const std::string& object_type, const std::string& id);

 private:
  sorcery::TypeEntry* Lookup(const std::string& config_class, const std::string& object_type, AriReply& error);
  sorcery::InstanceRegistry& instances_;
};

// {"message":"..."} with `text` escaped.
std::string MessageBody(std::string_view text);

}  // namespace ari

// Helpers shared by the PJSIP table tests.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "pjsip/types.h"
#include "sorcery/object.h"
#include "util/json.h"

namespace pjsip_test {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string SpecPath(const std::string& rel) { return std::string(SORCERYD_SPEC_DIR) + "/" + rel; }

inline const util::json::Value& SpecJson() {
  static const util::json::Value v = [] {
    auto r = util::json::Parse(ReadFile(std::string(SORCERYD_SOURCE_DIR) + "/tests/data/pjsip-objects.json"));
    return r.ok() ? *r : util::json::Value{};
  }();
  return v;
}

// The fewest attributes each type needs to pass its apply rule.
inline sorcery::ObjectSet MinimalFields(const std::string& type) {
  static const std::map<std::string, sorcery::ObjectSet> m = {
      {"auth", {{"username", "x"}, {"password", "y"}}},
      {"contact", {{"uri", "sip:x@example.com"}}},
      {"transport", {{"bind", "0.0.0.0"}}},
      {"identify", {{"endpoint", "e"}, {"match", "192.0.2.1"}}},
      {"registration", {{"server_uri", "sip:reg@example.com"}, {"client_uri", "sip:me@example.com"}}},
      {"domain_alias", {{"domain", "example.com"}}},
      {"outbound-publish", {{"server_uri", "sip:pub@example.com"}, {"event", "presence"}}},
      {"resource_list", {{"event", "presence"}, {"list_item", "alice"}}},
  };
  auto it = m.find(type);
  return it == m.end() ? sorcery::ObjectSet{} : it->second;
}

// Builds an object of `type` from the minimal fields plus `extra`.
inline util::Result<sorcery::ObjectPtr> Build(const std::string& type, const sorcery::ObjectSet& extra,
                                              bool minimal = true) {
  auto t = pjsip::FindType(type);
  if (!t) return util::Status::NotFound("no type " + type);
  sorcery::ObjectBuilder b(t, "x");
  if (minimal) {
    util::Status s = b.Apply(MinimalFields(type));
    if (!s.ok()) return s;
  }
  util::Status s = b.Apply(extra);
  if (!s.ok()) return s;
  return b.Finish();
}

// The printed value of `field` after setting it to `value` (entries joined by ','), or the error.
inline util::Result<std::string> Printed(const std::string& type, const std::string& field,
                                         const std::string& value) {
  auto o = Build(type, {{field, value}});
  if (!o.ok()) return o.status();
  return (*o)->Get(field);
}

}  // namespace pjsip_test

#include "ari/res_ari_types.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "sorcery/object.h"
#include "util/strings.h"

namespace ari {

namespace {

using sorcery::FieldValue;
using sorcery::Output;

class TextHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override {
    value = FieldValue{std::string(text)};
    return util::Status::Ok();
  }
  void Render(const FieldValue& value, std::vector<std::string>& out) const override {
    out.push_back(value.empty() ? std::string() : value.front());
  }
};

// OPT_BOOL_T: any word parses (unknown words are false); prints "true"/"false".
class BoolHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override {
    value = FieldValue{util::IsTrueWord(text) ? "true" : "false"};
    return util::Status::Ok();
  }
  void Render(const FieldValue& value, std::vector<std::string>& out) const override {
    out.push_back(!value.empty() && value.front() == "true" ? "true" : "false");
  }
};

class UintHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override {
    auto n = util::ParseUint32(text);
    if (!n) return util::Status::Invalid("not an unsigned number");
    value = FieldValue{std::to_string(*n)};
    return util::Status::Ok();
  }
  void Render(const FieldValue& value, std::vector<std::string>& out) const override {
    out.push_back(value.empty() ? "0" : value.front());
  }
};

class PasswordFormatHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override {
    if (util::IEquals(text, "plain")) value = FieldValue{"plain"};
    else if (util::IEquals(text, "crypt")) value = FieldValue{"crypt"};
    else return util::Status::Invalid("must be plain or crypt");
    return util::Status::Ok();
  }
  void Render(const FieldValue& value, std::vector<std::string>& out) const override {
    out.push_back(value.empty() ? "plain" : value.front());
  }
};

// permit / deny / acl: list values kept as written (checked by the ARI loader, which owns
// enforcement); one entry each.
class RuleListHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override {
    for (auto part : util::Split(text, ',')) {
      part = util::Trim(part);
      if (!part.empty()) value.emplace_back(part);
    }
    return util::Status::Ok();
  }
  void Render(const FieldValue& value, std::vector<std::string>& out) const override {
    std::string joined;
    for (const auto& v : value) joined += (joined.empty() ? "" : ",") + v;
    out.push_back(joined);
  }
};

struct Row {
  const char* name;
  const char* default_text;  // nullptr: no default
  std::shared_ptr<const sorcery::FieldHandler> handler;
  Output output = Output::kAlways;
};

sorcery::ObjectTypePtr Build(const char* name, const char* mapping, std::vector<Row> rows,
                             sorcery::ApplyRule apply = nullptr) {
  std::vector<sorcery::Field> fields;
  std::vector<std::string> names;
  for (const Row& r : rows) {
    sorcery::Field f;
    f.name = r.name;
    f.has_default = r.default_text != nullptr;
    if (r.default_text) f.default_text = r.default_text;
    f.handler = r.handler;
    f.output = r.output;
    fields.push_back(std::move(f));
    names.emplace_back(r.name);
  }
  names.emplace_back("^@");
  auto type = sorcery::ObjectType::Create(name, std::move(fields), ResAriOutputOrder(names), std::move(apply));
  if (!type.ok()) std::abort();  // a table defect
  (*type)->default_mapping = mapping;
  return *type;
}

}  // namespace

std::vector<std::string> ResAriOutputOrder(const std::vector<std::string>& names) {
  auto bucket = [](const std::string& name) {
    uint32_t h = 5381;
    for (unsigned char c : util::ToLower(name)) h = (h * 33) ^ c;
    return (h & 0x7FFFFFFFu) % 29;
  };
  std::vector<std::string> order = names;
  std::stable_sort(order.begin(), order.end(),
                   [&](const std::string& a, const std::string& b) { return bucket(a) < bucket(b); });
  return order;
}

std::vector<sorcery::ObjectTypePtr> ResAriTypes() {
  static const std::vector<sorcery::ObjectTypePtr> types = [] {
    auto text = std::make_shared<TextHandler>();
    auto boolean = std::make_shared<BoolHandler>();
    auto uint = std::make_shared<UintHandler>();
    auto rules = std::make_shared<RuleListHandler>();
    std::vector<sorcery::ObjectTypePtr> out;
    out.push_back(Build("general", "config,ari.conf,explicit_name=general,single_object=yes",
                        {
                            {"type", nullptr, text, Output::kNever},
                            {"enabled", "yes", boolean},
                            {"pretty", "no", boolean},
                            {"auth_realm", "Asterisk REST Interface", text},
                            {"allowed_origins", nullptr, text},
                            {"websocket_write_timeout", "100", uint},
                            {"channelvars", nullptr, text},
                        }));
    out.push_back(Build("user", "config,ari.conf,criteria=type=user",
                        {
                            {"type", nullptr, text, Output::kNever},
                            {"read_only", "no", boolean},
                            {"password", nullptr, text, Output::kStorageOnly},
                            {"password_format", "plain", std::make_shared<PasswordFormatHandler>()},
                            {"permit", nullptr, rules, Output::kStorageOnly},
                            {"deny", nullptr, rules, Output::kStorageOnly},
                            {"acl", nullptr, rules},
                        },
                        [](sorcery::ObjectBuilder& b) {
                          if (b.Scalar("password").empty())
                            return util::Status::Invalid("a user needs a password");
                          return util::Status::Ok();
                        }));
    out.push_back(Build("outbound_websocket", "config,ari.conf,criteria=type=outbound_websocket",
                        {
                            {"type", nullptr, text, Output::kNever},
                            {"websocket_client_id", nullptr, text},
                            {"apps", nullptr, text},
                            {"local_ari_user", nullptr, text},
                            {"subscribe_all", "no", boolean},
                        }));
    return out;
  }();
  return types;
}

}  // namespace ari

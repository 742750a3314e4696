// A small object type for testing sorcery without the PJSIP tables.
#pragma once

#include <memory>

#include "sorcery/object.h"
#include "sorcery/object_type.h"
#include "util/json.h"
#include "util/strings.h"

namespace sorcery_test {

class StringHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, sorcery::FieldValue& v) const override {
    v = {std::string(text)};
    return util::Status::Ok();
  }
  void Render(const sorcery::FieldValue& v, std::vector<std::string>& out) const override {
    out.push_back(v.empty() ? std::string() : v.front());
  }
};

class BoolHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, sorcery::FieldValue& v) const override {
    if (util::IsTrueWord(text)) v = {"true"};
    else if (util::IsFalseWord(text)) v = {"false"};
    else return util::Status::Invalid("not a boolean");
    return util::Status::Ok();
  }
  void Render(const sorcery::FieldValue& v, std::vector<std::string>& out) const override {
    out.push_back(v.empty() ? "false" : v.front());
  }
};

class ListHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, sorcery::FieldValue& v) const override {
    for (auto item : util::Split(text, ',')) {
      item = util::Trim(item);
      if (!item.empty()) v.emplace_back(item);
    }
    return util::Status::Ok();
  }
  void Render(const sorcery::FieldValue& v, std::vector<std::string>& out) const override {
    out.insert(out.end(), v.begin(), v.end());
  }
};

// Keeps "NAME=VALUE" entries, replacing a same-named one (for pattern-named fields).
class VarHandler : public sorcery::FieldHandler {
 public:
  util::Status Parse(std::string_view text, sorcery::FieldValue& v) const override {
    auto eq = text.find('=');
    if (eq == std::string_view::npos) return util::Status::Invalid("not NAME=VALUE");
    std::string name(text.substr(0, eq + 1));
    for (auto& e : v)
      if (e.compare(0, name.size(), name) == 0) {
        e = std::string(text);
        return util::Status::Ok();
      }
    v.emplace_back(text);
    return util::Status::Ok();
  }
  void Render(const sorcery::FieldValue& v, std::vector<std::string>& out) const override {
    out.insert(out.end(), v.begin(), v.end());
  }
};

// Type "thing": name (string, default "none"), flag (bool), item (list, multi), secret
// (storage only), alias_flag (alias of flag), kind (noop-like, never output).
inline sorcery::ObjectTypePtr ThingType() {
  auto s = std::make_shared<StringHandler>();
  auto b = std::make_shared<BoolHandler>();
  auto l = std::make_shared<ListHandler>();
  std::vector<sorcery::Field> fields;
  fields.push_back({"kind", "", false, s, sorcery::Output::kNever, -1, false, false});
  fields.push_back({"name", "none", true, s, sorcery::Output::kAlways, -1, false, false});
  fields.push_back({"flag", "no", true, b, sorcery::Output::kAlways, -1, false, false});
  fields.push_back({"item", "", false, l, sorcery::Output::kAlways, -1, true, false});
  fields.push_back({"secret", "", false, l, sorcery::Output::kStorageOnly, -1, false, false});
  fields.push_back({"var_", "", false, std::make_shared<VarHandler>(), sorcery::Output::kAlways, -1, true, true});
  fields.push_back({"alias_flag", "", false, b, sorcery::Output::kNever, 2, false, false});
  auto rule = [](sorcery::ObjectBuilder& b) -> util::Status {
    if (b.Scalar("name") == "forbidden") return util::Status::Invalid("name may not be 'forbidden'");
    return util::Status::Ok();
  };
  auto t = sorcery::ObjectType::Create("thing", std::move(fields), {"item", "^@", "flag", "name"}, rule);
  return *t;
}

// An object set printed the plain way, pair by pair: what the renderers that join pre-rendered
// pieces must produce (ARI's [{"attribute":…,"value":…},…] or the stored {"name":"value",…}).
inline std::string JoinedFromPairs(const sorcery::ObjectSet& pairs, bool storage) {
  std::string out(1, storage ? '{' : '[');
  for (const auto& [n, v] : pairs) {
    if (out.size() > 1) out += ',';
    if (storage) {
      util::json::AppendString(out, n);
      out += ':';
      util::json::AppendString(out, v);
    } else {
      out += "{\"attribute\":";
      util::json::AppendString(out, n);
      out += ",\"value\":";
      util::json::AppendString(out, v);
      out += '}';
    }
  }
  out += storage ? '}' : ']';
  return out;
}

}  // namespace sorcery_test

#include "ari/api_docs.h"

#include "ari/res_ari_http.h"
#include "util/json.h"

namespace ari {

namespace {

constexpr std::string_view kMarker = "\"@@sorceryd-basePath@@\"";

util::Result<ApiDocs> Invalid(std::string_view name, const std::string& why) {
  return util::Status::Invalid("rest-api document '" + std::string(name) + "': " + why);
}

}  // namespace

util::Result<ApiDocs> ApiDocs::Build(const std::vector<EmbeddedDocument>& documents, std::string http_prefix) {
  ApiDocs docs;
  docs.prefix_ = std::move(http_prefix);
  for (const EmbeddedDocument& d : documents) {
    auto parsed = util::json::Parse(d.bytes);
    if (!parsed.ok()) return Invalid(d.name, parsed.status().message());
    util::json::Value value = std::move(parsed).value();
    if (!value.is_object()) return Invalid(d.name, "not a JSON object");
    Prepared p;
    util::json::Value without = value;
    std::erase_if(without.members, [](const auto& m) { return m.first == "basePath"; });
    bool has_base_path = without.members.size() != value.members.size();
    std::string compact_without;
    util::json::AppendValue(compact_without, without);
    p.compact.without = compact_without;
    p.pretty.without = PrettyJson(compact_without);
    p.compact.has_base_path = p.pretty.has_base_path = has_base_path;
    if (has_base_path) {
      for (auto& [key, member] : value.members) {
        if (key != "basePath") continue;
        member.kind = util::json::Value::Kind::kString;
        member.text = std::string(kMarker.substr(1, kMarker.size() - 2));
      }
      std::string compact;
      util::json::AppendValue(compact, value);
      for (auto [layout, text] : {std::pair{&p.compact, compact}, std::pair{&p.pretty, PrettyJson(compact)}}) {
        auto at = text.find(kMarker);
        if (at == std::string::npos) return Invalid(d.name, "basePath marker lost");
        layout->before = text.substr(0, at);
        layout->after = text.substr(at + kMarker.size());
      }
    }
    docs.docs_.emplace(std::string(d.name), std::move(p));
  }
  return docs;
}

std::optional<std::string> ApiDocs::Render(std::string_view name, const std::string* host, bool pretty) const {
  auto it = docs_.find(name);
  if (it == docs_.end()) return std::nullopt;
  const Layout& l = pretty ? it->second.pretty : it->second.compact;
  if (!l.has_base_path || !host) return l.without;
  std::string out;
  out.reserve(l.before.size() + l.after.size() + host->size() + prefix_.size() + 16);
  out += l.before;
  util::json::AppendString(out, "http://" + *host + prefix_ + "/ari");
  out += l.after;
  return out;
}

}  // namespace ari

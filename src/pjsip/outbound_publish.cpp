// PJSIP type `outbound-publish` (res_pjsip_outbound_publish, res/res_pjsip_outbound_publish.c).
#include <string>

#include "util/strings.h"
#include "pjsip/table.h"

namespace pjsip {

namespace {

// A sip: or sips: URI within pjproject's length limit (PJSIP_MAX_URL_SIZE).
bool IsSipUri(std::string_view uri) {
  std::string lower = util::ToLower(uri.substr(0, 5));
  size_t scheme = util::StartsWith(lower, "sip:") ? 4 : util::StartsWith(lower, "sips:") ? 5 : 0;
  return scheme != 0 && uri.size() > scheme && uri.size() < 256;
}

util::Status Apply(sorcery::ObjectBuilder& b) {
  using util::Status;
  if (!IsSipUri(b.Scalar("server_uri"))) return Status::Invalid("server_uri must be a sip: or sips: URI");
  if (b.Scalar("event").empty()) return Status::Invalid("event is required");
  for (const char* f : {"from_uri", "to_uri"})
    if (!b.Scalar(f).empty() && !IsSipUri(b.Scalar(f)))
      return Status::Invalid(std::string(f) + " must be a sip: or sips: URI");
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeOutboundPublishType() {
  TypeSpec spec;
  spec.name = "outbound-publish";
  spec.default_mapping = "config,pjsip.conf,criteria=type=outbound-publish";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"server_uri", "", kinds::String()},
      {"from_uri", "", kinds::String()},
      {"event", "", kinds::String()},
      {"to_uri", "", kinds::String()},
      {"outbound_proxy", "", kinds::String()},
      {"expiration", "3600", kinds::Uint()},
      {"max_auth_attempts", "5", kinds::Uint()},
      {"transport", "", kinds::String()},
      {"outbound_auth", "", kinds::NameList(NameListHandler::kNothingWhenEmpty), Output::kStorageOnly},
      {"multi_user", "no", kinds::Bool()},
  };
  spec.output_order = {
      "server_uri",
      "event",
      "expiration",
      "transport",
      "^@",
      "multi_user",
      "from_uri",
      "to_uri",
      "max_auth_attempts",
      "outbound_proxy"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

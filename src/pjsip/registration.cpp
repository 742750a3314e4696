// PJSIP type `registration` (res_pjsip_outbound_registration, res/res_pjsip_outbound_registration.c).
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
  if (!IsSipUri(b.Scalar("client_uri"))) return Status::Invalid("client_uri must be a sip: or sips: URI");
  bool line = IsOn(b, "line");
  bool endpoint = !b.Scalar("endpoint").empty();
  if (line && !endpoint) return Status::Invalid("line requires endpoint");
  if (endpoint && !line) return Status::Invalid("endpoint requires line=yes");
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeRegistrationType() {
  TypeSpec spec;
  spec.name = "registration";
  spec.default_mapping = "config,pjsip.conf,criteria=type=registration";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"server_uri", "", kinds::String()},
      {"client_uri", "", kinds::String()},
      {"contact_user", "", kinds::String()},
      {"contact_header_params", "", kinds::String()},
      {"transport", "", kinds::String()},
      {"outbound_proxy", "", kinds::String()},
      {"expiration", "3600", kinds::Uint()},
      {"max_random_initial_delay", "10", kinds::Uint()},
      {"retry_interval", "60", kinds::Uint()},
      {"forbidden_retry_interval", "0", kinds::Uint()},
      {"fatal_retry_interval", "0", kinds::Uint()},
      {"max_retries", "10", kinds::Uint()},
      {"auth_rejection_permanent", "yes", kinds::Bool()},
      // Printed one entry per name, so reading a printout back must add up the entries: the list
      // accumulates (deviation: Asterisk replaces it, and keeps only the last entry on reload);
      // an empty value empties it.
      {"outbound_auth", "",
       kinds::NameList(NameListHandler::kOneEntryEach | NameListHandler::kAccumulate | NameListHandler::kEmptyClears),
       Output::kAlways, /*multi=*/true},
      {"support_path", "no", kinds::Bool()},
      {"support_outbound", "no", kinds::YesNo()},
      {"security_negotiation", "no", kinds::Words({"no", "mediasec"})},
      {"security_mechanisms", "", kinds::SecurityMechanisms(), Output::kOmitWhenEmpty},
      {"line", "no", kinds::Bool()},
      {"endpoint", "", kinds::String()},
      {"user_agent", "", kinds::String()},
  };
  spec.output_order = {
      "max_retries",
      "client_uri",
      "security_negotiation",
      "auth_rejection_permanent",
      "server_uri",
      "max_random_initial_delay",
      "support_path",
      "retry_interval",
      "contact_header_params",
      "expiration",
      "transport",
      "line",
      "contact_user",
      "^@",
      "endpoint",
      "user_agent",
      "forbidden_retry_interval",
      "outbound_auth",
      "security_mechanisms",
      "outbound_proxy",
      "fatal_retry_interval",
      "support_outbound"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

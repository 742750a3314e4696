// PJSIP type `global` (res_pjsip, res/res_pjsip/config_global.c).
#include <string>

#include "util/log.h"
#include "util/strings.h"
#include "pjsip/table.h"

namespace pjsip {

namespace {

using util::Status;

// Asterisk's default is "Asterisk PBX <its version>"; we name ourselves in the same shape.
constexpr const char* kDefaultUserAgent = "Asterisk PBX sorceryd";

// Algorithms an auth object may list (see auth supported_algorithms_*).
bool ValidAlgorithms(std::string_view list) {
  for (std::string_view item : util::Split(list, ',')) {
    item = util::Trim(item);
    if (!util::IEquals(item, "MD5") && !util::IEquals(item, "SHA-256") && !util::IEquals(item, "SHA-512-256"))
      return false;
  }
  return !util::Trim(list).empty();
}

Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("debug").empty()) return Status::Invalid("debug must not be empty");
  if (b.Scalar("default_from_user").empty()) return Status::Invalid("default_from_user must not be empty");
  // As Asterisk: an invalid list is replaced by MD5 (with a warning), not refused.
  for (const char* f : {"default_auth_algorithms_uas", "default_auth_algorithms_uac"}) {
    if (!ValidAlgorithms(b.Scalar(f))) {
      util::LogWarning(std::string("global ") + f + ": invalid algorithm list, using MD5");
      SetScalar(b, f, "MD5");
    }
  }
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeGlobalType() {
  TypeSpec spec;
  spec.name = "global";
  spec.default_mapping = "config,pjsip.conf,criteria=type=global,single_object=yes,explicit_name=global";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"max_forwards", "70", kinds::Uint()},
      {"user_agent", kDefaultUserAgent, kinds::String()},
      {"default_outbound_endpoint", "default_outbound_endpoint", kinds::String()},
      {"debug", "no", kinds::String()},
      {"endpoint_identifier_order", "ip,username,anonymous", kinds::String()},
      {"keep_alive_interval", "90", kinds::Uint()},
      {"max_initial_qualify_time", "0", kinds::Uint()},
      {"default_from_user", "asterisk", kinds::String()},
      {"default_voicemail_extension", "", kinds::String()},
      {"regcontext", "", kinds::String()},
      {"contact_expiration_check_interval", "30", kinds::Uint()},
      {"disable_multi_domain", "no", kinds::Bool()},
      {"unidentified_request_count", "5", kinds::Uint()},
      {"unidentified_request_period", "5", kinds::Uint()},
      {"unidentified_request_prune_interval", "30", kinds::Uint()},
      {"default_realm", "asterisk", kinds::String()},
      {"mwi_tps_queue_high", "500", kinds::Uint()},
      {"mwi_tps_queue_low", "-1", kinds::Int()},
      {"mwi_disable_initial_unsolicited", "no", kinds::Bool()},
      {"allow_sending_180_after_183", "no", kinds::Bool()},
      {"ignore_uri_user_options", "no", kinds::Bool()},
      {"use_callerid_contact", "no", kinds::YesNo()},
      {"send_contact_status_on_update_registration", "no", kinds::YesNo()},
      {"taskprocessor_overload_trigger", "global", kinds::Words({"none", "global", "pjsip_only"})},
      {"norefersub", "yes", kinds::YesNo()},
      {"all_codecs_on_empty_reinvite", "no", kinds::Bool()},
      {"default_auth_algorithms_uas", "MD5", kinds::String()},
      {"default_auth_algorithms_uac", "MD5", kinds::String()},
  };
  spec.output_order = {
      "disable_multi_domain",
      "mwi_disable_initial_unsolicited",
      "default_outbound_endpoint",
      "allow_sending_180_after_183",
      "endpoint_identifier_order",
      "ignore_uri_user_options",
      "default_auth_algorithms_uac",
      "debug",
      "default_voicemail_extension",
      "max_initial_qualify_time",
      "all_codecs_on_empty_reinvite",
      "keep_alive_interval",
      "default_realm",
      "mwi_tps_queue_high",
      "regcontext",
      "mwi_tps_queue_low",
      "^@",
      "default_from_user",
      "unidentified_request_prune_interval",
      "max_forwards",
      "unidentified_request_period",
      "send_contact_status_on_update_registration",
      "norefersub",
      "contact_expiration_check_interval",
      "default_auth_algorithms_uas",
      "taskprocessor_overload_trigger",
      "user_agent",
      "unidentified_request_count",
      "use_callerid_contact"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

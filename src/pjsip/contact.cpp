// PJSIP type `contact` (res_pjsip, res/res_pjsip/location.c).
#include "pjsip/table.h"

namespace pjsip {

namespace {

util::Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("uri").empty()) return util::Status::Invalid("uri is required");
  return util::Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeContactType() {
  TypeSpec spec;
  spec.name = "contact";
  spec.default_mapping = "astdb,registrar";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"uri", "", kinds::String()},
      {"path", "", kinds::String()},
      {"expiration_time", "", kinds::Timeval()},
      {"qualify_frequency", kNoDefault, kinds::UintRange(0, 86400)},
      {"qualify_timeout", "3.0", kinds::Double()},
      {"qualify_2xx_only", "no", kinds::Bool()},
      {"authenticate_qualify", "no", kinds::YesNo()},
      {"outbound_proxy", "", kinds::String()},
      {"user_agent", "", kinds::String()},
      {"endpoint", "", kinds::String()},
      {"reg_server", "", kinds::String()},
      {"via_addr", "", kinds::String()},
      {"via_port", "0", kinds::Uint()},
      {"call_id", "", kinds::String()},
      {"prune_on_boot", "no", kinds::YesNo()},
  };
  spec.output_order = {
      "via_addr",
      "qualify_timeout",
      "qualify_2xx_only",
      "call_id",
      "reg_server",
      "^@",
      "prune_on_boot",
      "path",
      "endpoint",
      "via_port",
      "authenticate_qualify",
      "uri",
      "qualify_frequency",
      "user_agent",
      "expiration_time",
      "outbound_proxy"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

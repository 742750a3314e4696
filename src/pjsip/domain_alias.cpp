// PJSIP type `domain_alias` (res_pjsip, res/res_pjsip/config_domain_aliases.c).
#include "pjsip/table.h"

namespace pjsip {

namespace {

util::Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("domain").empty()) return util::Status::Invalid("domain is required");
  return util::Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeDomainAliasType() {
  TypeSpec spec;
  spec.name = "domain_alias";
  spec.default_mapping = "config,pjsip.conf,criteria=type=domain_alias";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"domain", "", kinds::String()},
  };
  spec.output_order = {
      "domain",
      "^@"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

// PJSIP type `phoneprov` (res_pjsip_phoneprov_provider, res/res_pjsip_phoneprov_provider.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakePhoneprovType() {
  TypeSpec spec;
  spec.name = "phoneprov";
  spec.default_mapping = "config,pjsip.conf,criteria=type=phoneprov";
  spec.reloadable = true;
  // No apply rule: MAC, PROFILE and endpoint are only required later, by the provisioning
  // provider, not when the object is stored.
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      // Every other attribute is a provisioning variable (MAC, PROFILE, endpoint, LABEL, ...),
      // printed and stored under its own name in the order first set; empty values are dropped.
      // Asterisk registers this field under the regular expression "^".
      {"", kNoDefault, std::make_shared<NamedValuesHandler>("", NamedValuesHandler::EmptyValue::kDropped),
       Output::kAlways, /*multi=*/true, /*alias_of=*/nullptr, /*pattern=*/true},
  };
  spec.output_order = {
      "",  // "^" in pjsip-objects.json
      "^@"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

// PJSIP type `phoneprov` (res_pjsip_phoneprov_provider, res/res_pjsip_phoneprov_provider.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakePhoneprovType() {
  TypeSpec spec;
  spec.name = "phoneprov";
  spec.default_mapping = "config,pjsip.conf,criteria=type=phoneprov";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      // Asterisk also registers a pattern field matching every other attribute name: each pair
      // becomes a provisioning variable, printed under its own name. The sorcery model has no
      // name-pattern fields yet, so only `@` attributes can carry such variables for now.
  };
  spec.output_order = {
      "^@"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

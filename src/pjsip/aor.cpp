// PJSIP type `aor` (res_pjsip, res/res_pjsip/location.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeAorType() {
  TypeSpec spec;
  spec.name = "aor";
  spec.default_mapping = "config,pjsip.conf,criteria=type=aor";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"minimum_expiration", "60", kinds::Uint()},
      {"maximum_expiration", "7200", kinds::Uint()},
      {"default_expiration", "3600", kinds::Uint()},
      {"qualify_frequency", kNoDefault, kinds::UintRange(0, 86400)},
      {"qualify_timeout", "3.0", kinds::Double()},
      {"qualify_2xx_only", "no", kinds::Bool()},
      {"authenticate_qualify", "no", kinds::Bool()},
      {"max_contacts", "0", kinds::Uint()},
      {"remove_existing", "no", kinds::Bool()},
      {"remove_unavailable", "no", kinds::Bool()},
      {"contact", "", std::make_shared<ContactListHandler>(), Output::kAlways, /*multi=*/true},
      {"mailboxes", "", kinds::String()},
      {"voicemail_extension", "", kinds::NullableString()},
      {"outbound_proxy", "", kinds::String()},
      {"support_path", "no", kinds::Bool()},
  };
  spec.output_order = {
      "minimum_expiration",
      "default_expiration",
      "qualify_timeout",
      "qualify_2xx_only",
      "mailboxes",
      "support_path",
      "remove_unavailable",
      "^@",
      "voicemail_extension",
      "max_contacts",
      "authenticate_qualify",
      "contact",
      "maximum_expiration",
      "qualify_frequency",
      "remove_existing",
      "outbound_proxy"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

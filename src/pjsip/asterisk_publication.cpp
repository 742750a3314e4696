// PJSIP type `asterisk-publication` (res_pjsip_publish_asterisk, res/res_pjsip_publish_asterisk.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeAsteriskPublicationType() {
  TypeSpec spec;
  spec.name = "asterisk-publication";
  spec.default_mapping = "config,pjsip.conf,criteria=type=asterisk-publication";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"devicestate_publish", "", kinds::String()},
      {"mailboxstate_publish", "", kinds::String()},
      {"device_state", "no", kinds::Bool()},
      {"device_state_filter", "", std::make_shared<RegexHandler>(), Output::kStorageOnly},
      {"mailbox_state", "no", kinds::Bool()},
      {"mailbox_state_filter", "", std::make_shared<RegexHandler>(), Output::kStorageOnly},
  };
  spec.output_order = {
      "^@",
      "devicestate_publish",
      "mailboxstate_publish",
      "mailbox_state",
      "device_state"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

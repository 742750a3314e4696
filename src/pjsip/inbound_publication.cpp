// PJSIP type `inbound-publication` (res_pjsip_pubsub, res/res_pjsip_pubsub.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeInboundPublicationType() {
  TypeSpec spec;
  spec.name = "inbound-publication";
  spec.default_mapping = "config,pjsip.conf,criteria=type=inbound-publication";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"endpoint", "", kinds::String(), Output::kStorageOnly},
      // Asterisk also accepts `event_<EVENT>` = handler name (write-only; "" refused) through a
      // name-pattern field; the sorcery model has no such fields yet, so they are refused.
  };
  spec.output_order = {
      "^@"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

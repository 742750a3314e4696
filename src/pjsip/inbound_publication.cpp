// PJSIP type `inbound-publication` (res_pjsip_pubsub, res/res_pjsip_pubsub.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeInboundPublicationType() {
  TypeSpec spec;
  spec.name = "inbound-publication";
  spec.default_mapping = "config,pjsip.conf,criteria=type=inbound-publication";
  spec.reloadable = true;
  // No apply rule. Both fields are write-only: ARI and the console list neither (as Asterisk),
  // but storage keeps them so that the object reads back whole.
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"endpoint", "", kinds::String(), Output::kStorageOnly},
      // event_<EVENT> = name of the publish handler for that event ("" refused). Asterisk registers
      // this field under the regular expression "^event_".
      {"event_", kNoDefault,
       std::make_shared<NamedValuesHandler>("event_", NamedValuesHandler::EmptyValue::kRefused),
       Output::kStorageOnly, /*multi=*/true, /*alias_of=*/nullptr, /*pattern=*/true},
  };
  spec.output_order = {
      "^@"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

// PJSIP type `subscription_persistence` (res_pjsip_pubsub, res/res_pjsip_pubsub.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeSubscriptionPersistenceType() {
  TypeSpec spec;
  spec.name = "subscription_persistence";
  spec.default_mapping = "astdb,subscription_persistence";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"packet", "", kinds::CharArray(65535)},
      {"src_name", "", kinds::CharArray(46)},
      {"src_port", "0", kinds::Uint()},
      {"transport_key", "0", kinds::CharArray(32)},
      {"local_name", "", kinds::CharArray(46)},
      {"local_port", "0", kinds::Uint()},
      {"cseq", "0", kinds::Uint()},
      {"endpoint", "", kinds::NullableString()},
      {"tag", "", kinds::NullableString()},
      {"expires", "", kinds::Timeval()},
      {"contact_uri", "", kinds::CharArray(512)},
      {"prune_on_boot", "no", kinds::YesNo()},
      {"generator_data", "", std::make_shared<JsonHandler>()},
  };
  spec.output_order = {
      "src_port",
      "expires",
      "transport_key",
      "^@",
      "cseq",
      "prune_on_boot",
      "endpoint",
      "generator_data",
      "packet",
      "src_name",
      "local_name",
      "tag",
      "contact_uri",
      "local_port"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

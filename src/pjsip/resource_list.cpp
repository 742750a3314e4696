// PJSIP type `resource_list` (res_pjsip_pubsub, res/res_pjsip_pubsub.c).
#include "pjsip/table.h"

namespace pjsip {

namespace {

util::Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("event").empty()) return util::Status::Invalid("event is required");
  if (b.Value("list_item").empty()) return util::Status::Invalid("at least one list_item is required");
  return util::Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeResourceListType() {
  TypeSpec spec;
  spec.name = "resource_list";
  spec.default_mapping = "config,pjsip.conf,criteria=type=resource_list";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"event", "", kinds::CharArray(32, true)},
      {"full_state", "no", kinds::Bool()},
      {"notification_batch_interval", "0", kinds::Uint()},
      {"list_item", "", kinds::NameList(NameListHandler::kAccumulate)},
      {"resource_display_name", "no", kinds::Bool()},
  };
  spec.output_order = {
      "event",
      "resource_display_name",
      "notification_batch_interval",
      "list_item",
      "^@",
      "full_state"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

// PJSIP type `system` (res_pjsip, res/res_pjsip/config_system.c).
#include <string>

#include "pjsip/table.h"

namespace pjsip {

namespace {

// No refusals: timers below their minimum are raised to it.
util::Status Apply(sorcery::ObjectBuilder& b) {
  unsigned long t1 = std::stoul(std::string(b.Scalar("timer_t1")));
  if (t1 < 100) {
    t1 = 100;
    SetScalar(b, "timer_t1", "100");
  }
  unsigned long timer_b = std::stoul(std::string(b.Scalar("timer_b")));
  if (timer_b < 64 * t1) SetScalar(b, "timer_b", std::to_string(64 * t1));
  return util::Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeSystemType() {
  TypeSpec spec;
  spec.name = "system";
  spec.default_mapping = "config,pjsip.conf,criteria=type=system,single_object=yes,explicit_name=system";
  spec.reloadable = false;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"timer_t1", "500", kinds::Uint()},
      {"timer_b", "32000", kinds::Uint()},
      {"compact_headers", "no", kinds::Bool()},
      {"taskpool_minimum_size", "4", kinds::Uint()},
      {"taskpool_initial_size", "4", kinds::Uint()},
      {"threadpool_initial_size", "4", kinds::Uint()},
      {"taskpool_auto_increment", "1", kinds::Uint()},
      {"threadpool_auto_increment", "1", kinds::Uint()},
      {"taskpool_idle_timeout", "60", kinds::Uint()},
      {"threadpool_idle_timeout", "60", kinds::Uint()},
      {"taskpool_max_size", "50", kinds::Uint()},
      {"threadpool_max_size", "50", kinds::Uint()},
      {"disable_tcp_switch", "yes", kinds::Bool()},
      {"follow_early_media_fork", "yes", kinds::Bool()},
      {"accept_multiple_sdp_answers", "no", kinds::Bool()},
      {"disable_rport", "no", kinds::Bool()},
  };
  spec.output_order = {
      "taskpool_initial_size",
      "threadpool_max_size",
      "compact_headers",
      "follow_early_media_fork",
      "disable_tcp_switch",
      "disable_rport",
      "taskpool_idle_timeout",
      "taskpool_max_size",
      "^@",
      "taskpool_minimum_size",
      "taskpool_auto_increment",
      "threadpool_idle_timeout",
      "timer_b",
      "timer_t1",
      "threadpool_auto_increment",
      "accept_multiple_sdp_answers",
      "threadpool_initial_size"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

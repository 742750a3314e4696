// PJSIP type `acl` (res_pjsip_acl, res/res_pjsip_acl.c).
#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr MakeAclType() {
  TypeSpec spec;
  spec.name = "acl";
  spec.default_mapping = "config,pjsip.conf,criteria=type=acl";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"permit", "", kinds::Acl(), Output::kStorageOnly},
      {"deny", "", kinds::Acl(), Output::kStorageOnly},
      {"acl", "", kinds::Acl(), Output::kStorageOnly},
      {"contact_permit", "", kinds::Acl(), Output::kStorageOnly},
      {"contact_deny", "", kinds::Acl(), Output::kStorageOnly},
      {"contact_acl", "", kinds::Acl(), Output::kStorageOnly},
  };
  spec.output_order = {
      "^@"
  };
  return BuildType(std::move(spec));
}

}  // namespace pjsip

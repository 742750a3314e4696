#include "pjsip/types.h"

#include <cstdio>
#include <cstdlib>

#include "pjsip/table.h"

namespace pjsip {

sorcery::ObjectTypePtr BuildType(TypeSpec spec) {
  std::vector<sorcery::Field> fields;
  fields.reserve(spec.rows.size());
  for (const Row& r : spec.rows) {
    sorcery::Field f;
    f.name = r.name;
    f.has_default = r.default_text != kNoDefault;
    if (f.has_default) f.default_text = r.default_text;
    f.handler = r.handler;
    f.output = r.output;
    f.multi = r.multi;
    f.pattern = r.pattern;
    fields.push_back(std::move(f));
  }
  for (size_t i = 0; i < spec.rows.size(); ++i) {
    if (!spec.rows[i].alias_of) continue;
    for (size_t j = 0; j < spec.rows.size(); ++j)
      if (std::string_view(spec.rows[j].name) == spec.rows[i].alias_of) fields[i].target = static_cast<int>(j);
  }
  auto type = sorcery::ObjectType::Create(spec.name, std::move(fields), spec.output_order,
                                          std::move(spec.apply_rule));
  if (!type.ok()) {
    std::fprintf(stderr, "pjsip: bad table for %s: %s\n", spec.name.c_str(), type.status().message().c_str());
    std::abort();
  }
  (*type)->default_mapping = spec.default_mapping;
  (*type)->reloadable = spec.reloadable;
  return *type;
}

std::vector<sorcery::ObjectTypePtr> AllTypes() {
  static const std::vector<sorcery::ObjectTypePtr> types = {
      MakeEndpointType(),        MakeAuthType(),           MakeAorType(),
      MakeContactType(),         MakeTransportType(),      MakeIdentifyType(),
      MakeRegistrationType(),    MakeDomainAliasType(),    MakeGlobalType(),
      MakeSystemType(),          MakeOutboundPublishType(), MakePhoneprovType(),
      MakeAclType(),             MakeResourceListType(),   MakeInboundPublicationType(),
      MakeAsteriskPublicationType(), MakeSubscriptionPersistenceType(),
  };
  return types;
}

sorcery::ObjectTypePtr FindType(std::string_view name) {
  for (const auto& t : AllTypes())
    if (t->name() == name) return t;
  return nullptr;
}

}  // namespace pjsip

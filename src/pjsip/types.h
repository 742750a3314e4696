// The PJSIP object types (sorcery instance / ARI configClass "res_pjsip"): every field, default,
// printed form, output order and apply rule, as tables. Built once, on first use; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "sorcery/object_type.h"

namespace pjsip {

// The configClass every PJSIP type lives in.
inline constexpr std::string_view kConfigClass = "res_pjsip";

// Every PJSIP type: endpoint, auth, aor, contact, transport, identify, registration,
// domain_alias, global, system, outbound-publish, phoneprov, acl, resource_list,
// inbound-publication, asterisk-publication, subscription_persistence.
std::vector<sorcery::ObjectTypePtr> AllTypes();

// The type named `name` (exact, as Asterisk spells it), or nullptr.
sorcery::ObjectTypePtr FindType(std::string_view name);

}  // namespace pjsip

// The sorcery object types of configClass `res_ari` (Asterisk's ari.conf is sorcery-backed):
// `general`, `user` and `outbound_websocket`, each mapped by default to the read-only config
// wizard on ari.conf. Read through the dynamic-config resource; writes are refused by the wizard
// (403), as in Asterisk. A user's `password` is never shown (Asterisk shows it).
#pragma once

#include <string_view>
#include <vector>

#include "sorcery/object_type.h"

namespace ari {

inline constexpr std::string_view kResAriConfigClass = "res_ari";

// general (single object "general" in ari.conf), user (criteria type=user), outbound_websocket
// (criteria type=outbound_websocket). Built once; thread-safe.
std::vector<sorcery::ObjectTypePtr> ResAriTypes();

// Asterisk's print order for fields registered in `names` order: sorcery keeps fields in a
// 29-bucket hash table (djb2-xor hash) and prints bucket by bucket. Exposed for tests.
std::vector<std::string> ResAriOutputOrder(const std::vector<std::string>& names);

}  // namespace ari

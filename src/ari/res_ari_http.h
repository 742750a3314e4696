// Pieces of res_ari's HTTP behaviour that need no server: the `pretty` JSON layout, CORS origin
// matching (ari.conf allowed_origins) and per-user address ACLs (ari.conf permit/deny/acl).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace ari {

// Re-lays out a valid JSON text as jansson's JSON_INDENT(2) does (what Asterisk sends with
// ari.conf pretty=yes): one member or element per line indented by two spaces per level,
// "key": value with one space, empty containers as {} and []. No trailing newline. Input
// whitespace outside strings is dropped; string contents are copied unchanged.
std::string PrettyJson(std::string_view json);

// Whether a request Origin is allowed by `allowed` (ari.conf allowed_origins, already split at
// ',' and trimmed): exact, case-sensitive match, or an entry "*". An empty origin never is.
bool OriginAllowed(const std::vector<std::string>& allowed, std::string_view origin);

// An ordered list of permit/deny rules on client addresses, evaluated as Asterisk's ast_apply_ha:
// start with "allow", every rule whose network contains the address sets the result to that
// rule's sense (so the last matching rule wins). An empty list allows everything.
class AddressAcl {
 public:
  // Adds the rules of one `permit`/`deny` value: comma-separated networks, each
  // "addr", "addr/prefix-length" or "addr/dotted-mask" (IPv4 or IPv6), optionally preceded by '!'
  // (the rule then matches every address outside the network). Invalid -> error naming the
  // network; the ACL is unchanged then.
  util::Status Add(bool permit, std::string_view networks);
  // Whether `address` (an IP literal, as the server reports the peer; "::ffff:a.b.c.d" counts as
  // IPv4) is allowed. An unparsable address is denied when there are rules.
  bool Allows(std::string_view address) const;
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    bool permit = true;
    bool negate = false;
    int family = 0;  // 4 or 6
    std::array<unsigned char, 16> network{};
    std::array<unsigned char, 16> mask{};
  };
  std::vector<Rule> rules_;
};

}  // namespace ari

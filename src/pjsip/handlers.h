// Field handlers: one class per kind of PJSIP field. A type table (endpoint.cpp, auth.cpp, ...) picks
// a handler per row; handlers are stateless and shared. Each handler documents the canonical tokens
// it keeps in a FieldValue and the printed form it renders (Asterisk's, unless noted as a
// deliberate deviation). Refusals are Status::Invalid with a short reason; the caller names the
// field and the value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sorcery/field.h"
#include "util/status.h"

namespace pjsip {

using sorcery::FieldHandler;
using sorcery::FieldValue;
using HandlerPtr = std::shared_ptr<const FieldHandler>;

// Accepts anything, keeps nothing, prints nothing (`type`).
class NoopHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Free text, kept verbatim. Token: the text.
class StringHandler final : public FieldHandler {
 public:
  enum class Print {
    kAlways,             // unset prints "" (ordinary string options)
    kNothingWhenUnset,   // unset prints nothing, a set "" prints "" (endpoint contact_user)
    kNothingWhenEmpty,   // "" or unset prints nothing (Asterisk's NULL renderers: voicemail_extension)
  };
  explicit StringHandler(Print print = Print::kAlways, std::string allowed_punct = {},
                         bool check_chars = false)
      : print_(print), allowed_punct_(std::move(allowed_punct)), check_chars_(check_chars) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  Print print_;
  std::string allowed_punct_;  // with check_chars: letters, digits and these only
  bool check_chars_;
};

// Fixed-size character buffer: text truncated to max_len-1 bytes; `required` refuses "".
class CharArrayHandler final : public FieldHandler {
 public:
  CharArrayHandler(size_t max_len, bool required) : max_len_(max_len), required_(required) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  size_t max_len_;
  bool required_;
};

// Booleans. Accepts yes/no/true/false/y/n/t/f/1/0/on/off in any case; anything else is refused
// (deviation: Asterisk stores false). Token: "true" / "false". Unset prints false.
class BoolHandler final : public FieldHandler {
 public:
  enum class Style { kTrueFalse, kYesNo, kYesNoCapital };
  explicit BoolHandler(Style style) : style_(style) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  Style style_;
};

// Unsigned 32-bit (strtoul base 0: 0x.. hex, leading 0 octal), inclusive range. Token: decimal.
class UintHandler final : public FieldHandler {
 public:
  UintHandler(uint32_t min = 0, uint32_t max = UINT32_MAX) : min_(min), max_(max) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  uint32_t min_, max_;
};

// Signed 32-bit, inclusive range. Token: decimal.
class IntHandler final : public FieldHandler {
 public:
  IntHandler(int32_t min = INT32_MIN, int32_t max = INT32_MAX) : min_(min), max_(max) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  int32_t min_, max_;
};

// strtod; printed with six decimals ("3.000000"). Token: the printed form.
class DoubleHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// One word of a fixed set. Token: the printed word.
class EnumHandler final : public FieldHandler {
 public:
  struct Options {
    bool case_sensitive = false;
    // Non-empty: every ast_true word stores this word, every ast_false word the other (100rel).
    std::string true_word, false_word;
    bool ignore_unknown = false;  // unknown words keep the old value (dtls_setup, dtls_fingerprint)
    std::string unset_print;      // printed when unset (dtls_setup: "active")

    static Options CaseSensitive() {
      Options o;
      o.case_sensitive = true;
      return o;
    }
    static Options BoolWords(std::string true_word, std::string false_word) {
      Options o;
      o.true_word = std::move(true_word);
      o.false_word = std::move(false_word);
      return o;
    }
    static Options UnsetPrints(std::string word, bool ignore_unknown = false) {
      Options o;
      o.unset_print = std::move(word);
      o.ignore_unknown = ignore_unknown;
      return o;
    }
  };
  // `words`: (accepted input, printed word) pairs, e.g. {"reinvite","invite"}.
  EnumHandler(std::vector<std::pair<std::string, std::string>> words, Options options);
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  std::vector<std::pair<std::string, std::string>> words_;
  Options options_;
};

// Comma list of words from a fixed set (case-insensitive); a new value replaces the old one,
// duplicates dropped, order kept. Tokens: the printed words. Printed joined with ','.
class EnumListHandler final : public FieldHandler {
 public:
  explicit EnumListHandler(std::vector<std::string> words) : words_(std::move(words)) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  std::vector<std::string> words_;
};

// Comma list of names, trimmed, empty items skipped. Tokens: the names.
class NameListHandler final : public FieldHandler {
 public:
  enum Flags : unsigned {
    kReplace = 0,
    kAccumulate = 1,        // a new value appends (else replaces)
    kOneEntryEach = 2,      // print one entry per name (registration outbound_auth)
    kNothingWhenEmpty = 4,  // empty prints nothing (endpoint auth: Asterisk's NULL renderer)
    kEmptyClears = 8,       // with kAccumulate: an empty value empties the list
  };
  // `joiner`: separator when printed as one entry.
  explicit NameListHandler(unsigned flags, std::string joiner = ",") : flags_(flags), joiner_(std::move(joiner)) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  unsigned flags_;
  std::string joiner_;
};

// Codec preference list (endpoint allow; `inverted` for disallow, which writes the same slot).
// Tokens: codec names, or "name:ms" with a framing. Printed "(a|b|c)" or "(nothing)".
class CodecListHandler final : public FieldHandler {
 public:
  explicit CodecListHandler(bool inverted) : inverted_(inverted) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  bool inverted_;
};

// Known codec names in the order Asterisk registers its built-in codecs (what `all` adds).
const std::vector<std::string>& KnownCodecs();

// "prefer: X, operation: Y, keep: Z, transcode: W". Token: "prefer:X, operation:Y, keep:Z,
// transcode:W" (also the printed form). !allow_union refuses operation:union.
class CodecPrefsHandler final : public FieldHandler {
 public:
  explicit CodecPrefsHandler(bool allow_union) : allow_union_(allow_union) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  bool allow_union_;
};

// Caller id '"Name" <number>', 'Name <number>', number or name. Tokens: {name, number} (either
// may be ""); unset = empty. Printed '"Name" <number>', name, number or "<unknown>". Parsing
// "<unknown>" yields unset (deviation: Asterisk reads it back as number "unknown").
class CallerIdHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Caller presentation: a name (allowed_not_screened, ...) or a number. Token: the name, or the
// decimal number when no name has it (printed as the number: deviation, Asterisk prints "unknown").
class CallerPresentationHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// IP TOS: number (low 8 bits) or DSCP name (CS0-7, AF11-43, EF; stored shifted by 2).
// Token: decimal. `round_to_4`: transport tos drops the two low bits.
class TosHandler final : public FieldHandler {
 public:
  explicit TosHandler(bool round_to_4) : round_to_4_(round_to_4) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  bool round_to_4_;
};

// Call/pickup group: numbers 0-63 and ranges "a-b"; invalid pieces ignored (as Asterisk).
// Tokens: members ascending. Printed joined by ", ".
class GroupHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Named groups: comma separated names. Tokens: the names in Asterisk's print order (its hash
// container's order). Printed joined by ", ".
class NamedGroupHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Channel variables "NAME=VALUE": replaces the variable of the same NAME, else appends. Tokens:
// "NAME=VALUE". Printed one entry each under the field's own name (deviation: Asterisk uses the
// variable name as the attribute and cannot read it back).
class SetVarHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// A readable file (or directory) path; "" clears. Token: the path.
class FileHandler final : public FieldHandler {
 public:
  FileHandler(bool directory, bool nothing_when_empty)
      : directory_(directory), nothing_when_empty_(nothing_when_empty) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  bool directory_;
  bool nothing_when_empty_;
};

// auth md5_cred: a 32-character MD5 digest. Tokens: {digest, "new"} right after parsing; the auth
// apply rule moves it into password_digest and leaves {digest}. Prints the digest or nothing.
class Md5CredHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// auth password_digest: "ALGO:hex" list (MD5, SHA-256, SHA-512-256; no "ALGO:" means MD5), merged
// per algorithm. Tokens: "ALGO:hex" in algorithm order. Printed joined by ','.
class DigestListHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
  // Digest algorithms in print order and their hex digest lengths.
  static const std::vector<std::pair<std::string, size_t>>& Algorithms();
};

// ACL rules "[!]addr[/mask]" comma list (permit, deny, transport local_net); accumulates.
// Tokens: "[!]addr/mask" with the address masked and the mask printed as an address.
class AclHandler final : public FieldHandler {
 public:
  explicit AclHandler(bool one_entry_each) : one_entry_each_(one_entry_each) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  bool one_entry_each_;
};

// Named ACLs (acl.conf): comma list, accumulates. Printed joined by ',' or nothing when empty
// (deviation: Asterisk prints only the first name, or "deny/permit").
class AclNameHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// aor contact: comma list of sip:/sips: URIs, accumulates, duplicates dropped. One entry each.
class ContactListHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// identify match: comma list of IP, IP/mask, IP:port or host names; accumulates. Tokens:
// "addr[:port]/mask" for addresses, the name (with any ":port") for host names. One entry each.
class IpMatchHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// transport bind: IP literal host with optional port. Token: "addr:port" / "[v6]:port" (port 0
// until the transport apply rule fills in the protocol's default).
class SockAddrHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// endpoint media_address: an IP literal is normalised (no port), anything else kept as a host name.
class HostOrAddressHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Seconds since the epoch, "sec" or "sec.usec". Token: integer seconds. Unset prints "0".
class TimevalHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// Obsolete option: any value accepted and ignored; always prints `printed`.
class DeprecatedHandler final : public FieldHandler {
 public:
  explicit DeprecatedHandler(std::string printed) : printed_(std::move(printed)) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  std::string printed_;
};

// Security mechanisms (msrp-tls, sdes-srtp, dtls-srtp with ;params): comma list replacing the old
// one; unparsable entries skipped. Printed joined by ", "; nothing when empty.
class SecurityMechanismsHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// A POSIX extended regular expression that must compile. Token: the text.
class RegexHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// JSON text; token and printed form: the compact re-serialisation; "" clears; nothing when unset.
class JsonHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// TLS cipher suites (transport cipher): comma list of OpenSSL names (exact case) or numeric suite
// ids ("0xC02F" or decimal); accumulates, duplicates ignored; a suite OpenSSL does not offer is
// refused. Tokens: the names. Printed joined by ", ".
class CipherListHandler final : public FieldHandler {
 public:
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;
};

// (suite id, OpenSSL name) of every cipher suite CipherListHandler accepts (tls_ciphers.cpp).
const std::vector<std::pair<uint32_t, std::string>>& KnownTlsCiphers();

// A pattern-named field (sorcery Field::pattern): the handler receives "<attribute>=<value>" and
// keeps one token "<attribute>=<value>" per attribute, in the order the attributes were first set;
// a value for an attribute already held replaces it in place (names compared case-insensitively).
// Printed one entry per attribute, which sorcery lists under the attribute's own name.
//   phoneprov variables: any attribute name; an empty value is dropped (not stored, no error).
//   inbound-publication event_<EVENT>: the name must go on after the prefix; "" is refused.
class NamedValuesHandler final : public FieldHandler {
 public:
  enum class EmptyValue { kDropped, kRefused };
  // `prefix`: the pattern the attribute names start with ("" for any name).
  NamedValuesHandler(std::string prefix, EmptyValue empty) : prefix_(std::move(prefix)), empty_(empty) {}
  util::Status Parse(std::string_view text, FieldValue& value) const override;
  void Render(const FieldValue& value, std::vector<std::string>& out) const override;

 private:
  std::string prefix_;
  EmptyValue empty_;
};

// Shared instances for table rows.
namespace kinds {
HandlerPtr Noop();
HandlerPtr String();
HandlerPtr OptionalString();  // StringHandler::Print::kNothingWhenUnset
HandlerPtr NullableString();  // StringHandler::Print::kNothingWhenEmpty
HandlerPtr CharArray(size_t max_len, bool required = false);
HandlerPtr Bool();         // true/false
HandlerPtr YesNo();        // yes/no
HandlerPtr YesNoCapital(); // Yes/No
HandlerPtr Uint();
HandlerPtr UintRange(uint32_t min, uint32_t max);
HandlerPtr Int();
HandlerPtr IntRange(int32_t min, int32_t max);
HandlerPtr Double();
HandlerPtr Enum(std::vector<std::pair<std::string, std::string>> words, EnumHandler::Options options = {});
// Words that are accepted and printed as themselves (case-insensitive).
HandlerPtr Words(std::vector<std::string> words);
HandlerPtr EnumList(std::vector<std::string> words);
HandlerPtr NameList(unsigned flags, std::string joiner = ",");
HandlerPtr Codecs();
HandlerPtr CodecsInverted();
HandlerPtr File(bool nothing_when_empty);
HandlerPtr Directory(bool nothing_when_empty);
HandlerPtr Tos();
HandlerPtr TosRounded();
HandlerPtr Acl();           // printed as one entry (write-only permit/deny)
HandlerPtr AclEach();       // one entry per rule (transport local_net)
HandlerPtr SecurityMechanisms();
HandlerPtr Timeval();
}  // namespace kinds

}  // namespace pjsip

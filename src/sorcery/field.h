// Fields: one row of an object type's table. A field has a name, a default, and a handler that
// turns text into the field's canonical value and back into Asterisk's printed form.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace sorcery {

// The canonical value of one field: a list of normalised tokens. Single-valued fields hold zero or
// one token (e.g. {"true"}, {"3600"}); list fields hold one token per entry (codecs, contacts,
// "NAME=VALUE" variables). An empty list means "unset".
using FieldValue = std::vector<std::string>;
// A field value as an object holds it: immutable once stored and shared between objects (every
// object that still has a field's default points at the same one), so copying an object copies
// pointers, not strings. It belongs to one field of one type, which lets it keep its own printed
// JSON: a value is rendered once, however many objects and answers use it.
struct StoredValue {
  explicit StoredValue(FieldValue v) : tokens(std::move(v)) {}
  const FieldValue tokens;
  // Filled once, on first use, by the object code (see object.cpp): 0 not yet, 1 being filled
  // (another thread waits), 2 filled. Not a std::once_flag: glibc's call_once makes a futex
  // system call every time it runs an initialiser, i.e. for every new value of every write.
  mutable std::atomic<int> rendered{0};
  mutable std::string api_json;      // its {"attribute":..,"value":..} entries, comma-separated
  mutable std::string storage_json;  // its "name":"value" members, comma-separated
};
using SharedFieldValue = std::shared_ptr<const StoredValue>;

// Converts text to a FieldValue and a FieldValue to printed text. Handlers are stateless and shared
// by every field of their kind.
class FieldHandler {
 public:
  virtual ~FieldHandler() = default;

  // Parses `text` and merges it into `value` (list fields append, scalar fields replace).
  // On failure returns Status::Invalid with a short reason (the caller adds field name and value)
  // and leaves `value` unchanged.
  virtual util::Status Parse(std::string_view text, FieldValue& value) const = 0;

  // Appends the printed entries of `value` to `out`. Appending nothing means "no value": the ARI
  // answer shows "" and the AstDB record leaves the key out, as Asterisk's NULL renderers do.
  // Scalar fields append exactly one entry whenever they have a value (possibly "").
  virtual void Render(const FieldValue& value, std::vector<std::string>& out) const = 0;
};

// How a field appears in an object set.
enum class Output {
  kAlways,         // always listed; "" when it renders nothing
  kOmitWhenEmpty,  // listed only when it renders something (endpoint contact_user)
  kStorageOnly,    // never listed by ARI or the console, but persisted (write-only: endpoint permit)
  kNever,          // never listed nor stored (`type`, aliases)
};

struct Field {
  std::string name;
  // Parsed with the handler when an object is allocated; ignored when !has_default.
  std::string default_text;
  bool has_default = false;
  std::shared_ptr<const FieldHandler> handler;
  Output output = Output::kAlways;
  // Field whose value this one writes. Equal to this field's own index except for aliases
  // (endpoint `disallow` writes `allow`).
  int target = -1;
  // True for fields whose values are a list that can print as several entries (aor contact).
  bool multi = false;
  // A pattern-named field takes every attribute whose name starts with `name` (case-insensitive;
  // an empty name takes any attribute no other field takes), e.g. inbound-publication
  // `event_<event>` or phoneprov's variables. Its handler receives "<attribute>=<value>" and
  // renders "<attribute>=<value>" entries, which are printed under their own attribute names.
  bool pattern = false;
};

}  // namespace sorcery

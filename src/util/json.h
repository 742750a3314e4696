// JSON: a small strict parser (RFC 8259) that keeps object members in order, duplicates included,
// and a writer whose output matches jansson's compact form (what Asterisk emits).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace util::json {

struct Value {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  // kString: the decoded UTF-8 text. kNumber: the number exactly as written in the input.
  std::string text;
  std::vector<Value> items;                             // kArray
  std::vector<std::pair<std::string, Value>> members;   // kObject, input order, duplicates kept

  bool is_null() const { return kind == Kind::kNull; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_object() const { return kind == Kind::kObject; }
  // First member named `key` (exact match), or nullptr. Only meaningful for objects.
  const Value* Find(std::string_view key) const;
};

// Parses one JSON text (any value at top level; surrounding whitespace allowed, nothing else).
// Rejects invalid UTF-8, unpaired surrogates, control characters in strings, nesting deeper than
// 64, and trailing data. The error message says what and at which byte offset.
Result<Value> Parse(std::string_view text);

// Appends `s` as a JSON string literal (quotes included), escaping as jansson does by default:
// \" \\ \b \f \n \r \t, other control characters as \u00XX; '/' and non-ASCII pass through.
void AppendString(std::string& out, std::string_view s);

// Appends the compact serialisation of `v` (no whitespace), members in stored order.
void AppendValue(std::string& out, const Value& v);

}  // namespace util::json

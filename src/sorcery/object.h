// Objects are immutable: an update copies the object into an ObjectBuilder, applies changes and
// finishes a new Object. Readers hold shared pointers to const objects and never lock around them.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sorcery/object_type.h"
#include "util/status.h"

namespace sorcery {

// An object set: (attribute, value) pairs in order. Names may repeat (list fields).
using ObjectSet = std::vector<std::pair<std::string, std::string>>;

// A field value an object holds instead of its type's default.
struct OwnValue {
  uint32_t pos;  // the field's place in the type's output order (what the list is sorted by)
  uint32_t idx;  // the field's index
  SharedFieldValue value;
};

class Object {
 public:
  const ObjectType& type() const { return *type_; }
  const ObjectTypePtr& type_ptr() const { return type_; }
  const std::string& id() const { return id_; }

  // Canonical value of the field named `name` (case-insensitive); empty for unknown names.
  const FieldValue& Value(std::string_view name) const;
  const FieldValue& ValueAt(size_t field_index) const;
  // The field's printed value as ARI shows it (entries joined by ","; "" when nothing).
  std::string Get(std::string_view name) const;
  // Extended ('@name') attributes in the order they were first set.
  const ObjectSet& extended() const { return extended_; }

  // What ARI returns and the console prints: Asterisk's order, list fields expanded.
  ObjectSet ApiObjectSet() const;
  // What storage keeps: like ApiObjectSet, but fields that render nothing are left out and
  // write-only fields are included.
  ObjectSet StorageObjectSet() const;
  // ApiObjectSet as a compact JSON array of {"attribute","value"} objects. Built on first use and
  // kept (what GET answers with); objects that are only written never hold it (6.6 KB of an
  // endpoint's memory).
  const std::string& ApiJson() const;
  // The same text, built afresh and not kept (for the answer to the write that made the object).
  std::string RenderApiJson() const;
  // StorageObjectSet as a compact JSON object {"name":"value",...} (Asterisk's AstDB record;
  // list fields as repeated keys), appended to `out`.
  void AppendStorageJson(std::string& out) const;
  // The same, as a string of exactly its size (what the AstDB keeps for the object).
  std::string RenderStorageJson() const;

 private:
  friend class ObjectBuilder;
  Object() = default;
  ObjectTypePtr type_;
  std::string id_;
  // Only the fields that differ from the type's defaults (a handful of an endpoint's ~190), in
  // output order, so that rendering walks both lists together. An endpoint takes about 200
  // bytes for them instead of a pointer per field.
  std::vector<OwnValue> own_;
  ObjectSet extended_;
  mutable std::atomic<int> api_state_{0};  // 0 not built, 1 being built, 2 built
  mutable std::string api_json_;
};

using ObjectPtr = std::shared_ptr<const Object>;

// Builds one object: starts from the type's defaults (or a copy of an existing object), takes
// attribute/value pairs, then Finish() runs the apply rule and freezes it.
class ObjectBuilder {
 public:
  ObjectBuilder(ObjectTypePtr type, std::string id);
  explicit ObjectBuilder(const Object& from);

  const ObjectType& type() const { return *type_; }
  const std::string& id() const { return id_; }

  // Applies one pair. Names match case-insensitively; '@name' is an extended attribute; `type` is
  // accepted and ignored. Unknown name or a value the field refuses -> Invalid naming both; the
  // builder is unchanged then.
  util::Status Set(std::string_view name, std::string_view value);
  // Applies pairs in order; stops at and returns the first failure.
  util::Status Apply(const ObjectSet& pairs);

  // Direct access for apply rules. Unknown names are a programming error (empty value returned).
  const FieldValue& Value(std::string_view name) const;
  void SetValue(std::string_view name, FieldValue value);
  // First token of the field's value, or "" when unset.
  std::string_view Scalar(std::string_view name) const;

  // Runs the type's apply rule and returns the finished object. On failure the builder may have
  // been changed by the rule and should be discarded.
  util::Result<ObjectPtr> Finish();

 private:
  ObjectTypePtr type_;
  std::string id_;
  std::vector<SharedFieldValue> values_;  // by field index; null = the type's default
  ObjectSet extended_;
};

}  // namespace sorcery

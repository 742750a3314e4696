// ObjectType: a named table of fields plus the type's apply rule (its cross-field validation).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sorcery/field.h"
#include "util/status.h"

namespace sorcery {

class ObjectBuilder;
class ObjectType;

// Renders the type's defaults once (object.cpp) and keeps their pieces in the type.
void RenderDefaultPieces(ObjectType& type);

// Runs after all pairs of an object set were applied: checks combinations and fills derived
// values. Returns Invalid with a reason to refuse the object.
using ApplyRule = std::function<util::Status(ObjectBuilder&)>;

class ObjectType {
 public:
  // Position of the extended ('@name') attributes in an output order.
  static constexpr int kExtendedMarker = -1;

  // `fields` in registration order; `output_order` lists field names in the order Asterisk prints
  // them, with "^@" where the extended attributes go; names missing from it are appended at the end.
  // Fails when a default does not parse or a name is unknown (a programming error in a table).
  // The type is returned mutable so that its owner can set default_mapping and reloadable
  // before sharing it; share it as ObjectTypePtr (const) afterwards.
  static util::Result<std::shared_ptr<ObjectType>> Create(
      std::string name, std::vector<Field> fields, const std::vector<std::string>& output_order,
      ApplyRule apply_rule = nullptr);

  const std::string& name() const { return name_; }
  const std::vector<Field>& fields() const { return fields_; }
  // Index of the field named `name` (ASCII case-insensitive), else of the first pattern-named
  // field whose prefix it starts with, or -1.
  int FindField(std::string_view name) const;
  // Field indices in print order; kExtendedMarker where extended attributes go.
  const std::vector<int>& output_order() const { return output_order_; }
  // The value of every field right after allocation (defaults parsed once, at creation).
  const std::vector<SharedFieldValue>& defaults() const { return defaults_; }
  // Where field `idx` stands in output_order().
  uint32_t output_position(size_t idx) const { return output_pos_[idx]; }
  // What each output position prints when its field has the default: the JSON fragment (ARI
  // entries, or storage members), empty for aliases, fields that print nothing and the extended
  // marker; with their total size and how many are not empty. Rendering an object then reads
  // these in one contiguous array instead of visiting ~190 fields and values.
  struct DefaultPieces {
    std::vector<std::string_view> at;  // by output position; point into defaults()
    size_t bytes = 0;
    size_t count = 0;
  };
  const DefaultPieces& default_pieces(bool storage) const { return storage ? storage_pieces_ : api_pieces_; }
  const ApplyRule& apply_rule() const { return apply_rule_; }

  // Where the type's objects live when sorcery.conf maps nothing, e.g.
  // "config,pjsip.conf,criteria=type=endpoint". Empty: no default mapping.
  std::string default_mapping;
  // False for types that keep their values across reloads (PJSIP `system`).
  bool reloadable = true;

 private:
  ObjectType() = default;
  std::string name_;
  std::vector<Field> fields_;
  std::vector<int> output_order_;
  std::vector<uint32_t> output_pos_;  // by field index
  DefaultPieces api_pieces_;
  DefaultPieces storage_pieces_;
  friend void RenderDefaultPieces(ObjectType& type);
  std::vector<SharedFieldValue> defaults_;
  // Looked up by string_view (no copy) when the name is already lower case, as it nearly always is.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> index_;  // lower-case name -> index
  std::vector<int> patterns_;                    // pattern-named fields, in table order
  ApplyRule apply_rule_;
};

using ObjectTypePtr = std::shared_ptr<const ObjectType>;

}  // namespace sorcery

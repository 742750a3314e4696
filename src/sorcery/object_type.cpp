#include "sorcery/object_type.h"

#include <algorithm>

#include "util/strings.h"

namespace sorcery {

util::Result<std::shared_ptr<ObjectType>> ObjectType::Create(
    std::string name, std::vector<Field> fields, const std::vector<std::string>& output_order,
    ApplyRule apply_rule) {
  std::shared_ptr<ObjectType> t(new ObjectType());
  t->name_ = std::move(name);
  t->fields_ = std::move(fields);
  t->apply_rule_ = std::move(apply_rule);
  for (size_t i = 0; i < t->fields_.size(); ++i) {
    Field& f = t->fields_[i];
    if (!f.handler) return util::Status::Internal("type " + t->name_ + ": field " + f.name + " has no handler");
    if (f.target < 0) f.target = static_cast<int>(i);
    if (f.target >= static_cast<int>(t->fields_.size()))
      return util::Status::Internal("type " + t->name_ + ": field " + f.name + " targets nothing");
    if (f.pattern) {
      t->patterns_.push_back(static_cast<int>(i));
      continue;
    }
    auto [it, inserted] = t->index_.emplace(util::ToLower(f.name), static_cast<int>(i));
    if (!inserted) return util::Status::Internal("type " + t->name_ + ": duplicate field " + f.name);
  }
  // Defaults are parsed once here; allocation copies them.
  std::vector<FieldValue> defaults(t->fields_.size());
  for (const Field& f : t->fields_) {
    if (!f.has_default || f.default_text.empty()) continue;
    util::Status s = f.handler->Parse(f.default_text, defaults[f.target]);
    if (!s.ok())
      return util::Status::Internal("type " + t->name_ + ": default of " + f.name + " does not parse: " +
                                    s.message());
  }
  // One value per field: a value caches how its own field prints it.
  for (auto& d : defaults) t->defaults_.push_back(std::make_shared<const StoredValue>(std::move(d)));
  std::vector<bool> placed(t->fields_.size(), false);
  bool extended_placed = false;
  for (const std::string& n : output_order) {
    if (n == "^@") {
      t->output_order_.push_back(kExtendedMarker);
      extended_placed = true;
      continue;
    }
    int i = -1;
    for (size_t k = 0; k < t->fields_.size(); ++k)
      if (t->fields_[k].name == n) i = static_cast<int>(k);
    if (i < 0) return util::Status::Internal("type " + t->name_ + ": output order names unknown field " + n);
    if (placed[i]) continue;
    placed[i] = true;
    t->output_order_.push_back(i);
  }
  for (size_t i = 0; i < t->fields_.size(); ++i)
    if (!placed[i]) t->output_order_.push_back(static_cast<int>(i));
  if (!extended_placed) t->output_order_.push_back(kExtendedMarker);
  t->output_pos_.assign(t->fields_.size(), 0);
  for (size_t p = 0; p < t->output_order_.size(); ++p)
    if (t->output_order_[p] != kExtendedMarker) t->output_pos_[t->output_order_[p]] = static_cast<uint32_t>(p);
  RenderDefaultPieces(*t);
  return t;
}

int ObjectType::FindField(std::string_view name) const {
  const bool lower = std::none_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  auto it = lower ? index_.find(name) : index_.find(util::ToLower(name));
  if (it != index_.end()) return it->second;
  for (int i : patterns_) {
    const std::string& prefix = fields_[i].name;
    if (name.size() >= prefix.size() && util::IEquals(name.substr(0, prefix.size()), prefix)) return i;
  }
  return -1;
}

}  // namespace sorcery

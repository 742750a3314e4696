#include "sorcery/object.h"

#include "util/json.h"
#include "util/strings.h"

namespace sorcery {

namespace {

const FieldValue& EmptyValue() {
  static const FieldValue empty;
  return empty;
}

// Walks the type's output order and hands every printed (name, value) pair to `emit`.
// storage=false: what ARI shows. storage=true: what a storage backend keeps.
template <typename Emit>
void WalkObjectSet(const ObjectType& type, const std::vector<SharedFieldValue>& values,
                   const ObjectSet& extended, bool storage, Emit&& emit) {
  std::vector<std::string> rendered;
  for (int idx : type.output_order()) {
    if (idx == ObjectType::kExtendedMarker) {
      for (const auto& [n, v] : extended) emit(n, v);
      continue;
    }
    const Field& f = type.fields()[idx];
    if (f.target != idx) continue;  // aliases print nothing of their own
    switch (f.output) {
      case Output::kNever:
        continue;
      case Output::kStorageOnly:
        if (!storage) continue;
        break;
      default:
        break;
    }
    rendered.clear();
    f.handler->Render(*values[idx], rendered);
    if (rendered.empty()) {
      if (storage || f.pattern || f.output == Output::kOmitWhenEmpty || f.output == Output::kStorageOnly) continue;
      emit(f.name, std::string_view());
      continue;
    }
    if (f.pattern) {
      // Entries "<attribute>=<value>" print under their own attribute names.
      for (const auto& r : rendered) {
        auto eq = r.find('=');
        if (eq == std::string::npos) continue;
        emit(std::string_view(r).substr(0, eq), std::string_view(r).substr(eq + 1));
      }
      continue;
    }
    for (const auto& r : rendered) emit(f.name, r);
  }
}

}  // namespace

const FieldValue& Object::Value(std::string_view name) const {
  int i = type_->FindField(name);
  if (i < 0) return EmptyValue();
  return *values_[type_->fields()[i].target];
}

std::string Object::Get(std::string_view name) const {
  int i = type_->FindField(name);
  if (i < 0) return {};
  const Field& f = type_->fields()[i];
  std::vector<std::string> rendered;
  f.handler->Render(*values_[f.target], rendered);
  std::string out;
  for (size_t k = 0; k < rendered.size(); ++k) {
    if (k) out += ',';
    out += rendered[k];
  }
  return out;
}

ObjectSet Object::ApiObjectSet() const {
  ObjectSet out;
  out.reserve(type_->fields().size() + extended_.size());
  WalkObjectSet(*type_, values_, extended_, false,
                [&](std::string_view n, std::string_view v) { out.emplace_back(n, v); });
  return out;
}

void Object::AppendStorageJson(std::string& out) const {
  out += '{';
  bool first = true;
  WalkObjectSet(*type_, values_, extended_, true, [&](std::string_view n, std::string_view v) {
    if (!first) out += ',';
    first = false;
    util::json::AppendString(out, n);
    out += ':';
    util::json::AppendString(out, v);
  });
  out += '}';
}

ObjectSet Object::StorageObjectSet() const {
  ObjectSet out;
  out.reserve(type_->fields().size() + extended_.size());
  WalkObjectSet(*type_, values_, extended_, true,
                [&](std::string_view n, std::string_view v) { out.emplace_back(n, v); });
  return out;
}

ObjectBuilder::ObjectBuilder(ObjectTypePtr type, std::string id)
    : type_(std::move(type)), id_(std::move(id)), values_(type_->defaults()) {}

ObjectBuilder::ObjectBuilder(const Object& from)
    : type_(from.type_), id_(from.id_), values_(from.values_), extended_(from.extended_) {}

util::Status ObjectBuilder::Set(std::string_view name, std::string_view value) {
  if (!name.empty() && name.front() == '@') {
    for (auto& [n, v] : extended_) {
      if (n == name) {
        v = std::string(value);
        return util::Status::Ok();
      }
    }
    extended_.emplace_back(std::string(name), std::string(value));
    return util::Status::Ok();
  }
  int i = type_->FindField(name);
  if (i < 0) {
    // Every type accepts `type` (it names the type in .conf files) and ignores it.
    if (util::IEquals(name, "type")) return util::Status::Ok();
    return util::Status::Invalid("unknown attribute '" + std::string(name) + "'");
  }
  const Field& f = type_->fields()[i];
  SharedFieldValue& slot = values_[f.target];
  FieldValue candidate = *slot;
  util::Status s = f.pattern ? f.handler->Parse(std::string(name) + "=" + std::string(value), candidate)
                             : f.handler->Parse(value, candidate);
  if (!s.ok())
    return util::Status::Invalid("attribute '" + (f.pattern ? std::string(name) : f.name) + "' value '" +
                                 std::string(value) + "': " + s.message());
  if (candidate != *slot) slot = std::make_shared<const FieldValue>(std::move(candidate));
  return util::Status::Ok();
}

util::Status ObjectBuilder::Apply(const ObjectSet& pairs) {
  for (const auto& [n, v] : pairs) {
    util::Status s = Set(n, v);
    if (!s.ok()) return s;
  }
  return util::Status::Ok();
}

const FieldValue& ObjectBuilder::Value(std::string_view name) const {
  int i = type_->FindField(name);
  if (i < 0) return EmptyValue();
  return *values_[type_->fields()[i].target];
}

void ObjectBuilder::SetValue(std::string_view name, FieldValue value) {
  int i = type_->FindField(name);
  if (i < 0) return;
  SharedFieldValue& slot = values_[type_->fields()[i].target];
  if (*slot != value) slot = std::make_shared<const FieldValue>(std::move(value));
}

std::string_view ObjectBuilder::Scalar(std::string_view name) const {
  const FieldValue& v = Value(name);
  return v.empty() ? std::string_view() : std::string_view(v.front());
}

util::Result<ObjectPtr> ObjectBuilder::Finish() {
  if (type_->apply_rule()) {
    util::Status s = type_->apply_rule()(*this);
    if (!s.ok()) return s;
  }
  std::shared_ptr<Object> obj(new Object());
  obj->type_ = type_;
  obj->id_ = id_;
  // The builder is spent after Finish: its values move into the object.
  obj->values_ = std::move(values_);
  obj->extended_ = std::move(extended_);
  std::string& json = obj->api_json_;
  json.reserve(64 * type_->fields().size());
  json += '[';
  bool first = true;
  WalkObjectSet(*obj->type_, obj->values_, obj->extended_, false, [&](std::string_view n, std::string_view v) {
    if (!first) json += ',';
    first = false;
    json += "{\"attribute\":";
    util::json::AppendString(json, n);
    json += ",\"value\":";
    util::json::AppendString(json, v);
    json += '}';
  });
  json += ']';
  return ObjectPtr(std::move(obj));
}

}  // namespace sorcery

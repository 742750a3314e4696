#include "sorcery/object.h"

#include <algorithm>
#include <thread>

#include "util/json.h"
#include "util/strings.h"

namespace sorcery {

namespace {

const FieldValue& EmptyValue() {
  static const FieldValue empty;
  return empty;
}

// A field's value in a builder: its own, or the type's default where it has none.
const StoredValue& At(const ObjectType& type, const std::vector<SharedFieldValue>& values, size_t idx) {
  const SharedFieldValue& v = values[idx];
  return v ? *v : *type.defaults()[idx];
}

// A field's value in an object (a short list to search).
const StoredValue& At(const ObjectType& type, const std::vector<OwnValue>& own, size_t idx) {
  for (const OwnValue& o : own)
    if (o.idx == idx) return *o.value;
  return *type.defaults()[idx];
}

// Walks an object's values in output order: the next own value if it stands at `pos`, else the
// default.
class InOrder {
 public:
  InOrder(const ObjectType& type, const std::vector<OwnValue>& own) : type_(type), own_(own) {}
  const StoredValue& At(size_t pos, int idx) {
    if (next_ < own_.size() && own_[next_].pos == pos) return *own_[next_++].value;
    return *type_.defaults()[idx];
  }

 private:
  const ObjectType& type_;
  const std::vector<OwnValue>& own_;
  size_t next_ = 0;
};

// Hands every printed (name, value) pair of one field to `emit`.
// storage=false: what ARI shows. storage=true: what a storage backend keeps.
template <typename Emit>
void RenderField(const Field& f, const FieldValue& value, bool storage, Emit&& emit) {
  switch (f.output) {
    case Output::kNever:
      return;
    case Output::kStorageOnly:
      if (!storage) return;
      break;
    default:
      break;
  }
  std::vector<std::string> rendered;
  f.handler->Render(value, rendered);
  if (rendered.empty()) {
    if (storage || f.pattern || f.output == Output::kOmitWhenEmpty || f.output == Output::kStorageOnly) return;
    emit(f.name, std::string_view());
    return;
  }
  if (f.pattern) {
    // Entries "<attribute>=<value>" print under their own attribute names.
    for (const auto& r : rendered) {
      auto eq = r.find('=');
      if (eq == std::string::npos) continue;
      emit(std::string_view(r).substr(0, eq), std::string_view(r).substr(eq + 1));
    }
    return;
  }
  for (const auto& r : rendered) emit(f.name, r);
}

// Walks the type's output order and hands every printed (name, value) pair to `emit`.
template <typename Emit>
void WalkObjectSet(const ObjectType& type, const std::vector<OwnValue>& own, const ObjectSet& extended,
                   bool storage, Emit&& emit) {
  InOrder values(type, own);
  const std::vector<int>& order = type.output_order();
  for (size_t pos = 0; pos < order.size(); ++pos) {
    const int idx = order[pos];
    if (idx == ObjectType::kExtendedMarker) {
      for (const auto& [n, v] : extended) emit(n, v);
      continue;
    }
    const StoredValue& value = values.At(pos, idx);
    const Field& f = type.fields()[idx];
    if (f.target != idx) continue;  // aliases print nothing of their own
    RenderField(f, value.tokens, storage, emit);
  }
}

void AppendApiEntry(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty() && out.back() != '[') out += ',';
  out += "{\"attribute\":";
  util::json::AppendString(out, name);
  out += ",\"value\":";
  util::json::AppendString(out, value);
  out += '}';
}

void AppendStorageMember(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty() && out.back() != '{') out += ',';
  util::json::AppendString(out, name);
  out += ':';
  util::json::AppendString(out, value);
}

// The value's printed JSON for field `f`, computed on first use and kept in the value.
const StoredValue& Rendered(const Field& f, const StoredValue& v) {
  if (v.rendered.load(std::memory_order_acquire) == 2) return v;
  int expected = 0;
  if (!v.rendered.compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
    // Another thread renders this shared value right now (rare: a default's first use).
    while (v.rendered.load(std::memory_order_acquire) != 2) std::this_thread::yield();
    return v;
  }
  {
    RenderField(f, v.tokens, false, [&](std::string_view n, std::string_view val) {
      if (!v.api_json.empty()) v.api_json += ',';
      v.api_json += "{\"attribute\":";
      util::json::AppendString(v.api_json, n);
      v.api_json += ",\"value\":";
      util::json::AppendString(v.api_json, val);
      v.api_json += '}';
    });
    RenderField(f, v.tokens, true, [&](std::string_view n, std::string_view val) {
      if (!v.storage_json.empty()) v.storage_json += ',';
      util::json::AppendString(v.storage_json, n);
      v.storage_json += ':';
      util::json::AppendString(v.storage_json, val);
    });
  }
  v.rendered.store(2, std::memory_order_release);
  return v;
}

// The printed piece of one extended attribute, built in `entry`.
const std::string& ExtendedPiece(std::string& entry, std::string_view name, std::string_view value, bool storage) {
  entry.clear();
  if (storage) AppendStorageMember(entry, name, value);
  else AppendApiEntry(entry, name, value);
  return entry;
}

// The printed piece of one own value.
std::string_view OwnPiece(const ObjectType& type, const OwnValue& o, bool storage) {
  const StoredValue& r = Rendered(type.fields()[o.idx], *o.value);
  return storage ? r.storage_json : r.api_json;
}

// Hands each non-empty printed piece of the object, in output order, to `fn`: the JSON fragment
// of each field (its entries for ARI, or its members for storage; the type's rendered default
// where the object has no value of its own) and one piece per extended attribute.
template <typename Fn>
void ForEachPiece(const ObjectType& type, const std::vector<OwnValue>& own, const ObjectSet& extended,
                  bool storage, Fn&& fn) {
  const std::vector<std::string_view>& defaults = type.default_pieces(storage).at;
  const std::vector<int>& order = type.output_order();
  std::string entry;
  size_t next = 0;
  for (size_t pos = 0; pos < order.size(); ++pos) {
    std::string_view piece;
    if (next < own.size() && own[next].pos == pos) {
      piece = OwnPiece(type, own[next++], storage);
    } else if (order[pos] == ObjectType::kExtendedMarker) {
      for (const auto& [name, v] : extended) fn(std::string_view(ExtendedPiece(entry, name, v, storage)));
      continue;
    } else {
      piece = defaults[pos];
    }
    if (!piece.empty()) fn(piece);
  }
}

// The exact length AppendJoined will add (objects and stored records live long: their JSON is
// allocated at its size, not at an estimate): the defaults' total, corrected for the object's
// own values and extended attributes.
size_t JoinedSize(const ObjectType& type, const std::vector<OwnValue>& own, const ObjectSet& extended,
                  bool storage) {
  const ObjectType::DefaultPieces& d = type.default_pieces(storage);
  size_t bytes = d.bytes;
  size_t count = d.count;
  for (const OwnValue& o : own) {
    const std::string_view mine = OwnPiece(type, o, storage);
    const std::string_view def = d.at[o.pos];
    bytes = bytes + mine.size() - def.size();
    count = count + (mine.empty() ? 0 : 1) - (def.empty() ? 0 : 1);
  }
  std::string entry;
  for (const auto& [name, v] : extended) {
    bytes += ExtendedPiece(entry, name, v, storage).size();
    ++count;
  }
  return 2 + bytes + (count > 0 ? count - 1 : 0);  // [ ] or { }, and the commas
}

// Joins the pieces with commas, inside [ ] (ARI) or { } (storage).
void AppendJoined(const ObjectType& type, const std::vector<OwnValue>& own, const ObjectSet& extended,
                  bool storage, std::string& out) {
  out += storage ? '{' : '[';
  bool first = true;
  ForEachPiece(type, own, extended, storage, [&](std::string_view piece) {
    if (!first) out += ',';
    first = false;
    out += piece;
  });
  out += storage ? '}' : ']';
}

// AppendJoined into a string of exactly its size.
std::string Joined(const ObjectType& type, const std::vector<OwnValue>& own, const ObjectSet& extended,
                   bool storage) {
  std::string out;
  out.reserve(JoinedSize(type, own, extended, storage));
  AppendJoined(type, own, extended, storage, out);
  return out;
}

}  // namespace

void RenderDefaultPieces(ObjectType& type) {
  const std::vector<int>& order = type.output_order();
  for (ObjectType::DefaultPieces* d : {&type.api_pieces_, &type.storage_pieces_}) {
    const bool storage = d == &type.storage_pieces_;
    d->at.assign(order.size(), std::string_view());
    d->bytes = 0;
    d->count = 0;
    for (size_t pos = 0; pos < order.size(); ++pos) {
      const int idx = order[pos];
      if (idx == ObjectType::kExtendedMarker) continue;
      const Field& f = type.fields()[idx];
      if (f.target != idx) continue;  // aliases print nothing of their own
      const StoredValue& r = Rendered(f, *type.defaults()[idx]);
      const std::string& piece = storage ? r.storage_json : r.api_json;
      d->at[pos] = piece;
      d->bytes += piece.size();
      d->count += piece.empty() ? 0 : 1;
    }
  }
}

const FieldValue& Object::Value(std::string_view name) const {
  int i = type_->FindField(name);
  if (i < 0) return EmptyValue();
  return At(*type_, own_, type_->fields()[i].target).tokens;
}

const FieldValue& Object::ValueAt(size_t field_index) const { return At(*type_, own_, field_index).tokens; }

std::string Object::Get(std::string_view name) const {
  int i = type_->FindField(name);
  if (i < 0) return {};
  const Field& f = type_->fields()[i];
  std::vector<std::string> rendered;
  f.handler->Render(At(*type_, own_, f.target).tokens, rendered);
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
  WalkObjectSet(*type_, own_, extended_, false,
                [&](std::string_view n, std::string_view v) { out.emplace_back(n, v); });
  return out;
}

std::string Object::RenderApiJson() const { return Joined(*type_, own_, extended_, false); }

const std::string& Object::ApiJson() const {
  if (api_state_.load(std::memory_order_acquire) == 2) return api_json_;
  int expected = 0;
  if (api_state_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
    api_json_ = RenderApiJson();
    api_state_.store(2, std::memory_order_release);
  } else {
    while (api_state_.load(std::memory_order_acquire) != 2) std::this_thread::yield();
  }
  return api_json_;
}

void Object::AppendStorageJson(std::string& out) const { AppendJoined(*type_, own_, extended_, true, out); }

std::string Object::RenderStorageJson() const { return Joined(*type_, own_, extended_, true); }

ObjectSet Object::StorageObjectSet() const {
  ObjectSet out;
  out.reserve(type_->fields().size() + extended_.size());
  WalkObjectSet(*type_, own_, extended_, true,
                [&](std::string_view n, std::string_view v) { out.emplace_back(n, v); });
  return out;
}

// Defaults are not copied in: an empty slot reads the type's default (copying ~170 shared
// pointers meant as many atomic increments on counters every I/O thread shares).
ObjectBuilder::ObjectBuilder(ObjectTypePtr type, std::string id)
    : type_(std::move(type)), id_(std::move(id)), values_(type_->defaults().size()) {}

ObjectBuilder::ObjectBuilder(const Object& from)
    : type_(from.type_), id_(from.id_), values_(from.type_->defaults().size()), extended_(from.extended_) {
  for (const OwnValue& o : from.own_) values_[o.idx] = o.value;
}

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
  const FieldValue& current = At(*type_, values_, f.target).tokens;
  FieldValue candidate = current;
  util::Status s = f.pattern ? f.handler->Parse(std::string(name) + "=" + std::string(value), candidate)
                             : f.handler->Parse(value, candidate);
  if (!s.ok())
    return util::Status::Invalid("attribute '" + (f.pattern ? std::string(name) : f.name) + "' value '" +
                                 std::string(value) + "': " + s.message());
  if (candidate != current) slot = std::make_shared<const StoredValue>(std::move(candidate));
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
  return At(*type_, values_, type_->fields()[i].target).tokens;
}

void ObjectBuilder::SetValue(std::string_view name, FieldValue value) {
  int i = type_->FindField(name);
  if (i < 0) return;
  const int idx = type_->fields()[i].target;
  if (At(*type_, values_, idx).tokens != value) values_[idx] = std::make_shared<const StoredValue>(std::move(value));
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
  // The builder is spent after Finish: the values that are not defaults move into the object.
  size_t count = 0;
  for (const auto& v : values_) count += v ? 1 : 0;
  obj->own_.reserve(count);
  for (size_t idx = 0; idx < values_.size(); ++idx) {
    if (values_[idx])
      obj->own_.push_back(OwnValue{type_->output_position(idx), static_cast<uint32_t>(idx), std::move(values_[idx])});
  }
  std::sort(obj->own_.begin(), obj->own_.end(), [](const OwnValue& a, const OwnValue& b) { return a.pos < b.pos; });
  obj->extended_ = std::move(extended_);
  return ObjectPtr(std::move(obj));
}

}  // namespace sorcery

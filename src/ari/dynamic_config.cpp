#include "ari/dynamic_config.h"

#include <mutex>

namespace ari {

std::string MessageBody(std::string_view text) {
  std::string out = "{\"message\":";
  util::json::AppendString(out, text);
  out += '}';
  return out;
}

namespace {

AriReply Reply(int status, std::string reason, std::string_view message) {
  AriReply r;
  r.status = status;
  r.reason = std::move(reason);
  r.body = MessageBody(message);
  return r;
}

AriReply Forbidden(const util::Status& s) { return Reply(403, "Forbidden", s.message()); }

}  // namespace

sorcery::TypeEntry* DynamicConfigResource::Lookup(const std::string& config_class, const std::string& object_type,
                                                  AriReply& error) {
  sorcery::Sorcery* instance = instances_.Find(config_class);
  if (!instance) {
    error = Reply(404, "Not Found", "configClass '" + config_class + "' not found");
    return nullptr;
  }
  sorcery::TypeEntry* entry = instance->Find(object_type);
  if (!entry || !entry->has_mappings()) {
    error = Reply(404, "Not Found", "objectType '" + object_type + "' not found");
    return nullptr;
  }
  return entry;
}

AriReply DynamicConfigResource::Get(const std::string& config_class, const std::string& object_type,
                                    const std::string& id) {
  AriReply error;
  sorcery::TypeEntry* entry = Lookup(config_class, object_type, error);
  if (!entry) return error;
  sorcery::ObjectPtr obj = entry->Retrieve(id);
  if (!obj) return Reply(404, "Not Found", "Object with id '" + id + "' not found");
  AriReply r;
  r.body = obj->ApiJson();
  return r;
}

AriReply DynamicConfigResource::Put(const std::string& config_class, const std::string& object_type,
                                    const std::string& id, const util::json::Value* body) {
  AriReply error;
  sorcery::TypeEntry* entry = Lookup(config_class, object_type, error);
  if (!entry) return error;

  std::lock_guard lock(entry->WriteLock(id));
  sorcery::ObjectPtr existing = entry->Retrieve(id);
  // The messages of a refused request (built only then).
  auto failed = [&] {
    return std::string(existing ? "Update" : "Creation") + " of object '" + id + "' failed field value validation";
  };

  const util::json::Value* fields = nullptr;
  if (body && body->is_object()) fields = body->Find("fields");
  if (!fields && existing)
    return Reply(400, "Bad request", "Fields must be provided to update object '" + id + "'");

  // Convert every element before touching the object: a malformed element refuses the whole request.
  sorcery::ObjectSet pairs;
  if (fields && fields->is_array()) {
    pairs.reserve(fields->items.size());
    for (size_t i = 0; i < fields->items.size(); ++i) {
      const util::json::Value& el = fields->items[i];
      auto where = [i] { return "fields[" + std::to_string(i) + "]"; };
      if (!el.is_object()) return Reply(400, "Bad request", failed() + ": " + where() + " is not an object");
      const util::json::Value* attr = el.Find("attribute");
      const util::json::Value* value = el.Find("value");
      if (!attr || !attr->is_string())
        return Reply(400, "Bad request", failed() + ": " + where() + " has no string 'attribute'");
      if (!value || !value->is_string())
        return Reply(400, "Bad request",
                     failed() + ": " + where() + " ('" + attr->text + "') has no string 'value'");
      pairs.emplace_back(attr->text, value->text);
    }
  }

  std::optional<sorcery::ObjectBuilder> builder;
  if (existing) builder.emplace(*existing);
  else builder.emplace(entry->type(), id);
  util::Status applied = builder->Apply(pairs);
  if (!applied.ok()) return Reply(400, "Bad request", failed() + ": " + applied.message());
  auto finished = builder->Finish();
  if (!finished.ok()) return Reply(400, "Bad request", failed() + ": " + finished.status().message());
  sorcery::ObjectPtr obj = *finished;

  sorcery::ChainWrite w = existing
                              ? entry->Update(existing, obj, instances_.Find(config_class)->update_or_create_on_update_miss)
                              : entry->Create(obj);
  if (!w.status.ok()) return Forbidden(w.status);
  AriReply r;
  r.body = obj->RenderApiJson();  // not kept in the object: a GET builds and keeps it if asked
  r.commit = w.commit;
  return r;
}

AriReply DynamicConfigResource::Delete(const std::string& config_class, const std::string& object_type,
                                       const std::string& id) {
  AriReply error;
  sorcery::TypeEntry* entry = Lookup(config_class, object_type, error);
  if (!entry) return error;
  std::lock_guard lock(entry->WriteLock(id));
  sorcery::ObjectPtr obj = entry->Retrieve(id);
  if (!obj) return Reply(404, "Not Found", "Object with id '" + id + "' not found");
  sorcery::ChainWrite w = entry->Delete(obj);
  if (!w.status.ok()) return Forbidden(w.status);
  AriReply r;
  r.status = 204;
  r.reason = "No Content";
  r.commit = w.commit;
  return r;
}

}  // namespace ari

#include "wizards/astdb_wizard.h"

#include <mutex>

#include "astdb/astdb.h"
#include "util/log.h"
#include "wizards/wizards.h"

namespace wizards {

namespace {
// The wizard whose Create is writing on this thread: its listener leaves the cache alone, since
// Create puts the new object there itself right after.
thread_local const AstdbWizard* tl_writing = nullptr;
}  // namespace

AstdbWizard::AstdbWizard(sorcery::ObjectTypePtr type, astdb::Astdb& db, std::string prefix)
    : type_(std::move(type)), db_(db) {
  family_ = "/" + prefix + "/" + type_->name();
  key_prefix_ = family_ + "/";
  listener_ = db_.AddListener([this](std::string_view key) {
    if (key.substr(0, key_prefix_.size()) != key_prefix_) return;
    generation_.fetch_add(1);  // a concurrent RetrieveId must not cache what it read before
    if (tl_writing == this) return;
    const std::string_view id = key.substr(key_prefix_.size());
    auto& shard = cache_.Of(id);
    std::unique_lock lock(shard.mu);
    shard.objects.erase(std::string(id));
  });
}

AstdbWizard::~AstdbWizard() { db_.RemoveListener(listener_); }

sorcery::ObjectPtr AstdbWizard::Parse(const std::string& id, std::string_view json) {
  auto obj = ObjectFromStorageJson(type_, id, json);
  if (!obj.ok()) {
    util::LogWarning("astdb record " + key_prefix_ + id + " cannot be loaded: " + obj.status().message());
    return nullptr;
  }
  return *obj;
}

void AstdbWizard::Remember(const std::string& id, const sorcery::ObjectPtr& obj, uint64_t seen_generation) {
  auto& shard = cache_.Of(id);
  std::unique_lock lock(shard.mu);
  // A change since the row was read makes this copy stale: keep it out of the cache.
  if (generation_.load() != seen_generation) return;
  shard.objects[id] = obj;
}

sorcery::ObjectPtr AstdbWizard::RetrieveId(std::string_view id) {
  std::string key(id);
  {
    const auto& shard = cache_.Of(key);
    std::shared_lock lock(shard.mu);
    auto it = shard.objects.find(key);
    if (it != shard.objects.end()) return it->second;
  }
  uint64_t gen = generation_.load();
  auto value = db_.GetKey(key_prefix_ + key);
  if (!value) return nullptr;
  sorcery::ObjectPtr obj = Parse(key, *value);
  if (obj) Remember(key, obj, gen);
  return obj;
}

void AstdbWizard::RetrieveAll(std::vector<sorcery::ObjectPtr>& out) {
  std::vector<std::pair<std::string, std::string>> rows;
  uint64_t gen = generation_.load();
  {
    // Take cached objects without copying (or rebuilding) their rows.
    std::shared_lock<std::shared_mutex> locks[ObjectShards::kCount];
    for (size_t i = 0; i < ObjectShards::kCount; ++i) locks[i] = std::shared_lock(cache_.all()[i].mu);
    db_.ForEachPrefix(key_prefix_, [&](const astdb::Astdb::RowView& row) {
      std::string id(row.key().substr(key_prefix_.size()));
      const auto& shard = cache_.Of(id);
      auto it = shard.objects.find(id);
      if (it != shard.objects.end()) {
        out.push_back(it->second);
      } else {
        rows.emplace_back(std::move(id), std::string(row.value()));
      }
    });
  }
  for (auto& [id, value] : rows) {
    sorcery::ObjectPtr obj = Parse(id, value);
    if (!obj) continue;  // unlike Asterisk, one bad record does not hide the ones after it
    Remember(id, obj, gen);
    out.push_back(std::move(obj));
  }
}

sorcery::WriteOutcome AstdbWizard::Create(const sorcery::ObjectPtr& object) {
  tl_writing = this;
  util::CommitPtr commit = db_.PutKeyOwned(key_prefix_ + object->id(), StorageJson(*object));
  tl_writing = nullptr;
  // Refused at once (too large to store): nothing changed, so nothing to cache.
  if (commit->done() && !commit->Wait()) return {util::Status::Ok(), commit};
  {
    auto& shard = cache_.Of(object->id());
    std::unique_lock lock(shard.mu);
    shard.objects[object->id()] = object;
  }
  return {util::Status::Ok(), commit};
}

sorcery::WriteOutcome AstdbWizard::Update(const sorcery::ObjectPtr& object, bool create_on_miss) {
  if (!create_on_miss && !db_.HasKey(key_prefix_ + object->id()))
    return {util::Status::NotFound("no astdb record for '" + object->id() + "'"), nullptr};
  return Create(object);
}

sorcery::WriteOutcome AstdbWizard::Delete(const sorcery::ObjectPtr& object) {
  util::CommitPtr commit = db_.DelKey(key_prefix_ + object->id());
  if (!commit) return {util::Status::NotFound("no astdb record for '" + object->id() + "'"), nullptr};
  return {util::Status::Ok(), commit};
}

}  // namespace wizards

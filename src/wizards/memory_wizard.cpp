#include "wizards/memory_wizard.h"

#include <mutex>

namespace wizards {

sorcery::ObjectPtr MemoryWizard::RetrieveId(std::string_view id) {
  const auto& shard = objects_.Of(id);
  std::shared_lock lock(shard.mu);
  auto it = shard.objects.find(std::string(id));
  return it == shard.objects.end() ? nullptr : it->second;
}

void MemoryWizard::RetrieveAll(std::vector<sorcery::ObjectPtr>& out) {
  for (auto& shard : objects_.all()) {
    std::shared_lock lock(shard.mu);
    for (const auto& [id, obj] : shard.objects) out.push_back(obj);
  }
}

sorcery::WriteOutcome MemoryWizard::Create(const sorcery::ObjectPtr& object) {
  auto& shard = objects_.Of(object->id());
  std::unique_lock lock(shard.mu);
  auto [it, inserted] = shard.objects.emplace(object->id(), object);
  if (!inserted) return {util::Status::Exists("object '" + object->id() + "' exists"), nullptr};
  return {util::Status::Ok(), util::Commit::Done()};
}

sorcery::WriteOutcome MemoryWizard::Update(const sorcery::ObjectPtr& object, bool create_on_miss) {
  auto& shard = objects_.Of(object->id());
  std::unique_lock lock(shard.mu);
  auto it = shard.objects.find(object->id());
  if (it == shard.objects.end()) {
    if (!create_on_miss) return {util::Status::NotFound("object '" + object->id() + "' not held"), nullptr};
    shard.objects.emplace(object->id(), object);
  } else {
    it->second = object;
  }
  return {util::Status::Ok(), util::Commit::Done()};
}

sorcery::WriteOutcome MemoryWizard::Delete(const sorcery::ObjectPtr& object) {
  auto& shard = objects_.Of(object->id());
  std::unique_lock lock(shard.mu);
  if (shard.objects.erase(object->id()) == 0)
    return {util::Status::NotFound("object '" + object->id() + "' not held"), nullptr};
  return {util::Status::Ok(), util::Commit::Done()};
}

void MemoryWizard::Expire(std::string_view id) {
  auto& shard = objects_.Of(id);
  std::unique_lock lock(shard.mu);
  shard.objects.erase(std::string(id));
}

}  // namespace wizards

#include "wizards/memory_wizard.h"

#include <mutex>

namespace wizards {

sorcery::ObjectPtr MemoryWizard::RetrieveId(std::string_view id) {
  std::shared_lock lock(mu_);
  auto it = objects_.find(std::string(id));
  return it == objects_.end() ? nullptr : it->second;
}

void MemoryWizard::RetrieveAll(std::vector<sorcery::ObjectPtr>& out) {
  std::shared_lock lock(mu_);
  for (const auto& [id, obj] : objects_) out.push_back(obj);
}

sorcery::WriteOutcome MemoryWizard::Create(const sorcery::ObjectPtr& object) {
  std::unique_lock lock(mu_);
  auto [it, inserted] = objects_.emplace(object->id(), object);
  if (!inserted) return {util::Status::Exists("object '" + object->id() + "' exists"), nullptr};
  return {util::Status::Ok(), util::Commit::Done()};
}

sorcery::WriteOutcome MemoryWizard::Update(const sorcery::ObjectPtr& object, bool create_on_miss) {
  std::unique_lock lock(mu_);
  auto it = objects_.find(object->id());
  if (it == objects_.end()) {
    if (!create_on_miss) return {util::Status::NotFound("object '" + object->id() + "' not held"), nullptr};
    objects_.emplace(object->id(), object);
  } else {
    it->second = object;
  }
  return {util::Status::Ok(), util::Commit::Done()};
}

sorcery::WriteOutcome MemoryWizard::Delete(const sorcery::ObjectPtr& object) {
  std::unique_lock lock(mu_);
  if (objects_.erase(object->id()) == 0)
    return {util::Status::NotFound("object '" + object->id() + "' not held"), nullptr};
  return {util::Status::Ok(), util::Commit::Done()};
}

void MemoryWizard::Expire(std::string_view id) {
  std::unique_lock lock(mu_);
  objects_.erase(std::string(id));
}

}  // namespace wizards

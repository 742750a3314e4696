// memory: objects held in hash tables (ObjectShards); nothing survives a restart.
#pragma once

#include <memory>
#include <string>

#include "sorcery/wizard.h"
#include "wizards/object_shards.h"

namespace wizards {

class MemoryWizard : public sorcery::Wizard {
 public:
  sorcery::ObjectPtr RetrieveId(std::string_view id) override;
  void RetrieveAll(std::vector<sorcery::ObjectPtr>& out) override;
  // Exists when the id is already held.
  sorcery::WriteOutcome Create(const sorcery::ObjectPtr& object) override;
  sorcery::WriteOutcome Update(const sorcery::ObjectPtr& object, bool create_on_miss) override;
  sorcery::WriteOutcome Delete(const sorcery::ObjectPtr& object) override;
  void Expire(std::string_view id) override;

 private:
  ObjectShards objects_;
};

}  // namespace wizards

// astdb: objects stored as JSON object sets in the AstDB under /<prefix>/<type>/<id>, the layout
// Asterisk's res_sorcery_astdb uses, so either program reads what the other wrote.
//
// Parsed objects are cached; the cache follows every change of the AstDB rows (including
// `database put` from the console) through an AstDB listener.
#pragma once

#include <atomic>
#include <string>

#include "sorcery/wizard.h"
#include "wizards/object_shards.h"

namespace astdb {
class Astdb;
}

namespace wizards {

class AstdbWizard : public sorcery::Wizard {
 public:
  // `prefix` is the sorcery.conf data ("ps_endpoints"); must not be empty.
  AstdbWizard(sorcery::ObjectTypePtr type, astdb::Astdb& db, std::string prefix);
  ~AstdbWizard() override;

  sorcery::ObjectPtr RetrieveId(std::string_view id) override;
  void RetrieveAll(std::vector<sorcery::ObjectPtr>& out) override;
  // Writes whether or not the key exists (Asterisk: INSERT OR REPLACE).
  sorcery::WriteOutcome Create(const sorcery::ObjectPtr& object) override;
  sorcery::WriteOutcome Update(const sorcery::ObjectPtr& object, bool create_on_miss) override;
  sorcery::WriteOutcome Delete(const sorcery::ObjectPtr& object) override;

  const std::string& family() const { return family_; }

 private:
  sorcery::ObjectPtr Parse(const std::string& id, std::string_view json);
  void Remember(const std::string& id, const sorcery::ObjectPtr& obj, uint64_t seen_generation);

  sorcery::ObjectTypePtr type_;
  astdb::Astdb& db_;
  std::string family_;      // "/ps_endpoints/endpoint"
  std::string key_prefix_;  // "/ps_endpoints/endpoint/"
  int listener_ = -1;
  std::atomic<uint64_t> generation_{0};
  ObjectShards cache_;
};

}  // namespace wizards

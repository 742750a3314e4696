// Sorcery: instances (one per configClass, e.g. "res_pjsip"), their object types, and the wizard
// chain of each type, with create/retrieve/update/delete dispatched the way Asterisk's sorcery does.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"
#include "sorcery/object.h"
#include "sorcery/wizard.h"
#include "util/commit.h"
#include "util/status.h"

namespace sorcery {

// Told about every change that went through sorcery, after it happened (in memory), on the
// thread that made it. Must not block.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void Created(const ObjectPtr& /*object*/) {}
  virtual void Updated(const ObjectPtr& /*before*/, const ObjectPtr& /*after*/) {}
  virtual void Deleted(const ObjectPtr& /*object*/) {}
  virtual void Loaded(const std::string& /*type*/) {}
};

// One line of sorcery.conf applied to a type.
struct WizardMapping {
  std::string wizard_name;
  std::string data;
  bool caching = false;
  std::unique_ptr<Wizard> wizard;
};

// The result of a write through the chain.
struct ChainWrite {
  util::Status status;      // ok when at least one wizard did it
  util::CommitPtr commit;   // completes when every wizard that did it is durable
};

// A type with its wizard chain. Thread-safe: reads take no lock beyond the wizards' own; writes to
// one id are serialised by the caller through WriteLock().
class TypeEntry {
 public:
  explicit TypeEntry(ObjectTypePtr type) : type_(std::move(type)) {}

  const ObjectTypePtr& type() const { return type_; }
  const std::vector<WizardMapping>& mappings() const { return mappings_; }
  bool has_mappings() const { return !mappings_.empty(); }

  // Appends a mapping; a wizard name already mapped to this type is ignored (as Asterisk does).
  // Returns false when it was ignored.
  bool AddMapping(WizardMapping mapping);

  // First wizard (in mapping order) holding the id wins; a hit from a non-cache wizard is then
  // put into every cache. nullptr when none holds it.
  ObjectPtr Retrieve(std::string_view id) const;
  // Union over wizards sorted by id, first wizard's copy wins for duplicate ids; stops after the
  // first cache that returned something.
  std::vector<ObjectPtr> RetrieveAll() const;
  // Objects whose id matches the POSIX extended regex (empty = all). Invalid regex -> error.
  util::Result<std::vector<ObjectPtr>> RetrieveRegex(std::string_view regex) const;

  // Offered to every writable non-cache wizard in order; ok when at least one accepted. Caches are
  // then updated and observers told. Failures: Forbidden with Asterisk's message text.
  ChainWrite Create(const ObjectPtr& object);
  ChainWrite Update(const ObjectPtr& before, const ObjectPtr& after, bool create_on_miss);
  ChainWrite Delete(const ObjectPtr& object);

  // Load / reload every wizard in order; the first failure is returned after trying all.
  util::Status Load();
  util::Status Reload();

  void AddObserver(std::shared_ptr<Observer> observer);

  // Serialises writers of one id (striped by hash).
  std::mutex& WriteLock(std::string_view id) const;

 private:
  ObjectTypePtr type_;
  std::vector<WizardMapping> mappings_;
  std::vector<std::shared_ptr<Observer>> observers_;
  mutable std::array<std::mutex, 64> write_locks_;
};

// One sorcery instance: the object types of one module (the ARI configClass).
class Sorcery {
 public:
  explicit Sorcery(std::string module) : module_(std::move(module)) {}

  const std::string& module() const { return module_; }

  // Adds a type (no mappings yet). Re-registering a name replaces nothing and returns false.
  bool RegisterType(ObjectTypePtr type);
  TypeEntry* Find(std::string_view type_name);
  const TypeEntry* Find(std::string_view type_name) const;
  std::vector<std::string> TypeNames() const;

  // Applies the mapping lines of one sorcery.conf section ("type[/options] = wizard[,data]").
  // Lines for types this instance does not know are logged and skipped. An unknown wizard, or a
  // wizard that refuses its data, is an error naming file and line; the instance is then unusable.
  util::Status ApplyMappings(const conf::Section& section, const WizardRegistry& wizards);
  // Gives every type without a mapping its default one (e.g. config,pjsip.conf,criteria=type=aor).
  util::Status ApplyDefaultMappings(const WizardRegistry& wizards);

  util::Status LoadAll();
  util::Status ReloadAll();

  // sorcery.conf [general] update_or_create_on_update_miss.
  bool update_or_create_on_update_miss = false;

 private:
  util::Status AddMappingLine(TypeEntry& entry, std::string_view options, std::string_view value,
                              const WizardRegistry& wizards, const std::string& where);
  std::string module_;
  std::map<std::string, std::unique_ptr<TypeEntry>, std::less<>> types_;
};

// All instances, found by module name (configClass). Exact, case-sensitive names.
class InstanceRegistry {
 public:
  // The instance named `module`, created on first use.
  Sorcery& Open(const std::string& module);
  Sorcery* Find(std::string_view module);
  std::vector<Sorcery*> All();

 private:
  std::map<std::string, std::unique_ptr<Sorcery>, std::less<>> instances_;
};

// Applies a whole sorcery.conf: [general] settings, then every section to the instance it names.
// Sections named after PJSIP sub-modules ([res_pjsip_endpoint_identifier_ip], [acl], ...) apply to
// the instance `aliases` maps them to.
util::Status ApplySorceryConf(const conf::Config& config, InstanceRegistry& registry,
                              const WizardRegistry& wizards,
                              const std::map<std::string, std::string, std::less<>>& aliases);

}  // namespace sorcery

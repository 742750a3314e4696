// Wizards: storage drivers behind one interface. A type's objects live in an ordered chain of
// wizards built from sorcery.conf; each wizard is opened per (type, data) by a factory registered
// under the wizard's name ("config", "memory", "astdb", ...).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sorcery/object.h"
#include "util/commit.h"
#include "util/status.h"

namespace sorcery {

// The result of one wizard's create/update/delete. `status.ok()` means this wizard did the write;
// `commit` (when set) completes once it is durable.
struct WriteOutcome {
  util::Status status;
  util::CommitPtr commit;
};

class Wizard {
 public:
  virtual ~Wizard() = default;

  // False for read-only wizards (config); sorcery then never offers them writes.
  virtual bool writable() const { return true; }

  // Reads the backing store, for wizards that hold a copy of it (config). Called at start-up.
  virtual util::Status Load() { return util::Status::Ok(); }
  // Re-reads the backing store on `module reload` / `core reload`. On failure the previous objects
  // stay in place.
  virtual util::Status Reload() { return Load(); }

  // The object with this id, or nullptr.
  virtual ObjectPtr RetrieveId(std::string_view id) = 0;
  // Appends every object this wizard holds (any order).
  virtual void RetrieveAll(std::vector<ObjectPtr>& out) = 0;

  // Stores a new object. Fails (Exists) when the wizard already holds that id, if it checks.
  virtual WriteOutcome Create(const ObjectPtr& object) = 0;
  // Replaces an object the wizard holds. When it does not hold it: NotFound, unless
  // `create_on_miss` (sorcery.conf update_or_create_on_update_miss), then it creates it.
  virtual WriteOutcome Update(const ObjectPtr& object, bool create_on_miss) = 0;
  // Removes the object with the object's id; NotFound when it does not hold it.
  virtual WriteOutcome Delete(const ObjectPtr& object) = 0;

  // Caches only: forget one object / everything (memory_cache expiry, cluster invalidation).
  virtual void Expire(std::string_view /*id*/) {}
};

// Opens a wizard for `type` with the text after the wizard name in sorcery.conf
// (e.g. "ps_endpoints" for astdb, "pjsip.conf,criteria=type=endpoint" for config).
// A bad `data` is an Invalid status whose message says why.
using WizardFactory =
    std::function<util::Result<std::unique_ptr<Wizard>>(const ObjectTypePtr& type, std::string_view data)>;

class WizardRegistry {
 public:
  void Register(std::string name, WizardFactory factory) { factories_[std::move(name)] = std::move(factory); }
  const WizardFactory* Find(std::string_view name) const {
    auto it = factories_.find(std::string(name));
    return it == factories_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, WizardFactory> factories_;
};

}  // namespace sorcery

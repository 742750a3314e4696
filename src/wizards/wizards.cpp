#include "wizards/wizards.h"

#include "util/json.h"
#include "wizards/astdb_wizard.h"
#include "wizards/config_wizard.h"
#include "wizards/memory_wizard.h"

namespace wizards {

void RegisterBuiltinWizards(sorcery::WizardRegistry& registry, const Environment& env) {
  std::string config_dir = env.config_dir;
  registry.Register("config", [config_dir](const sorcery::ObjectTypePtr& type, std::string_view data)
                                  -> util::Result<std::unique_ptr<sorcery::Wizard>> {
    auto w = ConfigWizard::Open(type, config_dir, data);
    if (!w.ok()) return w.status();
    return std::unique_ptr<sorcery::Wizard>(std::move(w).value());
  });
  registry.Register("memory", [](const sorcery::ObjectTypePtr&, std::string_view)
                                  -> util::Result<std::unique_ptr<sorcery::Wizard>> {
    return std::unique_ptr<sorcery::Wizard>(std::make_unique<MemoryWizard>());
  });
  astdb::Astdb* db = env.astdb;
  registry.Register("astdb", [db](const sorcery::ObjectTypePtr& type, std::string_view data)
                                 -> util::Result<std::unique_ptr<sorcery::Wizard>> {
    std::string prefix(data);
    if (prefix.empty()) return util::Status::Invalid("astdb needs a family prefix, e.g. astdb,ps_endpoints");
    if (!db) return util::Status::Invalid("the AstDB is not open");
    return std::unique_ptr<sorcery::Wizard>(std::make_unique<AstdbWizard>(type, *db, std::move(prefix)));
  });
}

std::string StorageJson(const sorcery::Object& object) { return object.RenderStorageJson(); }

util::Result<sorcery::ObjectPtr> ObjectFromStorageJson(const sorcery::ObjectTypePtr& type, std::string id,
                                                       std::string_view json) {
  auto parsed = util::json::Parse(json);
  if (!parsed.ok()) return util::Status::Invalid("stored value is not JSON: " + parsed.status().message());
  if (!parsed->is_object()) return util::Status::Invalid("stored value is not a JSON object");
  sorcery::ObjectBuilder builder(type, std::move(id));
  for (const auto& [name, value] : parsed->members) {
    if (!value.is_string()) return util::Status::Invalid("stored attribute '" + name + "' is not a string");
    if (name.empty() || (name.front() != '@' && type->FindField(name) < 0)) continue;
    util::Status s = builder.Set(name, value.text);
    if (!s.ok()) return s;
  }
  return builder.Finish();
}

}  // namespace wizards

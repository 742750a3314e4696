// config: read-only objects from a .conf file (pjsip.conf), selected by criteria, as
// res_sorcery_config does. Data: "<file>[,criteria=<name>=<value>]...[,explicit_name=<name>]
// [,single_object=yes|no][,integrity=file|object]".
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sorcery/wizard.h"

namespace wizards {

class ConfigWizard : public sorcery::Wizard {
 public:
  // Parses `data`; unknown options or a missing file name are errors. Does not read the file yet.
  static util::Result<std::unique_ptr<ConfigWizard>> Open(sorcery::ObjectTypePtr type, std::string config_dir,
                                                         std::string_view data);

  bool writable() const override { return false; }
  // Reads the file. A section that fails validation is skipped with a log line naming file, line,
  // field and value; the rest load. A missing file loads nothing (and is not an error).
  util::Status Load() override;
  util::Status Reload() override { return Load(); }

  sorcery::ObjectPtr RetrieveId(std::string_view id) override;
  void RetrieveAll(std::vector<sorcery::ObjectPtr>& out) override;
  sorcery::WriteOutcome Create(const sorcery::ObjectPtr&) override { return Refused(); }
  sorcery::WriteOutcome Update(const sorcery::ObjectPtr&, bool) override { return Refused(); }
  sorcery::WriteOutcome Delete(const sorcery::ObjectPtr&) override { return Refused(); }

  const std::string& path() const { return path_; }

 private:
  ConfigWizard() = default;
  static sorcery::WriteOutcome Refused() {
    return {util::Status::Unsupported("the config wizard is read-only"), nullptr};
  }
  sorcery::ObjectTypePtr type_;
  std::string path_;
  std::vector<std::pair<std::string, std::string>> criteria_;
  std::string explicit_name_;
  bool single_object_ = false;
  bool integrity_file_ = false;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, sorcery::ObjectPtr> objects_;
};

}  // namespace wizards

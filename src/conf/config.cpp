#include "conf/config.h"

#include <filesystem>

#include "conf/file_access.h"
#include "conf/parser.h"
#include "util/strings.h"

namespace conf {

const Variable* Section::Find(std::string_view name) const {
  for (const Variable& v : variables) {
    if (util::IEquals(v.name, name)) return &v;
  }
  return nullptr;
}

const Variable* Section::FindLast(std::string_view name) const {
  for (auto it = variables.rbegin(); it != variables.rend(); ++it) {
    if (util::IEquals(it->name, name)) return &*it;
  }
  return nullptr;
}

const Section* Config::Find(std::string_view name) const {
  for (const Section& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<const Section*> Config::FindAll(std::string_view name) const {
  std::vector<const Section*> found;
  for (const Section& s : sections) {
    if (s.name == name) found.push_back(&s);
  }
  return found;
}

util::Result<Config> ParseText(std::string_view text, const std::string& file_name,
                               const std::string& base_dir) {
  Parser parser(base_dir);
  util::Status status = parser.ParseMain(text, file_name);
  if (!status.ok()) return status;
  return parser.TakeConfig();
}

util::Result<Config> LoadFile(const std::string& path) {
  std::string text;
  ReadFailure failure;
  if (!ReadRegularFile(path, &text, &failure)) {
    return util::Status::Invalid(path + ": cannot read: " + failure.reason);
  }
  return ParseText(text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace conf

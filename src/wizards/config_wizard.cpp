#include "wizards/config_wizard.h"

#include <sys/stat.h>

#include <time.h>

#include <map>
#include <mutex>
#include <optional>

#include "conf/config.h"
#include "util/log.h"
#include "util/strings.h"

namespace wizards {

namespace {

// Identity of a file's content as far as stat can tell.
struct FileStamp {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> Stamp(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{st.st_dev, st.st_ino, st.st_size,
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

// Every type mapped to the config wizard reads the same pjsip.conf. One parse serves them all
// until the file, or any file it includes, changes.
util::Result<std::shared_ptr<const conf::Config>> LoadShared(const std::string& path) {
  struct Entry {
    std::shared_ptr<const conf::Config> config;
    std::vector<std::pair<std::string, std::optional<FileStamp>>> stamps;
  };
  static std::mutex mu;
  static std::map<std::string, Entry> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(path); it != cache.end()) {
    bool fresh = true;
    for (const auto& [file, stamp] : it->second.stamps) fresh = fresh && Stamp(file) == stamp;
    if (fresh) return it->second.config;
  }
  // Stamps taken before reading: a change during the read makes the next call read again.
  std::vector<std::pair<std::string, std::optional<FileStamp>>> stamps{{path, Stamp(path)}};
  auto parsed = conf::LoadFile(path);
  if (!parsed.ok()) {
    cache.erase(path);
    return parsed.status();
  }
  for (const std::string& f : parsed->files)
    if (f != path) stamps.emplace_back(f, Stamp(f));
  auto config = std::make_shared<const conf::Config>(std::move(parsed).value());
  // File times are coarser than a write: a file changed less than two seconds ago could change
  // again without its stamp moving, so such a parse is not kept (as git treats "racy" entries).
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  const int64_t now_ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  bool racy = false;
  for (const auto& [file, stamp] : stamps) racy = racy || !stamp || now_ns - stamp->mtime_ns < 2000000000;
  if (racy) cache.erase(path);
  else cache[path] = Entry{config, std::move(stamps)};
  return config;
}

}  // namespace

util::Result<std::unique_ptr<ConfigWizard>> ConfigWizard::Open(sorcery::ObjectTypePtr type, std::string config_dir,
                                                              std::string_view data) {
  std::unique_ptr<ConfigWizard> w(new ConfigWizard());
  w->type_ = std::move(type);
  auto parts = util::Split(data, ',');
  std::string_view file = util::Trim(parts.empty() ? std::string_view() : parts[0]);
  if (file.empty()) return util::Status::Invalid("no configuration file named");
  w->path_ = (file.front() == '/' || config_dir.empty()) ? std::string(file) : config_dir + "/" + std::string(file);
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view opt = util::Trim(parts[i]);
    if (opt.empty()) continue;
    auto eq = opt.find('=');
    if (eq == std::string_view::npos) return util::Status::Invalid("option '" + std::string(opt) + "' has no value");
    std::string_view name = opt.substr(0, eq), value = opt.substr(eq + 1);
    if (name == "criteria") {
      auto eq2 = value.find('=');
      if (eq2 == std::string_view::npos)
        return util::Status::Invalid("criteria '" + std::string(value) + "' is not name=value");
      w->criteria_.emplace_back(std::string(value.substr(0, eq2)), std::string(value.substr(eq2 + 1)));
    } else if (name == "explicit_name") {
      w->explicit_name_ = std::string(value);
    } else if (name == "single_object") {
      w->single_object_ = util::IsTrueWord(value);
    } else if (name == "integrity") {
      if (value == "file") w->integrity_file_ = true;
      else if (value == "object") w->integrity_file_ = false;
      else return util::Status::Invalid("integrity must be 'file' or 'object'");
    } else if (name == "buckets") {
      if (!util::ParseUint32(value)) return util::Status::Invalid("buckets must be a number");
    } else {
      return util::Status::Invalid("unknown option '" + std::string(name) + "'");
    }
  }
  return w;
}

util::Status ConfigWizard::Load() {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) {
    std::unique_lock lock(mu_);
    objects_.clear();
    return util::Status::Ok();
  }
  auto config = LoadShared(path_);
  if (!config.ok()) {
    util::LogError("Unable to load " + path_ + " for type '" + type_->name() + "': " + config.status().message());
    return config.status();
  }
  std::unordered_map<std::string, sorcery::ObjectPtr> loaded;
  std::unordered_map<std::string, sorcery::ObjectPtr> previous;
  {
    std::shared_lock lock(mu_);
    previous = objects_;
  }
  size_t qualifying = 0;
  for (const conf::Section& section : (*config)->sections) {
    bool by_name = !explicit_name_.empty() && section.name == explicit_name_;
    bool by_criteria = !criteria_.empty();
    for (const auto& [name, value] : criteria_) {
      const conf::Variable* v = section.Find(name);
      if (!v || v->value != value) {
        by_criteria = false;
        break;
      }
    }
    bool qualifies = (criteria_.empty() && explicit_name_.empty()) || by_name || by_criteria;
    if (!qualifies) continue;
    ++qualifying;
    std::string where = section.file + ":" + std::to_string(section.line);
    if (loaded.count(section.name)) {
      util::LogError(where + ": duplicate " + type_->name() + " '" + section.name + "'; " + path_ +
                     " not loaded for this type");
      return util::Status::Invalid(where + ": duplicate object '" + section.name + "'");
    }
    sorcery::ObjectBuilder builder(type_, section.name);
    util::Status s;
    for (const conf::Variable& var : section.variables) {
      s = builder.Set(var.name, var.value);
      if (!s.ok()) {
        s = util::Status::Invalid(var.file + ":" + std::to_string(var.line) + ": " + type_->name() + " '" +
                                  section.name + "': " + s.message());
        break;
      }
    }
    sorcery::ObjectPtr obj;
    if (s.ok()) {
      auto finished = builder.Finish();
      if (finished.ok()) obj = *finished;
      else s = util::Status::Invalid(where + ": " + type_->name() + " '" + section.name + "': " + finished.status().message());
    }
    if (!s.ok()) {
      util::LogError(s.message() + (integrity_file_ ? "; file not loaded" : "; object skipped"));
      if (integrity_file_) return s;
      if (auto it = previous.find(section.name); it != previous.end()) loaded[section.name] = it->second;
      continue;
    }
    loaded[section.name] = std::move(obj);
  }
  if (single_object_ && qualifying > 1) {
    util::LogError(path_ + ": more than one '" + type_->name() + "' object; not loaded for this type");
    return util::Status::Invalid(path_ + ": more than one '" + type_->name() + "' object");
  }
  std::unique_lock lock(mu_);
  objects_.swap(loaded);
  return util::Status::Ok();
}

sorcery::ObjectPtr ConfigWizard::RetrieveId(std::string_view id) {
  std::shared_lock lock(mu_);
  auto it = objects_.find(std::string(id));
  return it == objects_.end() ? nullptr : it->second;
}

void ConfigWizard::RetrieveAll(std::vector<sorcery::ObjectPtr>& out) {
  std::shared_lock lock(mu_);
  for (const auto& [id, obj] : objects_) out.push_back(obj);
}

}  // namespace wizards

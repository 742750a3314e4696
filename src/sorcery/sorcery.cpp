#include "sorcery/sorcery.h"

#include <regex.h>

#include <algorithm>
#include <functional>

#include "util/log.h"
#include "util/strings.h"

namespace sorcery {

bool TypeEntry::AddMapping(WizardMapping mapping) {
  for (const auto& m : mappings_)
    if (m.wizard_name == mapping.wizard_name) return false;
  mappings_.push_back(std::move(mapping));
  return true;
}

ObjectPtr TypeEntry::Retrieve(std::string_view id) const {
  if (id.empty()) return nullptr;
  for (const auto& m : mappings_) {
    ObjectPtr obj = m.wizard->RetrieveId(id);
    if (!obj) continue;
    if (!m.caching) {
      for (const auto& c : mappings_)
        if (c.caching) c.wizard->Create(obj);
    }
    return obj;
  }
  return nullptr;
}

std::vector<ObjectPtr> TypeEntry::RetrieveAll() const {
  std::vector<ObjectPtr> all;
  for (const auto& m : mappings_) {
    size_t before = all.size();
    m.wizard->RetrieveAll(all);
    if (m.caching && all.size() > before) break;
  }
  // Sort by id; the first wizard's copy wins for duplicates (stable sort keeps mapping order).
  std::stable_sort(all.begin(), all.end(), [](const ObjectPtr& a, const ObjectPtr& b) { return a->id() < b->id(); });
  all.erase(std::unique(all.begin(), all.end(), [](const ObjectPtr& a, const ObjectPtr& b) { return a->id() == b->id(); }),
            all.end());
  return all;
}

util::Result<std::vector<ObjectPtr>> TypeEntry::RetrieveRegex(std::string_view pattern) const {
  std::vector<ObjectPtr> all = RetrieveAll();
  if (pattern.empty()) return all;
  regex_t re;
  std::string p(pattern);
  if (regcomp(&re, p.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
    return util::Status::Invalid("invalid regular expression '" + p + "'");
  std::vector<ObjectPtr> out;
  for (auto& o : all)
    if (regexec(&re, o->id().c_str(), 0, nullptr, 0) == 0) out.push_back(std::move(o));
  regfree(&re);
  return out;
}

namespace {

// Runs `op` on every writable non-cache wizard; collects the commits of those that succeeded.
template <typename Op>
ChainWrite Dispatch(const std::vector<WizardMapping>& mappings, Op&& op, util::Status failure) {
  std::vector<util::CommitPtr> commits;
  bool any = false;
  for (const auto& m : mappings) {
    if (m.caching || !m.wizard->writable()) continue;
    WriteOutcome out = op(*m.wizard);
    if (!out.status.ok()) continue;
    any = true;
    if (out.commit) commits.push_back(std::move(out.commit));
  }
  if (!any) return ChainWrite{std::move(failure), nullptr};
  return ChainWrite{util::Status::Ok(), util::Commit::All(commits)};
}

}  // namespace

ChainWrite TypeEntry::Create(const ObjectPtr& object) {
  ChainWrite w = Dispatch(
      mappings_, [&](Wizard& wz) { return wz.Create(object); },
      util::Status::Forbidden("Cannot create sorcery objects of type '" + type_->name() + "'"));
  if (!w.status.ok()) return w;
  for (const auto& m : mappings_)
    if (m.caching) m.wizard->Create(object);
  for (const auto& o : observers_) o->Created(object);
  return w;
}

ChainWrite TypeEntry::Update(const ObjectPtr& before, const ObjectPtr& after, bool create_on_miss) {
  ChainWrite w = Dispatch(
      mappings_, [&](Wizard& wz) { return wz.Update(after, create_on_miss); },
      util::Status::Forbidden("Cannot update sorcery objects of type '" + type_->name() + "'"));
  if (!w.status.ok()) return w;
  for (const auto& m : mappings_)
    if (m.caching) m.wizard->Update(after, true);
  for (const auto& o : observers_) o->Updated(before, after);
  return w;
}

ChainWrite TypeEntry::Delete(const ObjectPtr& object) {
  ChainWrite w = Dispatch(
      mappings_, [&](Wizard& wz) { return wz.Delete(object); },
      util::Status::Forbidden("Could not delete object with id '" + object->id() + "'"));
  if (!w.status.ok()) return w;
  for (const auto& m : mappings_)
    if (m.caching) m.wizard->Delete(object);
  for (const auto& o : observers_) o->Deleted(object);
  return w;
}

util::Status TypeEntry::Load() {
  util::Status first;
  for (auto& m : mappings_) {
    util::Status s = m.wizard->Load();
    if (!s.ok() && first.ok()) first = s;
  }
  for (const auto& o : observers_) o->Loaded(type_->name());
  return first;
}

util::Status TypeEntry::Reload() {
  util::Status first;
  for (auto& m : mappings_) {
    util::Status s = m.wizard->Reload();
    if (!s.ok() && first.ok()) first = s;
  }
  for (const auto& o : observers_) o->Loaded(type_->name());
  return first;
}

void TypeEntry::AddObserver(std::shared_ptr<Observer> observer) { observers_.push_back(std::move(observer)); }

std::mutex& TypeEntry::WriteLock(std::string_view id) const {
  return write_locks_[std::hash<std::string_view>{}(id) % write_locks_.size()];
}

bool Sorcery::RegisterType(ObjectTypePtr type) {
  std::string name = type->name();
  auto [it, inserted] = types_.emplace(name, nullptr);
  if (!inserted) return false;
  it->second = std::make_unique<TypeEntry>(std::move(type));
  return true;
}

TypeEntry* Sorcery::Find(std::string_view type_name) {
  auto it = types_.find(type_name);
  return it == types_.end() ? nullptr : it->second.get();
}

const TypeEntry* Sorcery::Find(std::string_view type_name) const {
  auto it = types_.find(type_name);
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Sorcery::TypeNames() const {
  std::vector<std::string> out;
  for (const auto& [n, e] : types_) out.push_back(n);
  return out;
}

util::Status Sorcery::AddMappingLine(TypeEntry& entry, std::string_view options, std::string_view value,
                                     const WizardRegistry& wizards, const std::string& where) {
  std::string_view wizard_name = value;
  std::string_view data;
  if (auto comma = value.find(','); comma != std::string_view::npos) {
    wizard_name = value.substr(0, comma);
    data = value.substr(comma + 1);
  }
  wizard_name = util::Trim(wizard_name);
  if (wizard_name.empty()) return util::Status::Ok();
  const WizardFactory* factory = wizards.Find(wizard_name);
  if (!factory)
    return util::Status::Invalid(where + ": unknown wizard '" + std::string(wizard_name) + "' for type '" +
                                 entry.type()->name() + "'");
  auto opened = (*factory)(entry.type(), data);
  if (!opened.ok())
    return util::Status::Invalid(where + ": wizard '" + std::string(wizard_name) + "' for type '" +
                                 entry.type()->name() + "' refused '" + std::string(data) + "': " +
                                 opened.status().message());
  WizardMapping m;
  m.wizard_name = std::string(wizard_name);
  m.data = std::string(data);
  m.caching = options.find("cache") != std::string_view::npos;
  m.wizard = std::move(opened).value();
  if (!entry.AddMapping(std::move(m)))
    util::LogNotice(where + ": wizard '" + std::string(wizard_name) + "' is already mapped to type '" +
                    entry.type()->name() + "'; line ignored");
  return util::Status::Ok();
}

util::Status Sorcery::ApplyMappings(const conf::Section& section, const WizardRegistry& wizards) {
  for (const auto& var : section.variables) {
    std::string_view lhs = var.name;
    std::string_view options;
    if (auto slash = lhs.find('/'); slash != std::string_view::npos) {
      options = lhs.substr(slash + 1);
      lhs = lhs.substr(0, slash);
    }
    lhs = util::Trim(lhs);
    if (lhs.empty()) continue;
    std::string where = var.file + ":" + std::to_string(var.line);
    TypeEntry* entry = Find(lhs);
    if (!entry) {
      util::LogWarning(where + ": sorcery.conf maps unknown object type '" + std::string(lhs) +
                       "' in [" + section.name + "]; line ignored");
      continue;
    }
    util::Status s = AddMappingLine(*entry, options, var.value, wizards, where);
    if (!s.ok()) return s;
  }
  return util::Status::Ok();
}

util::Status Sorcery::ApplyDefaultMappings(const WizardRegistry& wizards) {
  for (auto& [name, entry] : types_) {
    if (entry->has_mappings() || entry->type()->default_mapping.empty()) continue;
    util::Status s = AddMappingLine(*entry, "", entry->type()->default_mapping, wizards,
                                    "default mapping of " + name);
    if (!s.ok()) return s;
  }
  return util::Status::Ok();
}

util::Status Sorcery::LoadAll() {
  util::Status first;
  for (auto& [name, entry] : types_) {
    util::Status s = entry->Load();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

util::Status Sorcery::ReloadAll() {
  util::Status first;
  for (auto& [name, entry] : types_) {
    if (!entry->type()->reloadable) {
      util::LogNotice("Type '" + name + "' is not reloadable, maintaining previous values");
      continue;
    }
    util::Status s = entry->Reload();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

Sorcery& InstanceRegistry::Open(const std::string& module) {
  auto& slot = instances_[module];
  if (!slot) slot = std::make_unique<Sorcery>(module);
  return *slot;
}

Sorcery* InstanceRegistry::Find(std::string_view module) {
  auto it = instances_.find(module);
  return it == instances_.end() ? nullptr : it->second.get();
}

std::vector<Sorcery*> InstanceRegistry::All() {
  std::vector<Sorcery*> out;
  for (auto& [n, s] : instances_) out.push_back(s.get());
  return out;
}

util::Status ApplySorceryConf(const conf::Config& config, InstanceRegistry& registry,
                              const WizardRegistry& wizards,
                              const std::map<std::string, std::string, std::less<>>& aliases) {
  bool update_or_create = false;
  for (const auto& section : config.sections) {
    if (section.name == "general") {
      if (const auto* v = section.Find("update_or_create_on_update_miss"))
        update_or_create = util::IsTrueWord(v->value);
      continue;
    }
    std::string module = section.name;
    if (auto it = aliases.find(module); it != aliases.end()) module = it->second;
    Sorcery* instance = registry.Find(module);
    if (!instance) {
      util::LogWarning(section.file + ":" + std::to_string(section.line) + ": sorcery.conf section [" +
                       section.name + "] names no known module; ignored");
      continue;
    }
    util::Status s = instance->ApplyMappings(section, wizards);
    if (!s.ok()) return s;
  }
  for (Sorcery* s : registry.All()) s->update_or_create_on_update_miss = update_or_create;
  return util::Status::Ok();
}

}  // namespace sorcery

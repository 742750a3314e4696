#include "app/running_configuration.h"

#include <chrono>
#include <filesystem>
#include <set>

#include "conf/config.h"
#include "util/log.h"
#include "util/strings.h"

namespace app {

namespace {

// Problems logged during a reload (warnings and errors), as console lines.
void AddCaptured(const util::LogCapture& capture, cli::ReloadOutcome& outcome) {
  for (const auto& line : capture.lines()) outcome.lines.push_back(line.message);
}

void LogOutcome(const std::string& module, const cli::ReloadOutcome& outcome,
                std::chrono::steady_clock::time_point started) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (!outcome.ok) {
    util::LogError("Reload of " + module + " refused; the running configuration is kept");
    for (const std::string& line : outcome.lines) util::LogError(module + ": " + line);
  } else if (!outcome.lines.empty()) {
    util::LogWarning("Reloaded " + module + " in " + std::to_string(ms) + " ms, with " +
                     std::to_string(outcome.lines.size()) + " problem(s)");
  } else {
    util::LogNotice("Reloaded " + module + " in " + std::to_string(ms) + " ms");
  }
}

}  // namespace

std::string SorceryConfText(const conf::Config& config) {
  std::string text;
  for (const conf::Section& s : config.sections) {
    text += "[" + s.name + "]\n";
    for (const conf::Variable& v : s.variables) text += v.name + "=" + v.value + "\n";
  }
  return text;
}

std::vector<std::string> HttpSettingsChanged(const ari::HttpSettings& a, const ari::HttpSettings& b) {
  std::vector<std::string> changed;
  if (a.enabled != b.enabled) changed.push_back("enabled");
  if (a.bindaddr != b.bindaddr) changed.push_back("bindaddr");
  if (a.bindport != b.bindport) changed.push_back("bindport");
  if (a.prefix != b.prefix) changed.push_back("prefix");
  if (a.servername != b.servername) changed.push_back("servername");
  if (a.sessionlimit != b.sessionlimit) changed.push_back("sessionlimit");
  if (a.session_inactivity_ms != b.session_inactivity_ms) changed.push_back("session_inactivity");
  if (a.session_keep_alive_ms != b.session_keep_alive_ms) changed.push_back("session_keep_alive");
  if (a.iothreads != b.iothreads) changed.push_back("iothreads");
  if (a.tlsenable != b.tlsenable) changed.push_back("tlsenable");
  if (a.tlsbindaddr != b.tlsbindaddr) changed.push_back("tlsbindaddr");
  if (a.tlsbindport != b.tlsbindport) changed.push_back("tlsbindport");
  const ari::TlsServerConfig &ta = a.tls, &tb = b.tls;
  if (ta.cert_file != tb.cert_file || ta.key_file != tb.key_file || ta.ciphers != tb.ciphers ||
      ta.server_cipher_order != tb.server_cipher_order || ta.disable_tlsv1 != tb.disable_tlsv1 ||
      ta.disable_tlsv11 != tb.disable_tlsv11 || ta.disable_tlsv12 != tb.disable_tlsv12 ||
      ta.ca_file != tb.ca_file || ta.ca_path != tb.ca_path || ta.verify_client != tb.verify_client) {
    changed.push_back("tls options");
  }
  return changed;
}

RunningConfiguration::RunningConfiguration(std::string etc, sorcery::Sorcery& res_pjsip, ari::AriApplication& ari,
                                           ari::HttpSettings http, std::string sorcery_conf_text)
    : etc_(std::move(etc)),
      res_pjsip_(res_pjsip),
      ari_(ari),
      http_(std::move(http)),
      sorcery_conf_text_(std::move(sorcery_conf_text)) {}

cli::ReloadOutcome RunningConfiguration::ReloadPjsip() {
  std::lock_guard lock(mu_);
  auto started = std::chrono::steady_clock::now();
  util::LogNotice("Reloading res_pjsip");
  cli::ReloadOutcome outcome;

  // Parse every file a config wizard reads before touching anything, so that a file with a bad
  // line or an unknown template leaves every type as it was (and is reported once).
  std::set<std::string> files;
  for (const std::string& name : res_pjsip_.TypeNames()) {
    const sorcery::TypeEntry* entry = res_pjsip_.Find(name);
    if (!entry || !entry->type()->reloadable) continue;
    for (const sorcery::WizardMapping& m : entry->mappings()) {
      if (m.wizard_name != "config") continue;
      auto parts = util::Split(m.data, ',');
      std::string file(util::Trim(parts.empty() ? std::string_view() : parts[0]));
      if (file.empty()) continue;
      files.insert(file.front() == '/' ? file : etc_ + "/" + file);
    }
  }
  for (const std::string& file : files) {
    if (!std::filesystem::exists(file)) continue;  // the config wizard reads a missing file as empty
    auto parsed = conf::LoadFile(file);
    if (!parsed.ok()) {
      outcome.ok = false;
      outcome.lines.push_back(parsed.status().message());
    }
  }
  if (!outcome.ok) {
    LogOutcome("res_pjsip", outcome, started);
    return outcome;
  }

  {
    util::LogCapture capture(util::LogLevel::kWarning);
    util::Status s = res_pjsip_.ReloadAll();
    AddCaptured(capture, outcome);
    if (!s.ok() && outcome.lines.empty()) outcome.lines.push_back(s.message());
  }

  // Wizard mappings are made once, at start; say so when sorcery.conf no longer matches them.
  std::string sorcery_path = etc_ + "/sorcery.conf";
  std::string now;
  if (std::filesystem::exists(sorcery_path)) {
    auto c = conf::LoadFile(sorcery_path);
    if (!c.ok()) {
      outcome.lines.push_back("sorcery.conf not re-read (" + c.status().message() +
                              "); wizard mappings are unchanged");
      LogOutcome("res_pjsip", outcome, started);
      return outcome;
    }
    now = SorceryConfText(*c);
  }
  if (now != sorcery_conf_text_) {
    std::string line = sorcery_path +
                       " changed since start; wizard mappings are made at start only: restart sorceryd to "
                       "apply them";
    util::LogWarning(line);
    outcome.lines.push_back(line);
  }
  LogOutcome("res_pjsip", outcome, started);
  return outcome;
}

cli::ReloadOutcome RunningConfiguration::ReloadAri() {
  std::lock_guard lock(mu_);
  auto started = std::chrono::steady_clock::now();
  util::LogNotice("Reloading res_ari");
  cli::ReloadOutcome outcome;
  {
    util::LogCapture capture(util::LogLevel::kWarning);
    auto settings = ari::LoadAriConf(etc_ + "/ari.conf");
    if (settings.ok()) {
      size_t users = settings->users.size();
      ari_.UpdateSettings(std::move(settings).value());  // also reloads the res_ari sorcery instance
      util::LogVerbose("ari.conf: " + std::to_string(users) + " user(s)");
    }
    AddCaptured(capture, outcome);
    if (!settings.ok()) {
      outcome.ok = false;
      outcome.lines.push_back(settings.status().message());
    }
  }
  LogOutcome("res_ari", outcome, started);
  return outcome;
}

cli::ReloadOutcome RunningConfiguration::ReloadHttp() {
  std::lock_guard lock(mu_);
  auto started = std::chrono::steady_clock::now();
  util::LogNotice("Reloading http");
  cli::ReloadOutcome outcome;
  util::Result<ari::HttpSettings> settings = util::Status::Invalid("not read");
  {
    util::LogCapture capture(util::LogLevel::kWarning);
    settings = ari::LoadHttpConf(etc_ + "/http.conf");
    AddCaptured(capture, outcome);
  }
  if (!settings.ok()) {
    outcome.ok = false;
    outcome.lines.push_back(settings.status().message());
  } else {
    ari_.SetRedirects(settings->redirects);  // answered by the application: applies at once
    if (auto changed = HttpSettingsChanged(http_, *settings); !changed.empty()) {
      std::string names;
      for (const std::string& n : changed) names += (names.empty() ? "" : ", ") + n;
      std::string line = etc_ + "/http.conf: " + names +
                         " changed; the HTTP listener keeps its current settings until sorceryd is restarted";
      util::LogWarning(line);
      outcome.lines.push_back(line);
    }
  }
  LogOutcome("http", outcome, started);
  return outcome;
}

std::vector<cli::ReloadableModule> RunningConfiguration::Modules() {
  return {
      {"http", "HTTP server settings (http.conf; listener changes need a restart)", [this] { return ReloadHttp(); }},
      {"res_ari", "ARI users and options (ari.conf)", [this] { return ReloadAri(); }},
      {"res_pjsip", "PJSIP objects from config wizard files (pjsip.conf)", [this] { return ReloadPjsip(); }},
  };
}

void RunningConfiguration::ReloadAllAndLog(const std::string& why) {
  util::LogNotice("Reloading every module (" + why + ")");
  for (const cli::ReloadableModule& m : Modules()) m.reload();  // each logs its own outcome
}

}  // namespace app

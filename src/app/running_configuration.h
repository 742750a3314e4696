// The configuration the daemon runs with, and its reload (`module reload`, `core reload`, SIGHUP).
//
// What a reload re-reads, per module:
//   res_pjsip  every file a `config` wizard maps (pjsip.conf by default) through
//              Sorcery::ReloadAll. Each such file is parsed first; if one does not parse, nothing
//              is reloaded. Objects in memory/astdb wizards are untouched. sorcery.conf is read
//              again only to warn when it changed: wizard mappings are made at start (Asterisk
//              maps them when res_pjsip loads, not on reload), so a changed mapping needs a restart.
//   res_ari    ari.conf; users, passwords and options change at once, open connections stay.
//   http       http.conf; `redirect` lines apply at once. The listener is not rebound: a change
//              of any listener setting is reported as needing a restart and the running values
//              stay.
// A file that does not load leaves its module as it was; the outcome says why (file:line).
// Reloads are serialised; requests keep being served while one runs.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ari/ari_application.h"
#include "ari/ari_config.h"
#include "cli/core_commands.h"
#include "sorcery/sorcery.h"

namespace app {

class RunningConfiguration {
 public:
  // `etc` is astetcdir; `sorcery_conf_text` the canonical text of sorcery.conf as applied at
  // start (SorceryConfText; empty when there was none); `http` the settings the listener runs with.
  RunningConfiguration(std::string etc, sorcery::Sorcery& res_pjsip, ari::AriApplication& ari,
                       ari::HttpSettings http, std::string sorcery_conf_text);

  cli::ReloadOutcome ReloadPjsip();
  cli::ReloadOutcome ReloadAri();
  cli::ReloadOutcome ReloadHttp();

  // The modules for the console, in `core reload` order.
  std::vector<cli::ReloadableModule> Modules();

  // SIGHUP: reloads every module and logs each outcome.
  void ReloadAllAndLog(const std::string& why);

 private:
  std::mutex mu_;  // one reload at a time
  std::string etc_;
  sorcery::Sorcery& res_pjsip_;
  ari::AriApplication& ari_;
  ari::HttpSettings http_;
  std::string sorcery_conf_text_;
};

// sorcery.conf as text that changes exactly when its sections or lines change (comments, blank
// lines and layout do not count).
std::string SorceryConfText(const conf::Config& config);

// The names of the http.conf settings that differ between `a` and `b` ("bindaddr", ...).
std::vector<std::string> HttpSettingsChanged(const ari::HttpSettings& a, const ari::HttpSettings& b);

}  // namespace app

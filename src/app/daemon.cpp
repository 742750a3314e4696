#include "app/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>

#include "ari/ari_application.h"
#include "ari/ari_config.h"
#include "ari/http_server.h"
#include "astdb/astdb.h"
#include "cli/command_registry.h"
#include "cli/control_socket.h"
#include "cli/database_commands.h"
#include "cli/pjsip_commands.h"
#include "conf/config.h"
#include "pjsip/types.h"
#include "sorcery/sorcery.h"
#include "util/log.h"
#include "wizards/wizards.h"

namespace app {

namespace {

// sorcery.conf sections that PJSIP sub-modules apply to the shared res_pjsip instance.
const std::map<std::string, std::string, std::less<>>& SectionAliases() {
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"res_pjsip_endpoint_identifier_ip", "res_pjsip"}, {"res_pjsip_outbound_registration", "res_pjsip"},
      {"res_pjsip_outbound_publish", "res_pjsip"},       {"res_pjsip_phoneprov_provider", "res_pjsip"},
      {"res_pjsip_pubsub", "res_pjsip"},                 {"res_pjsip_publish_asterisk", "res_pjsip"},
      {"acl", "res_pjsip"},
  };
  return aliases;
}

int Fail(const std::string& message) {
  util::LogError(message);
  util::LogError("sorceryd not started");
  return 1;
}

}  // namespace

std::string ControlSocketPath(const Directories& dirs) { return dirs.astrundir + "/sorceryd.ctl"; }

int RunDaemon(const Directories& dirs, const std::string& asterisk_conf, bool foreground) {
  namespace fs = std::filesystem;
  const std::string etc = dirs.astetcdir;

  // Everything is read and checked before anything is started.
  auto http = ari::LoadHttpConf(etc + "/http.conf");
  if (!http.ok()) return Fail(http.status().message());
  auto ari_settings = ari::LoadAriConf(etc + "/ari.conf");
  if (!ari_settings.ok()) return Fail(ari_settings.status().message());
  std::optional<conf::Config> sorcery_conf;
  if (fs::exists(etc + "/sorcery.conf")) {
    auto c = conf::LoadFile(etc + "/sorcery.conf");
    if (!c.ok()) return Fail(c.status().message());
    sorcery_conf = std::move(c).value();
  }
  std::error_code ec;
  fs::create_directories(dirs.astdbdir, ec);
  if (ec) return Fail("cannot create astdbdir " + dirs.astdbdir + ": " + ec.message());
  fs::create_directories(dirs.astrundir, ec);
  if (ec) return Fail("cannot create astrundir " + dirs.astrundir + ": " + ec.message());

  if (!foreground && ::daemon(1, 1) != 0) return Fail("cannot fork into the background");

  // Signals are taken synchronously by the main thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto db = astdb::Astdb::Open(dirs.astdbdir + "/astdb.sqlite3");
  if (!db.ok()) return Fail(db.status().message());
  std::unique_ptr<astdb::Astdb> astdb = std::move(db).value();

  sorcery::InstanceRegistry instances;
  sorcery::Sorcery& res_pjsip = instances.Open("res_pjsip");
  for (const auto& type : pjsip::AllTypes()) res_pjsip.RegisterType(type);

  sorcery::WizardRegistry wizard_registry;
  wizards::RegisterBuiltinWizards(wizard_registry, wizards::Environment{etc, astdb.get()});
  if (sorcery_conf) {
    util::Status s = sorcery::ApplySorceryConf(*sorcery_conf, instances, wizard_registry, SectionAliases());
    if (!s.ok()) return Fail(s.message());
  }
  if (util::Status s = res_pjsip.ApplyDefaultMappings(wizard_registry); !s.ok()) return Fail(s.message());
  if (util::Status s = res_pjsip.LoadAll(); !s.ok()) return Fail(s.message());

  cli::CommandRegistry commands;
  cli::RegisterDatabaseCommands(commands, *astdb);
  cli::RegisterPjsipCommands(commands, res_pjsip);
  commands.Add({"core", "show", "version"}, "Usage: core show version\n", [](cli::Invocation& inv) {
    inv.out += std::string("sorceryd ") + kVersion + " (Asterisk-compatible push configuration server)\n";
    return true;
  });
  commands.Add({"core", "show", "help"}, "Usage: core show help\n", [&commands](cli::Invocation& inv) {
    inv.out += commands.Help();
    return true;
  });

  auto control = cli::ControlServer::Start(ControlSocketPath(dirs),
                                           [&commands](const std::string& line) { return commands.Execute(line); });
  if (!control.ok()) return Fail(control.status().message());

  ari::AriApplication application(*ari_settings, http->prefix, instances);
  std::unique_ptr<ari::HttpServer> server;
  if (http->enabled && !http->bindaddr.empty()) {
    ari::HttpServer::Options options;
    options.listeners.push_back({http->bindaddr, http->bindport});
    options.session_limit = http->sessionlimit;
    options.keep_alive_ms = http->session_keep_alive_ms;
    options.inactivity_ms = http->session_inactivity_ms;
    options.server_name = http->servername;
    auto started = ari::HttpServer::Start(options, [&application](ari::HttpRequest& req) {
      return application.Handle(req);
    });
    if (!started.ok()) return Fail(started.status().message());
    server = std::move(started).value();
    util::LogNotice("ARI listening on " + http->bindaddr + ":" + std::to_string(server->bound_ports().front()) +
                    (http->prefix.empty() ? "" : " under /" + http->prefix));
  } else {
    util::LogNotice("HTTP server disabled in http.conf (enabled=no or no bindaddr): no ARI listener");
  }
  util::LogNotice(std::string("sorceryd ") + kVersion + " ready (" + asterisk_conf + ")");

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      util::LogNotice("SIGHUP received; reload is done with 'module reload res_pjsip'");
      continue;
    }
    util::LogNotice(std::string("Received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", stopping");
    break;
  }
  if (server) server->Stop();
  control.value()->Stop();
  if (!astdb->Flush()) util::LogError("some AstDB writes could not be made durable");
  util::LogNotice("sorceryd stopped");
  return 0;
}

}  // namespace app

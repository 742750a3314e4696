// sorceryd: command line in Asterisk's shape.
//   sorceryd -f -C <asterisk.conf>          run in the foreground
//   sorceryd -C <asterisk.conf> -rx "<cmd>" run one console command against the running daemon
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "app/asterisk_conf.h"
#include "app/daemon.h"
#include "cli/control_socket.h"
#include "util/log.h"

namespace {

constexpr const char* kDefaultConf = "/etc/asterisk/asterisk.conf";

void Usage(FILE* out) {
  std::fprintf(out,
               "Usage: sorceryd [options]\n"
               "  -C <file>   asterisk.conf to read (default %s); its [directories] say where the\n"
               "              other .conf files (astetcdir), astdb.sqlite3 (astdbdir) and the control\n"
               "              socket (astrundir) are\n"
               "  -f          run in the foreground (do not fork); log to stderr (use under systemd)\n"
               "  -c          the same as -f (there is no interactive console yet)\n"
               "  -F          fork into the background (the default; undoes an earlier -f); the log\n"
               "              then goes to <astlogdir>/sorceryd.log\n"
               "  -r          connect to the running daemon (needs -x)\n"
               "  -x <cmd>    run one console command on the running daemon and print its output\n"
               "  -rx <cmd>   the same as -r -x <cmd>\n"
               "  -v          log debug lines too (the default logs VERBOSE and above)\n"
               "  -q          quieter logging: NOTICE, WARNING and ERROR only\n"
               "  -V          print the version and exit\n"
               "  -h          print this help and exit\n"
               "Flags without an argument may be grouped (-fv). SIGHUP reloads like 'core reload';\n"
               "SIGTERM and SIGINT stop the daemon after flushing the AstDB.\n",
               kDefaultConf);
}

}  // namespace

int main(int argc, char** argv) {
  std::string conf_path = kDefaultConf;
  bool foreground = false, remote = false;
  std::string command;
  bool have_command = false;
  int verbosity = 0;
  // Flags without an argument may be grouped as Asterisk allows ("-fvvv", "-rx <cmd>"); a flag
  // taking an argument (-C, -x) takes the next word and must end its group.
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help") a = "-h";
    if (a == "--version") a = "-V";
    if (a.size() < 2 || a[0] != '-' || a[1] == '-') {
      std::fprintf(stderr, "sorceryd: unknown option '%s'\n", a.c_str());
      Usage(stderr);
      return 2;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      char f = a[k];
      auto need = [&]() -> const char* {
        if (k + 1 != a.size() || i + 1 >= argc) {
          std::fprintf(stderr, "sorceryd: -%c needs an argument\n", f);
          std::exit(2);
        }
        return argv[++i];
      };
      switch (f) {
        case 'C': conf_path = need(); break;
        case 'f': case 'c': foreground = true; break;
        case 'F': foreground = false; break;
        case 'r': case 'R': remote = true; break;
        case 'x': command = need(); have_command = true; remote = true; break;
        case 'v': if (verbosity >= 0) ++verbosity; break;
        case 'q': verbosity = -1; break;
        case 'V': std::printf("sorceryd %s\n", app::kVersion); return 0;
        case 'h': Usage(stdout); return 0;
        default:
          std::fprintf(stderr, "sorceryd: unknown option '%s'\n", a.c_str());
          Usage(stderr);
          return 2;
      }
    }
  }
  if (verbosity < 0) util::SetLogLevel(util::LogLevel::kNotice);
  else if (verbosity > 0) util::SetLogLevel(util::LogLevel::kDebug);

  if (remote && !have_command) {
    std::fprintf(stderr, "sorceryd: -r needs -x <command> (there is no interactive console yet)\n");
    return 2;
  }

  auto dirs = app::LoadAsteriskConf(conf_path);
  if (!dirs.ok()) {
    std::fprintf(stderr, "sorceryd: %s\n", dirs.status().message().c_str());
    return 1;
  }
  if (have_command || remote) {
    auto out = cli::RunRemoteCommand(app::ControlSocketPath(*dirs), command);
    if (!out.ok()) {
      std::fprintf(stderr, "%s\n", out.status().message().c_str());
      return 1;
    }
    std::fwrite(out->data(), 1, out->size(), stdout);
    return 0;
  }
  return app::RunDaemon(*dirs, conf_path, foreground);
}

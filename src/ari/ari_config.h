// ari.conf and http.conf, read into plain settings structs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ari/res_ari_http.h"
#include "ari/tls_context.h"
#include "util/status.h"

namespace ari {

struct AriUser {
  std::string name;
  std::string password;      // plain text, or a crypt(3) hash when `crypt`
  bool crypt = false;
  bool read_only = false;
  // permit/deny rules and the rules of the acl.conf sections named by `acl`, in file order.
  AddressAcl acl;
};

// ari.conf: [general] and the `type=user` sections.
struct AriSettings {
  bool enabled = true;
  bool pretty = false;
  std::string auth_realm = "Asterisk REST Interface";
  std::vector<std::string> allowed_origins;
  std::map<std::string, AriUser, std::less<>> users;
};

// http.conf [general].
struct HttpSettings {
  bool enabled = false;
  std::string bindaddr;          // required for a listener
  uint16_t bindport = 8088;
  std::string prefix;            // without slashes
  std::string servername = "Asterisk";
  size_t sessionlimit = 100;
  int session_inactivity_ms = 30000;
  int session_keep_alive_ms = 15000;
  // sorceryd extension: HTTP I/O threads; 0 = twice the number of cores. More threads than cores
  // keep the tail latency low when the machine is saturated (docs/benchmarks.md).
  int iothreads = 0;
  // HTTPS (tlsenable, alias sslenable): a second listener beside the plain one, same handler.
  bool tlsenable = false;
  // tlsbindaddr (sslbindaddr) "addr[:port]" / "[v6][:port]": the address without brackets and
  // the port. Unset: bindaddr's address with port 8089; set without a port: port 8089.
  std::string tlsbindaddr;
  bool tlsbindaddr_set = false;
  uint16_t tlsbindport = 8089;
  // tlscertfile (sslcert, tlscert), tlsprivatekey (sslprivatekey), tlscipher (sslcipher),
  // tlsservercipherorder, tlsdisablev1 / tlsdisablev11 / tlsdisablev12, tlscafile, tlscapath
  // (tlscadir), tlsverifyclient. Defaults as in Asterisk's http.conf: TLSv1.0 disabled, server
  // cipher order, Mozilla intermediate ciphers. tls.cert_file stays empty when tlscertfile is
  // unset: the caller substitutes <astkeydir>/asterisk.pem (DefaultTlsCertFile).
  TlsServerConfig tls;
  // `redirect = /from /to` lines, in file order: a request whose decoded path equals `from`
  // (case-insensitively) is answered 302 with Location: `to`.
  std::vector<std::pair<std::string, std::string>> redirects;
};

// Reads ari.conf. Users without a password, with an unknown password_format, a bad permit/deny
// network or an `acl` name that acl.conf (next to ari.conf) does not define are skipped with a
// warning (Asterisk rejects them too). A missing file or a bad line is an error.
util::Result<AriSettings> LoadAriConf(const std::string& path);
// Reads http.conf. A missing file or a bad line is an error; bad option values are errors naming
// the file and line.
util::Result<HttpSettings> LoadHttpConf(const std::string& path);
// Asterisk's tlscertfile default: <astkeydir>/asterisk.pem.
std::string DefaultTlsCertFile(const std::string& astkeydir);

}  // namespace ari

// PJSIP type `transport` (res_pjsip, res/res_pjsip/config_transport.c).
#include "util/strings.h"
#include "pjsip/table.h"

namespace pjsip {

namespace {

using util::Status;

Status Apply(sorcery::ObjectBuilder& b) {
  if (!b.Scalar("external_signaling_address").empty() && !b.Scalar("external_signaling_hostname").empty())
    return Status::Invalid("external_signaling_address and external_signaling_hostname are mutually exclusive");
  std::string_view protocol = b.Scalar("protocol");
  std::string bind(b.Scalar("bind"));
  if (protocol != "flow") {
    if (bind.empty()) return Status::Invalid("bind is required");
    // The handler always prints a port; 0 means none was given.
    if (util::EndsWith(bind, ":0")) {
      bind.resize(bind.size() - 1);
      bind += protocol == "tls" ? "5061" : "5060";
      SetScalar(b, "bind", bind);
    }
  }
  if (b.Scalar("async_operations") != "1") SetScalar(b, "async_operations", "1");
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeTransportType() {
  TypeSpec spec;
  spec.name = "transport";
  spec.default_mapping = "config,pjsip.conf,criteria=type=transport";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"protocol", "udp", kinds::Words({"udp", "tcp", "tls", "ws", "wss", "flow"})},
      {"bind", "", std::make_shared<SockAddrHandler>()},
      {"async_operations", "1", kinds::Uint()},
      {"ca_list_file", "", kinds::File(false)},
      {"ca_list_path", "", kinds::Directory(false)},
      {"cert_file", "", kinds::File(false)},
      {"priv_key_file", "", kinds::File(false)},
      {"password", "", kinds::String()},
      {"external_signaling_address", "", kinds::String()},
      {"external_signaling_port", "0", kinds::UintRange(0, 65535)},
      {"external_signaling_hostname", "", kinds::String()},
      {"external_media_address", "", kinds::String()},
      {"domain", "", kinds::String()},
      {"verify_server", "", kinds::YesNoCapital()},
      {"verify_client", "", kinds::YesNoCapital()},
      {"require_client_cert", "", kinds::YesNoCapital()},
      {"allow_wildcard_certs", "", kinds::YesNoCapital()},
      {"method", "", kinds::Enum({{"default", "tlsv1"}, {"", "tlsv1"}, {"unspecified", "unspecified"}, {"tlsv1", "tlsv1"}, {"tlsv1_1", "tlsv1_1"}, {"tlsv1_2", "tlsv1_2"}, {"tlsv1_3", "tlsv1_3"}, {"sslv2", "sslv2"}, {"sslv3", "sslv3"}, {"sslv23", "sslv23"}}, EnumHandler::Options::UnsetPrints("unspecified"))},
      {"tcp_keepalive_enable", "no", kinds::Bool()},
      {"tcp_keepalive_idle_time", "30", kinds::Int()},
      {"tcp_keepalive_interval_time", "1", kinds::Int()},
      {"tcp_keepalive_probe_count", "5", kinds::Int()},
      {"cipher", "", std::make_shared<CipherListHandler>()},
      {"local_net", "", kinds::AclEach(), Output::kAlways, /*multi=*/true},
      {"tos", "0", kinds::TosRounded()},
      {"cos", "0", kinds::Uint()},
      {"websocket_write_timeout", "100", kinds::IntRange(1, INT32_MAX)},
      {"allow_reload", "no", kinds::Bool()},
      {"symmetric_transport", "no", kinds::Bool()},
  };
  spec.output_order = {
      "external_signaling_hostname",
      "websocket_write_timeout",
      "cos",
      "tcp_keepalive_enable",
      "protocol",
      "symmetric_transport",
      "domain",
      "verify_server",
      "local_net",
      "bind",
      "allow_wildcard_certs",
      "tcp_keepalive_interval_time",
      "async_operations",
      "external_media_address",
      "method",
      "external_signaling_address",
      "require_client_cert",
      "tcp_keepalive_idle_time",
      "tos",
      "^@",
      "ca_list_path",
      "cipher",
      "cert_file",
      "external_signaling_port",
      "password",
      "allow_reload",
      "verify_client",
      "tcp_keepalive_probe_count",
      "priv_key_file",
      "ca_list_file"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

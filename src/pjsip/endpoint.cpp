// PJSIP type `endpoint` (res_pjsip, res/res_pjsip/pjsip_configuration.c).
#include <string>

#include "pjsip/table.h"
#include "util/strings.h"

namespace pjsip {

namespace {

using util::Status;

bool HasBlank(std::string_view s) {
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return true;
  return false;
}

// Cross-field rules and derived values, after all attributes were applied.
Status Apply(sorcery::ObjectBuilder& b) {
  auto uint_of = [&](std::string_view f) { return std::stoul(std::string(b.Scalar(f).empty() ? "0" : b.Scalar(f))); };

  if (uint_of("timers_min_se") < 90) return Status::Invalid("timers_min_se must be at least 90");
  if (uint_of("timers_sess_expires") < uint_of("timers_min_se"))
    return Status::Invalid("timers_sess_expires must not be less than timers_min_se");

  unsigned long start = uint_of("rtp_port_start"), end = uint_of("rtp_port_end");
  if (start != 0 || end != 0) {
    if (start == 0 || end == 0) return Status::Invalid("rtp_port_start and rtp_port_end must both be set");
    if (start < 1024 || end < 1024) return Status::Invalid("rtp ports must be at least 1024");
    if (end <= start) return Status::Invalid("rtp_port_end must be greater than rtp_port_start");
  }

  // preferred_codec_only needs the 'local' offer preference and turns it into 'local_first'.
  // 'local_first' is accepted too, so the object reads back what it printed (deviation).
  if (IsOn(b, "preferred_codec_only")) {
    std::string_view pref = b.Scalar("incoming_call_offer_pref");
    if (pref != "local" && pref != "local_first")
      return Status::Invalid("preferred_codec_only requires incoming_call_offer_pref 'local'");
    SetScalar(b, "incoming_call_offer_pref", "local_first");
  }

  std::string_view session = util::Trim(b.Scalar("sdp_session"));
  if (session.empty()) SetScalar(b, "sdp_session", "-");
  std::string_view owner = b.Scalar("sdp_owner");
  if (owner.empty() || HasBlank(owner)) SetScalar(b, "sdp_owner", "-");

  bool has_cert = !b.Scalar("dtls_cert_file").empty();
  if (IsOn(b, "webrtc")) {
    for (const char* f : {"bundle", "rtcp_mux", "use_avpf", "ice_support", "media_use_received_transport"})
      SetScalar(b, f, "true");
    SetScalar(b, "media_encryption", "dtls");
    SetScalar(b, "dtls_setup", "actpass");
    SetScalar(b, "dtls_verify", "Fingerprint");
    SetScalar(b, "dtls_rekey", "0");
    if (!has_cert) SetScalar(b, "dtls_auto_generate_cert", "true");
  }
  if (IsOn(b, "bundle")) SetScalar(b, "rtcp_mux", "true");
  if (IsOn(b, "dtls_auto_generate_cert") && has_cert)
    return Status::Invalid("dtls_auto_generate_cert and dtls_cert_file are mutually exclusive");
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeEndpointType() {
  const HandlerPtr kSipMethod =
      kinds::Enum({{"invite", "invite"}, {"reinvite", "invite"}, {"update", "update"}});
  const HandlerPtr kAuthNames = kinds::NameList(NameListHandler::kNothingWhenEmpty);
  const HandlerPtr kGroup = std::make_shared<GroupHandler>();
  const HandlerPtr kNamedGroup = std::make_shared<NamedGroupHandler>();
  const HandlerPtr kAclNames = std::make_shared<AclNameHandler>();
  const HandlerPtr kCodecPrefs = std::make_shared<CodecPrefsHandler>(true);
  const HandlerPtr kSecurityNegotiation = kinds::Words({"no", "mediasec"});
  // Letters, digits and the punctuation a SIP user part may carry unescaped.
  const HandlerPtr kFromUser = std::make_shared<StringHandler>(StringHandler::Print::kAlways,
                                                               "-._~%!$&'()*+,;=:", true);

  TypeSpec spec;
  spec.name = "endpoint";
  spec.default_mapping = "config,pjsip.conf,criteria=type=endpoint";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"context", "default", kinds::String()},
      {"disallow", "", kinds::CodecsInverted(), Output::kNever, false, "allow"},
      {"allow", "", kinds::Codecs()},
      {"dtmf_mode", "rfc4733", kinds::Words({"rfc4733", "inband", "info", "auto", "auto_info", "none"})},
      {"rtp_ipv6", "no", kinds::Bool()},
      {"rtp_symmetric", "no", kinds::Bool()},
      {"ice_support", "no", kinds::Bool()},
      {"use_ptime", "no", kinds::Bool()},
      {"force_rport", "yes", kinds::Bool()},
      {"rewrite_contact", "no", kinds::Bool()},
      {"transport", "", kinds::String()},
      {"outbound_proxy", "", kinds::String()},
      {"moh_suggest", "default", kinds::String()},
      {"100rel", "yes", kinds::Enum({{"required", "required"}, {"peer_supported", "peer_supported"}}, EnumHandler::Options::BoolWords("yes", "no"))},
      {"timers", "yes", kinds::Enum({{"required", "required"}, {"always", "always"}, {"forced", "always"}}, EnumHandler::Options::BoolWords("yes", "no"))},
      {"timers_min_se", "90", kinds::Uint()},
      {"timers_sess_expires", "1800", kinds::Uint()},
      {"auth", "", kAuthNames},
      {"outbound_auth", "", kAuthNames},
      {"aors", "", kinds::String()},
      {"media_address", "", std::make_shared<HostOrAddressHandler>()},
      {"bind_rtp_to_media_address", "no", kinds::Bool()},
      {"identify_by", "username,ip", kinds::EnumList({"username", "auth_username", "ip", "header", "request_uri"})},
      {"direct_media", "yes", kinds::Bool()},
      {"direct_media_method", "invite", kSipMethod},
      {"trust_connected_line", "yes", kinds::YesNo()},
      {"send_connected_line", "yes", kinds::YesNo()},
      {"connected_line_method", "invite", kSipMethod},
      {"direct_media_glare_mitigation", "none", kinds::Words({"none", "outgoing", "incoming"})},
      {"disable_direct_media_on_nat", "no", kinds::Bool()},
      {"callerid", "", std::make_shared<CallerIdHandler>()},
      {"callerid_privacy", "allowed_not_screened", std::make_shared<CallerPresentationHandler>()},
      {"callerid_tag", "", kinds::String()},
      {"trust_id_inbound", "no", kinds::Bool()},
      {"trust_id_outbound", "no", kinds::Bool()},
      {"send_pai", "no", kinds::Bool()},
      {"send_rpid", "no", kinds::Bool()},
      {"rpid_immediate", "no", kinds::Bool()},
      {"send_diversion", "yes", kinds::Bool()},
      {"send_history_info", "no", kinds::Bool()},
      {"mailboxes", "", kinds::String()},
      {"voicemail_extension", "", kinds::NullableString()},
      {"aggregate_mwi", "yes", kinds::Bool()},
      {"mwi_subscribe_replaces_unsolicited", "no", kinds::YesNo()},
      {"media_encryption", "no", kinds::Words({"no", "sdes", "dtls"})},
      {"use_avpf", "no", kinds::Bool()},
      {"force_avp", "no", kinds::Bool()},
      {"media_use_received_transport", "no", kinds::Bool()},
      {"rtp_keepalive", "0", kinds::Uint()},
      {"rtp_timeout", "0", kinds::Uint()},
      {"rtp_timeout_hold", "0", kinds::Uint()},
      {"rtp_port_start", "0", kinds::UintRange(0, 65535)},
      {"rtp_port_end", "0", kinds::UintRange(0, 65535)},
      {"one_touch_recording", "no", kinds::Bool()},
      {"inband_progress", "no", kinds::Bool()},
      {"call_group", "", kGroup},
      {"pickup_group", "", kGroup},
      {"named_call_group", "", kNamedGroup},
      {"named_pickup_group", "", kNamedGroup},
      {"device_state_busy_at", "0", kinds::Uint()},
      {"t38_udptl", "no", kinds::Bool()},
      {"t38_udptl_ec", "none", kinds::Enum({{"none", "none"}, {"fec", "fec"}, {"redundancy", "redundancy"}}, EnumHandler::Options::CaseSensitive())},
      {"t38_udptl_maxdatagram", "0", kinds::Uint()},
      {"fax_detect", "no", kinds::Bool()},
      {"fax_detect_timeout", "0", kinds::Uint()},
      {"t38_udptl_nat", "no", kinds::Bool()},
      {"t38_udptl_ipv6", "no", kinds::Bool()},
      {"t38_bind_udptl_to_media_address", "no", kinds::Bool()},
      {"tone_zone", "", kinds::String()},
      {"language", "", kinds::String()},
      {"record_on_feature", "automixmon", kinds::String()},
      {"record_off_feature", "automixmon", kinds::String()},
      {"allow_transfer", "yes", kinds::Bool()},
      {"user_eq_phone", "no", kinds::Bool()},
      {"moh_passthrough", "no", kinds::Bool()},
      {"sdp_owner", "-", kinds::String()},
      {"sdp_session", "Asterisk", kinds::String()},
      {"tos_audio", "0", kinds::Tos()},
      {"tos_video", "0", kinds::Tos()},
      {"cos_audio", "0", kinds::Uint()},
      {"cos_video", "0", kinds::Uint()},
      {"allow_subscribe", "yes", kinds::Bool()},
      {"sub_min_expiry", "0", kinds::Uint()},
      {"from_user", "", kFromUser},
      {"from_domain", "", kinds::String()},
      {"mwi_from_user", "", kinds::String()},
      {"rtp_engine", "asterisk", kinds::String()},
      {"dtls_verify", "no", kinds::Enum({{"yes", "Yes"}, {"no", "No"}, {"fingerprint", "Fingerprint"}, {"certificate", "Certificate"}}, EnumHandler::Options::BoolWords("Yes", "No"))},
      {"dtls_rekey", "0", kinds::Uint()},
      {"dtls_auto_generate_cert", "no", kinds::YesNoCapital()},
      {"dtls_cert_file", "", kinds::File(true)},
      {"dtls_private_key", "", kinds::File(true)},
      {"dtls_cipher", "", kinds::NullableString()},
      {"dtls_ca_file", "", kinds::File(true)},
      {"dtls_ca_path", "", kinds::Directory(true)},
      {"dtls_setup", "", kinds::Enum({{"active", "active"}, {"passive", "passive"}, {"actpass", "actpass"}}, EnumHandler::Options::UnsetPrints("active", /*ignore_unknown=*/true))},
      {"dtls_fingerprint", "", kinds::Enum({{"SHA-256", "SHA-256"}, {"SHA-1", "SHA-1"}}, EnumHandler::Options::UnsetPrints("SHA-256", /*ignore_unknown=*/true))},
      {"srtp_tag_32", "no", kinds::Bool()},
      {"media_encryption_optimistic", "no", kinds::Bool()},
      {"g726_non_standard", "no", kinds::Bool()},
      {"redirect_method", "user", kinds::Words({"user", "uri_core", "uri_pjsip"})},
      {"follow_redirect_methods", "", kinds::EnumList({"message"})},
      {"set_var", "", std::make_shared<SetVarHandler>(), Output::kAlways, /*multi=*/true},
      {"message_context", "", kinds::String()},
      {"accountcode", "", kinds::String()},
      {"deny", "", kinds::Acl(), Output::kStorageOnly},
      {"permit", "", kinds::Acl(), Output::kStorageOnly},
      {"acl", "", kAclNames},
      {"contact_deny", "", kinds::Acl(), Output::kStorageOnly},
      {"contact_permit", "", kinds::Acl(), Output::kStorageOnly},
      {"contact_acl", "", kAclNames},
      {"subscribe_context", "", kinds::CharArray(80)},
      {"contact_user", "", kinds::OptionalString(), Output::kOmitWhenEmpty},
      {"preferred_codec_only", "no", kinds::Bool()},
      {"asymmetric_rtp_codec", "no", kinds::Bool()},
      {"rtcp_mux", "no", kinds::Bool()},
      {"allow_overlap", "yes", kinds::Bool()},
      {"overlap_context", "", kinds::String()},
      {"refer_blind_progress", "yes", kinds::Bool()},
      {"notify_early_inuse_ringing", "no", kinds::Bool()},
      {"max_audio_streams", "1", kinds::Uint()},
      {"max_video_streams", "1", kinds::Uint()},
      {"bundle", "no", kinds::Bool()},
      {"webrtc", "no", kinds::YesNo()},
      {"incoming_mwi_mailbox", "", kinds::String()},
      {"follow_early_media_fork", "yes", kinds::Bool()},
      {"accept_multiple_sdp_answers", "no", kinds::Bool()},
      {"suppress_q850_reason_headers", "no", kinds::Bool()},
      {"ignore_183_without_sdp", "no", kinds::Bool()},
      {"incoming_call_offer_pref", "local", kinds::Enum({{"local", "local"}, {"local_first", "local_first"}, {"remote", "remote"}, {"remote_first", "remote_first"}}, EnumHandler::Options::CaseSensitive())},
      {"outgoing_call_offer_pref", "remote_merge", kinds::Enum({{"local", "local"}, {"local_merge", "local_merge"}, {"local_first", "local_first"}, {"remote", "remote"}, {"remote_merge", "remote_merge"}, {"remote_first", "remote_first"}}, EnumHandler::Options::CaseSensitive())},
      {"codec_prefs_incoming_offer", "prefer: pending, operation: intersect, keep: all, transcode: allow", std::make_shared<CodecPrefsHandler>(false)},
      {"codec_prefs_outgoing_offer", "prefer: pending, operation: union, keep: all, transcode: allow", kCodecPrefs},
      {"codec_prefs_incoming_answer", "prefer: pending, operation: intersect, keep: all", kCodecPrefs},
      {"codec_prefs_outgoing_answer", "prefer: pending, operation: intersect, keep: all", kCodecPrefs},
      {"stir_shaken", kNoDefault, std::make_shared<DeprecatedHandler>("no")},
      {"stir_shaken_profile", "", kinds::String()},
      {"allow_unauthenticated_options", "no", kinds::Bool()},
      {"geoloc_incoming_call_profile", "", kinds::String()},
      {"geoloc_outgoing_call_profile", "", kinds::String()},
      {"security_mechanisms", "", kinds::SecurityMechanisms(), Output::kOmitWhenEmpty},
      {"security_negotiation", "no", kSecurityNegotiation},
      {"send_aoc", "no", kinds::Bool()},
      {"tenantid", "", kinds::String()},
      {"suppress_moh_on_sendonly", "no", kinds::Bool()},
  };
  spec.output_order = {
      "rpid_immediate",
      "webrtc",
      "ignore_183_without_sdp",
      "send_aoc",
      "device_state_busy_at",
      "t38_udptl_maxdatagram",
      "codec_prefs_incoming_answer",
      "security_negotiation",
      "dtls_rekey",
      "rtp_port_end",
      "named_pickup_group",
      "direct_media_method",
      "send_rpid",
      "pickup_group",
      "sdp_session",
      "dtls_verify",
      "message_context",
      "tenantid",
      "mailboxes",
      "record_on_feature",
      "dtls_private_key",
      "dtls_fingerprint",
      "overlap_context",
      "outgoing_call_offer_pref",
      "rtp_port_start",
      "from_domain",
      "timers_sess_expires",
      "named_call_group",
      "dtls_cipher",
      "media_encryption_optimistic",
      "suppress_q850_reason_headers",
      "aors",
      "identify_by",
      "callerid_privacy",
      "mwi_subscribe_replaces_unsolicited",
      "cos_audio",
      "follow_early_media_fork",
      "context",
      "rtp_symmetric",
      "transport",
      "moh_suggest",
      "t38_udptl",
      "fax_detect",
      "t38_bind_udptl_to_media_address",
      "tos_video",
      "srtp_tag_32",
      "refer_blind_progress",
      "max_audio_streams",
      "bundle",
      "use_avpf",
      "call_group",
      "send_connected_line",
      "fax_detect_timeout",
      "sdp_owner",
      "force_rport",
      "callerid_tag",
      "rtp_timeout_hold",
      "contact_user",
      "suppress_moh_on_sendonly",
      "^@",
      "use_ptime",
      "media_address",
      "voicemail_extension",
      "rtp_timeout",
      "stir_shaken",
      "set_var",
      "contact_acl",
      "preferred_codec_only",
      "geoloc_outgoing_call_profile",
      "force_avp",
      "record_off_feature",
      "from_user",
      "send_diversion",
      "send_history_info",
      "t38_udptl_ipv6",
      "tone_zone",
      "language",
      "allow_subscribe",
      "rtp_ipv6",
      "callerid",
      "moh_passthrough",
      "cos_video",
      "dtls_auto_generate_cert",
      "asymmetric_rtp_codec",
      "geoloc_incoming_call_profile",
      "ice_support",
      "aggregate_mwi",
      "one_touch_recording",
      "mwi_from_user",
      "redirect_method",
      "accountcode",
      "codec_prefs_outgoing_answer",
      "allow",
      "rewrite_contact",
      "user_eq_phone",
      "rtp_engine",
      "follow_redirect_methods",
      "subscribe_context",
      "notify_early_inuse_ringing",
      "incoming_mwi_mailbox",
      "incoming_call_offer_pref",
      "allow_unauthenticated_options",
      "auth",
      "direct_media_glare_mitigation",
      "trust_id_inbound",
      "stir_shaken_profile",
      "bind_rtp_to_media_address",
      "disable_direct_media_on_nat",
      "media_encryption",
      "media_use_received_transport",
      "allow_overlap",
      "dtmf_mode",
      "outbound_auth",
      "tos_audio",
      "dtls_cert_file",
      "dtls_ca_path",
      "dtls_setup",
      "connected_line_method",
      "g726_non_standard",
      "security_mechanisms",
      "100rel",
      "timers",
      "direct_media",
      "acl",
      "timers_min_se",
      "trust_id_outbound",
      "sub_min_expiry",
      "rtcp_mux",
      "max_video_streams",
      "accept_multiple_sdp_answers",
      "codec_prefs_incoming_offer",
      "codec_prefs_outgoing_offer",
      "trust_connected_line",
      "send_pai",
      "rtp_keepalive",
      "t38_udptl_ec",
      "t38_udptl_nat",
      "allow_transfer",
      "dtls_ca_file",
      "outbound_proxy",
      "inband_progress"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

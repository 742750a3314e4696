// PJSIP type `auth` (res_pjsip, res/res_pjsip/config_auth.c).
#include <string>

#include "pjsip/table.h"

namespace pjsip {

namespace {

using util::Status;

// What global default_auth_algorithms_uas/_uac hold unless configured otherwise. The apply rule
// cannot see the global object, so an auth without algorithms gets Asterisk's default.
constexpr const char* kDefaultAlgorithm = "MD5";

Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("username").empty()) return Status::Invalid("username is required");

  // md5_cred and password_digest's MD5 entry are one credential: a freshly parsed md5_cred
  // (marked "new") replaces the MD5 digest; afterwards md5_cred mirrors it.
  sorcery::FieldValue digests = b.Value("password_digest");
  const sorcery::FieldValue& md5 = b.Value("md5_cred");
  if (md5.size() > 1) {
    std::erase_if(digests, [](const std::string& t) { return t.rfind("MD5:", 0) == 0; });
    digests.insert(digests.begin(), "MD5:" + md5.front());
    b.SetValue("password_digest", digests);
  }
  sorcery::FieldValue mirror;
  for (const std::string& t : digests)
    if (t.rfind("MD5:", 0) == 0) mirror.push_back(t.substr(4));
  b.SetValue("md5_cred", mirror);

  if (b.Scalar("auth_type") == "google_oauth") {
    for (const char* f : {"refresh_token", "oauth_clientid", "oauth_secret"})
      if (b.Scalar(f).empty()) return Status::Invalid(std::string(f) + " is required for google_oauth");
    return Status::Ok();
  }
  bool has_password = !b.Scalar("password").empty();
  for (const char* f : {"supported_algorithms_uac", "supported_algorithms_uas"}) {
    if (b.Value(f).empty()) SetScalar(b, f, kDefaultAlgorithm);
    for (const std::string& algo : b.Value(f)) {
      bool has_digest = false;
      for (const std::string& t : digests) has_digest = has_digest || t.rfind(algo + ":", 0) == 0;
      if (!has_password && !has_digest)
        return Status::Invalid("a password or " + algo + " digest is required");
    }
  }
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeAuthType() {
  TypeSpec spec;
  spec.name = "auth";
  spec.default_mapping = "config,pjsip.conf,criteria=type=auth";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"username", "", kinds::String()},
      {"password", "", kinds::String()},
      {"refresh_token", "", kinds::String()},
      {"oauth_clientid", "", kinds::String()},
      {"oauth_secret", "", kinds::String()},
      {"md5_cred", kNoDefault, std::make_shared<Md5CredHandler>()},
      {"realm", "", kinds::String()},
      {"nonce_lifetime", "32", kinds::Uint()},
      {"auth_type", "userpass", kinds::Words({"userpass", "md5", "digest", "google_oauth"})},
      {"password_digest", kNoDefault, std::make_shared<DigestListHandler>()},
      {"supported_algorithms_uac", "", kinds::EnumList({"MD5", "SHA-256", "SHA-512-256"})},
      {"supported_algorithms_uas", "", kinds::EnumList({"MD5", "SHA-256", "SHA-512-256"})},
  };
  spec.output_order = {
      "oauth_secret",
      "password_digest",
      "supported_algorithms_uas",
      "refresh_token",
      "username",
      "md5_cred",
      "^@",
      "realm",
      "auth_type",
      "password",
      "supported_algorithms_uac",
      "nonce_lifetime",
      "oauth_clientid"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

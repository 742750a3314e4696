#include "ari/ari_application.h"

#include <crypt.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "ari/res_ari_http.h"

#include "util/log.h"
#include "util/strings.h"

namespace ari {

namespace {

constexpr const char* kAllowDynamic = "OPTIONS,GET,PUT,DELETE";

HttpResponse Json(int status, std::string reason, std::string body) {
  HttpResponse r;
  r.status = status;
  r.reason = std::move(reason);
  r.body = std::move(body);
  r.headers.emplace_back("Content-type", "application/json");
  return r;
}

HttpResponse Message(int status, std::string reason, std::string_view message) {
  return Json(status, std::move(reason), MessageBody(message));
}

HttpResponse FromReply(AriReply&& reply) {
  HttpResponse r;
  r.status = reply.status;
  r.reason = std::move(reply.reason);
  r.wait_for = std::move(reply.commit);
  if (!reply.body.empty()) {
    r.headers.emplace_back("Content-type", "application/json");
    r.body = std::move(reply.body);
  }
  return r;
}

// What the HTTP core answers for a URI outside ARI (wrong prefix, not /ari).
HttpResponse NotFoundPage() {
  HttpResponse r;
  r.status = 404;
  r.reason = "Not Found";
  r.headers.emplace_back("Content-type", "text/html");
  r.body =
      "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n<title>404 Not Found</title>\r\n"
      "</head><body>\r\n<h1>Not Found</h1>\r\n<p>The requested URL was not found on this server.</p>\r\n"
      "<hr />\r\n<address>sorceryd</address>\r\n</body></html>\r\n";
  return r;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The value of the first query parameter named exactly `name`, decoded; nullopt when absent.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  for (auto part : util::Split(query, '&')) {
    auto eq = part.find('=');
    std::string key = PercentDecode(part.substr(0, eq));
    if (key != name) continue;
    return eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
  }
  return std::nullopt;
}

// Media type of the Content-Type header: up to the first ';', trimmed, lower-cased.
std::string MediaType(const HttpRequest& req) {
  const std::string* ct = req.Header("Content-Type");
  if (!ct) return {};
  std::string_view v = *ct;
  if (auto semi = v.find(';'); semi != std::string_view::npos) v = v.substr(0, semi);
  return util::ToLower(util::Trim(v));
}

}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> DecodePathSegments(std::string_view path) {
  std::vector<std::string> out;
  for (auto seg : util::Split(path, '/')) out.push_back(PercentDecode(seg));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < in.size(); ++i) {
    char c = in[i];
    if (c == '=') break;
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  for (; i < in.size(); ++i)
    if (in[i] != '=') return std::nullopt;
  return out;
}

AriApplication::AriApplication(AriSettings settings, std::string http_prefix, sorcery::InstanceRegistry& instances)
    : prefix_(http_prefix.empty() ? std::string() : "/" + http_prefix),
      instances_(instances),
      dynamic_config_(instances),
      settings_(std::make_shared<const AriSettings>(std::move(settings))),
      asterisk_(std::make_shared<const AsteriskResource>(LoadServerIdentity(""))),
      redirects_(std::make_shared<const std::vector<std::pair<std::string, std::string>>>()) {
  auto docs = ApiDocs::Build(RestApiDocuments(), prefix_);
  if (docs.ok()) api_docs_ = std::move(docs).value();
  else util::LogError(docs.status().message() + "; /ari/api-docs unavailable");
}

void AriApplication::UpdateSettings(AriSettings settings) {
  if (sorcery::Sorcery* res_ari = instances_.Find("res_ari")) {
    if (util::Status s = res_ari->ReloadAll(); !s.ok()) util::LogWarning("res_ari reload: " + s.message());
  }
  std::unique_lock lock(mu_);
  settings_ = std::make_shared<const AriSettings>(std::move(settings));
  verified_crypt_.clear();
  ServerIdentity identity = asterisk_->identity();
  identity.last_reload_time = std::chrono::system_clock::now();
  asterisk_ = std::make_shared<const AsteriskResource>(std::move(identity));
}

void AriApplication::SetServerIdentity(ServerIdentity identity) {
  std::unique_lock lock(mu_);
  asterisk_ = std::make_shared<const AsteriskResource>(std::move(identity));
}

void AriApplication::SetRedirects(std::vector<std::pair<std::string, std::string>> redirects) {
  std::unique_lock lock(mu_);
  redirects_ = std::make_shared<const std::vector<std::pair<std::string, std::string>>>(std::move(redirects));
}

bool AriApplication::CheckPassword(const AriUser& user, const std::string& password) {
  if (!user.crypt) return ConstantTimeEquals(user.password, password);
  std::string key = user.name + ":" + password;
  {
    std::shared_lock lock(mu_);
    auto it = verified_crypt_.find(key);
    if (it != verified_crypt_.end()) return it->second == user.password;
  }
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* hashed = crypt_r(password.c_str(), user.password.c_str(), &data);
  bool ok = hashed && hashed[0] != '*' && ConstantTimeEquals(user.password, hashed);
  if (ok) {
    std::unique_lock lock(mu_);
    if (verified_crypt_.size() > 4096) verified_crypt_.clear();
    verified_crypt_[key] = user.password;
  }
  return ok;
}

std::shared_ptr<const AriUser> AriApplication::Authenticate(const HttpRequest& request,
                                                           const std::string& api_key) {
  std::optional<Credentials> creds;
  for (const auto& [name, value] : request.headers) {
    if (!util::IEquals(name, "Authorization")) continue;
    if (!util::StartsWith(value, "Basic ")) continue;
    auto decoded = Base64Decode(util::Trim(std::string_view(value).substr(6)));
    if (!decoded || decoded->size() > 255) break;
    auto colon = decoded->find(':');
    if (colon == std::string::npos) break;
    creds = Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
    break;
  }
  if (!creds && !api_key.empty()) {
    auto colon = api_key.find(':');
    if (colon != std::string::npos && colon + 1 < api_key.size())
      creds = Credentials{api_key.substr(0, colon), api_key.substr(colon + 1)};
  }
  if (!creds || creds->user.empty() || creds->password.empty()) return nullptr;
  std::shared_ptr<const AriSettings> settings;
  {
    std::shared_lock lock(mu_);
    settings = settings_;
  }
  auto it = settings->users.find(creds->user);
  if (it == settings->users.end()) return nullptr;
  if (!CheckPassword(it->second, creds->password)) return nullptr;
  // Aliasing pointer: keeps the settings (and so the user) alive while the request runs.
  return std::shared_ptr<const AriUser>(settings, &it->second);
}

HttpResponse AriApplication::Handle(HttpRequest& request) {
  std::shared_ptr<const AriSettings> settings;
  std::shared_ptr<const std::vector<std::pair<std::string, std::string>>> redirects;
  {
    std::shared_lock lock(mu_);
    settings = settings_;
    redirects = redirects_;
  }
  // http.conf redirects come first (the HTTP core checks them before the prefix).
  if (!redirects->empty()) {
    std::string decoded = PercentDecode(request.path);
    for (const auto& [from, to] : *redirects) {
      if (!util::IEquals(decoded, from)) continue;
      HttpResponse r;
      r.status = 302;
      r.reason = "Moved Temporarily";
      r.headers.emplace_back("Location", to);
      return r;
    }
  }
  // Locate /[prefix/]ari; the prefix and "ari" match case-insensitively.
  std::string_view path = request.path;
  if (!prefix_.empty()) {
    if (path.size() < prefix_.size() + 1 || !util::IEquals(path.substr(0, prefix_.size()), prefix_) ||
        path[prefix_.size()] != '/')
      return NotFoundPage();
    path.remove_prefix(prefix_.size());
  }
  if (!(path.size() >= 4 && util::IEquals(path.substr(0, 4), "/ari") && (path.size() == 4 || path[4] == '/')) ||
      !settings->enabled) {
    return NotFoundPage();
  }
  std::string_view rest = path.size() > 5 ? path.substr(5) : std::string_view();

  bool already_pretty = false;
  HttpResponse r = HandleAri(request, rest, *settings, already_pretty);
  if (settings->pretty && !already_pretty && !r.body.empty()) r.body = PrettyJson(r.body);
  // 0. CORS: every answer to an allowed Origin (header name matched exactly, as Asterisk does).
  if (!settings->allowed_origins.empty()) {
    for (const auto& [name, value] : request.headers) {
      if (name != "Origin") continue;
      if (OriginAllowed(settings->allowed_origins, value)) {
        r.headers.insert(r.headers.begin(), {{"Access-Control-Allow-Origin", value},
                                             {"Access-Control-Allow-Credentials", "true"}});
      } else {
        util::LogNotice("Origin header '" + value + "' does not match an allowed origin.");
      }
      break;
    }
  }
  return r;
}

namespace {

// One ARI route: the methods it has handlers for, in Asterisk's order (GET, POST, HEAD, PUT, DELETE).
struct RouteMethods {
  const char* allow;  // "OPTIONS,GET,PUT,DELETE"
  std::initializer_list<std::string_view> methods;
};

// OPTIONS (step 10) or 405 (step 11) for a route; nullopt when `method` has a handler.
std::optional<HttpResponse> FrameworkAnswer(const HttpRequest& request, const AriSettings& settings,
                                            const RouteMethods& route) {
  const std::string& method = request.method;
  if (method == "OPTIONS") {
    HttpResponse r;
    r.status = 204;
    r.reason = "No Content";
    r.headers.emplace_back("Allow", route.allow);
    // CORS preflight: an allowed Origin asking for a method this route has.
    const std::string* origin = nullptr;
    const std::string* acr_method = nullptr;
    const std::string* acr_headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      if (name == "Origin" && !origin) origin = &value;
      else if (name == "Access-Control-Request-Method" && !acr_method) acr_method = &value;
      else if (name == "Access-Control-Request-Headers" && !acr_headers) acr_headers = &value;
    }
    if (origin && acr_method && OriginAllowed(settings.allowed_origins, *origin) &&
        std::find(route.methods.begin(), route.methods.end(), *acr_method) != route.methods.end()) {
      r.headers.emplace_back("Access-Control-Allow-Methods", route.allow);
      if (acr_headers && !acr_headers->empty()) r.headers.emplace_back("Access-Control-Allow-Headers", *acr_headers);
    }
    return r;
  }
  if (std::find(route.methods.begin(), route.methods.end(), method) != route.methods.end()) return std::nullopt;
  HttpResponse r = Message(405, "Method Not Allowed", "Invalid method");
  r.headers.insert(r.headers.begin(), {"Allow", route.allow});
  return r;
}

const RouteMethods kDynamicRoute{kAllowDynamic, {"GET", "PUT", "DELETE"}};
const RouteMethods kGetRoute{"OPTIONS,GET", {"GET"}};
const RouteMethods kInnerRoute{"OPTIONS", {}};

}  // namespace

HttpResponse AriApplication::HandleAri(HttpRequest& request, std::string_view rest, const AriSettings& settings,
                                       bool& already_pretty) {
  // 1. Body: parsed as JSON only for a JSON content type.
  std::optional<util::json::Value> body;
  std::string media = MediaType(request);
  std::string form_query;
  if (!request.body.empty()) {
    if (media == "application/json") {
      auto parsed = util::json::Parse(request.body);
      if (!parsed.ok() || !(parsed->is_object() || parsed->is_array()))
        return Message(400, "Bad Request", "Error parsing request body");
      body = std::move(parsed).value();
    } else if (media == "application/x-www-form-urlencoded") {
      form_query = request.body;
    }
  }

  // 3. Authentication: Basic header, else api_key from the form or the query.
  std::string api_key;
  if (auto k = QueryParam(form_query, "api_key")) api_key = *k;
  else if (auto q = QueryParam(request.query, "api_key")) api_key = *q;
  auto user = Authenticate(request, api_key);
  if (!user) {
    HttpResponse r = Message(401, "Unauthorized", "Authentication required");
    r.headers.insert(r.headers.begin(), {"WWW-Authenticate", "Basic realm=\"" + settings.auth_realm + "\""});
    return r;
  }
  // 4. The user's address ACL.
  if (!user->acl.Allows(request.remote_address)) return Message(403, "Forbidden", "Access denied by ACL");
  // 6. Read-only users may only read.
  if (user->read_only && request.method != "GET" && request.method != "OPTIONS")
    return Message(403, "Forbidden", "Write access denied");
  // 7. Trailing slash.
  if (!rest.empty() && rest.back() == '/')
    return Message(404, "Not Found",
                   "ARI URLs do not end with a slash. Try /ari/" + std::string(rest.substr(0, rest.size() - 1)));
  const std::string& method = request.method;
  // 8. api-docs.
  if (util::StartsWith(rest, "api-docs/")) {
    if (method != "GET") return Message(405, "Method Not Allowed", "Unsupported method");
    std::string name = PercentDecode(rest.substr(9));
    std::optional<std::string> doc;
    if (api_docs_) doc = api_docs_->Render(name, request.Header("Host"), settings.pretty);
    if (!doc) return Message(404, "Not Found", "Resource not found");
    already_pretty = true;
    return Json(200, "OK", std::move(*doc));
  }

  std::vector<std::string> seg = DecodePathSegments(rest);
  // asterisk/config/dynamic/{configClass}/{objectType}/{id}
  bool under_asterisk = !seg.empty() && seg[0] == "asterisk";
  bool dynamic_prefix = under_asterisk && seg.size() >= 3 && seg[1] == "config" && seg[2] == "dynamic";
  if (dynamic_prefix && seg.size() == 6) {
    if (auto r = FrameworkAnswer(request, settings, kDynamicRoute)) return std::move(*r);
    if (method == "GET") return FromReply(dynamic_config_.Get(seg[3], seg[4], seg[5]));
    if (method == "PUT") {
      const util::json::Value* b = body ? &*body : nullptr;
      return FromReply(dynamic_config_.Put(seg[3], seg[4], seg[5], b));
    }
    return FromReply(dynamic_config_.Delete(seg[3], seg[4], seg[5]));
  }
  if (under_asterisk && seg.size() == 2 && (seg[1] == "info" || seg[1] == "ping")) {
    if (auto r = FrameworkAnswer(request, settings, kGetRoute)) return std::move(*r);
    std::shared_ptr<const AsteriskResource> asterisk;
    {
      std::shared_lock lock(mu_);
      asterisk = asterisk_;
    }
    if (seg[1] == "ping") return FromReply(asterisk->Ping());
    // The last `only` wins; form parameters come before the query's.
    std::optional<std::string> only;
    for (std::string_view params : {std::string_view(form_query), std::string_view(request.query)}) {
      if (params.empty()) continue;
      for (auto part : util::Split(params, '&')) {
        auto eq = part.find('=');
        if (PercentDecode(part.substr(0, eq)) != "only") continue;
        only = eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
      }
    }
    return FromReply(asterisk->Info(only));
  }
  // Inner nodes of the route tree have no handlers.
  bool inner = under_asterisk && (seg.size() == 1 || (seg[1] == "config" && (seg.size() == 2 || (seg[2] == "dynamic" && seg.size() <= 5))));
  if (inner) {
    if (auto r = FrameworkAnswer(request, settings, kInnerRoute)) return std::move(*r);
  }
  return Message(404, "Not Found", "Resource not found");
}

}  // namespace ari

// PJSIP type `identify` (res_pjsip_endpoint_identifier_ip, res/res_pjsip_endpoint_identifier_ip.c).
#include <regex.h>

#include <string>

#include "util/strings.h"
#include "pjsip/table.h"

namespace pjsip {

namespace {

using util::Status;

// "/.../" values are regular expressions that must compile.
bool RegexCompiles(std::string_view value) {
  if (value.size() < 2 || value.front() != '/' || value.back() != '/') return true;
  std::string pattern(value.substr(1, value.size() - 2));
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return false;
  regfree(&re);
  return true;
}

Status Apply(sorcery::ObjectBuilder& b) {
  if (b.Scalar("endpoint").empty()) return Status::Invalid("endpoint is required");
  std::string_view header = b.Scalar("match_header");
  std::string_view request_uri = b.Scalar("match_request_uri");
  if (b.Value("match").empty() && header.empty() && request_uri.empty())
    return Status::Invalid("one of match, match_header or match_request_uri is required");
  if (!header.empty()) {
    size_t colon = header.find(':');
    if (colon == std::string_view::npos || util::Trim(header.substr(0, colon)).empty())
      return Status::Invalid("match_header must be 'Name: value'");
    if (!RegexCompiles(util::Trim(header.substr(colon + 1))))
      return Status::Invalid("match_header regular expression does not compile");
  }
  if (!RegexCompiles(request_uri)) return Status::Invalid("match_request_uri regular expression does not compile");
  return Status::Ok();
}

}  // namespace

sorcery::ObjectTypePtr MakeIdentifyType() {
  TypeSpec spec;
  spec.name = "identify";
  spec.default_mapping = "config,pjsip.conf,criteria=type=identify";
  spec.reloadable = true;
  spec.rows = {
      {"type", "", kinds::Noop(), Output::kNever},
      {"endpoint", "", kinds::String()},
      {"match", "", std::make_shared<IpMatchHandler>(), Output::kAlways, /*multi=*/true},
      {"match_header", "", kinds::String()},
      {"match_request_uri", "", kinds::String()},
      {"srv_lookups", "yes", kinds::Bool()},
  };
  spec.output_order = {
      "match",
      "match_request_uri",
      "srv_lookups",
      "^@",
      "endpoint",
      "match_header"
  };
  spec.apply_rule = Apply;
  return BuildType(std::move(spec));
}

}  // namespace pjsip

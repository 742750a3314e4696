#include "pjsip/handlers.h"

#include <regex.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "pjsip/net.h"
#include "util/json.h"
#include "util/strings.h"

namespace pjsip {

using util::Status;

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Splits at ',' and trims each piece; empty pieces are skipped.
std::vector<std::string_view> CommaItems(std::string_view text, bool also_pipe = false) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',' || (also_pipe && text[i] == '|')) {
      std::string_view piece = util::Trim(text.substr(start, i - start));
      if (!piece.empty()) out.push_back(piece);
      start = i + 1;
    }
  }
  return out;
}

std::string Join(const FieldValue& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

bool Contains(const FieldValue& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

// ---- noop ----------------------------------------------------------------------------------

Status NoopHandler::Parse(std::string_view, FieldValue&) const { return Status::Ok(); }
void NoopHandler::Render(const FieldValue&, std::vector<std::string>&) const {}

// ---- string --------------------------------------------------------------------------------

Status StringHandler::Parse(std::string_view text, FieldValue& value) const {
  if (check_chars_) {
    for (char c : text) {
      if (!IsAlnum(c) && allowed_punct_.find(c) == std::string::npos)
        return Status::Invalid(std::string("character '") + c + "' not allowed");
    }
  }
  value.assign(1, std::string(text));
  return Status::Ok();
}

void StringHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (value.empty()) {
    if (print_ == Print::kAlways) out.emplace_back();
    return;
  }
  if (value.front().empty() && print_ == Print::kNothingWhenEmpty) return;
  out.push_back(value.front());
}

Status CharArrayHandler::Parse(std::string_view text, FieldValue& value) const {
  if (required_ && text.empty()) return Status::Invalid("must not be empty");
  if (max_len_ > 0 && text.size() > max_len_ - 1) text = text.substr(0, max_len_ - 1);
  value.assign(1, std::string(text));
  return Status::Ok();
}

void CharArrayHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? std::string() : value.front());
}

// ---- booleans and numbers ------------------------------------------------------------------

Status BoolHandler::Parse(std::string_view text, FieldValue& value) const {
  std::string_view t = util::Trim(text);
  if (util::IsTrueWord(t)) {
    value.assign(1, "true");
  } else if (util::IsFalseWord(t)) {
    value.assign(1, "false");
  } else {
    return Status::Invalid("not a boolean");
  }
  return Status::Ok();
}

void BoolHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  bool on = !value.empty() && value.front() == "true";
  switch (style_) {
    case Style::kTrueFalse: out.emplace_back(on ? "true" : "false"); break;
    case Style::kYesNo: out.emplace_back(on ? "yes" : "no"); break;
    case Style::kYesNoCapital: out.emplace_back(on ? "Yes" : "No"); break;
  }
}

Status UintHandler::Parse(std::string_view text, FieldValue& value) const {
  auto v = util::ParseUint32(text);
  if (!v) return Status::Invalid("not an unsigned integer");
  if (*v < min_ || *v > max_)
    return Status::Invalid("must be between " + std::to_string(min_) + " and " + std::to_string(max_));
  value.assign(1, std::to_string(*v));
  return Status::Ok();
}

void UintHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "0" : value.front());
}

Status IntHandler::Parse(std::string_view text, FieldValue& value) const {
  auto v = util::ParseInt32(text);
  if (!v) return Status::Invalid("not an integer");
  if (*v < min_ || *v > max_)
    return Status::Invalid("must be between " + std::to_string(min_) + " and " + std::to_string(max_));
  value.assign(1, std::to_string(*v));
  return Status::Ok();
}

void IntHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "0" : value.front());
}

Status DoubleHandler::Parse(std::string_view text, FieldValue& value) const {
  auto v = util::ParseDouble(util::Trim(text));
  if (!v) return Status::Invalid("not a number");
  value.assign(1, util::FormatDouble(*v));
  return Status::Ok();
}

void DoubleHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? util::FormatDouble(0) : value.front());
}

// ---- enums ---------------------------------------------------------------------------------

EnumHandler::EnumHandler(std::vector<std::pair<std::string, std::string>> words, Options options)
    : words_(std::move(words)), options_(std::move(options)) {}

Status EnumHandler::Parse(std::string_view text, FieldValue& value) const {
  for (const auto& [in, printed] : words_) {
    if (options_.case_sensitive ? text == in : util::IEquals(text, in)) {
      value.assign(1, printed);
      return Status::Ok();
    }
  }
  if (!options_.true_word.empty()) {
    if (util::IsTrueWord(text)) {
      value.assign(1, options_.true_word);
      return Status::Ok();
    }
    if (util::IsFalseWord(text)) {
      value.assign(1, options_.false_word);
      return Status::Ok();
    }
  }
  if (options_.ignore_unknown) return Status::Ok();
  return Status::Invalid("unknown value " + Quote(text));
}

void EnumHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? options_.unset_print : value.front());
}

Status EnumListHandler::Parse(std::string_view text, FieldValue& value) const {
  FieldValue next;
  for (std::string_view item : CommaItems(text)) {
    auto it = std::find_if(words_.begin(), words_.end(),
                           [&](const std::string& w) { return util::IEquals(w, item); });
    if (it == words_.end()) return Status::Invalid("unknown value " + Quote(item));
    if (!Contains(next, *it)) next.push_back(*it);
  }
  value = std::move(next);
  return Status::Ok();
}

void EnumListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(Join(value, ","));
}

// ---- name lists ----------------------------------------------------------------------------

Status NameListHandler::Parse(std::string_view text, FieldValue& value) const {
  bool accumulate = flags_ & kAccumulate;
  if ((flags_ & kEmptyClears) && util::Trim(text).empty()) {
    value.clear();
    return Status::Ok();
  }
  FieldValue next = accumulate ? value : FieldValue{};
  for (std::string_view item : CommaItems(text)) {
    if (accumulate && Contains(next, item)) continue;
    next.emplace_back(item);
  }
  value = std::move(next);
  return Status::Ok();
}

void NameListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (flags_ & kOneEntryEach) {
    out.insert(out.end(), value.begin(), value.end());
    return;
  }
  if (value.empty() && (flags_ & kNothingWhenEmpty)) return;
  out.push_back(Join(value, joiner_));
}

// ---- codecs --------------------------------------------------------------------------------

const std::vector<std::string>& KnownCodecs() {
  // Asterisk's built-in codecs in registration order (main/codec_builtin.c), which is the order
  // `allow=all` appends them in. The `none` pseudo codec is not listed.
  static const std::vector<std::string> codecs = {
      "codec2", "g723",    "ulaw",    "alaw",    "gsm",     "g726",   "g726aal2", "adpcm",
      "slin",   "slin12",  "slin16",  "slin24",  "slin32",  "slin44", "slin48",   "slin96",
      "slin192", "lpc10",  "g729",    "speex",   "speex16", "speex32", "ilbc",    "g722",
      "siren7", "siren14", "testlaw", "g719",    "opus",    "jpeg",   "png",      "h261",
      "h263",   "h263p",   "h264",    "h265",    "mpeg4",   "vp8",    "vp9",      "red",
      "t140",   "t38",     "silk8",   "silk12",  "silk16",  "silk24",
  };
  return codecs;
}

namespace {
std::string_view CodecName(std::string_view token) { return token.substr(0, token.find(':')); }

FieldValue::iterator FindCodec(FieldValue& v, std::string_view name) {
  return std::find_if(v.begin(), v.end(), [&](const std::string& t) { return CodecName(t) == name; });
}
}  // namespace

Status CodecListHandler::Parse(std::string_view text, FieldValue& value) const {
  std::string_view t = util::Trim(text);
  if (t.empty()) {
    if (inverted_) return Status::Ok();
    return Status::Invalid("empty codec list");
  }
  FieldValue next = value;
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') {
    next.clear();
    t = t.substr(1, t.size() - 2);
    // "(nothing)" is how an empty list prints; read it back as empty (deviation).
    if (util::Trim(t) == "nothing") {
      value = std::move(next);
      return Status::Ok();
    }
  }
  for (std::string_view item : CommaItems(t, /*also_pipe=*/true)) {
    bool allowing = !inverted_;
    if (item.front() == '!') {
      allowing = !allowing;
      item = util::Trim(item.substr(1));
    }
    std::string framing;
    if (size_t colon = item.rfind(':'); colon != std::string_view::npos) {
      auto ms = util::ParseUint32(item.substr(colon + 1));
      if (!ms) return Status::Invalid("bad framing in " + Quote(item));
      framing = std::to_string(*ms);
      item = util::Trim(item.substr(0, colon));
    }
    std::string name = util::ToLower(item);
    if (name == "all") {
      if (!allowing) {
        next.clear();
        continue;
      }
      for (const std::string& c : KnownCodecs())
        if (FindCodec(next, c) == next.end()) next.push_back(c);
      continue;
    }
    const auto& known = KnownCodecs();
    if (std::find(known.begin(), known.end(), name) == known.end())
      return Status::Invalid("unknown codec " + Quote(item));
    auto it = FindCodec(next, name);
    if (!allowing) {
      if (it != next.end()) next.erase(it);
      continue;
    }
    std::string token = framing.empty() || framing == "0" ? name : name + ":" + framing;
    if (it == next.end()) {
      next.push_back(token);
    } else if (!framing.empty()) {
      *it = token;
    }
  }
  value = std::move(next);
  return Status::Ok();
}

void CodecListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (inverted_) return;
  if (value.empty()) {
    out.emplace_back("(nothing)");
    return;
  }
  std::string s = "(";
  for (size_t i = 0; i < value.size(); ++i) {
    if (i) s += '|';
    s += CodecName(value[i]);
  }
  s += ')';
  out.push_back(std::move(s));
}

Status CodecPrefsHandler::Parse(std::string_view text, FieldValue& value) const {
  struct Part {
    const char* name;
    std::vector<std::string> words;
    std::string chosen;
  };
  Part parts[] = {
      {"prefer", {"pending", "configured"}, "pending"},
      {"operation", {"intersect", "union", "only_preferred", "only_nonpreferred"}, "intersect"},
      {"keep", {"all", "first"}, "all"},
      {"transcode", {"allow", "prevent"}, "allow"},
  };
  for (std::string_view item : CommaItems(text)) {
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) return Status::Invalid("expected name: value in " + Quote(item));
    std::string_view name = util::Trim(item.substr(0, colon));
    std::string_view word = util::Trim(item.substr(colon + 1));
    Part* part = nullptr;
    for (Part& p : parts)
      if (util::IEquals(name, p.name)) part = &p;
    if (!part) return Status::Invalid("unknown codec preference " + Quote(name));
    auto it = std::find_if(part->words.begin(), part->words.end(),
                           [&](const std::string& w) { return util::IEquals(w, word); });
    if (it == part->words.end())
      return Status::Invalid("unknown " + std::string(part->name) + " " + Quote(word));
    if (!allow_union_ && *it == "union") return Status::Invalid("operation 'union' not allowed here");
    part->chosen = *it;
  }
  value.assign(1, "prefer:" + parts[0].chosen + ", operation:" + parts[1].chosen +
                      ", keep:" + parts[2].chosen + ", transcode:" + parts[3].chosen);
  return Status::Ok();
}

void CodecPrefsHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "prefer:pending, operation:intersect, keep:all, transcode:allow"
                              : value.front());
}

// ---- caller id -----------------------------------------------------------------------------

namespace {
std::string_view StripQuotes(std::string_view s) {
  s = util::Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Phone-number-like after dropping the visual separators: the shrunk number, else nullopt.
std::optional<std::string> ShrinkPhoneNumber(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '(' || c == ')' || c == '.' || c == ' ') continue;
    if (!IsDigit(c) && c != '+' && c != '*' && c != '#') return std::nullopt;
    out += c;
  }
  if (out.empty()) return std::nullopt;
  return out;
}
}  // namespace

Status CallerIdHandler::Parse(std::string_view text, FieldValue& value) const {
  std::string_view t = util::Trim(text);
  if (t.empty() || t == "<unknown>") {
    value.clear();
    return Status::Ok();
  }
  std::string name, number;
  size_t lt = t.rfind('<');
  size_t gt = lt == std::string_view::npos ? lt : t.find('>', lt);
  if (gt != std::string_view::npos) {
    number = std::string(util::Trim(t.substr(lt + 1, gt - lt - 1)));
    name = std::string(StripQuotes(t.substr(0, lt)));
  } else if (auto shrunk = ShrinkPhoneNumber(t)) {
    number = *shrunk;
  } else {
    name = std::string(StripQuotes(t));
  }
  if (name.empty() && number.empty()) {
    value.clear();
  } else {
    value = {name, number};
  }
  return Status::Ok();
}

void CallerIdHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  const std::string empty;
  const std::string& name = value.size() > 0 ? value[0] : empty;
  const std::string& number = value.size() > 1 ? value[1] : empty;
  if (!name.empty() && !number.empty()) {
    out.push_back("\"" + name + "\" <" + number + ">");
  } else if (!name.empty()) {
    out.push_back(name);
  } else if (!number.empty()) {
    out.push_back(number);
  } else {
    out.emplace_back("<unknown>");
  }
}

namespace {
const std::vector<std::pair<std::string, int>>& Presentations() {
  static const std::vector<std::pair<std::string, int>> p = {
      {"allowed_not_screened", 0x00}, {"allowed_passed_screen", 0x01},
      {"allowed_failed_screen", 0x02}, {"allowed", 0x03},
      {"prohib_not_screened", 0x20},  {"prohib_passed_screen", 0x21},
      {"prohib_failed_screen", 0x22}, {"prohib", 0x23},
      {"unavailable", 0x43},
  };
  return p;
}
}  // namespace

Status CallerPresentationHandler::Parse(std::string_view text, FieldValue& value) const {
  for (const auto& [name, code] : Presentations()) {
    if (util::IEquals(text, name)) {
      value.assign(1, name);
      return Status::Ok();
    }
  }
  auto n = util::ParseInt32(text);
  if (!n) return Status::Invalid("unknown caller presentation " + Quote(text));
  for (const auto& [name, code] : Presentations()) {
    if (code == *n) {
      value.assign(1, name);
      return Status::Ok();
    }
  }
  value.assign(1, std::to_string(*n));
  return Status::Ok();
}

void CallerPresentationHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "allowed_not_screened" : value.front());
}

// ---- tos and groups ------------------------------------------------------------------------

Status TosHandler::Parse(std::string_view text, FieldValue& value) const {
  static const std::pair<const char*, int> kDscp[] = {
      {"CS0", 0x00},  {"CS1", 0x08},  {"CS2", 0x10},  {"CS3", 0x18},  {"CS4", 0x20},
      {"CS5", 0x28},  {"CS6", 0x30},  {"CS7", 0x38},  {"AF11", 0x0A}, {"AF12", 0x0C},
      {"AF13", 0x0E}, {"AF21", 0x12}, {"AF22", 0x14}, {"AF23", 0x16}, {"AF31", 0x1A},
      {"AF32", 0x1C}, {"AF33", 0x1E}, {"AF41", 0x22}, {"AF42", 0x24}, {"AF43", 0x26},
      {"EF", 0x2E},
  };
  std::string_view t = util::Trim(text);
  int tos = -1;
  for (const auto& [name, code] : kDscp)
    if (util::IEquals(t, name)) tos = code << 2;
  if (tos < 0) {
    auto n = util::ParseInt32(t);
    if (!n) return Status::Invalid("not a TOS value");
    tos = *n & 0xFF;
  }
  if (round_to_4_) tos &= ~3;
  value.assign(1, std::to_string(tos));
  return Status::Ok();
}

void TosHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "0" : value.front());
}

Status GroupHandler::Parse(std::string_view text, FieldValue& value) const {
  uint64_t bits = 0;
  for (std::string_view piece : CommaItems(text)) {
    size_t dash = piece.find('-');
    auto first = util::ParseUint32(util::Trim(piece.substr(0, dash)));
    auto last = dash == std::string_view::npos ? first : util::ParseUint32(util::Trim(piece.substr(dash + 1)));
    if (!first || !last) continue;  // as Asterisk: a bad piece is skipped
    uint32_t a = std::min(*first, *last), b = std::max(*first, *last);
    for (uint32_t g = a; g <= b && g <= 63; ++g) bits |= uint64_t{1} << g;
  }
  value.clear();
  for (int g = 0; g < 64; ++g)
    if (bits & (uint64_t{1} << g)) value.push_back(std::to_string(g));
  return Status::Ok();
}

void GroupHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(Join(value, ", "));
}

namespace {
// Asterisk keeps named groups in a 19-bucket hash container keyed by its string hash and prints
// them bucket by bucket, insertion order within a bucket.
int NamedGroupBucket(std::string_view name) {
  int32_t h = 5381;
  for (unsigned char c : name) h = static_cast<int32_t>(static_cast<uint32_t>(h) * 33u ^ c);
  int64_t a = h < 0 ? -static_cast<int64_t>(h) : h;
  return static_cast<int>(a % 19);
}
}  // namespace

Status NamedGroupHandler::Parse(std::string_view text, FieldValue& value) const {
  std::vector<std::string> names;
  for (std::string_view item : CommaItems(text))
    if (!Contains(names, item)) names.emplace_back(item);
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return NamedGroupBucket(a) < NamedGroupBucket(b);
  });
  value = std::move(names);
  return Status::Ok();
}

void NamedGroupHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(Join(value, ", "));
}

// ---- set_var -------------------------------------------------------------------------------

Status SetVarHandler::Parse(std::string_view text, FieldValue& value) const {
  if (text.empty()) return Status::Ok();
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Status::Invalid("expected NAME=VALUE");
  std::string_view name = util::Trim(text.substr(0, eq));
  std::string_view val = util::Trim(text.substr(eq + 1));
  if (name.empty()) return Status::Invalid("missing variable name");
  std::string token = std::string(name) + "=" + std::string(val);
  for (std::string& t : value) {
    if (std::string_view(t).substr(0, t.find('=')) == name) {
      t = std::move(token);
      return Status::Ok();
    }
  }
  value.push_back(std::move(token));
  return Status::Ok();
}

void SetVarHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.insert(out.end(), value.begin(), value.end());
}

// ---- files and digests ---------------------------------------------------------------------

Status FileHandler::Parse(std::string_view text, FieldValue& value) const {
  if (text.empty()) {
    value.clear();
    return Status::Ok();
  }
  std::string path(text);
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || access(path.c_str(), R_OK) != 0)
    return Status::Invalid(directory_ ? "path is not readable" : "file is not readable");
  if (directory_ ? !S_ISDIR(st.st_mode) : S_ISDIR(st.st_mode))
    return Status::Invalid(directory_ ? "not a directory" : "not a file");
  value.assign(1, std::move(path));
  return Status::Ok();
}

void FileHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (value.empty() || value.front().empty()) {
    if (!nothing_when_empty_) out.emplace_back();
    return;
  }
  out.push_back(value.front());
}

Status Md5CredHandler::Parse(std::string_view text, FieldValue& value) const {
  if (text.size() != 32) return Status::Invalid("an MD5 digest has 32 characters");
  value = {std::string(text), "new"};
  return Status::Ok();
}

void Md5CredHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (!value.empty() && !value.front().empty()) out.push_back(value.front());
}

const std::vector<std::pair<std::string, size_t>>& DigestListHandler::Algorithms() {
  static const std::vector<std::pair<std::string, size_t>> algos = {
      {"MD5", 32}, {"SHA-256", 64}, {"SHA-512-256", 64}};
  return algos;
}

Status DigestListHandler::Parse(std::string_view text, FieldValue& value) const {
  const auto& algos = Algorithms();
  std::vector<std::string> by_algo(algos.size());
  for (const std::string& t : value) {
    size_t colon = t.find(':');
    for (size_t i = 0; i < algos.size(); ++i)
      if (t.compare(0, colon, algos[i].first) == 0) by_algo[i] = t.substr(colon + 1);
  }
  for (std::string_view item : CommaItems(text)) {
    std::string_view algo = "MD5", digest = item;
    if (size_t colon = item.find(':'); colon != std::string_view::npos) {
      algo = util::Trim(item.substr(0, colon));
      digest = util::Trim(item.substr(colon + 1));
    }
    size_t i = 0;
    while (i < algos.size() && !util::IEquals(algos[i].first, algo)) ++i;
    if (i == algos.size()) return Status::Invalid("unknown digest algorithm " + Quote(algo));
    if (digest.size() != algos[i].second)
      return Status::Invalid("a " + algos[i].first + " digest has " + std::to_string(algos[i].second) +
                             " characters");
    by_algo[i] = std::string(digest);
  }
  FieldValue next;
  for (size_t i = 0; i < algos.size(); ++i)
    if (!by_algo[i].empty()) next.push_back(algos[i].first + ":" + by_algo[i]);
  value = std::move(next);
  return Status::Ok();
}

void DigestListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(Join(value, ","));
}

// ---- addresses -----------------------------------------------------------------------------

namespace {
// "[!]addr[/mask]" -> "[!]addr/mask" (address masked); nullopt when not an IP network.
std::optional<std::string> CanonicalRule(std::string_view item) {
  std::string prefix;
  if (!item.empty() && item.front() == '!') {
    prefix = "!";
    item = util::Trim(item.substr(1));
  }
  size_t slash = item.find('/');
  auto ip = net::ParseIp(item.substr(0, slash));
  if (!ip) return std::nullopt;
  net::IpAddress mask = net::FullMask(ip->family);
  if (slash != std::string_view::npos) {
    auto m = net::ParseMask(item.substr(slash + 1), ip->family);
    if (!m) return std::nullopt;
    mask = *m;
  }
  return prefix + net::FormatIp(net::ApplyMask(*ip, mask)) + "/" + net::FormatIp(mask);
}
}  // namespace

Status AclHandler::Parse(std::string_view text, FieldValue& value) const {
  FieldValue next = value;
  for (std::string_view item : CommaItems(text)) {
    auto rule = CanonicalRule(item);
    if (!rule) return Status::Invalid("not an IP network " + Quote(item));
    next.push_back(std::move(*rule));
  }
  value = std::move(next);
  return Status::Ok();
}

void AclHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (one_entry_each_) {
    out.insert(out.end(), value.begin(), value.end());
  } else if (!value.empty()) {
    out.push_back(Join(value, ","));
  }
}

Status AclNameHandler::Parse(std::string_view text, FieldValue& value) const {
  for (std::string_view item : CommaItems(text))
    if (!Contains(value, item)) value.emplace_back(item);
  return Status::Ok();
}

void AclNameHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (!value.empty()) out.push_back(Join(value, ","));
}

Status ContactListHandler::Parse(std::string_view text, FieldValue& value) const {
  // pjproject's limit on a URI's length (PJSIP_MAX_URL_SIZE).
  constexpr size_t kMaxUri = 256;
  FieldValue next = value;
  for (std::string_view item : CommaItems(text)) {
    std::string lower = util::ToLower(item.substr(0, 5));
    if (!(util::StartsWith(lower, "sip:") || util::StartsWith(lower, "sips:")) ||
        item.size() <= (lower[3] == ':' ? 4u : 5u))
      return Status::Invalid("not a SIP URI " + Quote(item));
    if (item.size() >= kMaxUri) return Status::Invalid("URI too long");
    if (!Contains(next, item)) next.emplace_back(item);
  }
  value = std::move(next);
  return Status::Ok();
}

void ContactListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.insert(out.end(), value.begin(), value.end());
}

Status IpMatchHandler::Parse(std::string_view text, FieldValue& value) const {
  FieldValue next = value;
  for (std::string_view item : CommaItems(text)) {
    size_t slash = item.find('/');
    std::string_view addr = item.substr(0, slash);
    auto sa = net::ParseSockAddr(addr, /*port_allowed=*/true);
    if (!sa) {
      // A host name (resolved by the SIP side); a mask makes no sense there.
      if (slash != std::string_view::npos) return Status::Invalid("not an IP network " + Quote(item));
      for (char c : addr)
        if (!IsAlnum(c) && c != '.' && c != '-' && c != '_' && c != ':')
          return Status::Invalid("not an address or host name " + Quote(item));
      next.emplace_back(addr);
      continue;
    }
    net::IpAddress mask = net::FullMask(sa->ip.family);
    if (slash != std::string_view::npos) {
      auto m = net::ParseMask(item.substr(slash + 1), sa->ip.family);
      if (!m) return Status::Invalid("bad mask in " + Quote(item));
      mask = *m;
    }
    sa->ip = net::ApplyMask(sa->ip, mask);
    next.push_back(net::FormatSockAddr(*sa, false) + "/" + net::FormatIp(mask));
  }
  value = std::move(next);
  return Status::Ok();
}

void IpMatchHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.insert(out.end(), value.begin(), value.end());
}

Status SockAddrHandler::Parse(std::string_view text, FieldValue& value) const {
  auto sa = net::ParseSockAddr(util::Trim(text), /*port_allowed=*/true);
  if (!sa) return Status::Invalid("not an IP address with optional port");
  value.assign(1, net::FormatSockAddr(*sa, /*always_port=*/true));
  return Status::Ok();
}

void SockAddrHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? std::string() : value.front());
}

Status HostOrAddressHandler::Parse(std::string_view text, FieldValue& value) const {
  std::string_view t = text;
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  if (auto ip = net::ParseIp(t)) {
    value.assign(1, net::FormatIp(*ip));
  } else {
    value.assign(1, std::string(text));
  }
  return Status::Ok();
}

void HostOrAddressHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? std::string() : value.front());
}

// ---- the rest ------------------------------------------------------------------------------

Status TimevalHandler::Parse(std::string_view text, FieldValue& value) const {
  std::string_view t = util::Trim(text);
  if (t.empty()) {
    value.clear();
    return Status::Ok();
  }
  size_t dot = t.find('.');
  std::string_view sec = t.substr(0, dot);
  std::string_view usec = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  bool ok = !sec.empty() && std::all_of(sec.begin(), sec.end(), IsDigit) &&
            std::all_of(usec.begin(), usec.end(), IsDigit) && sec.size() <= 19;
  if (!ok) return Status::Invalid("not a time in seconds");
  size_t nz = sec.find_first_not_of('0');
  value.assign(1, nz == std::string_view::npos ? "0" : std::string(sec.substr(nz)));
  return Status::Ok();
}

void TimevalHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(value.empty() ? "0" : value.front());
}

Status DeprecatedHandler::Parse(std::string_view, FieldValue&) const { return Status::Ok(); }

void DeprecatedHandler::Render(const FieldValue&, std::vector<std::string>& out) const {
  out.push_back(printed_);
}

Status SecurityMechanismsHandler::Parse(std::string_view text, FieldValue& value) const {
  FieldValue next;
  for (std::string_view item : CommaItems(text)) {
    size_t semi = std::min(item.find(';'), item.size());
    std::string_view kind = util::Trim(item.substr(0, semi));
    bool known = false;
    for (const char* k : {"msrp-tls", "sdes-srtp", "dtls-srtp"}) known = known || util::IEquals(kind, k);
    if (!known) continue;  // as Asterisk: unparsable entries are skipped
    next.push_back(util::ToLower(kind) + std::string(item.substr(semi)));
  }
  value = std::move(next);
  return Status::Ok();
}

void SecurityMechanismsHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (!value.empty()) out.push_back(Join(value, ", "));
}

Status RegexHandler::Parse(std::string_view text, FieldValue& value) const {
  if (!text.empty()) {
    regex_t re;
    std::string pattern(text);
    if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
      return Status::Invalid("not a valid regular expression");
    regfree(&re);
  }
  value.assign(1, std::string(text));
  return Status::Ok();
}

void RegexHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (!value.empty() && !value.front().empty()) out.push_back(value.front());
}

Status JsonHandler::Parse(std::string_view text, FieldValue& value) const {
  if (util::Trim(text).empty()) {
    value.clear();
    return Status::Ok();
  }
  auto parsed = util::json::Parse(text);
  if (!parsed.ok()) return Status::Invalid("not JSON: " + parsed.status().message());
  std::string compact;
  util::json::AppendValue(compact, *parsed);
  value.assign(1, std::move(compact));
  return Status::Ok();
}

void JsonHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  if (!value.empty()) out.push_back(value.front());
}

// ---- TLS ciphers ---------------------------------------------------------------------------

Status CipherListHandler::Parse(std::string_view text, FieldValue& value) const {
  FieldValue next = value;
  const auto& known = KnownTlsCiphers();
  for (std::string_view item : CommaItems(text)) {
    auto it = std::find_if(known.begin(), known.end(), [&](const auto& c) { return c.second == item; });
    if (it == known.end()) {
      // Not a name: a suite number, hexadecimal with 0x or decimal.
      std::optional<uint32_t> id;
      if (item.size() > 2 && item[0] == '0' && (item[1] == 'x' || item[1] == 'X')) {
        id = util::ParseUint32(item);
      } else if (item.size() <= 9 && std::all_of(item.begin(), item.end(), IsDigit)) {
        uint32_t n = 0;
        for (char c : item) n = n * 10 + static_cast<uint32_t>(c - '0');
        id = n;
      }
      if (id) it = std::find_if(known.begin(), known.end(), [&](const auto& c) { return c.first == *id; });
    }
    if (it == known.end()) return Status::Invalid("unsupported cipher " + Quote(item));
    if (!Contains(next, it->second)) next.push_back(it->second);
  }
  value = std::move(next);
  return Status::Ok();
}

void CipherListHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.push_back(Join(value, ", "));
}

// ---- pattern-named fields ------------------------------------------------------------------

Status NamedValuesHandler::Parse(std::string_view text, FieldValue& value) const {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Status::Invalid("expected NAME=VALUE");
  std::string_view name = text.substr(0, eq);
  std::string_view val = text.substr(eq + 1);
  if (name.size() <= prefix_.size())
    return Status::Invalid(prefix_.empty() ? std::string("missing variable name")
                                           : "names no event");
  if (val.empty()) {
    if (empty_ == EmptyValue::kDropped) return Status::Ok();
    return Status::Invalid("needs a non-empty value");
  }
  std::string token = std::string(name) + "=" + std::string(val);
  for (std::string& t : value) {
    if (util::IEquals(std::string_view(t).substr(0, t.find('=')), name)) {
      t = std::move(token);
      return Status::Ok();
    }
  }
  value.push_back(std::move(token));
  return Status::Ok();
}

void NamedValuesHandler::Render(const FieldValue& value, std::vector<std::string>& out) const {
  out.insert(out.end(), value.begin(), value.end());
}

// ---- shared instances ----------------------------------------------------------------------

namespace kinds {

HandlerPtr Noop() {
  static const HandlerPtr h = std::make_shared<NoopHandler>();
  return h;
}
HandlerPtr String() {
  static const HandlerPtr h = std::make_shared<StringHandler>();
  return h;
}
HandlerPtr OptionalString() {
  static const HandlerPtr h = std::make_shared<StringHandler>(StringHandler::Print::kNothingWhenUnset);
  return h;
}
HandlerPtr NullableString() {
  static const HandlerPtr h = std::make_shared<StringHandler>(StringHandler::Print::kNothingWhenEmpty);
  return h;
}
HandlerPtr CharArray(size_t max_len, bool required) {
  return std::make_shared<CharArrayHandler>(max_len, required);
}
HandlerPtr Bool() {
  static const HandlerPtr h = std::make_shared<BoolHandler>(BoolHandler::Style::kTrueFalse);
  return h;
}
HandlerPtr YesNo() {
  static const HandlerPtr h = std::make_shared<BoolHandler>(BoolHandler::Style::kYesNo);
  return h;
}
HandlerPtr YesNoCapital() {
  static const HandlerPtr h = std::make_shared<BoolHandler>(BoolHandler::Style::kYesNoCapital);
  return h;
}
HandlerPtr Uint() {
  static const HandlerPtr h = std::make_shared<UintHandler>();
  return h;
}
HandlerPtr UintRange(uint32_t min, uint32_t max) { return std::make_shared<UintHandler>(min, max); }
HandlerPtr Int() {
  static const HandlerPtr h = std::make_shared<IntHandler>();
  return h;
}
HandlerPtr IntRange(int32_t min, int32_t max) { return std::make_shared<IntHandler>(min, max); }
HandlerPtr Double() {
  static const HandlerPtr h = std::make_shared<DoubleHandler>();
  return h;
}
HandlerPtr Enum(std::vector<std::pair<std::string, std::string>> words, EnumHandler::Options options) {
  return std::make_shared<EnumHandler>(std::move(words), std::move(options));
}
HandlerPtr Words(std::vector<std::string> words) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto& w : words) pairs.emplace_back(w, w);
  return std::make_shared<EnumHandler>(std::move(pairs), EnumHandler::Options{});
}
HandlerPtr EnumList(std::vector<std::string> words) {
  return std::make_shared<EnumListHandler>(std::move(words));
}
HandlerPtr NameList(unsigned flags, std::string joiner) {
  return std::make_shared<NameListHandler>(flags, std::move(joiner));
}
HandlerPtr Codecs() {
  static const HandlerPtr h = std::make_shared<CodecListHandler>(false);
  return h;
}
HandlerPtr CodecsInverted() {
  static const HandlerPtr h = std::make_shared<CodecListHandler>(true);
  return h;
}
HandlerPtr File(bool nothing_when_empty) { return std::make_shared<FileHandler>(false, nothing_when_empty); }
HandlerPtr Directory(bool nothing_when_empty) {
  return std::make_shared<FileHandler>(true, nothing_when_empty);
}
HandlerPtr Tos() {
  static const HandlerPtr h = std::make_shared<TosHandler>(false);
  return h;
}
HandlerPtr TosRounded() {
  static const HandlerPtr h = std::make_shared<TosHandler>(true);
  return h;
}
HandlerPtr Acl() {
  static const HandlerPtr h = std::make_shared<AclHandler>(false);
  return h;
}
HandlerPtr AclEach() {
  static const HandlerPtr h = std::make_shared<AclHandler>(true);
  return h;
}
HandlerPtr SecurityMechanisms() {
  static const HandlerPtr h = std::make_shared<SecurityMechanismsHandler>();
  return h;
}
HandlerPtr Timeval() {
  static const HandlerPtr h = std::make_shared<TimevalHandler>();
  return h;
}

}  // namespace kinds

}  // namespace pjsip

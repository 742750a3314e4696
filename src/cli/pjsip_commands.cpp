#include "cli/pjsip_commands.h"

#include <regex.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/pjsip_format.h"
#include "util/strings.h"

namespace cli {

namespace {

using sorcery::ObjectPtr;
using sorcery::ObjectSet;
using pjsip_format::Left;
using pjsip_format::Right;

// Layout constants of Asterisk's PJSIP console listings (cli.md §1).
constexpr int kLastTabStop = 62;
int Indent(int level) { return level * 2 + 9; }
const std::string& Separator() {
  static const std::string line = std::string(90, '=') + '\n';
  return line;
}

// First token of a field, or "" when unset.
std::string Scalar(const sorcery::Object& object, std::string_view field) {
  const sorcery::FieldValue& v = object.Value(field);
  return v.empty() ? std::string() : v.front();
}

// The names of a name-list field (auth, outbound_auth, aors): every token split at commas,
// trimmed, empty names skipped, in order.
std::vector<std::string> Names(const sorcery::Object& object, std::string_view field) {
  std::vector<std::string> names;
  for (const std::string& token : object.Value(field)) {
    for (std::string_view piece : util::Split(token, ',')) {
      piece = util::Trim(piece);
      if (!piece.empty()) names.emplace_back(piece);
    }
  }
  return names;
}

// A POSIX extended regex for `like`; an invalid pattern matches nothing (as Asterisk's sorcery
// wizards, which give up on a pattern that does not compile).
class Pattern {
 public:
  explicit Pattern(const std::string& text) {
    valid_ = regcomp(&re_, text.c_str(), REG_EXTENDED | REG_NOSUB) == 0;
  }
  ~Pattern() {
    if (valid_) regfree(&re_);
  }
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;
  bool Matches(const std::string& s) const { return valid_ && regexec(&re_, s.c_str(), 0, nullptr, 0) == 0; }

 private:
  regex_t re_{};
  bool valid_ = false;
};

// One contact as the console shows it: a stored (dynamic) contact object, or a permanent contact
// named by an aor's `contact` field.
struct Contact {
  std::string id;    // the object id; "<aor>@@<md5(uri)>" for a permanent contact
  std::string aor;   // the aor it belongs to
  std::string uri;
  ObjectPtr object;  // the contact object (permanent contacts: built on the fly, may be null)
  bool qualified = false;

  std::string key() const { return aor + "/" + uri; }
  // The hash column: what follows ";@" or "@@" in the id.
  std::string hash() const {
    size_t at = id.find(";@");
    if (at == std::string::npos) at = id.find("@@");
    return at == std::string::npos ? std::string() : id.substr(at + 2);
  }
  // sorceryd keeps no qualify results on this side: a qualified contact has not answered yet.
  std::string status() const { return qualified ? "Unknown" : "NonQual"; }
};

// The aor a stored contact belongs to: its `aor` field when the type has one, else the id's text
// before the first ";@" (or "@@"), else the whole id.
std::string AorOfContact(const sorcery::Object& contact) {
  if (contact.type().FindField("aor") >= 0) {
    std::string aor = Scalar(contact, "aor");
    if (!aor.empty()) return aor;
  }
  const std::string& id = contact.id();
  size_t at = id.find(";@");
  if (at == std::string::npos) at = id.find("@@");
  return at == std::string::npos ? id : id.substr(0, at);
}

bool Qualified(const sorcery::Object& object) {
  std::string frequency = Scalar(object, "qualify_frequency");
  return !frequency.empty() && frequency != "0";
}

// What one command invocation reads: objects fetched through sorcery, contacts grouped by aor
// once. Types that are not registered read as empty.
class View {
 public:
  explicit View(sorcery::Sorcery& res_pjsip) : sorcery_(res_pjsip) {}

  std::vector<ObjectPtr> All(std::string_view type) const {
    const sorcery::TypeEntry* entry = sorcery_.Find(type);
    return entry == nullptr ? std::vector<ObjectPtr>() : entry->RetrieveAll();
  }

  // Objects whose id matches `regex` (all when none), sorted by id.
  std::vector<ObjectPtr> Matching(std::string_view type, const std::optional<std::string>& regex) const {
    const sorcery::TypeEntry* entry = sorcery_.Find(type);
    if (entry == nullptr) return {};
    std::vector<ObjectPtr> objects;
    if (regex) {
      auto found = entry->RetrieveRegex(*regex);
      if (!found.ok()) return {};
      objects = std::move(found).value();
    } else {
      objects = entry->RetrieveAll();
    }
    std::stable_sort(objects.begin(), objects.end(),
                     [](const ObjectPtr& a, const ObjectPtr& b) { return a->id() < b->id(); });
    return objects;
  }

  ObjectPtr Get(std::string_view type, std::string_view id) const {
    const sorcery::TypeEntry* entry = sorcery_.Find(type);
    return entry == nullptr ? nullptr : entry->Retrieve(id);
  }

  // The contacts of one aor: its stored contacts sorted by id, then its permanent ones in the
  // order the `contact` field lists them.
  std::vector<Contact> ContactsOf(const sorcery::Object& aor) {
    std::vector<Contact> contacts;
    LoadDynamic();
    if (auto it = dynamic_.find(aor.id()); it != dynamic_.end()) contacts = it->second;
    for (const std::string& uri : aor.Value("contact")) contacts.push_back(Permanent(aor, uri));
    return contacts;
  }

  // Every contact `pjsip show contacts` lists: the stored contacts of this server (reg_server
  // empty: sorceryd has no systemname) and the contacts of every aor, each once, sorted by
  // "<aor>/<uri>".
  std::vector<Contact> AllContacts() {
    LoadDynamic();
    std::vector<Contact> contacts;
    std::map<std::string, bool> seen;
    auto add = [&](Contact c) {
      if (seen.emplace(c.id, true).second) contacts.push_back(std::move(c));
    };
    for (const auto& [aor, list] : dynamic_) {
      for (const Contact& c : list) {
        if (Scalar(*c.object, "reg_server").empty()) add(c);
      }
    }
    for (const ObjectPtr& aor : All("aor")) {
      for (Contact& c : ContactsOf(*aor)) add(std::move(c));
    }
    std::stable_sort(contacts.begin(), contacts.end(),
                     [](const Contact& a, const Contact& b) { return a.key() < b.key(); });
    return contacts;
  }

 private:
  void LoadDynamic() {
    if (dynamic_loaded_) return;
    dynamic_loaded_ = true;
    for (const ObjectPtr& object : All("contact")) {
      Contact c;
      c.id = object->id();
      c.aor = AorOfContact(*object);
      c.uri = Scalar(*object, "uri");
      c.object = object;
      c.qualified = Qualified(*object);
      dynamic_[c.aor].push_back(std::move(c));
    }
    for (auto& [aor, list] : dynamic_) {
      std::stable_sort(list.begin(), list.end(),
                       [](const Contact& a, const Contact& b) { return a.id < b.id; });
    }
  }

  // A permanent contact of `aor`, with the aor's qualify settings, as Asterisk makes them.
  Contact Permanent(const sorcery::Object& aor, const std::string& uri) const {
    Contact c;
    c.id = aor.id() + "@@" + pjsip_format::Md5Hex(uri);
    c.aor = aor.id();
    c.uri = uri;
    c.qualified = Qualified(aor);
    if (const sorcery::TypeEntry* type = sorcery_.Find("contact")) {
      sorcery::ObjectBuilder builder(type->type(), c.id);
      bool ok = builder.Set("uri", uri).ok();
      for (const char* field : {"qualify_frequency", "qualify_timeout", "qualify_2xx_only",
                                "authenticate_qualify", "outbound_proxy"}) {
        std::string value = aor.Get(field);
        if (ok && !value.empty() && type->type()->FindField(field) >= 0) (void)builder.Set(field, value);
      }
      if (ok) {
        auto built = builder.Finish();
        if (built.ok()) c.object = std::move(built).value();
      }
    }
    return c;
  }

  sorcery::Sorcery& sorcery_;
  bool dynamic_loaded_ = false;
  std::map<std::string, std::vector<Contact>> dynamic_;  // by aor
};

// One listed item: a sorcery object, or (for contacts) a contact.
struct Entry {
  std::string id;
  ObjectPtr object;
  Contact contact;
};

// ---- body lines --------------------------------------------------------------------------------

void ContactLine(std::string& out, const Contact& c, int level) {
  const int indent = Indent(level);
  const int uri_width = kLastTabStop - indent - 9 - static_cast<int>(c.aor.size()) + 1;
  out += Right("Contact", indent) + ":  " + c.aor + "/" + Left(c.uri, uri_width) + " " +
         Left(c.hash(), 10) + " " + Left(c.status(), 7) + " " + Right("nan", 11) + "\n";
}

void AorLines(std::string& out, View& view, const sorcery::Object& aor, int level, bool recurse) {
  const int indent = Indent(level);
  std::string max_contacts = Scalar(aor, "max_contacts");
  if (max_contacts.empty()) max_contacts = "0";
  out += Right("Aor", indent) + ":  " + Left(aor.id(), kLastTabStop - indent - 12) + " " +
         Right(max_contacts, 12) + "\n";
  if (!recurse) return;
  for (const Contact& c : view.ContactsOf(aor)) ContactLine(out, c, level + 1);
}

void AuthLine(std::string& out, const sorcery::Object& auth, int level, std::string_view title) {
  out += Right(title, Indent(level)) + ":  " + auth.id() + "/" + auth.Get("username") + "\n";
}

void TransportLine(std::string& out, const sorcery::Object& transport, int level) {
  std::string protocol = Scalar(transport, "protocol");
  static const std::vector<std::string> kKnown = {"udp", "tcp", "tls", "ws", "wss"};
  if (std::find(kKnown.begin(), kKnown.end(), protocol) == kKnown.end()) protocol = "Unknown";
  std::string cos = Scalar(transport, "cos");
  std::string tos = Scalar(transport, "tos");
  out += Right("Transport", Indent(level)) + ":  " + Left(transport.id(), -21) + "  " +
         Right(protocol, 6) + "  " + Right(cos.empty() ? "0" : cos, 5) + "  " +
         Right(tos.empty() ? "0" : tos, 5) + "  " + Scalar(transport, "bind") + "\n";
}

// A match token "addr[:port]/mask" prints as "addr[:port]/<bits>"; host names print as given.
std::string MatchText(const std::string& token) {
  size_t slash = token.rfind('/');
  if (slash == std::string::npos) return token;
  int bits = pjsip_format::MaskBits(std::string_view(token).substr(slash + 1));
  if (bits < 0) return token;
  return token.substr(0, slash + 1) + std::to_string(bits);
}

void IdentifyLines(std::string& out, const sorcery::Object& identify, int level, bool recurse) {
  out += Right("Identify", Indent(level)) + ":  " + identify.id() + "/" + identify.Get("endpoint") + "\n";
  if (!recurse) return;
  const int indent = Indent(level + 1);
  for (const std::string& token : identify.Value("match")) {
    out += Right("Match", indent) + ": " + MatchText(token) + "\n";
  }
  std::string header = identify.Get("match_header");
  if (!header.empty()) out += Right("Header", indent) + ": " + header + "\n";
  std::string request_uri = identify.Get("match_request_uri");
  if (!request_uri.empty()) out += Right("RequestURI", indent) + ": " + request_uri + "\n";
}

void EndpointLines(std::string& out, View& view, const sorcery::Object& endpoint, int level, bool recurse) {
  const int indent = Indent(level);

  std::vector<ObjectPtr> aors;
  for (const std::string& name : Names(endpoint, "aors")) {
    if (ObjectPtr aor = view.Get("aor", name)) aors.push_back(std::move(aor));
  }
  bool online = false;
  for (const ObjectPtr& aor : aors) online = online || !view.ContactsOf(*aor).empty();

  std::string name = endpoint.id();
  const sorcery::FieldValue& callerid = endpoint.Value("callerid");  // [name, number]
  if (callerid.size() > 1 && !callerid[1].empty()) name += "/" + callerid[1];
  std::string busy_at = Scalar(endpoint, "device_state_busy_at");
  if (busy_at.empty() || busy_at == "0") busy_at = "inf";
  out += Right("Endpoint", indent) + ":  " + Left(name, kLastTabStop - indent - 2) + "  " +
         Left(online ? "Not in use" : "Unavailable", 12) + "  0 of " + busy_at + "\n";
  if (!recurse) return;

  const int child = level + 1;
  for (const auto& [field, title] : {std::pair{"outbound_auth", "OutAuth"}, std::pair{"auth", "InAuth"}}) {
    for (const std::string& auth_name : Names(endpoint, field)) {
      if (ObjectPtr auth = view.Get("auth", auth_name)) AuthLine(out, *auth, child, title);
    }
  }
  for (const ObjectPtr& aor : aors) AorLines(out, view, *aor, child, true);
  std::string transport_name = Scalar(endpoint, "transport");
  if (!transport_name.empty()) {
    if (ObjectPtr transport = view.Get("transport", transport_name)) TransportLine(out, *transport, child);
  }
  for (const ObjectPtr& identify : view.All("identify")) {
    if (identify->Get("endpoint") == endpoint.id()) IdentifyLines(out, *identify, child, true);
  }
}

void RegistrationLine(std::string& out, const sorcery::Object& registration) {
  const std::vector<std::string> auths = Names(registration, "outbound_auth");
  constexpr int kUriField = 53;
  out += " " + registration.id() + "/" +
         Left(registration.Get("server_uri"), kUriField - static_cast<int>(registration.id().size())) +
         "  " + Left(auths.empty() ? "n/a" : auths.front(), 26) + "  Unregistered\n";
}

// ---- the command kinds -------------------------------------------------------------------------

// One kind of listed thing: how to find its items and print them.
struct Kind {
  std::string plural;    // "endpoints"
  std::string singular;  // "endpoint"
  std::string show_header;  // header lines when children are printed too
  std::string list_header;  // header lines of `pjsip list`
  bool has_children = false;  // an empty line follows each top-level item when recursing
  std::function<std::vector<Entry>(View&, const std::optional<std::string>&)> list;
  std::function<std::optional<Entry>(View&, const std::string&)> find;
  std::function<void(View&, const Entry&, bool recurse, std::string&)> body;
  std::function<ObjectSet(View&, const Entry&)> details;
};

// Builds the list/find/details of a kind whose items are the objects of one sorcery type.
void ForType(Kind& kind, std::string type) {
  kind.list = [type](View& view, const std::optional<std::string>& regex) {
    std::vector<Entry> entries;
    for (ObjectPtr& object : view.Matching(type, regex)) {
      entries.push_back(Entry{object->id(), std::move(object), {}});
    }
    return entries;
  };
  kind.find = [type](View& view, const std::string& id) -> std::optional<Entry> {
    ObjectPtr object = view.Get(type, id);
    if (!object) return std::nullopt;
    return Entry{id, std::move(object), {}};
  };
  kind.details = [](View&, const Entry& entry) { return entry.object->ApiObjectSet(); };
}

// The aor's object set with its `contact` entries replaced by all of its contacts (stored and
// permanent), as Asterisk shows an aor.
ObjectSet AorDetails(View& view, const sorcery::Object& aor) {
  ObjectSet set;
  bool placed = false;
  for (auto& [name, value] : aor.ApiObjectSet()) {
    if (name != "contact") {
      set.emplace_back(name, value);
      continue;
    }
    if (placed) continue;
    placed = true;
    std::vector<Contact> contacts = view.ContactsOf(aor);
    if (contacts.empty()) set.emplace_back("contact", "");
    for (const Contact& c : contacts) set.emplace_back("contact", c.uri);
  }
  return set;
}

std::vector<Kind> Kinds() {
  std::vector<Kind> kinds;

  {
    Kind k;
    k.plural = "endpoints";
    k.singular = "endpoint";
    k.list_header =
        " Endpoint:  <Endpoint/CID.....................................>  <State.....>  <Channels.>\n";
    k.show_header =
        k.list_header +
        "    I/OAuth:  <AuthId/UserName...........................................................>\n"
        "        Aor:  <Aor............................................>  <MaxContact>\n"
        "      Contact:  <Aor/ContactUri..........................> <Hash....> <Status> <RTT(ms)..>\n"
        "  Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress..................>\n"
        "   Identify:  <Identify/Endpoint.........................................................>\n"
        "        Match:  <criteria.........................>\n"
        "    Channel:  <ChannelId......................................>  <State.....>  <Time.....>\n"
        "        Exten: <DialedExten...........>  CLCID: <ConnectedLineCID.......>\n";
    k.has_children = true;
    ForType(k, "endpoint");
    k.body = [](View& view, const Entry& e, bool recurse, std::string& out) {
      EndpointLines(out, view, *e.object, 0, recurse);
    };
    kinds.push_back(std::move(k));
  }
  {
    Kind k;
    k.plural = "aors";
    k.singular = "aor";
    k.list_header = "      Aor:  <Aor..............................................>  <MaxContact>\n";
    k.show_header =
        k.list_header +
        "    Contact:  <Aor/ContactUri............................> <Hash....> <Status> <RTT(ms)..>\n";
    k.has_children = true;
    ForType(k, "aor");
    k.body = [](View& view, const Entry& e, bool recurse, std::string& out) {
      AorLines(out, view, *e.object, 0, recurse);
    };
    k.details = [](View& view, const Entry& e) { return AorDetails(view, *e.object); };
    kinds.push_back(std::move(k));
  }
  {
    Kind k;
    k.plural = "auths";
    k.singular = "auth";
    k.list_header =
        "  I/OAuth:  <AuthId/UserName.............................................................>\n";
    k.show_header = k.list_header;
    ForType(k, "auth");
    k.body = [](View&, const Entry& e, bool, std::string& out) { AuthLine(out, *e.object, 0, "Auth"); };
    kinds.push_back(std::move(k));
  }
  {
    Kind k;
    k.plural = "contacts";
    k.singular = "contact";
    k.list_header =
        "  Contact:  <Aor/ContactUri..............................> <Hash....> <Status> <RTT(ms)..>\n";
    k.show_header = k.list_header;
    k.list = [](View& view, const std::optional<std::string>& regex) {
      std::optional<Pattern> pattern;
      if (regex) pattern.emplace(*regex);
      std::vector<Entry> entries;
      for (Contact& c : view.AllContacts()) {
        if (pattern && !pattern->Matches(c.key())) continue;
        entries.push_back(Entry{c.key(), c.object, std::move(c)});
      }
      return entries;
    };
    k.find = [](View& view, const std::string& id) -> std::optional<Entry> {
      for (Contact& c : view.AllContacts()) {
        if (c.key() == id) return Entry{id, c.object, std::move(c)};
      }
      return std::nullopt;
    };
    k.body = [](View&, const Entry& e, bool, std::string& out) { ContactLine(out, e.contact, 0); };
    k.details = [](View&, const Entry& e) {
      if (e.object) return e.object->ApiObjectSet();
      return ObjectSet{{"uri", e.contact.uri}};
    };
    kinds.push_back(std::move(k));
  }
  {
    Kind k;
    k.plural = "transports";
    k.singular = "transport";
    k.list_header =
        "Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress....................>\n";
    k.show_header = k.list_header;
    ForType(k, "transport");
    k.body = [](View&, const Entry& e, bool, std::string& out) { TransportLine(out, *e.object, 0); };
    kinds.push_back(std::move(k));
  }
  {
    Kind k;
    k.plural = "identifies";
    k.singular = "identify";
    k.list_header =
        " Identify:  <Identify/Endpoint...........................................................>\n";
    k.show_header = k.list_header + "      Match:  <criteria...........................>\n";
    k.has_children = true;
    ForType(k, "identify");
    k.body = [](View&, const Entry& e, bool recurse, std::string& out) {
      IdentifyLines(out, *e.object, 0, recurse);
    };
    kinds.push_back(std::move(k));
  }
  {
    // Not laid out in cli.md: the columns of Asterisk's outbound-registration listing; sorceryd
    // keeps no registration state on this side, so every registration reads "Unregistered".
    Kind k;
    k.plural = "registrations";
    k.singular = "registration";
    k.list_header =
        " <Registration/ServerURI..............................>  <Auth....................>  "
        "<Status.......>\n";
    k.show_header = k.list_header;
    ForType(k, "registration");
    k.body = [](View&, const Entry& e, bool, std::string& out) { RegistrationLine(out, *e.object); };
    kinds.push_back(std::move(k));
  }
  {
    // Asterisk has no listing of domain aliases; this one follows the framework: alias/domain.
    Kind k;
    k.plural = "domain_aliases";
    k.singular = "domain_alias";
    k.list_header =
        "    Alias:  <DomainAlias/Domain.............................................................>\n";
    k.show_header = k.list_header;
    ForType(k, "domain_alias");
    k.body = [](View&, const Entry& e, bool, std::string& out) {
      out += Right("Alias", Indent(0)) + ":  " + e.object->id() + "/" + e.object->Get("domain") + "\n";
    };
    kinds.push_back(std::move(k));
  }
  return kinds;
}

// `pjsip show|list <plural> [like <regex>]`.
bool RunContainer(const Kind& kind, sorcery::Sorcery& res_pjsip, bool recurse, Invocation& inv) {
  const auto& a = inv.args;
  std::optional<std::string> regex;
  if (a.size() == 5 && util::IEquals(a[3], "like")) {
    regex = a[4];
  } else if (a.size() != 3) {
    return false;
  }
  View view(res_pjsip);
  std::vector<Entry> entries = kind.list(view, regex);
  if (entries.empty()) {
    inv.out += "No objects found.\n\n";
    return true;
  }
  std::string& out = inv.out;
  out += "\n";
  out += recurse ? kind.show_header : kind.list_header;
  out += Separator();
  out += "\n";
  for (const Entry& e : entries) {
    kind.body(view, e, recurse, out);
    if (recurse && kind.has_children) out += "\n";
  }
  out += "\nObjects found: " + std::to_string(entries.size()) + "\n\n";
  return true;
}

// `pjsip show <singular> <id>`.
bool RunSingle(const Kind& kind, sorcery::Sorcery& res_pjsip, Invocation& inv) {
  const auto& a = inv.args;
  if (a.size() == 3) {
    inv.out += "No object specified.\n";
    return true;
  }
  if (a.size() != 4) return false;
  const std::string& id = a[3];
  View view(res_pjsip);
  std::optional<Entry> entry = kind.find(view, id);
  if (!entry) {
    inv.out += "Unable to find object " + id + ".\n\n";
    return true;
  }
  std::string& out = inv.out;
  out += "\n";
  out += kind.show_header;
  out += Separator();
  out += "\n";
  kind.body(view, *entry, true, out);
  if (kind.has_children) out += "\n";
  out += "\n";
  out += pjsip_format::DetailBlock(kind.details(view, *entry));
  out += "\n";
  return true;
}

}  // namespace

void RegisterPjsipCommands(CommandRegistry& registry, sorcery::Sorcery& res_pjsip) {
  for (const Kind& kind : Kinds()) {
    auto shared = std::make_shared<const Kind>(kind);
    registry.Add({"pjsip", "show", kind.plural},
                 "Usage: pjsip show " + kind.plural + " [like <regex>]\n"
                 "       Lists the PJSIP " + kind.plural + " with their related objects, optionally\n"
                 "       only those whose id matches a POSIX extended regular expression.\n",
                 [shared, &res_pjsip](Invocation& inv) {
                   return RunContainer(*shared, res_pjsip, /*recurse=*/true, inv);
                 });
    registry.Add({"pjsip", "list", kind.plural},
                 "Usage: pjsip list " + kind.plural + " [like <regex>]\n"
                 "       Lists the PJSIP " + kind.plural + ", one line each, optionally only those\n"
                 "       whose id matches a POSIX extended regular expression.\n",
                 [shared, &res_pjsip](Invocation& inv) {
                   return RunContainer(*shared, res_pjsip, /*recurse=*/false, inv);
                 });
    const std::string id_word = kind.singular == "contact" ? "<aor>/<uri>" : "<id>";
    registry.Add({"pjsip", "show", kind.singular},
                 "Usage: pjsip show " + kind.singular + " " + id_word + "\n"
                 "       Shows one PJSIP " + kind.singular + " with its related objects and all of\n"
                 "       its parameters.\n",
                 [shared, &res_pjsip](Invocation& inv) { return RunSingle(*shared, res_pjsip, inv); });
  }
}

}  // namespace cli

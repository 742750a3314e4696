// Internal to pjsip: how a type file writes its table. One Row per field, in Asterisk's
// registration order; BuildType turns rows into sorcery Fields and creates the ObjectType.
#pragma once

#include <string>
#include <vector>

#include "pjsip/handlers.h"
#include "sorcery/object.h"
#include "sorcery/object_type.h"

namespace pjsip {

using sorcery::Output;

// Marks a row without a registered default (the field starts at its zero value).
inline constexpr const char* kNoDefault = nullptr;

struct Row {
  const char* name;
  const char* default_text;  // kNoDefault or the default string given to the handler at allocation
  HandlerPtr handler;
  Output output = Output::kAlways;
  bool multi = false;                // prints one entry per list item
  const char* alias_of = nullptr;    // writes this other field's value (endpoint disallow)
  // Takes every attribute whose name starts with `name` ("" = any name no other row takes);
  // see sorcery::Field::pattern. The handler sees "<attribute>=<value>".
  bool pattern = false;
};

struct TypeSpec {
  std::string name;
  std::string default_mapping;
  bool reloadable = true;
  std::vector<Row> rows;
  std::vector<std::string> output_order;  // Asterisk's print order, "^@" for extended attributes
  sorcery::ApplyRule apply_rule;
};

// Builds the type; a table that does not build is a programming error and aborts.
sorcery::ObjectTypePtr BuildType(TypeSpec spec);

// Helpers for apply rules.
inline bool IsOn(const sorcery::ObjectBuilder& b, std::string_view field) { return b.Scalar(field) == "true"; }
inline void SetScalar(sorcery::ObjectBuilder& b, std::string_view field, std::string value) {
  b.SetValue(field, sorcery::FieldValue{std::move(value)});
}

// One builder per type file.
sorcery::ObjectTypePtr MakeEndpointType();
sorcery::ObjectTypePtr MakeAuthType();
sorcery::ObjectTypePtr MakeAorType();
sorcery::ObjectTypePtr MakeContactType();
sorcery::ObjectTypePtr MakeTransportType();
sorcery::ObjectTypePtr MakeIdentifyType();
sorcery::ObjectTypePtr MakeRegistrationType();
sorcery::ObjectTypePtr MakeDomainAliasType();
sorcery::ObjectTypePtr MakeGlobalType();
sorcery::ObjectTypePtr MakeSystemType();
sorcery::ObjectTypePtr MakeOutboundPublishType();
sorcery::ObjectTypePtr MakePhoneprovType();
sorcery::ObjectTypePtr MakeAclType();
sorcery::ObjectTypePtr MakeResourceListType();
sorcery::ObjectTypePtr MakeInboundPublicationType();
sorcery::ObjectTypePtr MakeAsteriskPublicationType();
sorcery::ObjectTypePtr MakeSubscriptionPersistenceType();

}  // namespace pjsip

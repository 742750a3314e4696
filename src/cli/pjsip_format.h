// Internal to cli: the small text pieces the `pjsip ...` console commands are laid out with
// (printf-style padding, the ParameterName/ParameterValue detail block, the MD5 that names
// permanent contacts, netmask bit counts). Pure functions; no sorcery lookups.
#pragma once

#include <string>
#include <string_view>

#include "sorcery/object.h"

namespace cli::pjsip_format {

// printf("%-*.*s", width, width, s): truncated to `width` and padded with blanks on the right.
// A negative width behaves as printf does: padded to -width, never truncated.
std::string Left(std::string_view s, int width);

// printf("%*s", width, s): padded with blanks on the left, never truncated.
std::string Right(std::string_view s, int width);

// The detail block of one object: " ParameterName : ParameterValue", a rule of '=', then one
// " name : value" line per entry, entries sorted by name (byte-wise, stable). Name column width
// max(13, longest name), value width max(14, longest value). Every line ends in '\n'.
std::string DetailBlock(const sorcery::ObjectSet& set);

// Lower-case hex MD5 (RFC 1321) of `data`: 32 characters.
std::string Md5Hex(std::string_view data);

// The number of leading one bits of a netmask written as an IPv4 or IPv6 address
// ("255.255.255.0" -> 24), or -1 when `mask` is not an address.
int MaskBits(std::string_view mask);

}  // namespace cli::pjsip_format

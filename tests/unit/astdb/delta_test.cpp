#include "astdb/delta.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace astdb::delta {
namespace {

// ---- helpers ------------------------------------------------------------------------------------

// Unsigned LEB128 of v, as the header documents it.
std::string Leb(uint64_t v) {
  std::string s;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    s += static_cast<char>(b);
  } while (v != 0);
  return s;
}

std::string Copy(uint64_t offset, uint64_t length) { return "C" + Leb(offset) + Leb(length); }
std::string Insert(std::string_view bytes) { return "I" + Leb(bytes.size()) + std::string(bytes); }

// An independent reader of the documented format (nullopt on anything malformed), to check that
// Encode writes what the header describes and not just something its own Apply understands.
std::optional<std::string> ReferenceApply(std::string_view base, std::string_view delta) {
  size_t pos = 0;
  auto read_leb = [&](uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= delta.size()) return false;
      uint8_t b = static_cast<uint8_t>(delta[pos++]);
      if (shift == 63 && (b & 0x7e) != 0) return false;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  std::string out;
  while (pos < delta.size()) {
    char tag = delta[pos++];
    uint64_t a = 0, b = 0;
    if (tag == 'C') {
      if (!read_leb(a) || !read_leb(b)) return std::nullopt;
      if (a > base.size() || b > base.size() - a) return std::nullopt;
      out.append(base.substr(a, b));
    } else if (tag == 'I') {
      if (!read_leb(a) || a > delta.size() - pos) return std::nullopt;
      out.append(delta.substr(pos, a));
      pos += a;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string FirstDifference(std::string_view a, std::string_view b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return "sizes " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
         ", first difference at byte " + std::to_string(i);
}

// Encodes base -> target and checks everything the contract promises about the result: empty
// for short targets; otherwise at most half the target, well-formed per the header, and applying
// it (with max_bytes exactly the target's length) rebuilds the target, one byte less is refused.
::testing::AssertionResult RoundTrips(std::string_view base, std::string_view target,
                                      std::string* delta_out = nullptr) {
  std::string d = Encode(base, target);
  if (delta_out) *delta_out = d;
  std::string sizes = " (base " + std::to_string(base.size()) + " B, target " +
                      std::to_string(target.size()) + " B, delta " + std::to_string(d.size()) + " B)";
  if (target.size() < kMinTargetBytes && !d.empty())
    return ::testing::AssertionFailure() << "non-empty delta for a short target" << sizes;
  if (d.empty()) return ::testing::AssertionSuccess();
  if (d.size() > target.size() / 2)
    return ::testing::AssertionFailure() << "delta larger than half the target" << sizes;
  std::string out = "stale content that must be replaced";
  if (!Apply(base, d, out, target.size()))
    return ::testing::AssertionFailure() << "Apply refused Encode's delta" << sizes;
  if (out != target)
    return ::testing::AssertionFailure()
           << "Apply rebuilt the wrong value: " << FirstDifference(out, target) << sizes;
  auto ref = ReferenceApply(base, d);
  if (!ref)
    return ::testing::AssertionFailure() << "delta does not follow the documented format" << sizes;
  if (*ref != target)
    return ::testing::AssertionFailure()
           << "delta read per the documented format gives the wrong value: "
           << FirstDifference(*ref, target) << sizes;
  std::string capped;
  if (Apply(base, d, capped, target.size() - 1))
    return ::testing::AssertionFailure() << "Apply ignored max_bytes = target size - 1" << sizes;
  return ::testing::AssertionSuccess();
}

// One member of a sorcery-like JSON object, ~36 bytes.
std::string Member(int i) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "\"field_%03d\":\"value_%03d_abcdefghijkl\"", i, i);
  return buf;
}

std::vector<std::string> Members(int n = 150) {
  std::vector<std::string> m;
  for (int i = 0; i < n; ++i) m.push_back(Member(i));
  return m;
}

std::string Object(const std::vector<std::string>& members) {
  std::string s = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) s += ',';
    s += members[i];
  }
  return s + "}";
}

// ---- round trips --------------------------------------------------------------------------------

// The JSON object used throughout is the ~5 KB size the header talks about.
TEST(DeltaFixture, ObjectIsAboutFiveKilobytes) {
  std::string base = Object(Members());
  EXPECT_GT(base.size(), 5000u);
  EXPECT_LT(base.size(), 6000u);
}

// An unchanged value encodes as a tiny delta that rebuilds it.
TEST(DeltaRoundTrip, IdenticalValues) {
  std::string base = Object(Members());
  std::string d;
  ASSERT_TRUE(RoundTrips(base, base, &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 200u);
}

// Changing one field of a 5 KB object gives a delta under 200 bytes that rebuilds it.
TEST(DeltaRoundTrip, OneFieldChanged) {
  auto m = Members();
  std::string base = Object(m);
  m[75] = "\"field_075\":\"a brand new value\"";
  std::string target = Object(m);
  std::string d;
  ASSERT_TRUE(RoundTrips(base, target, &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 200u);
}

// Two changes far apart (near both ends) are both carried, and the delta stays small.
TEST(DeltaRoundTrip, TwoFieldsChangedFarApart) {
  auto m = Members();
  std::string base = Object(m);
  m[3] = "\"field_003\":\"changed near the start\"";
  m[146] = "\"field_146\":\"changed near the end\"";
  std::string target = Object(m);
  std::string d;
  ASSERT_TRUE(RoundTrips(base, target, &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 400u);
}

// The first and the last member changed: edits at the very edges of the value.
TEST(DeltaRoundTrip, FirstAndLastFieldsChanged) {
  auto m = Members();
  std::string base = Object(m);
  m.front() = "\"field_000\":\"x\"";
  m.back() = "\"field_149\":\"y\"";
  std::string d;
  ASSERT_TRUE(RoundTrips(base, Object(m), &d));
  EXPECT_FALSE(d.empty());
}

// A member added in the middle and one appended are both carried.
TEST(DeltaRoundTrip, FieldAdded) {
  auto m = Members();
  std::string base = Object(m);
  m.insert(m.begin() + 60, "\"inserted\":\"in the middle\"");
  m.push_back("\"appended\":\"at the end\"");
  std::string d;
  ASSERT_TRUE(RoundTrips(base, Object(m), &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 200u);
}

// Members removed (middle, first, last) are dropped from the rebuilt value.
TEST(DeltaRoundTrip, FieldRemoved) {
  auto m = Members();
  std::string base = Object(m);
  m.erase(m.begin() + 100);
  m.erase(m.begin());
  m.pop_back();
  std::string d;
  ASSERT_TRUE(RoundTrips(base, Object(m), &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 200u);
}

// Members moved a short way, or two members swapped, are still encoded and rebuilt exactly.
TEST(DeltaRoundTrip, FieldsReordered) {
  auto m = Members();
  std::string base = Object(m);
  std::swap(m[10], m[90]);   // two far-apart members swap places
  std::swap(m[40], m[41]);   // neighbours swap
  std::rotate(m.begin() + 60, m.begin() + 61, m.begin() + 66);  // one member moved 5 places on
  std::string d;
  ASSERT_TRUE(RoundTrips(base, Object(m), &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 400u);
}

// Large moves (a 40-member block to the end, full reversal): whether a delta is worth it is the
// codec's call (its alignment looks only a bounded distance ahead), but any delta is correct.
TEST(DeltaRoundTrip, FieldsReorderedWholesale) {
  auto m = Members();
  std::string base = Object(m);
  std::rotate(m.begin(), m.begin() + 40, m.end());
  ASSERT_TRUE(RoundTrips(base, Object(m)));
  auto r = Members();
  std::reverse(r.begin(), r.end());
  ASSERT_TRUE(RoundTrips(base, Object(r)));
}

// A changed value that gains or loses commas (more or fewer chunks) does not derail the rest.
TEST(DeltaRoundTrip, ValueGainsOrLosesCommas) {
  auto m = Members();
  std::string base = Object(m);
  m[30] = "\"field_030\":\"ulaw,alaw,g722,opus,gsm\"";
  m[120] = "\"field_120\":\"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z\"";
  std::string target = Object(m);
  std::string d;
  ASSERT_TRUE(RoundTrips(base, target, &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 300u);
  ASSERT_TRUE(RoundTrips(target, base, &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 300u);
}

// A new object like the last one (every 10th value different) is still a worthwhile delta.
TEST(DeltaRoundTrip, ManyScatteredChanges) {
  auto m = Members();
  std::string base = Object(m);
  for (int i = 5; i < 150; i += 10) m[i] = "\"field_" + std::to_string(i) + "\":\"bob-" + std::to_string(i) + "\"";
  std::string d;
  ASSERT_TRUE(RoundTrips(base, Object(m), &d));
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 1000u);
}

// A JSON target sharing little with the base is either refused or rebuilt exactly.
TEST(DeltaRoundTrip, TargetTotallyDifferent) {
  std::string base = Object(Members());
  std::vector<std::string> other;
  for (int i = 0; i < 150; ++i) other.push_back("\"k" + std::to_string(i * 7919) + "\":" + std::to_string(i * 31337));
  ASSERT_TRUE(RoundTrips(base, Object(other)));
}

// With nothing to copy from, a delta could only be inserts, never half the target: empty.
TEST(DeltaRoundTrip, EmptyBase) {
  std::string target = Object(Members());
  ASSERT_TRUE(RoundTrips("", target));
  EXPECT_TRUE(Encode("", target).empty());
}

// A base that is a prefix of the target (target longer) and the reverse (target shorter).
TEST(DeltaRoundTrip, BaseShorterOrLongerThanTarget) {
  auto m = Members();
  std::string whole = Object(m);
  std::string half = Object(std::vector<std::string>(m.begin(), m.begin() + 90));
  std::string d;
  ASSERT_TRUE(RoundTrips(half, whole, &d));  // base shorter: the tail is inserted
  EXPECT_FALSE(d.empty());
  ASSERT_TRUE(RoundTrips(whole, half, &d));  // base longer: its tail is ignored
  EXPECT_FALSE(d.empty());
  EXPECT_LT(d.size(), 200u);
  // Target a small slice from deep inside the base: worth a delta or not, it must be correct.
  std::string small = Object(std::vector<std::string>(m.begin() + 70, m.begin() + 80));
  ASSERT_GE(small.size(), kMinTargetBytes);
  ASSERT_TRUE(RoundTrips(whole, small, &d));
}

// Values with commas and escaped quotes (which a ','-splitter might cut mid-string) survive.
TEST(DeltaRoundTrip, ValuesWithCommasAndEscapedQuotes) {
  auto m = Members();
  for (int i = 0; i < 150; i += 10)
    m[i] = "\"field_" + std::to_string(i) + "\":\"a, b,, \\\"quoted, with comma\\\", c\\\\,\"";
  std::string base = Object(m);
  m[50] = "\"field_50\":\",,,\\\"\\\",\\\\\\\",,\"";
  m[51] = "\"field_051\":\"value_051, now with, commas\"";
  std::string target = Object(m);
  std::string d;
  ASSERT_TRUE(RoundTrips(base, target, &d));
  EXPECT_FALSE(d.empty());
  ASSERT_TRUE(RoundTrips(target, base, &d));
  EXPECT_FALSE(d.empty());
}

// Bytes outside JSON (NULs, high bytes) are carried verbatim.
TEST(DeltaRoundTrip, BinaryBytes) {
  std::string base;
  for (int i = 0; i < 2048; ++i) base += static_cast<char>((i * 37) & 0xff);
  std::string target = base;
  target[1000] = '\0';
  target.insert(500, std::string("\0\xff,\x80", 4));
  std::string d;
  ASSERT_TRUE(RoundTrips(base, target, &d));
  EXPECT_FALSE(d.empty());
}

// Degenerate inputs (all separators, no separators, long repeats) still round-trip.
TEST(DeltaRoundTrip, DegenerateInputs) {
  std::string commas(20000, ',');
  std::string t = commas;
  t.insert(10000, "x");
  ASSERT_TRUE(RoundTrips(commas, t));
  ASSERT_TRUE(RoundTrips(commas, commas));
  std::string as(20000, 'a');
  std::string u = as;
  u[12345] = 'b';
  ASSERT_TRUE(RoundTrips(as, u));
  ASSERT_TRUE(RoundTrips(as, std::string(30000, 'a')));
  ASSERT_TRUE(RoundTrips(std::string(300, 'a'), as));
}

// Random bases with random insert/delete/replace runs: every non-empty delta rebuilds the target.
TEST(DeltaRoundTrip, RandomEdits) {
  std::mt19937 rng(0x5eed0de1);
  const std::string alphabet = "abc,\"{}:\\ ";
  auto rand_byte = [&](int mode) {
    return mode == 0 ? static_cast<char>(rng() & 0xff) : alphabet[rng() % alphabet.size()];
  };
  int nonempty = 0;
  const int kIterations = 3000;
  for (int iter = 0; iter < kIterations; ++iter) {
    int mode = static_cast<int>(rng() % 2);  // 0: any byte, 1: JSON-ish bytes, many ','
    std::string base;
    size_t len = rng() % 4000;
    for (size_t i = 0; i < len; ++i) base += rand_byte(mode);
    std::string target = base;
    int edits = static_cast<int>(rng() % 9);  // 0 edits: identical
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % (target.size() + 1);
      size_t longest = rng() % 8 == 0 ? 1024 : 48;
      size_t run = 1 + rng() % longest;
      switch (rng() % 3) {
        case 0:  // insert
          for (size_t i = 0; i < run; ++i) target.insert(target.begin() + pos, rand_byte(mode));
          break;
        case 1:  // delete
          target.erase(pos, std::min(run, target.size() - pos));
          break;
        default:  // replace
          for (size_t i = pos; i < std::min(pos + run, target.size()); ++i) target[i] = rand_byte(mode);
      }
    }
    std::string d;
    ASSERT_TRUE(RoundTrips(base, target, &d)) << "iteration " << iter << ", mode " << mode << ", "
                                              << edits << " edits";
    if (!d.empty()) ++nonempty;
  }
  // Most of these targets are small edits of large bases; a codec that never encodes is broken.
  EXPECT_GT(nonempty, kIterations / 4);
}

// ---- when Encode declines ------------------------------------------------------------------------

// Targets under kMinTargetBytes are never encoded, even when identical to the base; at exactly
// kMinTargetBytes an identical target is.
TEST(DeltaEncode, EmptyForShortTargets) {
  std::string base(4096, 'x');
  for (size_t i = 0; i < base.size(); i += 17) base[i] = ',';
  EXPECT_TRUE(Encode(base, "").empty());
  EXPECT_TRUE(Encode(base, base.substr(0, 1)).empty());
  EXPECT_TRUE(Encode(base, base.substr(0, kMinTargetBytes - 1)).empty());
  std::string short_value = base.substr(0, kMinTargetBytes - 1);
  EXPECT_TRUE(Encode(short_value, short_value).empty());
  std::string exact = base.substr(0, kMinTargetBytes);
  std::string d;
  ASSERT_TRUE(RoundTrips(exact, exact, &d));
  EXPECT_FALSE(d.empty());
}

// A target sharing no byte value with the base can only be inserts: never worth it, so empty.
TEST(DeltaEncode, EmptyForUnrelatedTarget) {
  std::mt19937 rng(42);
  std::string base, target;
  for (int i = 0; i < 5000; ++i) base += "abcdef,"[rng() % 7];
  for (int i = 0; i < 5000; ++i) target += "0123456789;"[rng() % 11];
  EXPECT_TRUE(Encode(base, target).empty());
  // Random bytes against other random bytes: nothing worth copying either.
  std::string rb, rt;
  for (int i = 0; i < 5000; ++i) rb += static_cast<char>(rng() & 0xff);
  for (int i = 0; i < 5000; ++i) rt += static_cast<char>(rng() & 0xff);
  EXPECT_TRUE(Encode(rb, rt).empty());
}

// ---- Apply: the documented format ---------------------------------------------------------------

// Hand-written deltas decode per the header: copies, inserts, multi-byte LEB128, any order.
TEST(DeltaApply, DecodesDocumentedFormat) {
  std::string out;
  ASSERT_TRUE(Apply("hello world", Copy(0, 5) + Insert(" ..") + Copy(6, 5), out, 100));
  EXPECT_EQ(out, "hello ..world");
  ASSERT_TRUE(Apply("hello world", Copy(6, 5) + Copy(5, 1) + Copy(0, 5), out, 100));
  EXPECT_EQ(out, "world hello");
  ASSERT_TRUE(Apply("abc", Copy(0, 3) + Copy(0, 3), out, 6));  // the same bytes twice
  EXPECT_EQ(out, "abcabc");

  std::string big_base(400, '.');
  big_base.replace(300, 10, "0123456789");
  std::string long_insert(200, 'z');  // length 200 takes two LEB128 bytes
  std::string d = std::string("C\xac\x02\x0a", 4) + "I\xc8\x01" + long_insert;
  ASSERT_TRUE(Apply(big_base, d, out, 1000));
  EXPECT_EQ(out, "0123456789" + long_insert);
}

// A copy reaching exactly the end of the base is accepted.
TEST(DeltaApply, CopyUpToEndOfBase) {
  std::string out;
  ASSERT_TRUE(Apply("0123456789", Copy(0, 10), out, 10));
  EXPECT_EQ(out, "0123456789");
  ASSERT_TRUE(Apply("0123456789", Copy(9, 1), out, 10));
  EXPECT_EQ(out, "9");
}

// An empty delta rebuilds the empty string.
TEST(DeltaApply, EmptyDeltaGivesEmptyString) {
  std::string out = "previous";
  ASSERT_TRUE(Apply("some base", "", out, 100));
  EXPECT_EQ(out, "");
  ASSERT_TRUE(Apply("", "", out, 0));
  EXPECT_EQ(out, "");
}

// Apply replaces whatever `out` held rather than appending to it.
TEST(DeltaApply, ReplacesOutContent) {
  std::string out = "old content that is longer than the result";
  ASSERT_TRUE(Apply("abcdef", Copy(1, 3) + Insert("!"), out, 100));
  EXPECT_EQ(out, "bcd!");
  std::string base = Object(Members());
  std::string target = base;
  target[2000] = '#';
  std::string d = Encode(base, target);
  ASSERT_FALSE(d.empty());
  out = std::string(10000, '?');
  ASSERT_TRUE(Apply(base, d, out, target.size()));
  EXPECT_EQ(out, target);
}

// ---- Apply: malformed deltas --------------------------------------------------------------------

// Tags other than 'C' and 'I' are refused, including after valid operations.
TEST(DeltaApply, RejectsUnknownTag) {
  std::string out;
  EXPECT_FALSE(Apply("abc", "X", out, 100));
  EXPECT_FALSE(Apply("abc", std::string("c\x00\x01", 3), out, 100));  // lower case
  EXPECT_FALSE(Apply("abc", std::string("\0", 1), out, 100));
  EXPECT_FALSE(Apply("abc", "\xff", out, 100));
  EXPECT_FALSE(Apply("abc", Copy(0, 3) + "Z", out, 100));
  EXPECT_FALSE(Apply("abc", Insert("x") + "i\x01y", out, 100));
}

// Integers cut short (no terminating byte, or missing altogether) are refused.
TEST(DeltaApply, RejectsTruncatedLeb128) {
  std::string out;
  std::string base = "0123456789";
  EXPECT_FALSE(Apply(base, "C", out, 100));             // no offset
  EXPECT_FALSE(Apply(base, "C\x80", out, 100));         // offset continues past the end
  EXPECT_FALSE(Apply(base, "C\x01", out, 100));         // no length
  EXPECT_FALSE(Apply(base, "C\x01\x80", out, 100));     // length continues past the end
  EXPECT_FALSE(Apply(base, "C\x01\xff\xff", out, 100));
  EXPECT_FALSE(Apply(base, "I", out, 100));             // no length
  EXPECT_FALSE(Apply(base, "I\x80", out, 100));         // length continues past the end
  EXPECT_FALSE(Apply(base, Copy(0, 2) + "C\x80", out, 100));
}

// Copies that start or end outside the base are refused.
TEST(DeltaApply, RejectsCopyOutsideBase) {
  std::string out;
  std::string base = "0123456789";
  EXPECT_FALSE(Apply(base, Copy(0, 11), out, 100));
  EXPECT_FALSE(Apply(base, Copy(5, 6), out, 100));
  EXPECT_FALSE(Apply(base, Copy(10, 1), out, 100));
  EXPECT_FALSE(Apply(base, Copy(11, 0), out, 100));
  EXPECT_FALSE(Apply(base, Copy(1000000, 1), out, 100));
  EXPECT_FALSE(Apply("", Copy(0, 1), out, 100));
  EXPECT_FALSE(Apply(base, Copy(0, 5) + Copy(9, 2), out, 100));  // bad one after a good one
}

// Huge LEB128 values (whose sum offset+length wraps around 2^64, or that do not fit in 64 bits)
// are refused instead of wrapping into range.
TEST(DeltaApply, RejectsOffsetOverflow) {
  std::string out;
  std::string base = "0123456789";
  const uint64_t kMax = UINT64_MAX;
  EXPECT_FALSE(Apply(base, Copy(kMax, 2), out, 100));      // kMax + 2 wraps to 1
  EXPECT_FALSE(Apply(base, Copy(1, kMax), out, 100));      // 1 + kMax wraps to 0
  EXPECT_FALSE(Apply(base, Copy(kMax, 1), out, 100));      // wraps to 0
  EXPECT_FALSE(Apply(base, Copy(kMax - 4, 10), out, 100)); // wraps to 5
  EXPECT_FALSE(Apply(base, Copy(0, kMax), out, 100));
  EXPECT_FALSE(Apply(base, Copy(uint64_t{1} << 63, uint64_t{1} << 63), out, 100));  // wraps to 0
  // More than 64 bits: ten 0xff continuation bytes then a terminator.
  std::string too_long = std::string(10, '\xff') + "\x01";
  EXPECT_FALSE(Apply(base, "C" + too_long + Leb(1), out, 100));
  EXPECT_FALSE(Apply(base, "C" + Leb(0) + too_long, out, 100));
  EXPECT_FALSE(Apply(base, "I" + too_long + "abc", out, 100));
  // 2^64 + 1 (the 10th byte carries a bit beyond bit 63): wrapping would read it as 1.
  std::string two64_plus1 = std::string("\x81") + std::string(8, '\x80') + "\x02";
  EXPECT_FALSE(Apply(base, "C" + Leb(0) + two64_plus1, out, 100));
  // A long run of continuation bytes.
  EXPECT_FALSE(Apply(base, "C" + std::string(100, '\xff'), out, 100));
}

// Inserts announcing more bytes than the delta holds are refused, including huge lengths whose
// end would wrap around.
TEST(DeltaApply, RejectsInsertPastEndOfDelta) {
  std::string out;
  EXPECT_FALSE(Apply("base", "I\x05" "abc", out, 100));
  EXPECT_FALSE(Apply("base", "I\x01", out, 100));
  EXPECT_FALSE(Apply("base", Insert("ok") + "I\x03" "ab", out, 100));
  EXPECT_FALSE(Apply("base", "I" + Leb(UINT64_MAX) + "abc", out, 100));
  EXPECT_FALSE(Apply("base", "I" + Leb(UINT64_MAX - 1) + "abc", out, UINT64_MAX));
}

// Results longer than max_bytes are refused, whether from copies, inserts or many operations.
TEST(DeltaApply, RejectsResultLongerThanMaxBytes) {
  std::string out;
  std::string base(100, 'b');
  ASSERT_TRUE(Apply(base, Copy(0, 100), out, 100));
  EXPECT_FALSE(Apply(base, Copy(0, 100), out, 99));
  EXPECT_FALSE(Apply(base, Insert(std::string(50, 'i')), out, 49));
  EXPECT_FALSE(Apply(base, Copy(0, 60) + Insert(std::string(41, 'i')), out, 100));
  EXPECT_FALSE(Apply(base, Copy(0, 1), out, 0));
  // A short delta that would expand enormously (a million copies of the base) is cut off.
  std::string bomb;
  for (int i = 0; i < 1000000; ++i) bomb += Copy(0, 100);
  EXPECT_FALSE(Apply(base, bomb, out, 1 << 20));
}

// Apply stays inside the views it is given: bytes just past `base` or `delta` in memory are
// not used even when they would make the delta valid.
TEST(DeltaApply, NeverReadsOutsideViews) {
  std::string out;
  std::string buffer = "[[hello]]";
  std::string_view base = std::string_view(buffer).substr(2, 5);  // "hello"
  ASSERT_TRUE(Apply(base, Copy(0, 5), out, 100));
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(Apply(base, Copy(0, 6), out, 100));
  EXPECT_FALSE(Apply(base, Copy(4, 2), out, 100));

  std::string delta_buffer = "I\x05" "abcde";
  std::string_view short_delta = std::string_view(delta_buffer).substr(0, 5);  // "I\x05abc"
  EXPECT_FALSE(Apply(base, short_delta, out, 100));
  std::string leb_buffer("C\x00\x82\x01", 4);
  std::string_view cut_leb(leb_buffer.data(), 3);  // "C\x00\x82": length unterminated
  EXPECT_FALSE(Apply(base, cut_leb, out, 100));
}

// Arbitrary garbage as a delta never crashes; anything accepted respects max_bytes.
TEST(DeltaApply, RandomGarbageIsHandled) {
  std::mt19937 rng(7);
  std::string base = Object(Members(20));
  std::string out;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string d;
    size_t len = rng() % 24;
    for (size_t i = 0; i < len; ++i) {
      uint32_t r = rng() % 8;
      d += r == 0 ? 'C' : r == 1 ? 'I' : static_cast<char>(rng() & 0xff);
    }
    size_t max = rng() % 2048;
    if (Apply(base, d, out, max)) {
      EXPECT_LE(out.size(), max);
      auto ref = ReferenceApply(base, d);
      ASSERT_TRUE(ref.has_value()) << "Apply accepted a delta the format does not allow";
      EXPECT_EQ(out, *ref);
    }
  }
}

}  // namespace
}  // namespace astdb::delta

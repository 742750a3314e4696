// Sections, variables, comments, escapes, line endings and line-level errors.
#include "conf/config.h"

#include <gtest/gtest.h>

#include <string>

namespace conf {
namespace {

Config MustParse(std::string_view text) {
  util::Result<Config> r = ParseText(text, "test.conf", "");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Config{};
}

std::string ParseError(std::string_view text) {
  util::Result<Config> r = ParseText(text, "test.conf", "");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), util::Status::Code::kInvalid);
  return r.status().message();
}

TEST(ConfigTest, EmptyTextGivesEmptyConfig) {
  Config c = MustParse("");
  EXPECT_TRUE(c.sections.empty());
  ASSERT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0], "test.conf");
}

TEST(ConfigTest, SectionsAndVariablesInOrderWithPositions) {
  Config c = MustParse("[general]\nbindaddr = 0.0.0.0\n\n[second]\na=1\nb = two words \n");
  ASSERT_EQ(c.sections.size(), 2u);
  const Section& g = c.sections[0];
  EXPECT_EQ(g.name, "general");
  EXPECT_EQ(g.file, "test.conf");
  EXPECT_EQ(g.line, 1);
  ASSERT_EQ(g.variables.size(), 1u);
  EXPECT_EQ(g.variables[0].name, "bindaddr");
  EXPECT_EQ(g.variables[0].value, "0.0.0.0");
  EXPECT_EQ(g.variables[0].file, "test.conf");
  EXPECT_EQ(g.variables[0].line, 2);
  const Section& s = c.sections[1];
  EXPECT_EQ(s.line, 4);
  ASSERT_EQ(s.variables.size(), 2u);
  EXPECT_EQ(s.variables[0].name, "a");
  EXPECT_EQ(s.variables[0].value, "1");
  EXPECT_EQ(s.variables[1].name, "b");
  EXPECT_EQ(s.variables[1].value, "two words");
  EXPECT_EQ(s.variables[1].line, 6);
  EXPECT_TRUE(s.templates.empty());
}

TEST(ConfigTest, ArrowIsTheSameAsEquals) {
  Config c = MustParse("[ctx]\nexten => 100,1,Answer()\nsame=>n,Hangup()\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 2u);
  EXPECT_EQ(s.variables[0].name, "exten");
  EXPECT_EQ(s.variables[0].value, "100,1,Answer()");
  EXPECT_EQ(s.variables[1].name, "same");
  EXPECT_EQ(s.variables[1].value, "n,Hangup()");
}

TEST(ConfigTest, ValueMayContainEqualsAndBeEmpty) {
  Config c = MustParse("[s]\nmatch = a=b=c\nempty =\n  spaced\t=\t x \t\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 3u);
  EXPECT_EQ(s.variables[0].value, "a=b=c");
  EXPECT_EQ(s.variables[1].name, "empty");
  EXPECT_EQ(s.variables[1].value, "");
  EXPECT_EQ(s.variables[2].name, "spaced");
  EXPECT_EQ(s.variables[2].value, "x");
}

TEST(ConfigTest, RepeatedSectionNamesStaySeparate) {
  Config c = MustParse(
      "[alice]\ntype=aor\nmax_contacts=1\n"
      "[alice]\ntype=auth\nusername=alice\n"
      "[alice]\ntype=endpoint\n"
      "[bob]\ntype=aor\n");
  ASSERT_EQ(c.sections.size(), 4u);
  std::vector<const Section*> all = c.FindAll("alice");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->Find("type")->value, "aor");
  EXPECT_EQ(all[1]->Find("type")->value, "auth");
  EXPECT_EQ(all[2]->Find("type")->value, "endpoint");
  EXPECT_EQ(all[1]->line, 4);
  EXPECT_EQ(c.Find("alice"), all[0]);
  EXPECT_EQ(c.Find("bob")->Find("type")->value, "aor");
}

TEST(ConfigTest, SectionLookupIsExactVariableLookupIgnoresCase) {
  Config c = MustParse("[Alice]\nType=aor\ncontact=sip:a@x\ncontact=sip:b@x\n");
  EXPECT_EQ(c.Find("alice"), nullptr);
  EXPECT_TRUE(c.FindAll("ALICE").empty());
  const Section* s = c.Find("Alice");
  ASSERT_NE(s, nullptr);
  ASSERT_NE(s->Find("type"), nullptr);
  EXPECT_EQ(s->Find("TYPE")->value, "aor");
  EXPECT_EQ(s->Find("contact")->value, "sip:a@x");
  EXPECT_EQ(s->FindLast("CONTACT")->value, "sip:b@x");
  EXPECT_EQ(s->Find("missing"), nullptr);
  EXPECT_EQ(s->FindLast("missing"), nullptr);
}

TEST(ConfigTest, SectionNameIsTrimmed) {
  Config c = MustParse("[ spaced name ]\na=b\n");
  EXPECT_NE(c.Find("spaced name"), nullptr);
}

TEST(ConfigTest, LineCommentsAreRemoved) {
  Config c = MustParse(
      "; a whole-line comment\n"
      "[s] ; after a header\n"
      "a = 1 ; trailing\n"
      "b=2;tight\n"
      "   ;indented comment\n"
      "c = ;only a comment as value\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 3u);
  EXPECT_EQ(s.variables[0].value, "1");
  EXPECT_EQ(s.variables[1].value, "2");
  EXPECT_EQ(s.variables[2].name, "c");
  EXPECT_EQ(s.variables[2].value, "");
}

TEST(ConfigTest, EscapedSemicolonIsLiteral) {
  Config c =
      MustParse("[s]\nuri = sip:a@b\\;transport=tcp ; comment\npath=a\\;b\\;c\nslash=a\\b\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 3u);
  EXPECT_EQ(s.variables[0].value, "sip:a@b;transport=tcp");
  EXPECT_EQ(s.variables[1].value, "a;b;c");
  EXPECT_EQ(s.variables[2].value, "a\\b");  // other backslashes are kept
}

TEST(ConfigTest, BlockCommentOnOneLine) {
  Config c = MustParse("[s]\na = 1 ;-- hidden --; 2\n;-- whole line --;\nb = 3\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 2u);
  EXPECT_EQ(s.variables[0].value, "1  2");
  EXPECT_EQ(s.variables[1].value, "3");
  EXPECT_EQ(s.variables[1].line, 4);
}

TEST(ConfigTest, BlockCommentSpansLines) {
  Config c = MustParse(
      "[s]\n"
      "a = 1 ;-- starts here\n"
      "hidden = yes\n"
      "[hidden]\n"
      "no equals sign here either\n"
      "ends here --; b = 2\n"
      "c = 3\n");
  ASSERT_EQ(c.sections.size(), 1u);
  const Section& s = c.sections[0];
  ASSERT_EQ(s.variables.size(), 3u);
  EXPECT_EQ(s.variables[0].name, "a");
  EXPECT_EQ(s.variables[0].value, "1");
  EXPECT_EQ(s.variables[1].name, "b");
  EXPECT_EQ(s.variables[1].value, "2");
  EXPECT_EQ(s.variables[1].line, 6);
  EXPECT_EQ(s.variables[2].line, 7);
}

TEST(ConfigTest, BlockCommentsNest) {
  Config c = MustParse(
      "[s]\n"
      ";-- outer\n"
      "x = 1\n"
      ";-- inner --;\n"
      "y = 2 ; still hidden: one level open\n"
      "--; z = 3\n"
      "w = 4\n");
  const Section& s = c.sections.at(0);
  ASSERT_EQ(s.variables.size(), 2u);
  EXPECT_EQ(s.variables[0].name, "z");
  EXPECT_EQ(s.variables[1].name, "w");
}

TEST(ConfigTest, UnclosedBlockCommentHidesTheRestOfTheFile) {
  Config c = MustParse("[s]\na=1\n;-- never closed\nb=2\n");
  ASSERT_EQ(c.sections.at(0).variables.size(), 1u);
}

TEST(ConfigTest, BlockCommentsDoNotLeakIntoTheNextParse) {
  MustParse("[s]\n;-- open\n");
  Config c = MustParse("[t]\na=1\n");
  EXPECT_EQ(c.sections.at(0).variables.size(), 1u);
}

TEST(ConfigTest, CrlfLineEndings) {
  Config c = MustParse("[s]\r\na = 1\r\nb=two ; c\r\n\r\n[t]\r\nx=y\r\n");
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(c.sections[0].variables[0].value, "1");
  EXPECT_EQ(c.sections[0].variables[1].value, "two");
  EXPECT_EQ(c.sections[1].name, "t");
  EXPECT_EQ(c.sections[1].line, 5);
  EXPECT_EQ(c.sections[1].variables[0].value, "y");
}

TEST(ConfigTest, Utf8BomIsSkipped) {
  Config c = MustParse("\xEF\xBB\xBF[s]\na=1\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].name, "s");
  EXPECT_EQ(c.sections[0].line, 1);
}

TEST(ConfigTest, LastLineWithoutNewline) {
  Config c = MustParse("[s]\na=1");
  EXPECT_EQ(c.sections.at(0).Find("a")->value, "1");
}

TEST(ConfigTest, TextAfterHeaderIsIgnored) {
  Config c = MustParse("[s] junk\na=1\n[t](!) more\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].Find("a")->value, "1");
}

TEST(ConfigTest, UnknownDirectiveIsIgnored) {
  Config c = MustParse("#pragma once\n[s]\na=1\n");
  EXPECT_EQ(c.sections.size(), 1u);
}

TEST(ConfigErrorTest, LineWithoutEquals) {
  EXPECT_EQ(ParseError("[s]\na=1\n\njust words\n"),
            "test.conf:4: expected 'name = value', got 'just words'");
}

TEST(ConfigErrorTest, VariableBeforeAnySection) {
  EXPECT_EQ(ParseError("; header comment\n\na = 1\n[s]\n"),
            "test.conf:3: variable line before any [section]: 'a = 1'");
}

TEST(ConfigErrorTest, WordsBeforeAnySection) {
  EXPECT_EQ(ParseError("hello\n"), "test.conf:1: variable line before any [section]: 'hello'");
}

TEST(ConfigErrorTest, MissingCloseBracket) {
  EXPECT_EQ(ParseError("[s]\na=1\n[broken\n"),
            "test.conf:3: missing ']' in section header '[broken'");
}

TEST(ConfigErrorTest, MissingCloseParen) {
  EXPECT_EQ(ParseError("[t](!\n"), "test.conf:1: missing ')' after the options of section [t]");
}

TEST(ConfigErrorTest, EmptySectionName) {
  EXPECT_EQ(ParseError("[ ]\n"), "test.conf:1: empty section name");
}

TEST(ConfigErrorTest, EmptyVariableName) {
  EXPECT_EQ(ParseError("[s]\n = 1\n"), "test.conf:2: missing variable name before '=' in '= 1'");
}

TEST(ConfigErrorTest, CommentedOutEqualsDoesNotCount) {
  EXPECT_EQ(ParseError("[s]\nname ; = value\n"),
            "test.conf:2: expected 'name = value', got 'name'");
}

TEST(ConfigErrorTest, ErrorLineCountsCrlfAndBlockComments) {
  EXPECT_EQ(ParseError("[s]\r\n;--\r\nx\r\n--;\r\nbad\r\n"),
            "test.conf:5: expected 'name = value', got 'bad'");
}

TEST(ConfigErrorTest, LongLinesAreShortenedInMessages) {
  const std::string line(500, 'x');
  const std::string msg = ParseError("[s]\n" + line + "\n");
  EXPECT_LT(msg.size(), 150u);
  EXPECT_EQ(msg.rfind("test.conf:2: expected 'name = value', got 'xxx", 0), 0u);
}

TEST(ConfigErrorTest, ControlBytesAreEscapedInMessages) {
  EXPECT_EQ(ParseError("[s]\nab\x01\rcd\n"),
            "test.conf:2: expected 'name = value', got 'ab\\x01\\x0dcd'");
}

}  // namespace
}  // namespace conf

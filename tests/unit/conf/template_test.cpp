// Templates ([x](!), [y](x), [z](!,x)) and additions ([x](+)).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "conf/config.h"

namespace conf {
namespace {

Config MustParse(std::string_view text) {
  util::Result<Config> r = ParseText(text, "t.conf", "");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Config{};
}

std::string ParseError(std::string_view text) {
  util::Result<Config> r = ParseText(text, "t.conf", "");
  EXPECT_FALSE(r.ok());
  return r.status().message();
}

// "name=value" for each variable, in order.
std::vector<std::string> Pairs(const Section& s) {
  std::vector<std::string> out;
  for (const Variable& v : s.variables) out.push_back(v.name + "=" + v.value);
  return out;
}

using Strings = std::vector<std::string>;

TEST(TemplateTest, TemplateIsNotListed) {
  Config c = MustParse("[base](!)\na=1\n[real]\nb=2\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].name, "real");
  EXPECT_EQ(c.Find("base"), nullptr);
}

TEST(TemplateTest, InheritedVariablesComeFirst) {
  Config c = MustParse(
      "[endpoint-base](!)\n"
      "type=endpoint\n"
      "context=default\n"
      "[6001](endpoint-base)\n"
      "context=internal\n"
      "auth=6001\n");
  ASSERT_EQ(c.sections.size(), 1u);
  const Section& s = c.sections[0];
  EXPECT_EQ(Pairs(s),
            (Strings{"type=endpoint", "context=default", "context=internal", "auth=6001"}));
  EXPECT_EQ(s.templates, Strings{"endpoint-base"});
  EXPECT_EQ(s.Find("context")->value, "default");
  EXPECT_EQ(s.FindLast("context")->value, "internal");
  // Inherited variables keep the position where the template wrote them.
  EXPECT_EQ(s.variables[0].line, 2);
  EXPECT_EQ(s.variables[2].line, 5);
  EXPECT_EQ(s.line, 4);
}

TEST(TemplateTest, SeveralTemplatesInListedOrder) {
  Config c = MustParse(
      "[a](!)\nx=a\n"
      "[b](!)\nx=b\ny=b\n"
      "[s](b, a)\nz=s\n");
  const Section& s = c.sections.at(0);
  EXPECT_EQ(Pairs(s), (Strings{"x=b", "y=b", "x=a", "z=s"}));
  EXPECT_EQ(s.templates, (Strings{"b", "a"}));
}

TEST(TemplateTest, TemplatesInheritRecursively) {
  Config c = MustParse(
      "[root](!)\nr=1\n"
      "[mid](!,root)\nm=2\n"
      "[leaf](mid)\nl=3\n");
  ASSERT_EQ(c.sections.size(), 1u);
  const Section& s = c.sections[0];
  EXPECT_EQ(Pairs(s), (Strings{"r=1", "m=2", "l=3"}));
  EXPECT_EQ(s.templates, Strings{"mid"});
}

TEST(TemplateTest, TemplateOptionOrderDoesNotMatter) {
  Config c = MustParse("[root](!)\nr=1\n[mid](root,!)\nm=2\n[leaf](mid)\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(Pairs(c.sections[0]), (Strings{"r=1", "m=2"}));
}

TEST(TemplateTest, OrdinarySectionCanBeInheritedFrom) {
  Config c = MustParse("[one]\na=1\n[two](one)\nb=2\n");
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(Pairs(c.sections[1]), (Strings{"a=1", "b=2"}));
}

TEST(TemplateTest, TemplateNameLookupIgnoresCase) {
  Config c = MustParse("[Base](!)\na=1\n[s](base)\n");
  EXPECT_EQ(Pairs(c.sections.at(0)), Strings{"a=1"});
  EXPECT_EQ(c.sections[0].templates, Strings{"base"});
}

TEST(TemplateTest, InheritanceCopiesTheTemplateAsItIsThen) {
  Config c = MustParse(
      "[t](!)\na=1\n"
      "[early](t)\n"
      "[t](+)\nb=2\n"
      "[late](t)\n");
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(Pairs(c.sections[0]), Strings{"a=1"});
  EXPECT_EQ(Pairs(c.sections[1]), (Strings{"a=1", "b=2"}));
}

TEST(TemplateTest, RedefinedTemplateUsesTheLatest) {
  Config c = MustParse("[t](!)\na=old\n[t](!)\na=new\n[s](t)\n");
  EXPECT_EQ(Pairs(c.sections.at(0)), Strings{"a=new"});
}

TEST(TemplateTest, InheritingFromAnEarlierSectionOfTheSameName) {
  Config c = MustParse("[a]\nx=1\n[a](a)\ny=2\n");
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(Pairs(c.sections[1]), (Strings{"x=1", "y=2"}));
}

TEST(TemplateTest, AppendAddsToTheMostRecentSectionOfThatName) {
  Config c = MustParse(
      "[alice]\ntype=aor\n"
      "[alice]\ntype=auth\n"
      "[bob]\ntype=aor\n"
      "[alice](+)\npassword=secret\n");
  ASSERT_EQ(c.sections.size(), 3u);
  EXPECT_EQ(Pairs(c.sections[0]), Strings{"type=aor"});
  EXPECT_EQ(Pairs(c.sections[1]), (Strings{"type=auth", "password=secret"}));
  EXPECT_EQ(Pairs(c.sections[2]), Strings{"type=aor"});
  EXPECT_EQ(c.sections[1].line, 3);  // the header position stays the original one
  EXPECT_EQ(c.sections[1].variables[1].line, 8);
}

TEST(TemplateTest, AppendWithTemplates) {
  Config c = MustParse("[t](!)\nx=1\n[s]\na=0\n[s](+,t)\nb=2\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(Pairs(c.sections[0]), (Strings{"a=0", "x=1", "b=2"}));
  EXPECT_EQ(c.sections[0].templates, Strings{"t"});
}

TEST(TemplateTest, AppendToATemplate) {
  Config c = MustParse("[t](!)\na=1\n[t](+)\nb=2\n[s](t)\n");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(Pairs(c.sections[0]), (Strings{"a=1", "b=2"}));
}

TEST(TemplateTest, AppendToItselfDuplicates) {
  Config c = MustParse("[s]\na=1\n[s](+,s)\n");
  EXPECT_EQ(Pairs(c.sections.at(0)), (Strings{"a=1", "a=1"}));
}

TEST(TemplateErrorTest, UnknownTemplate) {
  EXPECT_EQ(ParseError("[a](!)\nx=1\n[s](a,missing)\n"),
            "t.conf:3: unknown template 'missing' in section [s]");
}

TEST(TemplateErrorTest, TemplateMustBeDefinedEarlier) {
  EXPECT_EQ(ParseError("[s](later)\n[later](!)\n"),
            "t.conf:1: unknown template 'later' in section [s]");
}

TEST(TemplateErrorTest, AppendWithoutEarlierSection) {
  EXPECT_EQ(ParseError("[a]\nx=1\n[b](+)\n"),
            "t.conf:3: cannot add to section [b]: no earlier section has that name");
}

TEST(TemplateErrorTest, AppendAndTemplateTogether) {
  EXPECT_EQ(ParseError("[a]\n[a](!,+)\n"), "t.conf:2: section [a] cannot use both '!' and '+'");
}

TEST(TemplateErrorTest, EmptyOptions) {
  EXPECT_EQ(ParseError("[a]()\n"), "t.conf:1: empty template name in the options of section [a]");
  EXPECT_EQ(ParseError("[t](!)\n[a](t,)\n"),
            "t.conf:2: empty template name in the options of section [a]");
}

TEST(TemplateErrorTest, RunawayInheritanceIsBounded) {
  // Each level doubles the variables of the one before: 2^25 without a bound.
  std::string text = "[l0](!)\n";
  for (int i = 0; i < 8; ++i) text += "v" + std::to_string(i) + "=x\n";
  for (int i = 1; i <= 25; ++i) {
    const std::string prev = "l" + std::to_string(i - 1);
    text += "[l" + std::to_string(i) + "](!," + prev + "," + prev + ")\n";
  }
  const std::string msg = ParseError(text);
  EXPECT_NE(msg.find("variables in all"), std::string::npos) << msg;
  EXPECT_EQ(msg.rfind("t.conf:", 0), 0u) << msg;
}

}  // namespace
}  // namespace conf

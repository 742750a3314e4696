// http.conf `iothreads` (a sorceryd extension): parsed, bounded, and 0 means automatic.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "ari/ari_config.h"

namespace {

std::string Write(const std::string& text) {
  std::string path = testing::TempDir() + "/http-iothreads-" + std::to_string(::getpid()) + ".conf";
  std::ofstream(path) << text;
  return path;
}

TEST(HttpConfIothreads, DefaultIsAutomatic) {
  auto s = ari::LoadHttpConf(Write("[general]\nenabled=yes\nbindaddr=127.0.0.1\n"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->iothreads, 0);
}

TEST(HttpConfIothreads, ExplicitValueAndBadValues) {
  auto s = ari::LoadHttpConf(Write("[general]\niothreads=6\n"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->iothreads, 6);
  auto bad = ari::LoadHttpConf(Write("[general]\n\niothreads=lots\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":3: iothreads 'lots'"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ari::LoadHttpConf(Write("[general]\niothreads=1000\n")).ok());
}

}  // namespace

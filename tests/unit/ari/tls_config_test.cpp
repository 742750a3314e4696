// http.conf's TLS options as LoadHttpConf reads them into HttpSettings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "ari/ari_config.h"

namespace ari {
namespace {

class HttpConfTls : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tls_config_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::remove((dir_ + "/http.conf").c_str());
    ::rmdir(dir_.c_str());
  }
  util::Result<HttpSettings> Load(const std::string& general) {
    std::ofstream(dir_ + "/http.conf") << "[general]\n" << general;
    return LoadHttpConf(dir_ + "/http.conf");
  }
  std::string dir_;
};

TEST_F(HttpConfTls, DefaultsAsAsterisk) {
  auto s = Load("enabled=yes\nbindaddr=127.0.0.1\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_FALSE(s->tlsenable);
  EXPECT_FALSE(s->tlsbindaddr_set);
  EXPECT_EQ(s->tlsbindaddr, "127.0.0.1");  // bindaddr's address ...
  EXPECT_EQ(s->tlsbindport, 8089);         // ... with port 8089
  EXPECT_EQ(s->tls.cert_file, "");         // caller substitutes <astkeydir>/asterisk.pem
  EXPECT_EQ(s->tls.key_file, "");
  EXPECT_EQ(s->tls.ciphers, kDefaultTlsCiphers);
  EXPECT_TRUE(s->tls.server_cipher_order);
  EXPECT_TRUE(s->tls.disable_tlsv1);
  EXPECT_FALSE(s->tls.disable_tlsv11);
  EXPECT_FALSE(s->tls.disable_tlsv12);
  EXPECT_FALSE(s->tls.verify_client);
  EXPECT_EQ(DefaultTlsCertFile("/var/lib/asterisk/keys"), "/var/lib/asterisk/keys/asterisk.pem");
}

TEST_F(HttpConfTls, DefaultBindaddrFollowsBindaddrWithoutItsPort) {
  auto s = Load("bindaddr=10.1.2.3:8000\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tlsbindaddr, "10.1.2.3");
  EXPECT_EQ(s->tlsbindport, 8089);
  s = Load("bindaddr=[::1]:8000\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tlsbindaddr, "::1");
  EXPECT_EQ(s->tlsbindport, 8089);
}

TEST_F(HttpConfTls, AllOptions) {
  auto s = Load(
      "tlsenable=yes\ntlsbindaddr=192.0.2.1:4443\ntlscertfile=/k/c.pem\ntlsprivatekey=/k/k.pem\n"
      "tlscipher=ECDHE-RSA-AES128-GCM-SHA256\ntlsservercipherorder=no\ntlsdisablev1=no\n"
      "tlsdisablev11=yes\ntlsdisablev12=true\ntlscafile=/k/ca.pem\ntlscapath=/k/ca\ntlsverifyclient=yes\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->tlsenable);
  EXPECT_TRUE(s->tlsbindaddr_set);
  EXPECT_EQ(s->tlsbindaddr, "192.0.2.1");
  EXPECT_EQ(s->tlsbindport, 4443);
  EXPECT_EQ(s->tls.cert_file, "/k/c.pem");
  EXPECT_EQ(s->tls.key_file, "/k/k.pem");
  EXPECT_EQ(s->tls.ciphers, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_FALSE(s->tls.server_cipher_order);
  EXPECT_FALSE(s->tls.disable_tlsv1);
  EXPECT_TRUE(s->tls.disable_tlsv11);
  EXPECT_TRUE(s->tls.disable_tlsv12);
  EXPECT_EQ(s->tls.ca_file, "/k/ca.pem");
  EXPECT_EQ(s->tls.ca_path, "/k/ca");
  EXPECT_TRUE(s->tls.verify_client);
}

TEST_F(HttpConfTls, AliasesAndCase) {
  auto s = Load("SSLEnable=yes\nsslbindaddr=127.0.0.2\nsslcert=/a.pem\nsslprivatekey=/b.pem\nsslcipher=HIGH\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->tlsenable);
  EXPECT_EQ(s->tlsbindaddr, "127.0.0.2");
  EXPECT_EQ(s->tlsbindport, 8089);  // no port given
  EXPECT_EQ(s->tls.cert_file, "/a.pem");
  EXPECT_EQ(s->tls.key_file, "/b.pem");
  EXPECT_EQ(s->tls.ciphers, "HIGH");
  s = Load("tlscert=/c.pem\ntlscadir=/d\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tls.cert_file, "/c.pem");
  EXPECT_EQ(s->tls.ca_path, "/d");
  s = Load("tlscipher=\n");  // empty: back to the default list
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tls.ciphers, kDefaultTlsCiphers);
}

TEST_F(HttpConfTls, BindaddrForms) {
  struct Case {
    const char* value;
    const char* addr;
    uint16_t port;
  };
  for (const Case& c : {Case{"127.0.0.1:8443", "127.0.0.1", 8443}, Case{"[::1]:8443", "::1", 8443},
                        Case{"[::]", "::", 8089}, Case{"::1", "::1", 8089}, Case{"0.0.0.0", "0.0.0.0", 8089},
                        Case{"localhost:9", "localhost", 9}, Case{" 127.0.0.1:1 ", "127.0.0.1", 1}}) {
    auto s = Load(std::string("bindaddr=127.0.0.1\ntlsbindaddr=") + c.value + "\n");
    ASSERT_TRUE(s.ok()) << c.value << ": " << s.status().message();
    EXPECT_EQ(s->tlsbindaddr, c.addr) << c.value;
    EXPECT_EQ(s->tlsbindport, c.port) << c.value;
  }
}

TEST_F(HttpConfTls, BadBindaddrNamesFileAndLine) {
  for (const char* bad : {"127.0.0.1:", "127.0.0.1:x", "127.0.0.1:0", "127.0.0.1:65536", "[::1", "[::1]x",
                          "[::1]:", ":8089", "[]:1"}) {
    auto s = Load(std::string("enabled=yes\ntlsbindaddr=") + bad + "\n");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.status().message().find("http.conf:3: tlsbindaddr '"), std::string::npos) << s.status().message();
  }
}

TEST_F(HttpConfTls, UnknownAndClientOnlyOptionsIgnored) {
  auto s = Load("tlsclientmethod=tlsv1\ntlsdontverifyserver=yes\nsslnosuchthing=1\ntlsenable=yes\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->tlsenable);
}

}  // namespace
}  // namespace ari

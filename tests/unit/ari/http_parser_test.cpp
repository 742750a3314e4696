#include "ari/http_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ari {
namespace {

using St = HttpRequestParser::Status;

// Feeds `in` in pieces of `step` bytes; returns the final status and the unconsumed tail.
St FeedSplit(HttpRequestParser& p, std::string_view in, size_t step, std::string* rest = nullptr) {
  St st = St::kNeedMore;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t n = std::min(step, in.size() - pos);
    size_t used = 0;
    st = p.Feed(in.substr(pos, n), &used);
    if (st != St::kNeedMore) {
      if (rest) *rest = std::string(in.substr(pos + used));
      return st;
    }
    EXPECT_EQ(used, n);
    pos += n;
  }
  if (rest) rest->clear();
  return st;
}

TEST(HttpParser, SimpleGetAnySplit) {
  const std::string req =
      "GET /ari/asterisk/info?only=build HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nAccept:  */*  \r\n\r\n";
  for (size_t step = 1; step <= req.size(); ++step) {
    HttpRequestParser p;
    ASSERT_EQ(FeedSplit(p, req, step), St::kComplete) << step;
    const HttpRequest& r = p.request();
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/ari/asterisk/info?only=build");
    EXPECT_EQ(r.path, "/ari/asterisk/info");
    EXPECT_EQ(r.query, "only=build");
    EXPECT_EQ(r.version_minor, 1);
    ASSERT_EQ(r.headers.size(), 3u);
    EXPECT_EQ(r.headers[0].first, "Host");
    EXPECT_EQ(r.headers[1].second, "");
    EXPECT_EQ(r.headers[2].second, "*/*");
    ASSERT_NE(r.Header("accept"), nullptr);
    EXPECT_EQ(*r.Header("ACCEPT"), "*/*");
    EXPECT_EQ(r.Header("Content-Length"), nullptr);
    EXPECT_TRUE(r.body.empty());
  }
}

TEST(HttpParser, BareLfAndLeadingBlankLines) {
  HttpRequestParser p;
  ASSERT_EQ(FeedSplit(p, "\r\n\nGET / HTTP/1.0\nA: b\n\n", 3), St::kComplete);
  EXPECT_EQ(p.request().version_minor, 0);
  EXPECT_EQ(*p.request().Header("a"), "b");
  EXPECT_FALSE(WantsKeepAlive(p.request()));
}

TEST(HttpParser, ContentLengthBody) {
  const std::string req =
      "PUT /x HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"fields\":1}";
  for (size_t step : {1, 2, 7, 1000}) {
    HttpRequestParser p;
    std::string rest;
    ASSERT_EQ(FeedSplit(p, req, step, &rest), St::kComplete);
    EXPECT_EQ(p.request().body, "{\"fields\":1");
    EXPECT_EQ(rest, "}");
  }
}

TEST(HttpParser, ChunkedBody) {
  const std::string req =
      "POST /c HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n1A\r\n, this is twenty six bytes\r\n0\r\nTrailer: x\r\n\r\n";
  for (size_t step : {1, 3, 10, 1000}) {
    HttpRequestParser p;
    std::string rest;
    ASSERT_EQ(FeedSplit(p, req + "NEXT", step, &rest), St::kComplete) << step;
    EXPECT_EQ(p.request().body, "hello, this is twenty six bytes");
    EXPECT_EQ(rest, "NEXT");
  }
}

TEST(HttpParser, ChunkedErrors) {
  for (const char* body : {"zz\r\n", "5\r\nhelloXX\r\n", "\r\n", "5 x\r\nhello\r\n0\r\n\r\n"}) {
    HttpRequestParser p;
    std::string req = std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") + body;
    EXPECT_EQ(FeedSplit(p, req, 1000), St::kError) << body;
    EXPECT_EQ(p.error().status, 400);
  }
  HttpRequestParser::Limits lim;
  lim.max_body = 10;
  HttpRequestParser p(lim);
  EXPECT_EQ(FeedSplit(p,
                      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n"
                      "6\r\nabcdef\r\n0\r\n\r\n",
                      1000),
            St::kError);
  EXPECT_EQ(p.error().status, 413);
  HttpRequestParser huge;
  EXPECT_EQ(FeedSplit(huge, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
                      1000),
            St::kError);
  EXPECT_EQ(huge.error().status, 413);
  HttpRequestParser gzip;
  EXPECT_EQ(FeedSplit(gzip, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 1000), St::kError);
  EXPECT_EQ(gzip.error().status, 501);
  HttpRequestParser both;
  EXPECT_EQ(FeedSplit(both,
                      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                      1000),
            St::kError);
  EXPECT_EQ(both.error().status, 400);
}

TEST(HttpParser, BadContentLength) {
  for (const char* cl : {"abc", "-1", "1 2", "0x10", "", "12a", "99999999999999999999"}) {
    HttpRequestParser p;
    std::string req = std::string("PUT / HTTP/1.1\r\nContent-Length: ") + cl + "\r\n\r\n";
    ASSERT_EQ(FeedSplit(p, req, 1000), St::kError) << cl;
    EXPECT_EQ(p.error().status, 400);
    EXPECT_EQ(p.error().message, "Invalid Content-Length in request!");
    EXPECT_FALSE(p.error().json);
  }
  HttpRequestParser dup;
  ASSERT_EQ(FeedSplit(dup, "PUT / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\n", 1000),
            St::kError);
  EXPECT_EQ(dup.error().status, 400);
  HttpRequestParser same;
  ASSERT_EQ(FeedSplit(same, "PUT / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc", 1000),
            St::kComplete);
  EXPECT_EQ(same.request().body, "abc");
}

TEST(HttpParser, BodyTooLarge) {
  HttpRequestParser p;  // default max_body 40960
  ASSERT_EQ(FeedSplit(p, "PUT / HTTP/1.1\r\nContent-Length: 40961\r\n\r\n", 1000), St::kError);
  EXPECT_EQ(p.error().status, 413);
  EXPECT_EQ(p.error().reason, "Request Entity Too Large");
  EXPECT_EQ(p.error().message, "Request body too large");
  EXPECT_TRUE(p.error().json);
  HttpRequestParser ok;
  std::string req = "PUT / HTTP/1.1\r\nContent-Length: 40960\r\n\r\n" + std::string(40960, 'x');
  EXPECT_EQ(FeedSplit(ok, req, 4096), St::kComplete);
}

TEST(HttpParser, HeadLimit) {
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(8200, 'a') + "\r\n\r\n";
  for (size_t step : {1, 100, 100000}) {
    HttpRequestParser p;
    ASSERT_EQ(FeedSplit(p, big, step), St::kError);
    EXPECT_EQ(p.error().status, 431);
  }
  // Exactly 8192 bytes of head is fine.
  std::string head = "GET / HTTP/1.1\r\nX: ";
  std::string fill(8192 - head.size() - 4, 'b');
  HttpRequestParser ok;
  EXPECT_EQ(FeedSplit(ok, head + fill + "\r\n\r\n", 50), St::kComplete);
  HttpRequestParser over;
  EXPECT_EQ(FeedSplit(over, head + fill + "b\r\n\r\n", 50), St::kError);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) many += "A: b\r\n";
  HttpRequestParser m;
  EXPECT_EQ(FeedSplit(m, many + "\r\n", 1000), St::kError);
  EXPECT_EQ(m.error().status, 431);
}

TEST(HttpParser, MalformedRequestLines) {
  for (const char* line :
       {"GET\r\n", "GET /\r\n", "GET / HTTP/1.1 x\r\n", "GET  / HTTP/1.1\r\n", "G(T / HTTP/1.1\r\n",
        " GET / HTTP/1.1\r\n", "GET / HTTP/1\r\n", "GET / http/1.1\r\n", "GET / HTTP/1.x\r\n",
        "GET /a\x01 HTTP/1.1\r\n"}) {
    HttpRequestParser p;
    ASSERT_EQ(FeedSplit(p, std::string(line) + "\r\n", 1000), St::kError) << line;
    EXPECT_EQ(p.error().status, 400) << line;
  }
  HttpRequestParser v2;
  ASSERT_EQ(FeedSplit(v2, "GET / HTTP/2.0\r\n\r\n", 1000), St::kError);
  EXPECT_EQ(v2.error().status, 505);
  for (const char* hdr : {"NoColon\r\n", ": empty\r\n", "Bad Name: x\r\n", " folded\r\n",
                          "X: a\x01 b\r\n", "X : y\r\n"}) {
    HttpRequestParser p;
    ASSERT_EQ(FeedSplit(p, std::string("GET / HTTP/1.1\r\n") + hdr + "\r\n", 1000), St::kError)
        << hdr;
    EXPECT_EQ(p.error().status, 400);
  }
}

TEST(HttpParser, PipelinedRequests) {
  std::string in =
      "GET /1 HTTP/1.1\r\n\r\nPUT /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nabGET /3 HTTP/1.1\r\n\r\n";
  HttpRequestParser p;
  std::vector<std::string> seen;
  std::string_view rest = in;
  while (!rest.empty()) {
    size_t used = 0;
    St st = p.Feed(rest, &used);
    rest.remove_prefix(used);
    if (st == St::kComplete) {
      seen.push_back(p.request().path + "|" + p.request().body);
      p.Reset();
    } else {
      ASSERT_EQ(st, St::kNeedMore);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"/1|", "/2|ab", "/3|"}));
}

TEST(HttpParser, KeepAliveRules) {
  HttpRequest r;
  r.version_minor = 1;
  EXPECT_TRUE(WantsKeepAlive(r));
  r.headers = {{"connection", "Close"}};
  EXPECT_FALSE(WantsKeepAlive(r));
  r.headers = {{"Connection", "TE, close"}};
  EXPECT_FALSE(WantsKeepAlive(r));
  r.version_minor = 0;
  r.headers = {};
  EXPECT_FALSE(WantsKeepAlive(r));
  r.headers = {{"Connection", "Keep-Alive"}};
  EXPECT_TRUE(WantsKeepAlive(r));
}

TEST(HttpParser, ExpectContinue) {
  HttpRequestParser p;
  EXPECT_EQ(FeedSplit(p, "PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", 1000),
            St::kNeedMore);
  EXPECT_TRUE(p.started());
  EXPECT_TRUE(p.TakeContinue());
  EXPECT_FALSE(p.TakeContinue());
  size_t used;
  EXPECT_EQ(p.Feed("ok", &used), St::kComplete);
}

TEST(HttpParser, StartedAndReset) {
  HttpRequestParser p;
  EXPECT_FALSE(p.started());
  size_t used;
  EXPECT_EQ(p.Feed("GE", &used), St::kNeedMore);
  EXPECT_TRUE(p.started());
  EXPECT_EQ(p.Feed("T / HTTP/1.1\r\n\r\n", &used), St::kComplete);
  p.Reset();
  EXPECT_FALSE(p.started());
  EXPECT_EQ(p.Feed("\r\n", &used), St::kNeedMore);
  EXPECT_FALSE(p.started());
}

// Random bytes and mutated requests fed in random splits: the parser must never crash, must
// always consume within bounds, and must keep its limits.
TEST(HttpParserRandomized, NoCrash) {
  std::mt19937 rng(4242);
  const std::string seeds[] = {
      "GET /ari/asterisk/info HTTP/1.1\r\nHost: a\r\n\r\n",
      "PUT /x?y HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  };
  const char alphabet[] = "\r\n :;0123456789abcdefGETPUHTP/.?\t\x00\x7f\x80\xff-";
  HttpRequestParser::Limits lim;
  lim.max_head = 256;
  lim.max_body = 64;
  lim.max_headers = 8;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    int n = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k) s += seeds[rng() % std::size(seeds)];
    int edits = static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % (s.size() + 1);
      char c = alphabet[rng() % (sizeof(alphabet) - 1)];
      switch (rng() % 3) {
        case 0: s.insert(s.begin() + static_cast<long>(pos), c); break;
        case 1: if (pos < s.size()) s.erase(pos, 1); break;
        default: if (pos < s.size()) s[pos] = c; break;
      }
    }
    if (rng() % 10 == 0) {
      s.clear();
      size_t len = rng() % 600;
      for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>(rng()));
    }
    HttpRequestParser p(lim);
    std::string_view rest = s;
    int guard = 0;
    while (!rest.empty() && ++guard < 10000) {
      size_t step = 1 + rng() % 40;
      std::string_view piece = rest.substr(0, step);
      size_t used = 0;
      St st = p.Feed(piece, &used);
      ASSERT_LE(used, piece.size());
      rest.remove_prefix(used);
      if (st == St::kError) {
        ASSERT_GE(p.error().status, 400);
        break;
      }
      if (st == St::kComplete) {
        ASSERT_LE(p.request().body.size(), lim.max_body);
        p.Reset();
      } else {
        ASSERT_EQ(used, piece.size());
      }
    }
  }
}

}  // namespace
}  // namespace ari

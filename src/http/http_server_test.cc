#include "http/http_server.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

HttpRequest parse(std::string_view bytes, TransportRefusal* refused, HttpLimits limits = {}) {
  return parse_http_request_bytes(bytes, limits, refused);
}

TEST(HttpRequestParsing, DecodesPathQueryAndHeaders) {
  TransportRefusal refused;
  HttpRequest r = parse(
      "GET /download/a%20b/c.parquet?expires=12&signature=ab%2B&flag HTTP/1.1\r\n"
      "Host: x\r\nauthorization: bearer k\r\n\r\n",
      &refused);
  ASSERT_EQ(refused.status, 0) << refused.message;
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/download/a b/c.parquet");
  EXPECT_EQ(r.query_param("expires"), "12");
  EXPECT_EQ(r.query_param("signature"), "ab+");
  EXPECT_EQ(r.query_param("missing"), "");
  EXPECT_EQ(r.headers.get("Authorization"), "bearer k");
}

TEST(HttpRequestParsing, AnyBytesInThePathAreDataNotAFailure) {
  TransportRefusal refused;
  HttpRequest r = parse("GET /%ff%c0%ae HTTP/1.1\r\nHost: x\r\n\r\n", &refused);
  ASSERT_EQ(refused.status, 0);
  EXPECT_EQ(r.path, "/\xff\xc0\xae");
}

TEST(HttpRequestParsing, RefusesEachClassWithItsOwnStatus) {
  struct Case {
    std::string bytes;
    int status;
    const char* code;
  } cases[] = {
      {"GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"},
      {"GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"},
      {"NOT A REQUEST\r\n\r\n", 400, "bad_request"},
      {"GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"},
      {"GET / HTTP/1.1\r\nX: " + std::string(30000, 'a') + "\r\n\r\n", 431, "header_fields_too_large"},
      // Within Beast's one limit for line and fields, past the fields' own.
      {"GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n", 431, "header_fields_too_large"},
      {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, "bad_request"},
      {"POST /export HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n", 413, "payload_too_large"},
  };
  for (const Case& c : cases) {
    TransportRefusal refused;
    parse(c.bytes, &refused);
    EXPECT_EQ(refused.status, c.status) << c.bytes.substr(0, 40);
    EXPECT_EQ(refused.code, c.code) << c.bytes.substr(0, 40);
  }
}

TEST(HttpRequestParsing, ChunkedBodiesMeetTheSameLimitWhileRead) {
  std::string chunked = "POST /export HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 100; ++i) chunked += "400\r\n" + std::string(1024, 'x') + "\r\n";
  chunked += "0\r\n\r\n";
  TransportRefusal refused;
  HttpRequest r = parse(chunked, &refused);
  EXPECT_EQ(refused.status, 413);
  // The header was whole, so the service can still say who sent it.
  EXPECT_EQ(r.headers.get("Authorization"), "Bearer k");
  EXPECT_TRUE(r.body.empty());

  std::string small = "POST /export HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n0\r\n\r\n";
  r = parse(small, &refused);
  EXPECT_EQ(refused.status, 0);
  EXPECT_EQ(r.body, "hello");
}

// Found by the http_request fuzzer: no bytes at all tripped Beast's assertion in put_eof.
TEST(HttpRequestParsing, NoBytesOrAHalfRequestIsABadRequest) {
  for (std::string_view bytes : {"", "GET / HTTP/1.1\r\nHost", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"}) {
    TransportRefusal refused;
    parse(bytes, &refused);
    EXPECT_EQ(refused.status, 400) << bytes;
    EXPECT_EQ(refused.code, "bad_request") << bytes;
  }
}

TEST(HttpErrorJson, ReplacesBytesThatAreNotUtf8) {
  std::string body = http_error_json("not_found", "no route GET /\xff");
  EXPECT_NE(body.find("not_found"), std::string::npos);
  EXPECT_NE(body.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD
}

}  // namespace
}  // namespace scout

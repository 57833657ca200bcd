#include "server/web_console.h"

#include <gtest/gtest.h>

#include "server/export_service.h"
#include "testing/temp_dir.h"

namespace scout {
namespace {

TEST(WebConsole, OriginOfAUrlIsSchemeHostAndPort) {
  EXPECT_EQ(url_origin("https://bucket.s3.eu-west-1.amazonaws.com/a/b?x=1"),
            "https://bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(url_origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(url_origin("http://[::1]:9000/x"), "http://[::1]:9000");
}

TEST(WebConsole, NoOriginForWhatIsNoHttpUrl) {
  EXPECT_EQ(url_origin(""), "");
  EXPECT_EQ(url_origin("/relative"), "");
  EXPECT_EQ(url_origin("javascript://x"), "");
  EXPECT_EQ(url_origin("http://"), "");
  EXPECT_EQ(url_origin("http://user:pw@host/"), "");
  EXPECT_EQ(url_origin("http://a b;script-src *"), "");
}

TEST(WebConsole, PolicyAllowsOnlyTheServiceAndTheDownloadOrigin) {
  std::string csp = web_console_csp("https://files.example.com");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("style-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'self' https://files.example.com;"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(web_console_csp("").find("connect-src 'self';") == std::string::npos, false);
}

constexpr WebConsoleFile kFiles[] = {
    {"/", "text/html; charset=utf-8", "<!doctype html><p>console</p>"},
    {"/console/console.js", "text/javascript; charset=utf-8", "start()"},
};

class WebConsoleRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.data_dir = dir.file("data");
    config.public_url = "https://files.example.com/exports";
    auto created = ExportService::create(config, kFiles);
    ASSERT_TRUE(created.ok()) << created.status().message();
    service = std::move(*created);
  }

  HttpResponse get(const std::string& path) {
    HttpRequest req;
    req.method = "GET";
    req.target = req.path = path;
    return service->handle(req);
  }

  test_support::TempDir dir;
  std::unique_ptr<ExportService> service;
};

TEST_F(WebConsoleRoutes, ServesEachFileOfTheTableWithItsTypeAndPolicy) {
  for (const WebConsoleFile& file : kFiles) {
    HttpResponse res = get(std::string(file.path));
    EXPECT_EQ(res.status, 200) << file.path;
    EXPECT_EQ(res.body, file.body);
    EXPECT_EQ(res.headers.get("Content-Type"), file.content_type);
    EXPECT_EQ(res.headers.get("Content-Security-Policy"), web_console_csp("https://files.example.com"));
    EXPECT_EQ(res.headers.get("X-Content-Type-Options"), "nosniff");
  }
  EXPECT_EQ(get("/functions/v1/export-parquet/").body, kFiles[0].body);
}

TEST_F(WebConsoleRoutes, NoOtherPathReachesAFile) {
  for (const char* path : {"/console/", "/console/other.js", "/console/../console/console.js",
                           "/console/console.js/", "/console//console.js", "/index.html"}) {
    EXPECT_EQ(get(path).status, 404) << path;
  }
}

}  // namespace
}  // namespace scout

#include "server/router.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

Router make_router() {
  Router r;
  auto nothing = [](const HttpRequest&, const RouteParams&, HttpResponse&) {};
  r.add("GET", "/health", nothing);
  r.add("POST", "/export", nothing);
  r.add("GET", "/exports/{id}", nothing);
  r.add("DELETE", "/exports/{id}", nothing);
  r.add("GET", "/download/{key...}", nothing);
  return r;
}

constexpr std::string_view kPrefix = "/functions/v1/export-parquet";

TEST(Router, MatchesTemplatesAtTheRootAndUnderThePrefix) {
  Router r = make_router();
  for (std::string_view path : {"/health", "/functions/v1/export-parquet/health"}) {
    auto m = r.resolve("GET", path, kPrefix);
    ASSERT_NE(m.handler, nullptr) << path;
    EXPECT_EQ(m.route, "/health");
  }
  auto job = r.resolve("DELETE", "/exports/abc", kPrefix);
  ASSERT_NE(job.handler, nullptr);
  EXPECT_EQ(job.params["id"], "abc");
  auto file = r.resolve("HEAD", "/functions/v1/export-parquet/download/e1/region=NCR/part-0.parquet", kPrefix);
  ASSERT_NE(file.handler, nullptr);
  EXPECT_EQ(file.route, "/download/{key...}");
  EXPECT_EQ(file.params["key"], "e1/region=NCR/part-0.parquet");
}

TEST(Router, UnknownPathsShareOneLabel) {
  Router r = make_router();
  for (std::string_view path : {"/x\"} 1\ninjected_total{source=\"probe", "/", "/healthz",
                                "/exports", "/exports/a/b", "/download", "/functions/v1/export-parquetx/health"}) {
    auto m = r.resolve("GET", path, kPrefix);
    EXPECT_EQ(m.handler, nullptr) << path;
    EXPECT_EQ(m.route, "unmatched") << path;
    EXPECT_TRUE(m.allow.empty()) << path;
  }
}

TEST(Router, AWrongMethodListsTheAllowedOnes) {
  Router r = make_router();
  auto put = r.resolve("PUT", "/export", kPrefix);
  EXPECT_EQ(put.handler, nullptr);
  EXPECT_EQ(put.route, "/export");
  EXPECT_EQ(put.allow, "POST");
  auto foo = r.resolve("FOO", "/exports/1", kPrefix);
  EXPECT_EQ(foo.allow, "GET, HEAD, DELETE");
}

}  // namespace
}  // namespace scout

#include "core/warehouse_url.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace scout {
namespace {

TEST(WarehouseUrl, SqliteFormsNameTheFile) {
  auto u = parse_warehouse_url("sqlite:data/w.db");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, WarehouseUrl::Kind::kSqlite);
  EXPECT_EQ(u->sqlite_path, "data/w.db");
  EXPECT_EQ(parse_warehouse_url("sqlite:///tmp/w.db")->sqlite_path, "/tmp/w.db");
  EXPECT_EQ(parse_warehouse_url("sqlite:/tmp/w.db")->sqlite_path, "/tmp/w.db");
}

TEST(WarehouseUrl, PostgresUrisPassThrough) {
  auto u = parse_warehouse_url("postgresql://scout:secret@127.0.0.1:5432/scout");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, WarehouseUrl::Kind::kPostgres);
  EXPECT_EQ(u->url, "postgresql://scout:secret@127.0.0.1:5432/scout");
  EXPECT_EQ(parse_warehouse_url("postgres://h/db")->kind, WarehouseUrl::Kind::kPostgres);
}

TEST(WarehouseUrl, RefusesOtherFormsWithoutLeakingPasswords) {
  auto u = parse_warehouse_url("mysql://root:secret@h/db");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(u.status().message().find("secret"), std::string::npos) << u.status().message();
  EXPECT_FALSE(parse_warehouse_url("sqlite:").ok());
  EXPECT_FALSE(parse_warehouse_url("").ok());
}

TEST(WarehouseUrl, DefaultFollowsScoutDataDir) {
  ::setenv("SCOUT_DATA_DIR", "/srv/scout", 1);
  EXPECT_EQ(default_warehouse_url(), "sqlite:/srv/scout/warehouse.db");
  ::setenv("SCOUT_DATA_DIR", "", 1);
  EXPECT_EQ(default_warehouse_path(), "scout-data/warehouse.db");
  ::unsetenv("SCOUT_DATA_DIR");
  EXPECT_EQ(default_warehouse_url(), "sqlite:scout-data/warehouse.db");
}

// Warehouse URLs appear in error messages and --print-config; no form of a password may.
TEST(RedactUrl, HidesEveryFormOfPassword) {
  EXPECT_EQ(redact_url("postgresql://scout:s3cret@db:5432/warehouse"),
            "postgresql://scout:***@db:5432/warehouse");
  EXPECT_EQ(redact_url("postgresql://scout@db/warehouse?sslmode=require&password=s3cret"),
            "postgresql://scout@db/warehouse?sslmode=require&password=***");
  EXPECT_EQ(redact_url("postgresql://db/w?password=s3cret&application_name=x"),
            "postgresql://db/w?password=***&application_name=x");
  EXPECT_EQ(redact_url("host=db user=scout password=s3cret dbname=w"),
            "host=db user=scout password=*** dbname=w");
  EXPECT_EQ(redact_url("password=a password=b"), "password=*** password=***");
  EXPECT_EQ(redact_url("sqlite:/data/warehouse.db"), "sqlite:/data/warehouse.db");
  EXPECT_EQ(redact_url("postgresql://db/w?mypassword=x"), "postgresql://db/w?mypassword=x");
}

}  // namespace
}  // namespace scout

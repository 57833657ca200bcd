#include "source/pg_connection.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

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

#include "server/export_listing.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(ExportPageQuery, DefaultsToTheFirstPageOfTwenty) {
  auto query = parse_export_page_query("", "");
  ASSERT_TRUE(query.ok()) << query.status().message();
  EXPECT_EQ(query->limit, 20);
  EXPECT_FALSE(query->after.has_value());
}

TEST(ExportPageQuery, LimitIsAWholeNumberFromOneToTheMaximum) {
  EXPECT_EQ(parse_export_page_query("1", "")->limit, 1);
  EXPECT_EQ(parse_export_page_query("100", "")->limit, 100);
  for (const char* bad : {"0", "101", "-1", "+5", "5x", "1.5", " 5", "99999999999999999999"}) {
    auto query = parse_export_page_query(bad, "");
    ASSERT_FALSE(query.ok()) << bad;
    EXPECT_EQ(query.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(query.status().message(),
              std::string("limit must be a whole number from 1 to 100, got '") + bad + "'");
  }
}

TEST(ExportPageQuery, CursorComesBackAsThePositionItWasMadeOf) {
  JobListPosition last{"2025-03-31T10:00:00.000Z", "0b8e2a6c-9d53-4c52-a0f4-5d6d0e0b8f11"};
  auto query = parse_export_page_query("", export_cursor(last));
  ASSERT_TRUE(query.ok()) << query.status().message();
  ASSERT_TRUE(query->after.has_value());
  EXPECT_EQ(query->after->created_at, last.created_at);
  EXPECT_EQ(query->after->id, last.id);
}

TEST(ExportPageQuery, RefusesACursorThisServiceDidNotMake) {
  JobListPosition bad_time{"yesterday", "abc"};
  JobListPosition bad_id{"2025-03-31T10:00:00.000Z", "../../etc"};
  for (const std::string& bad : {std::string("zz"), std::string("abc"), std::string("4142"),
                                 export_cursor(bad_time), export_cursor(bad_id),
                                 std::string(300, 'a')}) {
    auto query = parse_export_page_query("", bad);
    ASSERT_FALSE(query.ok()) << bad;
    EXPECT_NE(query.status().message().find("cursor is not one this service gave"), std::string::npos);
  }
}

}  // namespace
}  // namespace scout

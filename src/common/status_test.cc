#include "scout/status.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

// Job records keep a failure's code by name; every code must come back from its name.
TEST(StatusCodeName, EveryCodeParsesBack) {
  for (int i = 0; std::string_view(status_code_name(static_cast<StatusCode>(i))) != "unknown"; ++i) {
    auto code = static_cast<StatusCode>(i);
    EXPECT_EQ(parse_status_code(status_code_name(code)), code) << status_code_name(code);
  }
  EXPECT_EQ(parse_status_code("invalid_dataset"), StatusCode::kInvalidDataset);
  EXPECT_EQ(parse_status_code("no_such_code"), std::nullopt);
}

}  // namespace
}  // namespace scout

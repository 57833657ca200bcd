#include "export/text_writers.h"

#include "export/compressed_output.h"

#include <gtest/gtest.h>

#include <cmath>

namespace scout {
namespace {

class CapturingStream : public OutputStream {
 public:
  explicit CapturingStream(std::string* sink) : sink_(sink) {}
  Status write(const void* data, size_t size) override {
    sink_->append(static_cast<const char*>(data), size);
    return Status::OK();
  }
  int64_t position() const override { return static_cast<int64_t>(sink_->size()); }
  Status close() override { return Status::OK(); }

 private:
  std::string* sink_;
};

Schema mixed_schema() {
  Schema s;
  s.fields = {{"name", DataType::of(TypeId::kString), true},
              {"day", DataType::of(TypeId::kDate), false},
              {"at", DataType::of(TypeId::kTimestamp), true},
              {"amount", DataType::decimal(14, 2), true},
              {"ratio", DataType::of(TypeId::kDouble), true},
              {"n", DataType::of(TypeId::kInt64), false},
              {"ok", DataType::of(TypeId::kBoolean), true}};
  return s;
}

ColumnBatch mixed_batch(const Schema& s) {
  ColumnBatch b(s);
  b.column(0).append_bytes("Aling Nena's Sari-Sari, Brgy. Niño");
  b.column(0).append_bytes("say \"hi\"\nthere");
  b.column(0).append_bytes("");
  b.column(0).append_null();
  for (int i = 0; i < 4; ++i) b.column(1).append_int32(20089 + i);  // 2025-01-01...
  b.column(2).append_int64(1735689600123456LL);
  b.column(2).append_null();
  b.column(2).append_int64(-1);
  b.column(2).append_int64(0);
  b.column(3).append_int64(123456);
  b.column(3).append_int64(-5);
  b.column(3).append_null();
  b.column(3).append_int64(0);
  b.column(4).append_double(0.1);
  b.column(4).append_double(NAN);
  b.column(4).append_double(-INFINITY);
  b.column(4).append_null();
  b.column(5).append_int64(INT64_MIN);
  b.column(5).append_int64(INT64_MAX);
  b.column(5).append_int64(0);
  b.column(5).append_int64(-7);
  b.column(6).append_bool(true);
  b.column(6).append_bool(false);
  b.column(6).append_null();
  b.column(6).append_bool(true);
  return b;
}

std::string render(bool csv, bool array = false) {
  std::string sink;
  Schema s = mixed_schema();
  auto out = std::make_unique<CapturingStream>(&sink);
  auto w = csv ? make_csv_writer(s, std::move(out)) : make_json_writer(s, std::move(out), array);
  EXPECT_TRUE(w->write(mixed_batch(s)).ok());
  EXPECT_TRUE(w->close().ok());
  return sink;
}

TEST(CsvWriter, FollowsRfc4180WithIsoDatesAndExactDecimals) {
  EXPECT_EQ(render(true),
            "name,day,at,amount,ratio,n,ok\r\n"
            "\"Aling Nena's Sari-Sari, Brgy. Niño\",2025-01-01,2025-01-01T00:00:00.123456Z,"
            "1234.56,0.1,-9223372036854775808,true\r\n"
            "\"say \"\"hi\"\"\nthere\",2025-01-02,,-0.05,NaN,9223372036854775807,false\r\n"
            "\"\",2025-01-03,1969-12-31T23:59:59.999999Z,,-Infinity,0,\r\n"
            ",2025-01-04,1970-01-01T00:00:00.000000Z,0.00,,-7,true\r\n");
}

TEST(JsonWriter, NewlineDelimitedObjectsWithExactNumbers) {
  std::string out = render(false);
  std::string first = out.substr(0, out.find('\n'));
  EXPECT_EQ(first,
            "{\"name\":\"Aling Nena's Sari-Sari, Brgy. Niño\",\"day\":\"2025-01-01\","
            "\"at\":\"2025-01-01T00:00:00.123456Z\",\"amount\":1234.56,\"ratio\":0.1,"
            "\"n\":-9223372036854775808,\"ok\":true}");
  EXPECT_NE(out.find("\"name\":\"say \\\"hi\\\"\\nthere\""), std::string::npos);
  EXPECT_NE(out.find("\"ratio\":\"NaN\""), std::string::npos);
  EXPECT_NE(out.find("\"ratio\":\"-Infinity\""), std::string::npos);
  EXPECT_NE(out.find("{\"name\":null,"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
}

TEST(JsonWriter, ArrayModeIsOneDocument) {
  std::string out = render(false, true);
  EXPECT_EQ(out.front(), '[');
  EXPECT_EQ(out.substr(out.size() - 3), "\n]\n");
  EXPECT_EQ(std::count(out.begin(), out.end(), '{'), 4);
}

// Many copies of the mixed rows, in batches big enough to be formatted in parallel slices, and
// the file both as it is written and through a compressed stream.
std::string render_many(bool csv, bool array, int threads, Codec codec) {
  std::string sink;
  Schema s = mixed_schema();
  auto compressed = make_compressed_output(codec, 0, std::make_unique<CapturingStream>(&sink));
  EXPECT_TRUE(compressed.ok());
  auto w = csv ? make_csv_writer(s, std::move(*compressed), threads)
               : make_json_writer(s, std::move(*compressed), array, threads);
  ColumnBatch four = mixed_batch(s);
  for (int b = 0; b < 6; ++b) {
    ColumnBatch batch(s);
    const int copies = b == 3 ? 1 : 1500;  // one batch too small to slice
    for (int k = 0; k < copies; ++k) {
      for (size_t c = 0; c < s.size(); ++c) batch.column(c).append_range(four.column(c), 0, 4);
    }
    EXPECT_TRUE(w->write(batch).ok());
  }
  EXPECT_TRUE(w->close().ok());
  return sink;
}

TEST(TextWriters, SameBytesAtEveryThreadCount) {
  for (Codec codec : {Codec::kUncompressed, Codec::kGzip, Codec::kZstd}) {
    for (auto [csv, array] : {std::pair{true, false}, {false, false}, {false, true}}) {
      SCOPED_TRACE(std::string(csv ? "csv" : array ? "json array" : "ndjson") + " " + codec_name(codec));
      const std::string one = render_many(csv, array, 1, codec);
      EXPECT_GT(one.size(), 300u);
      for (int threads : {2, 3, 0}) EXPECT_TRUE(render_many(csv, array, threads, codec) == one);
    }
  }
  // What the slices are joined into: every row once, in order.
  const std::string ndjson = render_many(false, false, 3, Codec::kUncompressed);
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 4 * (5 * 1500 + 1));
}

TEST(TextRendering, DecimalsKeepTheirScale) {
  std::string s;
  append_decimal(&s, 5, 2);
  s += " ";
  append_decimal(&s, -100, 2);
  s += " ";
  append_decimal(&s, 42, 0);
  EXPECT_EQ(s, "0.05 -1.00 42");
}

TEST(TextRendering, Base64) {
  std::string s;
  append_base64(&s, "Ma");
  s += " ";
  append_base64(&s, std::string("\x00\xff\x10", 3));
  EXPECT_EQ(s, "TWE= AP8Q");
}

}  // namespace
}  // namespace scout

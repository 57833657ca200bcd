#include "demo/postgres_demo_sink.h"

#include "export/format_writer.h"
#include "source/pg_connection.h"
#include "source/postgres_source.h"

namespace scout {
namespace {

constexpr const char* kSetup = R"sql(
CREATE SCHEMA IF NOT EXISTS scout_gold;
CREATE SCHEMA IF NOT EXISTS scout_platinum;
CREATE SCHEMA IF NOT EXISTS auth;
-- Supabase's definition: the claims PostgREST put on the session, as jsonb.
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN; END IF;
END
$$;
GRANT authenticated TO CURRENT_USER;
GRANT USAGE ON SCHEMA scout_gold, scout_platinum, auth TO authenticated;
GRANT EXECUTE ON FUNCTION auth.jwt() TO authenticated, anon;
)sql";

// Text COPY escaping: backslash, tab, newline and carriage return.
void append_copy_text(std::string* out, std::string_view v) {
  for (char ch : v) {
    switch (ch) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(ch);
    }
  }
}

class PostgresDemoSink final : public DemoSink {
 public:
  explicit PostgresDemoSink(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}
  ~PostgresDemoSink() override {
    if (!committed_) (void)conn_->exec("ROLLBACK");
  }

  Status start() {
    SCOUT_RETURN_IF_ERROR(conn_->exec("BEGIN"));
    return conn_->exec(kSetup);
  }

  Status begin_table(const std::string&, const std::string& qualified, const Schema& schema) override {
    table_ = qualified;
    std::string ddl = "DROP TABLE IF EXISTS " + qualified + " CASCADE; CREATE TABLE " + qualified + " (";
    for (size_t i = 0; i < schema.size(); ++i) {
      if (i) ddl += ", ";
      ddl += "\"" + schema[i].name + "\" " + postgres_type_for(schema[i].type) +
             (schema[i].nullable ? "" : " NOT NULL");
    }
    SCOUT_RETURN_IF_ERROR(conn_->exec(ddl + ")"));
    PGresult* r = PQexec(conn_->get(), ("COPY " + qualified + " FROM STDIN").c_str());
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    Status st = ok ? Status::OK() : conn_->error_status("COPY FROM", r);
    PQclear(r);
    return st;
  }

  Status append(const ColumnBatch& batch) override {
    buffer_.clear();
    char buf[64];
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c) buffer_.push_back('\t');
        const ColumnVector& col = batch.column(c);
        if (!col.validity()[r]) {
          buffer_.append("\\N");
          continue;
        }
        switch (col.type().id) {
          case TypeId::kBoolean: buffer_.push_back(col.value<uint8_t>(r) ? 't' : 'f'); break;
          case TypeId::kInt16:
          case TypeId::kInt32: buffer_.append(std::to_string(col.value<int32_t>(r))); break;
          case TypeId::kInt64: buffer_.append(std::to_string(col.value<int64_t>(r))); break;
          case TypeId::kFloat: append_double(&buffer_, col.value<float>(r)); break;
          case TypeId::kDouble: append_double(&buffer_, col.value<double>(r)); break;
          case TypeId::kDecimal:
            append_decimal(&buffer_, col.type().precision <= 18 ? col.value<int64_t>(r) : col.value<__int128>(r),
                           col.type().scale);
            break;
          case TypeId::kString: append_copy_text(&buffer_, col.string_at(r)); break;
          case TypeId::kBinary: {
            buffer_.append("\\\\x");
            static constexpr char kHex[] = "0123456789abcdef";
            for (unsigned char ch : col.string_at(r)) {
              buffer_.push_back(kHex[ch >> 4]);
              buffer_.push_back(kHex[ch & 15]);
            }
            break;
          }
          case TypeId::kDate: buffer_.append(buf, write_date(buf, col.value<int32_t>(r))); break;
          case TypeId::kTimestamp: buffer_.append(buf, write_timestamp_micros(buf, col.value<int64_t>(r))); break;
        }
      }
      buffer_.push_back('\n');
    }
    if (PQputCopyData(conn_->get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return conn_->error_status("loading " + table_);
    }
    return Status::OK();
  }

  Status end_table() override {
    if (PQputCopyEnd(conn_->get(), nullptr) != 1) return conn_->error_status("loading " + table_);
    PGresult* r = PQgetResult(conn_->get());
    Status st = PQresultStatus(r) == PGRES_COMMAND_OK ? Status::OK() : conn_->error_status("loading " + table_, r);
    PQclear(r);
    while (PGresult* rest = PQgetResult(conn_->get())) PQclear(rest);
    return st;
  }

  Status finish(const Catalog& catalog) override {
    std::string sql =
        "ALTER TABLE scout_gold.stores ADD PRIMARY KEY (store_id);"
        "CREATE INDEX ON scout_gold.stores (region);"
        "GRANT SELECT ON scout_gold.stores TO authenticated;";
    for (const DatasetSpec& d : catalog.datasets()) {
      const std::string& t = d.table;
      sql += "CREATE INDEX ON " + t + " (\"" + d.date_column + "\");";
      sql += "GRANT SELECT ON " + t + " TO authenticated;";
      sql += "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY;";
      sql += "ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY;";
      // The guide's policy, plus the region policy of datasets.md.
      sql += "CREATE POLICY \"Export access policy\" ON " + t +
             " FOR SELECT USING (auth.jwt() ->> 'role' = 'analytics_export' OR auth.jwt() ->> 'role' = 'admin');";
      if (!d.region_column.empty()) {
        sql += "CREATE POLICY \"Region access policy\" ON " + t + " FOR SELECT USING (\"" +
               d.region_column + "\" = auth.jwt() ->> 'region');";
      } else if (!d.store_column.empty()) {
        sql += "CREATE POLICY \"Region access policy\" ON " + t + " FOR SELECT USING (\"" + d.store_column +
               "\" IN (SELECT store_id FROM scout_gold.stores WHERE region = auth.jwt() ->> 'region'));";
      }
    }
    SCOUT_RETURN_IF_ERROR(conn_->exec(sql));
    SCOUT_RETURN_IF_ERROR(conn_->exec("COMMIT"));
    committed_ = true;
    std::string analyze = "ANALYZE scout_gold.stores";
    for (const DatasetSpec& d : catalog.datasets()) analyze += ", " + d.table;
    return conn_->exec(analyze);
  }

 private:
  std::unique_ptr<PgConnection> conn_;
  std::string table_;
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace

Result<std::unique_ptr<DemoSink>> make_postgres_demo_sink(const std::string& url) {
  SCOUT_ASSIGN_OR_RETURN(auto conn, PgConnection::connect(url));
  auto sink = std::make_unique<PostgresDemoSink>(std::move(conn));
  SCOUT_RETURN_IF_ERROR(sink->start());
  return std::unique_ptr<DemoSink>(std::move(sink));
}

}  // namespace scout

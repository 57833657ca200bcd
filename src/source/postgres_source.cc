#include "source/postgres_source.h"

#include <arpa/inet.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

#include "common/utf8.h"
#include "source/pg_connection.h"
#include "source/sql_builder.h"

namespace scout {
namespace {

constexpr int32_t kPgEpochDays = 10957;                    // 2000-01-01 - 1970-01-01
constexpr int64_t kPgEpochMicros = 946'684'800'000'000LL;  // the same in microseconds
constexpr char kCopySignature[] = "PGCOPY\n\377\r\n";     // 11 bytes with the NUL

uint16_t be16(const char* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return ntohs(v);
}
uint32_t be32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}
uint64_t be64(const char* p) { return (static_cast<uint64_t>(be32(p)) << 32) | be32(p + 4); }

}  // namespace

std::optional<DataType> postgres_type_to_api(std::string_view t) {
  if (t == "boolean") return DataType::of(TypeId::kBoolean);
  if (t == "smallint") return DataType::of(TypeId::kInt16);
  if (t == "integer") return DataType::of(TypeId::kInt32);
  if (t == "bigint") return DataType::of(TypeId::kInt64);
  if (t == "real") return DataType::of(TypeId::kFloat);
  if (t == "double precision") return DataType::of(TypeId::kDouble);
  if (t == "text" || t.starts_with("character varying")) return DataType::of(TypeId::kString);
  if (t == "date") return DataType::of(TypeId::kDate);
  if (t == "timestamp with time zone") return DataType::of(TypeId::kTimestamp);
  if (t == "bytea") return DataType::of(TypeId::kBinary);
  if (t.starts_with("numeric(")) {
    auto parsed = DataType::parse("decimal(" + std::string(t.substr(8)));
    if (parsed.ok()) return *parsed;
  }
  return std::nullopt;
}

std::string postgres_type_for(const DataType& type) {
  switch (type.id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt16: return "smallint";
    case TypeId::kInt32: return "integer";
    case TypeId::kInt64: return "bigint";
    case TypeId::kFloat: return "real";
    case TypeId::kDouble: return "double precision";
    case TypeId::kDecimal:
      return "numeric(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::kString: return "text";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamptz";
    case TypeId::kBinary: return "bytea";
  }
  return "text";
}

namespace {

// One read-only snapshot, in UTC, as the caller: Supabase's way of setting the JWT on the
// session (role `authenticated`, claims in request.jwt.claims), so RLS policies see them.
// The request's filter values become transaction settings too: COPY takes no bind
// parameters, so they travel as parameters of set_config and the query reads them back
// with current_setting. With `snapshot`, the transaction sees exactly what the transaction
// that exported it sees (pg_export_snapshot).
Status begin_as(PgConnection* conn, const SourceQuery& query, const std::string& snapshot = "") {
  const Caller& caller = query.caller;
  const std::string& role = query.policy->session_role;
  SCOUT_RETURN_IF_ERROR(conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Status st = Status::OK();
  if (!snapshot.empty()) {
    char* literal = PQescapeLiteral(conn->get(), snapshot.data(), snapshot.size());
    st = literal ? conn->exec(std::string("SET TRANSACTION SNAPSHOT ") + literal)
                 : conn->error_status("quoting the snapshot id");
    PQfreemem(literal);
  }
  if (st.ok()) st = conn->exec("SET LOCAL TimeZone = 'UTC'");
  if (st.ok()) {
    st = conn->exec("SET LOCAL ROLE " + quote_ident(role));
    // A role that is missing (PostgreSQL's error, not a permission one nor a lost connection)
    // is a warehouse not yet prepared; the server's own message goes along.
    if (st.code() == StatusCode::kInternal) {
      (void)conn->exec("ROLLBACK");
      return Status::Unavailable("the PostgreSQL warehouse has no role '" + role +
                                 "' that this login may use; prepare it with `scout-export demo "
                                 "--warehouse URL` or grant the role (" + st.message() + ")");
    }
  }
  if (st.ok()) {
    FilterValues values = SqlBuilder(SqlDialect::kPostgres, query).values();
    auto r = conn->query(
        "SELECT set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.role', $2, true), "
        "set_config('scout.date_from', $3, true), set_config('scout.date_until', $4, true), "
        "set_config('scout.region', $5, true), set_config('scout.limit', $6, true)",
        {caller.claims_json, caller.role, values.date_from.value_or(""), values.date_until.value_or(""),
         values.region.value_or(""), values.limit ? std::to_string(*values.limit) : ""});
    if (r.ok()) {
      PQclear(*r);
    } else {
      st = r.status();
    }
  }
  if (!st.ok()) (void)conn->exec("ROLLBACK");
  return st;
}

// The exact count of the query's rows, in the transaction begin_as() opened, which it ends. Not
// the planner's guess: under row-level security the planner cannot know which rows the caller
// sees, and progress percentages rest on this number.
Result<int64_t> count_rows(PgConnection* conn, const SourceQuery& query) {
  std::string sql = SqlBuilder(SqlDialect::kPostgres, query).count_sql();
  PGresult* r = PQexec(conn->get(), sql.c_str());
  Status st = PQresultStatus(r) == PGRES_TUPLES_OK ? Status::OK() : conn->error_status("counting rows", r);
  int64_t n = 0;
  if (st.ok()) {
    std::string_view count = PQgetvalue(r, 0, 0);
    if (std::from_chars(count.data(), count.data() + count.size(), n).ec != std::errc()) {
      st = Status::Internal("PostgreSQL counted '" + std::string(count) + "' rows");
    }
  }
  PQclear(r);
  (void)conn->exec("ROLLBACK");
  SCOUT_RETURN_IF_ERROR(st);
  if (query.limit) n = std::min(n, *query.limit);
  return n;
}

// Counts an export's rows on a connection of its own, in the snapshot the export's COPY reads,
// while the rows stream: the export never waits for its estimate, and the count is the COPY's
// exact row count. The count is only an estimate's source: when it fails (the COPY ended
// before the snapshot could be imported, say), progress simply has no estimate.
class SnapshotCounter {
 public:
  SnapshotCounter(std::string url, std::string snapshot, const SourceQuery& query)
      : query_(query), thread_([this, url = std::move(url), snapshot = std::move(snapshot)] {
          run(url, snapshot);
        }) {}
  ~SnapshotCounter() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      if (canceller_) {
        char err[256];
        PQcancel(canceller_, err, sizeof err);
      }
    }
    thread_.join();
  }

 private:
  void run(const std::string& url, const std::string& snapshot) {
    auto conn = PgConnection::connect(url);
    if (!conn.ok()) return;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      canceller_ = PQgetCancel((*conn)->get());
    }
    if (begin_as(conn->get(), query_, snapshot).ok()) {
      auto n = count_rows(conn->get(), query_);
      if (n.ok()) query_.row_count->store(*n);
    }
    std::lock_guard lock(mutex_);
    PQfreeCancel(canceller_);
    canceller_ = nullptr;
  }

  SourceQuery query_;
  std::mutex mutex_;
  PGcancel* canceller_ = nullptr;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

class PostgresReader final : public BatchReader {
 public:
  // The cancel handle is made up front, before any read, because cancel() comes from another
  // thread than the one reading (PQcancel is thread-safe; PQgetCancel on a busy connection is not).
  PostgresReader(PgConnection* conn, const SourceQuery& query)
      : conn_(conn), query_(query), canceller_(PQgetCancel(conn->get()), &PQfreeCancel) {}
  ~PostgresReader() override {
    counter_.reset();
    if (!finished_) {
      // Abandoned mid-stream: stop the server and leave the transaction.
      cancel();
      char* buf = nullptr;
      while (PQgetCopyData(conn_->get(), &buf, 0) > 0) PQfreemem(buf);
      while (PGresult* r = PQgetResult(conn_->get())) PQclear(r);
    }
    (void)conn_->exec("ROLLBACK");
  }

  Result<bool> next(ColumnBatch* batch) override {
    batch->clear();
    if (finished_) return false;
    while (batch->num_rows() < query_.batch_rows) {
      char* buf = nullptr;
      int n = PQgetCopyData(conn_->get(), &buf, 0);
      if (n == -1) {  // end of the copy
        PGresult* r = PQgetResult(conn_->get());
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        Status st = ok ? Status::OK() : conn_->error_status("the export query", r);
        PQclear(r);
        while (PGresult* rest = PQgetResult(conn_->get())) PQclear(rest);
        finished_ = true;
        if (!ok) return cancelled_ ? Status::Cancelled("export cancelled") : st;
        break;
      }
      if (n < 0) {
        finished_ = true;
        if (cancelled_) return Status::Cancelled("export cancelled");
        return Status::Unavailable("the PostgreSQL connection was lost mid-export: " + conn_->last_error());
      }
      Status st = parse_message(buf, static_cast<size_t>(n), batch);
      PQfreemem(buf);
      SCOUT_RETURN_IF_ERROR(st);
    }
    SCOUT_RETURN_IF_ERROR(check_not_null(query_, *batch, row_ - static_cast<int64_t>(batch->num_rows())));
    return batch->num_rows() > 0 || !finished_;
  }

  // Starts counting the rows in the COPY's snapshot (exported as `snapshot`) on a second
  // connection; the count lands in query.row_count.
  void count_alongside(const std::string& url, const std::string& snapshot) {
    counter_ = std::make_unique<SnapshotCounter>(url, snapshot, query_);
  }

  void cancel() override {
    cancelled_ = true;
    if (canceller_) {
      char err[256];
      PQcancel(canceller_.get(), err, sizeof err);
    }
  }

 private:
  Status corrupt(const std::string& what) const {
    return Status::Corruption("PostgreSQL's binary COPY stream for '" + query_.dataset->name +
                              "' is malformed: " + what);
  }

  Status bad(size_t c, const std::string& what) const { return value_mismatch(query_, c, row_, what); }

  // One CopyData message: the header (first message only) and/or one tuple, or the trailer.
  Status parse_message(const char* p, size_t n, ColumnBatch* batch) {
    const char* end = p + n;
    if (!header_seen_) {
      if (n < 19 || std::memcmp(p, kCopySignature, 11) != 0) return corrupt("no PGCOPY signature");
      uint32_t ext = be32(p + 15);
      if (19 + static_cast<size_t>(ext) > n) return corrupt("header extension overruns");
      p += 19 + ext;
      header_seen_ = true;
      if (p == end) return Status::OK();
    }
    if (end - p < 2) return corrupt("tuple header truncated");
    int16_t fields = static_cast<int16_t>(be16(p));
    p += 2;
    if (fields == -1) return Status::OK();  // trailer
    if (static_cast<size_t>(fields) != query_.columns.size()) {
      return corrupt("tuple has " + std::to_string(fields) + " fields, expected " +
                     std::to_string(query_.columns.size()));
    }
    for (size_t c = 0; c < query_.columns.size(); ++c) {
      if (end - p < 4) return corrupt("field length truncated");
      int32_t len = static_cast<int32_t>(be32(p));
      p += 4;
      if (len > end - p) return corrupt("field overruns the message");
      SCOUT_RETURN_IF_ERROR(read_field(c, p, len, &batch->column(c)));
      if (len > 0) p += len;
    }
    ++row_;
    return Status::OK();
  }

  Status read_field(size_t c, const char* p, int32_t len, ColumnVector* out) {
    const Field& f = query_.dataset->schema[query_.columns[c]];
    if (len < 0) {
      out->append_null();
      return Status::OK();
    }
    auto expect = [&](int32_t size) { return len == size ? Status::OK() : bad(c, "unexpected binary width " + std::to_string(len)); };
    switch (f.type.id) {
      case TypeId::kBoolean:
        SCOUT_RETURN_IF_ERROR(expect(1));
        out->append_bool(p[0] != 0);
        return Status::OK();
      case TypeId::kInt16:
        SCOUT_RETURN_IF_ERROR(expect(2));
        out->append_int32(static_cast<int16_t>(be16(p)));
        return Status::OK();
      case TypeId::kInt32:
        SCOUT_RETURN_IF_ERROR(expect(4));
        out->append_int32(static_cast<int32_t>(be32(p)));
        return Status::OK();
      case TypeId::kInt64:
        SCOUT_RETURN_IF_ERROR(expect(8));
        out->append_int64(static_cast<int64_t>(be64(p)));
        return Status::OK();
      case TypeId::kFloat: {
        SCOUT_RETURN_IF_ERROR(expect(4));
        uint32_t bits = be32(p);
        float v;
        std::memcpy(&v, &bits, 4);
        out->append_float(v);
        return Status::OK();
      }
      case TypeId::kDouble: {
        SCOUT_RETURN_IF_ERROR(expect(8));
        uint64_t bits = be64(p);
        double v;
        std::memcpy(&v, &bits, 8);
        out->append_double(v);
        return Status::OK();
      }
      case TypeId::kDate: {
        SCOUT_RETURN_IF_ERROR(expect(4));
        int32_t d = static_cast<int32_t>(be32(p));
        if (d == std::numeric_limits<int32_t>::max() || d == std::numeric_limits<int32_t>::min()) {
          return bad(c, "infinite date");
        }
        out->append_int32(d + kPgEpochDays);
        return Status::OK();
      }
      case TypeId::kTimestamp: {
        SCOUT_RETURN_IF_ERROR(expect(8));
        int64_t t = static_cast<int64_t>(be64(p));
        if (t == std::numeric_limits<int64_t>::max() || t == std::numeric_limits<int64_t>::min()) {
          return bad(c, "infinite timestamp");
        }
        out->append_int64(t + kPgEpochMicros);
        return Status::OK();
      }
      case TypeId::kString:
        if (!is_valid_utf8(p, static_cast<size_t>(len))) return bad(c, "invalid UTF-8");
        out->append_bytes(std::string_view(p, static_cast<size_t>(len)));
        return Status::OK();
      case TypeId::kBinary:
        out->append_bytes(std::string_view(p, static_cast<size_t>(len)));
        return Status::OK();
      case TypeId::kDecimal:
        return read_numeric(c, p, len, f.type, out);
    }
    return Status::Internal("unhandled type");
  }

  // numeric's binary form: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000
  // digits; the value is sum(digit[i] * 10000^(weight - i)).
  Status read_numeric(size_t c, const char* p, int32_t len, const DataType& type, ColumnVector* out) {
    if (len < 8) return bad(c, "numeric too short");
    int ndigits = be16(p);
    int weight = static_cast<int16_t>(be16(p + 2));
    uint16_t sign = be16(p + 4);
    if (len != 8 + 2 * ndigits) return bad(c, "numeric length mismatch");
    if (sign != 0x0000 && sign != 0x4000) return bad(c, "NaN or infinite numeric");
    // Build the unscaled value at the column's scale, refusing digits beyond it.
    __int128 value = 0;
    const __int128 limit = [&] {
      __int128 l = 1;
      for (int i = 0; i < type.precision; ++i) l *= 10;
      return l;
    }();
    // Positions in base 10000 from weight down to -(scale rounded up to groups).
    int last_group = -((type.scale + 3) / 4);
    for (int pos = std::max(weight, 0); pos >= last_group; --pos) {
      int idx = weight - pos;
      int digit = (idx >= 0 && idx < ndigits) ? be16(p + 8 + 2 * idx) : 0;
      constexpr __int128 kMaxBeforeShift = (~static_cast<unsigned __int128>(0) >> 1) / 10000 - 10000;
      if (value > kMaxBeforeShift) return bad(c, "value exceeds " + type.name());
      value = value * 10000 + digit;
    }
    for (int idx = weight - last_group + 1; idx < ndigits; ++idx) {
      if (be16(p + 8 + 2 * idx) != 0) return bad(c, "more fraction digits than " + type.name());
    }
    // value now has 4 * -last_group fraction digits; bring it to `scale`.
    int extra = 4 * -last_group - type.scale;
    for (int i = 0; i < extra; ++i) {
      if (value % 10 != 0) return bad(c, "more fraction digits than " + type.name());
      value /= 10;
    }
    if (value >= limit) return bad(c, "value exceeds " + type.name());
    if (sign == 0x4000) value = -value;
    if (type.precision <= 18) {
      out->append_int64(static_cast<int64_t>(value));
    } else {
      out->append_int128(value);
    }
    return Status::OK();
  }

  PgConnection* conn_;
  SourceQuery query_;
  bool header_seen_ = false;
  bool finished_ = false;
  int64_t row_ = 0;
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> canceller_;
  std::unique_ptr<SnapshotCounter> counter_;
};

class PostgresSource final : public Source {
 public:
  PostgresSource(std::unique_ptr<PgConnection> conn, std::string url)
      : conn_(std::move(conn)), url_(std::move(url)) {}

  Result<Schema> describe(const DatasetSpec& dataset) override {
    auto r = conn_->query(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
        "FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum",
        {dataset.table});
    if (!r.ok()) return r.status();
    std::unique_ptr<PGresult, decltype(&PQclear)> res(*r, &PQclear);
    Schema schema;
    for (int i = 0; i < PQntuples(res.get()); ++i) {
      Field f;
      f.name = PQgetvalue(res.get(), i, 0);
      std::string pg_type = PQgetvalue(res.get(), i, 1);
      auto type = postgres_type_to_api(pg_type);
      if (!type) {
        return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                      "': column '" + f.name + "' has PostgreSQL type '" + pg_type +
                                      "', which maps to no API type");
      }
      f.type = *type;
      f.nullable = std::string(PQgetvalue(res.get(), i, 2)) != "t";
      schema.fields.push_back(std::move(f));
    }
    if (schema.fields.empty()) {
      return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                    "': PostgreSQL has no table " + dataset.table);
    }
    return schema;
  }

  Result<int64_t> estimate_rows(const SourceQuery& query) override {
    SCOUT_RETURN_IF_ERROR(begin_as(conn_.get(), query));
    return count_rows(conn_.get(), query);
  }

  Result<std::unique_ptr<BatchReader>> open(const SourceQuery& query) override {
    SCOUT_RETURN_IF_ERROR(begin_as(conn_.get(), query));
    std::string snapshot;
    if (query.row_count) {
      auto r = conn_->query("SELECT pg_export_snapshot()", {});
      if (!r.ok()) {
        (void)conn_->exec("ROLLBACK");
        return r.status();
      }
      snapshot = PQgetvalue(*r, 0, 0);
      PQclear(*r);
    }
    std::string sql = SqlBuilder(SqlDialect::kPostgres, query).select_sql();
    std::string copy = "COPY (" + sql + ") TO STDOUT (FORMAT binary)";
    PGresult* r = PQexec(conn_->get(), copy.c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
      Status st = conn_->error_status("the export query", r);
      PQclear(r);
      (void)conn_->exec("ROLLBACK");
      return st;
    }
    PQclear(r);
    auto reader = std::make_unique<PostgresReader>(conn_.get(), query);
    if (!snapshot.empty()) reader->count_alongside(url_, snapshot);
    return std::unique_ptr<BatchReader>(std::move(reader));
  }

 private:
  std::unique_ptr<PgConnection> conn_;
  std::string url_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_postgres_source(const std::string& url) {
  SCOUT_ASSIGN_OR_RETURN(auto conn, PgConnection::connect(url));
  return std::unique_ptr<Source>(new PostgresSource(std::move(conn), url));
}

}  // namespace scout

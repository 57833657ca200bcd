#include "source/sqlite_source.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "common/utf8.h"
#include "source/sql_builder.h"

namespace scout {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

std::optional<DataType> sqlite_declared_type(std::string_view declared) {
  std::string t = upper(declared);
  if (t == "DATE") return DataType::of(TypeId::kDate);
  if (t == "TIMESTAMP") return DataType::of(TypeId::kTimestamp);
  if (t == "SMALLINT") return DataType::of(TypeId::kInt16);
  if (t == "INTEGER" || t == "INT") return DataType::of(TypeId::kInt32);
  if (t == "BIGINT") return DataType::of(TypeId::kInt64);
  if (t == "DOUBLE" || t == "DOUBLE PRECISION") return DataType::of(TypeId::kDouble);
  if (t == "REAL" || t == "FLOAT") return DataType::of(TypeId::kFloat);
  if (t == "TEXT") return DataType::of(TypeId::kString);
  if (t == "BOOLEAN") return DataType::of(TypeId::kBoolean);
  if (t == "BLOB") return DataType::of(TypeId::kBinary);
  if (t.rfind("DECIMAL(", 0) == 0) {
    std::string lower = "decimal(" + t.substr(8);
    lower.erase(std::remove(lower.begin(), lower.end(), ' '), lower.end());
    auto parsed = DataType::parse(lower);
    if (parsed.ok()) return *parsed;
  }
  return std::nullopt;
}

std::string sqlite_type_for(const DataType& type) {
  switch (type.id) {
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kInt16: return "SMALLINT";
    case TypeId::kInt32: return "INTEGER";
    case TypeId::kInt64: return "BIGINT";
    case TypeId::kFloat: return "REAL";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal:
      return "DECIMAL(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::kString: return "TEXT";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kBinary: return "BLOB";
  }
  return "TEXT";
}

namespace {

class SqliteReader final : public BatchReader {
 public:
  SqliteReader(sqlite3* db, sqlite3_stmt* stmt, const SourceQuery& query)
      : db_(db), stmt_(stmt), query_(query) {}
  ~SqliteReader() override {
    sqlite3_finalize(stmt_);
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }

  Result<bool> next(ColumnBatch* batch) override {
    batch->clear();
    if (done_) return false;
    const size_t ncols = query_.columns.size();
    while (batch->num_rows() < query_.batch_rows) {
      if (cancelled_) return Status::Cancelled("export cancelled");
      int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_DONE) {
        done_ = true;
        break;
      }
      if (rc != SQLITE_ROW) {
        return Status::Unavailable("reading dataset '" + query_.dataset->name +
                                   "' from the embedded warehouse failed: " + sqlite3_errmsg(db_));
      }
      for (size_t c = 0; c < ncols; ++c) SCOUT_RETURN_IF_ERROR(read_value(c, &batch->column(c)));
      ++row_;
    }
    SCOUT_RETURN_IF_ERROR(check_not_null(query_, *batch, row_ - static_cast<int64_t>(batch->num_rows())));
    return batch->num_rows() > 0 || !done_;
  }

  void cancel() override {
    cancelled_ = true;
    sqlite3_interrupt(db_);
  }

 private:
  Status bad(size_t c, const std::string& what) const { return value_mismatch(query_, c, row_, what); }

  std::string_view text(int c) {
    const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return std::string_view(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
  }

  Status read_value(size_t c, ColumnVector* out) {
    const int ic = static_cast<int>(c);
    const Field& f = query_.dataset->schema[query_.columns[c]];
    int kind = sqlite3_column_type(stmt_, ic);
    if (kind == SQLITE_NULL) {
      out->append_null();
      return Status::OK();
    }
    switch (f.type.id) {
      case TypeId::kBoolean: {
        if (kind != SQLITE_INTEGER) return bad(c, "not an integer 0 or 1");
        int64_t v = sqlite3_column_int64(stmt_, ic);
        if (v != 0 && v != 1) return bad(c, "boolean value " + std::to_string(v) + " is not 0 or 1");
        out->append_bool(v == 1);
        return Status::OK();
      }
      case TypeId::kInt16:
      case TypeId::kInt32: {
        if (kind != SQLITE_INTEGER) return bad(c, "not an integer: '" + std::string(text(ic)) + "'");
        int64_t v = sqlite3_column_int64(stmt_, ic);
        int64_t lo = f.type.id == TypeId::kInt16 ? std::numeric_limits<int16_t>::min() : std::numeric_limits<int32_t>::min();
        int64_t hi = f.type.id == TypeId::kInt16 ? std::numeric_limits<int16_t>::max() : std::numeric_limits<int32_t>::max();
        if (v < lo || v > hi) return bad(c, std::to_string(v) + " does not fit " + f.type.name());
        out->append_int32(static_cast<int32_t>(v));
        return Status::OK();
      }
      case TypeId::kInt64:
        if (kind != SQLITE_INTEGER) return bad(c, "not an integer: '" + std::string(text(ic)) + "'");
        out->append_int64(sqlite3_column_int64(stmt_, ic));
        return Status::OK();
      case TypeId::kFloat:
      case TypeId::kDouble: {
        if (kind != SQLITE_FLOAT && kind != SQLITE_INTEGER) {
          return bad(c, "not a number: '" + std::string(text(ic)) + "'");
        }
        double v = sqlite3_column_double(stmt_, ic);
        if (f.type.id == TypeId::kFloat) {
          if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()) {
            return bad(c, "value does not fit a float");
          }
          out->append_float(static_cast<float>(v));
        } else {
          out->append_double(v);
        }
        return Status::OK();
      }
      case TypeId::kDecimal: {
        std::optional<__int128> v;
        if (kind == SQLITE_INTEGER) {
          v = parse_decimal(std::to_string(sqlite3_column_int64(stmt_, ic)), f.type.precision, f.type.scale);
        } else {
          // REAL holds what NUMERIC affinity made of decimal text; SQLite's own rendering of it
          // (15 significant digits) is the decimal that was stored.
          v = parse_decimal(text(ic), f.type.precision, f.type.scale);
        }
        if (!v) return bad(c, "'" + std::string(text(ic)) + "' is not a " + f.type.name());
        if (f.type.precision <= 18) {
          out->append_int64(static_cast<int64_t>(*v));
        } else {
          out->append_int128(*v);
        }
        return Status::OK();
      }
      case TypeId::kString: {
        std::string_view s = text(ic);
        if (!is_valid_utf8(s.data(), s.size())) return bad(c, "invalid UTF-8");
        out->append_bytes(s);
        return Status::OK();
      }
      case TypeId::kBinary: {
        const void* p = sqlite3_column_blob(stmt_, ic);
        int n = sqlite3_column_bytes(stmt_, ic);
        out->append_bytes(std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)));
        return Status::OK();
      }
      case TypeId::kDate: {
        auto d = kind == SQLITE_TEXT ? parse_date(text(ic)) : std::nullopt;
        if (!d) return bad(c, "'" + std::string(text(ic)) + "' is not a date YYYY-MM-DD");
        out->append_int32(*d);
        return Status::OK();
      }
      case TypeId::kTimestamp: {
        auto t = kind == SQLITE_TEXT ? parse_timestamp_micros(text(ic)) : std::nullopt;
        if (!t) return bad(c, "'" + std::string(text(ic)) + "' is not an ISO 8601 UTC timestamp");
        out->append_int64(*t);
        return Status::OK();
      }
    }
    return Status::Internal("unhandled type");
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  SourceQuery query_;
  int64_t row_ = 0;
  bool done_ = false;
  std::atomic<bool> cancelled_{false};
};

class SqliteSource final : public Source {
 public:
  SqliteSource(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteSource() override { sqlite3_close(db_); }

  Result<Schema> describe(const DatasetSpec& dataset) override {
    Statement st;
    std::string sql = "SELECT name, type, \"notnull\" FROM pragma_table_info(?1)";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.stmt, nullptr) != SQLITE_OK) return error("describe");
    sqlite3_bind_text(st.stmt, 1, dataset.name.c_str(), -1, SQLITE_TRANSIENT);
    Schema schema;
    while (sqlite3_step(st.stmt) == SQLITE_ROW) {
      Field f;
      f.name = reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, 0));
      std::string declared = reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, 1));
      auto type = sqlite_declared_type(declared);
      if (!type) {
        return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                      "': column '" + f.name + "' has SQLite type '" + declared +
                                      "', which maps to no API type");
      }
      f.type = *type;
      f.nullable = sqlite3_column_int(st.stmt, 2) == 0;
      schema.fields.push_back(std::move(f));
    }
    if (schema.fields.empty()) {
      return Status::SchemaMismatch("schema validation failed for dataset '" + dataset.name +
                                    "': the embedded warehouse '" + path_ + "' has no table '" +
                                    dataset.name + "'");
    }
    return schema;
  }

  Result<int64_t> estimate_rows(const SourceQuery& query) override {
    Statement st;
    SqlBuilder builder(SqlDialect::kSqlite, query);
    std::string sql = builder.count_sql();
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.stmt, nullptr) != SQLITE_OK) return error("count");
    FilterValues values = builder.values();
    values.limit.reset();  // the count is of every row; the limit is applied below
    bind(st.stmt, values);
    if (sqlite3_step(st.stmt) != SQLITE_ROW) return error("count");
    int64_t n = sqlite3_column_int64(st.stmt, 0);
    if (query.limit) n = std::min(n, *query.limit);
    return n;
  }

  Result<std::unique_ptr<BatchReader>> open(const SourceQuery& query) override {
    SqlBuilder builder(SqlDialect::kSqlite, query);
    std::string sql = builder.select_sql();
    // One read transaction: the export sees one snapshot even while the demo refreshes.
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return error("begin");
    // SQLite's count is quick and shares the connection: it runs first, in the same snapshot.
    if (query.row_count) {
      auto n = estimate_rows(query);
      if (!n.ok()) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return n.status();
      }
      query.row_count->store(*n);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Status st = error("query");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return st;
    }
    bind(stmt, builder.values());
    return std::unique_ptr<BatchReader>(new SqliteReader(db_, stmt, query));
  }

 private:
  Status error(const char* what) const {
    return Status::Unavailable(std::string("embedded warehouse '") + path_ + "': " + what +
                               " failed: " + sqlite3_errmsg(db_));
  }

  // Dates and timestamps compare as text: both are ISO 8601. Each value by its length, not as a
  // C string: a region with a NUL must not match the region before it.
  static void bind(sqlite3_stmt* stmt, const FilterValues& v) {
    auto text = [stmt](int param, const std::optional<std::string>& value) {
      if (value) sqlite3_bind_text(stmt, param, value->data(), static_cast<int>(value->size()), SQLITE_TRANSIENT);
    };
    text(SqlBuilder::kDateFromParam, v.date_from);
    text(SqlBuilder::kDateUntilParam, v.date_until);
    text(SqlBuilder::kRegionParam, v.region);
    if (v.limit) sqlite3_bind_int64(stmt, SqlBuilder::kLimitParam, *v.limit);
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_sqlite_source(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::NotFound("cannot open the embedded warehouse '" + path + "': " + msg +
                            " (create it with `scout-export demo`)");
  }
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Source>(new SqliteSource(db, path));
}

}  // namespace scout

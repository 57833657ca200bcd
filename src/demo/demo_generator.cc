#include "demo/demo_generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <numeric>

#include "demo/demo_world.h"

namespace scout {
namespace {

using demo::DemoHash;
using demo::Store;
using demo::StoreDay;
using demo::Tag;

constexpr size_t kBatchRows = 8192;

double pesos(int64_t centavos) { return static_cast<double>(centavos) / 100.0; }
// Rounded to 1/per (per = 100: cents), as the nearest double to that decimal.
double round_to(double v, double per) { return std::round(v * per) / per; }
int64_t micros_at(int32_t day, int hour) { return (static_cast<int64_t>(day) * 86400 + hour * 3600) * 1'000'000; }

// One table on its way to the sink, in batches.
class TableWriter {
 public:
  TableWriter(DemoSink* sink, const std::string& name, const Schema& schema, const DemoProgress& progress)
      : sink_(sink), name_(name), batch_(schema), progress_(progress) {
    batch_.reserve(kBatchRows);
  }
  ColumnVector& col(size_t i) { return batch_.column(i); }
  Status row_done() {
    ++rows_;
    return batch_.num_rows() >= kBatchRows ? flush() : Status::OK();
  }
  // Sends what is left and closes the table.
  Result<int64_t> close() {
    SCOUT_RETURN_IF_ERROR(flush());
    SCOUT_RETURN_IF_ERROR(sink_->end_table());
    if (progress_) progress_(name_, rows_, true);
    return rows_;
  }

 private:
  Status flush() {
    if (batch_.num_rows() == 0) return Status::OK();
    SCOUT_RETURN_IF_ERROR(sink_->append(batch_));
    batch_.clear();
    if (progress_) progress_(name_, rows_, false);
    return Status::OK();
  }

  DemoSink* sink_;
  std::string name_;
  ColumnBatch batch_;
  const DemoProgress& progress_;
  int64_t rows_ = 0;
};

// The demo fills columns by position, so the catalog must have exactly these.
using ColumnList = std::initializer_list<std::pair<const char*, const char*>>;

Result<const DatasetSpec*> demo_dataset(const Catalog& catalog, const char* name, ColumnList columns) {
  const DatasetSpec* d = catalog.find(name);
  if (!d) return Status::NotFound(std::string("the demo needs dataset '") + name + "', which the catalog lacks");
  bool same = d->schema.size() == columns.size();
  size_t i = 0;
  for (auto it = columns.begin(); same && it != columns.end(); ++it, ++i) {
    same = d->schema[i].name == it->first && d->schema[i].type.name() == it->second;
  }
  if (!same) {
    return Status::SchemaMismatch(std::string("dataset '") + name +
                                  "': the demo generates the columns of datasets.md, and the catalog's differ");
  }
  return d;
}

// Each day's sums over all stores, in centavos; the all-store tables derive from them.
struct DayTotals {
  int64_t transactions = 0, revenue = 0, cash = 0, gcash = 0, maya = 0, card = 0;
};

class DemoGenerator {
 public:
  DemoGenerator(const DemoOptions& options, DemoSink* sink, const DemoProgress& progress, int32_t last_day)
      : hash_(options.seed),
        sink_(sink),
        progress_(progress),
        first_(options.first_day),
        last_(last_day),
        stores_(demo::make_stores(hash_, demo::store_count_for_scale(options.scale))),
        totals_(static_cast<size_t>(last_day - options.first_day + 1)) {}

  Status run(const Catalog& catalog, DemoSummary* summary);

 private:
  Result<int64_t> write_stores(const AccessPolicy& policy);
  Result<int64_t> write_daily(const DatasetSpec& d);
  Result<int64_t> write_hourly(const DatasetSpec& d);
  Result<int64_t> write_payments(const DatasetSpec& d);
  Result<int64_t> write_rankings(const DatasetSpec& d);
  Result<int64_t> write_features(const DatasetSpec& d);
  Result<int64_t> write_predictions(const DatasetSpec& d);
  Status rank_month(TableWriter* w, int32_t month_first, int32_t month_last);

  Result<TableWriter> open(const std::string& name, const std::string& table, const Schema& schema) {
    SCOUT_RETURN_IF_ERROR(sink_->begin_table(name, table, schema));
    return TableWriter(sink_, name, schema, progress_);
  }
  const char* region_name(const Store& s) const { return demo::regions()[s.region].name; }

  const DemoHash hash_;
  DemoSink* sink_;
  const DemoProgress& progress_;
  const int32_t first_, last_;
  const std::vector<Store> stores_;
  std::vector<DayTotals> totals_;  // filled by write_daily
};

Status DemoGenerator::run(const Catalog& catalog, DemoSummary* summary) {
  SCOUT_ASSIGN_OR_RETURN(auto* daily, demo_dataset(catalog, "daily_transactions",
      {{"transaction_date", "date"}, {"device_id", "string"}, {"store_id", "int32"},
       {"transaction_count", "int32"}, {"total_revenue", "double"}, {"avg_transaction_value", "double"},
       {"unique_customers", "int32"}, {"cash_amount", "double"}, {"gcash_amount", "double"},
       {"maya_amount", "double"}, {"card_amount", "double"}}));
  SCOUT_ASSIGN_OR_RETURN(auto* hourly, demo_dataset(catalog, "hourly_patterns",
      {{"transaction_date", "date"}, {"hour", "int16"}, {"transaction_count", "int32"},
       {"total_revenue", "double"}, {"avg_basket_size", "double"}, {"is_peak_hour", "boolean"}}));
  SCOUT_ASSIGN_OR_RETURN(auto* payments, demo_dataset(catalog, "payment_trends",
      {{"transaction_date", "date"}, {"payment_method", "string"}, {"transaction_count", "int32"},
       {"total_amount", "decimal(14,2)"}, {"share_of_revenue", "double"}}));
  SCOUT_ASSIGN_OR_RETURN(auto* rankings, demo_dataset(catalog, "store_rankings",
      {{"store_id", "int32"}, {"store_name", "string"}, {"region", "string"}, {"city", "string"},
       {"total_revenue", "double"}, {"transaction_count", "int64"}, {"revenue_rank", "int32"},
       {"performance_tier", "string"}, {"as_of_date", "date"}}));
  SCOUT_ASSIGN_OR_RETURN(auto* features, demo_dataset(catalog, "store_features",
      {{"store_id", "int32"}, {"region", "string"}, {"revenue_forecast_7d", "double"},
       {"revenue_forecast_30d", "double"}, {"churn_probability", "double"},
       {"growth_potential_score", "double"}, {"avg_daily_transactions", "double"},
       {"feature_timestamp", "timestamp"}}));
  SCOUT_ASSIGN_OR_RETURN(auto* predictions, demo_dataset(catalog, "ml_predictions",
      {{"prediction_date", "date"}, {"store_id", "int32"}, {"model_name", "string"},
       {"model_version", "string"}, {"predicted_revenue", "double"}, {"confidence", "double"},
       {"prediction_interval_low", "double"}, {"prediction_interval_high", "double"},
       {"created_at", "timestamp"}}));

  auto record = [summary](const std::string& name, Result<int64_t> rows) -> Status {
    if (!rows.ok()) return rows.status();
    summary->rows_per_table.emplace_back(name, *rows);
    summary->total_rows += *rows;
    return Status::OK();
  };
  const AccessPolicy::StoresTable& stores = catalog.access_policy().stores;
  SCOUT_RETURN_IF_ERROR(record(stores.name, write_stores(catalog.access_policy())));
  SCOUT_RETURN_IF_ERROR(record(daily->name, write_daily(*daily)));  // before the day totals' users
  SCOUT_RETURN_IF_ERROR(record(hourly->name, write_hourly(*hourly)));
  SCOUT_RETURN_IF_ERROR(record(payments->name, write_payments(*payments)));
  SCOUT_RETURN_IF_ERROR(record(rankings->name, write_rankings(*rankings)));
  SCOUT_RETURN_IF_ERROR(record(features->name, write_features(*features)));
  SCOUT_RETURN_IF_ERROR(record(predictions->name, write_predictions(*predictions)));
  return sink_->finish(catalog);
}

Result<int64_t> DemoGenerator::write_stores(const AccessPolicy& policy) {
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(policy.stores.name, policy.stores.table, stores_schema(policy)));
  for (const Store& s : stores_) {
    w.col(0).append_int32(s.id);
    w.col(1).append_bytes(s.name);
    w.col(2).append_bytes(region_name(s));
    w.col(3).append_bytes(s.city);
    w.col(4).append_bytes(s.device_id);
    SCOUT_RETURN_IF_ERROR(w.row_done());
  }
  return w.close();
}

Result<int64_t> DemoGenerator::write_daily(const DatasetSpec& d) {
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  for (int32_t day = first_; day <= last_; ++day) {
    DayTotals& t = totals_[static_cast<size_t>(day - first_)];
    for (const Store& s : stores_) {
      const StoreDay r = demo::store_day(hash_, s, day);
      w.col(0).append_int32(day);
      w.col(1).append_bytes(s.device_id);
      w.col(2).append_int32(s.id);
      w.col(3).append_int32(r.transactions);
      w.col(4).append_double(pesos(r.revenue));
      w.col(5).append_double(round_to(pesos(r.revenue) / r.transactions, 100));
      if (r.customers_reported) {
        w.col(6).append_int32(r.unique_customers);
      } else {
        w.col(6).append_null();
      }
      w.col(7).append_double(pesos(r.cash));
      w.col(8).append_double(pesos(r.gcash));
      w.col(9).append_double(pesos(r.maya));
      w.col(10).append_double(pesos(r.card));
      SCOUT_RETURN_IF_ERROR(w.row_done());
      t.transactions += r.transactions;
      t.revenue += r.revenue;
      t.cash += r.cash;
      t.gcash += r.gcash;
      t.maya += r.maya;
      t.card += r.card;
    }
  }
  return w.close();
}

// Each day's totals spread over a shop's day: peaks at breakfast, lunch and after work.
Result<int64_t> DemoGenerator::write_hourly(const DatasetSpec& d) {
  static constexpr double kHourShape[24] = {0.2, 0.1, 0.1, 0.1, 0.3, 1.2, 2.6, 4.2, 4.8, 4.0, 4.2, 5.6,
                                            6.0, 5.0, 4.2, 4.0, 4.6, 6.2, 6.6, 5.4, 3.8, 2.6, 1.4, 0.6};
  static constexpr double kPeakShape = 5.0;
  const double shape_sum = std::accumulate(std::begin(kHourShape), std::end(kHourShape), 0.0);
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  for (int32_t day = first_; day <= last_; ++day) {
    const DayTotals& t = totals_[static_cast<size_t>(day - first_)];
    for (int hour = 0; hour < 24; ++hour) {
      const double noise = 0.9 + 0.2 * hash_.unit(Tag::kHourly, static_cast<uint64_t>(day), static_cast<uint64_t>(hour));
      const double share = kHourShape[hour] / shape_sum * noise;
      const auto count = static_cast<int32_t>(std::lround(static_cast<double>(t.transactions) * share));
      const int64_t revenue = std::llround(static_cast<double>(t.revenue) * share);
      w.col(0).append_int32(day);
      w.col(1).append_int32(hour);
      w.col(2).append_int32(count);
      w.col(3).append_double(pesos(revenue));
      if (count == 0) {
        w.col(4).append_null();
      } else {
        w.col(4).append_double(round_to(pesos(revenue) / count, 100));
      }
      w.col(5).append_bool(kHourShape[hour] >= kPeakShape);
      SCOUT_RETURN_IF_ERROR(w.row_done());
    }
  }
  return w.close();
}

// Money as exact centavos: total_amount is decimal(14,2), held as its unscaled int64.
Result<int64_t> DemoGenerator::write_payments(const DatasetSpec& d) {
  static constexpr const char* kMethods[] = {"cash", "gcash", "maya", "card"};
  static constexpr double kTicketRatio[] = {0.9, 1.1, 1.2, 1.8};  // card tickets are larger
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  for (int32_t day = first_; day <= last_; ++day) {
    const DayTotals& t = totals_[static_cast<size_t>(day - first_)];
    const int64_t amounts[] = {t.cash, t.gcash, t.maya, t.card};
    for (int m = 0; m < 4; ++m) {
      const double share = t.revenue ? static_cast<double>(amounts[m]) / static_cast<double>(t.revenue) : 0;
      w.col(0).append_int32(day);
      w.col(1).append_bytes(kMethods[m]);
      w.col(2).append_int32(static_cast<int32_t>(std::lround(static_cast<double>(t.transactions) * share / kTicketRatio[m])));
      w.col(3).append_int64(amounts[m]);
      if (t.revenue == 0) {
        w.col(4).append_null();
      } else {
        w.col(4).append_double(round_to(share, 1e6));
      }
      SCOUT_RETURN_IF_ERROR(w.row_done());
    }
  }
  return w.close();
}

// One ranking per complete month, as of its last day.
Result<int64_t> DemoGenerator::write_rankings(const DatasetSpec& d) {
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  int y;
  unsigned m, day_of_month;
  civil_from_days(first_, &y, &m, &day_of_month);
  for (;;) {
    const int32_t month_first = std::max(first_, days_from_civil(y, m, 1));
    const int32_t month_last = days_from_civil(y, m, static_cast<unsigned>(demo::days_in_month(y, m)));
    if (month_last > last_) break;
    SCOUT_RETURN_IF_ERROR(rank_month(&w, month_first, month_last));
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return w.close();
}

Status DemoGenerator::rank_month(TableWriter* w, int32_t month_first, int32_t month_last) {
  struct Sums {
    int64_t revenue = 0, transactions = 0;
  };
  std::vector<Sums> sums(stores_.size());
  for (size_t i = 0; i < stores_.size(); ++i) {
    for (int32_t day = month_first; day <= month_last; ++day) {
      const StoreDay r = demo::store_day(hash_, stores_[i], day);
      sums[i].revenue += r.revenue;
      sums[i].transactions += r.transactions;
    }
  }
  std::vector<size_t> order(stores_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sums[a].revenue > sums[b].revenue; });
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const Store& s = stores_[order[rank]];
    const double percentile = static_cast<double>(rank) / static_cast<double>(order.size());
    const char* tier = percentile < 0.1 ? "Platinum" : percentile < 0.3 ? "Gold" : percentile < 0.6 ? "Silver" : "Bronze";
    w->col(0).append_int32(s.id);
    w->col(1).append_bytes(s.name);
    w->col(2).append_bytes(region_name(s));
    w->col(3).append_bytes(s.city);
    w->col(4).append_double(pesos(sums[order[rank]].revenue));
    w->col(5).append_int64(sums[order[rank]].transactions);
    w->col(6).append_int32(static_cast<int32_t>(rank + 1));
    w->col(7).append_bytes(tier);
    w->col(8).append_int32(month_last);
    SCOUT_RETURN_IF_ERROR(w->row_done());
  }
  return Status::OK();
}

// Computed every Monday at 02:00 UTC from the 28 days before it, once 28 days exist.
Result<int64_t> DemoGenerator::write_features(const DatasetSpec& d) {
  constexpr int kWindow = 28;
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  for (int32_t day = first_ + kWindow; day <= last_; ++day) {
    if (demo::weekday_monday0(day) != 0) continue;
    const auto key = static_cast<uint64_t>(day);
    for (const Store& s : stores_) {
      int64_t revenue = 0, transactions = 0;
      for (int32_t back = day - kWindow; back < day; ++back) {
        const StoreDay r = demo::store_day(hash_, s, back);
        revenue += r.revenue;
        transactions += r.transactions;
      }
      const double daily_revenue = pesos(revenue) / kWindow;
      const double u = hash_.unit(Tag::kFeature, static_cast<uint64_t>(s.id), key);
      const bool model_skipped = hash_.unit(Tag::kFeature, static_cast<uint64_t>(s.id), key, 1) < 0.02;
      const double spend = demo::regions()[s.region].spend;
      w.col(0).append_int32(s.id);
      w.col(1).append_bytes(region_name(s));
      if (model_skipped) {
        w.col(2).append_null();
        w.col(3).append_null();
      } else {
        w.col(2).append_double(round_to(daily_revenue * 7 * (0.95 + 0.10 * u), 100));
        w.col(3).append_double(round_to(daily_revenue * 30 * (0.93 + 0.14 * u), 100));
      }
      // Small stores churn more; big stores in rich regions grow more.
      w.col(4).append_double(round_to(0.02 + 0.3 * (1.0 - std::min(1.0, s.traffic / 2.0)) * u, 1e4));
      w.col(5).append_double(round_to(30 + 60 * std::min(1.0, spend * s.traffic / 2.0) * (0.8 + 0.2 * u), 100));
      w.col(6).append_double(round_to(static_cast<double>(transactions) / kWindow, 100));
      w.col(7).append_int64(micros_at(day, 2));
      SCOUT_RETURN_IF_ERROR(w.row_done());
    }
  }
  return w.close();
}

// A forecast per store and day, made at 23:00 UTC the day before; a better model from June 2025.
Result<int64_t> DemoGenerator::write_predictions(const DatasetSpec& d) {
  const int32_t new_model_day = days_from_civil(2025, 6, 1);
  SCOUT_ASSIGN_OR_RETURN(TableWriter w, open(d.name, d.table, d.schema));
  for (int32_t day = first_; day <= last_; ++day) {
    const auto key = static_cast<uint64_t>(day);
    const bool v2 = day >= new_model_day;
    for (const Store& s : stores_) {
      const auto id = static_cast<uint64_t>(s.id);
      const StoreDay r = demo::store_day(hash_, s, day);
      const double error = (v2 ? 0.08 : 0.12) * (2 * hash_.unit(Tag::kPrediction, id, key) - 1);
      const double predicted = round_to(pesos(r.revenue) * (1 + error), 100);
      const double confidence = round_to((v2 ? 0.82 : 0.74) + 0.15 * hash_.unit(Tag::kPrediction, id, key, 1), 1e4);
      const double spread = predicted * (1.0 - confidence) * 0.8;
      const bool missing = hash_.unit(Tag::kPrediction, id, key, 2) < 0.01;
      w.col(0).append_int32(day);
      w.col(1).append_int32(s.id);
      w.col(2).append_bytes("revenue_forecaster");
      w.col(3).append_bytes(v2 ? "2.4.0" : "2.3.1");
      if (missing) {
        for (size_t c = 4; c <= 7; ++c) w.col(c).append_null();
      } else {
        w.col(4).append_double(predicted);
        w.col(5).append_double(confidence);
        w.col(6).append_double(round_to(predicted - spread, 100));
        w.col(7).append_double(round_to(predicted + spread, 100));
      }
      w.col(8).append_int64(micros_at(day - 1, 23));
      SCOUT_RETURN_IF_ERROR(w.row_done());
    }
  }
  return w.close();
}

}  // namespace

int32_t yesterday_utc() {
  const auto now = std::chrono::system_clock::now();
  const auto today = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  return static_cast<int32_t>(today - 1);
}

Schema stores_schema(const AccessPolicy& policy) {
  return Schema{{{policy.stores.store_column, DataType::of(TypeId::kInt32), false},
                 {"store_name", DataType::of(TypeId::kString), false},
                 {policy.stores.region_column, DataType::of(TypeId::kString), false},
                 {"city", DataType::of(TypeId::kString), false},
                 {"device_id", DataType::of(TypeId::kString), false}}};
}

Status check_demo_options(const DemoOptions& options) {
  const int32_t last = options.last_day >= 0 ? options.last_day : yesterday_utc();
  if (last < options.first_day) {
    return Status::Invalid("the demo's last day " + format_date(last) + " is before its first, " +
                           format_date(options.first_day));
  }
  if (!(options.scale > 0) || options.scale > 1000) {
    return Status::Invalid("the demo's scale must be above 0 and at most 1000");
  }
  return Status::OK();
}

Result<DemoSummary> generate_demo(const Catalog& catalog, const DemoOptions& options, DemoSink* sink,
                                  const DemoProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  SCOUT_RETURN_IF_ERROR(check_demo_options(options));
  const int32_t last = options.last_day >= 0 ? options.last_day : yesterday_utc();
  DemoSummary summary;
  DemoGenerator generator(options, sink, progress, last);
  SCOUT_RETURN_IF_ERROR(generator.run(catalog, &summary));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace scout

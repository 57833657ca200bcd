#include "demo/demo_generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

namespace scout {
namespace {

constexpr size_t kBatchRows = 8192;

// splitmix64 finaliser over the combined key: a counter-based generator.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Hasher {
  uint64_t seed;
  uint64_t operator()(uint64_t table, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) const {
    return mix(mix(mix(mix(seed ^ (table * 0x100000001B3ULL)) ^ a) ^ (b * 0x9E3779B1ULL)) ^ c);
  }
  double unit(uint64_t table, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) const {
    return static_cast<double>((*this)(table, a, b, c) >> 11) * 0x1.0p-53;
  }
};

enum Tag : uint64_t { kStoreRegion = 1, kStoreName, kStoreCity, kStoreSize, kDaily, kDailyTicket,
                      kDailyNull, kDailySplit, kDailyUnique, kHourly, kFeature, kPrediction };

struct Region {
  const char* name;
  double weight;       // share of stores
  double spend;        // relative ticket size
  const char* cities[3];
};

constexpr Region kRegions[] = {
    {"NCR", 0.22, 1.35, {"Quezon City", "Manila", "Makati"}},
    {"CAR", 0.03, 0.95, {"Baguio", "La Trinidad", "Tabuk"}},
    {"Region I - Ilocos Region", 0.05, 0.9, {"San Fernando", "Laoag", "Vigan"}},
    {"Region II - Cagayan Valley", 0.04, 0.85, {"Tuguegarao", "Santiago", "Cauayan"}},
    {"Region III - Central Luzon", 0.10, 1.05, {"Angeles", "San Fernando", "Malolos"}},
    {"Region IV-A - CALABARZON", 0.13, 1.15, {"Calamba", "Antipolo", "Batangas City"}},
    {"MIMAROPA", 0.03, 0.85, {"Puerto Princesa", "Calapan", "Odiongan"}},
    {"Region V - Bicol Region", 0.05, 0.8, {"Legazpi", "Naga", "Sorsogon City"}},
    {"Region VI - Western Visayas", 0.06, 0.95, {"Iloilo City", "Bacolod", "Roxas"}},
    {"Region VII - Central Visayas", 0.07, 1.1, {"Cebu City", "Mandaue", "Dumaguete"}},
    {"Region VIII - Eastern Visayas", 0.03, 0.8, {"Tacloban", "Ormoc", "Catbalogan"}},
    {"Region IX - Zamboanga Peninsula", 0.03, 0.8, {"Zamboanga City", "Dipolog", "Pagadian"}},
    {"Region X - Northern Mindanao", 0.04, 0.9, {"Cagayan de Oro", "Iligan", "Valencia"}},
    {"Region XI - Davao Region", 0.05, 1.05, {"Davao City", "Tagum", "Panabo"}},
    {"Region XII - SOCCSKSARGEN", 0.03, 0.85, {"General Santos", "Koronadal", "Kidapawan"}},
    {"Region XIII - Caraga", 0.02, 0.8, {"Butuan", "Surigao City", "Bayugan"}},
    {"BARMM", 0.02, 0.75, {"Cotabato City", "Marawi", "Lamitan"}},
};

constexpr const char* kOwners[] = {"Aling Nena", "Mang Tonyo", "Aling Rosa", "Kuya Jun",
                                   "Ate Lorna", "Mang Ramon", "Aling Baby", "Tita Cora",
                                   "Doña Pilar", "Mang Caloy", "Ate Joy", "Kuya Ben"};
constexpr const char* kKinds[] = {"Sari-Sari", "Store", "Mini Mart", "Variety Store"};
constexpr const char* kBarangays[] = {"Niño", "San Isidro", "Poblacion", "Santo Niño",
                                      "Bagong Silang", "Malanday", "Peñafrancia", "Mabini"};

struct Store {
  int32_t id;
  int region;
  std::string name, city, device;
  double size;  // relative daily traffic
};

std::vector<Store> make_stores(const Hasher& h, int count) {
  std::vector<Store> stores;
  double total_weight = 0;
  for (const auto& r : kRegions) total_weight += r.weight;
  for (int i = 1; i <= count; ++i) {
    Store s;
    s.id = i;
    double pick = h.unit(kStoreRegion, i) * total_weight;
    s.region = 0;
    for (int r = 0; r < 17; ++r) {
      pick -= kRegions[r].weight;
      if (pick <= 0) {
        s.region = r;
        break;
      }
    }
    uint64_t n = h(kStoreName, i);
    std::string owner = kOwners[n % 12];
    std::string kind = kKinds[(n >> 8) % 4];
    std::string brgy = kBarangays[(n >> 16) % 8];
    switch ((n >> 24) % 4) {
      case 0: s.name = owner + "'s " + kind + ", Brgy. " + brgy; break;
      case 1: s.name = owner + " \"Suki\" " + kind; break;
      case 2: s.name = kind + " ni " + owner; break;
      default: s.name = owner + "'s " + kind + " #" + std::to_string(i);
    }
    s.city = kRegions[s.region].cities[h(kStoreCity, i) % 3];
    char dev[32];
    std::snprintf(dev, sizeof dev, "SCOUT-DEV-%04d", i);
    s.device = dev;
    s.size = 0.4 + 1.6 * h.unit(kStoreSize, i);
    stores.push_back(std::move(s));
  }
  return stores;
}

int weekday_monday0(int32_t day) { return ((day % 7) + 10) % 7; }  // 1970-01-01 was a Thursday

int days_in_month(int y, unsigned m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// One store-day of daily_transactions, in centavos so the splits sum exactly.
struct StoreDay {
  int32_t count;
  int64_t revenue, cash, gcash, maya, card;
  bool unique_null;
  int32_t unique;
};

StoreDay store_day(const Hasher& h, const Store& s, int32_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  int weekday = weekday_monday0(day);
  double factor = s.size * (weekday >= 5 ? 1.3 : 1.0);
  if (d == 15 || static_cast<int>(d) == days_in_month(y, m)) factor *= 1.45;  // paydays
  if (m == 12) factor *= 1.2;                                                 // holidays
  double noise = 0.75 + 0.5 * h.unit(kDaily, s.id, static_cast<uint64_t>(day));
  StoreDay r{};
  r.count = std::max(1, static_cast<int32_t>(std::lround(60 * factor * noise)));
  double ticket = kRegions[s.region].spend * (55 + 60 * h.unit(kDailyTicket, s.id, static_cast<uint64_t>(day)));
  r.revenue = std::llround(r.count * ticket * 100);
  uint64_t split = h(kDailySplit, s.id, static_cast<uint64_t>(day));
  // Relative weights, normalised: cash leads, e-wallets follow, cards are few.
  double cash_w = 0.45 + 0.2 * ((split & 0xFFFF) / 65535.0);
  double gcash_w = 0.18 + 0.14 * (((split >> 16) & 0xFFFF) / 65535.0);
  double maya_w = 0.04 + 0.06 * (((split >> 32) & 0xFFFF) / 65535.0);
  double card_w = 0.05 + 0.1 * (((split >> 48) & 0xFFFF) / 65535.0);
  double sum_w = cash_w + gcash_w + maya_w + card_w;
  double cash_share = cash_w / sum_w, gcash_share = gcash_w / sum_w, maya_share = maya_w / sum_w;
  r.cash = std::llround(r.revenue * cash_share);
  r.gcash = std::llround(r.revenue * gcash_share);
  r.maya = std::llround(r.revenue * maya_share);
  r.card = r.revenue - r.cash - r.gcash - r.maya;
  r.unique_null = h.unit(kDailyNull, s.id, static_cast<uint64_t>(day)) < 0.05;
  r.unique = std::max(1, static_cast<int32_t>(r.count * (0.7 + 0.25 * h.unit(kDailyUnique, s.id, static_cast<uint64_t>(day)))));
  return r;
}

double pesos(int64_t centavos) { return static_cast<double>(centavos) / 100.0; }

// Batches a table's rows and hands them to the sink.
class TableWriter {
 public:
  TableWriter(DemoSink* sink, const Schema& schema, std::string name, const DemoProgress& progress)
      : sink_(sink), batch_(schema), name_(std::move(name)), progress_(progress) {}
  ColumnVector& col(size_t i) { return batch_.column(i); }
  Status row_done() {
    ++rows_;
    if (batch_.num_rows() >= kBatchRows) return flush();
    return Status::OK();
  }
  Status flush() {
    if (batch_.num_rows() == 0) return Status::OK();
    SCOUT_RETURN_IF_ERROR(sink_->append(batch_));
    batch_.clear();
    if (progress_) progress_(name_, rows_);
    return Status::OK();
  }
  int64_t rows() const { return rows_; }

 private:
  DemoSink* sink_;
  ColumnBatch batch_;
  std::string name_;
  const DemoProgress& progress_;
  int64_t rows_ = 0;
};

Result<const DatasetSpec*> dataset(const Catalog& catalog, const char* name,
                                   std::initializer_list<const char*> columns) {
  const DatasetSpec* d = catalog.find(name);
  if (!d) return Status::NotFound(std::string("the catalog has no dataset '") + name + "' for the demo");
  size_t i = 0;
  for (const char* c : columns) {
    if (i >= d->schema.size() || d->schema[i].name != c) {
      return Status::Invalid(std::string("the demo generates dataset '") + name +
                             "' with the columns of datasets.md; the catalog differs at '" + c + "'");
    }
    ++i;
  }
  return d;
}

}  // namespace

int32_t yesterday_utc() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return static_cast<int32_t>(days - 1);
}

const Schema& stores_schema() {
  static const Schema s{{{"store_id", DataType::of(TypeId::kInt32), false},
                         {"store_name", DataType::of(TypeId::kString), false},
                         {"region", DataType::of(TypeId::kString), false},
                         {"city", DataType::of(TypeId::kString), false},
                         {"device_id", DataType::of(TypeId::kString), false}}};
  return s;
}

Result<DemoSummary> generate_demo(const Catalog& catalog, const DemoOptions& options,
                                  DemoSink* sink, const DemoProgress& progress) {
  auto started = std::chrono::steady_clock::now();
  const Hasher h{options.seed};
  const int32_t first = options.first_day;
  const int32_t last = options.last_day >= 0 ? options.last_day : yesterday_utc();
  if (last < first) return Status::Invalid("the demo's last day is before its first (2024-01-01)");
  if (!(options.scale > 0) || options.scale > 1000) return Status::Invalid("scale must be in (0, 1000]");
  const int store_count = std::max(1, static_cast<int>(std::lround(500 * options.scale)));
  const std::vector<Store> stores = make_stores(h, store_count);
  DemoSummary summary;

  SCOUT_ASSIGN_OR_RETURN(auto* daily, dataset(catalog, "daily_transactions",
      {"transaction_date", "device_id", "store_id", "transaction_count", "total_revenue",
       "avg_transaction_value", "unique_customers", "cash_amount", "gcash_amount", "maya_amount", "card_amount"}));
  SCOUT_ASSIGN_OR_RETURN(auto* rankings, dataset(catalog, "store_rankings",
      {"store_id", "store_name", "region", "city", "total_revenue", "transaction_count",
       "revenue_rank", "performance_tier", "as_of_date"}));
  SCOUT_ASSIGN_OR_RETURN(auto* hourly, dataset(catalog, "hourly_patterns",
      {"transaction_date", "hour", "transaction_count", "total_revenue", "avg_basket_size", "is_peak_hour"}));
  SCOUT_ASSIGN_OR_RETURN(auto* payments, dataset(catalog, "payment_trends",
      {"transaction_date", "payment_method", "transaction_count", "total_amount", "share_of_revenue"}));
  SCOUT_ASSIGN_OR_RETURN(auto* features, dataset(catalog, "store_features",
      {"store_id", "region", "revenue_forecast_7d", "revenue_forecast_30d", "churn_probability",
       "growth_potential_score", "avg_daily_transactions", "feature_timestamp"}));
  SCOUT_ASSIGN_OR_RETURN(auto* predictions, dataset(catalog, "ml_predictions",
      {"prediction_date", "store_id", "model_name", "model_version", "predicted_revenue", "confidence",
       "prediction_interval_low", "prediction_interval_high", "created_at"}));

  // stores
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table("stores", "scout_gold.stores", stores_schema()));
    TableWriter w(sink, stores_schema(), "stores", progress);
    for (const Store& s : stores) {
      w.col(0).append_int32(s.id);
      w.col(1).append_bytes(s.name);
      w.col(2).append_bytes(kRegions[s.region].name);
      w.col(3).append_bytes(s.city);
      w.col(4).append_bytes(s.device);
      SCOUT_RETURN_IF_ERROR(w.row_done());
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back("stores", w.rows());
  }

  // daily_transactions, with the per-day aggregates the other gold tables derive from.
  struct DayTotals {
    int64_t count = 0, revenue = 0, cash = 0, gcash = 0, maya = 0, card = 0;
  };
  std::vector<DayTotals> totals(static_cast<size_t>(last - first + 1));
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table(daily->name, daily->table, daily->schema));
    TableWriter w(sink, daily->schema, daily->name, progress);
    for (int32_t day = first; day <= last; ++day) {
      DayTotals& t = totals[static_cast<size_t>(day - first)];
      for (const Store& s : stores) {
        StoreDay r = store_day(h, s, day);
        w.col(0).append_int32(day);
        w.col(1).append_bytes(s.device);
        w.col(2).append_int32(s.id);
        w.col(3).append_int32(r.count);
        w.col(4).append_double(pesos(r.revenue));
        w.col(5).append_double(std::round(static_cast<double>(r.revenue) / r.count) / 100.0);
        if (r.unique_null) w.col(6).append_null(); else w.col(6).append_int32(r.unique);
        w.col(7).append_double(pesos(r.cash));
        w.col(8).append_double(pesos(r.gcash));
        w.col(9).append_double(pesos(r.maya));
        w.col(10).append_double(pesos(r.card));
        SCOUT_RETURN_IF_ERROR(w.row_done());
        t.count += r.count;
        t.revenue += r.revenue;
        t.cash += r.cash;
        t.gcash += r.gcash;
        t.maya += r.maya;
        t.card += r.card;
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(daily->name, w.rows());
  }

  // hourly_patterns: each day's totals spread over a shop's day (peaks at breakfast, lunch
  // and after work).
  {
    static constexpr double kHourShape[24] = {0.2, 0.1, 0.1, 0.1, 0.3, 1.2, 2.6, 4.2, 4.8, 4.0, 4.2, 5.6,
                                              6.0, 5.0, 4.2, 4.0, 4.6, 6.2, 6.6, 5.4, 3.8, 2.6, 1.4, 0.6};
    const double shape_sum = std::accumulate(std::begin(kHourShape), std::end(kHourShape), 0.0);
    SCOUT_RETURN_IF_ERROR(sink->begin_table(hourly->name, hourly->table, hourly->schema));
    TableWriter w(sink, hourly->schema, hourly->name, progress);
    for (int32_t day = first; day <= last; ++day) {
      const DayTotals& t = totals[static_cast<size_t>(day - first)];
      for (int hour = 0; hour < 24; ++hour) {
        double share = kHourShape[hour] / shape_sum * (0.9 + 0.2 * h.unit(kHourly, static_cast<uint64_t>(day), hour));
        int32_t count = static_cast<int32_t>(std::lround(t.count * share));
        int64_t revenue = std::llround(t.revenue * share);
        w.col(0).append_int32(day);
        w.col(1).append_int32(hour);
        w.col(2).append_int32(count);
        w.col(3).append_double(pesos(revenue));
        if (count == 0) w.col(4).append_null(); else w.col(4).append_double(std::round(static_cast<double>(revenue) / count) / 100.0);
        w.col(5).append_bool(kHourShape[hour] >= 5.0);
        SCOUT_RETURN_IF_ERROR(w.row_done());
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(hourly->name, w.rows());
  }

  // payment_trends: money as exact centavos (decimal(14,2)).
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table(payments->name, payments->table, payments->schema));
    TableWriter w(sink, payments->schema, payments->name, progress);
    static constexpr const char* kMethods[] = {"cash", "gcash", "maya", "card"};
    static constexpr double kTicketRatio[] = {0.9, 1.1, 1.2, 1.8};  // card tickets are larger
    for (int32_t day = first; day <= last; ++day) {
      const DayTotals& t = totals[static_cast<size_t>(day - first)];
      const int64_t amounts[] = {t.cash, t.gcash, t.maya, t.card};
      for (int m = 0; m < 4; ++m) {
        w.col(0).append_int32(day);
        w.col(1).append_bytes(kMethods[m]);
        double amount_share = t.revenue ? static_cast<double>(amounts[m]) / static_cast<double>(t.revenue) : 0;
        w.col(2).append_int32(static_cast<int32_t>(std::lround(t.count * amount_share / kTicketRatio[m])));
        w.col(3).append_int64(amounts[m]);
        if (t.revenue == 0) w.col(4).append_null(); else w.col(4).append_double(std::round(amount_share * 1e6) / 1e6);
        SCOUT_RETURN_IF_ERROR(w.row_done());
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(payments->name, w.rows());
  }

  // store_rankings: one ranking per complete month, as of its last day.
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table(rankings->name, rankings->table, rankings->schema));
    TableWriter w(sink, rankings->schema, rankings->name, progress);
    int y;
    unsigned m, d;
    civil_from_days(first, &y, &m, &d);
    while (true) {
      int32_t month_first = days_from_civil(y, m, 1);
      int32_t month_last = days_from_civil(y, m, static_cast<unsigned>(days_in_month(y, m)));
      if (month_last > last) break;
      std::vector<std::pair<int64_t, int64_t>> per_store(stores.size());  // revenue, count
      for (size_t i = 0; i < stores.size(); ++i) {
        for (int32_t day = std::max(month_first, first); day <= month_last; ++day) {
          StoreDay r = store_day(h, stores[i], day);
          per_store[i].first += r.revenue;
          per_store[i].second += r.count;
        }
      }
      std::vector<size_t> order(stores.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return per_store[a].first > per_store[b].first;
      });
      for (size_t rank = 0; rank < order.size(); ++rank) {
        const Store& s = stores[order[rank]];
        double pct = static_cast<double>(rank) / static_cast<double>(order.size());
        const char* tier = pct < 0.1 ? "Platinum" : pct < 0.3 ? "Gold" : pct < 0.6 ? "Silver" : "Bronze";
        w.col(0).append_int32(s.id);
        w.col(1).append_bytes(s.name);
        w.col(2).append_bytes(kRegions[s.region].name);
        w.col(3).append_bytes(s.city);
        w.col(4).append_double(pesos(per_store[order[rank]].first));
        w.col(5).append_int64(per_store[order[rank]].second);
        w.col(6).append_int32(static_cast<int32_t>(rank + 1));
        w.col(7).append_bytes(tier);
        w.col(8).append_int32(month_last);
        SCOUT_RETURN_IF_ERROR(w.row_done());
      }
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(rankings->name, w.rows());
  }

  // store_features: computed every Monday at 02:00 UTC from the trailing 28 days.
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table(features->name, features->table, features->schema));
    TableWriter w(sink, features->schema, features->name, progress);
    for (int32_t day = first + 28; day <= last; ++day) {
      if (weekday_monday0(day) != 0) continue;  // Mondays
      for (const Store& s : stores) {
        int64_t revenue = 0, count = 0;
        for (int32_t back = day - 28; back < day; ++back) {
          StoreDay r = store_day(h, s, back);
          revenue += r.revenue;
          count += r.count;
        }
        double daily_rev = pesos(revenue) / 28.0;
        double u = h.unit(kFeature, s.id, static_cast<uint64_t>(day));
        bool missing = h.unit(kFeature, s.id, static_cast<uint64_t>(day), 1) < 0.02;  // model skipped
        w.col(0).append_int32(s.id);
        w.col(1).append_bytes(kRegions[s.region].name);
        if (missing) {
          w.col(2).append_null();
          w.col(3).append_null();
        } else {
          w.col(2).append_double(std::round(daily_rev * 7 * (0.95 + 0.1 * u) * 100) / 100);
          w.col(3).append_double(std::round(daily_rev * 30 * (0.93 + 0.14 * u) * 100) / 100);
        }
        w.col(4).append_double(std::round((0.02 + 0.3 * (1.0 - std::min(1.0, s.size / 2.0)) * u) * 1e4) / 1e4);
        w.col(5).append_double(std::round((30 + 60 * kRegions[s.region].spend * s.size / 2.0 * (0.8 + 0.4 * u)) * 100) / 100);
        w.col(6).append_double(std::round(static_cast<double>(count) / 28.0 * 100) / 100);
        w.col(7).append_int64((static_cast<int64_t>(day) * 86400 + 2 * 3600) * 1'000'000);
        SCOUT_RETURN_IF_ERROR(w.row_done());
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(features->name, w.rows());
  }

  // ml_predictions: a daily forecast per store, made the evening before.
  {
    SCOUT_RETURN_IF_ERROR(sink->begin_table(predictions->name, predictions->table, predictions->schema));
    TableWriter w(sink, predictions->schema, predictions->name, progress);
    const int32_t new_model_day = days_from_civil(2025, 6, 1);
    for (int32_t day = first; day <= last; ++day) {
      for (const Store& s : stores) {
        StoreDay r = store_day(h, s, day);
        double u = h.unit(kPrediction, s.id, static_cast<uint64_t>(day));
        bool v2 = day >= new_model_day;
        double error = (v2 ? 0.08 : 0.12) * (u - 0.5) * 2;
        double predicted = std::round(pesos(r.revenue) * (1 + error) * 100) / 100;
        double confidence = std::round(((v2 ? 0.82 : 0.74) + 0.15 * h.unit(kPrediction, s.id, static_cast<uint64_t>(day), 1)) * 1e4) / 1e4;
        double spread = predicted * (1.0 - confidence) * 0.8;
        bool missing = h.unit(kPrediction, s.id, static_cast<uint64_t>(day), 2) < 0.01;
        w.col(0).append_int32(day);
        w.col(1).append_int32(s.id);
        w.col(2).append_bytes("revenue_forecaster");
        w.col(3).append_bytes(v2 ? "2.4.0" : "2.3.1");
        if (missing) {
          for (int c = 4; c <= 7; ++c) w.col(c).append_null();
        } else {
          w.col(4).append_double(predicted);
          w.col(5).append_double(confidence);
          w.col(6).append_double(std::round((predicted - spread) * 100) / 100);
          w.col(7).append_double(std::round((predicted + spread) * 100) / 100);
        }
        w.col(8).append_int64((static_cast<int64_t>(day - 1) * 86400 + 23 * 3600) * 1'000'000);
        SCOUT_RETURN_IF_ERROR(w.row_done());
      }
    }
    SCOUT_RETURN_IF_ERROR(w.flush());
    SCOUT_RETURN_IF_ERROR(sink->end_table());
    summary.rows_per_table.emplace_back(predictions->name, w.rows());
  }

  SCOUT_RETURN_IF_ERROR(sink->finish(catalog));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace scout

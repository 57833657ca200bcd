#include "daily_transactions_rows.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/splitmix64.h"

namespace scout::bench {
namespace {

constexpr int32_t kFirstDay = 19723;  // 2024-01-01

// What a value is drawn for: each gets its own hash stream.
enum Draw : uint64_t {
  kTraffic = 1,
  kBasket,
  kPaymentMix,
  kAbsent,
  kDemandNoise,
  kBasketNoise,
  kMixNoise,
  kNoReport,
  kRepeatCustomers
};

uint64_t draw(uint64_t seed, Draw what, uint64_t store, int64_t day = 0) {
  return splitmix64(splitmix64(splitmix64(seed ^ (what << 56)) ^ store) ^ static_cast<uint64_t>(day));
}

// Uniform in [0, 1) from the top 53 bits.
double unit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

int days_in_month(int year, unsigned month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

double pesos(int64_t centavos) { return static_cast<double>(centavos) / 100.0; }

}  // namespace

Schema daily_transactions_schema() {
  auto field = [](const char* name, TypeId type, bool nullable) {
    return Field{name, DataType::of(type), nullable};
  };
  return Schema{{
      field("transaction_date", TypeId::kDate, false),
      field("device_id", TypeId::kString, false),
      field("store_id", TypeId::kInt32, false),
      field("transaction_count", TypeId::kInt32, false),
      field("total_revenue", TypeId::kDouble, false),
      field("avg_transaction_value", TypeId::kDouble, true),
      field("unique_customers", TypeId::kInt32, true),
      field("cash_amount", TypeId::kDouble, false),
      field("gcash_amount", TypeId::kDouble, false),
      field("maya_amount", TypeId::kDouble, false),
      field("card_amount", TypeId::kDouble, false),
  }};
}

DailyTransactionsRows::DailyTransactionsRows(uint64_t seed) : seed_(seed) {
  for (int store = 1; store <= kStores; ++store) {
    // Skewed sizes: many small sari-sari stores, a few busy ones.
    double size = unit(draw(seed_, kTraffic, store));
    double basket = unit(draw(seed_, kBasket, store));
    uint64_t mix = draw(seed_, kPaymentMix, store);
    StoreProfile p;
    p.traffic = 25 + 420 * size * size;
    p.basket = 45 + 260 * basket;
    p.cash_weight = 0.45 + 0.25 * unit(mix);
    p.gcash_weight = 0.15 + 0.15 * unit(splitmix64(mix ^ 1));
    p.maya_weight = 0.03 + 0.07 * unit(splitmix64(mix ^ 2));
    p.card_weight = 0.02 + 0.10 * unit(splitmix64(mix ^ 3));
    stores_.push_back(p);
    char device[32];
    std::snprintf(device, sizeof device, "SCOUT-DEV-%04d", store);
    device_ids_.emplace_back(device);
  }
  start_day(kFirstDay);
}

void DailyTransactionsRows::start_day(int32_t day) {
  int year;
  unsigned month, day_of_month;
  civil_from_days(day, &year, &month, &day_of_month);
  int weekday = ((day % 7) + 10) % 7;  // Monday 0; 1970-01-01 was a Thursday
  double demand = weekday == 5 ? 1.3 : weekday == 6 ? 1.2 : weekday == 4 ? 1.1 : 1.0;
  bool payday = day_of_month == 15 || static_cast<int>(day_of_month) == days_in_month(year, month);
  if (payday) demand *= 1.4;
  if (month == 12) demand *= 1.25;
  today_ = DayFactors{day, demand};
  next_store_ = 0;
}

void DailyTransactionsRows::next_batch(ColumnBatch* batch, size_t rows) {
  batch->clear();
  batch->reserve(rows);
  while (batch->num_rows() < rows) {
    if (next_store_ == kStores) start_day(today_.day + 1);
    int store = next_store_++;
    // About 2% of store-days have no row: the store was closed or its device offline.
    if (draw(seed_, kAbsent, store, today_.day) % 50 == 0) continue;
    append_row(batch, store);
  }
  rows_generated_ += static_cast<int64_t>(rows);
}

void DailyTransactionsRows::append_row(ColumnBatch* batch, int store) {
  const StoreProfile& p = stores_[static_cast<size_t>(store)];
  const int32_t day = today_.day;
  double demand_noise = 0.7 + 0.6 * unit(draw(seed_, kDemandNoise, store, day));
  double basket_noise = 0.85 + 0.3 * unit(draw(seed_, kBasketNoise, store, day));
  int32_t count =
      std::max(1, static_cast<int32_t>(std::lround(p.traffic * today_.demand * demand_noise)));
  int64_t revenue = std::llround(count * p.basket * basket_noise * 100.0);  // centavos

  uint64_t mix = draw(seed_, kMixNoise, store, day);
  double cash_w = p.cash_weight * (0.9 + 0.2 * unit(mix));
  double gcash_w = p.gcash_weight * (0.85 + 0.3 * unit(splitmix64(mix ^ 1)));
  double maya_w = p.maya_weight * (0.8 + 0.4 * unit(splitmix64(mix ^ 2)));
  double card_w = p.card_weight * (0.8 + 0.4 * unit(splitmix64(mix ^ 3)));
  double total_w = cash_w + gcash_w + maya_w + card_w;
  int64_t cash = std::llround(revenue * (cash_w / total_w));
  int64_t gcash = std::llround(revenue * (gcash_w / total_w));
  int64_t maya = std::llround(revenue * (maya_w / total_w));
  int64_t card = revenue - cash - gcash - maya;  // the splits sum to total_revenue exactly

  const uint64_t report = draw(seed_, kNoReport, store, day);
  ColumnBatch& b = *batch;
  b.column(0).append_int32(day);
  b.column(1).append_bytes(device_ids_[static_cast<size_t>(store)]);
  b.column(2).append_int32(store + 1);
  b.column(3).append_int32(count);
  b.column(4).append_double(pesos(revenue));
  b.column(5).append_double(std::round(static_cast<double>(revenue) / count) / 100.0);
  if (report % 20 == 0) {  // about 5%: the device did not report its customers
    b.column(6).append_null();
  } else {
    double repeat = 0.6 + 0.35 * unit(draw(seed_, kRepeatCustomers, store, day));
    b.column(6).append_int32(std::max(1, static_cast<int32_t>(count * repeat)));
  }
  b.column(7).append_double(pesos(cash));
  b.column(8).append_double(pesos(gcash));
  b.column(9).append_double(pesos(maya));
  b.column(10).append_double(pesos(card));
}

}  // namespace scout::bench

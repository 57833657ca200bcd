// Synthetic rows shaped like daily_transactions (datasets.md: 11 columns) for the writer
// benchmark, generated batch by batch so memory stays bounded at any row count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scout/column_batch.h"

namespace scout::bench {

// daily_transactions as datasets.md fixes it: the column order, types and nullability the
// export pipeline hands to the writer.
Schema daily_transactions_schema();

// A deterministic stream of store-days: dates ascending from 2024-01-01, about 500 rows a day
// (510 stores, each missing about 2% of days), one device per store ('SCOUT-DEV-0001', ...).
// Every value is a hash of (seed, store, day), so a run of N rows is the first N rows of any
// longer run. Money is drawn in centavos, so the doubles have two decimals and the four payment
// splits sum exactly to total_revenue; unique_customers is NULL on about 5% of rows.
class DailyTransactionsRows {
 public:
  static constexpr int kStores = 510;

  explicit DailyTransactionsRows(uint64_t seed = 42);

  // Clears `batch` (of daily_transactions_schema()) and fills it with the next `rows` rows.
  void next_batch(ColumnBatch* batch, size_t rows);

  int64_t rows_generated() const { return rows_generated_; }

 private:
  struct StoreProfile {
    double traffic;      // typical transactions a day
    double basket;       // typical pesos per transaction
    double cash_weight;  // payment mix: cash leads, e-wallets follow, cards are few
    double gcash_weight;
    double maya_weight;
    double card_weight;
  };
  struct DayFactors {
    int32_t day;
    double demand;  // weekend, payday and December peaks
  };

  void append_row(ColumnBatch* batch, int store);
  void start_day(int32_t day);

  uint64_t seed_;
  std::vector<StoreProfile> stores_;
  std::vector<std::string> device_ids_;
  DayFactors today_{};
  int next_store_ = 0;  // index into stores_ of the next candidate row of today_
  int64_t rows_generated_ = 0;
};

}  // namespace scout::bench

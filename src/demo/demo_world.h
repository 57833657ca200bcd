// The demo warehouse's world: the 17 Philippine regions, the stores and what one store sells on
// one day. Every value is a hash of (seed, tag, store, day, ...) -- a counter-based generator,
// never a draw from a running random stream -- so a store-day is the same whatever else is
// generated, at any scale and on any day the generator runs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace scout::demo {

// What a hash is for; part of the key so that different uses of one store-day are independent.
enum class Tag : uint64_t {
  kStoreRegion = 1,
  kStoreName,
  kStoreCity,
  kStoreSize,
  kDaily,
  kDailyTicket,
  kDailyNull,
  kDailySplit,
  kDailyUnique,
  kHourly,
  kFeature,
  kPrediction,
};

// splitmix64's finaliser over the combined key.
class DemoHash {
 public:
  explicit DemoHash(uint64_t seed) : seed_(seed) {}
  uint64_t operator()(Tag tag, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) const;
  // Uniform in [0, 1), from the top 53 bits.
  double unit(Tag tag, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) const {
    return static_cast<double>((*this)(tag, a, b, c) >> 11) * 0x1.0p-53;
  }

 private:
  uint64_t seed_;
};

struct Region {
  const char* name;    // as datasets.md spells it: "NCR", "Region I - Ilocos Region", ...
  double store_share;  // share of the stores
  double spend;        // relative ticket size
  const char* cities[3];
};

// The 17 regions, NCR first, BARMM last.
std::span<const Region> regions();

struct Store {
  int32_t id = 0;  // 1, 2, ...
  int region = 0;  // index into regions()
  std::string name, city;
  std::string device_id;  // SCOUT-DEV-0001: one device per store
  double traffic = 1.0;   // relative number of customers, 0.4 .. 2.0
};

// About 500 stores per unit of scale, at least one.
int store_count_for_scale(double scale);
// Store `id` is the same in every warehouse of this seed. Stores 1..17 are one per region (so
// even a tiny warehouse has every region); the rest fall into regions by their share.
Store make_store(const DemoHash& hash, int32_t id);
std::vector<Store> make_stores(const DemoHash& hash, int count);

// One store's day, money in centavos so that the payment splits sum exactly to the revenue.
struct StoreDay {
  int32_t transactions = 0;
  int64_t revenue = 0;
  int64_t cash = 0, gcash = 0, maya = 0, card = 0;  // cash + gcash + maya + card == revenue
  bool customers_reported = true;                   // false for about 5% (device did not report)
  int32_t unique_customers = 0;
};

// Weekends and paydays (the 15th and the month's last day) are busier, December more so, and
// trade grows slowly over the years; tickets are larger in richer regions.
StoreDay store_day(const DemoHash& hash, const Store& store, int32_t day);

int weekday_monday0(int32_t day);  // 0 = Monday ... 6 = Sunday
int days_in_month(int year, unsigned month);
bool is_payday(int32_t day);  // the 15th or the last day of its month

}  // namespace scout::demo

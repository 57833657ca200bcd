#include "demo/demo_world.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scout/column_batch.h"
#include "common/splitmix64.h"

namespace scout::demo {
namespace {

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
constexpr int kRegionCount = static_cast<int>(std::size(kRegions));

// Names with apostrophes, commas, double quotes and non-ASCII letters, as real ones have.
constexpr const char* kOwners[] = {"Aling Nena", "Mang Tonyo", "Aling Rosa", "Kuya Jun",
                                   "Ate Lorna", "Mang Ramon", "Aling Baby", "Tita Cora",
                                   "Doña Pilar", "Mang Caloy", "Ate Joy", "Kuya Ben"};
constexpr const char* kKinds[] = {"Sari-Sari", "Store", "Mini Mart", "Variety Store"};
constexpr const char* kBarangays[] = {"Niño", "San Isidro", "Poblacion", "Santo Niño",
                                      "Bagong Silang", "Malanday", "Peñafrancia", "Mabini"};

std::string store_name(uint64_t h, int32_t id) {
  if (id == 1) return "Aling Nena's Sari-Sari, Brgy. Niño";  // datasets.md's example
  std::string owner = kOwners[h % std::size(kOwners)];
  std::string kind = kKinds[(h >> 8) % std::size(kKinds)];
  std::string barangay = kBarangays[(h >> 16) % std::size(kBarangays)];
  switch ((h >> 24) % 4) {
    case 0: return owner + "'s " + kind + ", Brgy. " + barangay;
    case 1: return owner + " \"Suki\" " + kind;
    case 2: return kind + " ni " + owner;
    default: return owner + "'s " + kind + " #" + std::to_string(id);
  }
}

int pick_region(const DemoHash& hash, int32_t id) {
  if (id <= kRegionCount) return id - 1;
  double pick = hash.unit(Tag::kStoreRegion, static_cast<uint64_t>(id));
  for (int r = 0; r < kRegionCount; ++r) {
    pick -= kRegions[r].store_share;
    if (pick < 0) return r;
  }
  return 0;  // rounding left a sliver: NCR
}

// The demo's calendar starts here; growth is measured from it whatever the first day is.
constexpr int32_t kGrowthEpoch = 19723;  // 2024-01-01

}  // namespace

uint64_t DemoHash::operator()(Tag tag, uint64_t a, uint64_t b, uint64_t c) const {
  uint64_t x = splitmix64(seed_ ^ (static_cast<uint64_t>(tag) * 0x100000001B3ULL));
  x = splitmix64(x ^ a);
  x = splitmix64(x ^ (b * 0x9E3779B1ULL));
  return splitmix64(x ^ c);
}

std::span<const Region> regions() { return kRegions; }

int store_count_for_scale(double scale) {
  return std::max(1, static_cast<int>(std::lround(500 * scale)));
}

Store make_store(const DemoHash& hash, int32_t id) {
  Store s;
  s.id = id;
  s.region = pick_region(hash, id);
  s.name = store_name(hash(Tag::kStoreName, static_cast<uint64_t>(id)), id);
  s.city = kRegions[s.region].cities[hash(Tag::kStoreCity, static_cast<uint64_t>(id)) % 3];
  char device[32];
  std::snprintf(device, sizeof device, "SCOUT-DEV-%04d", id);
  s.device_id = device;
  s.traffic = 0.4 + 1.6 * hash.unit(Tag::kStoreSize, static_cast<uint64_t>(id));
  return s;
}

std::vector<Store> make_stores(const DemoHash& hash, int count) {
  std::vector<Store> stores;
  stores.reserve(static_cast<size_t>(count));
  for (int32_t id = 1; id <= count; ++id) stores.push_back(make_store(hash, id));
  return stores;
}

int weekday_monday0(int32_t day) { return static_cast<int>(((day % 7) + 10) % 7); }  // 1970-01-01: Thursday

int days_in_month(int year, unsigned month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool is_payday(int32_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  return d == 15 || static_cast<int>(d) == days_in_month(y, m);
}

StoreDay store_day(const DemoHash& hash, const Store& store, int32_t day) {
  const uint64_t id = static_cast<uint64_t>(store.id);
  const uint64_t key = static_cast<uint64_t>(static_cast<int64_t>(day));
  int y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  double busy = store.traffic;
  if (weekday_monday0(day) >= 5) busy *= 1.3;
  if (d == 15 || static_cast<int>(d) == days_in_month(y, m)) busy *= 1.45;
  if (m == 12) busy *= 1.2;  // Christmas season
  busy *= 1.0 + 0.08 * (day - kGrowthEpoch) / 365.0;
  const double noise = 0.75 + 0.5 * hash.unit(Tag::kDaily, id, key);

  StoreDay r;
  r.transactions = std::max(1, static_cast<int32_t>(std::lround(60 * busy * noise)));
  const double ticket = kRegions[store.region].spend * (55 + 60 * hash.unit(Tag::kDailyTicket, id, key));
  r.revenue = std::llround(r.transactions * ticket * 100);

  // Cash leads, e-wallets follow, cards are few; the last share takes the rounding.
  const uint64_t split = hash(Tag::kDailySplit, id, key);
  auto part = [split](int lane) { return static_cast<double>((split >> (16 * lane)) & 0xFFFF) / 65535.0; };
  const double cash_w = 0.45 + 0.20 * part(0);
  const double gcash_w = 0.18 + 0.14 * part(1);
  const double maya_w = 0.04 + 0.06 * part(2);
  const double card_w = 0.05 + 0.10 * part(3);
  const double total_w = cash_w + gcash_w + maya_w + card_w;
  r.cash = std::llround(static_cast<double>(r.revenue) * cash_w / total_w);
  r.gcash = std::llround(static_cast<double>(r.revenue) * gcash_w / total_w);
  r.maya = std::llround(static_cast<double>(r.revenue) * maya_w / total_w);
  r.card = r.revenue - r.cash - r.gcash - r.maya;

  r.customers_reported = hash.unit(Tag::kDailyNull, id, key) >= 0.05;
  r.unique_customers = std::max(
      1, static_cast<int32_t>(r.transactions * (0.7 + 0.25 * hash.unit(Tag::kDailyUnique, id, key))));
  return r;
}

}  // namespace scout::demo

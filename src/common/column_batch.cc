#include "scout/column_batch.h"

#include <charconv>

namespace scout {

std::string DataType::name() const {
  switch (id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt16: return "int16";
    case TypeId::kInt32: return "int32";
    case TypeId::kInt64: return "int64";
    case TypeId::kFloat: return "float";
    case TypeId::kDouble: return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::kString: return "string";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kBinary: return "binary";
  }
  return "unknown";
}

Result<DataType> DataType::parse(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeId> kSimple[] = {
      {"boolean", TypeId::kBoolean}, {"int16", TypeId::kInt16},   {"int32", TypeId::kInt32},
      {"int64", TypeId::kInt64},     {"float", TypeId::kFloat},   {"double", TypeId::kDouble},
      {"string", TypeId::kString},   {"date", TypeId::kDate},     {"timestamp", TypeId::kTimestamp},
      {"binary", TypeId::kBinary},
  };
  for (const auto& [text, id] : kSimple) {
    if (name == text) return DataType::of(id);
  }
  constexpr std::string_view kDecimal = "decimal(";
  if (name.starts_with(kDecimal) && name.ends_with(")")) {
    std::string_view args = name.substr(kDecimal.size(), name.size() - kDecimal.size() - 1);
    size_t comma = args.find(',');
    int p = 0, s = 0;
    if (comma != std::string_view::npos) {
      auto a = std::from_chars(args.data(), args.data() + comma, p);
      std::string_view rest = args.substr(comma + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      auto b = std::from_chars(rest.data(), rest.data() + rest.size(), s);
      if (a.ec == std::errc() && a.ptr == args.data() + comma && b.ec == std::errc() &&
          b.ptr == rest.data() + rest.size() && p >= 1 && p <= 38 && s >= 0 && s <= p) {
        return DataType::decimal(p, s);
      }
    }
  }
  return Status::Invalid("unknown type '" + std::string(name) +
                         "'; valid types: boolean, int16, int32, int64, float, double, "
                         "decimal(p,s) with 1<=p<=38 and 0<=s<=p, string, date, timestamp, binary");
}

int DataType::storage_width() const {
  switch (id) {
    case TypeId::kBoolean: return 1;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kDate:
    case TypeId::kFloat: return 4;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kDouble: return 8;
    case TypeId::kDecimal: return precision <= 18 ? 8 : 16;
    case TypeId::kString:
    case TypeId::kBinary: return 0;
  }
  return 0;
}

int Schema::index_of(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void ColumnVector::reserve(size_t rows) {
  validity_.reserve(rows);
  if (width_ > 0) {
    fixed_.reserve(rows * width_);
  } else {
    offsets_.reserve(rows + 1);
  }
}

void ColumnVector::clear() {
  size_ = 0;
  null_count_ = 0;
  validity_.clear();
  fixed_.clear();
  offsets_.resize(1);
  chars_.clear();
}

void ColumnVector::append_null() {
  if (width_ > 0) {
    fixed_.resize(fixed_.size() + width_, 0);
  } else {
    offsets_.push_back(static_cast<uint32_t>(chars_.size()));
  }
  validity_.push_back(0);
  ++null_count_;
  ++size_;
}

void ColumnVector::append_bytes(std::string_view v) {
  chars_.append(v.data(), v.size());
  offsets_.push_back(static_cast<uint32_t>(chars_.size()));
  validity_.push_back(1);
  ++size_;
}

void ColumnVector::append_range(const ColumnVector& other, size_t begin, size_t end) {
  if (end <= begin) return;
  size_t n = end - begin;
  validity_.insert(validity_.end(), other.validity_.begin() + begin, other.validity_.begin() + end);
  for (size_t i = begin; i < end; ++i) null_count_ += other.validity_[i] == 0;
  if (width_ > 0) {
    fixed_.insert(fixed_.end(), other.fixed_.begin() + begin * width_,
                  other.fixed_.begin() + end * width_);
  } else {
    uint32_t from = other.offsets_[begin];
    uint32_t base = static_cast<uint32_t>(chars_.size());
    chars_.append(other.chars_.data() + from, other.offsets_[end] - from);
    for (size_t i = begin + 1; i <= end; ++i) offsets_.push_back(base + other.offsets_[i] - from);
  }
  size_ += n;
}

void ColumnVector::append_rows(const ColumnVector& other, const uint32_t* rows, size_t count) {
  for (size_t k = 0; k < count; ++k) {
    uint32_t r = rows[k];
    uint8_t valid = other.validity_[r];
    validity_.push_back(valid);
    null_count_ += valid == 0;
    if (width_ > 0) {
      const uint8_t* src = other.fixed_.data() + static_cast<size_t>(r) * width_;
      fixed_.insert(fixed_.end(), src, src + width_);
    } else {
      chars_.append(other.chars_.data() + other.offsets_[r], other.offsets_[r + 1] - other.offsets_[r]);
      offsets_.push_back(static_cast<uint32_t>(chars_.size()));
    }
  }
  size_ += count;
}

ColumnBatch::ColumnBatch(const Schema& schema) {
  columns_.reserve(schema.size());
  for (const Field& f : schema.fields) columns_.emplace_back(f.type);
}

void ColumnBatch::reserve(size_t rows) {
  for (auto& c : columns_) c.reserve(rows);
}

void ColumnBatch::clear() {
  for (auto& c : columns_) c.clear();
}

// Howard Hinnant's civil-calendar algorithms (public domain description), valid for all int32 days.
int32_t days_from_civil(int year, unsigned month, unsigned day) {
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void civil_from_days(int32_t days, int* year, unsigned* month, unsigned* day) {
  int64_t z = static_cast<int64_t>(days) + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (*month <= 2));
}

std::optional<int32_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t at, size_t n, int* out) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, &y) || !digits(5, 2, &m) || !digits(8, 2, &d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max_day = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max_day) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::optional<int64_t> parse_timestamp_micros(std::string_view text) {
  if (text.size() < 19) return std::nullopt;
  auto days = parse_date(text.substr(0, 10));
  if (!days || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto two = [&](size_t at, int max) -> int {
    char a = text[at], b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    int v = (a - '0') * 10 + (b - '0');
    return v > max ? -1 : v;
  };
  int h = two(11, 23), m = two(14, 59), sec = two(17, 59);
  if (h < 0 || m < 0 || sec < 0) return std::nullopt;
  size_t at = 19;
  int64_t micros = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (++digits > 6) return std::nullopt;
      micros = micros * 10 + (text[at++] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  std::string_view zone = text.substr(at);
  if (!(zone.empty() || zone == "Z" || zone == "+00:00" || zone == "+00")) return std::nullopt;
  return (static_cast<int64_t>(*days) * 86400 + h * 3600 + m * 60 + sec) * 1'000'000 + micros;
}

std::optional<__int128> parse_decimal(std::string_view text, int precision, int scale) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  __int128 value = 0;
  int int_digits = 0, frac_digits = 0;
  bool any = false, point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any = true;
    if (point) {
      if (++frac_digits > scale) {
        if (c != '0') return std::nullopt;  // trailing zeros past the scale are exact
        --frac_digits;
        continue;
      }
    } else if (int_digits > 0 || c != '0') {
      ++int_digits;
    }
    value = value * 10 + (c - '0');
    if (int_digits > precision - scale) return std::nullopt;
  }
  if (!any) return std::nullopt;
  for (int k = frac_digits; k < scale; ++k) value *= 10;
  return negative ? -value : value;
}

namespace {

char* put_digits(char* p, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

}  // namespace

size_t write_date(char* buf, int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char* p = buf;
  if (y < 0 || y > 9999) {  // ISO 8601 expanded years carry a sign
    *p++ = y < 0 ? '-' : '+';
    unsigned a = static_cast<unsigned>(y < 0 ? -y : y);
    p = put_digits(p, a, a > 99999 ? 6 : 5);
  } else {
    p = put_digits(p, static_cast<unsigned>(y), 4);
  }
  *p++ = '-';
  p = put_digits(p, m, 2);
  *p++ = '-';
  p = put_digits(p, d, 2);
  return static_cast<size_t>(p - buf);
}

size_t write_timestamp_micros(char* buf, int64_t micros) {
  constexpr int64_t kPerDay = 86'400'000'000LL;
  int64_t days = micros / kPerDay;
  int64_t rem = micros % kPerDay;
  if (rem < 0) {
    rem += kPerDay;
    --days;
  }
  char* p = buf + write_date(buf, static_cast<int32_t>(days));
  auto secs = static_cast<unsigned>(rem / 1'000'000);
  *p++ = 'T';
  p = put_digits(p, secs / 3600, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60, 2);
  *p++ = '.';
  p = put_digits(p, static_cast<unsigned>(rem % 1'000'000), 6);
  *p++ = 'Z';
  return static_cast<size_t>(p - buf);
}

std::string format_date(int32_t days) {
  char buf[40];
  return std::string(buf, write_date(buf, days));
}

std::string format_timestamp_micros(int64_t micros) {
  char buf[48];
  return std::string(buf, write_timestamp_micros(buf, micros));
}

}  // namespace scout

#include "parquet/column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "parquet/compression.h"
#include "parquet/delta_binary_packed.h"
#include "parquet/dictionary.h"
#include "parquet/metadata_writer.h"
#include "parquet/parquet_schema.h"
#include "parquet/rle_hybrid.h"
#include "parquet/bit_util.h"

namespace scout::parquet {
namespace {

using format::Encoding;

// Column index entries for strings are cut to this many bytes (PageIndex.md allows
// truncation: a min prefix stays <= every value, a max prefix is rounded up).
constexpr size_t kMaxIndexValueBytes = 64;

struct BytesTag {};  // the value type of BYTE_ARRAY columns

template <typename V>
constexpr bool kIsBytes = std::is_same_v<V, BytesTag>;

// Statistics kept per page and per chunk. Bytes keep a copy; NaN never enters min/max.
template <typename V>
struct MinMax {
  using Value = std::conditional_t<kIsBytes<V>, std::string, V>;
  bool has = false;
  Value min{};
  Value max{};

  void merge(const MinMax& other) {
    if (!other.has) return;
    if (!has || less(other.min, min)) min = other.min;
    if (!has || less(max, other.max)) max = other.max;
    has = true;
  }
  static bool less(const Value& a, const Value& b) {
    if constexpr (kIsBytes<V>) {
      return std::string_view(a) < std::string_view(b);  // char_traits compare as unsigned
    } else {
      return a < b;
    }
  }
};

// std::string_view's order (unsigned bytes, then length), inline and 8 bytes at a time: page
// statistics compare every string value twice, and a memcmp call per comparison cost more than
// the comparison for the short ids and codes most string columns hold.
inline bool bytes_less(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  if (n >= 8) {
    for (size_t i = 0;; i += 8) {
      if (i + 8 > n) i = n - 8;  // the last word overlaps bytes already found equal
      uint64_t x, y;
      std::memcpy(&x, a.data() + i, 8);
      std::memcpy(&y, b.data() + i, 8);
      if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);  // first byte most significant
      if (i + 8 >= n) break;
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return static_cast<uint8_t>(a[i]) < static_cast<uint8_t>(b[i]);
    }
  }
  return a.size() < b.size();
}

// Min and max in four independent lanes, so the loop is not one long dependency chain.
// Comparisons with NaN are false, so NaN never enters; an all-NaN input gives lo > hi.
template <typename T>
std::pair<T, T> min_max(const T* v, size_t n) {
  T lo[4], hi[4];
  for (int k = 0; k < 4; ++k) {
    if constexpr (std::is_floating_point_v<T>) {
      lo[k] = std::numeric_limits<T>::infinity();
      hi[k] = -std::numeric_limits<T>::infinity();
    } else {
      lo[k] = v[0];
      hi[k] = v[0];
    }
  }
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int k = 0; k < 4; ++k) {
      lo[k] = v[i + k] < lo[k] ? v[i + k] : lo[k];
      hi[k] = v[i + k] > hi[k] ? v[i + k] : hi[k];
    }
  }
  for (; i < n; ++i) {
    lo[0] = v[i] < lo[0] ? v[i] : lo[0];
    hi[0] = v[i] > hi[0] ? v[i] : hi[0];
  }
  for (int k = 1; k < 4; ++k) {
    lo[0] = lo[k] < lo[0] ? lo[k] : lo[0];
    hi[0] = hi[k] > hi[0] ? hi[k] : hi[0];
  }
  return {lo[0], hi[0]};
}

// An encoded page as it goes to the file: its header, then its (compressed) body. They are kept
// apart so that nothing copies the two together: the file gets both with one vectored write.
struct EncodedPage {
  std::string header;
  std::string body;
  size_t size() const { return header.size() + body.size(); }
  void clear() {
    header.clear();
    body.clear();
  }
  void append_to(std::vector<std::string_view>* pieces) const {
    pieces->emplace_back(header);
    pieces->emplace_back(body);
  }
};

// A chunk's finished data pages, each in buffers of its own that are kept, with their capacity,
// for the next row group. One growing buffer for the whole chunk would be copied (and its new
// memory faulted in) at every doubling: at a million rows that cost more than encoding doubles.
class PageSequence {
 public:
  // A cleared page for the next one; valid until the next call.
  EncodedPage* next() {
    if (used_ == pages_.size()) pages_.emplace_back();
    EncodedPage* page = &pages_[used_++];
    page->clear();
    return page;
  }
  void added(size_t bytes) { bytes_ += bytes; }
  size_t size() const { return bytes_; }
  void append_to(std::vector<std::string_view>* pieces) const {
    for (size_t i = 0; i < used_; ++i) pages_[i].append_to(pieces);
  }
  void clear() {
    used_ = 0;
    bytes_ = 0;
  }

 private:
  std::vector<EncodedPage> pages_;
  size_t used_ = 0;
  size_t bytes_ = 0;
};

template <typename V>
class TypedColumnWriter final : public ColumnWriter {
 public:
  using Stats = MinMax<V>;

  TypedColumnWriter(const Field& field, const WriterOptions& options)
      : field_(field),
        options_(options),
        physical_(physical_type_of(field.type)),
        flba_width_(physical_ == format::Type::FIXED_LEN_BYTE_ARRAY
                        ? decimal_byte_width(field.type.precision)
                        : 0),
        compressor_(PageCompressor::make(options.codec, options.compression_level)) {
    use_dictionary_ = options.enable_dictionary && !std::is_same_v<V, uint8_t>;
    page_offsets_.push_back(0);
  }

  void append(const ColumnVector& column, size_t begin, size_t end) override {
    while (begin < end) {
      size_t room = static_cast<size_t>(options_.max_page_rows - page_rows_);
      size_t n = rows_within_page_target(column, begin, std::min(room, end - begin));
      gather(column, begin, begin + n);
      begin += n;
      if (page_rows_ >= options_.max_page_rows || page_value_bytes() >= options_.target_page_bytes) {
        finish_page();
      }
    }
  }

  bool may_finish_page(const ColumnVector& column, size_t begin, size_t end) const override {
    const size_t n = end - begin;
    if (page_rows_ + static_cast<int64_t>(n) >= options_.max_page_rows) return true;
    int64_t added;  // counts NULLs as values: an overestimate, which only says true more often
    if constexpr (kIsBytes<V>) {
      const uint32_t* off = column.offsets();
      added = static_cast<int64_t>(off[end] - off[begin]) + 4 * static_cast<int64_t>(n);
    } else {
      added = static_cast<int64_t>(n * sizeof(V));
    }
    return page_value_bytes() + added >= options_.target_page_bytes;
  }

  // How many of the next `n` rows fit the page's byte target (at least one), so that a page
  // is cut at its target however large the batch.
  size_t rows_within_page_target(const ColumnVector& column, size_t begin, size_t n) const {
    int64_t room = options_.target_page_bytes - page_value_bytes();
    if (room <= 0) return 1;
    if constexpr (kIsBytes<V>) {
      const uint32_t* off = column.offsets();
      auto bytes = [&](size_t k) {
        return static_cast<int64_t>(off[begin + k] - off[begin]) + 4 * static_cast<int64_t>(k);
      };
      if (bytes(n) <= room) return n;
      size_t lo = 1, hi = n;  // the largest k with bytes(k) <= room, at least 1
      while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (bytes(mid) <= room) lo = mid; else hi = mid - 1;
      }
      return lo;
    } else {
      return std::max<size_t>(1, std::min(n, static_cast<size_t>(room) / sizeof(V) + 1));
    }
  }

  int64_t buffered_bytes() const override {
    return static_cast<int64_t>(data_pages_.size()) + page_value_bytes() +
           static_cast<int64_t>(def_levels_.size() / 8);
  }

  Status seal_chunk() override;
  Status flush_chunk(OutputStream* out, WrittenChunk* written) override;

 private:
  // Copies the non-null values of rows [begin, end) into the page buffer, and their
  // definition levels when the column is optional.
  void gather(const ColumnVector& column, size_t begin, size_t end) {
    const uint8_t* valid = column.validity();
    const bool all_valid = column.null_count() == 0;
    if (field_.nullable) def_levels_.insert(def_levels_.end(), valid + begin, valid + end);
    size_t n = end - begin;
    page_rows_ += static_cast<int64_t>(n);
    if constexpr (kIsBytes<V>) {
      const uint32_t* offsets = column.offsets();
      const char* chars = column.chars();
      if (all_valid) {
        uint32_t from = offsets[begin];
        uint32_t base = static_cast<uint32_t>(page_chars_.size());
        page_chars_.append(chars + from, offsets[end] - from);
        for (size_t i = begin + 1; i <= end; ++i) page_offsets_.push_back(base + offsets[i] - from);
      } else {
        for (size_t i = begin; i < end; ++i) {
          if (!valid[i]) continue;
          page_chars_.append(chars + offsets[i], offsets[i + 1] - offsets[i]);
          page_offsets_.push_back(static_cast<uint32_t>(page_chars_.size()));
        }
      }
    } else if constexpr (std::is_same_v<V, int32_t>) {
      if (field_.type.storage_width() == 8) {  // decimal(p<=9) is held as int64
        gather_converted<int64_t>(column, valid, all_valid, begin, end);
      } else {
        gather_same(column, valid, all_valid, begin, end);
      }
    } else {
      gather_same(column, valid, all_valid, begin, end);
    }
  }

  void gather_same(const ColumnVector& column, const uint8_t* valid, bool all_valid, size_t begin,
                   size_t end) {
    const V* src = column.values<V>();
    if (all_valid) {
      values_.insert(values_.end(), src + begin, src + end);
    } else {
      for (size_t i = begin; i < end; ++i) {
        if (valid[i]) values_.push_back(src[i]);
      }
    }
  }

  template <typename S>
  void gather_converted(const ColumnVector& column, const uint8_t* valid, bool all_valid,
                        size_t begin, size_t end) {
    const S* src = column.values<S>();
    for (size_t i = begin; i < end; ++i) {
      if (all_valid || valid[i]) values_.push_back(static_cast<V>(src[i]));
    }
  }

  size_t page_value_count() const {
    if constexpr (kIsBytes<V>) {
      return page_offsets_.size() - 1;
    } else {
      return values_.size();
    }
  }

  int64_t page_value_bytes() const {
    if constexpr (kIsBytes<V>) {
      return static_cast<int64_t>(page_chars_.size() + 4 * (page_offsets_.size() - 1));
    } else {
      return static_cast<int64_t>(values_.size() * sizeof(V));
    }
  }

  std::string_view page_bytes_at(size_t i) const {
    return std::string_view(page_chars_.data() + page_offsets_[i],
                            page_offsets_[i + 1] - page_offsets_[i]);
  }

  Stats page_stats() const {
    Stats s;
    size_t n = page_value_count();
    if (n == 0) return s;
    if constexpr (kIsBytes<V>) {
      std::string_view lo = page_bytes_at(0), hi = lo;
      for (size_t i = 1; i < n; ++i) {
        std::string_view v = page_bytes_at(i);
        if (bytes_less(v, lo)) lo = v;
        if (bytes_less(hi, v)) hi = v;
      }
      s.has = true;
      s.min.assign(lo);
      s.max.assign(hi);
    } else {
      auto [lo, hi] = min_max(values_.data(), values_.size());
      s.has = lo <= hi;  // floats: false when every value is NaN
      s.min = lo;
      s.max = hi;
    }
    return s;
  }

  // PLAIN encoding of a statistic, as min_value/max_value store it.
  std::string encode_stat(const typename Stats::Value& v, bool is_max) const {
    std::string out;
    if constexpr (kIsBytes<V>) {
      out = v;
    } else if constexpr (std::is_floating_point_v<V>) {
      // Parquet spec: a zero min is written as -0.0 and a zero max as +0.0.
      V x = v;
      if (x == 0) x = is_max ? V(0.0) : -V(0.0);
      out.assign(reinterpret_cast<const char*>(&x), sizeof(V));
    } else if constexpr (std::is_same_v<V, __int128>) {
      append_flba(v, &out);
    } else {
      out.assign(reinterpret_cast<const char*>(&v), sizeof(V));
    }
    return out;
  }

  // A page's or a chunk's statistics: the null count, and min/max when any value was seen.
  format::Statistics statistics_of(const Stats& stats, int64_t nulls) const {
    format::Statistics out;
    out.null_count = nulls;
    if (stats.has) {
      out.min_value = encode_stat(stats.min, false);
      out.max_value = encode_stat(stats.max, true);
    }
    return out;
  }

  void append_flba(__int128 v, std::string* out) const {
    for (int i = flba_width_ - 1; i >= 0; --i) {
      out->push_back(static_cast<char>(static_cast<uint8_t>(v >> (8 * i))));
    }
  }

  void encode_plain_values(std::string* out) const {
    if constexpr (kIsBytes<V>) {
      size_t n = page_value_count();
      out->reserve(out->size() + page_chars_.size() + 4 * n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t len = page_offsets_[i + 1] - page_offsets_[i];
        out->append(reinterpret_cast<const char*>(&len), 4);
        out->append(page_chars_.data() + page_offsets_[i], len);
      }
    } else if constexpr (std::is_same_v<V, uint8_t>) {
      // BOOLEAN PLAIN: bit-packed, least significant bit first.
      size_t n = values_.size();
      size_t at = out->size();
      out->append((n + 7) / 8, '\0');
      for (size_t i = 0; i < n; ++i) {
        if (values_[i]) (*out)[at + i / 8] |= static_cast<char>(1 << (i % 8));
      }
    } else if constexpr (std::is_same_v<V, __int128>) {
      for (__int128 v : values_) append_flba(v, out);
    } else {
      out->append(reinterpret_cast<const char*>(values_.data()), values_.size() * sizeof(V));
    }
  }

  int64_t dictionary_bytes() const {
    if constexpr (kIsBytes<V>) {
      return static_cast<int64_t>(bytes_dictionary_.chars_size() + 4 * bytes_dictionary_.size());
    } else if constexpr (std::is_same_v<V, __int128>) {
      return static_cast<int64_t>(fixed_dictionary_.size()) * flba_width_;
    } else {
      return static_cast<int64_t>(fixed_dictionary_.size() * sizeof(V));
    }
  }

  size_t dictionary_size() const {
    if constexpr (kIsBytes<V>) {
      return bytes_dictionary_.size();
    } else {
      return fixed_dictionary_.size();
    }
  }

  // Encodes the page's values as dictionary indices: a bit-width byte, then the hybrid
  // encoding without a length prefix (Encodings.md, RLE_DICTIONARY). Returns the bytes the
  // indices take packed tight: whole bytes are a favour to the compressor, which takes the
  // padding off again, so the dictionary is weighed against PLAIN without it.
  int64_t encode_dictionary_indices(std::string* out) {
    size_t n = page_value_count();
    indices_.resize(n);
    if constexpr (kIsBytes<V>) {
      for (size_t i = 0; i < n; ++i) indices_[i] = bytes_dictionary_.index_of(page_bytes_at(i));
    } else {
      // A value equal (bit for bit, as the dictionary compares) to the one before it takes its
      // index without a lookup: sorted and grouped columns (dates, ids) repeat in long runs.
      for (size_t i = 0; i < n; ++i) {
        if (i > 0 && std::memcmp(&values_[i], &values_[i - 1], sizeof(V)) == 0) {
          indices_[i] = indices_[i - 1];
        } else {
          indices_[i] = fixed_dictionary_.index_of(values_[i]);
        }
      }
    }
    const int tight = std::max(1, bit_width(dictionary_size() - 1));
    const int width = compressor_->prefers_byte_aligned_indices() ? (tight + 7) / 8 * 8 : tight;
    const size_t at = out->size();
    out->push_back(static_cast<char>(width));
    RleBitPackedEncoder encoder(width, out);
    encoder.put_all(indices_.data(), indices_.size());
    encoder.flush();
    return static_cast<int64_t>(out->size() - at) * tight / width;
  }

  Encoding encode_values(std::string* out) {
    size_t n = page_value_count();
    if (n == 0) return Encoding::PLAIN;  // nothing to encode: every reader takes an empty PLAIN
    if (use_dictionary_) {
      const size_t at = out->size();
      const bool first_page = dictionary_size() == 0;
      const int64_t index_bytes = encode_dictionary_indices(out);
      // A chunk whose first page would be smaller PLAIN (mostly distinct values, such as
      // measurements) skips the dictionary at once instead of filling it to the limit.
      // The dictionary is deliberately not weighed against DELTA_BINARY_PACKED: ids that step
      // (store_id) would be ~5x smaller as DELTA, ~1% of a daily_transactions file, but Spark
      // before 3.3 cannot read DELTA in its vectorized reader, and every reader takes dictionaries.
      if (first_page && dictionary_bytes() + index_bytes >= page_value_bytes()) {
        out->resize(at);
        clear_dictionary();
        use_dictionary_ = false;
        return encode_values(out);
      }
      used_dictionary_ = true;
      // Later pages of this chunk fall back to PLAIN once the dictionary outgrows its limit.
      if (dictionary_bytes() > options_.dictionary_page_limit) use_dictionary_ = false;
      return Encoding::RLE_DICTIONARY;
    }
    if constexpr (std::is_same_v<V, int32_t> || std::is_same_v<V, int64_t>) {
      if (options_.enable_delta) {
        size_t at = out->size();
        if (encode_delta_binary_packed(values_.data(), n, out)) {
          if (out->size() - at < n * sizeof(V)) return Encoding::DELTA_BINARY_PACKED;
          out->resize(at);
        }
      }
    }
    // Where the body is the values as they are, finish_page() compresses them from values_.
    if (!plain_body_is_values()) encode_plain_values(out);
    return Encoding::PLAIN;
  }

  void clear_dictionary() {
    fixed_dictionary_.clear();
    bytes_dictionary_.clear();
  }
  void finish_page();
  // value_width: of the body's values when PLAIN fixed-width, else 0 (PageCompressor::compress).
  void append_page(format::PageHeader header, std::string_view body, size_t value_width,
                   EncodedPage* dest);
  // Whether a PLAIN page's body is the value buffer's bytes as they are (fixed-width numbers,
  // no definition levels before them), so it is compressed from there without a copy.
  bool plain_body_is_values() const {
    return !field_.nullable && !kIsBytes<V> && !std::is_same_v<V, uint8_t> &&
           !std::is_same_v<V, __int128>;
  }
  // The byte width of a PLAIN value, 0 where PLAIN is not fixed-width bytes (strings, booleans).
  size_t plain_value_width() const {
    if constexpr (kIsBytes<V> || std::is_same_v<V, uint8_t>) return 0;
    else if constexpr (std::is_same_v<V, __int128>) return static_cast<size_t>(flba_width_);
    else return sizeof(V);
  }
  void reset_page() {
    page_rows_ = 0;
    def_levels_.clear();
    values_.clear();
    page_offsets_.resize(1);
    page_chars_.clear();
  }
  void reset_chunk();

  const Field field_;
  const WriterOptions& options_;
  const format::Type physical_;
  const int flba_width_;
  std::unique_ptr<PageCompressor> compressor_;
  bool use_dictionary_ = false;
  bool used_dictionary_ = false;
  bool sealed_ = false;          // seal_chunk() ran since the last flush
  EncodedPage dictionary_page_;  // the sealed chunk's encoded dictionary page, if any

  // The page being filled.
  int64_t page_rows_ = 0;
  std::vector<uint8_t> def_levels_;
  std::vector<std::conditional_t<kIsBytes<V>, char, V>> values_;  // fixed-width values
  std::vector<uint32_t> page_offsets_;  // bytes values: offsets into page_chars_
  std::string page_chars_;

  // The chunk so far.
  FixedDictionary<std::conditional_t<kIsBytes<V>, int32_t, V>> fixed_dictionary_;
  ByteArrayDictionary bytes_dictionary_;
  std::vector<uint32_t> indices_;
  PageSequence data_pages_;  // headers and bodies of finished data pages
  std::string body_;        // scratch: the page being encoded
  std::string compressed_;  // scratch: its compressed form
  std::vector<std::string_view> pieces_;  // scratch: the chunk's buffers, in file order
  int64_t chunk_rows_ = 0;
  int64_t chunk_nulls_ = 0;
  int64_t uncompressed_bytes_ = 0;  // of data pages, headers included
  std::vector<Encoding> encodings_;
  Stats chunk_stats_;
  format::ColumnIndex column_index_;
  format::OffsetIndex offset_index_;  // offsets relative to the first data page until flushed
  std::vector<Stats> page_minmax_;  // for the column index's boundary order
  bool index_representable_ = true;
  Status compress_error_;
};

template <typename V>
void TypedColumnWriter<V>::append_page(format::PageHeader header, std::string_view body,
                                       size_t value_width, EncodedPage* dest) {
  if (options_.codec == Codec::kUncompressed) {
    dest->body.assign(body);
  } else {
    // Into the scratch buffer, whose memory is warm, and then copied at its compressed size: a
    // string sized for the compressor's bound is zero-filled to it, so compressing into each
    // page's own buffer faulted in ~15% more memory than the page keeps.
    // A compressor fails only when its library cannot allocate; the error is kept and
    // reported when the chunk is flushed.
    Status st = compressor_->compress(reinterpret_cast<const uint8_t*>(body.data()), body.size(),
                                      value_width, &compressed_);
    if (!st.ok()) compress_error_ = st;
    dest->body.assign(compressed_);
  }
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(dest->body.size());
  dest->header.clear();
  serialize(header, &dest->header);
  uncompressed_bytes_ += static_cast<int64_t>(dest->header.size() + body.size());
}

template <typename V>
void TypedColumnWriter<V>::finish_page() {
  if (page_rows_ == 0) return;
  body_.clear();
  if (field_.nullable) append_levels_v1(def_levels_.data(), def_levels_.size(), 1, &body_);
  Stats stats = page_stats();
  Encoding encoding = encode_values(&body_);
  std::string_view body = body_;
  if (encoding == Encoding::PLAIN && plain_body_is_values()) {
    body = std::string_view(reinterpret_cast<const char*>(values_.data()), values_.size() * sizeof(V));
  }
  if (std::find(encodings_.begin(), encodings_.end(), encoding) == encodings_.end()) {
    encodings_.push_back(encoding);
  }

  int64_t values = static_cast<int64_t>(page_value_count());
  int64_t nulls = page_rows_ - values;

  format::PageHeader header;
  header.type = format::PageType::DATA_PAGE;
  format::DataPageHeader data;
  data.num_values = static_cast<int32_t>(page_rows_);  // Parquet spec: counts nulls too
  data.encoding = encoding;
  if (options_.write_page_statistics) data.statistics = statistics_of(stats, nulls);
  header.data_page_header = std::move(data);

  int64_t offset = static_cast<int64_t>(data_pages_.size());
  EncodedPage* page = data_pages_.next();
  append_page(std::move(header), body, encoding == Encoding::PLAIN ? plain_value_width() : 0,
              page);
  data_pages_.added(page->size());
  offset_index_.page_locations.push_back(
      {offset, static_cast<int32_t>(data_pages_.size() - offset), chunk_rows_});

  // Page index: a page whose non-null values are all NaN has no min/max to offer, and the
  // ColumnIndex has no way to say so but by being left out.
  bool null_page = values == 0;
  if (!null_page && !stats.has) index_representable_ = false;
  column_index_.null_pages.push_back(null_page);
  column_index_.null_counts.push_back(nulls);
  if (stats.has) {
    std::string lo = encode_stat(stats.min, false), hi = encode_stat(stats.max, true);
    if constexpr (kIsBytes<V>) {
      if (lo.size() > kMaxIndexValueBytes) lo.resize(kMaxIndexValueBytes);
      if (hi.size() > kMaxIndexValueBytes) {
        // Round the prefix up: increment its last byte that is not 0xFF, dropping the rest.
        std::string cut = hi.substr(0, kMaxIndexValueBytes);
        while (!cut.empty() && static_cast<uint8_t>(cut.back()) == 0xFF) cut.pop_back();
        if (!cut.empty()) {
          cut.back() = static_cast<char>(static_cast<uint8_t>(cut.back()) + 1);
          hi = std::move(cut);
        }
      }
    }
    column_index_.min_values.push_back(std::move(lo));
    column_index_.max_values.push_back(std::move(hi));
  } else {
    column_index_.min_values.emplace_back();
    column_index_.max_values.emplace_back();
  }
  page_minmax_.push_back(stats);

  chunk_stats_.merge(stats);
  chunk_rows_ += page_rows_;
  chunk_nulls_ += nulls;
  reset_page();
}

// BoundaryOrder over the non-null pages: ascending when mins and maxes never decrease.
template <typename V>
format::BoundaryOrder boundary_order_of(const std::vector<MinMax<V>>& pages) {
  bool ascending = true, descending = true;
  const MinMax<V>* prev = nullptr;
  for (const auto& p : pages) {
    if (!p.has) continue;
    if (prev) {
      if (MinMax<V>::less(p.min, prev->min) || MinMax<V>::less(p.max, prev->max)) ascending = false;
      if (MinMax<V>::less(prev->min, p.min) || MinMax<V>::less(prev->max, p.max)) descending = false;
    }
    prev = &p;
  }
  if (ascending) return format::BoundaryOrder::ASCENDING;
  if (descending) return format::BoundaryOrder::DESCENDING;
  return format::BoundaryOrder::UNORDERED;
}

template <typename V>
Status TypedColumnWriter<V>::seal_chunk() {
  if (sealed_) return Status::OK();
  finish_page();
  SCOUT_RETURN_IF_ERROR(compress_error_);

  // The dictionary page, when any page used the dictionary, goes before the data pages.
  dictionary_page_.clear();
  if (used_dictionary_) {
    body_.clear();
    if constexpr (kIsBytes<V>) {
      for (uint32_t i = 0; i < bytes_dictionary_.size(); ++i) {
        std::string_view e = bytes_dictionary_.entry(i);
        uint32_t len = static_cast<uint32_t>(e.size());
        body_.append(reinterpret_cast<const char*>(&len), 4);
        body_.append(e);
      }
    } else if constexpr (std::is_same_v<V, __int128>) {
      for (__int128 v : fixed_dictionary_.entries()) append_flba(v, &body_);
    } else {
      const auto& entries = fixed_dictionary_.entries();
      body_.append(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof(V));
    }
    format::PageHeader header;
    header.type = format::PageType::DICTIONARY_PAGE;
    format::DictionaryPageHeader dict;
    dict.num_values = static_cast<int32_t>(dictionary_size());
    dict.encoding = Encoding::PLAIN;
    header.dictionary_page_header = dict;
    append_page(std::move(header), body_, plain_value_width(), &dictionary_page_);
    SCOUT_RETURN_IF_ERROR(compress_error_);
  }
  sealed_ = true;
  return Status::OK();
}

template <typename V>
Status TypedColumnWriter<V>::flush_chunk(OutputStream* out, WrittenChunk* written) {
  SCOUT_RETURN_IF_ERROR(seal_chunk());
  const int64_t start = out->position();
  const int64_t data_start = start + static_cast<int64_t>(dictionary_page_.size());
  pieces_.clear();
  if (used_dictionary_) dictionary_page_.append_to(&pieces_);
  data_pages_.append_to(&pieces_);
  SCOUT_RETURN_IF_ERROR(out->write_pieces(pieces_));

  format::ColumnMetaData meta;
  meta.type = physical_;
  if (used_dictionary_) meta.encodings.push_back(Encoding::PLAIN);  // the dictionary page
  if (field_.nullable) meta.encodings.push_back(Encoding::RLE);     // definition levels
  for (Encoding e : encodings_) {
    if (std::find(meta.encodings.begin(), meta.encodings.end(), e) == meta.encodings.end()) {
      meta.encodings.push_back(e);
    }
  }
  meta.path_in_schema = {field_.name};
  meta.codec = to_format_codec(options_.codec);
  meta.num_values = chunk_rows_;
  meta.total_uncompressed_size = uncompressed_bytes_;
  meta.total_compressed_size = out->position() - start;
  meta.data_page_offset = data_start;
  if (used_dictionary_) meta.dictionary_page_offset = start;
  meta.statistics = statistics_of(chunk_stats_, chunk_nulls_);

  written->chunk = format::ColumnChunk{};
  written->chunk.file_offset = start;
  written->chunk.meta_data = std::move(meta);

  for (auto& loc : offset_index_.page_locations) loc.offset += data_start;
  column_index_.boundary_order = boundary_order_of(page_minmax_);
  written->offset_index = std::move(offset_index_);
  written->column_index = std::move(column_index_);
  written->has_column_index = index_representable_;
  reset_chunk();
  return Status::OK();
}

template <typename V>
void TypedColumnWriter<V>::reset_chunk() {
  reset_page();
  clear_dictionary();
  dictionary_page_.clear();
  sealed_ = false;
  use_dictionary_ = options_.enable_dictionary && !std::is_same_v<V, uint8_t>;
  used_dictionary_ = false;
  data_pages_.clear();
  chunk_rows_ = 0;
  chunk_nulls_ = 0;
  uncompressed_bytes_ = 0;
  encodings_.clear();
  chunk_stats_ = Stats{};
  column_index_ = format::ColumnIndex{};
  offset_index_ = format::OffsetIndex{};
  page_minmax_.clear();
  index_representable_ = true;
  // Between row groups the chunk buffer's capacity is kept: the next chunk is about as big.
}

}  // namespace

std::unique_ptr<ColumnWriter> ColumnWriter::make(const Field& field, const WriterOptions& options) {
  switch (physical_type_of(field.type)) {
    case format::Type::BOOLEAN: return std::make_unique<TypedColumnWriter<uint8_t>>(field, options);
    case format::Type::INT32: return std::make_unique<TypedColumnWriter<int32_t>>(field, options);
    case format::Type::INT64: return std::make_unique<TypedColumnWriter<int64_t>>(field, options);
    case format::Type::FLOAT: return std::make_unique<TypedColumnWriter<float>>(field, options);
    case format::Type::DOUBLE: return std::make_unique<TypedColumnWriter<double>>(field, options);
    case format::Type::FIXED_LEN_BYTE_ARRAY:
      return std::make_unique<TypedColumnWriter<__int128>>(field, options);
    case format::Type::BYTE_ARRAY: return std::make_unique<TypedColumnWriter<BytesTag>>(field, options);
    case format::Type::INT96: break;
  }
  return nullptr;
}

}  // namespace scout::parquet

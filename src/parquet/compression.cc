#include "parquet/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <lz4hc.h>
#include <snappy.h>
#include <zlib.h>
// For ZSTD_getCParams, which the shared library exports (see ZstdCompressor).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>

#include "common/compression_levels.h"

namespace scout::parquet {

format::CompressionCodec to_format_codec(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return format::CompressionCodec::UNCOMPRESSED;
    case Codec::kSnappy: return format::CompressionCodec::SNAPPY;
    case Codec::kGzip: return format::CompressionCodec::GZIP;
    case Codec::kLz4: return format::CompressionCodec::LZ4_RAW;
    case Codec::kBrotli: return format::CompressionCodec::BROTLI;
    case Codec::kZstd: return format::CompressionCodec::ZSTD;
  }
  return format::CompressionCodec::UNCOMPRESSED;
}

namespace {

// Resizes without caring about the old content; the compressors overwrite it.
void resize_for(std::string* out, size_t bound) {
  if (out->capacity() < bound) out->reserve(bound);
  out->resize(bound);
}

class CopyCompressor final : public PageCompressor {
 public:
  Status compress(const uint8_t* data, size_t size, size_t /*value_width*/, std::string* out) override {
    out->assign(reinterpret_cast<const char*>(data), size);
    return Status::OK();
  }
};

class SnappyCompressor final : public PageCompressor {
 public:
  Status compress(const uint8_t* data, size_t size, size_t /*value_width*/, std::string* out) override {
    resize_for(out, snappy::MaxCompressedLength(size));
    size_t n = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(data), size, out->data(), &n);
    out->resize(n);
    return Status::OK();
  }
};

// GZIP (RFC 1952), not zlib and not raw deflate: windowBits 15 + 16 asks zlib for the gzip
// wrapper. The stream is reset between pages so the state is allocated once.
class GzipCompressor final : public PageCompressor {
 public:
  explicit GzipCompressor(int level) {
    std::memset(&stream_, 0, sizeof stream_);
    ok_ = deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipCompressor() override {
    if (ok_) deflateEnd(&stream_);
  }
  Status compress(const uint8_t* data, size_t size, size_t /*value_width*/, std::string* out) override {
    if (!ok_) return Status::Internal("zlib could not initialise a gzip stream");
    deflateReset(&stream_);
    resize_for(out, deflateBound(&stream_, size) + 32);
    stream_.next_in = const_cast<Bytef*>(data);
    stream_.avail_in = static_cast<uInt>(size);
    stream_.next_out = reinterpret_cast<Bytef*>(out->data());
    stream_.avail_out = static_cast<uInt>(out->size());
    int rc = deflate(&stream_, Z_FINISH);
    if (rc != Z_STREAM_END) return Status::Internal("gzip compression failed (zlib " + std::to_string(rc) + ")");
    out->resize(stream_.total_out);
    return Status::OK();
  }

 private:
  z_stream stream_;
  bool ok_ = false;
};

// LZ4_RAW: the LZ4 block format with no framing. Levels above 1 use the HC compressor.
class Lz4Compressor final : public PageCompressor {
 public:
  explicit Lz4Compressor(int level) : level_(level) {}
  Status compress(const uint8_t* data, size_t size, size_t /*value_width*/, std::string* out) override {
    if (size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return Status::Invalid("page too large for LZ4");
    resize_for(out, static_cast<size_t>(LZ4_compressBound(static_cast<int>(size))));
    int n = level_ > 1 ? LZ4_compress_HC(reinterpret_cast<const char*>(data), out->data(),
                                         static_cast<int>(size), static_cast<int>(out->size()), level_)
                       : LZ4_compress_default(reinterpret_cast<const char*>(data), out->data(),
                                              static_cast<int>(size), static_cast<int>(out->size()));
    if (n <= 0 && size > 0) return Status::Internal("LZ4 compression failed");
    out->resize(static_cast<size_t>(n));
    return Status::OK();
  }

 private:
  int level_;
};

class ZstdCompressor final : public PageCompressor {
 public:
  explicit ZstdCompressor(int level) : level_(level), ctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level);
  }
  ~ZstdCompressor() override { ZSTD_freeCCtx(ctx_); }
  Status compress(const uint8_t* data, size_t size, size_t /*value_width*/, std::string* out) override {
    // zstd sizes its parameters to the input: for inputs over 256 KiB level 1 asks matches of
    // 7 bytes, which misses the 6-byte repeats in the mantissas of decimal-valued doubles (a
    // 400 KiB page of prices: 78% of its size, against 54% with 6; level 2 itself uses 6).
    // Such pages get 6; smaller ones keep zstd's own choice (0).
    const unsigned chosen = ZSTD_getCParams(level_, size, 0).minMatch;
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_minMatch,
                           chosen > kMaxMinMatch ? static_cast<int>(kMaxMinMatch) : 0);
    resize_for(out, ZSTD_compressBound(size));
    size_t n = ZSTD_compress2(ctx_, out->data(), out->size(), data, size);
    if (ZSTD_isError(n)) return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
    out->resize(n);
    return Status::OK();
  }

 private:
  static constexpr unsigned kMaxMinMatch = 6;
  const int level_;
  ZSTD_CCtx* ctx_;
};

class BrotliCompressor final : public PageCompressor {
 public:
  explicit BrotliCompressor(int level) : level_(level) {}
  Status compress(const uint8_t* data, size_t size, size_t value_width, std::string* out) override {
    size_t n = BrotliEncoderMaxCompressedSize(size);
    if (n == 0) n = size + 1024;
    resize_for(out, n);
    // The one-shot BrotliEncoderCompress takes no distance parameters, hence a state per page
    // (which the one-shot call makes too).
    std::unique_ptr<BrotliEncoderState, decltype(&BrotliEncoderDestroyInstance)> state(
        BrotliEncoderCreateInstance(nullptr, nullptr, nullptr), &BrotliEncoderDestroyInstance);
    if (!state) return Status::Internal("brotli could not allocate its state");
    BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_QUALITY, static_cast<uint32_t>(level_));
    BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_SIZE_HINT,
                              static_cast<uint32_t>(std::min<size_t>(size, 1u << 30)));
    // Fixed-width values repeat at distances that are multiples of their width. Postfix bits
    // give such distances their own cheap codes: on pages of prices (doubles) 8% smaller,
    // on PLAIN int32 pages 8%, at no cost in time.
    BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_NPOSTFIX, distance_postfix_bits(value_width));
    size_t available_in = size, available_out = n;
    const uint8_t* next_in = data;
    uint8_t* next_out = reinterpret_cast<uint8_t*>(out->data());
    if (BrotliEncoderCompressStream(state.get(), BROTLI_OPERATION_FINISH, &available_in, &next_in,
                                    &available_out, &next_out, nullptr) &&
        BrotliEncoderIsFinished(state.get())) {
      out->resize(n - available_out);
      return Status::OK();
    }
    // The one-shot call falls back to an uncompressed brotli stream where the streaming
    // encoder could not finish within the bound; it stays the last resort.
    n = out->size();
    if (!BrotliEncoderCompress(level_, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, size, data, &n,
                               reinterpret_cast<uint8_t*>(out->data()))) {
      return Status::Internal("brotli compression failed");
    }
    out->resize(n);
    return Status::OK();
  }

  // daily_transactions, 500,000 rows, at 11: store_id and device_id 146 KB -> 39 KB,
  // transaction_count and unique_customers (random indices) 5% smaller; at 5 the random
  // ones grow 10%, and snappy and lz4 files grow 3%.
  bool prefers_byte_aligned_indices() const override { return level_ >= 10; }

 private:
  // log2 of the largest power of two that divides the width, at most 3 (NPOSTFIX, RFC 7932 section 4).
  static uint32_t distance_postfix_bits(size_t value_width) {
    if (value_width == 0) return 0;
    return static_cast<uint32_t>(std::min(std::countr_zero(value_width), 3));
  }

  int level_;
};

}  // namespace

// Each codec's default level, and why, is in the table (common/compression_levels.h).
std::unique_ptr<PageCompressor> PageCompressor::make(Codec codec, int level) {
  switch (codec) {
    case Codec::kUncompressed: return std::make_unique<CopyCompressor>();
    case Codec::kSnappy: return std::make_unique<SnappyCompressor>();
    case Codec::kGzip:
      return std::make_unique<GzipCompressor>(levels_of(Codec::kGzip).for_parquet(level));
    case Codec::kLz4:
      return std::make_unique<Lz4Compressor>(levels_of(Codec::kLz4).for_parquet(level));
    case Codec::kZstd:
      return std::make_unique<ZstdCompressor>(levels_of(Codec::kZstd).for_parquet(level));
    case Codec::kBrotli:
      return std::make_unique<BrotliCompressor>(levels_of(Codec::kBrotli).for_parquet(level));
  }
  return std::make_unique<CopyCompressor>();
}

Status decompress_page(Codec codec, std::string_view in, size_t uncompressed_size, std::string* out) {
  // A page never exceeds 2 GiB; refusing larger claims keeps garbage from allocating.
  if (uncompressed_size > (1ULL << 31)) return Status::Corruption("page claims over 2 GiB");
  out->resize(uncompressed_size);
  auto mismatch = [&](const char* name) {
    return Status::Corruption(std::string(name) + " page does not expand to its stated size " +
                              std::to_string(uncompressed_size));
  };
  switch (codec) {
    case Codec::kUncompressed:
      if (in.size() != uncompressed_size) return mismatch("uncompressed");
      std::memcpy(out->data(), in.data(), in.size());
      return Status::OK();
    case Codec::kSnappy: {
      size_t n = 0;
      if (!snappy::GetUncompressedLength(in.data(), in.size(), &n) || n != uncompressed_size ||
          !snappy::RawUncompress(in.data(), in.size(), out->data())) {
        return mismatch("snappy");
      }
      return Status::OK();
    }
    case Codec::kGzip: {
      z_stream s;
      std::memset(&s, 0, sizeof s);
      if (inflateInit2(&s, 15 + 16) != Z_OK) return Status::Internal("zlib init failed");
      s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      s.avail_in = static_cast<uInt>(in.size());
      s.next_out = reinterpret_cast<Bytef*>(out->data());
      s.avail_out = static_cast<uInt>(out->size());
      int rc = inflate(&s, Z_FINISH);
      size_t n = s.total_out;
      inflateEnd(&s);
      if (rc != Z_STREAM_END || n != uncompressed_size) return mismatch("gzip");
      return Status::OK();
    }
    case Codec::kLz4: {
      int n = LZ4_decompress_safe(in.data(), out->data(), static_cast<int>(in.size()),
                                  static_cast<int>(out->size()));
      if (n < 0 || static_cast<size_t>(n) != uncompressed_size) return mismatch("lz4");
      return Status::OK();
    }
    case Codec::kZstd: {
      size_t n = ZSTD_decompress(out->data(), out->size(), in.data(), in.size());
      if (ZSTD_isError(n) || n != uncompressed_size) return mismatch("zstd");
      return Status::OK();
    }
    case Codec::kBrotli: {
      size_t n = out->size();
      if (BrotliDecoderDecompress(in.size(), reinterpret_cast<const uint8_t*>(in.data()), &n,
                                  reinterpret_cast<uint8_t*>(out->data())) != BROTLI_DECODER_RESULT_SUCCESS ||
          n != uncompressed_size) {
        return mismatch("brotli");
      }
      return Status::OK();
    }
  }
  return Status::Invalid("unknown codec");
}

}  // namespace scout::parquet

#include "export/compressed_output.h"

#include <brotli/encode.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/compression_levels.h"

namespace scout {

const char* stream_codec_extension(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed:
    case Codec::kSnappy: return "";
    case Codec::kGzip: return ".gz";
    case Codec::kZstd: return ".zst";
    case Codec::kBrotli: return ".br";
    case Codec::kLz4: return ".lz4";
  }
  return "";
}

namespace {

constexpr size_t kChunk = 256 << 10;

// Shared plumbing: the codec fills `out_`, which is written to the inner stream.
class CompressingStream : public OutputStream {
 public:
  explicit CompressingStream(std::unique_ptr<OutputStream> inner) : inner_(std::move(inner)) {
    out_.resize(kChunk);
  }
  int64_t position() const override { return inner_->position(); }
  Status close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    SCOUT_RETURN_IF_ERROR(finish());
    return inner_->close();
  }

 protected:
  virtual Status finish() = 0;
  Status emit(size_t n) { return n ? inner_->write(out_.data(), n) : Status::OK(); }

  std::unique_ptr<OutputStream> inner_;
  std::vector<char> out_;
  bool closed_ = false;
};

class GzipStream final : public CompressingStream {
 public:
  GzipStream(std::unique_ptr<OutputStream> inner, int level) : CompressingStream(std::move(inner)) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipStream() override {
    if (ok_) deflateEnd(&z_);
  }
  Status write(const void* data, size_t size) override { return pump(data, size, Z_NO_FLUSH); }

 private:
  Status finish() override { return pump(nullptr, 0, Z_FINISH); }
  Status pump(const void* data, size_t size, int flush) {
    if (!ok_) return Status::Internal("zlib could not start a gzip stream");
    z_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z_.avail_in = static_cast<uInt>(size);
    while (true) {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = static_cast<uInt>(out_.size());
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return Status::Internal("gzip stream error");
      SCOUT_RETURN_IF_ERROR(emit(out_.size() - z_.avail_out));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
    return Status::OK();
  }
  z_stream z_;
  bool ok_ = false;
};

class ZstdStream final : public CompressingStream {
 public:
  ZstdStream(std::unique_ptr<OutputStream> inner, int level)
      : CompressingStream(std::move(inner)), ctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level);
  }
  ~ZstdStream() override { ZSTD_freeCCtx(ctx_); }
  Status write(const void* data, size_t size) override { return pump(data, size, ZSTD_e_continue); }

 private:
  Status finish() override { return pump(nullptr, 0, ZSTD_e_end); }
  Status pump(const void* data, size_t size, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data, size, 0};
    while (true) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      size_t left = ZSTD_compressStream2(ctx_, &out, &in, mode);
      if (ZSTD_isError(left)) return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(left));
      SCOUT_RETURN_IF_ERROR(emit(out.pos));
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
    }
    return Status::OK();
  }
  ZSTD_CCtx* ctx_;
};

class BrotliStream final : public CompressingStream {
 public:
  BrotliStream(std::unique_ptr<OutputStream> inner, int level)
      : CompressingStream(std::move(inner)), state_(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)) {
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_QUALITY, static_cast<uint32_t>(level));
  }
  ~BrotliStream() override { BrotliEncoderDestroyInstance(state_); }
  Status write(const void* data, size_t size) override { return pump(data, size, BROTLI_OPERATION_PROCESS); }

 private:
  Status finish() override { return pump(nullptr, 0, BROTLI_OPERATION_FINISH); }
  Status pump(const void* data, size_t size, BrotliEncoderOperation op) {
    const uint8_t* next_in = static_cast<const uint8_t*>(data);
    size_t avail_in = size;
    while (true) {
      uint8_t* next_out = reinterpret_cast<uint8_t*>(out_.data());
      size_t avail_out = out_.size();
      if (!BrotliEncoderCompressStream(state_, op, &avail_in, &next_in, &avail_out, &next_out, nullptr)) {
        return Status::Internal("brotli stream error");
      }
      SCOUT_RETURN_IF_ERROR(emit(out_.size() - avail_out));
      bool done = op == BROTLI_OPERATION_FINISH ? BrotliEncoderIsFinished(state_)
                                                : (avail_in == 0 && !BrotliEncoderHasMoreOutput(state_));
      if (done) break;
    }
    return Status::OK();
  }
  BrotliEncoderState* state_;
};

class Lz4FrameStream final : public CompressingStream {
 public:
  Lz4FrameStream(std::unique_ptr<OutputStream> inner, int level) : CompressingStream(std::move(inner)) {
    LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION);
    std::memset(&prefs_, 0, sizeof prefs_);
    prefs_.compressionLevel = level;
    prefs_.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  }
  ~Lz4FrameStream() override { LZ4F_freeCompressionContext(ctx_); }
  Status write(const void* data, size_t size) override {
    SCOUT_RETURN_IF_ERROR(begin());
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      size_t n = std::min(size, kChunk);
      ensure(LZ4F_compressBound(n, &prefs_));
      size_t w = LZ4F_compressUpdate(ctx_, out_.data(), out_.size(), p, n, nullptr);
      if (LZ4F_isError(w)) return Status::Internal(std::string("lz4: ") + LZ4F_getErrorName(w));
      SCOUT_RETURN_IF_ERROR(emit(w));
      p += n;
      size -= n;
    }
    return Status::OK();
  }

 private:
  void ensure(size_t n) {
    if (out_.size() < n) out_.resize(n);
  }
  Status begin() {
    if (started_) return Status::OK();
    started_ = true;
    ensure(LZ4F_HEADER_SIZE_MAX);
    size_t w = LZ4F_compressBegin(ctx_, out_.data(), out_.size(), &prefs_);
    if (LZ4F_isError(w)) return Status::Internal(std::string("lz4: ") + LZ4F_getErrorName(w));
    return emit(w);
  }
  Status finish() override {
    SCOUT_RETURN_IF_ERROR(begin());
    ensure(LZ4F_compressBound(0, &prefs_));
    size_t w = LZ4F_compressEnd(ctx_, out_.data(), out_.size(), nullptr);
    if (LZ4F_isError(w)) return Status::Internal(std::string("lz4: ") + LZ4F_getErrorName(w));
    return emit(w);
  }
  LZ4F_cctx* ctx_ = nullptr;
  LZ4F_preferences_t prefs_;
  bool started_ = false;
};

}  // namespace

Result<std::unique_ptr<OutputStream>> make_compressed_output(Codec codec, int level,
                                                             std::unique_ptr<OutputStream> inner) {
  switch (codec) {
    case Codec::kUncompressed: return inner;
    case Codec::kSnappy: break;
    case Codec::kGzip:
      return std::unique_ptr<OutputStream>(
          new GzipStream(std::move(inner), levels_of(Codec::kGzip).for_stream(level)));
    case Codec::kZstd:
      return std::unique_ptr<OutputStream>(
          new ZstdStream(std::move(inner), levels_of(Codec::kZstd).for_stream(level)));
    case Codec::kBrotli:
      return std::unique_ptr<OutputStream>(
          new BrotliStream(std::move(inner), levels_of(Codec::kBrotli).for_stream(level)));
    case Codec::kLz4:
      return std::unique_ptr<OutputStream>(
          new Lz4FrameStream(std::move(inner), levels_of(Codec::kLz4).for_stream(level)));
  }
  // parse_compression, which decides what each format takes, never gives csv or json snappy.
  return Status::Invalid(std::string(codec_name(codec)) + " has no whole-file stream format");
}

}  // namespace scout

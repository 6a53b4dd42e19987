#include "read/zstd_stream.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <new>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"

namespace tweet_loader {

namespace {

class ZstdStream : public ByteStream {
 public:
  ZstdStream(ReadFn raw, size_t buffer_size)
      : raw_(std::move(raw)), in_(buffer_size) {
    dctx_.reset(ZSTD_createDCtx());
    if (!dctx_) throw std::bad_alloc();
  }

  size_t read(char* out, size_t cap) override {
    ZSTD_outBuffer o = {out, cap, 0};
    while (o.pos < o.size && !done_) {
      if (pos_ == len_) {
        len_ = raw_(in_.data(), in_.size());
        pos_ = 0;
        if (len_ == 0) {
          // A frame begun and not finished: the stream was cut short.
          if (pending_ != 0)
            throw LoadError(ErrorKind::kCorruptFile,
                            "zstd stream is truncated");
          done_ = true;
          break;
        }
      }
      ZSTD_inBuffer i = {in_.data(), len_, pos_};
      size_t rc = ZSTD_decompressStream(dctx_.get(), &o, &i);
      pos_ = i.pos;
      if (ZSTD_isError(rc)) {
        if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation)
          throw std::bad_alloc();
        throw LoadError(ErrorKind::kCorruptFile,
                        std::string("zstd stream is corrupt: ") +
                            ZSTD_getErrorName(rc));
      }
      pending_ = rc;  // 0: a frame has just ended
    }
    return o.pos;
  }

 private:
  struct Free {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
  };
  ReadFn raw_;
  std::vector<unsigned char> in_;
  size_t pos_ = 0, len_ = 0;
  size_t pending_ = 0;
  bool done_ = false;
  std::unique_ptr<ZSTD_DCtx, Free> dctx_;
};

}  // namespace

std::unique_ptr<ByteStream> open_zstd_stream(ReadFn raw, size_t buffer_size) {
  return std::unique_ptr<ByteStream>(new ZstdStream(std::move(raw), buffer_size));
}

}  // namespace tweet_loader

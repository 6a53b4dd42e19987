// Reading the members of a zip archive in central directory order, as
// `unzip -p` does. The central directory is read and checked up front;
// each member is then streamed (stored or deflated) and its CRC-32 and
// uncompressed size are checked against the central directory. Zip64
// archives are supported. Input comes from a positional read callback, so
// this class knows nothing about files.
#pragma once

#include <isa-l/igzip_lib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tweet_loader {

class ZipArchive {
 public:
  // Reads up to n bytes at offset into buf and returns how many; fewer than
  // n only at the end of the file. Reports I/O errors by throwing.
  using PreadFn = std::function<size_t(void* buf, size_t n, uint64_t offset)>;

  // Reads the central directory. Throws LoadError(kCorruptFile) when it is
  // missing or broken, and when a member cannot be read: a directory
  // entry, an encrypted member, an unsupported compression method.
  ZipArchive(PreadFn pread, uint64_t file_size, size_t buffer_size);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Starts the next member; false when every member has been read.
  bool next_member();
  // Whether the current member is a file: a folder's own entry, as zip -r
  // writes, holds no data.
  bool member_is_file() const { return cur_ != nullptr && !cur_->directory; }
  // Its uncompressed size, as the central directory gives it.
  uint64_t member_size() const { return cur_ != nullptr ? cur_->usize : 0; }
  // Name of the current member. Bytes that are not printable UTF-8 are
  // replaced by '?', so the name is safe in messages.
  const std::string& member_name() const { return name_; }

  // Writes up to cap bytes of the current member to out and returns how
  // many; 0 at the member's end, after its CRC-32 and size were checked.
  size_t read(char* out, size_t cap);

  // File offset up to which member data has been consumed (for progress).
  uint64_t position() const { return pos_; }

 private:
  struct Entry {
    std::string name;
    std::string raw_name;  // as the central directory has it
    uint16_t flags = 0;
    bool directory = false;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t csize = 0, usize = 0, offset = 0;
  };

  struct DirectoryEnd {
    uint64_t count, size, offset;
  };
  DirectoryEnd read_directory_end(uint64_t file_size);
  void read_central_directory(uint64_t file_size);
  size_t read_entry(const std::vector<unsigned char>& cd, size_t p,
                    uint64_t k);
  void read_exact(void* buf, size_t n, uint64_t offset, const char* what);
  size_t inflate_some(char* out, size_t cap);
  void check_local_header(const unsigned char* lh,
                          const std::string& name_extra,
                          size_t name_len) const;
  void finish_member();
  [[noreturn]] void member_error(const std::string& what) const;

  PreadFn pread_;
  uint64_t file_size_;
  uint64_t cd_off_ = 0;  // member data must end before the directory
  std::vector<Entry> entries_;
  size_t next_ = 0;  // index of the next member to start
  const Entry* cur_ = nullptr;
  std::string name_;
  uint64_t pos_ = 0;        // file offset of the next compressed byte
  uint64_t remaining_ = 0;  // compressed bytes of the member not yet read
  uint64_t produced_ = 0;   // uncompressed bytes of the member so far
  uint32_t crc_ = 0;
  bool stream_end_ = false;  // deflate stream of the member has ended
  bool member_done_ = true;

  std::unique_ptr<unsigned char[]> in_;
  size_t in_cap_;
  std::unique_ptr<inflate_state> zs_;  // ISA-L's, about 40 kB
};

}  // namespace tweet_loader

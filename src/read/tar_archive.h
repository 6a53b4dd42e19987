// Reading the members of a tar archive (ustar, pax, GNU; whole-file gzip,
// bzip2, xz or zstd around it too) in archive order, with libarchive.
// Input comes from a read callback, so this class knows nothing about files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "read/byte_stream.h"

namespace tweet_loader {

class TarArchive {
 public:
  // Throws LoadError(kCorruptFile) when raw is no tar archive libarchive
  // can read, and from next_member() and read():
  //   tar archive is truncated
  //   tar archive is corrupt: <libarchive message>
  TarArchive(ReadFn raw, size_t buffer_size);
  ~TarArchive();
  TarArchive(const TarArchive&) = delete;
  TarArchive& operator=(const TarArchive&) = delete;

  // Starts the next entry; false after the last one.
  bool next_member();
  // Name of the current entry, made printable as zip member names are.
  const std::string& member_name() const { return name_; }
  // Whether the entry is a regular file: directories, links, devices and
  // FIFOs carry no data to load.
  bool member_is_file() const { return is_file_; }
  // Its size as the header gives it.
  uint64_t member_size() const { return size_; }

  // Writes up to cap bytes of the current entry to out and returns how
  // many; 0 at its end. The rest of an entry not read is skipped by
  // next_member().
  size_t read(char* out, size_t cap);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
  bool is_file_ = false;
  uint64_t size_ = 0;
};

}  // namespace tweet_loader

// The decompressed data of a tweet file, member by member, in pieces.
//
// A file is a single stream (plain, gzip, bzip2, xz or zstd) or an archive
// (zip; tar, itself maybe compressed as a whole), told apart by its first
// bytes, never by its name. An archive's members may be plain or compressed
// in any of these ways. Entries that are not files (directories, links,
// devices) and members whose base name starts with '.' (editor and NFS
// leftovers) are skipped and counted; a member that is itself an archive is
// a bad member.
//
// An archive member is handed over whole when it holds up to
// kMemberBuffer bytes and whole_members is set: a member that turns out
// corrupt or truncated is then reported before any of its lines, so a load
// may skip it entirely. Else it comes in pieces as it is decompressed, so
// that its lines are read while the rest is decompressed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "errors.h"

namespace tweet_loader {

// A larger member is handed over in pieces as it is decompressed. Fuzz
// builds make it small, to reach the pieces with small inputs.
#ifndef TWEET_LOADER_MEMBER_BUFFER
#define TWEET_LOADER_MEMBER_BUFFER (32 * 1024 * 1024)
#endif
constexpr size_t kMemberBuffer = TWEET_LOADER_MEMBER_BUFFER;

// Which members to read: those whose index in the archive (every entry
// counted, from 0) is part - 1 modulo parts. A single stream is index 0.
struct ReadOptions {
  unsigned part = 1;
  unsigned parts = 1;
  // Threads that decompress ahead of the caller (read_ahead.h); 0: the
  // caller decompresses as it reads.
  unsigned threads = 0;
  // Archive members of up to kMemberBuffer bytes handed over whole (for a
  // load that skips bad members).
  bool whole_members = true;
};

struct Piece {
  std::string data;    // decompressed bytes
  std::string member;  // member name; empty for a single stream
  bool first = false;  // first piece of its member
  bool last = false;   // last piece of its member
  bool end = false;    // after the last member: no data, counts are final
  // A member that could not be read: why. skippable when none of its data
  // was handed over before, so that skipping it leaves nothing of it.
  bool bad = false;
  bool skippable = false;
  ErrorKind error_kind = ErrorKind::kCorruptFile;
  std::string error;
  uint64_t bytes_read = 0;       // of the file, so far
  uint64_t skipped_members = 0;  // so far
};

// Members whose stored (maybe compressed) bytes are at most this size may
// be read into memory whole, to be decompressed in any thread.
constexpr size_t kRawInMemory = 16 * 1024 * 1024;

class MemberSource;

// One member (or the single stream) being decompressed, piece by piece.
class MemberJob {
 public:
  ~MemberJob();
  MemberJob(const MemberJob&) = delete;
  MemberJob& operator=(const MemberJob&) = delete;

  // The member's next piece into *piece; its final piece has last or bad
  // set. Errors of a member come as a bad piece; errors of the file as a
  // whole are thrown as LoadError.
  void next_piece(Piece* piece);
  // Whether the member's stored bytes are in memory: its pieces may then be
  // made in any thread, alongside other members'. Otherwise they are read
  // from the file, and no other member may be started before this one's
  // final piece.
  bool in_memory() const;

 private:
  friend class MemberSource;
  MemberJob();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class MemberSource {
 public:
  // Opens path. Throws LoadError when it cannot be read:
  //   could not open file "<path>" for reading: <strerror>
  //                         (kFileMissing, kNoPermission or kFileIo)
  //   "<path>" is a directory              (kNotAFile)
  //   "<path>" is not a regular file       (kNotAFile: a FIFO, a device)
  // and LoadError(kCorruptFile) for a broken zip central directory or a
  // compressed stream whose start is already corrupt.
  MemberSource(const std::string& path, const ReadOptions& options);
  ~MemberSource();
  MemberSource(const MemberSource&) = delete;
  MemberSource& operator=(const MemberSource&) = delete;

  // The next member of this part, or null after the last one: *end is then
  // the end piece, with the final counts. With in_memory, an archive
  // member of at most kRawInMemory stored bytes is read into memory whole.
  // Throws LoadError for an error of the file as a whole (a truncated tar,
  // a read error).
  std::unique_ptr<MemberJob> next_member(bool in_memory, Piece* end);

  // The next piece, member after member, read here in order.
  void next(Piece* piece);

  uint64_t file_size() const;
  // Whether there is decompression to do (worth a thread of its own).
  bool compressed() const;

 private:
  friend class MemberJob;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<MemberJob> current_;  // of next()
};

}  // namespace tweet_loader

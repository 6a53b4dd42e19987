// Decompression ahead of the reader, in threads of their own: while the
// backend parses and inserts one piece, the next members are being
// decompressed on the other cores. Archive members small enough are read
// into memory one at a time and decompressed side by side, each by one
// thread; other members and single streams are decompressed by one thread,
// piece after piece. Pieces are handed over in order. The threads run only
// plain C++ (MemberSource) and call no Postgres function; they have every
// signal blocked, so the backend's signal handlers run in the backend's own
// thread.
#pragma once

#include <memory>

#include "read/member_source.h"

namespace tweet_loader {

class ReadAhead {
 public:
  // Starts threads threads (at least 1), which read source until it ends
  // or fails.
  ReadAhead(std::unique_ptr<MemberSource> source, unsigned threads);
  // Stops the threads (after the piece each is decompressing) and waits
  // for them.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next piece, as MemberSource::next gives it; its exceptions are
  // thrown here, in the caller's thread.
  void next(Piece* piece);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tweet_loader

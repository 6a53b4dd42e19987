// Decompression ahead of the reader, in a thread of its own: while the
// backend parses and inserts one piece, the next is being decompressed on
// another core. The thread runs only plain C++ (MemberSource) and calls no
// Postgres function; it has every signal blocked, so the backend's signal
// handlers run in the backend's own thread.
#pragma once

#include <memory>

#include "read/member_source.h"

namespace tweet_loader {

class ReadAhead {
 public:
  // Starts the thread, which reads source until it ends or fails.
  explicit ReadAhead(std::unique_ptr<MemberSource> source);
  // Stops the thread (after the piece it is decompressing) and waits for it.
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

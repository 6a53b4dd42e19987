#include "read/read_ahead.h"

#include <signal.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace tweet_loader {

namespace {

// Pieces a member may have made and not yet handed over.
constexpr size_t kQueuedPieces = 2;

}  // namespace

struct ReadAhead::Impl {
  // The pieces of one member, in order.
  struct Slot {
    std::deque<Piece> pieces;
    bool finished = false;  // its final piece is in pieces (or was taken)
    std::exception_ptr failure;  // the file failed here
  };

  std::unique_ptr<MemberSource> source;
  unsigned threads = 1;
  std::mutex mu;
  std::condition_variable changed;
  std::map<uint64_t, Slot> slots;  // by member number
  uint64_t next_slot = 0;          // number of the next member started
  uint64_t head = 0;               // member the reader is on
  bool reading = false;  // a thread is reading the file (starting a member,
                         // or a member that is not in memory)
  bool source_done = false;  // no member left to start
  bool stop = false;         // the reader is gone
  std::vector<std::thread> workers;

  // Adds piece to slot n, waiting while n has kQueuedPieces waiting. False
  // when the reader is gone.
  bool put(uint64_t n, Piece&& piece) {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [&] {
      return stop || slots[n].pieces.size() < kQueuedPieces;
    });
    if (stop) return false;
    Slot& slot = slots[n];
    slot.finished = piece.last || piece.bad || piece.end;
    slot.pieces.push_back(std::move(piece));
    changed.notify_all();
    return true;
  }

  void fail(uint64_t n, std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu);
    slots[n].failure = std::move(e);
    slots[n].finished = true;
    source_done = true;
    reading = false;
    changed.notify_all();
  }

  void run() {
    for (;;) {
      uint64_t n;
      {
        std::unique_lock<std::mutex> lock(mu);
        // At most threads + 1 members ahead of the reader.
        changed.wait(lock, [&] {
          return stop || source_done ||
                 (!reading && next_slot - head <= threads);
        });
        if (stop || source_done) return;
        reading = true;
        n = next_slot++;
        slots[n];
      }
      std::unique_ptr<MemberJob> job;
      Piece piece;
      try {
        job = source->next_member(true, &piece);
      } catch (...) {
        fail(n, std::current_exception());
        return;
      }
      if (!job) {
        {
          std::lock_guard<std::mutex> lock(mu);
          source_done = true;
          reading = false;
        }
        put(n, std::move(piece));
        return;
      }
      if (job->in_memory()) {
        // The file is free for the next member while this one is
        // decompressed.
        std::lock_guard<std::mutex> lock(mu);
        reading = false;
        changed.notify_all();
      }
      bool more = true;
      while (more) {
        try {
          job->next_piece(&piece);
        } catch (...) {
          fail(n, std::current_exception());
          return;
        }
        more = !(piece.last || piece.bad);
        if (!put(n, std::move(piece))) return;
      }
      if (!job->in_memory()) {
        std::lock_guard<std::mutex> lock(mu);
        reading = false;
        changed.notify_all();
      }
    }
  }
};

ReadAhead::ReadAhead(std::unique_ptr<MemberSource> source, unsigned threads)
    : impl_(new Impl) {
  impl_->source = std::move(source);
  impl_->threads = threads < 1 ? 1 : threads;
  // Threads inherit the signal mask in force when they are created.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    for (unsigned i = 0; i < impl_->threads; ++i)
      impl_->workers.emplace_back([this] { impl_->run(); });
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      impl_->stop = true;
      impl_->changed.notify_all();
    }
    for (std::thread& t : impl_->workers) t.join();
    throw;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
    impl_->changed.notify_all();
  }
  for (std::thread& t : impl_->workers) t.join();
}

void ReadAhead::next(Piece* piece) {
  Impl& s = *impl_;
  std::unique_lock<std::mutex> lock(s.mu);
  s.changed.wait(lock, [&] {
    auto it = s.slots.find(s.head);
    return it != s.slots.end() &&
           (!it->second.pieces.empty() || it->second.failure);
  });
  Impl::Slot& slot = s.slots[s.head];
  if (slot.pieces.empty()) std::rethrow_exception(slot.failure);
  if (slot.pieces.front().end) {  // stays, for any later call
    *piece = slot.pieces.front();
    return;
  }
  *piece = std::move(slot.pieces.front());
  slot.pieces.pop_front();
  // A failure stays, to be thrown after the pieces before it.
  if (slot.finished && slot.pieces.empty() && !slot.failure) {
    s.slots.erase(s.head);
    s.head++;
  }
  s.changed.notify_all();
}

}  // namespace tweet_loader

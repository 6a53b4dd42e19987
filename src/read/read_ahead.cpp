#include "read/read_ahead.h"

#include <signal.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

namespace tweet_loader {

namespace {

// Pieces decompressed ahead: with at most kMemberBuffer each, a bound on
// the memory the thread holds.
constexpr size_t kAhead = 2;

}  // namespace

struct ReadAhead::Impl {
  std::unique_ptr<MemberSource> source;
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Piece> queue;
  std::exception_ptr failure;  // the thread's exception, after the pieces
  bool stop = false;           // the reader is gone
  bool done = false;           // the thread has given its last piece
  std::thread thread;

  void run() {
    for (;;) {
      Piece piece;
      try {
        source->next(&piece);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        failure = std::current_exception();
        done = true;
        changed.notify_all();
        return;
      }
      const bool end = piece.end;
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return stop || queue.size() < kAhead; });
      if (stop) return;
      queue.push_back(std::move(piece));
      if (end) done = true;
      changed.notify_all();
      if (end) return;
    }
  }
};

ReadAhead::ReadAhead(std::unique_ptr<MemberSource> source) : impl_(new Impl) {
  impl_->source = std::move(source);
  // The thread inherits the signal mask in force when it is created.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    impl_->thread = std::thread([this] { impl_->run(); });
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
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
  if (impl_->thread.joinable()) impl_->thread.join();
}

void ReadAhead::next(Piece* piece) {
  Impl& s = *impl_;
  std::unique_lock<std::mutex> lock(s.mu);
  s.changed.wait(lock, [&] { return !s.queue.empty() || s.done; });
  if (!s.queue.empty()) {
    *piece = std::move(s.queue.front());
    s.queue.pop_front();
    s.changed.notify_all();
    return;
  }
  if (s.failure) std::rethrow_exception(s.failure);
  // Only after the end piece was taken: nothing more comes.
  *piece = Piece();
  piece->end = true;
}

}  // namespace tweet_loader

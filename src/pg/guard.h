// The C++/Postgres boundary. Calls into the plain C++ layer go through
// try_cxx, which catches every exception; the caller raises the Postgres
// error only after try_cxx has returned, so ereport's longjmp never skips a
// live C++ destructor.
#pragma once

#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>

#include "errors.h"

namespace tweet_loader {

// A C++ failure copied out of its exception: plain data, safe to keep
// across ereport.
struct CxxFailure {
  enum Kind { kLoad, kOutOfMemory, kInternal } kind = kInternal;
  ErrorKind load_kind = ErrorKind::kBadInput;
  uint64_t line = 0;
  char message[1024] = {0};
};

// Runs f(). Returns true when it completed, false when it threw; then
// *failure says what happened.
template <typename F>
bool try_cxx(F&& f, CxxFailure* failure) noexcept {
  try {
    f();
    return true;
  } catch (const LoadError& e) {
    failure->kind = CxxFailure::kLoad;
    failure->load_kind = e.kind();
    failure->line = e.line();
    snprintf(failure->message, sizeof(failure->message), "%s", e.what());
  } catch (const std::bad_alloc&) {
    failure->kind = CxxFailure::kOutOfMemory;
    snprintf(failure->message, sizeof(failure->message), "out of memory");
  } catch (const std::exception& e) {
    failure->kind = CxxFailure::kInternal;
    snprintf(failure->message, sizeof(failure->message), "%s", e.what());
  } catch (...) {
    failure->kind = CxxFailure::kInternal;
    snprintf(failure->message, sizeof(failure->message),
             "unknown C++ exception");
  }
  return false;
}

}  // namespace tweet_loader

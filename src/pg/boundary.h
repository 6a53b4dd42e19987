// The C++/Postgres boundary, all of it: calls into the plain C++ layer go
// through try_cxx, which catches every exception and copies it into plain
// data; the caller raises the Postgres error only after try_cxx has
// returned, so ereport's longjmp never skips a live C++ destructor.
// sqlstate_of turns the plain layer's error kinds into SQLSTATEs. The other
// way round, code called from inside try_cxx calls no Postgres function
// that can raise an error.
#pragma once

extern "C" {
#include "postgres.h"
}

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

inline int sqlstate_of(const CxxFailure& f) {
  if (f.kind == CxxFailure::kOutOfMemory) return ERRCODE_OUT_OF_MEMORY;
  if (f.kind == CxxFailure::kInternal) return ERRCODE_INTERNAL_ERROR;
  switch (f.load_kind) {
    case ErrorKind::kFileMissing:
      return ERRCODE_UNDEFINED_FILE;
    case ErrorKind::kNoPermission:
      return ERRCODE_INSUFFICIENT_PRIVILEGE;
    case ErrorKind::kNotAFile:
      return ERRCODE_WRONG_OBJECT_TYPE;
    case ErrorKind::kFileIo:
      return ERRCODE_IO_ERROR;
    case ErrorKind::kBadInput:
      return ERRCODE_INVALID_TEXT_REPRESENTATION;
    case ErrorKind::kBadEncoding:
      return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
    case ErrorKind::kCorruptFile:
      return ERRCODE_DATA_CORRUPTED;
    case ErrorKind::kOutOfRange:
      return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
    case ErrorKind::kTooDeep:
      return ERRCODE_STATEMENT_TOO_COMPLEX;
    case ErrorKind::kTooLarge:
      return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
    case ErrorKind::kUnsupported:
      return ERRCODE_FEATURE_NOT_SUPPORTED;
  }
  return ERRCODE_INTERNAL_ERROR;
}

// Whether the failure is about opening the file (its message names it).
inline bool is_open_failure(const CxxFailure& f) {
  return f.kind == CxxFailure::kLoad &&
         (f.load_kind == ErrorKind::kFileMissing ||
          f.load_kind == ErrorKind::kNoPermission ||
          f.load_kind == ErrorKind::kNotAFile);
}

}  // namespace tweet_loader

// What an ISA-L inflate error code means, in zlib's words where zlib has
// them: the gzip and zip readers put it in their "is corrupt" errors.
#pragma once

#include <isa-l/igzip_lib.h>

#include <string>

namespace tweet_loader {

inline std::string inflate_error_text(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK:
      return "invalid block";
    case ISAL_INVALID_SYMBOL:
      return "invalid code";
    case ISAL_INVALID_LOOKBACK:
      return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER:
      return "incorrect header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unknown compression method";
    default:
      return "inflate error " + std::to_string(rc);
  }
}

}  // namespace tweet_loader

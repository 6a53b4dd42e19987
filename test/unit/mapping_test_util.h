// What the mapping tests share: the smallest tweet, a tweet with extra
// members, a parse that must succeed, an error that must come.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "../common/parse_line.h"
#include "errors.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace mapping_test {

// The smallest tweet: id, created_at and user.id.
inline const char kMinimal[] =
    R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2}})";

// kMinimal with extra top-level members, e.g. with(R"("text":"hi")").
inline std::string with(const std::string& members) {
  std::string s = kMinimal;
  s.pop_back();
  return s + "," + members + "}";
}

inline Tweet parse(const std::string& line) {
  Tweet t;
  EXPECT_EQ(test::parse_line(line, &t), LineKind::kTweet) << line;
  return t;
}

// Expects test::parse_line(line) to throw LoadError(kind) with exactly `message`.
inline void expect_error(const std::string& line, ErrorKind kind,
                  const std::string& message) {
  Tweet t;
  try {
    test::parse_line(line, &t);
    ADD_FAILURE() << "no error for " << line.substr(0, 200);
  } catch (const LoadError& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace mapping_test
}  // namespace tweet_loader

// One SQL statement through SPI, which must give the expected result
// (SPI_OK_UTILITY, SPI_OK_SELECT, ...); any other is an internal error.
#pragma once

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
}

namespace tweet_loader {

inline void spi_run(const char* sql, int expected) {
  int rc = SPI_execute(sql, false, 0);
  if (rc != expected)
    elog(ERROR, "tweet_loader: SPI_execute failed (%s) for: %s",
         SPI_result_code_string(rc), sql);
}

// The same for a prepared plan without parameters; sql names it in the
// error.
inline void spi_run_plan(SPIPlanPtr plan, int expected, const char* sql) {
  int rc = SPI_execute_plan(plan, nullptr, nullptr, false, 0);
  if (rc != expected)
    elog(ERROR, "tweet_loader: SPI_execute_plan failed (%s) for: %s",
         SPI_result_code_string(rc), sql);
}

}  // namespace tweet_loader

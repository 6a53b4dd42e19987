// The library as Postgres loads it: its magic block and its settings.

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

#include "pg/module.h"

namespace tweet_loader {

int batch_size_guc = 1000;
bool check_jsonb_guc = false;
int decompress_threads_guc = 2;

}  // namespace tweet_loader

void _PG_init(void) {
  using namespace tweet_loader;
  DefineCustomIntVariable(
      "tweet_loader.batch_size",
      "Tweets gathered before their rows are written together.",
      "load_tweets' batch_size argument overrides it for one call.",
      &batch_size_guc, 1000, 1, 100000, PGC_USERSET, 0, NULL, NULL, NULL);
  DefineCustomBoolVariable(
      "tweet_loader.check_jsonb",
      "Checks every jsonb value a denormalized load builds against jsonb_in.",
      "Denormalized loads build jsonb values directly from the text; with "
      "this on, each is also made by jsonb_in and the bytes compared.",
      &check_jsonb_guc, false, PGC_USERSET, 0, NULL, NULL, NULL);
  DefineCustomIntVariable(
      "tweet_loader.decompress_threads",
      "Threads that decompress a compressed file or archive ahead of the "
      "load.",
      "They decompress the next members while the backend parses and "
      "inserts the current one, and call no PostgreSQL function. 0 "
      "decompresses in the backend itself.",
      &decompress_threads_guc, 2, 0, 8, PGC_USERSET, 0, NULL, NULL, NULL);
  MarkGUCPrefixReserved("tweet_loader");
}

#include "pg/staging.h"

extern "C" {
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
}

#include "pg/merge.h"
#include "pg/spi_run.h"

namespace tweet_loader {

const char* staging_table_name(const char* table) {
  return psprintf("pg_temp.tweet_loader_stage_%s", table);
}

void staging_create(void) {
  // Temporary tables may be written in a read-only transaction; the
  // layout's tables may not.
  PreventCommandIfReadOnly("load_tweets");
  const char* geometry = format_type_be_qualified(geometry_type_oid());
  for (const TableShape& table : kTweetTables)
    spi_run(create_table_sql(table, staging_table_name(table.name), false,
                             true, geometry),
            SPI_OK_UTILITY);
  for (int i = 0; i < kNumMergeTables; i++)
    spi_run(psprintf("CREATE TEMPORARY TABLE tweet_loader_stage_%s %s",
                     kMergeTables[i].name, kMergeTables[i].columns),
            SPI_OK_UTILITY);
}

void staging_drop(void) {
  StringInfoData sql;
  initStringInfo(&sql);
  const char* sep = "DROP TABLE ";
  for (const TableShape& table : kTweetTables) {
    appendStringInfo(&sql, "%s%s", sep, staging_table_name(table.name));
    sep = ", ";
  }
  for (int i = 0; i < kNumMergeTables; i++)
    appendStringInfo(&sql, "%s%s", sep,
                     staging_table_name(kMergeTables[i].name));
  spi_run(sql.data, SPI_OK_UTILITY);
}

HTAB* staged_ids_create(MemoryContext cxt) {
  HASHCTL ctl;
  ctl.keysize = sizeof(int64);
  ctl.entrysize = sizeof(int64);
  ctl.hcxt = cxt;
  return hash_create("tweet_loader staged tweet ids", 16384, &ctl,
                     HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

bool staged_ids_add(HTAB* ids, int64 tweet_id) {
  bool found;
  (void)hash_search(ids, &tweet_id, HASH_ENTER, &found);
  return !found;
}

}  // namespace tweet_loader

#include "pg/staging.h"

extern "C" {
#include "catalog/heap.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
}

#include "pg/merge.h"
#include "pg/spi_run.h"

namespace tweet_loader {

const char* staging_table_name(const char* table) {
  return psprintf("pg_temp.tweet_loader_stage_%s", table);
}

namespace {

// The staging table of that name in this session's temporary schema, or
// InvalidOid.
Oid staging_relid(const char* table) {
  char* name = psprintf("tweet_loader_stage_%s", table);
  return RangeVarGetRelid(makeRangeVar(pstrdup("pg_temp"), name, -1),
                          AccessExclusiveLock, true);
}

}  // namespace

void staging_create(void) {
  // Temporary tables may be written in a read-only transaction; the
  // layout's tables may not.
  PreventCommandIfReadOnly("load_tweets");
  // Made once in a session, by one statement's transaction, so all or none
  // of them are there: none at the first load, or after the transaction
  // that made them was rolled back (or DISCARD TEMP).
  if (OidIsValid(staging_relid(kTweetTables[0].name))) return;
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

void staging_empty(void) {
  // Truncated in place, as ON COMMIT DELETE ROWS does, without a new
  // relfilenode: their rows are never needed past the load that wrote them
  // (a load that fails leaves rows no later transaction sees).
  List* relids = NIL;
  for (const TableShape& table : kTweetTables)
    relids = lappend_oid(relids, staging_relid(table.name));
  for (int i = 0; i < kNumMergeTables; i++)
    relids = lappend_oid(relids, staging_relid(kMergeTables[i].name));
  heap_truncate(relids);
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

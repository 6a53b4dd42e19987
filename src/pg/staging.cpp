#include "pg/staging.h"

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/heap.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "storage/bufmgr.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include "pg/citus.h"
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

void staging_create(Staged what) {
  // Temporary tables may be written in a read-only transaction; the
  // layout's tables may not.
  PreventCommandIfReadOnly("load_tweets");
  // Made once in a session, by one statement's transaction, so all or none
  // of them are there: none at the first load, or after the transaction
  // that made them was rolled back (or DISCARD TEMP).
  if (what == Staged::kTweetsJsonb) {
    if (OidIsValid(staging_relid(kTweetsJsonbTable.name))) return;
    // Stored as they come, uncompressed: Citus sends the values on to the
    // shards, which compress them as their table says.
    const char* name = staging_table_name(kTweetsJsonbTable.name);
    spi_run(psprintf("CREATE TEMPORARY TABLE %s (data jsonb) WITH "
                     "(toast_tuple_target = 8160); ALTER TABLE %s ALTER data "
                     "SET STORAGE EXTERNAL", name, name),
            SPI_OK_UTILITY);
    return;
  }
  if (OidIsValid(staging_relid(kTweetTables[0].name))) return;
  const char* geometry = format_type_be_qualified(geometry_type_oid());
  for (const TableShape& table : kTweetTables)
    spi_run(create_table_sql(table, staging_table_name(table.name),
                             TableForm::kStaging, geometry),
            SPI_OK_UTILITY);
  for (int i = 0; i < kNumMergeTables; i++)
    spi_run(psprintf("CREATE TEMPORARY TABLE tweet_loader_stage_%s %s",
                     kMergeTables[i].name, kMergeTables[i].columns),
            SPI_OK_UTILITY);
}

namespace {

// Empties one staging table in place, as ON COMMIT DELETE ROWS does
// (heap_truncate), without a new relfilenode: its rows are never needed
// past the load that wrote them (a load that fails leaves rows no later
// transaction sees). The tables have no index; a TOAST table that holds
// nothing (most loads store no value out of line) is left alone, which
// spares rebuilding its index, most of the cost.
void empty_table(Oid relid) {
  Relation rel = table_open(relid, AccessExclusiveLock);
  Oid toast = rel->rd_rel->reltoastrelid;
  bool toast_empty = true;
  if (OidIsValid(toast)) {
    Relation toast_rel = table_open(toast, AccessExclusiveLock);
    toast_empty = RelationGetNumberOfBlocks(toast_rel) == 0;
    table_close(toast_rel, NoLock);
  }
  if (!toast_empty || rel->rd_rel->relhasindex)
    heap_truncate_one_rel(rel);
  else if (RelationGetNumberOfBlocks(rel) > 0)
    table_relation_nontransactional_truncate(rel);
  table_close(rel, NoLock);
}

}  // namespace

void staging_empty(Staged what) {
  if (what == Staged::kTweetsJsonb) {
    empty_table(staging_relid(kTweetsJsonbTable.name));
    return;
  }
  for (const TableShape& table : kTweetTables)
    empty_table(staging_relid(table.name));
  for (int i = 0; i < kNumMergeTables; i++)
    empty_table(staging_relid(kMergeTables[i].name));
}

namespace {

void append_rows(Staged what, StringInfo rows) {
  if (what == Staged::kTweetsJsonb) {
    // A distributed denormalized layout has the tweet id beside its JSON
    // (citus.h); a table the user made Citus's may not.
    Oid relid = RelnameGetRelid(kTweetsJsonbTable.name);
    bool with_id = get_attnum(relid, "id_tweets") != InvalidAttrNumber;
    spi_run(psprintf("INSERT INTO %s (data%s) SELECT data%s FROM %s",
                     kTweetsJsonbTable.name, with_id ? ", id_tweets" : "",
                     with_id ? ", (data->>'id')::bigint" : "",
                     staging_table_name(kTweetsJsonbTable.name)),
            SPI_OK_INSERT);
    appendStringInfo(rows, "\"%s\": " UINT64_FORMAT, kTweetsJsonbTable.name,
                     SPI_processed);
    return;
  }
  for (int t = 0; t < kNumTweetTables; t++) {
    const char* name = kTweetTables[t].name;
    spi_run(psprintf("INSERT INTO %s SELECT * FROM %s", name,
                     staging_table_name(name)),
            SPI_OK_INSERT);
    appendStringInfo(rows, "%s\"%s\": " UINT64_FORMAT, t ? ", " : "", name,
                     SPI_processed);
  }
}

}  // namespace

void staging_append(Staged what, StringInfo rows) {
  // Citus copies rows into a hash-distributed table over a new connection
  // per shard, a new backend each on the workers: for a file's rows, a few
  // hundred per shard, one connection per node is faster (bench/citus.sh).
  int guc_level = NewGUCNestLevel();
  citus_one_connection_per_node();
  append_rows(what, rows);
  AtEOXact_GUC(true, guc_level);
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

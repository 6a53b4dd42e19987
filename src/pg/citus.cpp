#include "pg/citus.h"

extern "C" {
#include "postgres.h"

#include "access/heapam.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
}

#include "pg/schema.h"
#include "pg/spi_run.h"

namespace tweet_loader {

namespace {

// Whether pg_dist_partition (catalog) lists the table of that name on the
// search_path; the catalog's first column is the table.
bool is_citus_table(Oid catalog, const char* name) {
  Oid relid = RelnameGetRelid(name);
  if (!OidIsValid(relid)) return false;
  Relation rel = table_open(catalog, AccessShareLock);
  ScanKeyData key;
  ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ,
              ObjectIdGetDatum(relid));
  TableScanDesc scan = table_beginscan_catalog(rel, 1, &key);
  bool found = heap_getnext(scan, ForwardScanDirection) != NULL;
  table_endscan(scan);
  table_close(rel, AccessShareLock);
  return found;
}

// The table of the current schema as a quoted SQL literal, for Citus's
// functions, which take a table's name as text.
const char* table_literal(const char* table) {
  return quote_literal_cstr(quote_qualified_identifier(
      get_namespace_name(RangeVarGetCreationNamespace(
          makeRangeVar(nullptr, pstrdup(table), -1))),
      table));
}

void make_reference(const char* table) {
  spi_run(psprintf("SELECT create_reference_table(%s)", table_literal(table)),
          SPI_OK_SELECT);
}

void make_distributed(const char* table, const char* column,
                      const char* colocate_with) {
  spi_run(psprintf("SELECT create_distributed_table(%s, %s%s%s)",
                   table_literal(table), quote_literal_cstr(column),
                   colocate_with ? ", colocate_with => " : "",
                   colocate_with ? table_literal(colocate_with) : ""),
          SPI_OK_SELECT);
}

void make_tables_citus(Layout layout) {
  if (layout == Layout::kDenormalized) {
    make_distributed(kTweetsJsonbTable.name, "id_tweets", nullptr);
    return;
  }
  const char* tweets = kTweetTables[kTweets].name;
  bool normalized = layout == Layout::kNormalized;
  // Reference tables first: the tweets' foreign keys point at them.
  if (normalized) {
    make_reference(kUrlsTable.name);
    make_reference(kTweetTables[kUsers].name);
  }
  make_distributed(tweets, "id_tweets", nullptr);
  for (int t = 0; t < kNumTweetTables; t++)
    if (t != kUsers && t != kTweets)
      make_distributed(kTweetTables[t].name, "id_tweets", tweets);
  if (!normalized) {
    make_distributed(kTweetTables[kUsers].name, "id_users", nullptr);
    return;
  }
  for (const TableShape& table : kTweetTables)
    if (char* sql = foreign_keys_sql(table)) spi_run(sql, SPI_OK_UTILITY);
}

}  // namespace

bool layout_is_citus(Layout layout) {
  // Without Citus in this database there is nothing to look up.
  Oid catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
  if (!OidIsValid(catalog)) return false;
  if (layout == Layout::kDenormalized)
    return is_citus_table(catalog, kTweetsJsonbTable.name);
  if (layout == Layout::kNormalized && is_citus_table(catalog, kUrlsTable.name))
    return true;
  for (const TableShape& table : kTweetTables)
    if (is_citus_table(catalog, table.name)) return true;
  return false;
}

void check_can_distribute(void) {
  if (!OidIsValid(get_extension_oid("citus", true)))
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
             errmsg("distributed tweet tables need the Citus extension"),
             errhint("Install Citus and run CREATE EXTENSION citus on every "
                     "node (docs/citus.md).")));
  spi_run("SELECT citus_is_coordinator()", SPI_OK_SELECT);
  bool isnull;
  Datum is_coordinator =
      SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  if (isnull || !DatumGetBool(is_coordinator))
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
             errmsg("distributed tweet tables are made on the Citus "
                    "coordinator"),
             errhint("Connect to the coordinator, or run SELECT "
                     "citus_set_coordinator_host(...) there first.")));
}

void distribute_layout(Layout layout) {
  // One connection per node for the whole transaction: Citus adds a
  // foreign key to a table only if no statement before it in the
  // transaction used several.
  int guc_level = NewGUCNestLevel();
  citus_one_connection_per_node();
  make_tables_citus(layout);
  AtEOXact_GUC(true, guc_level);
}

void citus_one_connection_per_node(void) {
  (void)set_config_option("citus.multi_shard_modify_mode", "sequential",
                          PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                          false);
}

}  // namespace tweet_loader

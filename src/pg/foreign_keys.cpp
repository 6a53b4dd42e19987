#include "pg/foreign_keys.h"

extern "C" {
#include "postgres.h"

#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "nodes/pg_list.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
}

#include <string.h>

#include "pg/schema.h"

namespace tweet_loader {

namespace {

// Whether fk, a foreign key of table, is one the normalized layout has
// (schema.h). Each is true of the merged rows by construction: a user
// every staged row refers to is staged too, the child rows belong to the
// load's new tweets, and the url ids come from the urls rows the merge has
// locked.
bool is_layout_key(const TableShape& table, const ForeignKeyCacheInfo* fk) {
  if (fk->nkeys != 1) return false;
  char* column = get_attname(fk->conrelid, fk->conkey[0], false);
  char* ref_column = get_attname(fk->confrelid, fk->confkey[0], false);
  for (int i = 0; i < table.ncolumns; i++) {
    const Column& c = table.columns[i];
    const char* ref = referenced_table(c);
    if (ref == nullptr || strcmp(normalized_column_name(c), column) != 0)
      continue;
    // The referenced key is the first column of the referenced table.
    const TableShape& target =
        strcmp(ref, "urls") == 0 ? kUrlsTable
                                 : strcmp(ref, "users") == 0
                                       ? kTweetTables[kUsers]
                                       : kTweetTables[kTweets];
    if (strcmp(target.columns[0].name, ref_column) == 0 &&
        fk->confrelid == RelnameGetRelid(ref))
      return true;
  }
  return false;
}

// Triggers on the table are foreign key triggers only (as referencing or
// referenced table: the merge never deletes a row nor changes a key, so the
// referenced side's triggers have nothing to do), the keys the table is
// checked for are the layout's, and it is a plain table with no rules and
// no row security (Postgres's checks see every row, the merge's statements
// only the rows the policies let the caller see).
bool only_layout_keys(const TableShape& table) {
  Oid relid = RelnameGetRelid(table.name);
  if (!OidIsValid(relid)) return false;
  Relation rel = table_open(relid, RowExclusiveLock);
  // A partitioned table's partitions have triggers of their own.
  bool ok = rel->rd_rel->relkind == RELKIND_RELATION &&
            rel->rd_rules == nullptr && !rel->rd_rel->relrowsecurity;
  if (ok && rel->trigdesc != nullptr)
    for (int i = 0; i < rel->trigdesc->numtriggers; i++)
      if (RI_FKey_trigger_type(rel->trigdesc->triggers[i].tgfoid) ==
          RI_TRIGGER_NONE)
        ok = false;
  ListCell* lc;
  if (ok)
    foreach (lc, RelationGetFKeyList(rel))
      if (!is_layout_key(table, (ForeignKeyCacheInfo*)lfirst(lc))) ok = false;
  table_close(rel, NoLock);
  return ok;
}

}  // namespace

bool merge_checks_foreign_keys(void) {
  if (!only_layout_keys(kUrlsTable)) return false;
  for (const TableShape& table : kTweetTables)
    if (!only_layout_keys(table)) return false;
  return true;
}

}  // namespace tweet_loader

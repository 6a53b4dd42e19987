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

namespace tweet_loader {

namespace {

// The foreign keys of the normalized layout (create_tweet_tables). Each is
// true of the merged rows by construction: a user every staged row refers
// to is staged too, the child rows belong to the load's new tweets, and the
// url ids come from the urls rows the merge has locked.
struct ForeignKey {
  const char* table;
  const char* column;
  const char* ref_table;
  const char* ref_column;
};

const ForeignKey kLayoutKeys[] = {
    {"users", "id_urls", "urls", "id_urls"},
    {"tweets", "id_users", "users", "id_users"},
    {"tweets", "in_reply_to_user_id", "users", "id_users"},
    {"tweet_urls", "id_tweets", "tweets", "id_tweets"},
    {"tweet_urls", "id_urls", "urls", "id_urls"},
    {"tweet_mentions", "id_tweets", "tweets", "id_tweets"},
    {"tweet_mentions", "id_users", "users", "id_users"},
    {"tweet_tags", "id_tweets", "tweets", "id_tweets"},
    {"tweet_media", "id_tweets", "tweets", "id_tweets"},
    {"tweet_media", "id_urls", "urls", "id_urls"},
};

const char* const kTables[] = {"urls",       "users",          "tweets",
                               "tweet_urls", "tweet_mentions", "tweet_tags",
                               "tweet_media"};

bool is_layout_key(const char* table, const ForeignKeyCacheInfo* fk) {
  if (fk->nkeys != 1) return false;
  char* column = get_attname(fk->conrelid, fk->conkey[0], false);
  char* ref_column = get_attname(fk->confrelid, fk->confkey[0], false);
  for (const ForeignKey& key : kLayoutKeys)
    if (strcmp(key.table, table) == 0 && strcmp(key.column, column) == 0 &&
        strcmp(key.ref_column, ref_column) == 0 &&
        fk->confrelid == RelnameGetRelid(key.ref_table))
      return true;
  return false;
}

// Triggers on the table are foreign key triggers only (as referencing or
// referenced table: the merge never deletes a row nor changes a key, so the
// referenced side's triggers have nothing to do), the keys the table is
// checked for are the layout's, and it is a plain table with no rules and
// no row security (Postgres's checks see every row, the merge's statements
// only the rows the policies let the caller see).
bool only_layout_keys(const char* table) {
  Oid relid = RelnameGetRelid(table);
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
  for (const char* table : kTables)
    if (!only_layout_keys(table)) return false;
  return true;
}

}  // namespace tweet_loader

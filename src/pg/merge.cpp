#include "pg/merge.h"

extern "C" {
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
}

#include <string.h>

#include <string_view>

#include "pg/foreign_keys.h"
#include "pg/schema.h"
#include "pg/spi_run.h"

namespace tweet_loader {

#define STAGE "pg_temp.tweet_loader_stage_"

// The SQL below is laid out by hand. Column lists come from schema.h
// (expand()): {USERS} and {TWEETS} are the tables' columns, {BEST_USERS}
// each staged user's best version as a users row in key order (its url
// looked up as id_urls), {USER_VALUES} that row's select list alone,
// {USERS_SET} the users' columns set from EXCLUDED.
// clang-format off

// The best staged version of each user: full before partial, then the most
// recent tweet (created_at, id). Chosen once per load, into best_users,
// before the tweets: a session that waits for this one's commit (see below)
// then does not wait for this sort too.
#define BEST_STAGED_USERS                                                     \
  "INSERT INTO " STAGE "best_users SELECT DISTINCT ON (id_users) * FROM "     \
  STAGE "users ORDER BY id_users, updated_at IS NULL, updated_at DESC, "      \
  "updated_by DESC, name IS NULL, name, screen_name"

const MergeTable kMergeTables[kNumMergeTables] = {
    {"best_users", "(LIKE " STAGE "users)"},
    {"distinct_tweet_mentions", "(LIKE " STAGE "tweet_mentions)"},
    {"distinct_tweet_tags", "(LIKE " STAGE "tweet_tags)"},
    {"distinct_tweet_urls", "(LIKE " STAGE "tweet_urls)"},
    {"distinct_tweet_media", "(LIKE " STAGE "tweet_media)"},
    {"new_tweets", "(id_tweets bigint)"},
    {"merged_urls", "(url text)"},
};

namespace {

// Child rows of the tweets this load inserted (not already in the table):
// only they are merged, so no other session can hold those keys.
#define OF_NEW_TWEETS " JOIN " STAGE "new_tweets n USING (id_tweets)"

// How a merge runs, by who checks the foreign keys: Postgres, row by row,
// or the merge itself (foreign_keys.h); or on Citus, the shards' own keys.
// Citus routes a statement on its tables only if it can: an UPDATE of a
// Citus table may not read a local table, an INSERT ... SELECT may. On
// Citus the merges of concurrent loads do not overlap: the keys of a
// reference table's copies, one per node, are not taken in one order, so
// two merges could wait for each other across nodes. Before it writes a
// table, a merge locks users against other merges, a lock Citus takes on
// every node in one order of the nodes, and holds it to the end of the
// transaction. A step runs in the merges its mask names.
enum Merge : unsigned { kByTriggers = 1, kByMerge = 2, kOnCitus = 4 };
constexpr unsigned kEveryMerge = kByTriggers | kByMerge | kOnCitus;

// One statement of the merge, the SPI result it must give, and the table
// its rows count for (none if null).
struct MergeStep {
  const char* table;
  int spi_result;
  const char* sql;
  // The merges the step runs in.
  unsigned runs = kEveryMerge;
  // For the merge's own foreign key checks: the statement locks the rows of
  // this table that the merged rows refer to and returns whether every one
  // was there. Such a lock (FOR KEY SHARE) waits only for a delete or a
  // change of key, which no load makes.
  const char* checks = nullptr;
};

// Concurrent loads wait for each other only where their keys meet: a key
// another session inserted, or a users row it updated, makes a statement
// wait for that session's commit. The steps that can meet others' keys come
// in one order for every session, each in key order: (new users,) tweets,
// urls, then the users, the last one; the child rows, in between, belong to
// this load's new tweets alone and never wait. So no session can wait for a
// session that waits for it (no deadlock), and the users, which every load
// of the same users meets, are held only for the end of the transaction.
// With the merge's own key checks, the users come only there: the tweets do
// not need them stored before them.
//
// A session that waits for another one's tweets waits for everything that
// one does after them: so whatever does not need the tweets stored comes
// first (the users' best versions, the child rows without repeats).
const MergeStep kMergeSteps[] = {
    {nullptr, SPI_OK_INSERT, BEST_STAGED_USERS},
    // The staged child rows without repeats (a tag twice in a tweet);
    // mentions and tags sorted by key, so that their inserts below, which
    // read them in that order, mostly follow the indexes' order.
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO " STAGE "distinct_tweet_mentions SELECT DISTINCT * FROM "
     STAGE "tweet_mentions ORDER BY 1, 2"},
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO " STAGE "distinct_tweet_tags SELECT DISTINCT * FROM "
     STAGE "tweet_tags ORDER BY 1, 2"},
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO " STAGE "distinct_tweet_urls SELECT DISTINCT * FROM "
     STAGE "tweet_urls"},
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO " STAGE "distinct_tweet_media SELECT DISTINCT ON "
     "(id_tweets, url) * FROM " STAGE "tweet_media "
     "ORDER BY id_tweets, url, type"},
    // On Citus, one merge at a time from here on (see Merge above).
    {nullptr, SPI_OK_UTILITY, "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE",
     kOnCitus},
    // Users not yet in the table, so that the foreign key checks of tweets
    // and mentions find them; id_urls is filled in below for a url that is
    // new as well.
    {"users", SPI_OK_INSERT,
     "INSERT INTO users ({USERS}) {BEST_USERS}"
     " ON CONFLICT (id_users) DO NOTHING",
     kByTriggers | kOnCitus},
    // Newest first: a tweet that another file being loaded at the same time
    // also has is most often an older one, so a wait comes at the end. Each
    // id is staged once (staged_ids_add).
    {"tweets", SPI_OK_INSERT,
     "WITH inserted AS (INSERT INTO tweets ({TWEETS}) SELECT {TWEETS} "
     "FROM " STAGE "tweets ORDER BY id_tweets DESC "
     "ON CONFLICT (id_tweets) DO NOTHING RETURNING id_tweets) "
     "INSERT INTO " STAGE "new_tweets SELECT id_tweets FROM inserted"},
    {"tweet_mentions", SPI_OK_INSERT,
     "INSERT INTO tweet_mentions (id_tweets, id_users) "
     "SELECT s.id_tweets, s.id_users FROM " STAGE "distinct_tweet_mentions s"
     OF_NEW_TWEETS},
    {"tweet_tags", SPI_OK_INSERT,
     "INSERT INTO tweet_tags (id_tweets, tag) "
     "SELECT s.id_tweets, s.tag FROM " STAGE "distinct_tweet_tags s"
     OF_NEW_TWEETS},
    // Every url a merged row refers to: the staged users' and the new
    // tweets'.
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO " STAGE "merged_urls "
     "SELECT url FROM " STAGE "users WHERE url IS NOT NULL "
     "UNION SELECT s.url FROM " STAGE "distinct_tweet_urls s" OF_NEW_TWEETS
     " UNION SELECT s.url FROM " STAGE "distinct_tweet_media s" OF_NEW_TWEETS},
    {"urls", SPI_OK_INSERT,
     "INSERT INTO urls (url) SELECT url FROM " STAGE "merged_urls "
     "ORDER BY url ON CONFLICT (url) DO NOTHING"},
    {nullptr, SPI_OK_SELECT,
     "SELECT (SELECT count(*) FROM (SELECT FROM urls l JOIN " STAGE
     "merged_urls m USING (url) FOR KEY SHARE OF l) locked) = "
     "(SELECT count(*) FROM " STAGE "merged_urls)",
     kByMerge, "urls"},
    // The users inserted above whose url was new: rows of this load alone
    // (a committed row always has its id_urls), so this never waits.
    {nullptr, SPI_OK_UPDATE,
     "UPDATE users u SET id_urls = l.id_urls FROM " STAGE "best_users b "
     "JOIN urls l ON l.url = b.url WHERE u.id_users = b.id_users "
     "AND u.id_urls IS NULL AND u.updated_by = b.updated_by "
     "AND u.updated_at = b.updated_at",
     kByTriggers},
    // On Citus, the same rows set by an upsert.
    {nullptr, SPI_OK_INSERT,
     "INSERT INTO users AS u ({USERS}) SELECT {USER_VALUES} FROM " STAGE
     "best_users b JOIN urls l ON l.url = b.url ORDER BY b.id_users "
     "ON CONFLICT (id_users) DO UPDATE SET id_urls = EXCLUDED.id_urls "
     "WHERE u.id_urls IS NULL AND u.updated_by = EXCLUDED.updated_by "
     "AND u.updated_at = EXCLUDED.updated_at",
     kOnCitus},
    {"tweet_urls", SPI_OK_INSERT,
     "INSERT INTO tweet_urls (id_tweets, id_urls) "
     "SELECT s.id_tweets, l.id_urls FROM " STAGE "distinct_tweet_urls s"
     OF_NEW_TWEETS " JOIN urls l USING (url) ORDER BY 1, 2"},
    {"tweet_media", SPI_OK_INSERT,
     "INSERT INTO tweet_media (id_tweets, id_urls, type) "
     "SELECT s.id_tweets, l.id_urls, s.type FROM " STAGE
     "distinct_tweet_media s" OF_NEW_TWEETS " JOIN urls l USING (url) "
     "ORDER BY 1, 2"},
    // New users inserted (with the merge's own key checks, all of them come
    // here); a stored user is replaced only by a better version by the same
    // order, so the result does not depend on the order of the files.
    {"users", SPI_OK_INSERT,
     "INSERT INTO users AS u ({USERS}) {BEST_USERS}"
     " ON CONFLICT (id_users) DO UPDATE SET {USERS_SET} "
     "WHERE (EXCLUDED.updated_at IS NOT NULL, "
     "COALESCE(EXCLUDED.updated_at, '-infinity'), EXCLUDED.updated_by) > "
     "(u.updated_at IS NOT NULL, COALESCE(u.updated_at, '-infinity'), "
     "COALESCE(u.updated_by, -9223372036854775808))"},
    // Every staged user is now stored, and the tweets and mentions refer
    // only to them (a tweet stages its author, replied-to and mentioned
    // users).
    {nullptr, SPI_OK_SELECT,
     "SELECT (SELECT count(*) FROM (SELECT FROM users u JOIN " STAGE
     "best_users b USING (id_users) FOR KEY SHARE OF u) locked) = "
     "(SELECT count(*) FROM " STAGE "best_users)",
     kByMerge, "users"},
};
// clang-format on

// A step's SQL with its column lists filled in.
const char* expand(const char* sql) {
  const TableShape& users = kTweetTables[kUsers];
  StringInfoData out;
  initStringInfo(&out);
  for (const char* p = sql; *p;) {
    const char* close = *p == '{' ? strchr(p, '}') : nullptr;
    if (close == nullptr) {
      appendStringInfoChar(&out, *p++);
      continue;
    }
    std::string_view name(p + 1, close - p - 1);
    if (name == "USERS") {
      appendStringInfoString(&out, column_list(users, nullptr));
    } else if (name == "TWEETS") {
      appendStringInfoString(&out, column_list(kTweetTables[kTweets], nullptr));
    } else if (name == "BEST_USERS" || name == "USER_VALUES") {
      if (name == "BEST_USERS") appendStringInfoString(&out, "SELECT ");
      for (int i = 0; i < users.ncolumns; i++)
        appendStringInfo(&out, "%s%s", i ? ", " : "",
                         users.columns[i].type == ColumnType::kUrl
                             ? "l.id_urls"
                             : psprintf("b.%s", users.columns[i].name));
      if (name == "BEST_USERS")
        appendStringInfoString(&out, " FROM " STAGE "best_users b LEFT JOIN "
                               "urls l ON l.url = b.url ORDER BY b.id_users");
    } else if (name == "USERS_SET") {
      for (int i = 1; i < users.ncolumns; i++) {
        const char* c = normalized_column_name(users.columns[i]);
        appendStringInfo(&out, "%s%s = EXCLUDED.%s", i > 1 ? ", " : "", c, c);
      }
    } else {
      elog(ERROR, "tweet_loader: unknown merge placeholder");
    }
    p = close + 1;
  }
  return out.data;
}

// The one boolean the last statement returned.
bool result_is_true(void) {
  bool isnull;
  Datum d =
      SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  return !isnull && DatumGetBool(d);
}

// The steps' statements, prepared once in a session and kept: parsing and
// planning them anew was most of what a further call of a small file cost.
// A plan is made for the staging tables' sizes when it first runs, so the
// plans are made again when a load stages tweets of another order of
// magnitude (a factor 8): a plan made for one tweet could join 100,000 by
// nested loops. The plan cache makes a plan again by itself when a table
// it reads changes or the search_path is another one.
SPIPlanPtr plans[lengthof(kMergeSteps)];
int plans_size_class = -1;

int size_class(int64 staged_tweets) {
  int c = 0;
  for (; staged_tweets >= 8; staged_tweets /= 8) c++;
  return c;
}

// Step i's SQL with its column lists filled in; made once per backend.
const char* step_sql(size_t i) {
  static const char* sqls[lengthof(kMergeSteps)];
  if (sqls[0] == nullptr) {
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    for (size_t k = 0; k < lengthof(kMergeSteps); k++)
      sqls[k] = expand(kMergeSteps[k].sql);
    MemoryContextSwitchTo(old);
  }
  return sqls[i];
}

SPIPlanPtr step_plan(size_t i, int64 staged_tweets) {
  int c = size_class(staged_tweets);
  if (c != plans_size_class) {
    for (SPIPlanPtr& plan : plans) {
      if (plan != nullptr) SPI_freeplan(plan);
      plan = nullptr;
    }
    plans_size_class = c;
  }
  if (plans[i] == nullptr) {
    SPIPlanPtr plan = SPI_prepare(step_sql(i), 0, nullptr);
    if (plan == nullptr)
      elog(ERROR, "tweet_loader: SPI_prepare failed (%s) for: %s",
           SPI_result_code_string(SPI_result), step_sql(i));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "tweet_loader: SPI_keepplan failed");
    plans[i] = plan;
  }
  return plans[i];
}

void run_steps(Merge merge, int64 staged_tweets, const char** tables,
               uint64* counts, int* ntables) {
  for (size_t i = 0; i < lengthof(kMergeSteps); i++) {
    const MergeStep& step = kMergeSteps[i];
    if (!(step.runs & merge)) continue;
    if (merge == kOnCitus)  // Citus plans its statements itself, each time
      spi_run(step_sql(i), step.spi_result);
    else
      spi_run_plan(step_plan(i, staged_tweets), step.spi_result, step_sql(i));
    if (step.checks != nullptr && !result_is_true())
      ereport(ERROR,
              (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
               errmsg("a row of \"%s\" that the loaded rows refer to was "
                      "deleted by another transaction during the load",
                      step.checks),
               errhint("Load the file again.")));
    if (step.table == nullptr) continue;
    int t = 0;
    while (t < *ntables && strcmp(tables[t], step.table) != 0) t++;
    if (t == *ntables) {
      tables[*ntables] = step.table;
      counts[(*ntables)++] = 0;
    }
    counts[t] += SPI_processed;
  }
}

}  // namespace

void staging_merge(bool on_citus, int64 staged_tweets, StringInfo rows) {
  // Rows per table, in the order the tables first appear in the steps.
  const char* tables[lengthof(kMergeSteps)];
  uint64 counts[lengthof(kMergeSteps)];
  int ntables = 0;
  // Each statement runs once per load: compiling it with JIT costs more than
  // it could save (and maps the LLVM library into the backend, 56 MB).
  int guc_level = NewGUCNestLevel();
  (void)set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_SAVE, true, 0, false);
  Merge merge = on_citus                      ? kOnCitus
                : merge_checks_foreign_keys() ? kByMerge
                                              : kByTriggers;
  if (merge != kByMerge) {
    run_steps(merge, staged_tweets, tables, counts, &ntables);
  } else {
    // The replica role skips the tables' triggers, here only foreign key
    // triggers, whose checks the locking steps make. It is set for the
    // steps alone, as the variable, not the setting: setting
    // session_replication_role throws away every plan of the session
    // (rules may fire by role), the merge's too, and the merge only runs
    // on tables without rules (foreign_keys.h).
    int saved_role = SessionReplicationRole;
    SessionReplicationRole = SESSION_REPLICATION_ROLE_REPLICA;
    PG_TRY();
    { run_steps(merge, staged_tweets, tables, counts, &ntables); }
    PG_FINALLY();
    { SessionReplicationRole = saved_role; }
    PG_END_TRY();
  }
  AtEOXact_GUC(true, guc_level);
  for (int t = 0; t < ntables; t++)
    appendStringInfo(rows, "%s\"%s\": " UINT64_FORMAT,
                     rows->len > 1 ? ", " : "", tables[t], counts[t]);
}

}  // namespace tweet_loader

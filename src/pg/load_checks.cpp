#include "pg/load_checks.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_authid.h"
#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/acl.h"
}

namespace tweet_loader {

void check_load_allowed(void) {
  if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
    ereport(
        ERROR,
        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
         errmsg("permission denied to load tweets from a file"),
         errdetail("Only roles with privileges of the \"pg_read_server_files\" "
                   "role may read server files.")));
  if (GetDatabaseEncoding() != PG_UTF8)
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
             errmsg("load_tweets needs a database with encoding UTF8"),
             errdetail("Database \"%s\" has encoding %s.",
                       get_database_name(MyDatabaseId),
                       GetDatabaseEncodingName())));
}

void check_path(const char* path) {
  if (!is_absolute_path(path))
    ereport(ERROR, (errcode(ERRCODE_INVALID_NAME),
                    errmsg("relative path not allowed for load_tweets: \"%s\"",
                           path)));
}

void check_batch_size(int batch_size) {
  if (batch_size < 1 || batch_size > 100000)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("batch_size must be between 1 and 100000, not %d",
                           batch_size)));
}

bool parse_on_error(const char* on_error) {
  if (strcmp(on_error, "skip") == 0) return true;
  if (strcmp(on_error, "stop") != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("on_error must be 'stop' or 'skip', not \"%s\"",
                           on_error)));
  return false;
}

void parse_part(const char* part, unsigned* k, unsigned* n) {
  *k = *n = 1;
  if (part == nullptr) return;
  unsigned long a = 0, b = 0;
  int used = 0;
  if (sscanf(part, "%5lu/%5lu%n", &a, &b, &used) != 2 ||
      part[used] != '\0' || !isdigit((unsigned char)part[0]) ||
      a < 1 || b < 1 || a > b || b > 10000)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("part must be 'k/n' with 1 <= k <= n <= 10000, not \"%s\"",
                    part),
             errhint("Part k of n loads the archive members whose index, "
                     "counted from 0, is k - 1 modulo n.")));
  *k = (unsigned)a;
  *n = (unsigned)b;
}

}  // namespace tweet_loader

// Whether the merge into the normalized layout may check the layout's
// foreign keys itself. Postgres checks a foreign key row by row (one query
// and one row lock per inserted row, a quarter of a batch load's time); the
// merge instead locks each row it refers to once, with the same FOR KEY
// SHARE lock, and fails if one is gone. It may do so only when nothing else
// hangs on the tables: their triggers must all be foreign key triggers, the
// keys checked on them exactly the layout's own, and they must be plain
// tables without rules or row security.
#pragma once

namespace tweet_loader {

bool merge_checks_foreign_keys(void);

}  // namespace tweet_loader

// Citus: a layout of Citus tables is made by create_tweet_tables(...,
// distributed => true) and loaded through Citus's own SQL. The loader
// stages a load's rows in local temporary tables, as for the normalized
// layout on one server, then moves them with INSERT ... SELECT, which Citus
// routes to the shards in one distributed transaction (two-phase commit):
// a load is all or nothing on every node. docs/citus.md says why.
#pragma once

#include "pg/layout.h"

namespace tweet_loader {

// Whether a table of the layout on the search_path is a Citus table
// (distributed, reference or local to the coordinator): then no row may be
// written into the table's local storage, which Citus's queries never read.
bool layout_is_citus(Layout layout);

// Refuses unless Citus is installed in this database and this node is its
// coordinator, where tables are distributed.
void check_can_distribute(void);

// Makes the layout's tables, just created in the current schema with their
// keys but no foreign keys (TableForm::kNormalizedKeysOnly), Citus tables:
// the tweets and their child rows hash-distributed on id_tweets and
// co-located; in the normalized layout users and urls reference tables,
// with every foreign key, in normalized_batch users distributed on
// id_users. Needs an SPI connection.
void distribute_layout(Layout layout);

// Sets citus.multi_shard_modify_mode to 'sequential', one connection per
// node, until the caller's GUC nest level ends (NewGUCNestLevel,
// AtEOXact_GUC).
void citus_one_connection_per_node(void);

}  // namespace tweet_loader

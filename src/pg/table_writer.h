// Writing rows into one table the way COPY FROM does: rows gathered into a
// batch of slots, table_multi_insert with a BulkInsertState, then index
// entries and AFTER ROW triggers (foreign keys among them) for each row.
#pragma once

extern "C" {
#include "postgres.h"

#include "access/tupdesc.h"
#include "nodes/execnodes.h"
}

#include "pg/schema.h"

namespace tweet_loader {

struct TableWriter;

// Opens the table (name as in SQL, schema-qualified or found on the
// search_path) for inserts, checking INSERT privilege. The table must have
// the shape's columns (batch-shaped), in order, of their types: the datums
// are made for these types. Call writers_begin first: it collects the
// writers' AFTER trigger events.
TableWriter* table_writer_open(const char* table_name, const TableShape& shape,
                               int batch_size);

TupleDesc table_writer_tupdesc(TableWriter* writer);
Oid table_writer_relid(TableWriter* writer);

// Adds one row. values must stay valid until the next flush (allocate them
// in the per-batch memory context, reset only after table_writer_flush).
void table_writer_add(TableWriter* writer, const Datum* values,
                      const bool* nulls);

// Inserts the gathered rows, their index entries, and queues their AFTER
// ROW triggers.
void table_writer_flush(TableWriter* writer);

// Flushes and releases the table. Returns rows written.
int64 table_writer_close(TableWriter* writer);

// One executor state for a load's writers; the end fires the queued AFTER
// triggers (foreign key checks) and frees it.
EState* writers_begin(void);
void writers_end(EState* estate);

}  // namespace tweet_loader

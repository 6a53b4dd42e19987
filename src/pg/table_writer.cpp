// Multi-row inserts into one table, modelled on COPY FROM's multi-insert
// path (src/backend/commands/copyfrom.c).

#include "pg/table_writer.h"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_relation.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
}

namespace tweet_loader {

struct TableWriter {
  EState* estate;
  Relation rel;
  ResultRelInfo* result_rel;
  BulkInsertState bistate;
  TupleTableSlot** slots;
  int batch_size;
  int nbuffered;
  int64 written;
  CommandId cid;
};

EState* writers_begin(void) {
  EState* estate = CreateExecutorState();
  AfterTriggerBeginQuery();
  return estate;
}

void writers_end(EState* estate) {
  AfterTriggerEndQuery(estate);
  // Firing the triggers opened relations and slots in this estate.
  ExecResetTupleTable(estate->es_tupleTable, false);
  ExecCloseResultRelations(estate);
  FreeExecutorState(estate);
}

namespace {

[[noreturn]] void columns_error(Relation rel, const char* detail) {
  ereport(ERROR,
          (errcode(ERRCODE_INVALID_TABLE_DEFINITION),
           errmsg("table \"%s\" does not have the columns of the tweet layout",
                  RelationGetRelationName(rel)),
           errdetail_internal("%s", detail),
           errhint("Create the tables with create_tweet_tables().")));
}

// Whether the column has the type the loader makes its datums for.
bool has_type(Form_pg_attribute att, Oid type, int32 typmod) {
  if (att->atttypmod != typmod) return false;
  if (OidIsValid(type)) return att->atttypid == type;
  HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(att->atttypid));
  if (!HeapTupleIsValid(tup))
    elog(ERROR, "cache lookup failed for type %u", att->atttypid);
  bool geometry =
      strcmp(NameStr(((Form_pg_type)GETSTRUCT(tup))->typname), "geometry") == 0;
  ReleaseSysCache(tup);
  return geometry;
}

// The table must have exactly the shape's columns (batch-shaped), in this
// order, of these types: a datum of another type would be stored as
// garbage, or crash the server.
void check_columns(Relation rel, const TableShape& shape) {
  TupleDesc td = RelationGetDescr(rel);
  for (int i = 0; i < td->natts || i < shape.ncolumns; i++) {
    Form_pg_attribute att = i < td->natts ? TupleDescAttr(td, i) : nullptr;
    if (att == nullptr)
      columns_error(rel, psprintf("Column \"%s\" is missing.",
                                  shape.columns[i].name));
    if (att->attisdropped)
      columns_error(rel, psprintf("Column %d was dropped.", i + 1));
    if (i >= shape.ncolumns)
      columns_error(rel, psprintf("Column \"%s\" is not in the layout.",
                                  NameStr(att->attname)));
    const Column& column = shape.columns[i];
    if (strcmp(NameStr(att->attname), column.name) != 0)
      columns_error(rel, psprintf("Column %d is \"%s\", not \"%s\".", i + 1,
                                  NameStr(att->attname), column.name));
    Oid type;
    int32 typmod;
    column_pg_type(column, false, &type, &typmod);
    if (!has_type(att, type, typmod))
      columns_error(
          rel, psprintf("Column \"%s\" has type %s, not %s.", column.name,
                        format_type_with_typemod(att->atttypid, att->atttypmod),
                        OidIsValid(type) ? format_type_with_typemod(type, typmod)
                                         : "geometry"));
  }
}

}  // namespace

TableWriter* table_writer_open(const char* table_name, const TableShape& shape,
                               int batch_size) {
  EState* estate = CreateExecutorState();
  MemoryContext oldcxt = MemoryContextSwitchTo(estate->es_query_cxt);
  RangeVar* rv =
      makeRangeVarFromNameList(stringToQualifiedNameList(table_name));
  Oid relid = RangeVarGetRelid(rv, RowExclusiveLock, false);

  // A read-only transaction may write only temporary tables, as the
  // executor checks for an INSERT.
  if (XactReadOnly && !isTempNamespace(get_rel_namespace(relid)))
    PreventCommandIfReadOnly("load_tweets");

  // Privileges and row-level security, checked as the executor would.
  AclResult acl = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
  if (acl != ACLCHECK_OK)
    aclcheck_error(acl, get_relkind_objtype(get_rel_relkind(relid)),
                   get_rel_name(relid));
  if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
    ereport(
        ERROR,
        (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
         errmsg(
             "load_tweets does not support row-level security on table \"%s\"",
             get_rel_name(relid))));

  // The writer's own executor state, with the table as its range table.
  RangeTblEntry* rte = makeNode(RangeTblEntry);
  rte->rtekind = RTE_RELATION;
  rte->relid = relid;
  rte->relkind = get_rel_relkind(relid);
  rte->rellockmode = RowExclusiveLock;
  rte->requiredPerms = ACL_INSERT;
  ExecInitRangeTable(estate, list_make1(rte));

  TableWriter* w = (TableWriter*)palloc0(sizeof(TableWriter));
  w->estate = estate;
  w->result_rel = makeNode(ResultRelInfo);
  ExecInitResultRelation(estate, w->result_rel, 1);
  w->rel = w->result_rel->ri_RelationDesc;
  if (w->rel->rd_rel->relkind != RELKIND_RELATION)
    ereport(ERROR,
            (errcode(ERRCODE_WRONG_OBJECT_TYPE),
             errmsg("\"%s\" is not a table", RelationGetRelationName(w->rel))));
  CheckValidResultRel(w->result_rel, CMD_INSERT);

  TriggerDesc* trig = w->rel->trigdesc;
  if (trig && (trig->trig_insert_before_row || trig->trig_insert_instead_row ||
               trig->trig_insert_new_table))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("load_tweets does not support BEFORE, INSTEAD OF or "
                           "transition-table insert triggers on table \"%s\"",
                           RelationGetRelationName(w->rel))));

  check_columns(w->rel, shape);

  ExecOpenIndices(w->result_rel, false);
  if (trig) ExecBSInsertTriggers(estate, w->result_rel);

  w->bistate = GetBulkInsertState();
  w->batch_size = batch_size;
  w->slots = (TupleTableSlot**)palloc0(sizeof(TupleTableSlot*) * batch_size);
  w->cid = GetCurrentCommandId(true);
  MemoryContextSwitchTo(oldcxt);
  return w;
}

TupleDesc table_writer_tupdesc(TableWriter* w) {
  return RelationGetDescr(w->rel);
}

Oid table_writer_relid(TableWriter* w) { return RelationGetRelid(w->rel); }

void table_writer_add(TableWriter* w, const Datum* values, const bool* nulls) {
  if (w->nbuffered == w->batch_size) table_writer_flush(w);
  TupleTableSlot* slot = w->slots[w->nbuffered];
  if (slot == NULL) {
    MemoryContext oldcxt = MemoryContextSwitchTo(w->estate->es_query_cxt);
    slot = MakeSingleTupleTableSlot(RelationGetDescr(w->rel),
                                    table_slot_callbacks(w->rel));
    w->slots[w->nbuffered] = slot;
    MemoryContextSwitchTo(oldcxt);
  }
  ExecClearTuple(slot);
  int natts = slot->tts_tupleDescriptor->natts;
  memcpy(slot->tts_values, values, sizeof(Datum) * natts);
  memcpy(slot->tts_isnull, nulls, sizeof(bool) * natts);
  ExecStoreVirtualTuple(slot);
  // The NOT NULL and CHECK constraints a user added, and a partition's
  // bound, checked as COPY FROM checks them.
  if (w->rel->rd_att->constr) ExecConstraints(w->result_rel, slot, w->estate);
  if (w->rel->rd_rel->relispartition)
    (void)ExecPartitionCheck(w->result_rel, slot, w->estate, true);
  ResetPerTupleExprContext(w->estate);  // at once when nothing was checked
  w->nbuffered++;
}

void table_writer_flush(TableWriter* w) {
  if (w->nbuffered == 0) return;
  EState* estate = w->estate;
  ResultRelInfo* rri = w->result_rel;
  MemoryContext oldcxt =
      MemoryContextSwitchTo(GetPerTupleMemoryContext(estate));
  table_multi_insert(w->rel, w->slots, w->nbuffered, w->cid, 0, w->bistate);
  MemoryContextSwitchTo(oldcxt);

  for (int i = 0; i < w->nbuffered; i++) {
    TupleTableSlot* slot = w->slots[i];
    // recheck: the deferrable unique indexes whose check the AFTER
    // triggers make.
    List* recheck = NIL;
    if (rri->ri_NumIndices > 0)
      recheck =
          ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
    if (rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_after_row)
      ExecARInsertTriggers(estate, rri, slot, recheck, NULL);
    list_free(recheck);
    ResetPerTupleExprContext(estate);
    ExecClearTuple(slot);
  }
  w->written += w->nbuffered;
  w->nbuffered = 0;
}

int64 table_writer_close(TableWriter* w) {
  table_writer_flush(w);
  if (w->rel->trigdesc) ExecASInsertTriggers(w->estate, w->result_rel, NULL);
  FreeBulkInsertState(w->bistate);
  table_finish_bulk_insert(w->rel, 0);
  for (int i = 0; i < w->batch_size && w->slots[i]; i++)
    ExecDropSingleTupleTableSlot(w->slots[i]);
  ExecResetTupleTable(w->estate->es_tupleTable, false);
  ExecCloseResultRelations(w->estate);
  ExecCloseRangeTableRelations(w->estate);
  FreeExecutorState(w->estate);
  return w->written;
}

}  // namespace tweet_loader

// Multi-row inserts into one table, modelled on COPY FROM's multi-insert
// path (src/backend/commands/copyfrom.c).

#include "pg/table_writer.h"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_relation.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/regproc.h"
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

TableWriter* table_writer_open(const char* table_name,
                               const char* const* expected_columns,
                               int ncolumns, int batch_size) {
  EState* estate = CreateExecutorState();
  MemoryContext oldcxt = MemoryContextSwitchTo(estate->es_query_cxt);
  RangeVar* rv =
      makeRangeVarFromNameList(stringToQualifiedNameList(table_name));
  Oid relid = RangeVarGetRelid(rv, RowExclusiveLock, false);

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

  TupleDesc td = RelationGetDescr(w->rel);
  int live = 0;
  for (int i = 0; i < td->natts; i++) {
    Form_pg_attribute att = TupleDescAttr(td, i);
    if (att->attisdropped) continue;
    if (live >= ncolumns ||
        strcmp(NameStr(att->attname), expected_columns[live]) != 0 ||
        att->attnum != live + 1)
      ereport(
          ERROR,
          (errcode(ERRCODE_INVALID_TABLE_DEFINITION),
           errmsg("table \"%s\" does not have the columns of the tweet layout",
                  RelationGetRelationName(w->rel)),
           errhint("Create the tables with create_tweet_tables().")));
    live++;
  }
  if (live != ncolumns || td->natts != ncolumns)
    ereport(
        ERROR,
        (errcode(ERRCODE_INVALID_TABLE_DEFINITION),
         errmsg("table \"%s\" does not have the columns of the tweet layout",
                RelationGetRelationName(w->rel)),
         errhint("Create the tables with create_tweet_tables().")));

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
    if (rri->ri_NumIndices > 0) {
      List* recheck =
          ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
      list_free(recheck);
    }
    if (rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_after_row)
      ExecARInsertTriggers(estate, rri, slot, NIL, NULL);
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

-- Rebuilds the full-text index as src/db/search.ts reads and writes it: `detail=column` (no word positions: a smaller
-- index and faster inserts), `scope` = the project id without `_` (one token), and each row's rowid = its event's
-- rowid (so an event's entry can be deleted). Instances that applied 0002 have an index of the old shape; the table
-- is recreated empty and a `search_backfill` job (src/maintenance) indexes the events stored before this migration
-- in bounded batches; events arriving afterwards are indexed as they are written.
DROP TABLE IF EXISTS `events_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `events_fts` USING fts5(`scope`, `trace_id` UNINDEXED, `text`, tokenize = 'unicode61 remove_diacritics 2', detail = 'column');
--> statement-breakpoint
INSERT INTO `jobs` (`id`, `kind`, `params`, `progress`, `status`)
SELECT 'search-rebuild-0007', 'search_backfill', json_object('last_rowid', coalesce(max(rowid), 0)), json_object('next_rowid', 0),
  iif(count(*) = 0, 'done', 'pending')
FROM `events`;

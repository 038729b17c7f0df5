-- Cheaper events in D1 (docs/SCALING.md §2): the full-text index becomes contentless (the events already hold the text
-- it indexes) and keeps one row per trace per write instead of one per event (src/db/search.ts). The table is
-- recreated empty and a `search_backfill` job (src/maintenance) indexes the events stored before this migration in
-- bounded steps; events arriving afterwards are indexed as they are written. An older backfill still pending is
-- superseded: the new job covers every event.
DROP TABLE IF EXISTS `events_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `events_fts` USING fts5(`scope`, `text`, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', detail = 'column');
--> statement-breakpoint
UPDATE `jobs` SET `status` = 'done', `finished_at` = (unixepoch('subsec') * 1000) WHERE `kind` = 'search_backfill' AND `status` <> 'done';
--> statement-breakpoint
INSERT INTO `jobs` (`id`, `kind`, `params`, `progress`, `status`)
SELECT 'search-rebuild-0022', 'search_backfill', json_object('last_rowid', coalesce(max(rowid), 0)), json_object('next_rowid', 0),
  iif(count(*) = 0, 'done', 'pending')
FROM `events`;
--> statement-breakpoint
-- An end user's deletion finds their traces through the summaries (traces_project_user) and the few events carrying
-- their id in other traces by a scan of the project's events: rare, where this index cost a row written per event.
DROP INDEX IF EXISTS `events_project_user`;
--> statement-breakpoint
-- User and session indexes of the summaries hold only the traces that have one.
DROP INDEX IF EXISTS `traces_project_user`;
--> statement-breakpoint
CREATE INDEX `traces_project_user` ON `traces` (`project_id`, `user_id`, `start_ts`) WHERE user_id IS NOT NULL;
--> statement-breakpoint
DROP INDEX IF EXISTS `traces_project_session`;
--> statement-breakpoint
CREATE INDEX `traces_project_session` ON `traces` (`project_id`, `session_id`, `start_ts`) WHERE session_id IS NOT NULL;
--> statement-breakpoint
-- A trace's events are read by (project, trace) only: the index drops the parent (≈ 37 B an event).
CREATE INDEX `events_trace` ON `events` (`project_id`, `trace_id`);
--> statement-breakpoint
DROP INDEX IF EXISTS `events_trace_parent`;

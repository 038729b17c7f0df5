DROP INDEX `traces_project_start`;--> statement-breakpoint
ALTER TABLE `traces` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE INDEX `traces_project_duration` ON `traces` (`project_id`,`duration_ms`,`trace_id`);--> statement-breakpoint
CREATE INDEX `traces_project_cost` ON `traces` (`project_id`,`total_cost`,`trace_id`);--> statement-breakpoint
CREATE INDEX `traces_project_spans` ON `traces` (`project_id`,`span_count`,`trace_id`);--> statement-breakpoint
CREATE INDEX `traces_project_user` ON `traces` (`project_id`,`user_id`,`start_ts`);--> statement-breakpoint
CREATE INDEX `traces_project_session` ON `traces` (`project_id`,`session_id`,`start_ts`);--> statement-breakpoint
CREATE INDEX `traces_project_start` ON `traces` (`project_id`,`start_ts`,`trace_id`);--> statement-breakpoint
-- Full-text search for `q` on the trace list (drizzle can't model virtual tables, so this part is hand-written).
-- One row per event: `scope` is the project id (searches match it first, so they only walk the caller's rows),
-- `text` the event's name and the first 2,000 characters of its input, output and message. See src/ingest/search-index.ts.
CREATE VIRTUAL TABLE `events_fts` USING fts5(`scope`, `trace_id` UNINDEXED, `text`, tokenize = 'unicode61 remove_diacritics 2');

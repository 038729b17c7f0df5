-- Fewer D1 rows written per event (docs/SCALING.md §2.7, issue 29): every index entry of an inserted event counts as a
-- row written. The events' primary key becomes (project, trace, event), so the key's own index also serves a trace's
-- events (the tree, exports, deletions) and `events_trace` (project, trace) goes: an event insert writes the row and
-- one key entry (2 rows, was 3). Idempotency is then per trace: a redelivered event carries the same trace id.
--
-- The table is not rebuilt here: D1 runs a migration as one query under its 30 s limit, and copying the events is
-- linear in their number. This migration only creates the new table, empty, with triggers that keep it equal to
-- `events` for every row written from now on (inserted, updated or deleted, by rowid: the search index maps its rows
-- to events by rowid, so the copy keeps them). An `events_rekey` job (src/maintenance/events-rekey.ts) copies the
-- events stored before in bounded steps, then swaps the tables and empties the old one step by step. Until the swap,
-- reads use the old table and every event write is written twice.
CREATE TABLE `events_0029` (
	`project_id` text NOT NULL,
	`event_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`parent_event_id` text,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`ts` integer NOT NULL,
	`duration_ms` real,
	`status` text NOT NULL,
	`body` text,
	`context` text,
	`model` text,
	`provider` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`cached_input_tokens` integer,
	`cache_write_tokens` integer,
	`cost_usd` real,
	`cost_source` text,
	`user_id` text,
	`session_id` text,
	`truncated` integer DEFAULT 0 NOT NULL,
	`batch_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`body_ref` text,
	`body_bytes` integer,
	`body_sha256` text,
	`environment` text,
	`release` text,
	`first_token_ms` real,
	PRIMARY KEY(`project_id`, `trace_id`, `event_id`)
);
--> statement-breakpoint
-- Under a new name: index names are global, and the old table keeps `events_zero_cost` until it is dropped.
CREATE INDEX `events_zero_cost_v2` ON `events_0029` (`project_id`, `ts`) WHERE cost_source = 'client' AND cost_usd = 0;
--> statement-breakpoint
-- Every write to `events` from now on, by rowid: the copy's steps skip (OR IGNORE) a rowid these wrote, as newer.
CREATE TRIGGER `events_0029_insert` AFTER INSERT ON `events`
BEGIN
	INSERT OR REPLACE INTO `events_0029` (
		`rowid`, `project_id`, `event_id`, `trace_id`, `parent_event_id`, `type`, `name`, `ts`, `duration_ms`, `status`,
		`body`, `context`, `model`, `provider`, `input_tokens`, `output_tokens`, `cached_input_tokens`,
		`cache_write_tokens`, `cost_usd`, `cost_source`, `user_id`, `session_id`, `truncated`, `batch_id`, `received_at`,
		`body_ref`, `body_bytes`, `body_sha256`, `environment`, `release`, `first_token_ms`)
	VALUES (
		NEW.`rowid`, NEW.`project_id`, NEW.`event_id`, NEW.`trace_id`, NEW.`parent_event_id`, NEW.`type`, NEW.`name`,
		NEW.`ts`, NEW.`duration_ms`, NEW.`status`, NEW.`body`, NEW.`context`, NEW.`model`, NEW.`provider`,
		NEW.`input_tokens`, NEW.`output_tokens`, NEW.`cached_input_tokens`, NEW.`cache_write_tokens`, NEW.`cost_usd`,
		NEW.`cost_source`, NEW.`user_id`, NEW.`session_id`, NEW.`truncated`, NEW.`batch_id`, NEW.`received_at`,
		NEW.`body_ref`, NEW.`body_bytes`, NEW.`body_sha256`, NEW.`environment`, NEW.`release`, NEW.`first_token_ms`);
END;
--> statement-breakpoint
CREATE TRIGGER `events_0029_update` AFTER UPDATE ON `events`
BEGIN
	INSERT OR REPLACE INTO `events_0029` (
		`rowid`, `project_id`, `event_id`, `trace_id`, `parent_event_id`, `type`, `name`, `ts`, `duration_ms`, `status`,
		`body`, `context`, `model`, `provider`, `input_tokens`, `output_tokens`, `cached_input_tokens`,
		`cache_write_tokens`, `cost_usd`, `cost_source`, `user_id`, `session_id`, `truncated`, `batch_id`, `received_at`,
		`body_ref`, `body_bytes`, `body_sha256`, `environment`, `release`, `first_token_ms`)
	VALUES (
		NEW.`rowid`, NEW.`project_id`, NEW.`event_id`, NEW.`trace_id`, NEW.`parent_event_id`, NEW.`type`, NEW.`name`,
		NEW.`ts`, NEW.`duration_ms`, NEW.`status`, NEW.`body`, NEW.`context`, NEW.`model`, NEW.`provider`,
		NEW.`input_tokens`, NEW.`output_tokens`, NEW.`cached_input_tokens`, NEW.`cache_write_tokens`, NEW.`cost_usd`,
		NEW.`cost_source`, NEW.`user_id`, NEW.`session_id`, NEW.`truncated`, NEW.`batch_id`, NEW.`received_at`,
		NEW.`body_ref`, NEW.`body_bytes`, NEW.`body_sha256`, NEW.`environment`, NEW.`release`, NEW.`first_token_ms`);
END;
--> statement-breakpoint
CREATE TRIGGER `events_0029_delete` AFTER DELETE ON `events`
BEGIN
	DELETE FROM `events_0029` WHERE `rowid` = OLD.`rowid`;
END;
--> statement-breakpoint
-- The events stored so far (up to the last rowid) are the job's to copy; it also swaps an empty database's tables.
INSERT INTO `jobs` (`id`, `kind`, `params`, `progress`, `status`)
SELECT 'events-rekey-0029', 'events_rekey', json_object('last_rowid', coalesce(max(rowid), 0)),
  json_object('phase', 'copy', 'next_rowid', 0), 'pending'
FROM `events`;
--> statement-breakpoint
-- The Sessions page's index goes too (1 row written per trace and write, 0.10–0.13 per event): the sessions list groups
-- the project's traces in the range (it read them all through this index as well), and a session's traces are found
-- through the list's index by start time, within the range when one is given (docs/SCALING.md §2.7 measures both).
DROP INDEX IF EXISTS `traces_project_session`;

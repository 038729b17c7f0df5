-- Fewer D1 rows written per event (docs/SCALING.md §2.7, issue 29): every index entry of an inserted event counts as a
-- row written. The events' primary key becomes (project, trace, event), so the key's own index also serves a trace's
-- events (the tree, exports, deletions) and `events_trace` (project, trace) goes: an event insert writes the row and
-- one key entry (2 rows, was 3). Idempotency is then per trace: a redelivered event carries the same trace id.
-- The table is rebuilt here, in the migration, keeping every row's rowid (the search index maps its rows to events by
-- rowid): a copy linear in the database's events (23–75 µs per event locally, §2.7). D1 runs a migration as one query
-- under its 30 s limit, so a database of more than roughly 0.4–1.3 M events fails it whole (nothing is lost) and
-- needs the copy done in steps instead (§2.6 describes them; not built).
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
-- In rowid order: the table's pages fill in order, only the key's index is written out of order.
INSERT INTO `events_0029` (`rowid`, `project_id`, `event_id`, `trace_id`, `parent_event_id`, `type`, `name`, `ts`,
  `duration_ms`, `status`, `body`, `context`, `model`, `provider`, `input_tokens`, `output_tokens`, `cached_input_tokens`,
  `cache_write_tokens`, `cost_usd`, `cost_source`, `user_id`, `session_id`, `truncated`, `batch_id`, `received_at`,
  `body_ref`, `body_bytes`, `body_sha256`, `environment`, `release`, `first_token_ms`)
SELECT `rowid`, `project_id`, `event_id`, `trace_id`, `parent_event_id`, `type`, `name`, `ts`, `duration_ms`, `status`,
  `body`, `context`, `model`, `provider`, `input_tokens`, `output_tokens`, `cached_input_tokens`, `cache_write_tokens`,
  `cost_usd`, `cost_source`, `user_id`, `session_id`, `truncated`, `batch_id`, `received_at`, `body_ref`, `body_bytes`,
  `body_sha256`, `environment`, `release`, `first_token_ms`
FROM `events` ORDER BY `rowid`;
--> statement-breakpoint
DROP TABLE `events`;
--> statement-breakpoint
ALTER TABLE `events_0029` RENAME TO `events`;
--> statement-breakpoint
CREATE INDEX `events_zero_cost` ON `events` (`project_id`, `ts`) WHERE cost_source = 'client' AND cost_usd = 0;
--> statement-breakpoint
-- The Sessions page's index goes too (1 row written per trace and write, 0.10–0.13 per event): the sessions list groups
-- the project's traces in the range (it read them all through this index as well), and a session's traces are found
-- through the list's index by start time, within the range when one is given (docs/SCALING.md §2.7 measures both).
DROP INDEX IF EXISTS `traces_project_session`;

-- Fewer D1 rows written per event (docs/SCALING.md §2.4, issue 29): a trace summary is upserted once per trace per
-- write, and every entry of every index its row is in counts as a row written. The summaries become WITHOUT ROWID,
-- clustered by their primary key (project, trace), so the key needs no index of its own; and the list's sorts by
-- duration, cost and span count lose their indexes (no benchmark or page's first screen reads them: they sort the
-- project's traces in the chosen range instead). Existing summaries are copied as they are.
CREATE TABLE `traces_0025` (
	`project_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`start_ts` integer NOT NULL,
	`end_ts` integer NOT NULL,
	`duration_ms` real NOT NULL,
	`span_count` integer NOT NULL,
	`error_count` integer NOT NULL,
	`status` text NOT NULL,
	`root_event_id` text NOT NULL,
	`root_name` text NOT NULL,
	`root_ts` integer NOT NULL,
	`root_rank` integer NOT NULL,
	`models` text DEFAULT '[]' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`total_tokens` integer DEFAULT 0 NOT NULL,
	`total_cost` real DEFAULT 0 NOT NULL,
	`model_calls` integer DEFAULT 0 NOT NULL,
	`user_id` text,
	`session_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `trace_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `traces_0025` (`project_id`, `trace_id`, `start_ts`, `end_ts`, `duration_ms`, `span_count`, `error_count`,
  `status`, `root_event_id`, `root_name`, `root_ts`, `root_rank`, `models`, `tags`, `input_tokens`, `output_tokens`,
  `cached_input_tokens`, `total_tokens`, `total_cost`, `model_calls`, `user_id`, `session_id`, `updated_at`)
SELECT `project_id`, `trace_id`, `start_ts`, `end_ts`, `duration_ms`, `span_count`, `error_count`, `status`,
  `root_event_id`, `root_name`, `root_ts`, `root_rank`, `models`, `tags`, `input_tokens`, `output_tokens`,
  `cached_input_tokens`, `total_tokens`, `total_cost`, `model_calls`, `user_id`, `session_id`, `updated_at`
FROM `traces`;
--> statement-breakpoint
DROP TABLE `traces`;
--> statement-breakpoint
ALTER TABLE `traces_0025` RENAME TO `traces`;
--> statement-breakpoint
CREATE INDEX `traces_project_start` ON `traces` (`project_id`, `start_ts`, `trace_id`);
--> statement-breakpoint
CREATE INDEX `traces_project_user` ON `traces` (`project_id`, `user_id`, `start_ts`) WHERE user_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `traces_project_session` ON `traces` (`project_id`, `session_id`, `start_ts`) WHERE session_id IS NOT NULL;

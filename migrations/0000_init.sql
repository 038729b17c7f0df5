CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_project` ON `api_keys` (`project_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`project_id` text,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
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
	PRIMARY KEY(`project_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `events_project_ts` ON `events` (`project_id`,`ts`);--> statement-breakpoint
CREATE INDEX `events_trace_parent` ON `events` (`project_id`,`trace_id`,`parent_event_id`);--> statement-breakpoint
CREATE TABLE `orgs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `projects_org` ON `projects` (`org_id`);--> statement-breakpoint
CREATE TABLE `traces` (
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
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`total_tokens` integer DEFAULT 0 NOT NULL,
	`total_cost` real DEFAULT 0 NOT NULL,
	`user_id` text,
	`session_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `trace_id`)
);
--> statement-breakpoint
CREATE INDEX `traces_project_start` ON `traces` (`project_id`,`start_ts`);
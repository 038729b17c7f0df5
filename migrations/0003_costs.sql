CREATE TABLE `cost_hourly` (
	`project_id` text NOT NULL,
	`hour` integer NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`calls` integer NOT NULL,
	`unpriced_calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`cache_write_tokens` integer NOT NULL,
	`cost` real NOT NULL,
	PRIMARY KEY(`project_id`, `hour`, `model`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `prices` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
	`provider` text,
	`model` text NOT NULL,
	`match` text NOT NULL,
	`effective_from` integer DEFAULT 0 NOT NULL,
	`rates` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `prices_project` ON `prices` (`project_id`);--> statement-breakpoint
ALTER TABLE `traces` ADD `model_calls` integer DEFAULT 0 NOT NULL;
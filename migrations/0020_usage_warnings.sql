ALTER TABLE `usage_daily` ADD `scores` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `usage_warnings` (
	`org_id` text NOT NULL,
	`month` integer NOT NULL,
	`threshold` integer NOT NULL,
	`events` integer NOT NULL,
	`event_limit` integer NOT NULL,
	`reached_at` integer NOT NULL,
	`notified_at` integer,
	`deliveries` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `month`, `threshold`)
);
--> statement-breakpoint
CREATE INDEX `usage_warnings_pending` ON `usage_warnings` (`notified_at`);

ALTER TABLE `orgs` ADD `plan` text;--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`org_id` text NOT NULL,
	`project_id` text NOT NULL,
	`day` integer NOT NULL,
	`source` text NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`d1_bytes` integer DEFAULT 0 NOT NULL,
	`r2_bytes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `day`, `source`)
);
--> statement-breakpoint
CREATE INDEX `usage_daily_org` ON `usage_daily` (`org_id`,`day`);

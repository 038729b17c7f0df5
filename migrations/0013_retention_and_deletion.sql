CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`project_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`details` text DEFAULT '{}' NOT NULL,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_org` ON `audit_log` (`org_id`,`at`);--> statement-breakpoint
ALTER TABLE `projects` ADD `retention_days` integer;--> statement-breakpoint
CREATE INDEX `events_project_user` ON `events` (`project_id`,`user_id`) WHERE user_id IS NOT NULL;
CREATE TABLE `share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`hide_io` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_hash` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_project` ON `share_links` (`project_id`,`created_at`);

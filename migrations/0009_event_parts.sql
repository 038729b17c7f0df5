CREATE TABLE `event_parts` (
	`project_id` text NOT NULL,
	`event_id` text NOT NULL,
	`part_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`rank` integer NOT NULL,
	`at` integer NOT NULL,
	`fields` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `event_id`, `part_id`)
);
--> statement-breakpoint
CREATE INDEX `event_parts_trace` ON `event_parts` (`project_id`,`trace_id`);
CREATE TABLE `scores` (
	`project_id` text NOT NULL,
	`score_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`event_id` text,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`value_num` real,
	`value_str` text,
	`comment` text,
	`source` text NOT NULL,
	`ts` integer NOT NULL,
	`user_id` text,
	`metadata` text,
	`author_kind` text NOT NULL,
	`author_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `score_id`)
);
--> statement-breakpoint
CREATE INDEX `scores_trace` ON `scores` (`project_id`,`trace_id`,`name`);--> statement-breakpoint
CREATE INDEX `scores_name_ts` ON `scores` (`project_id`,`name`,`ts`);--> statement-breakpoint
CREATE INDEX `scores_ts` ON `scores` (`project_id`,`ts`);--> statement-breakpoint
CREATE TABLE `score_configs` (
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`min` real,
	`max` real,
	`categories` text,
	`description` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`project_id`, `name`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);

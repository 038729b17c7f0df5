ALTER TABLE `events` ADD `environment` text;--> statement-breakpoint
ALTER TABLE `events` ADD `release` text;--> statement-breakpoint
ALTER TABLE `events` ADD `first_token_ms` real;--> statement-breakpoint
CREATE TABLE `metrics_minute` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`environment` text NOT NULL,
	`release` text NOT NULL,
	`count` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`cost` real NOT NULL,
	`duration_sum` real NOT NULL,
	`duration_count` integer NOT NULL,
	`latency` text NOT NULL,
	`first_token_count` integer NOT NULL,
	`first_token` text NOT NULL,
	PRIMARY KEY(`project_id`, `bucket`, `type`, `name`, `model`, `provider`, `status`, `environment`, `release`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metrics_hourly` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`environment` text NOT NULL,
	`release` text NOT NULL,
	`count` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`cost` real NOT NULL,
	`duration_sum` real NOT NULL,
	`duration_count` integer NOT NULL,
	`latency` text NOT NULL,
	`first_token_count` integer NOT NULL,
	`first_token` text NOT NULL,
	PRIMARY KEY(`project_id`, `bucket`, `type`, `name`, `model`, `provider`, `status`, `environment`, `release`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `user_metrics_minute` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`user_id` text NOT NULL,
	`count` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`cost` real NOT NULL,
	`duration_sum` real NOT NULL,
	`duration_count` integer NOT NULL,
	`latency` text NOT NULL,
	`first_token_count` integer NOT NULL,
	`first_token` text NOT NULL,
	PRIMARY KEY(`project_id`, `bucket`, `user_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `user_metrics_hourly` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`user_id` text NOT NULL,
	`count` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`cost` real NOT NULL,
	`duration_sum` real NOT NULL,
	`duration_count` integer NOT NULL,
	`latency` text NOT NULL,
	`first_token_count` integer NOT NULL,
	`first_token` text NOT NULL,
	PRIMARY KEY(`project_id`, `bucket`, `user_id`)
) WITHOUT ROWID;

CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`filters` text DEFAULT '{}' NOT NULL,
	`window_minutes` integer NOT NULL,
	`op` text NOT NULL,
	`threshold` real NOT NULL,
	`min_count` integer DEFAULT 1 NOT NULL,
	`group_by` text,
	`renotify_minutes` integer,
	`enabled` integer DEFAULT true NOT NULL,
	`signing_secret` text NOT NULL,
	`origin` text NOT NULL,
	`recent` text DEFAULT '[]' NOT NULL,
	`last_evaluated_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_rules_project` ON `alert_rules` (`project_id`);--> statement-breakpoint
CREATE INDEX `alert_rules_due` ON `alert_rules` (`enabled`,`last_evaluated_at`);--> statement-breakpoint
CREATE TABLE `alert_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`target` text NOT NULL,
	`failing_since` integer,
	`disabled_at` integer,
	`disabled_reason` text,
	FOREIGN KEY (`alert_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_channels_alert` ON `alert_channels` (`alert_id`,`position`);--> statement-breakpoint
CREATE TABLE `alert_states` (
	`alert_id` text NOT NULL,
	`group_key` text NOT NULL,
	`group_json` text,
	`state` text NOT NULL,
	`transition` integer DEFAULT 0 NOT NULL,
	`since` integer NOT NULL,
	`value` real,
	`count` integer DEFAULT 0 NOT NULL,
	`last_notified_at` integer,
	PRIMARY KEY(`alert_id`, `group_key`),
	FOREIGN KEY (`alert_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_states_state` ON `alert_states` (`alert_id`,`state`);--> statement-breakpoint
CREATE TABLE `alert_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`group_key` text NOT NULL,
	`group_json` text,
	`transition` integer NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`value` real,
	`count` integer NOT NULL,
	`threshold` real NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`alert_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_transitions_once` ON `alert_transitions` (`alert_id`,`group_key`,`transition`);--> statement-breakpoint
CREATE INDEX `alert_transitions_alert` ON `alert_transitions` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`reason` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`alert_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert` ON `alert_deliveries` (`alert_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `alert_attempts` (
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`status` integer,
	`response` text,
	`error` text,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`delivery_id`, `attempt`),
	FOREIGN KEY (`delivery_id`) REFERENCES `alert_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);

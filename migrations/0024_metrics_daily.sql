-- Day rollups of the event metrics (issue 26's 30-day reads): rebuilt from the hour rows by the scheduled handler for
-- every complete day marked dirty. Sketches are flat JSON arrays of (bucket, count) pairs. The triggers mark the day of
-- every hour row inserted, changed or deleted, whatever writes it (consumer, rebuild, retention, deletion, move), and
-- readers take a dirty day from its hour rows, so day rows are never read stale.
CREATE TABLE `metrics_daily` (
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
CREATE TABLE `metrics_days_dirty` (
	`project_id` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`project_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_insert` AFTER INSERT ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (NEW.`project_id`, (NEW.`bucket` / 86400000) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_update` AFTER UPDATE ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (NEW.`project_id`, (NEW.`bucket` / 86400000) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_delete` AFTER DELETE ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = OLD.`project_id` AND `day` = (OLD.`bucket` / 86400000) * 86400000)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (OLD.`project_id`, (OLD.`bucket` / 86400000) * 86400000);
END;
--> statement-breakpoint
INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`)
SELECT DISTINCT `project_id`, (`bucket` / 86400000) * 86400000 FROM `metrics_hourly`;

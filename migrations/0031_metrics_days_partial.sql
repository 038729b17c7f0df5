-- Day rows of the day in progress (issue 26's 30-day reads ending now): the scheduled handler builds a day's rows from
-- its complete hours before the day ends, and records here how far they reach (`through`: they cover [day, through))
-- and what they held when built (`events`, `rows`: how many events are new since, and how many rows the next build
-- rewrites). Readers take such a day from its day rows plus its hour rows from `through` on. A complete day's rows
-- cover the whole day (no row here). The triggers of migration 0024 are replaced: a change to an hour row marks its
-- day dirty unless that hour lies at or after the day's `through` (the day rows don't cover it, readers take it from
-- hours anyway), so events of the day in progress leave its day rows usable.
CREATE TABLE `metrics_days_partial` (
	`project_id` text NOT NULL,
	`day` integer NOT NULL,
	`through` integer NOT NULL,
	`events` integer NOT NULL,
	`rows` integer NOT NULL,
	PRIMARY KEY(`project_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP TRIGGER `metrics_hourly_dirty_insert`;
--> statement-breakpoint
DROP TRIGGER `metrics_hourly_dirty_update`;
--> statement-breakpoint
DROP TRIGGER `metrics_hourly_dirty_delete`;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_insert` AFTER INSERT ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000)
	AND NOT EXISTS (SELECT 1 FROM `metrics_days_partial` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000 AND `through` <= NEW.`bucket`)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (NEW.`project_id`, (NEW.`bucket` / 86400000) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_update` AFTER UPDATE ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000)
	AND NOT EXISTS (SELECT 1 FROM `metrics_days_partial` WHERE `project_id` = NEW.`project_id` AND `day` = (NEW.`bucket` / 86400000) * 86400000 AND `through` <= NEW.`bucket`)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (NEW.`project_id`, (NEW.`bucket` / 86400000) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_hourly_dirty_delete` AFTER DELETE ON `metrics_hourly`
WHEN NOT EXISTS (SELECT 1 FROM `metrics_days_dirty` WHERE `project_id` = OLD.`project_id` AND `day` = (OLD.`bucket` / 86400000) * 86400000)
	AND NOT EXISTS (SELECT 1 FROM `metrics_days_partial` WHERE `project_id` = OLD.`project_id` AND `day` = (OLD.`bucket` / 86400000) * 86400000 AND `through` <= OLD.`bucket`)
BEGIN
	INSERT OR IGNORE INTO `metrics_days_dirty` (`project_id`, `day`) VALUES (OLD.`project_id`, (OLD.`bucket` / 86400000) * 86400000);
END;

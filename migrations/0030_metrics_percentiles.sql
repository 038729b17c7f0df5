-- Stored percentiles of the whole-project minute rollups (issue 26's 24-hour minute series): each minute row keeps the
-- sketch bucket (src/lib/sketch.ts: an integer, the reader maps it to milliseconds) of the nearest-rank latency p50,
-- p90, p95, p99 and first-token p50, p95 of its own events: every percentile the API offers. A minute series of all
-- events then reads these few integers per point instead of a sketch per point (the range's total still adds
-- sketches: hour rows and the ragged minutes). NULL when the sketch is empty. Hour rows keep none: an hour series
-- reads every hour's sketch for its total anyway, and reading columns stored after a long sketch cost more than merging
-- each hour's sketch on its own saved.
-- Kept by triggers after every insert and every change of a sketch, so every write path (the consumer's upsert, which
-- merges sketches in SQL; adjustments by difference; moves; rebuilds) stores percentiles of the merged sketch.
ALTER TABLE `metrics_total_minute` ADD COLUMN `latency_p50` integer;
--> statement-breakpoint
ALTER TABLE `metrics_total_minute` ADD COLUMN `latency_p90` integer;
--> statement-breakpoint
ALTER TABLE `metrics_total_minute` ADD COLUMN `latency_p95` integer;
--> statement-breakpoint
ALTER TABLE `metrics_total_minute` ADD COLUMN `latency_p99` integer;
--> statement-breakpoint
ALTER TABLE `metrics_total_minute` ADD COLUMN `first_token_p50` integer;
--> statement-breakpoint
ALTER TABLE `metrics_total_minute` ADD COLUMN `first_token_p95` integer;
--> statement-breakpoint
CREATE TRIGGER `metrics_total_minute_percentiles_insert` AFTER INSERT ON `metrics_total_minute`
BEGIN
	UPDATE `metrics_total_minute` SET (`latency_p50`, `latency_p90`, `latency_p95`, `latency_p99`) = (SELECT
		min(iif(`c` >= max(1, ceil(0.5 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.9 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.95 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.99 * `n` - 1e-9)), `k`, NULL))
		FROM (SELECT CAST(`key` AS INTEGER) AS `k`, sum(`value`) OVER (ORDER BY CAST(`key` AS INTEGER)) AS `c`,
			sum(`value`) OVER () AS `n` FROM json_each(NEW.`latency`))),
		(`first_token_p50`, `first_token_p95`) = (SELECT
		min(iif(`c` >= max(1, ceil(0.5 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.95 * `n` - 1e-9)), `k`, NULL))
		FROM (SELECT CAST(`key` AS INTEGER) AS `k`, sum(`value`) OVER (ORDER BY CAST(`key` AS INTEGER)) AS `c`,
			sum(`value`) OVER () AS `n` FROM json_each(NEW.`first_token`)))
	WHERE `project_id` = NEW.`project_id` AND `bucket` = NEW.`bucket`;
END;
--> statement-breakpoint
CREATE TRIGGER `metrics_total_minute_percentiles_update` AFTER UPDATE OF `latency`, `first_token` ON `metrics_total_minute`
BEGIN
	UPDATE `metrics_total_minute` SET (`latency_p50`, `latency_p90`, `latency_p95`, `latency_p99`) = (SELECT
		min(iif(`c` >= max(1, ceil(0.5 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.9 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.95 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.99 * `n` - 1e-9)), `k`, NULL))
		FROM (SELECT CAST(`key` AS INTEGER) AS `k`, sum(`value`) OVER (ORDER BY CAST(`key` AS INTEGER)) AS `c`,
			sum(`value`) OVER () AS `n` FROM json_each(NEW.`latency`))),
		(`first_token_p50`, `first_token_p95`) = (SELECT
		min(iif(`c` >= max(1, ceil(0.5 * `n` - 1e-9)), `k`, NULL)),
		min(iif(`c` >= max(1, ceil(0.95 * `n` - 1e-9)), `k`, NULL))
		FROM (SELECT CAST(`key` AS INTEGER) AS `k`, sum(`value`) OVER (ORDER BY CAST(`key` AS INTEGER)) AS `c`,
			sum(`value`) OVER () AS `n` FROM json_each(NEW.`first_token`)))
	WHERE `project_id` = NEW.`project_id` AND `bucket` = NEW.`bucket`;
END;
--> statement-breakpoint
-- The rows already written: setting a sketch to itself fires the update trigger.
UPDATE `metrics_total_minute` SET `latency` = `latency`;
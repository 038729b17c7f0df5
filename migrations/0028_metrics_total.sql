-- Whole-project metric rollups (issue 26's 24-hour minute series): per project and bucket only, one row per minute or
-- hour, written by the consumer in the same batch as the other rollups (one upsert per bucket), rebuilt, erased, pruned
-- and moved with them. Reads of all events (no group, no filter) take their rows here: one row per bucket, no GROUP BY,
-- one sketch per bucket instead of one per (type, status) pair.
CREATE TABLE `metrics_total_minute` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
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
	PRIMARY KEY(`project_id`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metrics_total_hourly` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
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
	PRIMARY KEY(`project_id`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The rows of the coarse rollups already written, added up per bucket: sums added, sketches merged.
INSERT INTO `metrics_total_minute`
WITH `g` AS (
	SELECT `project_id`, `bucket`, sum(`count`) AS `count`, sum(`errors`) AS `errors`, sum(`input_tokens`) AS `input_tokens`,
		sum(`output_tokens`) AS `output_tokens`, sum(`cached_input_tokens`) AS `cached_input_tokens`, total(`cost`) AS `cost`,
		total(`duration_sum`) AS `duration_sum`, sum(`duration_count`) AS `duration_count`,
		sum(`first_token_count`) AS `first_token_count`
	FROM `metrics_coarse_minute` GROUP BY 1, 2
),
`l` AS (
	SELECT `project_id`, `bucket`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_coarse_minute` r, json_each(r.`latency`) j GROUP BY 1, 2, 3
	) GROUP BY 1, 2
),
`f` AS (
	SELECT `project_id`, `bucket`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_coarse_minute` r, json_each(r.`first_token`) j GROUP BY 1, 2, 3
	) GROUP BY 1, 2
)
SELECT g.`project_id`, g.`bucket`, g.`count`, g.`errors`, g.`input_tokens`, g.`output_tokens`, g.`cached_input_tokens`,
	g.`cost`, g.`duration_sum`, g.`duration_count`, coalesce(l.`s`, '{}'), g.`first_token_count`, coalesce(f.`s`, '{}')
FROM `g` LEFT JOIN `l` USING (`project_id`, `bucket`) LEFT JOIN `f` USING (`project_id`, `bucket`);
--> statement-breakpoint
-- The rows of the coarse rollups already written, added up per bucket: sums added, sketches merged.
INSERT INTO `metrics_total_hourly`
WITH `g` AS (
	SELECT `project_id`, `bucket`, sum(`count`) AS `count`, sum(`errors`) AS `errors`, sum(`input_tokens`) AS `input_tokens`,
		sum(`output_tokens`) AS `output_tokens`, sum(`cached_input_tokens`) AS `cached_input_tokens`, total(`cost`) AS `cost`,
		total(`duration_sum`) AS `duration_sum`, sum(`duration_count`) AS `duration_count`,
		sum(`first_token_count`) AS `first_token_count`
	FROM `metrics_coarse_hourly` GROUP BY 1, 2
),
`l` AS (
	SELECT `project_id`, `bucket`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_coarse_hourly` r, json_each(r.`latency`) j GROUP BY 1, 2, 3
	) GROUP BY 1, 2
),
`f` AS (
	SELECT `project_id`, `bucket`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_coarse_hourly` r, json_each(r.`first_token`) j GROUP BY 1, 2, 3
	) GROUP BY 1, 2
)
SELECT g.`project_id`, g.`bucket`, g.`count`, g.`errors`, g.`input_tokens`, g.`output_tokens`, g.`cached_input_tokens`,
	g.`cost`, g.`duration_sum`, g.`duration_count`, coalesce(l.`s`, '{}'), g.`first_token_count`, coalesce(f.`s`, '{}')
FROM `g` LEFT JOIN `l` USING (`project_id`, `bucket`) LEFT JOIN `f` USING (`project_id`, `bucket`);

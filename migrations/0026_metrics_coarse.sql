-- Coarse metric rollups (issue 26's minute and hour series): per project, bucket, type and status only, written by the
-- consumer in the same batch as the full rollups (one upsert per group), rebuilt, erased, pruned and moved with them.
-- Readers whose groups and filters are type and status only read these: a few rows per bucket instead of one per
-- (name, model, provider, environment, release) held in it.
CREATE TABLE `metrics_coarse_minute` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
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
	PRIMARY KEY(`project_id`, `bucket`, `type`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metrics_coarse_hourly` (
	`project_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
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
	PRIMARY KEY(`project_id`, `bucket`, `type`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The coarse rows of the rollups already written: sums added up, sketches merged bucket by bucket.
INSERT INTO `metrics_coarse_minute`
WITH `g` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, sum(`count`) AS `count`, sum(`errors`) AS `errors`,
		sum(`input_tokens`) AS `input_tokens`, sum(`output_tokens`) AS `output_tokens`,
		sum(`cached_input_tokens`) AS `cached_input_tokens`, total(`cost`) AS `cost`, total(`duration_sum`) AS `duration_sum`,
		sum(`duration_count`) AS `duration_count`, sum(`first_token_count`) AS `first_token_count`
	FROM `metrics_minute` GROUP BY 1, 2, 3, 4
),
`l` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, r.`type`, r.`status`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_minute` r, json_each(r.`latency`) j GROUP BY 1, 2, 3, 4, 5
	) GROUP BY 1, 2, 3, 4
),
`f` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, r.`type`, r.`status`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_minute` r, json_each(r.`first_token`) j GROUP BY 1, 2, 3, 4, 5
	) GROUP BY 1, 2, 3, 4
)
SELECT g.`project_id`, g.`bucket`, g.`type`, g.`status`, g.`count`, g.`errors`, g.`input_tokens`, g.`output_tokens`,
	g.`cached_input_tokens`, g.`cost`, g.`duration_sum`, g.`duration_count`, coalesce(l.`s`, '{}'), g.`first_token_count`,
	coalesce(f.`s`, '{}')
FROM `g` LEFT JOIN `l` USING (`project_id`, `bucket`, `type`, `status`) LEFT JOIN `f` USING (`project_id`, `bucket`, `type`, `status`);
--> statement-breakpoint
-- The coarse rows of the rollups already written: sums added up, sketches merged bucket by bucket.
INSERT INTO `metrics_coarse_hourly`
WITH `g` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, sum(`count`) AS `count`, sum(`errors`) AS `errors`,
		sum(`input_tokens`) AS `input_tokens`, sum(`output_tokens`) AS `output_tokens`,
		sum(`cached_input_tokens`) AS `cached_input_tokens`, total(`cost`) AS `cost`, total(`duration_sum`) AS `duration_sum`,
		sum(`duration_count`) AS `duration_count`, sum(`first_token_count`) AS `first_token_count`
	FROM `metrics_hourly` GROUP BY 1, 2, 3, 4
),
`l` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, r.`type`, r.`status`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_hourly` r, json_each(r.`latency`) j GROUP BY 1, 2, 3, 4, 5
	) GROUP BY 1, 2, 3, 4
),
`f` AS (
	SELECT `project_id`, `bucket`, `type`, `status`, json_group_object(`k`, `n`) AS `s` FROM (
		SELECT r.`project_id`, r.`bucket`, r.`type`, r.`status`, j.`key` AS `k`, sum(j.`value`) AS `n`
		FROM `metrics_hourly` r, json_each(r.`first_token`) j GROUP BY 1, 2, 3, 4, 5
	) GROUP BY 1, 2, 3, 4
)
SELECT g.`project_id`, g.`bucket`, g.`type`, g.`status`, g.`count`, g.`errors`, g.`input_tokens`, g.`output_tokens`,
	g.`cached_input_tokens`, g.`cost`, g.`duration_sum`, g.`duration_count`, coalesce(l.`s`, '{}'), g.`first_token_count`,
	coalesce(f.`s`, '{}')
FROM `g` LEFT JOIN `l` USING (`project_id`, `bucket`, `type`, `status`) LEFT JOIN `f` USING (`project_id`, `bucket`, `type`, `status`);

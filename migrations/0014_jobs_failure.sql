-- Jobs that fail safely: failed attempts in a row and when the next may run (src/maintenance/run.ts); an index to
-- sweep event parts that never became an event, by age.
ALTER TABLE `jobs` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `retry_at` integer;--> statement-breakpoint
CREATE INDEX `event_parts_received` ON `event_parts` (`received_at`);

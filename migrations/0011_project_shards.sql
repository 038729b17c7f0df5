ALTER TABLE `projects` ADD `shard` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `projects_shard` ON `projects` (`shard`);
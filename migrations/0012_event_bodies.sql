ALTER TABLE `events` ADD `body_ref` text;--> statement-breakpoint
ALTER TABLE `events` ADD `body_bytes` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `body_sha256` text;
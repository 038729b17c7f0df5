ALTER TABLE `login_failures` ADD `blocked_until` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Counters are now kept per (email, IP) pair and per IP; the old per-email ones are dropped.
DELETE FROM `login_failures`;

CREATE INDEX `alert_deliveries_unsent` ON `alert_deliveries` (`updated_at`) WHERE status = 'queued' AND attempts = 0;

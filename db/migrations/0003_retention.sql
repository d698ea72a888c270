ALTER TABLE `channels` ADD `short_retention_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
CREATE INDEX `reports_retention_idx` ON `reports` (`channel_id`,`closed_at`);
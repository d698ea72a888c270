CREATE TABLE `report_exclusions` (
	`report_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`report_id`, `user_id`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `report_exclusions_user_idx` ON `report_exclusions` (`user_id`);
ALTER TABLE `reports` ADD `first_reply_at` text;--> statement-breakpoint
-- Reports already answered get their first reply after the acknowledgement (see the trigger below).
UPDATE `reports` SET `first_reply_at` = (
  SELECT min(`created_at`) FROM `messages`
  WHERE `messages`.`report_id` = `reports`.`id` AND `author` = 'reviewer' AND `created_at` > `reports`.`acknowledged_at`
) WHERE `acknowledged_at` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `reports_statistics_idx` ON `reports` (`received_at`,`channel_id`,`status`,`category`,`outcome`,`office`,`process`,`acknowledged_at`,`closed_at`,`acknowledge_by`,`feedback_by`,`first_reply_at`);--> statement-breakpoint
CREATE INDEX `audit_events_target_idx` ON `audit_events` (`target`);--> statement-breakpoint
-- Keeps reports.first_reply_at: the first message a reviewer sends after the acknowledgement
-- (the acknowledgement's own message goes out just before acknowledged_at is set, so it is not
-- counted). Kept by the database itself, like report_counts, so that no code path forgets it.
CREATE TRIGGER `reports_first_reply` AFTER INSERT ON `messages` WHEN NEW.`author` = 'reviewer' BEGIN
  UPDATE `reports` SET `first_reply_at` = NEW.`created_at`
    WHERE `id` = NEW.`report_id` AND `first_reply_at` IS NULL
      AND `acknowledged_at` IS NOT NULL AND `acknowledged_at` < NEW.`created_at`;
END;

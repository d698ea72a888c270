-- Keeps report_counts (reports per channel and status) in step with reports, so that the inbox's
-- counts read a few rows instead of scanning every report. Maintained by the database itself, so
-- no code path (triage, retention, bulk loading) can forget it.
CREATE TRIGGER `reports_count_insert` AFTER INSERT ON `reports` BEGIN
  INSERT INTO `report_counts` (`channel_id`, `status`, `n`) VALUES (NEW.`channel_id`, NEW.`status`, 1)
    ON CONFLICT (`channel_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_count_delete` AFTER DELETE ON `reports` BEGIN
  UPDATE `report_counts` SET `n` = `n` - 1 WHERE `channel_id` = OLD.`channel_id` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_count_update` AFTER UPDATE OF `status`, `channel_id` ON `reports`
  WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`channel_id` IS NOT NEW.`channel_id` BEGIN
  UPDATE `report_counts` SET `n` = `n` - 1 WHERE `channel_id` = OLD.`channel_id` AND `status` = OLD.`status`;
  INSERT INTO `report_counts` (`channel_id`, `status`, `n`) VALUES (NEW.`channel_id`, NEW.`status`, 1)
    ON CONFLICT (`channel_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;

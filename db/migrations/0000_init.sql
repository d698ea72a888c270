CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`size` integer NOT NULL,
	`received` integer DEFAULT 0 NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	`meta_nonce` blob NOT NULL,
	`meta_ciphertext` blob NOT NULL,
	`created_at` text NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "attachments_received_within_size" CHECK("attachments"."received" BETWEEN 0 AND "attachments"."size"),
	CONSTRAINT "attachments_meta_nonce_length" CHECK(length("attachments"."meta_nonce") = 24)
);
--> statement-breakpoint
CREATE INDEX `attachments_report_idx` ON `attachments` (`report_id`);--> statement-breakpoint
CREATE INDEX `attachments_purge_idx` ON `attachments` (`complete`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`details` text NOT NULL,
	`prev_hash` blob NOT NULL,
	`hash` blob NOT NULL,
	CONSTRAINT "audit_events_prev_hash_length" CHECK(length("audit_events"."prev_hash") = 32),
	CONSTRAINT "audit_events_hash_length" CHECK(length("audit_events"."hash") = 32)
);
--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`actor`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`action`);--> statement-breakpoint
CREATE TABLE `challenges` (
	`report_id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`salt` blob NOT NULL,
	`bits` integer NOT NULL,
	`expires_at` text NOT NULL,
	`used` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "challenges_salt_length" CHECK(length("challenges"."salt") = 16)
);
--> statement-breakpoint
CREATE INDEX `challenges_expires_idx` ON `challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `channel_members` (
	`channel_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`channel_id`, `user_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_members_user_idx` ON `channel_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`questionnaire` text NOT NULL,
	`allow_recipient_exclusion` integer DEFAULT false NOT NULL,
	`max_attachment_bytes` integer NOT NULL,
	`retention_days` integer DEFAULT 365 NOT NULL,
	`messages_after_close` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`author` text NOT NULL,
	`author_user_id` text,
	`created_at` text NOT NULL,
	`seq` integer NOT NULL,
	`nonce` blob NOT NULL,
	`ciphertext` blob NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "messages_author_valid" CHECK("messages"."author" IN ('reporter', 'reviewer')),
	CONSTRAINT "messages_nonce_length" CHECK(length("messages"."nonce") = 24)
);
--> statement-breakpoint
CREATE INDEX `messages_report_seq_idx` ON `messages` (`report_id`,`seq`);--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`author_user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`seq` integer NOT NULL,
	`nonce` blob NOT NULL,
	`ciphertext` blob NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notes_nonce_length" CHECK(length("notes"."nonce") = 24)
);
--> statement-breakpoint
CREATE INDEX `notes_report_seq_idx` ON `notes` (`report_id`,`seq`);--> statement-breakpoint
CREATE TABLE `one_time_tokens` (
	`token_hash` blob PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`role` text,
	`channels` text,
	`username` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "one_time_tokens_kind_valid" CHECK("one_time_tokens"."kind" IN ('setup', 'invite', 'reset')),
	CONSTRAINT "one_time_tokens_token_hash_length" CHECK(length("one_time_tokens"."token_hash") = 32)
);
--> statement-breakpoint
CREATE TABLE `report_assignees` (
	`report_id` text NOT NULL,
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`report_id`, `user_id`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `report_assignees_user_seq_idx` ON `report_assignees` (`user_id`,`seq`);--> statement-breakpoint
CREATE TABLE `report_contents` (
	`report_id` text PRIMARY KEY NOT NULL,
	`nonce` blob NOT NULL,
	`ciphertext` blob NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "report_contents_nonce_length" CHECK(length("report_contents"."nonce") = 24)
);
--> statement-breakpoint
CREATE TABLE `report_counts` (
	`channel_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `report_keys` (
	`report_id` text NOT NULL,
	`key_id` text NOT NULL,
	`sealed_key` blob NOT NULL,
	`sealed_internal_key` blob,
	PRIMARY KEY(`report_id`, `key_id`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "report_keys_sealed_key_length" CHECK(length("report_keys"."sealed_key") = 80),
	CONSTRAINT "report_keys_sealed_internal_key_length" CHECK(length("report_keys"."sealed_internal_key") = 80)
);
--> statement-breakpoint
CREATE TABLE `report_reads` (
	`user_id` text NOT NULL,
	`report_id` text NOT NULL,
	`last_seq` integer NOT NULL,
	PRIMARY KEY(`user_id`, `report_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `report_reads_report_idx` ON `report_reads` (`report_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`receipt_tag` blob NOT NULL,
	`reporter_public_key` blob NOT NULL,
	`reporter_sealed_key` blob NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`severity` text,
	`category` text,
	`office` text,
	`process` text,
	`outcome` text,
	`received_at` text NOT NULL,
	`seq` integer NOT NULL,
	`acknowledged_at` text,
	`closed_at` text,
	`acknowledge_by` text NOT NULL,
	`feedback_by` text NOT NULL,
	`last_reporter_seq` integer NOT NULL,
	`retain_until` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_status_valid" CHECK("reports"."status" IN ('new', 'acknowledged', 'in_review', 'needs_information', 'closed')),
	CONSTRAINT "reports_outcome_valid" CHECK("reports"."outcome" IN ('substantiated', 'unsubstantiated', 'referred', 'no_action', 'duplicate', 'spam')),
	CONSTRAINT "reports_receipt_tag_length" CHECK(length("reports"."receipt_tag") = 32),
	CONSTRAINT "reports_reporter_public_key_length" CHECK(length("reports"."reporter_public_key") = 32),
	CONSTRAINT "reports_reporter_sealed_key_length" CHECK(length("reports"."reporter_sealed_key") = 80)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_receipt_tag_unique` ON `reports` (`receipt_tag`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_seq_unique` ON `reports` (`seq`);--> statement-breakpoint
CREATE INDEX `reports_inbox_idx` ON `reports` (`channel_id`,`status`,`seq`);--> statement-breakpoint
CREATE INDEX `reports_channel_seq_idx` ON `reports` (`channel_id`,`seq`);--> statement-breakpoint
CREATE INDEX `reports_status_seq_idx` ON `reports` (`status`,`seq`);--> statement-breakpoint
CREATE INDEX `reports_category_seq_idx` ON `reports` (`category`,`seq`);--> statement-breakpoint
CREATE INDEX `reports_severity_seq_idx` ON `reports` (`severity`,`seq`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` blob PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sessions_id_hash_length" CHECK(length("sessions"."id_hash") = 32)
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_last_seen_idx` ON `sessions` (`last_seen_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`roles` text NOT NULL,
	`salt` blob NOT NULL,
	`opslimit` integer NOT NULL,
	`memlimit` integer NOT NULL,
	`auth_verifier` blob NOT NULL,
	`box_public_key` blob NOT NULL,
	`sign_public_key` blob NOT NULL,
	`key_id` text NOT NULL,
	`key_bundle_nonce` blob NOT NULL,
	`key_bundle_ciphertext` blob NOT NULL,
	`totp_secret_nonce` blob NOT NULL,
	`totp_secret_ciphertext` blob NOT NULL,
	`last_totp_step` integer,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "users_salt_length" CHECK(length("users"."salt") = 16),
	CONSTRAINT "users_auth_verifier_length" CHECK(length("users"."auth_verifier") = 32),
	CONSTRAINT "users_box_public_key_length" CHECK(length("users"."box_public_key") = 32),
	CONSTRAINT "users_sign_public_key_length" CHECK(length("users"."sign_public_key") = 32),
	CONSTRAINT "users_key_bundle_nonce_length" CHECK(length("users"."key_bundle_nonce") = 24)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE INDEX `users_key_id_idx` ON `users` (`key_id`);
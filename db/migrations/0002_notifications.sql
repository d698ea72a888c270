ALTER TABLE `users` ADD `email` text;--> statement-breakpoint
ALTER TABLE `users` ADD `notify` text DEFAULT 'digest' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `notify_locale` text DEFAULT 'en' NOT NULL;
CREATE TABLE `roster_entries` (
	`seq` integer PRIMARY KEY NOT NULL,
	`entry` text NOT NULL,
	`sig` text NOT NULL
);

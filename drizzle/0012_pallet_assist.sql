CREATE TABLE `pallet_line_corrections` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`analysis_id` text NOT NULL,
	`line_id` text NOT NULL,
	`name` text,
	`category` text,
	`brand` text,
	`model` text,
	`original_json` text DEFAULT '{}' NOT NULL,
	`source` text DEFAULT 'model' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pallet_line_corrections_line_idx` ON `pallet_line_corrections` (`line_id`);--> statement-breakpoint
CREATE INDEX `pallet_line_corrections_analysis_idx` ON `pallet_line_corrections` (`analysis_id`);--> statement-breakpoint
CREATE TABLE `pallet_line_suggestions` (
	`id` text PRIMARY KEY NOT NULL,
	`analysis_id` text NOT NULL,
	`line_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`name` text,
	`category` text,
	`brand` text,
	`model` text,
	`reasons` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pallet_line_suggestions_line_idx` ON `pallet_line_suggestions` (`line_id`);--> statement-breakpoint
CREATE INDEX `pallet_line_suggestions_analysis_idx` ON `pallet_line_suggestions` (`analysis_id`,`status`);
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_pallet_dashboard_groups` (
	`analysis_id` text NOT NULL,
	`pallet_id` text,
	`status` text NOT NULL,
	`category` text,
	`condition` text,
	`lines` integer NOT NULL,
	`units` real NOT NULL,
	`retail` real NOT NULL,
	`cost` real
);
--> statement-breakpoint
DROP TABLE `pallet_dashboard_groups`;--> statement-breakpoint
ALTER TABLE `__new_pallet_dashboard_groups` RENAME TO `pallet_dashboard_groups`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `pallet_dashboard_groups_pallet_idx` ON `pallet_dashboard_groups` (`analysis_id`,`pallet_id`,`status`,`category`,`condition`,`lines`,`units`,`retail`,`cost`);--> statement-breakpoint
-- The cached groups held 0 where no line had a price: every analysis is aggregated again (start-up warm-up).
DELETE FROM `pallet_dashboard_fresh`;

-- The dashboard's status / category mix and blocked lines per blocking key, cached per analysis with its
-- groups (src-main/pallets/dashboard.ts): every analysis is aggregated again once, so all three agree.
CREATE TABLE `pallet_dashboard_blocking` (
	`analysis_id` text NOT NULL,
	`blocking_rules` text,
	`lines` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pallet_dashboard_blocking_analysis_idx` ON `pallet_dashboard_blocking` (`analysis_id`);--> statement-breakpoint
CREATE TABLE `pallet_dashboard_mix` (
	`analysis_id` text NOT NULL,
	`status` text NOT NULL,
	`category` text,
	`lines` integer NOT NULL,
	`units` real NOT NULL,
	`retail` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pallet_dashboard_mix_analysis_idx` ON `pallet_dashboard_mix` (`analysis_id`);--> statement-breakpoint
DROP INDEX `pallet_dashboard_groups_analysis_idx`;--> statement-breakpoint
CREATE INDEX `pallet_dashboard_groups_pallet_idx` ON `pallet_dashboard_groups` (`analysis_id`,`pallet_id`,`status`,`category`,`condition`,`lines`,`units`,`retail`,`cost`);--> statement-breakpoint
DELETE FROM `pallet_dashboard_fresh`;--> statement-breakpoint
DELETE FROM `pallet_dashboard_groups`;
CREATE TABLE `pallet_dashboard_fresh` (
	`analysis_id` text PRIMARY KEY NOT NULL,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pallet_dashboard_groups` (
	`analysis_id` text NOT NULL,
	`pallet_id` text,
	`status` text NOT NULL,
	`category` text,
	`condition` text,
	`lines` integer NOT NULL,
	`units` real NOT NULL,
	`retail` real NOT NULL,
	`cost` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pallet_dashboard_groups_analysis_idx` ON `pallet_dashboard_groups` (`analysis_id`);--> statement-breakpoint
-- The dashboard's cached groups of an analysis stop being valid on any write to its lines that changes a
-- grouped or summed column, whoever writes (import, re-score, edits, deletes, sync pull). Triggers only
-- forget the analysis (one primary-key delete); the dashboard recomputes it when next asked.
CREATE TRIGGER `pallet_dashboard_stale_insert` AFTER INSERT ON `pallet_items` BEGIN
	DELETE FROM `pallet_dashboard_fresh` WHERE `analysis_id` = new.`analysis_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `pallet_dashboard_stale_delete` AFTER DELETE ON `pallet_items` BEGIN
	DELETE FROM `pallet_dashboard_fresh` WHERE `analysis_id` = old.`analysis_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `pallet_dashboard_stale_update` AFTER UPDATE OF `analysis_id`, `pallet_id`, `status`, `category`, `condition`, `quantity`, `retail_price`, `price_net`, `deleted_at` ON `pallet_items`
WHEN old.`analysis_id` IS NOT new.`analysis_id` OR old.`pallet_id` IS NOT new.`pallet_id` OR old.`status` IS NOT new.`status`
	OR old.`category` IS NOT new.`category` OR old.`condition` IS NOT new.`condition` OR old.`quantity` IS NOT new.`quantity`
	OR old.`retail_price` IS NOT new.`retail_price` OR old.`price_net` IS NOT new.`price_net` OR old.`deleted_at` IS NOT new.`deleted_at`
BEGIN
	DELETE FROM `pallet_dashboard_fresh` WHERE `analysis_id` IN (old.`analysis_id`, new.`analysis_id`);
END;

-- An UPDATE trigger that names `status` made every re-score ~40% slower (with any trigger on the columns
-- it sets, SQLite runs the trigger program per row). Re-scoring (the only local writer of status) and
-- sync pull forget the dashboard's groups themselves (src-main/pallets/dashboard.ts, src-main/sync/pull.ts);
-- the trigger keeps watching every other grouped or summed column.
DROP TRIGGER `pallet_dashboard_stale_update`;
--> statement-breakpoint
CREATE TRIGGER `pallet_dashboard_stale_update` AFTER UPDATE OF `analysis_id`, `pallet_id`, `category`, `condition`, `quantity`, `retail_price`, `price_net`, `deleted_at` ON `pallet_items`
WHEN old.`analysis_id` IS NOT new.`analysis_id` OR old.`pallet_id` IS NOT new.`pallet_id`
	OR old.`category` IS NOT new.`category` OR old.`condition` IS NOT new.`condition` OR old.`quantity` IS NOT new.`quantity`
	OR old.`retail_price` IS NOT new.`retail_price` OR old.`price_net` IS NOT new.`price_net` OR old.`deleted_at` IS NOT new.`deleted_at`
BEGIN
	DELETE FROM `pallet_dashboard_fresh` WHERE `analysis_id` IN (old.`analysis_id`, new.`analysis_id`);
END;

DROP INDEX `pallet_items_analysis_idx`;--> statement-breakpoint
DROP INDEX `pallet_items_dash_idx`;--> statement-breakpoint
CREATE INDEX `pallet_items_search_idx` ON `pallet_items` (`analysis_id`,`name`,`brand`,`ean`,`sku`,`source_row`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `pallet_items_fired_idx` ON `pallet_items` (`analysis_id`,"data_json" ->> '$.f',`source_row`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `pallet_items_blocking_idx` ON `pallet_items` (`analysis_id`,"data_json" ->> '$.b',`status`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL AND "pallet_items"."status" = 'blocked';--> statement-breakpoint
CREATE INDEX `pallet_items_analysis_idx` ON `pallet_items` (`analysis_id`,`source_row`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `pallet_items_dash_idx` ON `pallet_items` (`analysis_id`,`pallet_id`,`status`,`category`,`condition`,`quantity`,`retail_price`,`price_net`,`score`,`source_row`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL;
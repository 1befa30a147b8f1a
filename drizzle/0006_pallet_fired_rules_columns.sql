-- The fired / blocking rule keys of a line leave data_json for two small columns: a re-score then writes
-- score, status and these two instead of parsing and re-serialising every changed line's data_json, and
-- no index evaluates JSON any more (the fired rules ride in pallet_items_dash_idx; blocking has its own
-- partial index as before). Indexes are dropped first and rebuilt after the backfill.
DROP INDEX `pallet_items_fired_idx`;--> statement-breakpoint
DROP INDEX `pallet_items_dash_idx`;--> statement-breakpoint
DROP INDEX `pallet_items_blocking_idx`;--> statement-breakpoint
ALTER TABLE `pallet_items` ADD `fired_rules` text;--> statement-breakpoint
ALTER TABLE `pallet_items` ADD `blocking_rules` text;--> statement-breakpoint
-- Lines stored before keep their old '$.f' / '$.b' in data_json (never read again): the server keeps the
-- same data_json text, so both sides stay identical. Only lines with a fired rule are rewritten.
UPDATE `pallet_items` SET `fired_rules` = "data_json" ->> '$.f', `blocking_rules` = "data_json" ->> '$.b'
WHERE json_valid("data_json") AND ("data_json" ->> '$.f' IS NOT NULL OR "data_json" ->> '$.b' IS NOT NULL);--> statement-breakpoint
-- A re-score queued before this migration named data_json (where its keys were): push the columns too.
UPDATE `sync_outbox` SET `changes_json` = json_insert(`changes_json`, '$.bulk.fields[#]', 'fired_rules', '$.bulk.fields[#]', 'blocking_rules')
WHERE `table_name` = 'pallet_items' AND `row_id` = '*' AND json_valid(`changes_json`)
	AND EXISTS (SELECT 1 FROM json_each(`changes_json`, '$.bulk.fields') WHERE `value` = 'data_json');--> statement-breakpoint
CREATE INDEX `pallet_items_dash_idx` ON `pallet_items` (`analysis_id`,`pallet_id`,`status`,`category`,`condition`,`quantity`,`retail_price`,`price_net`,`score`,`source_row`,`fired_rules`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `pallet_items_blocking_idx` ON `pallet_items` (`analysis_id`,`blocking_rules`,`status`,`deleted_at`) WHERE "pallet_items"."deleted_at" IS NULL AND "pallet_items"."status" = 'blocked';

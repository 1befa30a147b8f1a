CREATE TABLE `analyses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`name` text NOT NULL,
	`supplier` text,
	`source_file` text,
	`sheet_name` text,
	`content_hash` text,
	`header_row` integer,
	`mapping_json` text DEFAULT '{}' NOT NULL,
	`pallet_price` real,
	`currency` text,
	`line_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'ready' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `client_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`lead_id` text NOT NULL,
	`session_id` text,
	`analysis_json` text NOT NULL,
	`archetype` text,
	`source` text NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `coaching_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`lead_id` text,
	`mode` text NOT NULL,
	`title` text NOT NULL,
	`archetype` text,
	`language` text DEFAULT 'pl' NOT NULL,
	`scorecard_json` text,
	`ended_at` integer,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `coaching_sessions_lead_idx` ON `coaching_sessions` (`lead_id`);--> statement-breakpoint
CREATE TABLE `column_mappings` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`supplier` text,
	`header_signature` text NOT NULL,
	`mapping_json` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `column_mappings_sig_idx` ON `column_mappings` (`header_signature`);--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`suggestion_id` text NOT NULL,
	`knowledge_id` text,
	`rating` integer NOT NULL,
	`comment` text,
	FOREIGN KEY (`suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `feedback_suggestion_idx` ON `feedback` (`suggestion_id`);--> statement-breakpoint
CREATE INDEX `feedback_knowledge_idx` ON `feedback` (`knowledge_id`);--> statement-breakpoint
CREATE TABLE `knowledge_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`key` text,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`archetype` text,
	`category` text,
	`tags_json` text DEFAULT '[]' NOT NULL,
	`origin` text DEFAULT 'user' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `knowledge_kind_idx` ON `knowledge_entries` (`kind`,`language`);--> statement-breakpoint
CREATE INDEX `knowledge_key_idx` ON `knowledge_entries` (`key`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`name` text NOT NULL,
	`company` text,
	`email` text,
	`phone` text,
	`notes` text,
	`language` text DEFAULT 'pl' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`session_id` text NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`source` text,
	`seq` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `coaching_sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_session_idx` ON `messages` (`session_id`,`seq`);--> statement-breakpoint
CREATE TABLE `models` (
	`path` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`metadata_json` text DEFAULT '{}' NOT NULL,
	`broken_reason` text,
	`sha256` text,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pallet_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`analysis_id` text NOT NULL,
	`source_row` integer NOT NULL,
	`pallet_id` text,
	`name` text,
	`category` text,
	`brand` text,
	`ean` text,
	`sku` text,
	`quantity` integer,
	`price_net` real,
	`price_gross` real,
	`retail_price` real,
	`currency` text,
	`condition` text,
	`score` integer DEFAULT 50 NOT NULL,
	`status` text DEFAULT 'ok' NOT NULL,
	`data_json` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`analysis_id`) REFERENCES `analyses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pallet_items_analysis_idx` ON `pallet_items` (`analysis_id`,`source_row`);--> statement-breakpoint
CREATE INDEX `pallet_items_dash_idx` ON `pallet_items` (`analysis_id`,`status`,`category`,`pallet_id`,`quantity`,`retail_price`,`price_net`);--> statement-breakpoint
CREATE TABLE `rule_templates` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`action` text NOT NULL,
	`weight` integer NOT NULL,
	`condition_json` text NOT NULL,
	`description` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`action` text NOT NULL,
	`weight` integer DEFAULT 5 NOT NULL,
	`condition_json` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`template_key` text
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suggestions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`session_id` text NOT NULL,
	`message_id` text,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`knowledge_ids_json` text DEFAULT '[]' NOT NULL,
	`source` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `coaching_sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_session_idx` ON `suggestions` (`session_id`);--> statement-breakpoint
CREATE TABLE `sync_field_clocks` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`hlc` text NOT NULL,
	PRIMARY KEY(`table_name`, `row_id`, `field`)
);
--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`changes_json` text NOT NULL,
	`hlc` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_outbox_row_idx` ON `sync_outbox` (`table_name`,`row_id`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);

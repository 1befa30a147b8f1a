CREATE TABLE `lead_archetypes` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`lead_id` text NOT NULL,
	`session_id` text,
	`archetype` text NOT NULL,
	`previous_archetype` text,
	`confidence` text NOT NULL,
	`evidence_json` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_archetypes_lead_idx` ON `lead_archetypes` (`lead_id`);--> statement-breakpoint
ALTER TABLE `coaching_sessions` ADD `archetype_evidence_json` text;--> statement-breakpoint
ALTER TABLE `knowledge_entries` ADD `facts_json` text;
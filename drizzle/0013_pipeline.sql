CREATE TABLE `followup_sequences` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`lead_id` text NOT NULL,
	`template_key` text NOT NULL,
	`language` text NOT NULL,
	`archetype` text,
	`status` text DEFAULT 'active' NOT NULL,
	`started_at` integer NOT NULL,
	`replied_at` integer,
	`reply_text` text,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `followup_sequences_lead_idx` ON `followup_sequences` (`lead_id`);--> statement-breakpoint
CREATE TABLE `followup_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`sequence_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`day_offset` integer NOT NULL,
	`due_at` integer NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`draft_source` text DEFAULT 'template' NOT NULL,
	`sent_at` integer,
	`snoozed_until` integer,
	FOREIGN KEY (`sequence_id`) REFERENCES `followup_sequences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `followup_steps_sequence_idx` ON `followup_steps` (`sequence_id`);--> statement-breakpoint
CREATE INDEX `followup_steps_due_idx` ON `followup_steps` (`due_at`);--> statement-breakpoint
CREATE TABLE `outcomes` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`lead_id` text NOT NULL,
	`session_id` text,
	`outcome` text NOT NULL,
	`reason` text,
	`next_meeting_at` integer,
	`suggestion_ids_json` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outcomes_lead_idx` ON `outcomes` (`lead_id`);--> statement-breakpoint
CREATE INDEX `outcomes_session_idx` ON `outcomes` (`session_id`);--> statement-breakpoint
ALTER TABLE `knowledge_entries` ADD `author` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `stage` text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE `leads` ADD `lost_reason` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `deal_value` real;--> statement-breakpoint
ALTER TABLE `leads` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `source` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `tags_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `leads` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `next_step` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `next_step_due` integer;--> statement-breakpoint
ALTER TABLE `leads` ADD `next_step_snoozed_until` integer;--> statement-breakpoint
ALTER TABLE `leads` ADD `next_step_done_at` integer;
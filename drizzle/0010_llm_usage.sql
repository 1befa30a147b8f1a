CREATE TABLE `llm_usage` (
	`day` text NOT NULL,
	`task` text NOT NULL,
	`source` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`total_ms` integer DEFAULT 0 NOT NULL,
	`generation_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `task`, `source`)
);

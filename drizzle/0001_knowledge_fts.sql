-- Full-text index over knowledge entries for instant coaching retrieval.
-- The indexed text is folded (Polish diacritics, umlauts) and stemmed in TypeScript
-- (src-shared/coaching/stem.ts), which SQLite cannot do itself. So the triggers below only queue the
-- ids of changed entries, whoever writes them (repository, sync pull, import), and the retrieval module
-- indexes the queue before each search. The FTS rowid is knowledge_fts_docs.doc_id (stable integer).
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(`title`, `body`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TABLE `knowledge_fts_docs` (
	`doc_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` text NOT NULL,
	`kind` text NOT NULL,
	`language` text NOT NULL,
	`category` text,
	`archetype` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_fts_docs_entry_idx` ON `knowledge_fts_docs` (`entry_id`);
--> statement-breakpoint
CREATE TABLE `knowledge_fts_pending` (
	`entry_id` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_queue_insert` AFTER INSERT ON `knowledge_entries` BEGIN
	INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) VALUES (new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_queue_update` AFTER UPDATE ON `knowledge_entries` BEGIN
	INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) VALUES (new.`id`);
	INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) VALUES (old.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_queue_delete` AFTER DELETE ON `knowledge_entries` BEGIN
	INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) VALUES (old.`id`);
END;
--> statement-breakpoint
INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) SELECT `id` FROM `knowledge_entries`;

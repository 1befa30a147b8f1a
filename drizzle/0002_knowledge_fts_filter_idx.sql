-- Lets the coach rank a category's responses from the narrow docs table instead of scanning the wide
-- knowledge_entries rows (src-main/knowledge/retrieval.ts rankedByFeedback). IF NOT EXISTS: a store
-- that picked this index up from an interim version of 0001 already has it.
CREATE INDEX IF NOT EXISTS `knowledge_fts_docs_filter_idx` ON `knowledge_fts_docs` (`language`, `kind`, `category`, `archetype`);

-- Text folding became one function for the whole project (src-shared/text/fold.ts): it decomposes before
-- lower-casing and folds a few more letters (ħ ŧ, letter-like symbols), so index rows folded by the old
-- coaching table may differ from how queries fold now. Every entry is queued; the next search re-indexes it.
INSERT OR IGNORE INTO `knowledge_fts_pending` (`entry_id`) SELECT `id` FROM `knowledge_entries`;

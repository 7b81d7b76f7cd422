-- V011: the vocabulary of each index (in how many tickets each term occurs), for
-- duplicate hints' TF-IDF weights (search/similar.h).
CREATE VIRTUAL TABLE ticket_vocab_pt USING fts5vocab(ticket_fts_pt, 'row');
CREATE VIRTUAL TABLE ticket_vocab_en USING fts5vocab(ticket_fts_en, 'row');
CREATE VIRTUAL TABLE ticket_vocab_es USING fts5vocab(ticket_fts_es, 'row');
CREATE VIRTUAL TABLE ticket_vocab_de USING fts5vocab(ticket_fts_de, 'row');
CREATE VIRTUAL TABLE ticket_vocab_ru USING fts5vocab(ticket_fts_ru, 'row');
-- The same for the help center's indexes: help search leaves its most common words out of
-- matching (repo_articles.cc) to bound the work of a question.
CREATE VIRTUAL TABLE article_vocab_pt USING fts5vocab(article_fts_pt, 'row');
CREATE VIRTUAL TABLE article_vocab_en USING fts5vocab(article_fts_en, 'row');
CREATE VIRTUAL TABLE article_vocab_es USING fts5vocab(article_fts_es, 'row');
CREATE VIRTUAL TABLE article_vocab_de USING fts5vocab(article_fts_de, 'row');
CREATE VIRTUAL TABLE article_vocab_ru USING fts5vocab(article_fts_ru, 'row');

-- V011: the vocabulary of each ticket index (in how many tickets each term occurs), for
-- duplicate hints' TF-IDF weights (search/similar.h).
CREATE VIRTUAL TABLE ticket_vocab_pt USING fts5vocab(ticket_fts_pt, 'row');
CREATE VIRTUAL TABLE ticket_vocab_en USING fts5vocab(ticket_fts_en, 'row');
CREATE VIRTUAL TABLE ticket_vocab_es USING fts5vocab(ticket_fts_es, 'row');
CREATE VIRTUAL TABLE ticket_vocab_de USING fts5vocab(ticket_fts_de, 'row');
CREATE VIRTUAL TABLE ticket_vocab_ru USING fts5vocab(ticket_fts_ru, 'row');

// PostgreSQL's ticket search fed with Chamado's terms (V028): the literals of a ticket's
// document (tsvector) and of a search's clauses (tsquery), built from the same analyzer
// SQLite's FTS5 tokenizer runs (search/analyzer.h), so both engines index and match the same
// terms. Passed as parameters, `CAST($1 AS tsvector)`, never parsed by a text search
// configuration. Pure functions: the caller's Analyzer is the only state (one per thread).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "search/analyzer.h"
#include "search/query.h"

namespace chamado::store {

// PostgreSQL's limits on a tsvector: a lexeme's bytes, its positions, the highest position
// (a later one is stored as this), and the bytes of the whole value (1 MB; the literal is
// kept under it, which keeps the value under it too).
inline constexpr size_t kMaxTsLexemeBytes = 2047;
inline constexpr size_t kMaxTsPositions = 256;
inline constexpr int kMaxTsPosition = 16383;
inline constexpr size_t kMaxTsVectorBytes = 1000000;

// A ticket's text as the view ticket_text gives it.
struct TicketText {
  std::string subject;
  std::string people;    // the requester's name and email
  std::string internal;  // internal notes
  std::string conversation;  // customer messages and public replies
};

// The document of a ticket: each part's terms in order, one position apart, one free
// position between parts (so no phrase spans two, as FTS5's columns), weighted A subject,
// B people, C internal notes, D conversation. The parts go in that order, the long
// conversation last: positions past kMaxTsPosition all count as that one, and the words
// after them keep no phrase. A term keeps its first kMaxTsPositions positions; a term too
// long for PostgreSQL is left out, and so are the terms that would take the literal past
// kMaxTsVectorBytes (the latest ones first).
std::string TsVectorLiteral(const search::Analyzer& analyzer, const TicketText& text);

// A term quoted as a lexeme of either literal: 'it''s', '\\'.
std::string TsLexeme(std::string_view term);

// The tsquery literal of a search clause, as FTS5 reads the same clause quoted: its terms
// as a phrase ('a' <-> 'b'), the last one a prefix ('b':*) for a prefix clause. A text that
// starts with \x01 is one index term already (store/sqlite.cc's tokenizer says the same).
// Empty when the text has no terms (punctuation alone): FTS5's empty phrase, which matches
// nothing.
std::string TsQueryClause(const search::Analyzer& analyzer, const search::Clause& clause);

}  // namespace chamado::store

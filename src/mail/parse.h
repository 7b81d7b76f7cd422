// Parses raw RFC 5322 mail with GMime into the help desk's ParsedMail: RFC 2047 words and
// any charset to UTF-8, multipart/alternative reduced to its text, HTML turned into plain
// text (nothing active survives), attachments and inline images with decoded names.
//
// Untrusted input: never fails on malformed mail (it takes what can be read), never throws.
// Thread-safe after InitMail().
#pragma once

#include <string>
#include <string_view>

#include "core/mail.h"

namespace chamado::mail {

// Once per process, before any parsing (idempotent).
void InitMail();

core::ParsedMail ParseMail(std::string_view raw);

// HTML to readable plain text: scripts, styles and comments dropped, entities decoded, block
// elements on their own lines, list items bulleted, links followed by their address.
std::string HtmlToText(std::string_view html);

}  // namespace chamado::mail

// Required details per category (seed 004: project number, item name, steps taken,
// screenshots; seed 003: OS, browser): what a new ticket must carry before it is opened.
// Checked when a ticket is opened by a person (portal, API), never on later changes and never
// for mail, which is accepted as it came (refusing a mail loses it). Pure: no I/O.
#pragma once

#include "core/model.h"
#include "core/result.h"
#include "core/ticket.h"

namespace chamado::core {

// The field a missing detail is reported under: "custom_fields.KEY" for a text or number
// detail (where the JSON API takes it), "detail.KEY" for an attachment (the form part).
std::string DetailField(const Detail& d);

// Every required detail of `category` that `ticket` lacks or gives in the wrong kind (a number
// detail that is not a number), all at once: Error::Invalid with one field per detail, each
// message naming the detail in English. Ok when the category asks for nothing.
Result<void> CheckDetails(const Category& category, const NewTicket& ticket);

}  // namespace chamado::core

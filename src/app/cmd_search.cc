// `chamado search reindex`: indexes for search the tickets written before the index existed
// (or before a new analyzer), with progress; stopped at any point, it takes up where it
// stopped; then brings the help center's index up to date. `--rebuild` empties both first
// and indexes everything again.
#include <iostream>

#include "app/cli.h"
#include "app/progress.h"

namespace chamado::app {

void AddSearchCommand(CommandLine& cl) {
  auto* search = cl.app().add_subcommand("search", "The search indexes of tickets and help-center articles");
  search->require_subcommand(1);
  auto* reindex = search->add_subcommand(
      "reindex", "Index the tickets not indexed yet (resumable; the server also does it in the background)");
  struct Options {
    bool rebuild = false;
    int batch = 1000;
  };
  auto o = std::make_shared<Options>();
  cl.AddDataOption(reindex);
  reindex->add_flag("--rebuild", o->rebuild, "Empty the indexes first and index every ticket and article again");
  reindex->add_option("--batch", o->batch, "Tickets per transaction")->check(CLI::Range(1, 100000));
  cl.OnRunInstalled(reindex, [o](Installation& installation) {
    auto& store = *installation.store;
    if (o->rebuild) {
      auto r = store.WriteSync<bool>([](store::Repo& repo) -> Result<bool> {
        CHAMADO_TRY(repo.ResetIndexes());
        return true;
      });
      if (!r.ok()) return Fail(r.error().message);
    }
    auto missing = store.ReadOne<int64_t>([](store::Repo& repo) { return repo.CountMissing(); });
    if (!missing.ok()) return Fail(missing.error().message);
    Progress progress("reindex", "tickets", *missing);
    int64_t after = 0, done = 0;
    while (true) {
      auto batch = store.WriteSync<search::TicketIndex::Indexed>(
          [&](store::Repo& repo) { return repo.IndexMissing(after, o->batch); });
      if (!batch.ok()) return Fail(batch.error().message);
      if (batch->last == 0) break;
      after = batch->last;
      done += batch->count;
      progress.Update(done);
    }
    progress.Finish(done);
    auto articles = store.CatchUpArticles(o->rebuild);
    if (!articles.ok()) return Fail(articles.error().message);
    std::cout << "help center: " << *articles << " article(s) indexed\n";
    return 0;
  });
}

}  // namespace chamado::app

// `chamado doctor --data DIR [--config F]`: one line per check of an installation; exit 1
// when any failed.
#include <cstdlib>
#include <iostream>

#include "app/cli.h"
#include "app/doctor.h"
#include "app/resources.h"

namespace chamado::app {

void AddDoctorCommand(CommandLine& cl) {
  auto* doctor = cl.app().add_subcommand("doctor", "Check an installation: data folder, database, templates, web UI, mail, time zones");
  cl.AddDataOption(doctor);
  cl.OnRun(doctor, [&cl] {
    auto config = cl.LoadConfiguration();
    if (!config.ok()) return Fail(config.error().message);
    std::vector<CheckResult> checks;
    checks.push_back({"configuration", CheckStatus::kOk,
                      cl.ConfigPath().empty() ? "defaults and CHAMADO_* environment" : cl.ConfigPath()});
    checks.push_back(CheckDataFolder(config->data));
    for (auto& c : CheckDatabase(config->data, cl.clock().Now(), config->store_url)) checks.push_back(std::move(c));
    checks.push_back(CheckTemplates(FindMailTemplates(config->mail_templates_dir)));
    checks.push_back(CheckWebUi(FindWebRoot(config->web_root)));
    checks.push_back(CheckMail(config->mail_smtp_url, std::chrono::seconds(3)));
    checks.push_back(CheckOriginalKey(config->mail_original_key_file, config->mail_original_old_key_files));
    checks.push_back(CheckWhatsapp(config->whatsapp_graph_url, config->whatsapp_phone_number_id, config->whatsapp_enabled(),
                                   std::getenv("CHAMADO_WHATSAPP_TOKEN") != nullptr));
    checks.push_back(CheckTimeZones("/usr/share/zoneinfo"));
    return PrintChecks(checks, std::cout);
  });
}

}  // namespace chamado::app

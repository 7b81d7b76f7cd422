#include "app/resources.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

const Resource kTemplates{"templates/mail", "templates/mail", "en", true};
const Resource kWeb{"web/dist", "web", "index.html", false};

class ResourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("chamado_resources_test_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "elsewhere");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path Folder(const std::string& rel) {
    fs::create_directories(root_ / rel);
    return fs::weakly_canonical(root_ / rel);
  }
  fs::path File(const std::string& rel) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << "x";
    return fs::weakly_canonical(root_ / rel);
  }
  // The binary exists: "bin/.." resolves only through a real folder.
  Whereabouts At(const std::string& working, std::optional<std::string> binary) {
    Whereabouts w{root_ / working, std::nullopt};
    if (binary) w.binary = File(*binary);
    return w;
  }

  fs::path root_;
};

TEST_F(ResourcesTest, TheConfiguredFolderWinsEvenWhenMissing) {
  Folder("checkout/templates/mail/en");
  EXPECT_EQ(FindResource("/nowhere", kTemplates, At("checkout", std::nullopt)), "/nowhere");
}

TEST_F(ResourcesTest, ACheckoutRunFromItsRoot) {
  const auto dir = Folder("checkout/templates/mail").string();
  Folder("checkout/templates/mail/en");
  Folder("prefix/share/chamado/templates/mail/en");
  EXPECT_EQ(FindResource("", kTemplates, At("checkout", "prefix/bin/chamado")), dir) << "the working folder comes first";
}

TEST_F(ResourcesTest, AnInstallUnderAPrefix) {
  Folder("prefix/share/chamado/web");
  File("prefix/share/chamado/web/index.html");
  EXPECT_EQ(FindResource("", kWeb, At("elsewhere", "prefix/bin/chamado")), Folder("prefix/share/chamado/web").string());
}

TEST_F(ResourcesTest, TheBuildTreeOfACheckout) {
  File("checkout/web/dist/index.html");
  EXPECT_EQ(FindResource("", kWeb, At("elsewhere", "checkout/build/src/app/chamado")), Folder("checkout/web/dist").string());
}

TEST_F(ResourcesTest, AFolderWithoutItsMarkerIsPassedOver) {
  Folder("checkout/templates/mail/pt-BR");  // no en: not a template folder
  Folder("checkout/web/dist/index.html");   // a folder, not the page
  EXPECT_EQ(FindResource("", kTemplates, At("checkout", std::nullopt)), "");
  EXPECT_EQ(FindResource("", kWeb, At("checkout", std::nullopt)), "");
  Folder("prefix/share/chamado/templates/mail/en");
  EXPECT_EQ(FindResource("", kTemplates, At("checkout", "prefix/bin/chamado")),
            Folder("prefix/share/chamado/templates/mail").string());
}

TEST_F(ResourcesTest, NothingFoundWithoutABinary) {
  EXPECT_EQ(FindResource("", kWeb, At("elsewhere", std::nullopt)), "");
}

}  // namespace
}  // namespace chamado::app

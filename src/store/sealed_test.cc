#include "store/sealed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "store/blobs.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;

const std::string kKey1(32, '\x01'), kKey2(32, '\x02');
const std::string kRaw = "From: ana@acme.test\r\nSubject: the router password\r\n\r\nIt is hunter2-blue.\r\n";

std::shared_ptr<const Sealer> With(std::vector<std::string> keys) {
  auto s = Sealer::FromKeys(keys);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return *s;
}

std::string FileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Sealer, SealsAndOpensUnderTheSameNameOnly) {
  auto s = With({kKey1});
  const std::string sealed = s->Seal(kRaw, "name-a");
  EXPECT_TRUE(Sealer::IsSealed(sealed));
  EXPECT_EQ(sealed.find("hunter2"), std::string::npos);
  EXPECT_NE(s->Seal(kRaw, "name-a"), sealed) << "a fresh nonce each time";
  EXPECT_EQ(s->Open(sealed, "name-a").value(), kRaw);
  auto swapped = s->Open(sealed, "name-b");
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.error().code, ErrorCode::kInternal);
  std::string altered = sealed;
  altered.back() ^= 1;
  EXPECT_FALSE(s->Open(altered, "name-a").ok());
}

TEST(Sealer, PlainFilesReadAsTheyAreAndSealedOnesNeedTheirKey) {
  auto none = With({});
  EXPECT_FALSE(none->sealing());
  EXPECT_EQ(none->Open(kRaw, "x").value(), kRaw);
  const std::string sealed = With({kKey1})->Seal(kRaw, "x");
  auto locked = none->Open(sealed, "x");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(locked.error().message.find(Sealer::KeyIdOf(sealed)), std::string::npos) << locked.error().message;
  // Rotation: the new key seals, the old one still opens what it sealed.
  auto rotated = With({kKey2, kKey1});
  EXPECT_EQ(rotated->Open(sealed, "x").value(), kRaw);
  EXPECT_EQ(Sealer::KeyIdOf(rotated->Seal(kRaw, "x")), rotated->KeyId());
  EXPECT_NE(rotated->KeyId(), With({kKey1})->KeyId());
}

TEST(Sealer, KeysAndKeyFilesAreChecked) {
  EXPECT_FALSE(Sealer::FromKeys({"short"}).ok());
  const fs::path dir = fs::temp_directory_path() / ("chamado-sealer-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string good = (dir / "good.hex").string(), bad = (dir / "bad.hex").string();
  std::ofstream(good) << std::string(64, 'a') << "\n";
  std::ofstream(bad) << "xyz";
  auto ok = Sealer::FromKeyFiles(good, {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE((*ok)->sealing());
  auto refused = Sealer::FromKeyFiles(bad, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("bad.hex must hold 64 hexadecimal digits"), std::string::npos);
  EXPECT_FALSE(Sealer::FromKeyFiles((dir / "missing").string(), {}).ok());
  EXPECT_FALSE(Sealer::FromKeyFiles("", {good}).ok()) << "older keys need a current one";
  EXPECT_FALSE(Sealer::FromKeyFiles("", {}).value()->sealing());
  fs::remove_all(dir);
}

TEST(SealedOriginals, TheBlobStoreWritesNoOriginalInPlainTextAndReadsBoth) {
  const fs::path dir = fs::temp_directory_path() / ("chamado-sealed-blobs-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  BlobStore blobs(dir.string());
  auto plain_name = blobs.PutOriginalDeferred(kRaw);  // no key yet: as before
  ASSERT_TRUE(plain_name.ok());
  EXPECT_EQ(FileText(blobs.PathOf(*plain_name)), kRaw);

  blobs.SetSealer(With({kKey1}));
  const std::string other = kRaw + "again";
  auto sealed_name = blobs.PutOriginalDeferred(other);
  ASSERT_TRUE(sealed_name.ok());
  EXPECT_EQ(FileText(blobs.PathOf(*sealed_name)).find("hunter2"), std::string::npos);
  EXPECT_NE(*sealed_name, *blobs.Put(other)) << "an attachment of the same bytes has a file of its own";
  EXPECT_EQ(blobs.GetOriginal(*sealed_name).value(), other);
  EXPECT_EQ(blobs.GetOriginal(*plain_name).value(), kRaw);

  // Reseal: the plain one moves to a sealed name; the sealed one is rewritten under the new key.
  blobs.SetSealer(With({kKey2, kKey1}));
  auto moved = blobs.Reseal(*plain_name);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_NE(*moved, *plain_name);
  auto kept = blobs.Reseal(*sealed_name);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, *sealed_name);
  EXPECT_EQ(Sealer::KeyIdOf(FileText(blobs.PathOf(*sealed_name))), blobs.sealer().KeyId());
  blobs.SetSealer(With({kKey2}));
  EXPECT_EQ(blobs.GetOriginal(*moved).value(), kRaw);
  EXPECT_EQ(blobs.GetOriginal(*sealed_name).value(), other);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace chamado::store

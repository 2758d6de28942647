// The CLI contract (DESIGN.md): output shapes, exit codes, error objects, and every output valid
// against docs/schema/result-v1.schema.json.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

struct CommandResult {
  int exitCode = -1;
  std::string out;
};

/// Runs a shell command line, capturing stdout; stderr is discarded.
CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }
const fs::path kSource = NOTICESCAN_SOURCE_DIR;
const std::string kCli = quote(NOTICESCAN_CLI);
fs::path sample(const std::string& name) { return kSource / "samples" / name; }

/// Checks output against the JSON Schema with tools/validate_json.py.
void expectValid(const std::string& output) {
  const fs::path file = fs::temp_directory_path() / ("noticescan-cli-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << output;
  const CommandResult v = run("python3 " + quote(kSource / "tools" / "validate_json.py") + " " + quote(file));
  fs::remove(file);
  EXPECT_EQ(v.exitCode, 0) << "output does not match the JSON schema";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("noticescan-cli-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

}  // namespace

TEST_F(CliTest, HelpAndVersionExitZero) {
  const CommandResult help = run(kCli + " --help");
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("scan"), std::string::npos);
  const CommandResult scanHelp = run(kCli + " scan --help");
  EXPECT_EQ(scanHelp.exitCode, 0);
  EXPECT_NE(scanHelp.out.find("--jsonl"), std::string::npos);
  const CommandResult version = run(kCli + " --version");
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_EQ(version.out.rfind("noticescan ", 0), 0u);
}

TEST_F(CliTest, UsageErrorsExitOne) {
  EXPECT_EQ(run(kCli).exitCode, 1);
  EXPECT_EQ(run(kCli + " scan").exitCode, 1);
  EXPECT_EQ(run(kCli + " scan --no-such-option x").exitCode, 1);
  EXPECT_EQ(run(kCli + " scan --format xml x").exitCode, 1);
  EXPECT_EQ(run(kCli + " scan --min-confidence 1.5 x").exitCode, 1);
  EXPECT_EQ(run(kCli + " frobnicate").exitCode, 1);
}

TEST_F(CliTest, OneFilePrintsOnePrettyObject) {
  const CommandResult r = run(kCli + " scan " + quote(sample("receipt-digital.pdf")));
  EXPECT_EQ(r.exitCode, 0);
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["status"], "ok");
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_GT(std::count(r.out.begin(), r.out.end(), '\n'), 10);  // pretty-printed
  expectValid(r.out);
}

TEST_F(CliTest, MissingFileIsNotFoundWithExitTwo) {
  const CommandResult r = run(kCli + " scan " + quote(dir_ / "no-such-notice.pdf"));
  EXPECT_EQ(r.exitCode, 2);
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["status"], "error");
  EXPECT_EQ(json["error"]["code"], "not_found");
  EXPECT_TRUE(json["fields"].empty());
  expectValid(r.out);
}

TEST_F(CliTest, TextFileIsUnsupportedEvenNamedPdf) {
  std::ofstream(dir_ / "notes.pdf") << "Receipt Number IOE0912345678 but this is only text\n";
  const CommandResult r = run(kCli + " scan " + quote(dir_ / "notes.pdf"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["code"], "unsupported_format");
  expectValid(r.out);
}

TEST_F(CliTest, TruncatedJpegIsUnreadable) {
  std::ifstream in(sample("appointment-scan-skewed.jpg"), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::ofstream(dir_ / "cut.jpg", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const CommandResult r = run(kCli + " scan " + quote(dir_ / "cut.jpg"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["code"], "unreadable");
  expectValid(r.out);
}

TEST_F(CliTest, EncryptedPdfIsReportedAsSuch) {
  const fs::path locked = dir_ / "locked.pdf";
  ASSERT_EQ(run("qpdf --encrypt user-secret owner-secret 256 -- " + quote(sample("receipt-digital.pdf")) + " " +
                quote(locked)).exitCode,
            0)
      << "qpdf is needed to make the encrypted test PDF (tools/setup.sh installs it)";
  const CommandResult r = run(kCli + " scan " + quote(locked));
  EXPECT_EQ(r.exitCode, 2);
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["error"]["code"], "encrypted_pdf");
  EXPECT_NE(json["error"]["message"].get<std::string>().find("qpdf --decrypt"), std::string::npos);
  expectValid(r.out);
}

TEST_F(CliTest, OwnerPasswordOnlyPdfStillScans) {
  const fs::path restricted = dir_ / "restricted.pdf";
  ASSERT_EQ(run("qpdf --encrypt '' owner-secret 256 -- " + quote(sample("receipt-digital.pdf")) + " " +
                quote(restricted)).exitCode,
            0);
  const CommandResult r = run(kCli + " scan " + quote(restricted));
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_FALSE(nlohmann::json::parse(r.out)["fields"].empty());
}

TEST_F(CliTest, SeveralFilesGiveJsonLinesInOrderAndOneFailureDoesNotStopTheOthers) {
  const CommandResult r = run(kCli + " scan " + quote(sample("receipt-digital.pdf")) + " " + quote(dir_ / "missing.png") +
                    " " + quote(sample("negative-letter.pdf")));
  EXPECT_EQ(r.exitCode, 2);
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0]["status"], "ok");
  EXPECT_EQ(objects[1]["error"]["code"], "not_found");
  EXPECT_EQ(objects[2]["status"], "ok");
  EXPECT_TRUE(objects[2]["fields"].empty());  // nothing found is still success
  EXPECT_NE(objects[2]["file"].get<std::string>().find("negative-letter.pdf"), std::string::npos);
  expectValid(r.out);
}

TEST_F(CliTest, JsonlFlagAndStdin) {
  const CommandResult r = run(kCli + " scan --jsonl - < " + quote(sample("receipt-digital.pdf")));
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["file"], "-");
  EXPECT_EQ(json["document"]["kind"], "pdf");
  expectValid(r.out);
}

TEST_F(CliTest, ReceiptsAndCsvFormats) {
  const nlohmann::json expected =
      nlohmann::json::parse(std::ifstream(sample("receipt-digital.pdf.expected.json")));
  std::string receipt;
  for (const auto& f : expected["fields"]) {
    if (f["type"] == "receipt_number") receipt = f["value"];
  }
  ASSERT_FALSE(receipt.empty());
  const CommandResult receipts = run(kCli + " scan --format receipts " + quote(sample("receipt-digital.pdf")));
  EXPECT_EQ(receipts.exitCode, 0);
  EXPECT_EQ(receipts.out, receipt + "\n");

  const CommandResult csv = run(kCli + " scan --format csv " + quote(sample("receipt-digital.pdf")));
  EXPECT_EQ(csv.exitCode, 0);
  EXPECT_EQ(csv.out.rfind("file,status,type,value,", 0), 0u);
  EXPECT_NE(csv.out.find(",receipt_number," + receipt + ","), std::string::npos);
}

TEST_F(CliTest, RedactMasksEveryValue) {
  const CommandResult r = run(kCli + " scan --redact " + quote(sample("receipt-digital.pdf")));
  EXPECT_EQ(r.exitCode, 0);
  const nlohmann::json expected =
      nlohmann::json::parse(std::ifstream(sample("receipt-digital.pdf.expected.json")));
  for (const auto& f : expected["fields"]) {
    const std::string value = f["value"];
    EXPECT_EQ(r.out.find(value.substr(0, value.size() - 4)), std::string::npos) << f["type"];
  }
  expectValid(r.out);
}

TEST_F(CliTest, DebugDirReceivesPageImages) {
  const CommandResult r = run(kCli + " scan --debug-dir " + quote(dir_ / "debug") + " " + quote(sample("receipt-scan-clean.png")));
  EXPECT_EQ(r.exitCode, 0);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_ / "debug")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 4u);
  EXPECT_NE(names[0].find("-p001-1-input.png"), std::string::npos);
  EXPECT_NE(names[2].find("-p001-3-fields.png"), std::string::npos);
  // The words as read, for finding out why a number was missed: a header and one word per line.
  ASSERT_NE(names[3].find("-p001-words.tsv"), std::string::npos);
  std::ifstream words(dir_ / "debug" / names[3]);
  std::string header, line;
  std::getline(words, header);
  EXPECT_EQ(header, "x\ty\twidth\theight\tconfidence\ttext");
  int count = 0;
  while (std::getline(words, line)) count += line.empty() ? 0 : 1;
  EXPECT_GT(count, 50);
}

/// Runs a command line and returns what it wrote to stderr.
std::string stderrOf(const std::string& command) {
  const fs::path err = fs::temp_directory_path() / ("noticescan-cli-err-" + std::to_string(::getpid()));
  run("{ " + command + " 2>" + quote(err) + " >/dev/null; }");
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(err);
  return text.str();
}

TEST_F(CliTest, ValuesHeldBackFromAListAreCountedOnStandardError) {
  // A receipt list has no room for warnings: a script reading it learns on stderr that values
  // were withheld (here every one, with the bar at 1), never which.
  const std::string file = quote(sample("receipt-digital.pdf"));
  const CommandResult list = run(kCli + " scan --format receipts --min-confidence 1 " + file);
  EXPECT_EQ(list.exitCode, 0);
  EXPECT_EQ(list.out, "");
  const std::string said = stderrOf(kCli + " scan --format receipts --min-confidence 1 " + file);
  EXPECT_NE(said.find("read too uncertainly to list here"), std::string::npos) << said;
  const nlohmann::json expected =
      nlohmann::json::parse(std::ifstream(sample("receipt-digital.pdf.expected.json")));
  for (const auto& f : expected["fields"]) {
    EXPECT_EQ(said.find(f["value"].get<std::string>()), std::string::npos) << said;
  }
  EXPECT_EQ(stderrOf(kCli + " scan --format receipts " + file), "");
}

TEST_F(CliTest, NoIdentifierValueInMessagesOrDebugOutputUnlessLogValues) {
  // Firms name files after their cases: a good notice named after its receipt number, and a
  // damaged one named after an A-number, whose error message names the file.
  const std::string receipt = "IOE0912345678", aNumber = "A098765432";
  fs::copy_file(sample("receipt-scan-clean.png"), dir_ / (receipt + ".png"));
  std::ofstream(dir_ / (aNumber + ".pdf")) << "%PDF-1.4 damaged";
  const std::string files = quote(dir_ / (receipt + ".png")) + " " + quote(dir_ / (aNumber + ".pdf"));
  const auto values = nlohmann::json::parse(run(kCli + " scan " + quote(sample("receipt-scan-clean.png"))).out);
  ASSERT_FALSE(values["fields"].empty());

  const std::string quiet = stderrOf(kCli + " scan --debug-dir " + quote(dir_ / "debug") + " " + files);
  EXPECT_NE(quiet.find("5432"), std::string::npos) << "the message should still say which file";
  EXPECT_EQ(quiet.find(aNumber), std::string::npos) << quiet;
  EXPECT_EQ(quiet.find(receipt), std::string::npos) << quiet;
  // Debug output: file names, words.tsv and field captions hold no value either.
  for (const auto& entry : fs::directory_iterator(dir_ / "debug")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find("912345678"), std::string::npos) << name;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // As printed the numbers are grouped ("MSC-23-914-18704", "A 221-388-544"): compare digits.
    std::erase_if(content, [](char c) { return c == '-' || c == ' '; });
    for (const auto& field : values["fields"]) {
      const std::string value = field["value"];
      const std::string digits = value.substr(value.find_first_of("0123456789"));
      EXPECT_EQ(content.find(digits), std::string::npos) << name << " holds a value";
    }
  }
  const std::string batch = stderrOf(kCli + " batch " + quote(dir_ / (aNumber + ".pdf")) + " --out " +
                                     quote(dir_ / (receipt + ".db")));
  EXPECT_EQ(batch.find(receipt), std::string::npos) << batch;
  EXPECT_EQ(batch.find(aNumber), std::string::npos) << batch;

  // Asked for, they appear.
  const std::string loud = stderrOf(kCli + " scan --log-values " + files);
  EXPECT_NE(loud.find(aNumber), std::string::npos) << loud;
}

TEST_F(CliTest, MissingLanguageDataExitsThree) {
  const CommandResult r = run(kCli + " scan --tessdata " + quote(dir_) + " " + quote(sample("receipt-scan-clean.png")));
  EXPECT_EQ(r.exitCode, 3);
}

TEST_F(CliTest, OnlineAccessCodeIsASecretUntilAskedFor) {
  const nlohmann::json expected =
      nlohmann::json::parse(std::ifstream(sample("access-notice-scan.png.expected.json")));
  const std::string printed = expected.at("online_access_code");  // "RD5A-RXGD-QKLK" style
  std::string bare = printed;
  std::erase(bare, '-');
  const std::string file = quote(sample("access-notice-scan.png"));

  // Default: the code appears nowhere, not in the JSON (value or raw) and not on stderr.
  const CommandResult quiet = run("(" + kCli + " scan " + file + ") 2>&1");
  EXPECT_EQ(quiet.exitCode, 0);
  EXPECT_EQ(quiet.out.find(bare), std::string::npos);
  EXPECT_EQ(quiet.out.find(printed), std::string::npos);
  EXPECT_EQ(run(kCli + " scan --format csv " + file).out.find(bare), std::string::npos);
  // Nor in the debug folder's word list, which otherwise holds every word read.
  EXPECT_EQ(run(kCli + " scan --debug-dir " + quote(dir_ / "debug") + " " + file).exitCode, 0);
  bool listed = false;
  for (const auto& entry : fs::directory_iterator(dir_ / "debug")) {
    if (entry.path().extension() != ".tsv") continue;
    listed = true;
    std::stringstream text;
    text << std::ifstream(entry.path()).rdbuf();
    EXPECT_EQ(text.str().find(printed.substr(0, 4)), std::string::npos) << entry.path();
    EXPECT_NE(text.str().find("Access"), std::string::npos);  // the rest of the page is there
  }
  EXPECT_TRUE(listed);

  // Asked for: reported as its own type, never as an account number.
  const CommandResult asked = run(kCli + " scan --include-access-code " + file);
  EXPECT_EQ(asked.exitCode, 0);
  expectValid(asked.out);
  const nlohmann::json json = nlohmann::json::parse(asked.out);
  std::map<std::string, std::string> byType;
  for (const auto& f : json.at("fields")) byType[f.at("type").get<std::string>()] = f.at("value").get<std::string>();
  EXPECT_EQ(byType["online_access_code"], bare);
  EXPECT_EQ(byType.count("online_account_number"), 0u);

  // Asked for and redacted: masked like every value.
  const CommandResult masked = run(kCli + " scan --include-access-code --redact " + file);
  EXPECT_EQ(masked.out.find(bare), std::string::npos);
  EXPECT_NE(masked.out.find(bare.substr(bare.size() - 4)), std::string::npos);
}

TEST_F(CliTest, FileNamesThatAreNotUtf8StillGiveValidJson) {
  const fs::path odd = dir_ / "notice \xff\xfe copy.pdf";
  fs::copy_file(sample("receipt-digital.pdf"), odd);
  for (const std::string format : {"", " --jsonl"}) {
    const CommandResult r = run(kCli + " scan" + format + " " + quote(odd));
    EXPECT_EQ(r.exitCode, 0) << format;
    const auto json = nlohmann::json::parse(r.out);  // throws on invalid UTF-8
    EXPECT_EQ(json["status"], "ok");
    EXPECT_NE(json["file"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
    expectValid(r.out);
  }
}

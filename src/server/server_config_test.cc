#include "server/server_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "testing/temp_dir.h"

namespace scout {
namespace {

using Env = std::map<std::string, std::string>;

Environment env_of(Env vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

class ResolveServerConfigTest : public ::testing::Test {
 protected:
  // A data dir with `config` as its config.json.
  std::string data_dir(const std::string& name, const std::string& config) {
    std::filesystem::create_directories(dir_.path() / name);
    if (!config.empty()) dir_.write(name + "/config.json", config);
    return dir_.file(name);
  }

  ServeFlags flags_with_dir(const std::string& dir) {
    ServeFlags flags;
    flags.settings["data_dir"] = dir;
    return flags;
  }

  test_support::TempDir dir_;
};

TEST_F(ResolveServerConfigTest, DefaultsWhenNothingIsGiven) {
  std::string d = data_dir("empty", "");
  auto config = resolve_server_config(flags_with_dir(d), env_of({}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  ServerConfig defaults;
  EXPECT_EQ(config->data_dir, d);
  EXPECT_EQ(config->port, defaults.port);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->metrics_token, "");
  EXPECT_EQ(config->header_timeout_seconds, 10);
  EXPECT_EQ(config->body_timeout_seconds, 30);
  EXPECT_EQ(config->idle_timeout_seconds, 5);
  EXPECT_EQ(config->max_connections, 1000);
  EXPECT_EQ(config->max_header_bytes, 16384u);
  EXPECT_EQ(config->max_url_bytes, 8192u);
}

// Issue 13 #10: `serve --data-dir D` read the config of the default data dir, not D's.
TEST_F(ResolveServerConfigTest, TheDataDirFlagsConfigIsReadNotTheDefaultDirs) {
  std::string other = data_dir("from-env", R"({"port": 1111, "workers": 3})");
  std::string d = data_dir("from-flag", R"({"port": 9000, "workers": 4})");
  auto config = resolve_server_config(flags_with_dir(d), env_of({{"SCOUT_DATA_DIR", other}}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->data_dir, d);
  EXPECT_EQ(config->port, 9000);
  EXPECT_EQ(config->workers, 4);
}

TEST_F(ResolveServerConfigTest, TheEnvironmentsDataDirConfigIsReadWithoutTheFlag) {
  std::string d = data_dir("from-env", R"({"port": 1111})");
  auto config = resolve_server_config(ServeFlags{}, env_of({{"SCOUT_DATA_DIR", d}}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->data_dir, d);
  EXPECT_EQ(config->port, 1111);
}

TEST_F(ResolveServerConfigTest, FlagsBeatEnvironmentBeatsFileBeatsDefaults) {
  std::string d =
      data_dir("d", R"({"port": 9000, "host": "0.0.0.0", "workers": 4, "max_queue": 7})");
  ServeFlags flags = flags_with_dir(d);
  Env env = {{"SCOUT_PORT", "9001"}, {"SCOUT_HOST", "10.0.0.1"}};
  auto from_env = resolve_server_config(flags, env_of(env));
  ASSERT_TRUE(from_env.ok()) << from_env.status().to_string();
  EXPECT_EQ(from_env->port, 9001);
  EXPECT_EQ(from_env->host, "10.0.0.1");
  EXPECT_EQ(from_env->workers, 4);                    // the file's
  EXPECT_EQ(from_env->max_queue, 7);                  // the file's
  EXPECT_EQ(from_env->retention_seconds, 24 * 3600);  // the default

  flags.settings["port"] = "9002";
  flags.settings["host"] = "::1";
  auto from_flags = resolve_server_config(flags, env_of(env));
  ASSERT_TRUE(from_flags.ok()) << from_flags.status().to_string();
  EXPECT_EQ(from_flags->port, 9002);
  EXPECT_EQ(from_flags->host, "::1");
}

TEST_F(ResolveServerConfigTest, AnEmptyVariableCountsAsUnset) {
  std::string d = data_dir("d", R"({"port": 9000})");
  auto config = resolve_server_config(flags_with_dir(d), env_of({{"SCOUT_PORT", ""}}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->port, 9000);
}

TEST_F(ResolveServerConfigTest, AnExplicitConfigFileReplacesTheDataDirsAndMustExist) {
  std::string d = data_dir("d", R"({"port": 9000})");
  std::string file = dir_.write("explicit.json", R"({"port": 7000, "data_dir": ")" + d + R"("})");
  ServeFlags flags;
  flags.config_file = file;
  auto config = resolve_server_config(flags, env_of({}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->port, 7000);
  EXPECT_EQ(config->data_dir, d);  // the file's data_dir, as neither flag nor environment names one

  auto env_dir = resolve_server_config(flags, env_of({{"SCOUT_DATA_DIR", "/srv/scout"}}));
  ASSERT_TRUE(env_dir.ok()) << env_dir.status().to_string();
  EXPECT_EQ(env_dir->data_dir, "/srv/scout");

  flags.config_file = dir_.file("missing.json");
  auto missing = resolve_server_config(flags, env_of({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("missing.json"), std::string::npos);
}

TEST_F(ResolveServerConfigTest, ADataDirsConfigMayNotNameAnotherDataDir) {
  std::string d = data_dir("d", R"({"data_dir": "/elsewhere"})");
  auto config = resolve_server_config(flags_with_dir(d), env_of({}));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("/elsewhere"), std::string::npos);

  std::string self = data_dir("self", "");
  dir_.write("self/config.json", R"({"data_dir": ")" + self + R"(/"})");
  EXPECT_TRUE(resolve_server_config(flags_with_dir(self), env_of({})).ok());
}

TEST_F(ResolveServerConfigTest, UnknownFieldIsRefusedNamingItAndTheValidOnes) {
  std::string d = data_dir("d", R"({"prot": 9000})");
  auto config = resolve_server_config(flags_with_dir(d), env_of({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = config.status().message();
  EXPECT_NE(m.find("unknown field 'prot'"), std::string::npos) << m;
  EXPECT_NE(m.find("port"), std::string::npos) << m;
  EXPECT_NE(m.find("metrics_token"), std::string::npos) << m;
  EXPECT_NE(m.find("max_url_bytes"), std::string::npos) << m;
}

TEST_F(ResolveServerConfigTest, WrongTypesAndRangesInTheFileAreClearErrors) {
  struct Case {
    const char* file;
    const char* message;
  };
  const Case cases[] = {
      {R"({"port": "8080"})", "'port' must be an integer 0-65535, got \"8080\""},
      {R"({"port": 70000})", "'port' must be an integer 0-65535, got 70000"},
      {R"({"port": -1})", "'port' must be an integer 0-65535, got -1"},
      {R"({"port": 8080.5})", "'port' must be an integer 0-65535, got 8080.5"},
      {R"({"port": true})", "'port' must be an integer 0-65535, got true"},
      {R"({"workers": 0})", "'workers' must be an integer 1-1024, got 0"},
      {R"({"max_body_bytes": 18446744073709551615})", "'max_body_bytes' must be an integer"},
      {R"({"host": 5})", "'host' must be a string, got 5"},
      {R"({"jwt_secret": null})", "'jwt_secret' must be a string, got null"},
      {R"({"header_timeout_seconds": 0})", "'header_timeout_seconds' must be an integer 1-3600"},
      {R"([1, 2])", "is not a JSON object"},
      {R"({"port": )", "is not a JSON object"},
  };
  for (const Case& c : cases) {
    std::string d = data_dir("d", c.file);
    auto config = resolve_server_config(flags_with_dir(d), env_of({}));
    ASSERT_FALSE(config.ok()) << c.file;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << c.file;
    EXPECT_NE(config.status().message().find(c.message), std::string::npos)
        << c.file << " -> " << config.status().message();
    EXPECT_NE(config.status().message().find(d + "/config.json"), std::string::npos);
  }
}

TEST_F(ResolveServerConfigTest, BadNumbersInTheEnvironmentNameTheVariableAndTheRange) {
  std::string d = data_dir("d", "");
  struct Case {
    const char* name;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"SCOUT_PORT", "abc", "SCOUT_PORT must be an integer 0-65535, got 'abc'"},
      {"SCOUT_PORT", "65536", "SCOUT_PORT must be an integer 0-65535, got '65536'"},
      {"SCOUT_PORT", "80x", "SCOUT_PORT must be an integer 0-65535, got '80x'"},
      {"SCOUT_PORT", " 80", "SCOUT_PORT must be an integer 0-65535, got ' 80'"},
      {"SCOUT_WORKERS", "-2", "SCOUT_WORKERS must be an integer 1-1024, got '-2'"},
      {"SCOUT_URL_TTL_SECONDS", "99999999999999999999",
       "SCOUT_URL_TTL_SECONDS must be an integer 1-31536000, got '99999999999999999999'"},
      {"SCOUT_MAX_CONNECTIONS", "0", "SCOUT_MAX_CONNECTIONS must be an integer 1-1000000, got '0'"},
      {"SCOUT_IDLE_TIMEOUT_SECONDS", "1.5", "SCOUT_IDLE_TIMEOUT_SECONDS must be an integer 1-3600"},
  };
  for (const Case& c : cases) {
    auto config = resolve_server_config(flags_with_dir(d), env_of({{c.name, c.value}}));
    ASSERT_FALSE(config.ok()) << c.name << "=" << c.value;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(config.status().message().rfind(c.message, 0), 0u) << config.status().message();
  }

  ServeFlags flags = flags_with_dir(d);
  flags.settings["port"] = "70000";
  auto flag = resolve_server_config(flags, env_of({}));
  ASSERT_FALSE(flag.ok());
  EXPECT_EQ(flag.status().message(), "--port must be an integer 0-65535, got 70000");
}

TEST_F(ResolveServerConfigTest, NewSettingsLoadFromFileAndEnvironment) {
  std::string d = data_dir("d", R"({"metrics_token": "file-token", "header_timeout_seconds": 20,
    "body_timeout_seconds": 60, "idle_timeout_seconds": 9, "max_connections": 50,
    "max_header_bytes": 32768, "max_url_bytes": 4096, "http_threads": 8, "sync_wait_seconds": 5})");
  auto file = resolve_server_config(flags_with_dir(d), env_of({}));
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file->metrics_token, "file-token");
  EXPECT_EQ(file->header_timeout_seconds, 20);
  EXPECT_EQ(file->body_timeout_seconds, 60);
  EXPECT_EQ(file->idle_timeout_seconds, 9);
  EXPECT_EQ(file->max_connections, 50);
  EXPECT_EQ(file->max_header_bytes, 32768u);
  EXPECT_EQ(file->max_url_bytes, 4096u);
  EXPECT_EQ(file->http_threads, 8);
  EXPECT_EQ(file->sync_wait_seconds, 5);

  auto env =
      resolve_server_config(flags_with_dir(d), env_of({{"SCOUT_METRICS_TOKEN", "env-token"},
                                                       {"SCOUT_HEADER_TIMEOUT_SECONDS", "11"},
                                                       {"SCOUT_BODY_TIMEOUT_SECONDS", "31"},
                                                       {"SCOUT_IDLE_TIMEOUT_SECONDS", "6"},
                                                       {"SCOUT_MAX_CONNECTIONS", "1001"}}));
  ASSERT_TRUE(env.ok()) << env.status().to_string();
  EXPECT_EQ(env->metrics_token, "env-token");
  EXPECT_EQ(env->header_timeout_seconds, 11);
  EXPECT_EQ(env->body_timeout_seconds, 31);
  EXPECT_EQ(env->idle_timeout_seconds, 6);
  EXPECT_EQ(env->max_connections, 1001);
}

TEST(PrintableServerConfig, ShowsEveryFieldAndHidesSecrets) {
  ServerConfig config;
  config.jwt_secret = "jwt-secret-value";
  config.metrics_token = "metrics-token-value";
  config.warehouse = "postgresql://scout:pg-password@db:5432/warehouse";
  config.state_url = "postgresql://state:state-password@db:5432/scout";
  std::string text = printable_server_config(config);
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["jwt_secret"], "(set)");
  EXPECT_EQ(j["signing_secret"], "(unset)");
  EXPECT_EQ(j["metrics_token"], "(set)");
  EXPECT_EQ(j["warehouse"], "postgresql://scout:***@db:5432/warehouse");
  EXPECT_EQ(text.find("jwt-secret-value"), std::string::npos);
  EXPECT_EQ(text.find("metrics-token-value"), std::string::npos);
  EXPECT_EQ(text.find("pg-password"), std::string::npos);
  EXPECT_EQ(j["state_url"], "postgresql://state:***@db:5432/scout");
  EXPECT_EQ(text.find("state-password"), std::string::npos);
  EXPECT_EQ(j["port"], 8080);
  EXPECT_EQ(j["data_dir"], "scout-data");
  EXPECT_EQ(j["max_body_bytes"], 65536);
  EXPECT_EQ(j["sync_wait_seconds"], 600);
  EXPECT_EQ(j["idle_timeout_seconds"], 5);
  EXPECT_EQ(j["max_url_bytes"], 8192);
  EXPECT_EQ(j["export_threads"], 0);
  EXPECT_EQ(j["storage"], "");
  EXPECT_EQ(j.size(), server_settings().size());  // every field of ServerConfig
}

// Issue 14: one table of settings. Each setting goes by its field's name everywhere: the flag is
// the name with dashes, the variable SCOUT_ and the name in capitals.
TEST(ServerSettings, EveryFieldHasAFlagAndAVariableNamedAfterIt) {
  std::set<std::string> names;
  for (const ServerSetting& s : server_settings()) {
    std::string flag = "--", env = "SCOUT_";
    for (char c : std::string(s.name)) {
      flag += c == '_' ? '-' : c;
      env += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    // Issue 15's contract names this one's flag `--state`, as on `scout-export keys`.
    if (std::string(s.name) == "state_url") flag = "--state";
    EXPECT_EQ(s.flag, flag) << s.name;
    EXPECT_EQ(s.env, env) << s.name;
    EXPECT_NE(std::string(s.description), "") << s.name;
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    if (!s.is_text()) {
      EXPECT_LE(s.min, s.max) << s.name;
    }
  }
  EXPECT_EQ(names.size(), nlohmann::json::parse(printable_server_config(ServerConfig{})).size());
}

TEST(ServerSettings, TheStateUrlIsAPostgresqlUrlOrNothing) {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  ServeFlags flags;
  flags.settings["data_dir"] = "/nonexistent-scout-dir";
  auto shared = resolve_server_config(flags, env({{"SCOUT_STATE_URL", "postgresql://h/db"},
                                                  {"SCOUT_JOB_LEASE_SECONDS", "3"}}));
  ASSERT_TRUE(shared.ok()) << shared.status().to_string();
  EXPECT_EQ(shared->state_url, "postgresql://h/db");
  EXPECT_EQ(shared->job_lease_seconds, 3);
  flags.settings["state_url"] = "mysql://root:secret@h/db";
  auto refused = resolve_server_config(flags, env({}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("postgresql://"), std::string::npos) << refused.status().to_string();
  EXPECT_EQ(refused.status().message().find("secret"), std::string::npos) << refused.status().to_string();
  flags.settings.erase("state_url");
  EXPECT_FALSE(resolve_server_config(flags, env({{"SCOUT_JOB_LEASE_SECONDS", "0"}})).ok());
  EXPECT_EQ(ServerConfig{}.job_lease_seconds, 30);
}

TEST(ServerSettings, DefaultsAreReadFromServerConfig) {
  std::map<std::string, std::string> defaults;
  for (const ServerSetting& s : server_settings()) defaults[s.name] = default_text(s);
  EXPECT_EQ(defaults["host"], "127.0.0.1");
  EXPECT_EQ(defaults["port"], "8080");
  EXPECT_EQ(defaults["warehouse"], "");
  EXPECT_EQ(defaults["data_dir"], "scout-data");
  EXPECT_EQ(defaults["retention_seconds"], "86400");
  EXPECT_EQ(defaults["max_url_bytes"], "8192");
}

TEST_F(ResolveServerConfigTest, EverySettingTakesItsFlagAndVariable) {
  std::string d = data_dir("d", R"({"max_url_bytes": 4096, "catalog": "file.json"})");
  ServeFlags flags;
  flags.settings = {{"data_dir", d}, {"max_url_bytes", "2048"}, {"metrics_token", "flag-token"}};
  auto config = resolve_server_config(flags, env_of({{"SCOUT_MAX_URL_BYTES", "1024"},
                                                     {"SCOUT_MAX_HEADER_BYTES", "2048"},
                                                     {"SCOUT_CATALOG", "env.json"},
                                                     {"SCOUT_HTTP_THREADS", "4"},
                                                     {"SCOUT_METRICS_TOKEN", "env-token"}}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->max_url_bytes, 2048u);
  EXPECT_EQ(config->max_header_bytes, 2048u);
  EXPECT_EQ(config->catalog, "env.json");
  EXPECT_EQ(config->http_threads, 4);
  EXPECT_EQ(config->metrics_token, "flag-token");

  flags.settings = {{"data_dir", d}, {"max_url_bytes", "12"}};
  auto small = resolve_server_config(flags, env_of({}));
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.status().message(), "--max-url-bytes must be an integer 256-1048576, got 12");

  flags.settings = {{"data_dir", d}, {"prot", "1"}};
  auto unknown = resolve_server_config(flags, env_of({}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown setting 'prot'"), std::string::npos);
}

TEST(ServerSettings, MarkdownTableHasARowPerSetting) {
  std::string table = settings_markdown_table();
  EXPECT_EQ(table.rfind("| setting | flag | environment | default | description |\n", 0), 0u);
  EXPECT_NE(table.find("| `port` | `--port` | `SCOUT_PORT` | 8080 | "), std::string::npos);
  EXPECT_NE(table.find("| `host` | `--host` | `SCOUT_HOST` | `127.0.0.1` | "), std::string::npos);
  EXPECT_NE(table.find("| `warehouse` | `--warehouse` | `SCOUT_WAREHOUSE` |  | "),
            std::string::npos);
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'),
            static_cast<std::ptrdiff_t>(server_settings().size() + 2));
}

// The README's settings table is generated; this fails when it was edited by hand or a setting
// changed without regenerating it.
TEST(ServerSettings, ReadmeTableIsTheGeneratedOne) {
  const char* root = std::getenv("SCOUT_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "run through ctest, which sets SCOUT_SOURCE_DIR";
  std::ifstream in(std::string(root) + "/README.md");
  ASSERT_TRUE(in) << "cannot read README.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string begin = "<!-- settings:begin -->\n", end = "<!-- settings:end -->";
  size_t from = readme.find(begin);
  size_t to = readme.find(end);
  ASSERT_NE(from, std::string::npos) << "README.md has no " << begin;
  ASSERT_NE(to, std::string::npos) << "README.md has no " << end;
  ASSERT_LT(from, to);
  // Blank lines around the table keep Markdown from reading it as part of the comment.
  std::string table = readme.substr(from + begin.size(), to - from - begin.size());
  while (!table.empty() && table.front() == '\n') table.erase(0, 1);
  while (table.size() > 1 && table.ends_with("\n\n")) table.pop_back();
  EXPECT_EQ(table, settings_markdown_table())
      << "README.md's settings table is not the one server_settings() gives. Regenerate it with\n"
      << "  build/src/cli/scout-export serve --print-settings-table\n"
      << "and put the output between the two markers in README.md, replacing what is there.";
}

}  // namespace
}  // namespace scout

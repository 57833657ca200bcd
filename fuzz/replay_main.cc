// The main of a harness's replay executable, for builds without libFuzzer (GCC, no
// sanitizers): runs LLVMFuzzerTestOneInput once over each file named, and over every file in
// each folder named (sorted, for a stable order). A crash or trap fails the run as it would
// the fuzzer. A folder that does not exist holds nothing to replay (a target whose fuzzer has
// found nothing yet has no fuzz/regressions/<target>/), and says so.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of its own, so that reading past the input is a read past a heap block.
  std::vector<uint8_t> input(bytes.begin(), bytes.end());
  std::printf("replay: %s\n", file.c_str());  // named before it runs, so a crash names it
  std::fflush(stdout);
  LLVMFuzzerTestOneInput(input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path path = argv[i];
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        if (!replay(f)) return 1;
        ++replayed;
      }
    } else if (std::filesystem::is_regular_file(path, ec)) {
      if (!replay(path)) return 1;
      ++replayed;
    } else if (!std::filesystem::exists(path, ec)) {
      std::printf("replay: no %s, nothing to replay there\n", path.c_str());
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", path.c_str());
      return 1;
    }
  }
  std::printf("replayed %zu inputs without a finding\n", replayed);
  return 0;
}

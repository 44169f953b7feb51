#include "efficiency/experiment.h"

#include <cstdlib>
#include <utility>

#include "common/json_flag.h"
#include "common/table.h"

namespace efficiency {

Experiment::Experiment(std::string name, lesson::Bilingual work)
    : json_(lesson::JsonRequested()),
      conditions_(lesson::RunConditions::Observe()),
      results_(std::move(name), std::move(work)) {}

void Experiment::Title(std::string_view chinese, std::string_view english) const {
  if (json_) return;
  lesson::Title(chinese, english);
  // Said at once as well as at the end: an unoptimised run takes longer, and a reader
  // should not wait for its figures before learning that they will not mean much.
  for (const lesson::Warning& w : conditions_.warnings()) {
    if (w.code == "unoptimised_build") lesson::Print("Warning: %s", w.message.str());
  }
}

void Experiment::Show(const lesson::Text& line) const {
  if (!json_) lesson::WriteLine(line);
}

void Experiment::Measure(const std::vector<Mode>& modes, int repeats) {
  Step("Measuring: %d runs of each mode, interleaved", repeats);
  SampleCallback progress;
  if (!json_) {
    progress = [repeats](const Mode& mode, int repeat, const Sample& sample) {
      lesson::Print("  run %d/%d  %s %9.4f s  (cores busy %.2f)", repeat + 1, repeats,
                    lesson::PadRight(mode.name, 22), sample.seconds,
                    sample.seconds > 0 ? sample.cpu_seconds / sample.seconds : 0.0);
    };
  }
  absl::StatusOr<std::vector<ModeResult>> measured = efficiency::Measure(modes, repeats, progress);
  if (!measured.ok()) ExitWithError(measured.status());
  results_.Add(*measured);
}

void Experiment::Finish(const Conclusion& conclusion) {
  results_.RecordLoadAfter();
  if (json_) {
    lesson::WriteLine(results_.ToJson(conditions_).ToString());
    return;
  }
  lesson::Step("Results");
  for (const std::string& line : results_.TableLines(conditions_)) lesson::WriteLine(line);
  for (const lesson::Text& line : conclusion.lines) lesson::WriteLine(line);
  conditions_.Print();
  lesson::Notice(conclusion.notice);
}

void Experiment::ExitWithError(const absl::Status& status) {
  lesson::PrintError("could not measure: %s", std::string(status.message()));
  std::exit(1);
}

}  // namespace efficiency

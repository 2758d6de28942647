#pragma once
// Reference data (models/*.json), parsed once and shared read-only by every thread.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace noticescan::extract {

struct LabelEntry {
  std::string name;                        ///< canonical label, as reported in Field::label
  std::string kind;                        ///< receipt_number, a_number, role, distractor, ...
  std::optional<std::string> role;         ///< for kind "role"
  std::vector<std::vector<std::string>> variants;  ///< each variant as normalised words
};

struct FormEntry {
  std::string title;
  std::string kind;  ///< "petition" or "application"
};

/// Logistic calibration of field confidence (models/calibration.json, fitted by tools/calibrate.py).
struct Calibration {
  std::vector<std::string> features;  ///< names, see calibrationFeature()
  std::vector<double> weights;        ///< one per feature
  double bias = 0;
};

struct Models {
  std::map<std::string, double> prefixPriors;  ///< receipt prefix -> prior
  double unknownPrefixPrior = 0.35;
  std::vector<LabelEntry> labels;
  std::map<std::string, FormEntry> forms;      ///< "I-130" -> entry
  /// Telephone numbers printed on notices, digits only (labels.json "distractor_numbers").
  std::vector<std::string> distractorNumbers;
  Calibration calibration;                     ///< identity when empty
};

/// The models compiled into the library from models/*.json. Thread-safe; parsed on first use.
const Models& defaultModels();
/// Parses models from JSON texts (used by defaultModels and by tests).
Models parseModels(std::string_view prefixesJson, std::string_view labelsJson, std::string_view formsJson,
                   std::string_view calibrationJson = {});
/// The text of an embedded models/NAME.json (generated at build time); empty if unknown.
std::string_view embeddedModel(std::string_view name);

/// Lower-cases and trims surrounding punctuation other than '#' and '/', for label matching.
std::string normaliseLabelWord(std::string_view word);

}  // namespace noticescan::extract

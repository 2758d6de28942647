#include "noticescan/extract/Models.h"

#include <cctype>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "noticescan/extract/Grammar.h"

namespace noticescan::extract {

std::string normaliseLabelWord(std::string_view word) {
  // A blurred "#" is a closed round blot, which OCR reads as "@" or "®" ("A®" for "A#"). Neither
  // belongs in a label, so each stands for the sign it lost.
  std::string signs;
  signs.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word.substr(i, 2) == "\xC2\xAE") {
      signs += '#';
      ++i;
    } else {
      signs += word[i] == '@' ? '#' : word[i];
    }
  }
  auto keep = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '#' || c == '/'; };
  std::size_t begin = 0, end = signs.size();
  while (begin < end && !keep(signs[begin])) ++begin;
  while (end > begin && !keep(signs[end - 1])) --end;
  std::string out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(signs[i])));
  }
  return out;
}

Models parseModels(std::string_view prefixesJson, std::string_view labelsJson, std::string_view formsJson,
                   std::string_view calibrationJson) {
  Models models;
  const auto prefixes = nlohmann::json::parse(prefixesJson);
  for (const auto& p : prefixes.at("prefixes")) models.prefixPriors[p.at("code")] = p.at("prior");
  models.unknownPrefixPrior = prefixes.value("unknown_prefix_prior", 0.35);

  const auto labels = nlohmann::json::parse(labelsJson);
  for (const auto& l : labels.at("labels")) {
    LabelEntry entry;
    entry.name = l.at("name");
    entry.kind = l.at("kind");
    if (l.contains("role")) entry.role = l.at("role").get<std::string>();
    for (const auto& variant : l.at("variants")) {
      std::istringstream words(variant.get<std::string>());
      std::vector<std::string> tokens;
      for (std::string w; words >> w;) {
        std::string n = normaliseLabelWord(w);
        if (!n.empty()) tokens.push_back(std::move(n));
      }
      if (!tokens.empty()) entry.variants.push_back(std::move(tokens));
    }
    models.labels.push_back(std::move(entry));
  }
  for (const auto& number : labels.value("distractor_numbers", nlohmann::json::array())) {
    models.distractorNumbers.push_back(digitsOf(number.get<std::string>()));
  }

  const auto forms = nlohmann::json::parse(formsJson);
  for (const auto& f : forms.at("forms")) models.forms[f.at("form")] = {f.at("title"), f.at("kind")};

  if (!calibrationJson.empty()) {
    const auto calibration = nlohmann::json::parse(calibrationJson);
    models.calibration.features = calibration.at("features").get<std::vector<std::string>>();
    models.calibration.weights = calibration.at("weights").get<std::vector<double>>();
    models.calibration.bias = calibration.at("bias").get<double>();
    if (models.calibration.features.size() != models.calibration.weights.size()) {
      throw std::runtime_error("models/calibration.json: one weight per feature");
    }
  }
  return models;
}

const Models& defaultModels() {
  static const Models models = parseModels(embeddedModel("receipt_prefixes"), embeddedModel("labels"),
                                           embeddedModel("form_types"),
                                           embeddedModel("calibration"));
  return models;
}

}  // namespace noticescan::extract

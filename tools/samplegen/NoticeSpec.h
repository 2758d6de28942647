#pragma once
// The content of one synthetic notice: every identifier on it (the truth) and everything around
// it (names, addresses, dates, distractors). All values are random: no real person's data.

#include <optional>
#include <string>
#include <vector>

#include "Rng.h"

namespace samplegen {

enum class Template {
  Receipt,      ///< I-797C receipt notice, modern header grid, plain paper
  Approval,     ///< I-797 approval notice on patterned security paper
  Appointment,  ///< biometrics appointment notice, legacy upper-case labels
  Rfe,          ///< request for evidence (I-797E), header grid and a long letter body
  Letter,       ///< a plain letter with the receipt number only in the prose
  Negative,     ///< a USCIS-style letter without any identifier
  AccessNotice, ///< Account Access Notice: receipt number and the online access code (a secret);
                ///< samples only, not part of the corpus mix
};

const char* templateName(Template t);

struct ANumber {
  std::string value;    ///< normalised: A + 9 digits
  std::string printed;  ///< as printed on the page
  std::string role;     ///< applicant, petitioner, beneficiary
};

struct NoticeSpec {
  Template layout = Template::Receipt;
  std::string noticeType;           ///< I-797C, I-797, I-797E ...
  std::string formType;             ///< I-130
  std::string formTitle;            ///< PETITION FOR ALIEN RELATIVE
  bool petition = false;
  std::optional<std::string> receipt;         ///< normalised
  std::string receiptPrinted;                 ///< as printed
  std::vector<ANumber> aNumbers;
  std::optional<std::string> account;         ///< normalised 12 digits
  std::string accountPrinted;
  std::string accessCode;                     ///< as printed (AccessNotice only): not an identifier
  std::string receivedDate, noticeDate, priorityDate;  ///< MM/DD/YYYY as printed
  std::string receivedIso, noticeIso;
  std::string applicantName, beneficiaryName;
  std::vector<std::string> address;           ///< mailing address lines
  std::string nvcCase;                        ///< NVC-style distractor, same shape as a receipt
  std::string ssnLike, passport, fee;
  // Fonts: proportional for labels and text, monospace for data.
  std::string sansFont, serifFont, monoFont;
  bool upperLabels = false;
  int labelStyle = 0;        ///< 0 as printed by USCIS, 1 upper case, 2 other common wordings
  double labelSize = 7.5;    ///< points
  double valueSize = 10;     ///< points
  bool receiptInBody = false;   ///< the receipt number is also quoted in the letter body
  bool aNumberInBody = false;   ///< an A-number is also quoted in the letter body
};

/// A random notice of the given template.
NoticeSpec randomSpec(Rng& rng, Template layout);

}  // namespace samplegen

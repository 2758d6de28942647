#include "NoticeSpec.h"

#include <cstdio>

namespace samplegen {
namespace {

struct FormInfo {
  std::string form, title;
  bool petition;
};

const std::vector<FormInfo>& forms() {
  static const std::vector<FormInfo> f = {
      {"I-130", "PETITION FOR ALIEN RELATIVE", true},
      {"I-485", "APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS", false},
      {"I-765", "APPLICATION FOR EMPLOYMENT AUTHORIZATION", false},
      {"I-129", "PETITION FOR A NONIMMIGRANT WORKER", true},
      {"I-140", "IMMIGRANT PETITION FOR ALIEN WORKERS", true},
      {"I-539", "APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS", false},
      {"I-131", "APPLICATION FOR TRAVEL DOCUMENT", false},
      {"N-400", "APPLICATION FOR NATURALIZATION", false},
      {"I-751", "PETITION TO REMOVE CONDITIONS ON RESIDENCE", true},
      {"I-90", "APPLICATION TO REPLACE PERMANENT RESIDENT CARD", false},
  };
  return f;
}

const std::vector<std::string> kFirst = {"MARIA", "JOHN", "WEI", "AMIT", "SOFIA", "OLEKSANDR", "FATIMA",
                                         "CARLOS", "NGOC", "GRACE", "PEDRO", "AISHA", "DMITRI", "LUCIA"};
const std::vector<std::string> kLast = {"EXAMPLE", "SAMPLE", "TESTER", "PLACEHOLDER", "DOE", "ROE",
                                        "MUSTERMANN", "FICTIVO", "IMAGINARIO", "DEMO"};
const std::vector<std::string> kStreets = {"MAPLE AVE", "OAK ST", "PINE RD", "CEDAR LN", "ELM ST", "BIRCH CT"};
const std::vector<std::string> kCities = {"SPRINGFIELD IL", "RIVERTON WY", "FAIRVIEW TX", "GREENVILLE SC",
                                          "MADISON WI", "SALEM OR"};

std::string date(Rng& rng, int year, int& month, int& day) {
  month = rng.uniform(1, 12);
  day = rng.uniform(1, 28);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d", month, day, year);
  return buffer;
}

std::string iso(int year, int month, int day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

}  // namespace

const char* templateName(Template t) {
  switch (t) {
    case Template::Receipt: return "receipt";
    case Template::Approval: return "approval";
    case Template::Appointment: return "appointment";
    case Template::Rfe: return "rfe";
    case Template::Letter: return "letter";
    case Template::Negative: return "negative";
    case Template::AccessNotice: return "access_notice";
  }
  return "?";
}

NoticeSpec randomSpec(Rng& rng, Template layout) {
  NoticeSpec s;
  s.layout = layout;
  const FormInfo& form = rng.pick(forms());
  s.formType = form.form;
  s.formTitle = form.title;
  s.petition = form.petition;
  s.noticeType = layout == Template::Approval ? "I-797" : layout == Template::Rfe ? "I-797E" : "I-797C";

  const int year = rng.uniform(2019, 2026);
  int m = 0, d = 0;
  s.receivedDate = date(rng, year, m, d);
  s.receivedIso = iso(year, m, d);
  const int nm = m, nd = std::min(28, d + rng.uniform(0, 5));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d", nm, nd, year);
  s.noticeDate = buffer;
  s.noticeIso = iso(year, nm, nd);
  s.priorityDate = rng.chance(0.5) ? s.receivedDate : "";

  if (layout != Template::Negative) {
    // Receipt numbers: the classic scheme (office, fiscal year, workday, 5nnnn), the lockbox
    // scheme (office, year, 9, workday, nnnn) or the online IOE scheme (ten digits, often 09...).
    const int scheme = rng.uniform(0, 2);
    std::string prefix, digits;
    if (scheme == 0) {
      prefix = rng.pick(std::vector<std::string>{"IOE", "IOE", "IOE"});
      digits = (rng.chance(0.8) ? std::string("09") : std::string("08")) + rng.digits(8);
    } else {
      prefix = rng.pick(std::vector<std::string>{"EAC", "WAC", "LIN", "SRC", "MSC", "NBC", "YSC"});
      const int fy = (year % 100) + (m >= 10 ? 1 : 0);
      std::snprintf(buffer, sizeof buffer, "%02d", fy % 100);
      const std::string yy = buffer;
      std::snprintf(buffer, sizeof buffer, "%03d", rng.uniform(1, 260));
      digits = scheme == 1 ? yy + buffer + "5" + rng.digits(4) : yy + "9" + std::string(buffer) + rng.digits(4);
    }
    s.receipt = prefix + digits;
    const int style = rng.uniform(0, 5);
    s.receiptPrinted = style == 0 && scheme != 0 ? prefix + "-" + digits.substr(0, 2) + "-" + digits.substr(2, 3) + "-" + digits.substr(5)
                                                 : s.receipt.value();
  }

  const std::string applicant = rng.pick(kFirst) + " " + rng.pick(kLast);
  const std::string beneficiary = rng.pick(kFirst) + " " + rng.pick(kLast);
  s.applicantName = applicant;
  s.beneficiaryName = beneficiary;
  s.address = {applicant, std::to_string(rng.uniform(10, 9999)) + " " + rng.pick(kStreets),
               rng.pick(kCities) + " " + rng.digits(5) + "-" + rng.digits(4)};

  auto makeANumber = [&](const std::string& role) {
    const int count = rng.chance(0.15) ? 8 : 9;
    std::string digits = count == 9 ? (rng.chance(0.5) ? "0" : "2") + rng.digits(8) : "9" + rng.digits(7);
    ANumber a;
    a.value = "A" + std::string(9 - digits.size(), '0') + digits;
    a.role = role;
    if (digits.size() == 9) {
      const int style = rng.uniform(0, 2);
      a.printed = style == 0 ? "A" + digits.substr(0, 3) + " " + digits.substr(3, 3) + " " + digits.substr(6)
                  : style == 1 ? "A" + digits
                               : "A# " + digits.substr(0, 3) + "-" + digits.substr(3, 3) + "-" + digits.substr(6);
    } else {
      a.printed = "A" + digits;
    }
    return a;
  };
  const bool letterLike = layout == Template::Letter || layout == Template::AccessNotice;
  if (layout != Template::Negative && !letterLike) {
    const int count = rng.uniform(0, 2);
    if (count >= 1) s.aNumbers.push_back(makeANumber(s.petition ? "petitioner" : "applicant"));
    if (count == 2) s.aNumbers.push_back(makeANumber("beneficiary"));
  }
  // An access notice goes to people without an online account yet.
  if (layout != Template::Negative && layout != Template::Appointment && layout != Template::AccessNotice &&
      rng.chance(0.5)) {
    s.account = rng.digits(12);
    s.accountPrinted = *s.account;
  }

  s.nvcCase = rng.pick(std::vector<std::string>{"BMB", "MNL", "GZO", "CDJ", "SDO"}) + std::to_string(year) +
              rng.digits(6);
  s.ssnLike = rng.digits(3) + "-" + rng.digits(2) + "-" + rng.digits(4);
  s.passport = std::string(1, static_cast<char>('A' + rng.uniform(0, 25))) + rng.digits(8);
  s.fee = rng.pick(std::vector<std::string>{"$675.00", "$535.00", "$1,225.00", "$85.00", "$410.00", "$470.00"});

  s.sansFont = rng.pick(std::vector<std::string>{"Liberation Sans", "DejaVu Sans", "Liberation Sans Narrow"});
  s.serifFont = rng.pick(std::vector<std::string>{"Liberation Serif", "DejaVu Serif"});
  s.monoFont = rng.pick(std::vector<std::string>{"Liberation Mono", "DejaVu Sans Mono", "Liberation Sans"});
  s.upperLabels = layout == Template::Appointment;
  s.labelStyle = s.upperLabels ? 1 : rng.pick(std::vector<int>{0, 0, 0, 1, 2});
  s.labelSize = rng.real(6.8, 8.6);
  s.valueSize = rng.real(8.8, 11.5);
  s.receiptInBody = s.receipt && rng.chance(0.3);
  s.aNumberInBody = !s.aNumbers.empty() && rng.chance(0.3);
  if (layout == Template::AccessNotice) {
    // Format undocumented (DOMAIN.md): dashed groups of capitals and digits, no look-alikes.
    const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int group = 0; group < 3; ++group) {
      if (group > 0) s.accessCode += '-';
      for (int i = 0; i < 4; ++i) s.accessCode += alphabet[static_cast<std::size_t>(rng.uniform(0, 31))];
    }
  }
  return s;
}

}  // namespace samplegen

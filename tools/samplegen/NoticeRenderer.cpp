#include "NoticeRenderer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <vector>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

namespace samplegen {
namespace {

struct Font {
  std::string family;
  double size;
  bool bold = false;
};

void setFont(cairo_t* cr, const Font& f) {
  cairo_select_font_face(cr, f.family.c_str(), CAIRO_FONT_SLANT_NORMAL,
                         f.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, f.size);
}

double textWidth(cairo_t* cr, const Font& f, const std::string& s) {
  setFont(cr, f);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  return e.x_advance;
}

/// What the page being drawn must record: the printed forms of its identifiers.
struct Recorder {
  std::vector<Drawn>* drawn = nullptr;
  std::vector<std::pair<std::string, Drawn>> printed;  ///< printed form -> type and value
};
Recorder gRecorder;  // the generator is single-threaded; set by renderNotice for one page

void text(cairo_t* cr, double x, double y, const std::string& s, const Font& f) {
  setFont(cr, f);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s.c_str());
  if (!gRecorder.drawn) return;
  for (const auto& [printedForm, field] : gRecorder.printed) {
    for (std::size_t at = s.find(printedForm); at != std::string::npos; at = s.find(printedForm, at + 1)) {
      // Only a whole token: "A012345678" inside "A0123456789" is not that number.
      const bool before = at == 0 || !std::isalnum(static_cast<unsigned char>(s[at - 1]));
      const std::size_t end = at + printedForm.size();
      const bool after = end == s.size() || !std::isalnum(static_cast<unsigned char>(s[end]));
      if (!before || !after) continue;
      cairo_text_extents_t lead, word;
      cairo_text_extents(cr, s.substr(0, at).c_str(), &lead);
      cairo_text_extents(cr, printedForm.c_str(), &word);
      Drawn d = field;
      d.x = x + lead.x_advance;
      d.y = y + word.y_bearing;
      d.width = word.x_advance;
      d.height = word.height;
      gRecorder.drawn->push_back(d);
    }
  }
}

void textRight(cairo_t* cr, double right, double y, const std::string& s, const Font& f) {
  text(cr, right - textWidth(cr, f, s), y, s, f);
}

void textCenter(cairo_t* cr, double center, double y, const std::string& s, const Font& f) {
  text(cr, center - textWidth(cr, f, s) / 2, y, s, f);
}

/// Word-wrapped paragraph; returns the baseline after the last line.
double paragraph(cairo_t* cr, double x, double y, double width, const std::string& s, const Font& f,
                 double leading = 1.35) {
  std::istringstream words(s);
  std::string line, word;
  while (words >> word) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && textWidth(cr, f, candidate) > width) {
      text(cr, x, y, line, f);
      y += f.size * leading;
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.empty()) {
    text(cr, x, y, line, f);
    y += f.size * leading;
  }
  return y;
}

void box(cairo_t* cr, double x, double y, double w, double h, double lineWidth = 0.6) {
  cairo_set_line_width(cr, lineWidth);
  cairo_rectangle(cr, x, y, w, h);
  cairo_stroke(cr);
}

std::string label(const NoticeSpec& s, const std::string& text) {
  if (s.labelStyle == 2) {
    static const std::vector<std::pair<std::string, std::string>> kOther = {
        {"Receipt Number", "Receipt #"}, {"Notice Date", "Date of Notice"}, {"Received Date", "Date Received"},
        {"Case Type", "Form Type"}, {"USCIS Online Account Number", "Online Account Number"}};
    for (const auto& [from, to] : kOther) {
      if (text == from) return to;
    }
  }
  if (s.labelStyle != 1 && !s.upperLabels) return text;
  std::string upper = text;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::string caseType(const NoticeSpec& s) {
  std::string form = s.formType;
  form.erase(std::remove(form.begin(), form.end(), '-'), form.end());  // printed without the hyphen
  return form + " - " + s.formTitle;
}

const ANumber* aNumberFor(const NoticeSpec& s, const std::string& role) {
  for (const ANumber& a : s.aNumbers) {
    if (a.role == role) return &a;
  }
  return nullptr;
}

/// Faint guilloche-like waves of security paper.
void securityPattern(cairo_t* cr, Rng& rng) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.80, 0.86, 0.90);
  cairo_set_line_width(cr, 0.35);
  const double phase = rng.real(0, 6.28);
  for (double y0 = -20; y0 < kPageHeight + 20; y0 += 7) {
    cairo_move_to(cr, 0, y0);
    for (double x = 0; x <= kPageWidth; x += 4) {
      cairo_line_to(cr, x, y0 + 4 * std::sin(x / 23.0 + phase + y0 / 40.0));
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

void letterhead(cairo_t* cr, const NoticeSpec& s, const Font& sans) {
  text(cr, 36, 40, "Department of Homeland Security", {sans.family, 9, true});
  text(cr, 36, 51, "U.S. Citizenship and Immigration Services", {sans.family, 9});
  (void)s;
}

double modernHeader(cairo_t* cr, const NoticeSpec& s, const Font& sans, const Font& mono, int pageCount) {
  letterhead(cr, s, sans);
  const std::string title = s.noticeType + ", Notice of Action";
  textRight(cr, 576, 44, "Form " + title, {sans.family, 12, true});
  if (s.noticeType == "I-797C") {
    textCenter(cr, 306, 76, "THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.", {sans.family, 9.5, true});
  } else {
    textCenter(cr, 306, 76, "NOTICE OF ACTION", {sans.family, 12, true});
  }

  const Font labelFont{sans.family, s.labelSize};
  const Font valueFont{mono.family, s.valueSize};
  const double top = 86, rowH = 34;
  const double x0 = 36, x1 = 216, x2 = 366, x3 = 576;
  cairo_set_source_rgb(cr, 0, 0, 0);
  auto cell = [&](double x, double y, double w, const std::string& l, const std::string& v, const std::string& extra = "") {
    box(cr, x, y, w, rowH);
    text(cr, x + 4, y + 10, label(s, l), labelFont);
    if (!extra.empty()) text(cr, x + 4 + textWidth(cr, labelFont, label(s, l)) + 8, y + 10, extra, {mono.family, 9});
    text(cr, x + 4, y + 26, v, valueFont);
  };
  // Row 1: receipt number, account number (when the notice has one), case type.
  cell(x0, top, x1 - x0, "Receipt Number", s.receipt ? s.receiptPrinted : "");
  if (s.account) {
    cell(x1, top, x2 - x1, "USCIS Online Account Number", s.accountPrinted);
    cell(x2, top, x3 - x2, "Case Type", caseType(s).substr(0, 32));
  } else {
    cell(x1, top, x3 - x1, "Case Type", caseType(s));
  }
  // Rows 2 and 3: dates, page, the people and their A-numbers.
  const ANumber* first = s.aNumbers.empty() ? nullptr : &s.aNumbers[0];
  const ANumber* beneficiary = aNumberFor(s, "beneficiary");
  if (first == beneficiary) first = nullptr;
  const std::string firstRole = s.petition ? "Petitioner" : "Applicant";
  cell(x0, top + rowH, x1 - x0, "Received Date", s.receivedDate);
  cell(x1, top + rowH, x2 - x1, "Priority Date", s.priorityDate);
  cell(x2, top + rowH, x3 - x2, firstRole, s.applicantName, first ? first->printed : "");
  cell(x0, top + 2 * rowH, x1 - x0, "Notice Date", s.noticeDate);
  cell(x1, top + 2 * rowH, x2 - x1, "Page", "1 of " + std::to_string(pageCount));
  if (s.petition || beneficiary) {
    cell(x2, top + 2 * rowH, x3 - x2, "Beneficiary", s.beneficiaryName, beneficiary ? beneficiary->printed : "");
  } else {
    box(cr, x2, top + 2 * rowH, x3 - x2, rowH);
  }
  return top + 3 * rowH;
}

double addressBlock(cairo_t* cr, const NoticeSpec& s, double y, const Font& sans) {
  for (const std::string& line : s.address) {
    text(cr, 54, y, line, {sans.family, 10});
    y += 13;
  }
  return y;
}

/// The 1-D barcode near the foot of an I-797 that carries the receipt number. DOMAIN.md leaves the
/// symbology open (Code 39 or Code 128), so both are drawn, chosen by the number itself (no draw from
/// the random stream: adding the barcode leaves everything else on the page as it was).
void receiptBarcode(cairo_t* cr, double x, double y, double height, const std::string& receipt) {
  const bool code39 = (receipt.back() - '0') % 2 == 1;
  const double module = code39 ? 0.62 : 0.85;  // points per narrowest bar
  const ZXing::BitMatrix bars = ZXing::MultiFormatWriter(code39 ? ZXing::BarcodeFormat::Code39
                                                                : ZXing::BarcodeFormat::Code128)
                                    .setMargin(0)
                                    .encode(receipt, 0, 1);
  for (int i = 0; i < bars.width(); ++i) {
    if (bars.get(i, 0)) cairo_rectangle(cr, x + i * module, y, module, height);
  }
  cairo_fill(cr);
}

void footer(cairo_t* cr, const NoticeSpec& s, const Font& sans, Rng& rng) {
  const Font small{sans.family, 8.5};
  text(cr, 36, 700, "U.S. CITIZENSHIP AND IMMIGRATION SERVICES", small);
  const std::string box = std::to_string(rng.uniform(100000, 999999));
  text(cr, 36, 711, "PO BOX " + box, small);
  text(cr, 36, 722, "DALLAS TX 75266-" + rng.digits(4), small);
  text(cr, 330, 700, "USCIS Contact Center: www.uscis.gov/contactcenter", small);
  text(cr, 330, 711, "Customer Service Telephone: 800-375-5283", small);
  text(cr, 36, 760, "Form " + s.noticeType + " 07/11/14", {sans.family, 7.5});
  if (s.receipt) receiptBarcode(cr, 330, 724, 24, *s.receipt);
}

const std::vector<std::string> kBodyReceipt = {
    "The above application or petition has been received. It usually takes several months to process "
    "this type of case. Please save this notice, and any other notice we send you about this case, and "
    "please make and keep a copy of any papers you send us by any means, along with any proof of delivery "
    "to us. If you have questions, please visit the USCIS Contact Center or call 800-375-5283 "
    "(TTY 800-767-1833).",
    "If you move, go to www.uscis.gov/addresschange to change your address. You will be notified "
    "separately about any other cases you filed. The fee for this case, if any, was received on the date "
    "shown above. Please refer to the Form G-1145 edition 09/26/14 if you asked for an e-notification."};

}  // namespace

void renderNotice(cairo_t* cr, const NoticeSpec& s, Rng& rng, int pageCount, std::vector<Drawn>* drawn) {
  gRecorder.drawn = drawn;
  gRecorder.printed.clear();
  if (s.receipt) gRecorder.printed.push_back({s.receiptPrinted, {"receipt_number", *s.receipt}});
  for (const ANumber& a : s.aNumbers) {
    gRecorder.printed.push_back({a.printed, {"a_number", a.value}});
    gRecorder.printed.push_back({a.value, {"a_number", a.value}});
  }
  if (s.account) gRecorder.printed.push_back({s.accountPrinted, {"online_account_number", *s.account}});
  struct Reset {
    ~Reset() { gRecorder.drawn = nullptr; }
  } reset;
  const Font sans{s.sansFont, 10};
  const Font serif{s.serifFont, 10};
  const Font mono{s.monoFont, 10};
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (s.layout == Template::Approval) securityPattern(cr, rng);
  cairo_set_source_rgb(cr, 0, 0, 0);

  double y = 0;
  switch (s.layout) {
    case Template::Receipt:
    case Template::Approval:
    case Template::Rfe: {
      y = modernHeader(cr, s, sans, mono, pageCount) + 30;
      const double addressEnd = addressBlock(cr, s, y, sans);
      const Font info{sans.family, 9.5};
      const std::string noticeType = s.layout == Template::Receipt ? "Receipt Notice"
                                     : s.layout == Template::Approval ? "Approval Notice"
                                                                      : "Request for Evidence";
      text(cr, 330, y, "Notice Type: " + noticeType, {sans.family, 9.5, true});
      text(cr, 330, y + 13, "Amount received: " + s.fee + " U.S.", info);
      text(cr, 330, y + 26, "Section: " + std::string(s.petition ? "Husband or wife of U.S. citizen, 201(b) INA" : "Adjustment"), info);
      y = std::max(addressEnd, y + 39) + 20;
      if (s.receiptInBody) {
        y = paragraph(cr, 36, y, 540, "Please quote receipt number " + s.receiptPrinted +
                                          " whenever you write to us or call about this case.", serif) + 6;
      }
      if (s.aNumberInBody) {
        y = paragraph(cr, 36, y, 540, "Our records for " + s.applicantName + " are kept under " +
                                          s.aNumbers.back().printed + ". Social Security Number: " + s.ssnLike + ".",
                      serif) + 6;
      }
      if (s.layout == Template::Receipt) {
        for (const std::string& p : kBodyReceipt) y = paragraph(cr, 36, y, 540, p, serif) + 6;
      } else if (s.layout == Template::Approval) {
        y = paragraph(cr, 36, y, 540,
                      "The above petition has been approved. We have sent the original visa petition to the "
                      "Department of State National Visa Center (NVC), 31 Rochester Avenue, Suite 200, "
                      "Portsmouth NH 03801-2915. NVC processes all approved immigrant visa petitions that "
                      "require consular action. NVC Case Number: " + s.nvcCase + ".",
                      serif) + 6;
        y = paragraph(cr, 36, y, 540,
                      "THIS FORM IS NOT A VISA NOR MAY IT BE USED IN PLACE OF A VISA. Questions: call "
                      "1-800-375-5283 or write to the office shown below.",
                      serif) + 6;
      } else {
        y = paragraph(cr, 36, y, 540,
                      "We need more evidence before we can make a decision on your case. Your response must "
                      "be received in this office by " + s.noticeDate + " plus 87 days. Include a copy of "
                      "this notice on top of your response. Submit a copy of the biographic page of the "
                      "passport (number " + s.passport + ") and evidence of the bona fide relationship.",
                      serif) + 6;
        y = paragraph(cr, 36, y, 540,
                      "Send the evidence to the address below. If you have questions, call 800-375-5283. "
                      "The filing fee of " + s.fee + " is not refundable.",
                      serif) + 6;
      }
      footer(cr, s, sans, rng);
      break;
    }
    case Template::Appointment: {
      letterhead(cr, s, sans);
      textRight(cr, 576, 44, "I-797C, NOTICE OF ACTION", {sans.family, 12, true});
      const Font lf{sans.family, 7.5};
      const Font vf{mono.family, 10};
      const double top = 70;
      auto cell = [&](double x, double yy, double w, const std::string& l, const std::string& v) {
        box(cr, x, yy, w, 32);
        text(cr, x + 4, yy + 10, label(s, l), lf);
        text(cr, x + 4, yy + 25, v, vf);
      };
      cell(36, top, 200, "Receipt Number", s.receiptPrinted);
      cell(236, top, 340, "Case Type", caseType(s));
      cell(36, top + 32, 130, "Received Date", s.receivedDate);
      cell(166, top + 32, 130, "Notice Date", s.noticeDate);
      cell(296, top + 32, 80, "Page", "1 of " + std::to_string(pageCount));
      std::string a = s.aNumbers.empty() ? "" : s.aNumbers[0].value;
      cell(376, top + 32, 200, "USCIS A#", a);
      y = addressBlock(cr, s, top + 100, sans) + 16;
      text(cr, 330, top + 100, "NOTICE TYPE: ASC APPOINTMENT NOTICE", {sans.family, 9, true});
      const Font body{s.monoFont, 9};
      y = paragraph(cr, 36, y, 540,
                    "TO PROCESS YOUR APPLICATION, USCIS MUST CAPTURE YOUR BIOMETRICS. PLEASE APPEAR AT THE "
                    "APPLICATION SUPPORT CENTER BELOW AT THE DATE AND TIME SPECIFIED.",
                    body) + 8;
      text(cr, 36, y, "APPLICATION SUPPORT CENTER", {sans.family, 9, true});
      text(cr, 330, y, "DATE AND TIME OF APPOINTMENT", {sans.family, 9, true});
      y += 12;
      text(cr, 36, y, "USCIS " + std::string(s.address[2].substr(0, s.address[2].find(' '))), body);
      text(cr, 330, y, s.noticeDate, body);
      y += 12;
      text(cr, 36, y, std::to_string(rng.uniform(100, 9999)) + " MAIN STREET SUITE " + rng.digits(3), body);
      text(cr, 330, y, "10:00 AM", body);
      y += 24;
      if (s.aNumbers.size() > 1) {
        y = paragraph(cr, 36, y, 540, "IF YOU ARE FILING WITH A FAMILY MEMBER, THE BENEFICIARY " +
                                          s.aNumbers[1].printed + " MUST ALSO APPEAR.", body) + 6;
      }
      y = paragraph(cr, 36, y, 540,
                    "WHEN YOU GO TO THE APPLICATION SUPPORT CENTER, BRING THIS NOTICE AND PHOTO "
                    "IDENTIFICATION. IF YOU CANNOT KEEP THIS APPOINTMENT, CALL 800-375-5283.",
                    body);
      footer(cr, s, sans, rng);
      break;
    }
    case Template::AccessNotice: {
      letterhead(cr, s, sans);
      textRight(cr, 576, 44, "ACCOUNT ACCESS NOTICE", {sans.family, 12, true});
      const Font lf{sans.family, 9};
      const Font vf{mono.family, 10};
      text(cr, 36, 84, label(s, "Receipt Number") + ":", lf);
      text(cr, 140, 84, s.receiptPrinted, vf);
      text(cr, 36, 98, label(s, "Notice Date") + ":", lf);
      text(cr, 140, 98, s.noticeDate, vf);
      text(cr, 36, 112, label(s, "Case Type") + ":", lf);
      text(cr, 140, 112, caseType(s), vf);
      y = addressBlock(cr, s, 150, sans) + 20;
      y = paragraph(cr, 36, y, 540,
                    "Dear " + s.applicantName + ": You can now follow this case online. Go to "
                    "myaccount.uscis.gov, choose Sign Up, and enter the receipt number above and the online "
                    "access code below. The code works once and expires 30 days after the notice date; do "
                    "not share it. For help call 800-375-5283.",
                    serif) + 10;
      text(cr, 36, y, "Online Access Code:", {sans.family, 10, true});
      text(cr, 170, y, s.accessCode, {mono.family, 12, true});
      y += 24;
      paragraph(cr, 36, y, 540,
                "If you already have a USCIS online account, sign in and add this case with the same code.",
                serif);
      footer(cr, s, sans, rng);
      break;
    }
    case Template::Letter:
    case Template::Negative: {
      letterhead(cr, s, sans);
      text(cr, 36, 62, "Office of the Director", {sans.family, 9});
      text(cr, 430, 90, s.noticeDate, serif);
      y = addressBlock(cr, s, 110, sans) + 20;
      if (s.layout == Template::Letter) {
        y = paragraph(cr, 36, y, 540, "Re: Form " + s.formType + ", " + s.formTitle, {serif.family, 10, true}) + 6;
        y = paragraph(cr, 36, y, 540,
                      "Dear " + s.applicantName + ": We received your Form " + s.formType +
                      " on " + s.receivedDate + ". Your receipt number is " + s.receiptPrinted +
                      ". Please use this number whenever you contact us about this case. You may check "
                      "the status of your case online or call 800-375-5283.",
                      serif) + 6;
        if (s.account) {
          y = paragraph(cr, 36, y, 540, "Your USCIS Online Account Number is " + s.accountPrinted +
                                            ". You do not need it to file a paper form.", serif) + 6;
        }
      } else {
        y = paragraph(cr, 36, y, 540,
                      "Dear Applicant: Thank you for contacting U.S. Citizenship and Immigration Services. "
                      "Our records show that the filing fee of " + s.fee + " must be paid by check or money "
                      "order. Mail it to P.O. Box " + std::to_string(rng.uniform(1000, 99999)) +
                      ", Chicago IL 60680-" + rng.digits(4) + ". For help call 800-375-5283 or TTY "
                      "800-767-1833. See Form G-1450 (edition 10/01/22).",
                      serif) + 6;
      }
      y = paragraph(cr, 36, y, 540,
                    "This letter does not grant any immigration status or benefit. Page 1 of " +
                        std::to_string(pageCount) + ".",
                    serif);
      text(cr, 36, 760, "USCIS " + s.noticeDate, {sans.family, 7.5});
      break;
    }
  }
}

void renderContinuation(cairo_t* cr, const NoticeSpec& s, Rng& rng, int pageNumber, int pageCount) {
  const Font serif{s.serifFont, 10};
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  double y = 60;
  text(cr, 36, 40, "Page " + std::to_string(pageNumber) + " of " + std::to_string(pageCount), {s.sansFont, 9});
  const std::vector<std::string> paragraphs = {
      "NOTICE: Although this application or petition has been approved, USCIS and the U.S. Department of "
      "Homeland Security reserve the right to verify the information submitted at any time.",
      "Biometrics: if you were scheduled for an appointment, bring this notice. Call 800-375-5283 with "
      "questions. Our office hours are 8:00 a.m. to 8:00 p.m. Eastern Time.",
      "Privacy Act Statement: the information is collected under 8 U.S.C. 1101 et seq. Fees paid ( " + s.fee +
          " ) are not refundable. Form edition 01/20/25.",
  };
  for (int i = 0; i < 4; ++i) y = paragraph(cr, 36, y, 540, paragraphs[static_cast<std::size_t>(i % 3)], serif) + 8;
  (void)rng;
}

}  // namespace samplegen

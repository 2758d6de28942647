#include "noticescan/Types.h"

#include <algorithm>

namespace noticescan {

Rect bounds(const Quad& quad) {
  double x0 = quad[0].x, y0 = quad[0].y, x1 = x0, y1 = y0;
  for (const Point& p : quad) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

Rect Rect::united(const Rect& other) const {
  if (other.width <= 0 && other.height <= 0) return *this;
  if (width <= 0 && height <= 0) return other;
  const double left = std::min(x, other.x);
  const double top = std::min(y, other.y);
  const double r = std::max(right(), other.right());
  const double b = std::max(bottom(), other.bottom());
  return {left, top, r - left, b - top};
}

const char* toString(FieldType type) {
  switch (type) {
    case FieldType::ReceiptNumber: return "receipt_number";
    case FieldType::ANumber: return "a_number";
    case FieldType::OnlineAccountNumber: return "online_account_number";
    case FieldType::OnlineAccessCode: return "online_access_code";
  }
  return "unknown";
}

const char* toString(TextSource source) {
  switch (source) {
    case TextSource::Ocr: return "ocr";
    case TextSource::TextLayer: return "text_layer";
    case TextSource::Barcode: return "barcode";
  }
  return "ocr";
}

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Unreadable: return "unreadable";
    case ErrorCode::UnsupportedFormat: return "unsupported_format";
    case ErrorCode::EncryptedPdf: return "encrypted_pdf";
    case ErrorCode::TooLarge: return "too_large";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

}  // namespace noticescan

#include "noticescan/Types.h"

#include <algorithm>

namespace noticescan {

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
  }
  return "unknown";
}

const char* toString(TextSource source) {
  return source == TextSource::TextLayer ? "text_layer" : "ocr";
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

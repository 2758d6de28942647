#pragma once
// barcode/: the 1-D barcodes printed on a page. An I-797 carries its receipt number in a barcode near
// the foot of the page (DOMAIN.md); a barcode read is independent of the OCR read, so where both
// exist each checks the other (extract/ decides what the barcode's text means).

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "noticescan/Types.h"

namespace noticescan::barcode {

/// One decoded barcode.
struct Barcode {
  std::string text;       ///< the decoded characters, as encoded
  std::string symbology;  ///< "Code128", "Code39", ...
  Quad quad{};            ///< where it was read, in the pixels of the image given
};

/// The linear barcodes that can carry a receipt number (Code 128, Code 39, Code 93) that decode on an upright 8-bit gray page.
/// Only barcodes that pass their symbology's checks are returned; an unreadable barcode is simply
/// absent.
std::vector<Barcode> readBarcodes(const cv::Mat& gray);

}  // namespace noticescan::barcode

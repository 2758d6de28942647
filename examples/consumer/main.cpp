// Prints the receipt numbers on the notices named, one per line: what a case tracker imports.
// Links the installed library (find_package(noticescan), target noticescan::core).
#include <cstdio>
#include <iostream>

#include <noticescan/Scanner.h>
#include <noticescan/Version.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: receipts NOTICE... (noticescan " << noticescan::kVersion << ")\n";
    return 1;
  }
  noticescan::Scanner scanner;  // one OCR engine, reused for every file
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    const noticescan::ScanResult result = scanner.scanFile(argv[i]);
    if (!result.ok()) {
      std::cerr << argv[i] << ": " << result.error->message << "\n";
      ++failed;
      continue;
    }
    for (const noticescan::Field& field : result.fields) {
      if (field.type == noticescan::FieldType::ReceiptNumber) std::cout << field.value << "\n";
    }
  }
  return failed > 0 ? 2 : 0;
}

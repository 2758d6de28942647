#include <gtest/gtest.h>

#include <string>

#include "noticescan/load/Format.h"

using noticescan::load::Format;
using noticescan::load::sniffFormat;

TEST(FormatTest, RecognisesFormatsByContentNotName) {
  using namespace std::string_literals;
  EXPECT_EQ(sniffFormat("\xFF\xD8\xFF\xE0rest"s), Format::Jpeg);
  EXPECT_EQ(sniffFormat("\x89PNG\r\n\x1A\nrest"s), Format::Png);
  EXPECT_EQ(sniffFormat("II*\0rest"s), Format::Tiff);
  EXPECT_EQ(sniffFormat("MM\0*rest"s), Format::Tiff);
  EXPECT_EQ(sniffFormat("RIFF\x10\0\0\0WEBPVP8 "s), Format::Webp);
  EXPECT_EQ(sniffFormat("%PDF-1.7\n"s), Format::Pdf);
  EXPECT_EQ(sniffFormat("\0\0\0\x18" "ftypheic"s), Format::Heif);
  EXPECT_EQ(sniffFormat("GIF89a"s), Format::Gif);
}

TEST(FormatTest, FindsPdfHeaderAfterLeadingJunk) {
  EXPECT_EQ(sniffFormat(std::string(300, ' ') + "%PDF-1.4"), Format::Pdf);
}

TEST(FormatTest, RejectsTextAndZipAndEmpty) {
  EXPECT_EQ(sniffFormat("hello, this is a text file"), Format::Unknown);
  EXPECT_EQ(sniffFormat(std::string("PK\x03\x04", 4) + "zipdata"), Format::Unknown);
  EXPECT_EQ(sniffFormat("<!DOCTYPE html><html>"), Format::Unknown);
  EXPECT_EQ(sniffFormat(""), Format::Unknown);
}

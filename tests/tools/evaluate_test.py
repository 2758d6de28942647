#!/usr/bin/env python3
"""The evaluation tool's scoring: what counts as found, missed and wrong on one document, the
identifiers cut by a photo's edge that count as neither, and values the scanner withheld."""
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import evaluate  # noqa: E402

RECEIPT = ("receipt_number", "IOE0900000001")
A_NUMBER = ("a_number", "A000000001")


def doc(fields, partial=()):
    as_json = lambda pairs: [{"type": t, "value": v, "page": 1} for t, v in pairs]  # noqa: E731
    return {"file": "x.jpg", "category": "phone_photo", "fields": as_json(fields), "partial_fields": as_json(partial)}


def tally(document, found):
    out = {"status": "ok", "fields": [{"type": t, "value": v, "confidence": 0.9} for t, v in found]}
    overall = evaluate.score([document], {document["file"]: out}, evaluate.scanner_found,
                             lambda o: o["status"], lambda o: None)["overall"]
    return overall["tp"], overall["fp"], overall["fn"]


class ScoringTest(unittest.TestCase):
    def test_found_missed_and_wrong(self):
        self.assertEqual(tally(doc([RECEIPT, A_NUMBER]), [RECEIPT, ("a_number", "A000000007")]), (1, 1, 1))

    def test_a_value_cut_by_the_edge_is_neither_required_nor_an_error(self):
        self.assertEqual(tally(doc([RECEIPT], partial=[A_NUMBER]), [RECEIPT]), (1, 0, 0))
        self.assertEqual(tally(doc([RECEIPT], partial=[A_NUMBER]), [RECEIPT, A_NUMBER]), (1, 0, 0))

    def test_a_value_printed_whole_elsewhere_is_required_even_if_one_copy_is_cut(self):
        # The receipt in the header runs off the photo; the same receipt in the letter is whole.
        document = doc([RECEIPT, A_NUMBER], partial=[RECEIPT])
        self.assertEqual(tally(document, [RECEIPT, A_NUMBER]), (2, 0, 0))
        self.assertEqual(tally(document, [A_NUMBER]), (1, 0, 1))

    def test_withheld_values_are_neither_found_nor_wrong_and_are_counted_apart(self):
        # The scanner kept the right A-number and a wrong receipt out of its fields as too uncertain.
        document = doc([RECEIPT, A_NUMBER])
        out = {"status": "ok", "fields": [],
               "withheld_fields": [{"type": t, "value": v, "confidence": 0.3}
                                   for t, v in (A_NUMBER, ("receipt_number", "IOE0900000007"))]}
        overall = evaluate.score([document], {"x.jpg": out}, evaluate.scanner_found, lambda o: o["status"],
                                 lambda o: None)["overall"]
        self.assertEqual((overall["tp"], overall["fp"], overall["fn"]), (0, 0, 2))
        held = evaluate.withheld([document], {"x.jpg": out})
        self.assertEqual((held["fields"], held["right"], held["wrong"]), (2, 1, 1))
        reported = held["overall_if_reported"]
        self.assertEqual((reported["tp"], reported["fp"], reported["fn"]), (1, 1, 1))


if __name__ == "__main__":
    unittest.main()

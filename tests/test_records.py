"""Extraction records as JSON: what the record store keeps (kg.store.records.pack)."""
from __future__ import annotations

import dataclasses
import json

from kg.records import ArticleRecord, EntityRecord, Mention, PositionRecord
from kg.store.records import pack, unpack
from tests.tools import record


def _full() -> ArticleRecord:
    """Every kind of field: nested records, None, floats, lists of strings, text that JSON
    escapes, and a lone surrogate (kept: packing passes it through)."""
    rec = record()
    rec.entities.append(EntityRecord("e3", "PLACE", 'Caf\u00e9 "Z"\\\n\x01\ud800', "place:z", [Mention(0, 3, "Ann")],
                                     ["\u2028"], lat=1e16, long=-0.1, country_code="NO", contained_in=["e2"]))
    rec.positions.append(PositionRecord("p0", "e0", "President", None, True, Mention(0, 3, "Ann")))
    return rec


def test_to_json_is_the_json_of_to_dict():
    rec = _full()
    assert rec.to_json() == json.dumps(rec.to_dict(), ensure_ascii=False, separators=(",", ":"))


def test_to_json_writes_only_the_fields_in_their_order():
    """A record given another attribute, or fields set in another order, still writes its
    fields only, in the order they are declared."""
    rec = _full()
    rec.meta.note = "not a field"
    ent = rec.entities[0]
    del ent.label
    ent.label = "Ann Lee"  # now last in the object's __dict__
    assert rec.to_json() == json.dumps(rec.to_dict(), ensure_ascii=False, separators=(",", ":"))
    assert '"note"' not in rec.to_json()


def test_pack_round_trips_a_record():
    rec = _full()
    assert unpack(pack(rec)) == rec
    assert unpack(pack(dataclasses.replace(rec, entities=[]))).entities == []

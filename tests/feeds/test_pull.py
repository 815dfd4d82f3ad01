"""Which rows a pull finds changed: view-only actions left out, a child's actions by prefix."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.assets.models import InformationAsset
from ig.audit.service import record
from ig.auth.rules import SYSTEM
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.feeds.pull import read_page
from ig.feeds.rules import PageRequest
from tests.factories import make_asset

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(hours=2)


def _feed(changes: FeedChanges) -> Feed:
    columns = (FeedColumn("id", "integer", "id"), FeedColumn("name", "string", "name"))
    query = select(InformationAsset.id, InformationAsset.name)
    return Feed("t", "T", "assets.read", columns, lambda *_: query, changes)


def _changed(db, policies, changes: FeedChanges) -> list[int]:
    page = PageRequest(changed_since=T0 + dt.timedelta(hours=1))
    rows, _next = read_page(db, _feed(changes), policies, LATER, page)
    return [row["id"] for row in rows]


def test_views_are_not_changes_and_a_prefix_picks_the_childs_actions(db, policies):
    viewed, noted, both = (make_asset(db, name=f"Asset {n}", now=T0) for n in "ABC")
    record(db, SYSTEM, "asset.detail_viewed", "information_asset", viewed.id, at=LATER)
    record(db, SYSTEM, "asset.note_added", "information_asset", noted.id, at=LATER)
    record(db, SYSTEM, "asset.detail_viewed", "information_asset", both.id, at=LATER)
    record(db, SYSTEM, "asset.note_added", "information_asset", both.id, at=LATER)
    record(db, SYSTEM, "asset.note_added", "dpia", viewed.id, at=LATER)  # another record type
    trail = FeedChanges(record_type="information_asset", ignored=("asset.detail_viewed",))
    assert _changed(db, policies, trail) == [noted.id, both.id]
    child = FeedChanges(record_type="information_asset", action_prefix="asset.detail")
    assert _changed(db, policies, child) == [viewed.id, both.id]


def test_every_feed_is_declared_soundly():
    from ig.auth.permissions import PERMISSIONS
    from ig.features import feeds

    declared = feeds()
    assert len({feed.name for feed in declared}) == len(declared)
    for feed in declared:
        names = [column.name for column in feed.columns]
        assert names[0] == "id", feed.name  # the key pages are read by
        assert len(set(names)) == len(names), feed.name
        assert feed.permission in PERMISSIONS, feed.name
        changes = feed.changes
        if changes is not None:
            assert (changes.column or changes.key) in names, feed.name
            assert (changes.column is None) == (changes.record_type is not None), feed.name

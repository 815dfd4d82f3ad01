"""The feeds under the API: GET /api/v1/feeds lists those the caller may read, and
GET /api/v1/feeds/{name} gives one as OData-style JSON pages or as one streamed CSV.

Each feed needs its own permission besides the token (its feature's read permission):
a feed the caller may not read is left out of the list and answered with a 403.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import Response, current_app, jsonify, request, stream_with_context, url_for

from ig.api import endpoint
from ig.api.problems import refuse
from ig.auth.access import current_actor
from ig.db import get_session, utcnow
from ig.feature import FEED_TYPES, Feed
from ig.feeds import rules
from ig.feeds.pull import read_page, stream_rows

COLUMN = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "type": {"type": "string", "enum": list(FEED_TYPES)},
        "description": {"type": "string"},
    },
}
DESCRIPTION = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "csv_url": {"type": "string"},
        "permission": {"type": "string"},
        "incremental": {
            "type": "boolean",
            "description": "changed_since finds the rows changed (false: a snapshot worked "
            "out at each pull, whose rows all count as changed then)",
        },
        "columns": {"type": "array", "items": COLUMN},
    },
}
CATALOG = {
    "type": "object",
    "required": ["@odata.context", "value"],
    "properties": {
        "@odata.context": {"type": "string"},
        "value": {"type": "array", "items": DESCRIPTION},
    },
}
PAGE = {
    "type": "object",
    "required": ["@odata.context", "value"],
    "properties": {
        "@odata.context": {"type": "string"},
        "value": {"type": "array", "items": {"type": "object"}},
        "@odata.nextLink": {"type": "string", "description": "absent on the last page"},
    },
}


def _feeds() -> tuple[Feed, ...]:
    return current_app.extensions["ig.feeds"]  # type: ignore[no-any-return]


def _parameters() -> list[dict[str, Any]]:
    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema,
                "description": description}  # fmt: skip

    names = sorted(feed.name for feed in _feeds())
    return [
        {"name": "name", "in": "path", "required": True,
         "schema": {"type": "string", "enum": names}, "description": "the feed's name"},
        query("page_size", {"type": "integer", "minimum": 1, "maximum": rules.PAGE_SIZE_MAX},
              f"rows a page (JSON), default {rules.PAGE_SIZE_DEFAULT}"),
        query("after", {"type": "integer", "minimum": 0, "maximum": rules.MAX_ID},
              "the id of the last row already read (the next link sets it)"),
        query("changed_since", {"type": "string", "format": "date-time",
                                "pattern": rules.INSTANT_PATTERN},
              "only the rows created or changed after this instant (ISO 8601, with offset)"),
        query("format", {"type": "string", "enum": ["csv", "json"]},
              "json (the default: pages with next links) or csv (every row, streamed)"),
    ]  # fmt: skip


def _describe(feed: Feed) -> dict[str, Any]:
    url = url_for("api.feed", name=feed.name, _external=True)
    return {
        "name": feed.name,
        "title": feed.title,
        "url": url,
        "csv_url": url_for("api.feed_csv", name=feed.name, _external=True),
        "permission": feed.permission,
        "incremental": feed.changes is not None,
        "columns": [
            {"name": c.name, "type": c.type, "description": c.description} for c in feed.columns
        ],
    }


@endpoint(
    "/feeds",
    "GET",
    "The feeds the caller may read, with their columns and types",
    "api.me",
    response=CATALOG,
)
def feeds() -> Any:
    actor = current_actor()
    readable = [_describe(feed) for feed in _feeds() if actor.can(feed.permission)]
    return jsonify({"@odata.context": url_for("api.feeds", _external=True), "value": readable})


def _find(name: str) -> Feed:
    found = next((feed for feed in _feeds() if feed.name == name), None)
    if found is None:
        refuse(404, "No such feed", "GET /api/v1/feeds lists the feeds there are")
    if not current_actor().can(found.permission):
        refuse(403, "Forbidden", f"Reading the {name} feed needs the permission {found.permission}")
    return found


@endpoint(
    "/feeds/{name}",
    "GET",
    "One feed's rows: JSON pages with @odata.nextLink, or ?format=csv for every row "
    "(also needs the feed's own permission, which GET /feeds lists)",
    "api.me",
    parameters=_parameters,
    response=PAGE,
    other_media=(("text/csv", {"type": "string"}),),
)
def feed(name: str) -> Any:
    found = _find(name)
    args = request.args
    try:
        page = rules.PageRequest(
            rules.parse_after(args.get("after")),
            rules.parse_page_size(args.get("page_size")),
            rules.parse_instant(args.get("changed_since")),
        )
        as_csv = rules.parse_format(args.get("format")) == "csv"
        return _csv(found, page) if as_csv else _page(found, page)
    except rules.BadParameter as error:
        refuse(400, f"Bad {error.name}", error.message)


@endpoint(
    "/feeds/{name}.csv",
    "GET",
    "One feed's rows as one streamed CSV, the same as /feeds/{name}?format=csv "
    "(also needs the feed's own permission, which GET /feeds lists)",
    "api.me",
    parameters=lambda: [p for p in _parameters() if p["name"] not in ("page_size", "format")],
    response={"type": "string"},
    other_media=(("text/csv", {"type": "string"}),),
)
def feed_csv(name: str) -> Any:
    found = _find(name)
    try:
        page = rules.PageRequest(
            rules.parse_after(request.args.get("after")),
            changed_since=rules.parse_instant(request.args.get("changed_since")),
        )
        return _csv(found, page)
    except rules.BadParameter as error:
        refuse(400, f"Bad {error.name}", error.message)


def _page(found: Feed, page: rules.PageRequest) -> Any:
    policies = current_app.extensions["ig.policies"]
    rows, next_after = read_page(get_session(), found, policies, utcnow(), page)
    body: dict[str, Any] = {
        "@odata.context": url_for("api.feeds", _external=True) + f"#{found.name}",
        "value": [{key: rules.json_value(value) for key, value in row.items()} for row in rows],
    }
    if next_after is not None:
        body["@odata.nextLink"] = url_for(
            "api.feed",
            name=found.name,
            after=next_after,
            page_size=request.args.get("page_size"),
            changed_since=request.args.get("changed_since"),
            _external=True,
        )
    # In the feed's column order, which the catalogue gives, rather than sorted.
    return Response(current_app.json.dumps(body, sort_keys=False), mimetype="application/json")


def _csv(found: Feed, page: rules.PageRequest) -> Response:
    policies = current_app.extensions["ig.policies"]
    # Built before streaming starts, so that a refused parameter is still a 400.
    rows = stream_rows(get_session(), found, policies, utcnow(), page)
    types = [column.type for column in found.columns]

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([column.name for column in found.columns])
        for row in rows:
            writer.writerow([rules.csv_value(v, t) for v, t in zip(row, types, strict=True)])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.name}.csv"'
    return response

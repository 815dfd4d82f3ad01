"""What an uploaded PDF holds that a signed agreement has no need of.

The file is parsed with pypdf, not searched as bytes: a name is compared once its #xx
escapes are decoded (``/#4A#61vaScript`` is ``/JavaScript``), and objects packed in a
compressed object stream are read like any other. Every object the cross-reference
lists is looked at, reachable from the catalog or not, because a viewer may reach it.
As a second net, the bytes outside streams and the decoded object streams are scanned
for the same names, decoded the same way, in case an object is missing from the
cross-reference that a viewer's repair would find.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

# Each name found, and how the refusal names it; the order here is the order shown.
ACTIVE = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "an action run on opening (OpenAction)",
    "/AA": "automatic actions (AA)",
    "/Launch": "a command that starts a program (Launch)",
    "/EmbeddedFile": "an attached file (EmbeddedFile)",
    "/EmbeddedFiles": "an attached file (EmbeddedFile)",
    "/RichMedia": "rich media (RichMedia)",
    "/XFA": "an XFA form (XFA)",
}
ORDER = list(dict.fromkeys(ACTIVE.values()))
OPEN_ACTION = "/OpenAction"
MAX_DECODED = 100 * 1024 * 1024  # all object streams together, once inflated
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /%()<>\[\]{}]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)


class EncryptedPdf(Exception):
    """The PDF is encrypted, so what it holds cannot be checked."""


class UnreadablePdf(Exception):
    """pypdf could not read the PDF: it is damaged, or built to defeat readers."""


def active_content(data: bytes) -> list[str]:
    """How the refusal names each kind of active content in ``data``, without repeats.

    Raises EncryptedPdf or UnreadablePdf.
    """
    names = set(_names_in_bytes(_STREAM.sub(b"stream endstream", data)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns, then repairs, on odd files
            names.update(_names_in_document(data))
    except EncryptedPdf:
        raise
    # pypdf raises its own errors and, on hostile input, ValueError, KeyError,
    # RecursionError and others from deep in its parser: every one means unreadable.
    except Exception as error:
        raise UnreadablePdf(str(error)) from None
    found = {ACTIVE[name] for name in names if name in ACTIVE}
    return [label for label in ORDER if label in found]


def _names_in_document(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise EncryptedPdf
    catalog = reader.trailer["/Root"].get_object()
    if not isinstance(catalog, DictionaryObject) or catalog.get("/Type") != "/Catalog":
        raise UnreadablePdf("the document has no catalog")
    names = _names_in_object_streams(reader)
    for reference in _references(reader):
        names.update(_names_in(reader.get_object(reference)))
    # Walks the page tree: a broken one is refused here. After the objects are read,
    # as pypdf flattens the tree several times faster from its cache.
    len(reader.pages)
    return names


def _references(reader: PdfReader) -> Iterator[IndirectObject]:
    """Every object the cross-reference lists, in a file or in an object stream."""
    for generation, table in reader.xref.items():
        for number in table:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _names_in_object_streams(reader: PdfReader) -> set[str]:
    """Names in the decoded text of every object stream, within a total size."""
    names: set[str] = set()
    total = 0
    for number in {stream for stream, _index in reader.xref_objStm.values()}:
        stream = reader.get_object(IndirectObject(number, 0, reader))
        decoded = stream.get_data() if isinstance(stream, StreamObject) else b""
        total += len(decoded)
        if total > MAX_DECODED:
            raise UnreadablePdf("the object streams inflate beyond the limit")
        names.update(_names_in_bytes(decoded))
    return names


def _names_in(start: PdfObject | None) -> set[str]:
    """Every name in an object: dictionary keys and values, array items, nested
    direct objects; references to other objects are not followed (each is read on its own)."""
    names: set[str] = set()
    pending: list[object] = [start]
    while pending:
        item = pending.pop()
        if isinstance(item, NameObject):
            names.add(str(item))
        elif isinstance(item, DictionaryObject):
            names.update(str(key) for key in item if key != OPEN_ACTION)
            if _is_action(dict.get(item, OPEN_ACTION)):
                names.add(OPEN_ACTION)
            pending.extend(dict.values(item))  # as stored: references stay unresolved
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return names


def _is_action(value: object) -> bool:
    """Whether an OpenAction is an action (a dictionary), not only the page to open at.

    A destination (an array such as [page /Fit], or a name) runs nothing, and office
    suites write one to set the opening view; an action can open a link or submit a form.
    """
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return isinstance(value, DictionaryObject)


def _names_in_bytes(data: bytes) -> Iterable[str]:
    """The refused names spelt in raw bytes (an OpenAction is judged by its value, so
    only where pypdf reads it)."""
    for match in _NAME.finditer(data):
        raw = _ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), match[1])
        name = "/" + raw.decode("latin-1")
        if name in ACTIVE and name != OPEN_ACTION:
            yield name

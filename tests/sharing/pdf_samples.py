"""Hostile PDFs for the upload checks, built here rather than stored as files.

Some are written with pypdf, the way a real tool would produce them; others are laid
out byte by byte, for what pypdf will not write: names spelt with #xx escapes, and
objects packed in a compressed object stream behind a cross-reference stream.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain() -> bytes:
    """A one-page PDF with nothing active in it, as pypdf writes one."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Data sharing agreement"})
    return written(writer)


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(str(value))
    return action


def _with(change: str) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    root = writer._root_object
    if change == "javascript":
        script = writer._add_object(_action("/JavaScript", JS="app.alert(1);"))
        scripts = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("a"), script])}
        )
        root[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    elif change == "open_action":
        root[NameObject("/OpenAction")] = _action("/URI", URI="https://example.org/track")
    elif change == "open_at_a_page":  # as office suites write it: only where to open
        root[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    elif change == "additional_actions":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action("/Named", N="Print")})
    elif change == "launch":
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
                NameObject("/A"): _action("/Launch", F="calc.exe"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    elif change == "embedded_file":
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    elif change == "rich_media":
        media = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/RichMedia"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(media)])
    elif change == "xfa":
        root[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
            }
        )
    elif change == "encrypted":
        writer.encrypt("secret", algorithm="AES-128")
    else:
        raise ValueError(change)
    return written(writer)


def hostile(change: str) -> bytes:
    """A pypdf-written PDF with one kind of active content, or encrypted."""
    return _with(change)


def laid_out(objects: dict[int, bytes], trailer: bytes) -> bytes:
    """A classic PDF: numbered objects, a cross-reference table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, start)
    return bytes(out)


PAGES = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def hex_escaped() -> bytes:
    """A script and an open action whose names are spelt with #xx escapes."""
    catalog = (
        b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 4 0 R"
        b" /Names << /#4A#61vaScript << /Names [(a) 4 0 R] >> >> >>"
    )
    action = b"<< /S /#4A#61vaScript /#4A#53 (app.alert\\(1\\)) >>"
    return laid_out({1: catalog, **PAGES, 4: action}, b"/Root 1 0 R")


def in_object_stream(packed: dict[int, bytes], plain: dict[int, bytes]) -> bytes:
    """Objects ``packed`` into a Flate-compressed object stream, found through a
    cross-reference stream; ``plain`` objects are written as usual. The catalog is 1."""
    numbers = sorted(packed)
    bodies = b"".join(packed[n] + b"\n" for n in numbers)
    index, offset = [], 0
    for n in numbers:
        index.append(b"%d %d" % (n, offset))
        offset += len(packed[n]) + 1
    header = b" ".join(index) + b"\n"
    data = zlib.compress(header + bodies)
    stream_number = max([*packed, *plain]) + 1
    xref_number = stream_number + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in sorted(plain.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(numbers),
        len(header),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += b"\x02" + stream_number.to_bytes(4, "big") + numbers.index(number).to_bytes(2)
        elif number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00\x00\x00\x00\x00\x00\x00"
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(rows),
    )
    out += bytes(rows) + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def compressed_script() -> bytes:
    """The catalog and a JavaScript open action, both inside a compressed object stream."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    return in_object_stream({1: catalog, 4: JS_ACTION}, PAGES)


def compressed_script_behind_a_plain_catalog() -> bytes:
    """A plain catalog names a document script kept in a compressed object stream."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names 5 0 R >>"
    names = b"<< /JavaScript << /Names [(a) 6 0 R] >> >>"
    return in_object_stream({5: names, 6: JS_ACTION}, {1: catalog, **PAGES})


def compressed_plain() -> bytes:
    """A passive PDF that keeps its catalog in an object stream (as many tools do)."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    return in_object_stream({1: catalog}, PAGES)

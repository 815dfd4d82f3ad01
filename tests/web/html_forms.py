"""Read the forms on a page as a browser would submit them, for tests that drive forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

SENT_TYPES = {"text", "hidden", "password", "email", "number", "tel", "search", "date", "url"}


@dataclass
class PageForm:
    """One <form>: where it posts, and the values a browser would send unchanged."""

    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # every named control, sent or not

    def data(self, **changes: str | list[str]) -> dict[str, list[str]]:
        """The values to submit, with ``changes`` in place of what the page held."""
        values = {name: list(vals) for name, vals in self.fields.items()}
        for name, value in changes.items():
            values[name] = [value] if isinstance(value, str) else list(value)
        return values


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(PageForm(a.get("action", ""), a.get("method", "get").lower()))
            return
        if tag == "option" and self._select and self.forms:
            self._option(a)
        if not self.forms or not a.get("name"):
            return
        form, name = self.forms[-1], a["name"]
        if tag in ("input", "textarea", "select") and name not in form.names:
            form.names.append(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in SENT_TYPES or (kind in ("radio", "checkbox") and "checked" in a):
                form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.fields.setdefault(name, []).append("")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False

    def _option(self, a: dict[str, str]) -> None:
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a and self._select:
            self.forms[-1].fields.setdefault(self._select, []).append(value)
            self._select_chosen = True

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self.forms:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].fields.setdefault(self._select, []).append(self._select_first)
            self._select = None


def read_forms(html: str) -> list[PageForm]:
    """Every form on the page, in order."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def post_forms(html: str) -> list[PageForm]:
    """The forms on the page that change something (method POST)."""
    return [form for form in read_forms(html) if form.method == "post"]

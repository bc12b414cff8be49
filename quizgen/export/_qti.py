"""What the two QTI exports share: XML identifiers from uids, bank text as XML text, and repeatable zips.

Both QTI 2.1 and Canvas's QTI 1.2 are IMS content packages (a zip with an
`imsmanifest.xml`). XML is built with ElementTree, so every bank text is an
element's text or an attribute's value, escaped by the serializer and never
parsed as markup: a `<script>` in a bank reaches the platform as the eight
characters it is.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from io import BytesIO
from xml.etree import ElementTree as ET

from quizgen.model import Question

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # pinned: the same questions give the same bytes
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def xml_ids(questions: Iterable[Question], prefix: str = "") -> dict[str, str]:
    """uid -> an XML NCName, unique among these questions: 'ni-2002/treaty' -> 'ni-2002_treaty'.

    NCNames allow letters, digits, '_', '-' and '.', and must not start with a digit, '-' or '.'.
    Two uids that clean to the same name get '-2', '-3' in the order given.
    """
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for question in questions:
        name = prefix + _NOT_NAME.sub("_", question.uid)
        if not (name[:1].isascii() and (name[:1].isalpha() or name[:1] == "_")):
            name = f"q_{name}"
        unique, count = name, 1
        while unique in taken:
            count += 1
            unique = f"{name}-{count}"
        taken.add(unique)
        ids[question.uid] = unique
    return ids


def element(tag: str, attributes: dict[str, str] | None = None, text: str = "") -> ET.Element:
    node = ET.Element(tag, attributes or {})
    if text:
        node.text = text
    return node


def child(parent: ET.Element, tag: str, attributes: dict[str, str] | None = None, text: str = "") -> ET.Element:
    node = ET.SubElement(parent, tag, attributes or {})
    if text:
        node.text = text
    return node


def content_package(
    identifier: str, namespace: str, schema_file: str, schema: str, version: str
) -> tuple[ET.Element, ET.Element]:
    """An IMS content-package manifest (QTI 2.1 and Canvas's QTI 1.2 each name their own namespace and
    metadata): the manifest, and its empty `resources` for the caller to fill."""
    manifest = element(
        "manifest",
        {
            "identifier": identifier,
            "xmlns": namespace,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{namespace} {schema_file}",
        },
    )
    metadata = child(manifest, "metadata")
    child(metadata, "schema", text=schema)
    child(metadata, "schemaversion", text=version)
    child(manifest, "organizations")
    return manifest, child(manifest, "resources")


def add_lines(parent: ET.Element, text: str) -> ET.Element:
    """Bank text as the text of `parent`, its line breaks as <br/>: escaped by the serializer, never markup."""
    lines = text.split("\n")
    append_text(parent, lines[0])
    for line in lines[1:]:
        child(parent, "br").tail = line
    return parent


def append_text(parent: ET.Element, text: str) -> None:
    """Add text after whatever `parent` already holds (its last child's tail, or its own text)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def xml_bytes(root: ET.Element) -> bytes:
    """A whole XML document, UTF-8, with its declaration (not indented: whitespace in mixed text would show)."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of these files in this order, with pinned times and modes: repeatable byte for byte."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def decimal(value: float) -> str:
    """A float as XML Schema reads it, shortest first: 1.0 -> '1', 0.5 -> '0.5', 1/3 -> '0.3333333333333333'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))

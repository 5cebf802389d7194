"""Small PDFs with real text, written by hand for the PDF parser's tests.

pypdf can copy and encrypt pages but not typeset text, so `make_pdf` writes the file
itself: one uncompressed content stream per page in Helvetica, a correct xref table,
and an optional /Info dictionary. Offsets matter to the tests that truncate files, so
objects come in a fixed order: catalog, page tree, font, then page and content pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

_ID = b"0123456789abcdef"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass(frozen=True)
class Run:
    """A line of text placed on the page: left x and baseline y in points, font size,
    and turned 90 degrees (an arXiv margin stamp) when `rotated`."""

    text: str
    x: float
    y: float
    size: float = 10.0
    rotated: bool = False


def make_layout_pdf(pages: list[list[Run]], title: str | None = None) -> bytes:
    """A PDF whose pages show the given runs, in the given order in the content stream
    (so a test can interleave two columns the way some producers write them)."""
    streams = []
    for runs in pages:
        ops = []
        for run in runs:
            matrix = "0 1 -1 0" if run.rotated else "1 0 0 1"
            ops.append(
                f"BT /F1 {run.size:g} Tf {matrix} {run.x:g} {run.y:g} Tm ({_escape(run.text)}) Tj ET"
            )
        streams.append("\n".join(ops))
    return _write(streams, title, None, aes_declared=False)


def make_pdf(
    pages: list[list[str]],
    title: str | None = None,
    author: str | None = None,
    *,
    aes_declared: bool = False,
) -> bytes:
    """A PDF whose page i shows the lines pages[i] in Helvetica, one under the other.

    With `aes_declared`, the trailer declares AES-128 encryption with an empty user
    password (as many publishers' PDFs do) while the streams stay plain: enough for a
    reader to ask for AES support before it shows any text.
    """
    streams = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        ops.extend(f"({_escape(line)}) Tj T*" for line in lines)
        ops.append("ET")
        streams.append("\n".join(ops))
    return _write(streams, title, author, aes_declared=aes_declared)


def _write(
    streams: list[str], title: str | None, author: str | None, *, aes_declared: bool
) -> bytes:
    """The file around the pages' content streams, objects in a fixed order."""
    pages = streams
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(streams):
        stream = content.encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    trailer = b""
    if title or author:
        fields = f"/Title ({_escape(title)}) " if title else ""
        fields += f"/Author ({_escape(author)}) " if author else ""
        objects.append(f"<< {fields}>>".encode())
        trailer += b" /Info %d 0 R" % len(objects)
    if aes_declared:
        trailer += _aes_encrypt_entry()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _aes_encrypt_entry() -> bytes:
    """/Encrypt (AES-128) and /ID trailer entries whose empty user password checks out.

    The dictionary comes from pypdf's own standard security handler (the one its writer
    uses), so a reader accepts the empty password and then needs AES for the streams.
    """
    import io

    from pypdf._encryption import EncryptAlgorithm, Encryption

    entry = Encryption.make(EncryptAlgorithm.AES_128, -4, _ID).write_entry("", "owner")
    buffer = io.BytesIO()
    entry.write_to_stream(buffer)
    return b" /Encrypt %s /ID [<%s> <%s>]" % (
        buffer.getvalue(),
        _ID.hex().encode(),
        _ID.hex().encode(),
    )

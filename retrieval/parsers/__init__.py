"""One parser per kind of document.

Each module exposes `NAME` (a short label), `detect(text, path) -> bool` (does this
file look like mine?) and `parse(text, file) -> ParseResult`, where `file` is the name
to put in every `Source`. Binary formats (PDF) take bytes instead of text. A parser
raises `ParseError` with a sentence a user can act on when the file is of its kind
but unreadable; `retrieval.loaders` turns that into a skipped file.
"""

from retrieval.errors import RaError


class ParseError(RaError):
    """The file is of this parser's kind but cannot be read; the message says why
    (a phrase that follows the file's name: "is a PDF with no extractable text ...")."""

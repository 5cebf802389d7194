"""`ra corpus`, `ra papers`, `ra paper`: look at the catalog without touching the index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.errors import UserError
from assistant.serialize import paper_detail_json, paper_json, print_json, source_json
from assistant.settings import Settings
from retrieval.catalog import Catalog, build_catalog
from retrieval.records import Paper, Skipped

CorpusOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus", "-c", help="Corpus file or directory (repeatable); default RA_CORPUS."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

out = Console()
err = Console(stderr=True, soft_wrap=True)

# Fields whose absence `ra corpus` reports, with how to read each from a Paper.
MISSING_FIELDS = {
    "authors": lambda p: not p.authors,
    "year": lambda p: p.year is None,
    "venue": lambda p: not p.venue,
    "abstract": lambda p: not p.abstract,
    "keywords": lambda p: not p.keywords,
}


def register(app: typer.Typer) -> None:
    app.command("corpus")(corpus)
    app.command("papers")(papers)
    app.command("paper")(paper)


def open_catalog(settings: Settings, corpus_paths: list[Path] | None) -> Catalog:
    """The catalog of the chosen corpus; skipped files are reported, not fatal."""
    roots = list(corpus_paths) if corpus_paths else settings.corpus_paths()
    catalog = build_catalog(roots, max_file_mb=settings.max_file_mb)
    if not catalog.papers and not catalog.sections:
        detail = "; ".join(f"{s.file} {s.reason}" for s in catalog.skipped[:3])
        raise UserError(
            "Nothing could be read from the corpus"
            + (f" ({detail})" if detail else "")
            + ": point --corpus or RA_CORPUS at your papers."
        )
    return catalog


def report_skipped(skipped: Sequence[Skipped], warnings: Sequence[str]) -> None:
    """One line per skipped or partly read file, on stderr, so JSON on stdout stays clean."""
    for item in skipped:
        err.print(f"[yellow]skipped[/] {escape(item.file)}: {escape(item.reason)}", highlight=False)
    for warning in warnings:
        err.print(f"[yellow]partly read[/] {escape(warning)}", highlight=False)


def _finish(catalog: Catalog) -> None:
    report_skipped(catalog.skipped, catalog.warnings)
    if catalog.partial:
        raise typer.Exit(2)


def corpus_summary(catalog: Catalog) -> dict[str, Any]:
    """The numbers behind `ra corpus`."""
    by_source: Counter[str] = Counter()
    for p in catalog.papers:
        for file in {s.file for s in p.sources}:
            by_source[file] += 1
    sections: Counter[str] = Counter(s.source.file for s in catalog.sections)
    return {
        "papers": len(catalog.papers),
        "sections": len(catalog.sections),
        "files": [
            {
                "file": f.file,
                "parser": f.parser,
                "papers": f.papers,
                "unique_papers": by_source.get(f.file, 0),
                "sections": sections.get(f.file, 0),
                "note": f.note,
            }
            for f in catalog.files
        ],
        "by_topic": dict(Counter(p.topic or "(none)" for p in catalog.papers).most_common()),
        "missing": {
            name: sum(1 for p in catalog.papers if test(p)) for name, test in MISSING_FIELDS.items()
        },
        "multi_source": sum(1 for p in catalog.papers if len({s.file for s in p.sources}) > 1),
        "pdf_fields": pdf_fields(catalog),
        "skipped": [{"file": s.file, "reason": s.reason} for s in catalog.skipped],
        "near_duplicates": [
            {"first": _brief(d.first), "second": _brief(d.second)} for d in catalog.near_duplicates
        ],
    }


PDF_FIELDS = ("title", "authors", "year", "venue", "abstract")


def pdf_fields(catalog: Catalog) -> list[dict[str, Any]]:
    """Per PDF file, which metadata fields its paper has (False for all when no title was
    found, so no paper was made): what `ra corpus` shows for a library of PDFs."""
    pdfs = [f.file for f in catalog.files if f.parser == "pdf"]
    by_file: dict[str, Paper] = {}
    for p in catalog.papers:
        for source in p.sources:
            if source.page is not None:
                by_file.setdefault(source.file, p)
    rows = []
    for file in pdfs:
        found = by_file.get(file)
        values = {
            "title": found.title if found else None,
            "authors": found.authors if found else (),
            "year": found.year if found else None,
            "venue": found.venue if found else None,
            "abstract": found.abstract if found else None,
        }
        rows.append({"file": file, **{name: bool(values[name]) for name in PDF_FIELDS}})
    return rows


def _brief(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "title": paper.title,
        "sources": [source_json(s) for s in paper.sources],
    }


def corpus(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories; default RA_CORPUS.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Summarise the corpus: papers per source and topic, missing fields, skipped files."""
    catalog = open_catalog(ctx.obj, paths)
    summary = corpus_summary(catalog)
    if json_out:
        print_json(summary)
        _finish(catalog)
        return
    files = Table(
        title=f"{summary['papers']} papers, {summary['sections']} sections", title_justify="left"
    )
    for col in ("file", "read as", "papers", "sections"):
        files.add_column(col, justify="right" if col in {"papers", "sections"} else "left")
    for f in summary["files"]:
        files.add_row(f["file"], f["parser"], str(f["papers"]), str(f["sections"]))
    out.print(files)
    if summary["pdf_fields"]:
        fields = Table(title="Fields read from each PDF", title_justify="left")
        fields.add_column("file")
        for name in PDF_FIELDS:
            fields.add_column(name, justify="center")
        for row in summary["pdf_fields"]:
            fields.add_row(row["file"], *("yes" if row[n] else "-" for n in PDF_FIELDS))
        out.print(fields)
    if summary["multi_source"]:
        out.print(f"{summary['multi_source']} papers appear in more than one file and were merged.")
    topics = Table(title="Papers per topic", title_justify="left")
    topics.add_column("topic")
    topics.add_column("papers", justify="right")
    for topic, n in summary["by_topic"].items():
        topics.add_row(topic, str(n))
    out.print(topics)
    missing = ", ".join(f"{name} {n}" for name, n in summary["missing"].items() if n)
    out.print(f"Papers missing a field: {missing or 'none'}")
    if catalog.near_duplicates:
        out.print("[bold]Possible duplicates[/] (titles one word apart, not merged):")
        for d in catalog.near_duplicates:
            out.print(f"  {escape(d.first.title)}  [dim]({d.first.id})[/]", highlight=False)
            out.print(f"  {escape(d.second.title)}  [dim]({d.second.id})[/]\n", highlight=False)
    _finish(catalog)


def papers(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="Words that must all appear.")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic (substring).")] = None,
    year: Annotated[int | None, typer.Option(help="Publication year.")] = None,
    author: Annotated[str | None, typer.Option(help="Author name (substring).")] = None,
    source: Annotated[str | None, typer.Option(help="Source file (substring).")] = None,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """List papers in the catalog, filtered by words, topic, year, author or source file."""
    catalog = open_catalog(ctx.obj, corpus_paths)
    found = catalog.filter(query, topic=topic, year=year, author=author, source=source)
    if json_out:
        print_json([paper_json(p) for p in found])
        _finish(catalog)
        return
    table = Table(title=f"{len(found)} of {len(catalog.papers)} papers", title_justify="left")
    table.add_column("bibkey", no_wrap=True)
    table.add_column("year", justify="right")
    table.add_column("title", ratio=3)
    table.add_column("authors", ratio=2)
    table.add_column("topic / venue", ratio=1)
    for p in found:
        authors = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
        table.add_row(
            p.bibkey,
            str(p.year or ""),
            escape(p.title),
            escape(authors),
            escape(p.topic or p.venue or ""),
        )
    out.print(table)
    _finish(catalog)


def paper(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="ID_OR_BIBKEY", help="A paper id or BibTeX key.")],
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one paper with everything known about it and every source."""
    catalog = open_catalog(ctx.obj, corpus_paths)
    found = catalog.get(key)
    if found is None:
        hint = catalog.filter(key)[:1]
        tip = f" Did you mean {hint[0].bibkey}?" if hint else ""
        raise UserError(
            f"No paper has the id or BibTeX key '{key}'.{tip} List them with `ra papers`."
        )
    if json_out:
        print_json({**paper_detail_json(found), "origins": dict(found.origins)})
        return
    out.print(f"[bold]{escape(found.title)}[/]", highlight=False)
    rows = [
        ("authors", ", ".join(found.authors)),
        ("year", str(found.year or "")),
        ("venue", found.venue or ""),
        ("topic", found.topic or ""),
        ("keywords", "; ".join(found.keywords)),
        ("awards", "; ".join(found.awards)),
        ("links", "  ".join(f"{link.label}: {link.url}" for link in found.links)),
        ("id", found.id),
        ("bibkey", found.bibkey),
        ("sources", "\n".join(s.label() for s in found.sources)),
    ]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for name, value in rows:
        if value:
            grid.add_row(name, escape(value))
    out.print(grid)
    if found.origins:
        out.print()
        out.print("[bold]Where each field came from[/]")
        origins = Table.grid(padding=(0, 2))
        origins.add_column(style="dim")
        origins.add_column()
        for name, origin in found.origins:
            origins.add_row(name, escape(origin))
        out.print(origins)
    if found.abstract:
        out.print()
        out.print(escape(found.abstract), highlight=False)

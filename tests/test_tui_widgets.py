"""Single widgets in a tiny host app, driven by Pilot: the message view, the sources
panel and the status bar, each asserted on its own state (no index, no workspace)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Label, ListView

from retrieval.records import Paper, Source
from tui.messages import SourceOpened
from tui.widgets import SPINNER, MessageView, SourceEntry, SourceItem, SourcesPanel, StatusBar


class Host(App[None]):
    """Mounts one widget and records the messages it posts up."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.opened: list[SourceEntry] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_source_opened(self, event: SourceOpened) -> None:
        self.opened.append(event.entry)


def _text(label: Label) -> str:
    return str(label.content)


async def test_message_view_streams_then_shows_the_checked_text() -> None:
    view = MessageView("assistant", "", title="Assistant · llm")
    async with Host(view).run_test() as pilot:
        for token in ("Low-rank ", "heads ", "limit ", "attention [1]."):
            await view.append(token)
        await pilot.pause()
        assert view.raw == "Low-rank heads limit attention [1]."
        assert "heads limit" in (view.body.source or "")
        await view.replace("Low-rank heads limit attention **[1]**.", title="Assistant · done")
        await pilot.pause()
        assert view.raw == "Low-rank heads limit attention **[1]**."
        assert view.body.source == view.raw  # the final text replaced the stream
        assert _text(view.query_one(".who", Label)) == "Assistant · done"
        await view.append(" More.")  # a new stream starts after a replace
        assert view.raw.endswith("**[1]**. More.")


async def test_message_view_banner_is_shown_once_above_the_body() -> None:
    view = MessageView("assistant", "An answer.")
    async with Host(view).run_test() as pilot:
        await view.show_banner("⚠ cites none of its sources")
        await view.show_banner("⚠ cites none of its sources (again)")
        await pilot.pause()
        banners = list(view.query(".banner"))
        assert len(banners) == 1 and "again" in str(banners[0].render())
        children = list(view.children)
        assert children.index(banners[0]) < children.index(view.body)
        assert view.title == "Assistant" and view.has_class("assistant")


async def test_sources_panel_lists_entries_and_posts_the_one_opened() -> None:
    paper = Paper(
        title="Low-rank bottleneck",
        authors=("S. Bhojanapalli", "C. Yun", "A. Rawat"),
        year=2020,
        venue="ICML",
        sources=(Source("google.txt", 12),),
    )
    entries = [
        SourceEntry(1, paper, paper.title, "google.txt:12", 0.8),
        SourceEntry(2, None, "Research statement", "research-statement.md:5", 0.2, weak=True),
    ]
    panel = SourcesPanel(id="sources")
    host = Host(panel)
    async with host.run_test() as pilot:
        panel.show(entries)
        await pilot.pause()
        items = list(panel.query(SourceItem))
        assert [i.entry.n for i in items] == [1, 2]
        assert _text(panel.query_one(".panel-title", Label)) == "Sources (2)"
        metas = [_text(i.query_one(".source-meta", Label)) for i in items]
        assert "S. Bhojanapalli, C. Yun et al. · 2020 · ICML" in metas[0]
        assert metas[1].endswith("⚠ weak support") and "weak" not in metas[0]
        panel.query_one(ListView).focus()
        await pilot.press("down", "enter")  # the first is selected already: down is the second
        await pilot.pause()
        assert [e.n for e in host.opened] == [2]
        panel.show([])
        await pilot.pause()
        assert not list(panel.query(SourceItem))
        assert _text(panel.query_one(".panel-title", Label)) == "Sources"


async def test_status_bar_joins_its_fields_and_spins_while_busy() -> None:
    bar = StatusBar()
    async with Host(bar).run_test() as pilot:
        bar.set(mode="offline: extractive", index="12 papers · 30 chunks")
        assert str(bar.render()) == "offline: extractive │ 12 papers · 30 chunks"
        bar.set(usage="120 tokens", busy="searching")
        first = str(bar.render())
        assert first.startswith("offline: extractive │ 12 papers · 30 chunks │ 120 tokens │ ")
        assert first.endswith(" searching") and first[-11] in SPINNER
        turned = first
        for _ in range(100):  # the spinner turns while busy (on its timer)
            await pilot.pause(0.05)
            turned = str(bar.render())
            if turned != first:
                break
        assert turned != first and turned.endswith(" searching")
        bar.set(busy="")
        idle = str(bar.render())
        assert not any(frame in idle for frame in SPINNER)
        await pilot.pause(0.3)  # ticks while idle change nothing
        assert str(bar.render()) == idle


async def test_sources_panel_shown_while_the_app_closes_does_not_crash() -> None:
    """An answer that ends as the app quits reaches a panel whose children are gone
    (a full-suite run failed with NoMatches('.panel-title'))."""
    panel = SourcesPanel(id="sources")
    async with Host(panel).run_test() as pilot:
        await panel.remove_children()
        panel.show([SourceEntry(1, None, "Research statement", "research-statement.md:5")])
        await pilot.pause()
        assert not list(panel.query(SourceItem))

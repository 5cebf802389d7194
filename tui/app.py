"""The terminal UI: chat with streamed, cite-checked answers, sources you can open,
reading lists, drafts and history.

It only renders and dispatches: every service comes from the `Workspace` handed to
`create_app`, and slow work (indexing, loading the model, answering) runs in thread
workers so the screen is painted before any heavy library is imported. The app holds
the keys and the screens; the chat's state lives on its first screen, `ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tui.chat import ChatScreen
from tui.messages import AddToReadingList, PaletteCommand, PaperChosen
from tui.palette import SlashCommands
from tui.screens import HelpScreen, PaperScreen
from tui.widgets import StatusBar

if TYPE_CHECKING:
    from textual.containers import VerticalScroll
    from textual.worker import Worker

    from assistant.session import ChatSession
    from assistant.workspace import Workspace


RECALL = "earlier questions in the input"


class ResearchApp(App[None]):
    """The `ra chat` app. Build it with `create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "research-assistant"
    COMMANDS = App.COMMANDS | {SlashCommands}
    # The order and tooltips are the help screen's keys table (`tui.screens.keys_markdown`);
    # bindings not shown in the footer (up, down, the palette) keep its order unchanged.
    BINDINGS = [
        Binding("up", "history_prev", show=False, tooltip=RECALL),
        Binding("down", "history_next", show=False, tooltip=RECALL),
        Binding(
            "escape",
            "cancel",
            "Cancel answer",
            show=True,
            tooltip="cancel a running answer (the question goes back into the input)",
        ),
        Binding(
            "ctrl+s",
            "focus_sources",
            "Sources",
            tooltip="focus the sources panel (enter opens a paper)",
        ),
        Binding(
            "ctrl+o",
            "export",
            "Export",
            tooltip="export the last answer, list or draft as Markdown",
        ),
        Binding("ctrl+n", "new_session", "New", tooltip="new session"),
        Binding("ctrl+r", "history", "History", tooltip="history: reopen or delete past sessions"),
        # Textual's own palette binding, declared here to take its place in the help.
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="command palette",
        ),
        Binding("ctrl+t", "toggle_theme", "Theme", tooltip="light / dark theme"),
        Binding("f1", "help", "Help", tooltip="this help"),
        Binding("ctrl+q", "quit", "Quit", tooltip="quit"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.chat = ChatScreen(workspace)
        self.leaving = False

    def get_default_screen(self) -> Screen[None]:
        return self.chat

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: they can hold the API key.

        The one private Textual name used, on purpose: Textual 8 has no public hook for
        how a crash is reported, and its default shows every frame's locals. The report
        itself goes through the public `panic`.
        """
        import rich
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal: leave when it goes away
            from tui import lifeline

            self.set_interval(lifeline.POLL_S, lifeline.install(self.leave))

    def leave(self, reason: str, code: int) -> None:
        """The terminal is gone or ra was told to stop: save the answer in progress
        as interrupted and exit now, whatever the threads are doing."""
        if self.leaving:
            return
        self.leaving = True
        from tui import lifeline

        if self.chat.session is not None:
            self.chat.session.interrupt(reason)
        lifeline.exit_soon(code)
        self.exit(return_code=code)

    # --- views of the chat's state, for the launcher and tests ------------------------

    @property
    def session(self) -> ChatSession | None:
        return self.chat.session

    @property
    def answering(self) -> Worker[None] | None:
        return self.chat.answers.worker

    @property
    def answer_alive(self) -> bool:
        return self.chat.answers.alive

    @property
    def status(self) -> StatusBar:
        return self.chat.status

    @property
    def messages(self) -> VerticalScroll:
        return self.chat.messages

    def palette_command(self, name: str) -> None:
        """Run a slash command as the command palette does."""
        self.chat.palette_command(name)

    # --- messages from the screens above the chat ----------------------------------------

    @on(PaletteCommand)
    def _palette(self, event: PaletteCommand) -> None:
        self.chat.palette_command(event.name)

    @on(PaperChosen)
    def _paper_chosen(self, event: PaperChosen) -> None:
        self.push_screen(PaperScreen(self.workspace, event.paper))

    @on(AddToReadingList)
    def _add_to_reading_list(self, event: AddToReadingList) -> None:
        self.chat.writing.add_to_basket(event.paper)

    # --- keys ------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.chat.answers.cancel() and isinstance(self.screen, HelpScreen):
            self.pop_screen()

    def action_focus_sources(self) -> None:
        self.chat.query_one("#source-list").focus()

    def action_export(self) -> None:
        self.chat.writing.export("md", "")

    async def action_new_session(self) -> None:
        await self.chat.command_new()

    def action_history(self) -> None:
        self.chat.command_history()

    def action_help(self) -> None:
        self.chat.command_help()

    def action_history_prev(self) -> None:
        self.chat.recall(-1)

    def action_history_next(self) -> None:
        self.chat.recall(1)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def create_app(workspace: Workspace) -> ResearchApp:
    """The app factory the CLI and the tests both use: every service comes in here."""
    return ResearchApp(workspace)

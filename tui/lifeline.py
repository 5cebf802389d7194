"""Ending `ra chat` when its terminal goes away, or when it is told to stop.

A closed terminal window (or `tmux kill-session`) hangs up the pty. The shell's
SIGHUP reaches `ra chat` only when it is the shell's own job; under `make chat` it
may never come, and Textual's input thread then reads end-of-file from the dead
terminal in a busy loop (an orphan at 130% CPU). So both are watched here:

- SIGHUP and SIGTERM: handled on the event loop;
- the terminal itself: polled every `POLL_S` seconds; a hung-up tty fails
  `tcgetattr` (EIO), and one whose stdin reads end-of-file is gone too.

Either way the answer in progress is saved as interrupted, the app exits, and a
watchdog ends the process `EXIT_GRACE_S` later if a thread blocked on the network
(an LLM answer) would keep it alive.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable

POLL_S = 0.25
EXIT_GRACE_S = 1.5
SIGNALS = {signal.SIGHUP: "the terminal was closed", signal.SIGTERM: "ra was stopped (SIGTERM)"}
EXIT_CODES = {signal.SIGHUP: 129, signal.SIGTERM: 143}


def terminal_lost(fd: int) -> bool:
    """True when `fd` was a terminal that has since hung up (EIO, or end-of-file)."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    # A tty that still answers tcgetattr may yet be hung up: poll says so without
    # reading (a read would take the user's keystrokes from Textual).
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(
        flags & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, flags in poller.poll(0)
    )


def install(leave: Callable[[str, int], None]) -> Callable[[], None]:
    """Call `leave(reason, exit_code)` on SIGHUP, SIGTERM or a lost terminal.

    Must run on the app's event loop (in `on_mount`). Returns the function that
    polls the terminal, for the app to run on a timer.
    """
    loop = asyncio.get_running_loop()
    for signum, reason in SIGNALS.items():
        loop.add_signal_handler(signum, leave, reason, EXIT_CODES[signum])
    fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    watched = fd >= 0 and os.isatty(fd)

    def poll() -> None:
        if watched and terminal_lost(fd):
            leave("the terminal was closed", 129)

    return poll


def exit_soon(code: int) -> None:
    """End the process `EXIT_GRACE_S` from now unless it has ended by itself."""

    def later() -> None:
        time.sleep(EXIT_GRACE_S)
        os._exit(code)

    threading.Thread(target=later, name="ra-exit-watchdog", daemon=True).start()

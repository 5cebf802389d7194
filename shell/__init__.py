"""The shell: the `ra` command line and the `ra chat` launcher.

The top layer: it may import `tui`, `assistant`, `retrieval` and `prompts`; nothing
imports it (tests/test_layers.py holds the arrows).
"""

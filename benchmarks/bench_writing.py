"""Reading lists and related-work drafts on writing requests: gold coverage and
must-not-cite papers included, through the same code as `ra eval writing`.

Run: .venv/bin/python benchmarks/bench_writing.py [--llm]   (needs `ra index` of corpus/)

Four sets, reported apart:
- shared/tune: the 16 requests of ../shared/devsets/writing.jsonl whose id does not
  end in 03, 06, 09 or 12. The selection's cut (assistant/thresholds.py) was tuned on
  these and on benchmarks/data/writing_own.jsonl.
- shared/held-out: the 8 requests whose id ends in 03, 06, 09 or 12. Never looked at
  while tuning; measured once the cut was fixed.
- own: benchmarks/data/writing_own.jsonl (short topic requests written for this
  project, bibkeys checked by hand), also tuned on.
- blind: benchmarks/data/writing_blind.jsonl, 24 requests written in the shared set's
  format by a session that read only the corpus and the devset README, never the code;
  never tuned on (benchmarks/data/README.md).

`--llm` runs the LLM code path with a scripted chat model: it reads each request into
the same JSON the offline reader would give, lists every candidate in one theme and
cites every candidate in a draft. It checks that the LLM path loses and adds nothing;
it does not measure a real model.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings  # noqa: E402
from assistant.workspace import Workspace  # noqa: E402
from assistant.writing_eval import (  # noqa: E402
    ItemResult,
    WritingItem,
    evaluate_item,
    load_items,
    summarize,
)

SHARED = ROOT.parent / "shared" / "devsets" / "writing.jsonl"
OWN = ROOT / "benchmarks" / "data" / "writing_own.jsonl"
BLIND = ROOT / "benchmarks" / "data" / "writing_blind.jsonl"
HELD_OUT = ("03", "06", "09", "12")


def scripted_llm(workspace: Workspace) -> Any:
    """A chat model that answers each prompt the way a faithful model would."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class Scripted(BaseChatModel):
        def _generate(self, messages: Any, stop: Any = None, **kwargs: Any) -> ChatResult:
            prompt = "\n".join(str(m.content) for m in messages)
            return ChatResult(
                generations=[ChatGeneration(message=AIMessage(content=reply(prompt)))]
            )

        @property
        def _llm_type(self) -> str:
            return "scripted"

    def reply(prompt: str) -> str:
        if "<<<REQUEST>>>" in prompt:
            text = prompt.split("<<<REQUEST>>>", 1)[1].split("<<<END REQUEST>>>", 1)[0].strip()
            offline = workspace.read_offline(text)
            return json.dumps(offline.model_dump(exclude={"text", "sources", "not_sources"}))
        keys = re.findall(r"key: (\S+)", prompt)
        if '"themes"' in prompt:
            papers = [{"key": k, "why": "On the topic.", "summary": "Summary."} for k in keys]
            return json.dumps({"themes": [{"name": "Papers", "papers": papers}]})
        return " ".join(f"Prior work \\citep{{{k}}} is related." for k in keys)

    return Scripted()


def run(workspace: Workspace, items: list[WritingItem]) -> list[ItemResult]:
    return [evaluate_item(workspace, item) for item in items]


def show(name: str, results: list[ItemResult]) -> None:
    report = summarize(results)
    for kind in ("reading_list", "related_work"):
        part = report[kind]
        if part["n"]:
            print(
                f"{name:18} {kind:13} n={part['n']:2} coverage {part['coverage']:.3f} "
                f"off-topic {part['off_topic']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm", action="store_true", help="the LLM path, scripted")
    parser.add_argument("--verbose", action="store_true", help="one line per request")
    args = parser.parse_args()
    workspace = Workspace(Settings())
    workspace.open()
    if args.llm:
        workspace = Workspace(Settings(), llm=scripted_llm(workspace), library=workspace.library)
        workspace.open()
    shared = load_items(SHARED) if SHARED.exists() else []
    sets = {
        "shared/tune": [i for i in shared if not i.id.endswith(HELD_OUT)],
        "shared/held-out": [i for i in shared if i.id.endswith(HELD_OUT)],
        "own": load_items(OWN),
        "blind": load_items(BLIND),
    }
    print(f"mode: {workspace.mode}")
    for name, items in sets.items():
        results = run(workspace, items)
        if args.verbose:
            for r in results:
                print(f"  {r.id:8} {r.kind:13} {r.found}/{r.possible} off-topic {r.off_topic}")
        show(name, results)


if __name__ == "__main__":
    main()

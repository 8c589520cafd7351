"""The prompt coach's confidentiality detectors measured on the labelled set the team wrote
(`tremplin/data/prompts/labelled.json`: 60 prompts, true findings with the exact text they
cover, and hard negatives that fail their checksum): precision and recall per kind.

    .venv/bin/python bench/prompt_coach.py

Last line: {"prompts": …, "findings": …, "per_kind": {kind: {"precision", "recall", …}}, …}.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tremplin.compute.prompts import confidential  # noqa: E402

LABELLED = ROOT / "tremplin" / "data" / "prompts" / "labelled.json"


def measure(path: Path = LABELLED) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    right: Counter[str] = Counter()
    found: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    misses: list[str] = []
    for prompt in data["prompts"]:
        truth = {(f["kind"], f["value"]) for f in prompt["findings"]}
        seen = {(f.kind, f.value) for f in confidential(prompt["text"], data["clients"])}
        for kind, _value in truth:
            expected[kind] += 1
        for kind, value in seen:
            found[kind] += 1
            if (kind, value) in truth:
                right[kind] += 1
            else:
                misses.append(f"{prompt['id']} false {kind}: {value}")
        misses += [f"{prompt['id']} missed {k}: {v}" for k, v in truth - seen]
    kinds = sorted(set(expected) | set(found))
    per_kind = {k: {"expected": expected[k], "found": found[k], "right": right[k],
                    "precision": round(right[k] / found[k], 3) if found[k] else None,
                    "recall": round(right[k] / expected[k], 3) if expected[k] else None}
                for k in kinds}  # fmt: skip
    total_right, total_found = sum(right.values()), sum(found.values())
    return {"prompts": len(data["prompts"]), "findings": sum(expected.values()),
            "precision": round(total_right / total_found, 3) if total_found else None,
            "recall": round(total_right / sum(expected.values()), 3),
            "per_kind": per_kind, "errors": misses}  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False))

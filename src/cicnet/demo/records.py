"""The unit the demo converters produce: one decision as ingestion-format files.

A record becomes ``NAME.yaml`` (the metadata, keys as in ``docs/ingest.md``) plus one
``NAME.<lang>.txt`` per full text, written into a folder that ``cicnet ingest`` reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class DemoRecord:
    """One demo decision: its file stem, its metadata and its texts by language code."""

    name: str
    metadata: dict[str, Any]
    texts: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> list[Path]:
        """Write the record's files into ``folder``; the bytes depend only on the record, so
        re-running the demo loader gives identical files (and ingestion skips them)."""
        paths = [folder / f"{self.name}.yaml"]
        paths[0].write_text(
            yaml.safe_dump(self.metadata, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        for lang, body in sorted(self.texts.items()):
            path = folder / f"{self.name}.{lang}.txt"
            path.write_text(body, encoding="utf-8")
            paths.append(path)
        return paths

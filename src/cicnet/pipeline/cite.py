"""Stage ``cite``: find the citations in the stored decision's texts and link them.

Runs after ``store`` (it reads the stored paragraphs) and before ``index``. The work is in
``citations.services.decision_cite``: ECLIs, ECtHR application numbers, international and
national case numbers and provisions, each linked to a decision of the database, a provision
of ``law/`` or a public source; earlier decisions' citations of this one are linked to it too.
Bumping ``version`` re-extracts every decision on the next run.
"""

from __future__ import annotations

from cicnet.citations.services import decision_cite
from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.base import Document, Stage, StageResult


class Cite(Stage):
    """Store the decision's citations and link them."""

    name = "cite"
    version = "1"
    writes = True

    def run(self, document: Document) -> StageResult:
        decision = Decision.objects.get(uid=document.uid)
        rows = decision_cite(decision=decision, version=self.version)
        linked = sum(1 for r in rows if r.cited_id)
        return StageResult(detail=f"{len(rows)} citations, {linked} to decisions here")

"""Stage ``anonymise``: suggest the anonymisation of every text of the stored decision.

Runs after ``store`` (the suggestions point at the stored paragraphs) and before ``index`` (the
index holds the anonymised text only, see ``anonymisation.selectors.text_for``). The work is in
``anonymisation.services.decision_anonymise``; the policy is ``publication`` (what texts that
become public get, ``policies.DEFAULT_POLICY``) unless a curator chose another for the decision
in the workbench (kept on re-runs), e.g. ``strict``. ``version`` is the anonymiser's
(``anonymisation/version.py``): the rules' revision and a fingerprint of the policies, word
lists and models, so a changed rule or policy makes every stored text stale and the next run
re-anonymises it.
"""

from __future__ import annotations

from cicnet.anonymisation.models import TextAnonymisation
from cicnet.anonymisation.policies import DEFAULT_POLICY
from cicnet.anonymisation.services import decision_anonymise
from cicnet.anonymisation.version import engine_version
from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.base import Document, Stage, StageResult

POLICY = DEFAULT_POLICY


class Anonymise(Stage):
    """Store suggested spans, entities and pseudonyms for each text of the decision."""

    name = "anonymise"
    version = engine_version()
    writes = True

    def run(self, document: Document) -> StageResult:
        decision = Decision.objects.get(uid=document.uid)
        chosen = (
            TextAnonymisation.objects.filter(text__decision=decision)
            .values_list("policy", flat=True)
            .first()
        )
        policy = chosen or POLICY
        records = decision_anonymise(
            decision=decision,
            policy=policy,
            version=self.version,
            carried=document.carried_reviews,
        )
        mentions = sum(r.entities.count() for r in records)
        return StageResult(detail=f"{len(records)} texts, {mentions} entities ({policy})")

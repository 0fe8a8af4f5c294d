""" "Cite as": the one formatter of a decision's citation, for the page, the reader's paragraph
anchors, the API and the exports.

Two house styles, by court:

- the European Court of Human Rights, in the form of its own judgments and the Genocide
  Network's publications: ``Kononov v. Latvia [GC], no. 36376/04, § 185, 17 May 2010``. The
  Court's printed-Reports form ("ECHR 2010-III") is not used: which judgments were reported is
  not recorded here, and the date identifies the judgment as well;
- national courts, as the Genocide Network's publications cite them: ``Anwar R. (Al-Khatib
  trial), Higher Regional Court of Koblenz, judgment of 13 January 2022, 1 StE 9/19, para. 12``.

A date is given as precisely as the source stated it (``date_display``): a year-only date is the
year, never 1 January. Caveat: the decision passed in is cited as it is; a row masked for a
reader below the Secretariat (anonymisation/headings.py) gives a masked citation, which is what
that reader must see.
"""

from __future__ import annotations

from typing import Protocol

ECTHR = "echr"
_JUDGMENT_TYPES = frozenset({"judgment", "appeal_judgment", "ecthr_judgment"})


class Citable(Protocol):
    """What a citation reads of a decision (a Decision row has all of it)."""

    court_id: str
    court: str
    court_formation: str
    case_name: str
    defendant: str
    title: str
    case_number: str
    ecli: str
    decision_type: str

    @property
    def date_display(self) -> str: ...


def _application_numbers(case_number: str) -> str:
    numbers = [n.strip() for n in case_number.replace(",", ";").split(";") if n.strip()]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"no. {numbers[0]}"
    return f"nos. {', '.join(numbers[:-1])} and {numbers[-1]}"


def cite(decision: Citable, *, paragraph: int | None = None) -> str:
    """The citation of ``decision``, pointing at ``paragraph`` when given."""
    date = decision.date_display
    if decision.court_id == ECTHR:
        name = decision.case_name or decision.title
        if "grand chamber" in decision.court_formation.casefold():
            name += " [GC]"
        parts = [name, _application_numbers(decision.case_number) or decision.ecli]
        if paragraph is not None:
            parts.append(f"§ {paragraph}")
        parts.append(date)
        return ", ".join(p for p in parts if p)
    label = decision.defendant
    if decision.case_name:
        label = f"{label} ({decision.case_name})" if label else decision.case_name
    kind = "judgment" if decision.decision_type in _JUDGMENT_TYPES else decision.decision_type
    kind = kind if kind in ("judgment", "order") else "decision"
    parts = [
        label,
        decision.court,
        f"{kind} of {date}" if date else kind,
        decision.case_number or decision.ecli,
    ]
    if paragraph is not None:
        parts.append(f"para. {paragraph}")
    return ", ".join(p for p in parts if p)

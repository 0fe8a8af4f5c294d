from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete


class SearchConfig(AppConfig):
    name = "cicnet.search"
    label = "search"

    def ready(self) -> None:
        from cicnet.jurisprudence.models import Decision

        post_delete.connect(_drop_from_index, sender=Decision, dispatch_uid="search-drop-deleted")


def _drop_from_index(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted decision leaves the index once its transaction commits, whichever code path
    deleted it (the index answers searches without the database)."""
    from cicnet.search.services import index_on_commit

    index_on_commit([instance.uid])

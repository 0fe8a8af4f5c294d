"""JSON API for decisions and search (mounted under /api/v1/)."""

from ninja import Router

router = Router(tags=["jurisprudence"])

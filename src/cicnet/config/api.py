"""The JSON API (django-ninja) mounted at /api/v1/, its OpenAPI schema at /api/v1/openapi.json.

Each app owns its routers (``<app>/api.py``); this module only assembles them.
"""

from ninja import NinjaAPI

from cicnet.jurisprudence.api import router as jurisprudence_router

api = NinjaAPI(
    title="cicnet API",
    version="1",
    description=(
        "National jurisprudence on core international crimes. Anonymous use is throttled; "
        "members authenticate with `Authorization: Bearer <token>`. See docs/api.md."
    ),
    urls_namespace="api-v1",
)
api.add_router("/", jurisprudence_router)

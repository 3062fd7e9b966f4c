"""What the web page needs beside the API, and the interactive API docs, all served from the package.

* ``GET /v1/page``: where to report (the routes in rules/advice.yaml, one tap each on the page) and
  which flags are marketing signs or the learned model's, so the page lists only the signs behind a
  verdict and keeps the model's probabilities for its "details" view.
* ``GET /docs``: Swagger UI with its JavaScript and CSS from the ``fastapi-offline`` package (part of
  the ``server`` extra), so the docs work with no internet connection and load nothing from a CDN.

``install(app)`` adds both (the app is created with ``docs_url=None``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .. import rules

DOCS_ASSETS = "/static-docs"

router = APIRouter(prefix="/v1")


class ReportRoute(BaseModel):
    id: str
    kind: str = Field(description="sms (a text to prepare), tel (a number to call) or web (a link)")
    to: str
    body: str | None = Field(None, description="For sms: 'message' (the message itself) or 'call_number'")
    label: str
    text: str
    source: str
    channel: str | None = Field(None, description="Only for this channel (sms or call), when set")
    flags: list[str] = Field(description="Only when one of these signs fired, when not empty")
    verdicts: list[str]


class PageDataOut(BaseModel):
    report_routes: list[ReportRoute]
    spam_flags: list[str] = Field(description="Marketing signs: they make a message spam, never a scam")
    model_flags: list[str] = Field(description="The learned model's flags (their notes hold probabilities)")


@router.get("/page", response_model=PageDataOut, tags=["service"],
            summary="What the web page shows beside a verdict: where to report, and which flags are which")
async def page_data(request: Request) -> dict:
    data = getattr(request.app.state, "page_data", None)
    if data is None:
        defs = rules.flag_defs()
        data = request.app.state.page_data = {
            "report_routes": list(request.app.state.analyzer.advisor.report_routes),
            "spam_flags": sorted(fid for fid, d in defs.items() if d.score == "spam"),
            "model_flags": sorted(fid for fid, d in defs.items() if d.group.startswith("model")),
        }
    return data


def _docs_assets() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    path = Path(fastapi_offline.__file__).parent / "static"
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def install(app: FastAPI) -> None:
    app.include_router(router)
    assets = _docs_assets()
    if assets is not None:
        app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        if assets is None:
            return HTMLResponse(
                "<!doctype html><title>scamshield API docs</title><p>The interactive docs need the "
                "fastapi-offline package (pip install 'scamshield[server]'). The API schema is at "
                '<a href="/openapi.json">/openapi.json</a> and described in docs/api.md.</p>', status_code=501)
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title=app.title + " - API docs",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": False},
        )

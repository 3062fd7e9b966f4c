"""The REST API and web page (the ``server`` extra): ``create_app(Settings(...))``, ``scamshield serve``."""

from .settings import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None):
    from .app import create_app as _create

    return _create(settings)

"""Request dependencies shared by the pages (accord.web) and the API (accord.api): the settings and a
database session. Each front end adds its own way of knowing who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings


def get_settings(request: Request) -> Settings:
    """The application's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A database session for the request; routes commit, and closing discards anything uncommitted.

    Closing (rather than rolling back) keeps loaded objects readable, so an error page rendered
    after the route failed can still show the signed-in user.
    """
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    session = factory()
    try:
        yield session
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]

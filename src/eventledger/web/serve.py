"""The app factory ``eventledger serve`` hands to uvicorn (settings travel in the environment,
so that several worker processes build the same app): the settings and their variables, one place."""

from __future__ import annotations

import os

from fastapi import FastAPI

from eventledger.extract.codebook import DEFAULT_CODEBOOK

ENV_DB = "EVENTLEDGER_SERVE_DB"
ENV_PUBLIC = "EVENTLEDGER_SERVE_PUBLIC"
ENV_CODEBOOK = "EVENTLEDGER_SERVE_CODEBOOK"


def settings_env(db_url: str, *, public: bool, codebook: str) -> dict[str, str]:
    """The environment that :func:`app_from_env` reads (set by ``eventledger serve`` before uvicorn starts)."""
    return {ENV_DB: db_url, ENV_PUBLIC: "1" if public else "", ENV_CODEBOOK: codebook}


def app_from_env() -> FastAPI:
    from eventledger.web.app import create_app

    return create_app(
        os.environ.get(ENV_DB),
        public=bool(os.environ.get(ENV_PUBLIC)),
        codebook=os.environ.get(ENV_CODEBOOK) or DEFAULT_CODEBOOK,
    )

"""The app factory ``eventledger serve`` hands to uvicorn (settings travel in the environment,
so that several worker processes build the same app)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from eventledger.extract.codebook import DEFAULT_CODEBOOK
from eventledger.web.app import create_app


def app_from_env() -> FastAPI:
    return create_app(
        os.environ.get("EVENTLEDGER_SERVE_DB"),
        public=bool(os.environ.get("EVENTLEDGER_SERVE_PUBLIC")),
        codebook=os.environ.get("EVENTLEDGER_SERVE_CODEBOOK") or DEFAULT_CODEBOOK,
    )

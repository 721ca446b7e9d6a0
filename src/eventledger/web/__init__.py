"""The analyst web app (FastAPI, server-rendered pages, JSON API)."""

"""Accessible web forms (server-rendered, Jinja2 + Babel)."""

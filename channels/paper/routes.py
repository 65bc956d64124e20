"""Routes of the paper channel. The app factory calls `install(app, services)` like the other channels'."""
from __future__ import annotations

import falcon

import channels.paper.models  # noqa: F401  (registers the tables on the shared metadata)
from channels.paper import pages, queues

PAPER_PATH = pages.PAPER_PATH


def install(app: falcon.App, services) -> None:
    queues.register_privacy_hooks()
    app.add_route(pages.SCRIPT_PATH, pages.StaticFile(pages.STATIC / "paper.js", "text/javascript; charset=utf-8"))
    app.add_route(pages.STYLESHEET_PATH, pages.StaticFile(pages.STATIC / "paper.css", "text/css; charset=utf-8"))
    app.add_route(PAPER_PATH, pages.PaperHome(services))
    app.add_route(f"{PAPER_PATH}/key", pages.KeyedEntryPage(services))
    app.add_route(f"{PAPER_PATH}/review", pages.ReviewQueuePage(services))
    app.add_route(PAPER_PATH + "/review/{item_id:int}", pages.ReviewDecision(services))
    app.add_route(PAPER_PATH + "/review/{item_id:int}/crop.png", pages.Image(services, queues.review_crop, pages.TICK_BOXES))
    app.add_route(f"{PAPER_PATH}/texts", pages.TextQueuePage(services))
    app.add_route(PAPER_PATH + "/texts/{item_id:int}", pages.TextTyped(services))
    app.add_route(PAPER_PATH + "/texts/{item_id:int}/crop.png", pages.Image(services, queues.crop_image, pages.HANDWRITING))
    app.add_route(f"{PAPER_PATH}/unreadable", pages.UnreadablePage(services))
    app.add_route(PAPER_PATH + "/unreadable/{item_id:int}", pages.UnreadableResolved(services))
    app.add_route(PAPER_PATH + "/unreadable/{item_id:int}/image.png", pages.Image(services, queues.unreadable_image, pages.SCANNED_PAGE))

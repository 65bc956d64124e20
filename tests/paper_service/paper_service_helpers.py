"""Helpers of the paper service tests (imported by name: conftest puts this folder on sys.path)."""
from __future__ import annotations

import random
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import falcon.testing
from PIL import Image, ImageDraw

from easy_read.paper.layout import PageLayout
from easy_read.paper.render import RenderResult
from easy_read.paper.store import SheetRecord
from easy_read.paper.synthetic import draw_mark, draw_writing
from service.app import Services
from service.auth.permissions import Role
from service.auth.users import create_user


@dataclass
class Printed:
    language: str
    result: RenderResult
    pdf: Path
    pages: list[Image.Image]          # clean pages at 200 dpi

    @property
    def layout(self):
        return self.result.layout

    @property
    def template(self) -> SheetRecord:
        return self.result.sheets[0]


def rasterise(pdf: Path, dpi: int, out_dir: Path) -> list[Image.Image]:
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(prefix)], check=True)
    files = sorted(out_dir.glob(f"{prefix.name}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]


def tick(image: Image.Image, page: PageLayout, choices: dict[str, str], *, dpi: int = 200, style: str = "tick",
         seed: int = 1, write_in: tuple[str, ...] = ()) -> Image.Image:
    """Pen marks (the library's synthetic ones) in the chosen boxes, and scribbles in free-text boxes."""
    image = image.copy()
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for box in page.boxes:
        if box.kind == "tick" and choices.get(box.question) == box.answer:
            draw_mark(draw, box.rect, style if style != "mixed" else rng.choice(["tick", "cross", "fill"]), dpi / 25.4, rng)
        elif box.kind == "free_text" and box.question in write_in:
            draw_writing(draw, box.rect, dpi / 25.4, random.Random(seed + 100))
    return image


def choose(page: PageLayout, seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    options: dict[str, list[str]] = {}
    for box in page.boxes:
        if box.kind == "tick":
            options.setdefault(box.question, []).append(box.answer)
    return {question: rng.choice(answers) for question, answers in options.items()}


def save_pages(images: list[Image.Image], path: Path) -> Path:
    first, *rest = images
    first.save(path, save_all=True, append_images=rest, resolution=200)
    return path


# --- staff pages ----------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_user(services: Services, email: str, role: Role) -> int:
    with services.session_factory.begin() as session:
        user = create_user(session, email=email, role=role.value, display_name=email.split("@")[0], password=PASSWORD)
        session.flush()
        return user.id


class StaffClient:
    """A cookie-keeping client for the HTML pages (falcon's TestClient keeps no cookies)."""

    def __init__(self, client: falcon.testing.TestClient):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.last_csrf = ""

    def _keep(self, result) -> None:
        for name, cookie in result.cookies.items():
            if cookie.value == "" or (cookie.max_age is not None and int(cookie.max_age) <= 0):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie.value
        match = _CSRF.search(result.text or "") if (result.headers.get("content-type") or "").startswith("text/html") else None
        if match:
            self.last_csrf = match.group(1)

    def get(self, path: str, params: dict | None = None):
        result = self.client.simulate_get(path, params=params, cookies=dict(self.cookies))
        self._keep(result)
        return result

    def post(self, path: str, form: dict[str, str] | list[tuple[str, str]], *, csrf: bool = True):
        data = list(form.items()) if isinstance(form, dict) else list(form)
        if csrf and not any(name == "csrf_token" for name, _ in data):
            data.append(("csrf_token", self.last_csrf))
        result = self.client.simulate_post(path, body=urlencode(data), cookies=dict(self.cookies),
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        self._keep(result)
        return result

    def sign_in(self, email: str, password: str = PASSWORD):
        self.get("/staff/sign-in")
        result = self.post("/staff/sign-in", {"email": email, "password": password})
        assert result.status_code == 303, result.text
        return result


def signed_in(client: falcon.testing.TestClient, services: Services, email: str, role: Role) -> StaffClient:
    add_user(services, email, role)
    staff = StaffClient(client)
    staff.sign_in(email)
    return staff

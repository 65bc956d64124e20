"""Names staff typed show direction controls as marks on the feedback pages too: the account name of whoever
saved a translation (the translation queue's "saved by"), and a provider's name (typed by an admin over the
API) on the feedback list and page. Every staff page prints values through one finalizer (staff_environment)."""
from __future__ import annotations

from sqlalchemy import select

from service.auth.models import StaffUser
from service.auth.permissions import Role
from service.domain.model import Channel, Consent, SubmitFeedback
from service.intake import submit_feedback
from service.storage.orm import Provider, TextAnnotation
from tests.integration.test_analysis import loaded_pipelines  # noqa: F401
from tests.staff.test_feedback_pages import URDU, _form_field, analyse_all, submit
from tests.support.staff import signed_in

RLO = "\u202e"


def _raw(page: str) -> list[str]:
    return [page[max(0, i - 40): i + 10] for i in range(len(page)) if page[i] == RLO]


def test_the_translator_named_in_a_conflict_shows_direction_controls_as_marks(client, services, loaded_pipelines):  # noqa: F811
    services.pipelines._pipeline = loaded_pipelines.get()
    submit(services, URDU, language="ur")
    analyse_all(services)
    a, b = (signed_in(client, services, f"{who}@example.org", Role.DUTY_TEAM) for who in ("a", "b"))
    with services.session_factory.begin() as session:
        session.scalars(select(StaffUser).where(StaffUser.email == "a@example.org")).one().display_name = f"Ana {RLO}nimda"
    with services.session_factory() as session:
        text_id = session.scalar(select(TextAnnotation.free_text_id))
    seen_by_a, seen_by_b = (_form_field(x.get("/staff/translations").text, text_id, "annotation_id") for x in (a, b))
    a.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_a, "translation": "She locks me in."})
    second = b.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_b, "translation": "Locked in."})
    assert second.status_code == 409
    assert _raw(second.text) == []


def test_a_provider_name_shows_direction_controls_as_marks(client, services):
    with services.session_factory.begin() as session:
        home = Provider(name=f"Moorside {RLO}emoH eraC", type="care_home", area="Bolton")
        session.add(home)
        session.flush()
        home_id = home.id
    receipt = submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", texts={"own_words": "Kind staff."},
                                             consent=Consent.ANONYMOUS, provider_id=home_id), services.uow())
    duty = signed_in(client, services, "duty@example.org", Role.DUTY_TEAM)
    assert _raw(duty.get("/staff/submissions").text) == []
    assert _raw(duty.get(f"/staff/submissions/{receipt.submission_id}").text) == []

"""Questions and answers of the consultancy desk, and its knowledge base, with the pages' visibility."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from sinergia.api import refs
from sinergia.api.auth import token_auth, viewer_of
from sinergia.api.errors import ErrorOut, service_error
from sinergia.api.pagination import page_url
from sinergia.api.schemas import FilterText, OrganisationRef, Slug, enum_schema, one_of
from sinergia.desk.models import Answer, Category, Question
from sinergia.desk.search import KNOWLEDGE_BASE, VISIBLE, QuestionFilters, question_search
from sinergia.desk.selectors import questions as selectors
from sinergia.desk.services import questions as services
from sinergia.directory.models import OrganisationMember

router = Router(tags=["desk"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CATEGORIES, STATUSES, VISIBILITIES = Category.values, Question.Status.values, Question.Visibility.values
MAX_PAGE = 500


class QuestionFilterSchema(Schema):
    """Which questions: words (the knowledge base's search), category, status, the requester's organisations'."""

    q: FilterText = Field("", description="Words in titles, details and answers, stemmed in each question's language.")
    category: list[Annotated[str, one_of(CATEGORIES), enum_schema(CATEGORIES)]] = Field(default_factory=list,
                                                                                       max_length=20)
    status: list[Annotated[str, one_of(STATUSES), enum_schema(STATUSES)]] = Field(default_factory=list,
                                                                                 max_length=10)
    language: list[Annotated[str, Field(pattern=r"^[a-zA-Z]{2,8}$")]] = Field(
        default_factory=list, max_length=20, description="Primary language subtags, e.g. it, en.")
    mine: bool = Field(False, description="Only the questions of the requester's organisations.")
    knowledge_base: bool = Field(False, description="Only the knowledge base: public resolved questions.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


class AnswerOut(Schema):
    id: int
    author: str = Field(description="The author's display name (empty once the account is deleted).")
    body: str = Field(description="Markdown, as written.")
    by_expert: bool
    accepted: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj: Answer) -> str:
        return obj.author.display_name if obj.author is not None else ""

    @staticmethod
    def resolve_accepted(obj: Answer) -> bool:
        return obj.question.accepted_answer_id == obj.pk


class QuestionOut(Schema):
    """A question as listed."""

    id: int
    title: str
    category: str
    language: str
    visibility: str
    status: str
    organisation: OrganisationRef
    call_id: int | None
    accepted_answer_id: int | None
    created_at: datetime.datetime
    first_answered_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    page: str = Field(description="The question's page.")

    @staticmethod
    def resolve_page(obj: Question, context: dict | None) -> str:
        request = (context or {}).get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class QuestionDetailOut(QuestionOut):
    """One question with its details and its answers, the accepted one first."""

    body: str = Field(description="Markdown, as written.")
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Question) -> list[Answer]:
        return selectors.question_answers(question=obj)


class HitOut(Schema):
    question: QuestionOut
    rank: float
    title: str = Field(description="HTML: the title escaped, the words found in <mark>.")
    snippet: str = Field(description="HTML: the text around the words found, escaped, matches in <mark>.")


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class QuestionListOut(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[HitOut]
    facets: dict[str, list[FacetOut]]


class QuestionIn(Schema):
    """A new question, on behalf of an organisation the requester belongs to."""

    organisation: Slug
    category: Annotated[str, one_of(CATEGORIES), enum_schema(CATEGORIES)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(max_length=10_000)] = ""
    language: Annotated[str, Field(max_length=35, description="BCP 47 tag, e.g. it, en, pt-BR.")]
    visibility: Annotated[str, one_of(VISIBILITIES), enum_schema(VISIBILITIES)] = Question.Visibility.PUBLIC
    call: Annotated[int | None, Field(ge=1)] = Field(None, description="Id of a published funding call it is about.")


class AnswerIn(Schema):
    body: Annotated[str, Field(min_length=1, max_length=20_000)]


class AcceptIn(Schema):
    answer: Annotated[int, Field(ge=1, description="Id of the answer to accept.")]


def _filters(viewer: Any, params: QuestionFilterSchema) -> QuestionFilters:
    organisations: list[int] = []
    if params.mine and viewer.is_authenticated:
        organisations = list(OrganisationMember.objects.filter(user=viewer).values_list("organisation_id", flat=True))
    return QuestionFilters(scope=KNOWLEDGE_BASE if params.knowledge_base else VISIBLE, categories=params.category,
                           statuses=params.status, languages=[code.lower() for code in params.language],
                           organisations=organisations)


@router.get("/desk/questions", response={200: QuestionListOut, **ERRORS}, summary="Search the desk's questions")
def question_list_endpoint(request: HttpRequest, params: Query[QuestionFilterSchema]):
    """Questions the requester may see, ranked for the words (newest first without words), with facet counts."""
    viewer = viewer_of(request)
    filters = _filters(viewer, params)
    if params.mine and not filters.organisations:  # no organisation of one's own: nothing, not everything
        return {"count": 0, "next": None, "previous": None, "items": [], "facets": {}}
    result = question_search(viewer=viewer, query=params.q, filters=filters, page=params.page,
                             page_size=params.page_size)
    has_next = params.page * params.page_size < result.total and params.page < MAX_PAGE
    return {"count": result.total, "next": page_url(request, params.page + 1) if has_next else None,
            "previous": page_url(request, params.page - 1) if params.page > 1 else None,
            "items": [{"question": hit.question, "rank": hit.rank, "title": str(hit.title_html),
                       "snippet": str(hit.snippet)} for hit in result.hits],
            "facets": {name: [vars(value) for value in values] for name, values in result.facets.items()}}


@router.get("/desk/questions/{question_id}", response={200: QuestionDetailOut, **ERRORS}, summary="One question")
def question_detail_endpoint(request: HttpRequest, question_id: int):
    """One question the requester may see, with its answers (404 otherwise)."""
    return selectors.question_get_for(viewer=viewer_of(request), pk=question_id)


@router.post("/desk/questions", auth=token_auth, response={201: QuestionDetailOut, **ERRORS},
             summary="Ask the desk")
def question_create_endpoint(request: HttpRequest, payload: QuestionIn):
    """A new question of an organisation the requester belongs to; the category's experts are notified."""
    organisation = refs.organisation(payload.organisation)
    call = selectors.call_for_question(pk=payload.call) if payload.call is not None else None
    if payload.call is not None and call is None:
        raise HttpError(422, "call")
    try:
        question = services.question_ask(by=request.user, organisation=organisation, title=payload.title,
                                         body=payload.body, category=payload.category, language=payload.language,
                                         visibility=payload.visibility, call=call)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(201, selectors.question_get_for(viewer=request.user, pk=question.pk))


@router.post("/desk/questions/{question_id}/answers", auth=token_auth, response={201: AnswerOut, **ERRORS},
             summary="Answer a question")
def answer_create_endpoint(request: HttpRequest, question_id: int, payload: AnswerIn):
    """An answer (an expert's, a member's on a public question, a follow-up of the asker's organisation)."""
    question = selectors.question_get_for(viewer=request.user, pk=question_id)
    if not request.user.has_perm("desk.answer_question", question):
        raise PermissionDenied
    try:
        answer = services.answer_add(question=question, by=request.user, body=payload.body)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return Status(201, Answer.objects.select_related("author", "question").get(pk=answer.pk))


@router.post("/desk/questions/{question_id}/accept", auth=token_auth, response={200: QuestionDetailOut, **ERRORS},
             summary="Accept an answer")
def answer_accept_endpoint(request: HttpRequest, question_id: int, payload: AcceptIn):
    """The asker (or an editor of the asker's organisation) accepts an answer: the question is resolved."""
    question = selectors.question_get_for(viewer=request.user, pk=question_id)
    if not request.user.has_perm("desk.accept_answer", question):
        raise PermissionDenied
    answer = get_object_or_404(Answer, pk=payload.answer, question=question)
    try:
        services.answer_accept(question=question, answer=answer, by=request.user)
    except ValidationError as error:
        raise HttpError(400, service_error(error)) from error
    return selectors.question_get_for(viewer=request.user, pk=question.pk)

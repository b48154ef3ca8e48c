"""Pages of the desk's questions: home, knowledge base, ask, a question with its answers, queues, experts, stats."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.core.languages import language_name
from sinergia.desk.forms.questions import AnswerForm, ExpertForm, KnowledgeSearchForm, QuestionForm, StatsForm
from sinergia.desk.models import Expert
from sinergia.desk.rules.questions import expert_categories, is_asker_org_member
from sinergia.desk.search import QuestionFilters, question_search
from sinergia.desk.selectors import questions as selectors
from sinergia.desk.services import questions as services
from sinergia.directory.forms import add_service_error
from sinergia.directory.selectors import organisations_of

PAGE_SIZE = 20
HOME_LIST_SIZE = 5


def _my_languages(request: HttpRequest) -> list[str]:
    """The viewer's languages: the interface's, their profile's and those their organisations speak."""
    languages = [getattr(request, "LANGUAGE_CODE", "") or "en"]
    user = request.user
    if user.is_authenticated:
        languages.append(user.language)
        for organisation in organisations_of(user=user).only("languages"):
            languages.extend(organisation.languages or [])
    return list(dict.fromkeys(code.split("-")[0].lower() for code in languages if code))


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return min(int(text), 500) if text.isdigit() and int(text) > 0 else 1


def _querystring(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("This page is for the platform's operators."))


def desk_home(request: HttpRequest) -> HttpResponse:
    """The desk: ask, the knowledge base's search box, the organisation's questions and the expert queue."""
    user = request.user
    context = {
        "form": KnowledgeSearchForm(),
        "can_ask": user.has_perm("desk.ask_question"),
        "my_questions": selectors.organisation_questions(viewer=user)[:HOME_LIST_SIZE],
        "queue": selectors.expert_queue(viewer=user)[:HOME_LIST_SIZE],
        "latest": question_search(viewer=user, query="", page_size=HOME_LIST_SIZE).hits,
    }
    return render(request, "desk/desk_home.html", context)


def knowledge(request: HttpRequest) -> HttpResponse:
    """The knowledge base: public resolved questions, searched live (htmx) and without JavaScript."""
    form = KnowledgeSearchForm(request.GET)
    if not form.is_valid():
        form = KnowledgeSearchForm({"q": request.GET.get("q", "")[:200]})
        form.is_valid()
    data, page = form.cleaned_data, _page_number(request)
    filters = QuestionFilters(categories=data["category"], languages=data["language"],
                              my_languages=_my_languages(request) if data["mine"] else [])
    result = question_search(viewer=request.user, query=data["q"], filters=filters, page=page, page_size=PAGE_SIZE)
    context = {"form": form, "result": result, "pages": Paginator(range(result.total), PAGE_SIZE).get_page(page),
               "querystring": _querystring(request),
               "my_languages": [language_name(code) for code in _my_languages(request)]}
    template = "desk/_question_results.html" if request.headers.get("HX-Request") else "desk/knowledge.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the page and its partial share a URL: caches keep both
    return response


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    """Ask the desk on behalf of one of the asker's organisations (?call=<id> presets a published funding call)."""
    organisations = organisations_of(user=request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Join an organisation of the directory to ask the desk."))
    call = selectors.call_for_question(pk=request.GET.get("call"))
    initial = {"organisation": organisations.first(), "language": getattr(request, "LANGUAGE_CODE", "") or "en",
               "call": call.pk if call else ""}
    form = QuestionForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                by=request.user, organisation=data["organisation"], title=data["title"], body=data["body"],
                category=data["category"], language=data["language"], visibility=data["visibility"],
                call=data["call"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your question is sent: the desk's experts are notified."))
            return redirect("desk:question_detail", question.pk)
    return render(request, "desk/question_form.html", {"form": form, "call": call})


def _detail_context(request: HttpRequest, question, form: AnswerForm | None = None) -> dict:
    user = request.user
    can_answer = user.has_perm("desk.answer_question", question)
    is_expert = question.category in expert_categories(user)
    return {
        "question": question,
        "answers": selectors.question_answers(question=question),
        "language": language_name(question.language),
        "can_answer": can_answer,
        "can_accept": user.has_perm("desk.accept_answer", question),
        "is_expert": is_expert,
        "is_follow_up": not is_expert and bool(is_asker_org_member(user, question)),
        "answer_form": form or (AnswerForm() if can_answer else None),
    }


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with its answers, the accepted one first; the answer form for those who may answer."""
    question = selectors.question_get_for(viewer=request.user, pk=pk)
    return render(request, "desk/question_detail.html", _detail_context(request, question))


@login_required
@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an answer; an htmx request gets the answers and the form back, others the question's page."""
    question = selectors.question_get_for(viewer=request.user, pk=pk, perm="desk.answer_question")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_add(question=question, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, _("Your answer is published."))
                return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")
            question, form = selectors.question_get_for(viewer=request.user, pk=pk), AnswerForm()
    template = "desk/_question_answers.html" if request.headers.get("HX-Request") else "desk/question_detail.html"
    # Errors answer 200: htmx swaps only successful responses, and the form shows its errors in place.
    return render(request, template, _detail_context(request, question, form))


@login_required
@require_POST
def answer_accept(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """The asker (or an editor of the asker's organisation) accepts an answer: the question is resolved."""
    question = selectors.question_get_for(viewer=request.user, pk=pk, perm="desk.accept_answer")
    answer = get_object_or_404(question.answers, pk=answer_pk)
    try:
        services.answer_accept(question=question, answer=answer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The answer is accepted: the question is resolved."))
    return redirect("desk:question_detail", question.pk)


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    """The questions of the user's organisations, newest first."""
    questions = selectors.organisation_questions(viewer=request.user)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/question_list.html", {"page": page})


@login_required
def expert_queue(request: HttpRequest) -> HttpResponse:
    """An expert's queue: the unresolved questions of their categories, unanswered and oldest first."""
    page = Paginator(selectors.expert_queue(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    categories = sorted(expert_categories(request.user))
    return render(request, "desk/expert_queue.html", {"page": page, "categories": categories})


@login_required
def experts(request: HttpRequest) -> HttpResponse:
    """Operators name users experts of categories, and see every category's experts."""
    _require(request, "desk.manage_experts")
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_name(user=form.cleaned_data["email"], category=form.cleaned_data["category"],
                                 by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The expert is named."))
            return redirect("desk:experts")
    return render(request, "desk/expert_list.html", {"form": form, "by_category": selectors.expert_list()})


@login_required
@require_POST
def expert_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Operators remove an expert from a category."""
    _require(request, "desk.manage_experts")
    services.expert_remove(expert=get_object_or_404(Expert, pk=pk), by=request.user)
    messages.success(request, _("The expert is removed from the category."))
    return redirect("desk:experts")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Operators: per category, open questions, late ones and the time to a first answer over a period."""
    _require(request, "desk.view_stats")
    form = StatsForm(request.GET or None)
    data = form.period()
    since = timezone.make_aware(datetime.datetime.combine(data["since"], datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(data["until"] + datetime.timedelta(days=1),
                                                          datetime.time.min))
    rows = selectors.desk_stats(since=since, until=until, stale_days=data["stale_days"])
    return render(request, "desk/stats.html", {"form": form, "rows": rows, "period": data})

"""The consultancy desk of the bench data set (issue 5): experts, questions with their answers, funding calls.

Written in bulk in the caller's transaction from a seeded generator and the word banks of bench.desk_lexicon:
questions of members of the listed bench organisations over the last three years (mostly in their organisation's
language), answered by the experts of their category (most resolved with an accepted answer, some still open),
public or private; funding calls of every kind of eligibility with deadlines from two years ago to a year ahead,
followed by users. The knowledge-base index is built afterwards by the desk's own bulk path.
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from bench.common import BENCH_SOURCE, bulk, own_datestamps
from bench.desk_lexicon import LANGUAGE_WEIGHTS, LEXICONS, DeskLexicon
from sinergia.core.models import Concept
from sinergia.desk.models import Answer, CallFollow, Category, Expert, FundingCall, Question
from sinergia.directory.models import Organisation, OrganisationMember

BATCH = 1000
EXPERTS_PER_CATEGORY = 12
STATUS_WEIGHTS = {"resolved": 62, "answered": 18, "open": 17, "closed": 3}
PUBLIC_SHARE = 0.7
FUNDERS = (("European Commission", "Creative Europe"), ("European Commission", "Erasmus+"),
           ("Regione", "Art Bonus regionale"), ("Fondazione Cariplo", "Patrimonio culturale per lo sviluppo"),
           ("Ministero della Cultura", "PNRR Borghi"), ("Fundación La Caixa", "Cultura y comunidad"),
           ("Fondation de France", "Patrimoine vivant"), ("Fundação Calouste Gulbenkian", "Património e comunidades"))


@dataclass
class Context:
    """What the builders draw from: organisations with their people, experts per category, topics."""

    organisations: list[tuple[int, str, str, str, str, str]]  # pk, language, name, town, region, country
    weights: list[float]
    people: dict[int, list[int]]
    experts: dict[str, list[int]]
    topics: list[int]
    now: datetime


def has_questions() -> bool:
    """Whether the bench desk is already there."""
    return Question.objects.filter(organisation__source=BENCH_SOURCE).exists()


def load_context(rng: random.Random) -> Context:
    """The listed bench organisations and their people; experts named among them, one dozen per category."""
    people: dict[int, list[int]] = defaultdict(list)
    for organisation_id, user_id in OrganisationMember.objects.filter(
            organisation__source=BENCH_SOURCE).order_by("pk").values_list("organisation_id", "user_id"):
        people[organisation_id].append(user_id)
    organisations = [row for row in Organisation.objects.filter(source=BENCH_SOURCE, is_active=True).order_by(
        "pk").values_list("pk", "language", "name", "municipality", "region", "country") if row[0] in people]
    everyone = sorted({user for users in people.values() for user in users})
    experts = {category: rng.sample(everyone, EXPERTS_PER_CATEGORY) for category in Category.values}
    bulk(Expert, (Expert(user_id=user, category=category) for category, users in experts.items() for user in users))
    topics = list(Concept.objects.filter(scheme=Concept.Scheme.TOPIC).values_list("pk", flat=True))
    return Context(organisations=organisations, people=dict(people), experts=experts, topics=topics,
                   weights=list(accumulate(rng.paretovariate(1.3) for _ in organisations)),
                   now=datetime.now(UTC).replace(microsecond=0))


def _language(rng: random.Random, own: str) -> str:
    if own in LEXICONS and rng.random() < 0.7:
        return own
    return rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    values = {**slots, "number": str(rng.randint(2, 30))}
    values.update({name.capitalize(): value[:1].upper() + value[1:] for name, value in slots.items()})
    return template.format_map(values)


def _texts(rng: random.Random, lexicon: DeskLexicon, category: str, organisation: tuple) -> tuple[str, str, list[str]]:
    """A question's title and body, and one to three answers, about one subject of its category."""
    slots = {"subject": rng.choice(lexicon.subjects[category]), "event": rng.choice(lexicon.events),
             "place": organisation[3] or organisation[4], "org": organisation[2]}
    title = _fill(rng, rng.choice(lexicon.titles), slots)[:200]
    body = " ".join(_fill(rng, sentence, slots) for sentence in rng.sample(lexicon.body, rng.randint(2, 4)))
    answers = [" ".join(_fill(rng, sentence, slots) for sentence in rng.sample(lexicon.answers, rng.randint(2, 4)))
               for _ in range(rng.randint(1, 3))]
    return title, body, answers


def questions(rng: random.Random, count: int, context: Context) -> dict:
    """`count` questions with their answers, in batches; what was written and how long it took."""
    started, written = time.perf_counter(), Counter[str]()
    for start in range(0, count, BATCH):
        _question_batch(rng, min(BATCH, count - start), context, written)
    return {**written, "seconds": round(time.perf_counter() - started, 1)}


def _question_batch(rng: random.Random, size: int, context: Context, written: Counter) -> None:
    planned = [_question(rng, context) for _ in range(size)]
    with own_datestamps(Question, "created_at", "updated_at"):
        created = bulk(Question, (question for question, _answers in planned))
    with own_datestamps(Answer, "created_at", "updated_at"):
        answers = bulk(Answer, (answer for question, (_q, plan) in zip(created, planned, strict=True)
                                for answer in _bound(question, plan)))
    first: dict[int, Answer] = {}
    for answer in answers:
        first.setdefault(answer.question_id, answer)
    accepted = [question for question in created if question.status == Question.Status.RESOLVED]
    for question in accepted:
        question.accepted_answer = first[question.pk]
    Question.objects.bulk_update(accepted, ["accepted_answer"], batch_size=BATCH)
    written.update({"questions": size, "answers": len(answers), "public questions": sum(
        q.visibility == Question.Visibility.PUBLIC for q in created), "resolved questions": len(accepted)})


def _bound(question: Question, answers: list[Answer]) -> list[Answer]:
    for answer in answers:
        answer.question = question
    return answers


def _question(rng: random.Random, context: Context) -> tuple[Question, list[Answer]]:
    organisation = rng.choices(context.organisations, cum_weights=context.weights)[0]
    category = rng.choice(Category.values)
    language = _language(rng, organisation[1])
    title, body, texts = _texts(rng, LEXICONS[language], category, organisation)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    asked = context.now - timedelta(days=rng.uniform(0, 3 * 365))
    answered = status != "open"
    first_at = asked + timedelta(hours=rng.lognormvariate(2.5, 1.2)) if answered else None
    question = Question(
        title=title, body=body, category=category, language=language, status=status,
        visibility=Question.Visibility.PUBLIC if rng.random() < PUBLIC_SHARE else Question.Visibility.PRIVATE,
        asked_by_id=rng.choice(context.people[organisation[0]]), organisation_id=organisation[0], created_at=asked,
        updated_at=first_at or asked, first_answered_at=first_at,
        resolved_at=first_at + timedelta(days=1) if status == "resolved" and first_at else None)
    answers = [Answer(author_id=rng.choice(context.experts[category]), body=text, by_expert=True,
                      created_at=first_at + timedelta(hours=6 * n), updated_at=first_at + timedelta(hours=6 * n))
               for n, text in enumerate(texts)] if first_at else []
    return question, answers


def calls(rng: random.Random, count: int, context: Context) -> dict:
    """`count` funding calls (published, some drafts and withdrawn) and their followers."""
    started = time.perf_counter()
    created = bulk(FundingCall, (_call(rng, n, context) for n in range(count)))
    through = FundingCall.topics.through
    bulk(through, (through(fundingcall_id=call.pk, concept_id=topic)
                   for call in created for topic in rng.sample(context.topics, rng.randint(1, 3))))
    users = sorted({user for people in context.people.values() for user in people})
    follows = {(rng.choice(created).pk, user) for user in rng.sample(users, min(len(users), count * 5))}
    bulk(CallFollow, (CallFollow(call_id=call, user_id=user) for call, user in sorted(follows)))
    return {"calls": len(created), "call follows": len(follows), "seconds": round(time.perf_counter() - started, 1)}


def _call(rng: random.Random, index: int, context: Context) -> FundingCall:
    funder, programme = rng.choice(FUNDERS)
    deadline = context.now + timedelta(days=rng.randint(-730, 365), hours=rng.randint(0, 23))
    regions = sorted({row[4] for row in rng.sample(context.organisations, 2) if row[5] == "IT" and row[4]})
    countries = ["IT"] if regions else rng.choice([[], ["IT"], ["IT", "FR", "ES", "PT"]])
    low = Decimal(rng.choice((5_000, 10_000, 25_000, 50_000)))
    status = rng.choices(list(FundingCall.Status.values), weights=(4, 92, 4))[0]
    return FundingCall(
        title=f"{programme} {deadline.year}: call {index + 1}", funder=funder, programme=programme,
        summary=f"Support for museums and heritage communities ({programme}).", language=rng.choice(("it", "en")),
        eligible_kinds=rng.choice([[], ["museum", "ecomuseum"], ["association", "foundation"]]),
        eligible_countries=countries, eligible_regions=regions if rng.random() < 0.4 else [],
        amount_min=low, amount_max=low * rng.choice((2, 4, 10)), co_financing_percent=rng.choice((None, 20, 50)),
        opens_at=deadline - timedelta(days=rng.randint(30, 120)), deadline=deadline, time_zone="Europe/Rome",
        status=status, published_at=deadline - timedelta(days=120) if status != "draft" else None)


def counts() -> dict[str, int]:
    """What the bench desk holds."""
    return {"desk questions": Question.objects.count(), "desk answers": Answer.objects.count(),
            "desk experts": Expert.objects.count(), "funding calls": FundingCall.objects.count()}


def index() -> dict:
    """Build the knowledge-base index of every question by the desk search's own bulk path, timed."""
    from sinergia.desk.search.selector import index_all_questions

    started = time.perf_counter()
    questions = index_all_questions()
    return {"questions": questions, "seconds": round(time.perf_counter() - started, 1)}

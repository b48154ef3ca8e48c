"""Demo data of the desk: a few realistic questions and answers in Italian and English, asked through the services."""

from dataclasses import dataclass

from sinergia.accounts.models import User
from sinergia.desk.models import Category, Question
from sinergia.desk.services.questions import answer_accept, answer_add, expert_name, question_ask
from sinergia.directory.models import Organisation, OrganisationMember


@dataclass(frozen=True)
class DemoQuestion:
    title: str
    body: str
    category: str
    language: str
    answer: str = ""
    accepted: bool = False
    visibility: str = Question.Visibility.PUBLIC


QUESTIONS = (
    DemoQuestion(
        title="Serve una licenza SIAE per trasmettere in streaming un concerto dal museo?",
        body="A giugno organizziamo un concerto jazz nel chiostro e vorremmo trasmetterlo in diretta su YouTube e "
             "sul nostro sito. Il repertorio è in parte di autori viventi.",
        category=Category.COPYRIGHT, language="it", accepted=True,
        answer="Sì. Per l'esecuzione dal vivo serve il permesso SIAE per il pubblico spettacolo; per la diffusione "
               "in streaming occorre anche la **licenza per la trasmissione online**, che si richiede allo stesso "
               "ufficio SIAE indicando piattaforma, durata e brani. Se il video resta online dopo la diretta, "
               "dichiaratelo: cambia la tariffa."),
    DemoQuestion(
        title="Can donors to our restoration claim the Art Bonus tax credit?",
        body="A local bank and some residents want to fund the restoration of our sawmill. We are a municipal "
             "ecomuseum.",
        category=Category.FUNDRAISING, language="en", accepted=True,
        answer="Yes, if the sawmill is publicly owned: Art Bonus gives donors a 65% tax credit for the maintenance, "
               "protection and restoration of public cultural heritage. Register the project on artbonus.gov.it "
               "before collecting donations and publish how the money is spent."),
    DemoQuestion(
        title="Europa Creativa: come copriamo il cofinanziamento del 40%?",
        body="Siamo capofila di un progetto di cooperazione su piccola scala. Possiamo contare il lavoro dei "
             "volontari come cofinanziamento?",
        category=Category.FUNDING, language="it",
        answer="Il contributo in natura (volontariato) non è ammesso come costo nei progetti a somma forfettaria: "
               "il cofinanziamento deve venire da risorse proprie dei partner o da altri finanziatori, ad esempio "
               "bandi regionali o fondazioni bancarie."),
    DemoQuestion(
        title="Which ticketing platform works with a small museum's website?",
        body="We sell 20 tickets a day and want timed entry slots.",
        category=Category.TICKETING, language="en", visibility=Question.Visibility.PRIVATE),
)
EXPERT_CATEGORIES = ((Category.COPYRIGHT, Category.STREAMING), (Category.FUNDING, Category.FUNDRAISING,
                                                                Category.TICKETING))


def _member_of(organisation: Organisation, users: list[User]) -> User | None:
    members = set(OrganisationMember.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    return next((user for user in users if user.pk in members), None)


def _name_experts(operator: User, people: list[User]) -> list[User]:
    experts = people[-len(EXPERT_CATEGORIES):]
    for expert, categories in zip(experts, EXPERT_CATEGORIES, strict=False):
        for category in categories:
            expert_name(user=expert, category=category, by=operator)
    return experts


def demo_questions(*, organisations: list[Organisation], users: list[User]) -> list[Question]:
    """Ask the demo questions on behalf of the organisations (by their members among users) and answer them.

    `users` holds an operator (staff), who names experts, and members of the organisations; the last two other users
    become experts (copyright and streaming; funding, fundraising and ticketing).
    """
    operator = next(user for user in users if user.is_staff)
    experts = _name_experts(operator, [user for user in users if not user.is_staff])
    asked = []
    for number, demo in enumerate(QUESTIONS):
        organisation = organisations[number % len(organisations)]
        asker = _member_of(organisation, users)
        if asker is None:
            continue
        question = question_ask(by=asker, organisation=organisation, title=demo.title, body=demo.body,
                                category=demo.category, language=demo.language, visibility=demo.visibility)
        if demo.answer:
            expert = experts[0] if demo.category in EXPERT_CATEGORIES[0] else experts[-1]
            answer = answer_add(question=question, by=expert, body=demo.answer)
            if demo.accepted and answer.author_id != asker.pk:
                answer_accept(question=question, answer=answer, by=asker)
        question.refresh_from_db()
        asked.append(question)
    return asked

"""Factories of the desk's questions, answers and experts."""

import factory

from sinergia.desk.models import Answer, Category, Expert, Question
from tests.factories.platform import OrganisationFactory, UserFactory


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    category = Category.COPYRIGHT


class QuestionFactory(factory.django.DjangoModelFactory):
    """A public open question in Italian about copyright, indexed for search (pass index=False to skip)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    asked_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Domanda sui diritti numero {n}")
    body = "Organizziamo un concerto nel chiostro del museo."
    category = Category.COPYRIGHT
    language = "it"
    visibility = Question.Visibility.PUBLIC
    status = Question.Status.OPEN

    class Params:
        private = factory.Trait(visibility=Question.Visibility.PRIVATE)

    @factory.post_generation
    def index(self, create, value, **kwargs):
        """Indexed by the same function the services use (pass index=False to skip)."""
        if create and value is not False:
            from sinergia.desk.search import index_questions

            index_questions(ids=[self.pk])


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Sì: serve la licenza SIAE anche per lo streaming."
    by_expert = True


def resolved(question: Question, body: str = "", *, expert=None) -> Question:
    """The question answered by an expert whose answer is accepted, reindexed (a knowledge base entry)."""
    from django.utils import timezone

    from sinergia.desk.search import index_questions

    answer = AnswerFactory(question=question, body=body or AnswerFactory.body, author=expert or UserFactory())
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer, status=Question.Status.RESOLVED,
                                                   first_answered_at=answer.created_at, resolved_at=timezone.now())
    index_questions(ids=[question.pk])
    question.refresh_from_db()
    return question

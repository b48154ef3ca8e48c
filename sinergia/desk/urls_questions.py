"""URLs of questions, answers, experts and the knowledge base, under /<language>/desk/."""

from django.urls import URLPattern, path

from sinergia.desk.views import questions

urlpatterns: list[URLPattern] = [
    path("", questions.desk_home, name="home"),
    path("knowledge/", questions.knowledge, name="knowledge"),
    path("ask/", questions.question_create, name="question_create"),
    path("mine/", questions.my_questions, name="my_questions"),
    path("queue/", questions.expert_queue, name="expert_queue"),
    path("experts/", questions.experts, name="experts"),
    path("experts/<int:pk>/remove/", questions.expert_remove, name="expert_remove"),
    path("stats/", questions.stats, name="stats"),
    path("questions/<int:pk>/", questions.question_detail, name="question_detail"),
    path("questions/<int:pk>/answers/", questions.answer_create, name="answer_create"),
    path("questions/<int:pk>/accept/<int:answer_pk>/", questions.answer_accept, name="answer_accept"),
]

"""The desk's pages: questions and the knowledge base, funding calls."""

from sinergia.desk.urls_calls import urlpatterns as call_urls
from sinergia.desk.urls_questions import urlpatterns as question_urls

app_name = "desk"
urlpatterns = question_urls + call_urls

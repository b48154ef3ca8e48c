"""Pages of the library: search, a resource with its versions and citation, the contributor's form, moderation."""

from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinergia.core.languages import language_name
from sinergia.core.text import render_markdown
from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import get_organisation_for, organisations_of
from sinergia.library import selectors, services
from sinergia.library.citations import citation_format
from sinergia.library.citations.exports import EXPORT_FORMATS as CITATION_FORMATS
from sinergia.library.forms import ModerationForm, ResourceForm, SearchForm, resource_initial
from sinergia.library.models import Resource
from sinergia.library.search import SearchFilters, resource_search

PAGE_SIZE = 20
EXPORT_FORMATS = [(f.code, f.label, f.content_type) for f in CITATION_FORMATS.values()]


def my_languages(request: HttpRequest) -> list[str]:
    """The viewer's languages: the interface's, their profile's and those their organisations speak."""
    languages = [getattr(request, "LANGUAGE_CODE", "") or "en"]
    user = request.user
    if user.is_authenticated:
        languages.append(user.language)
        for organisation in organisations_of(user=user).only("languages"):
            languages.extend(organisation.languages or [])
    return list(dict.fromkeys(code.split("-")[0].lower() for code in languages if code))


def search_filters(request: HttpRequest, form: SearchForm) -> SearchFilters:
    """The facet filters of a valid search form."""
    data = form.cleaned_data
    return SearchFilters(languages=data["language"], kinds=data["kind"], topics=data["topic"], years=data["year"],
                         networks=data["network"], my_languages=my_languages(request) if data["mine"] else [])


def library_search(request: HttpRequest) -> HttpResponse:
    """The library's home: search with facets (live with htmx, and without JavaScript)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        form = SearchForm({"q": request.GET.get("q", "")[:200]})
        form.is_valid()
    page = _page_number(request)
    result = resource_search(viewer=request.user, query=form.cleaned_data["q"],
                             filters=search_filters(request, form), page=page, page_size=PAGE_SIZE)
    pages = Paginator(range(result.browsable), PAGE_SIZE).get_page(page)
    context = {"form": form, "result": result, "pages": pages, "querystring": _querystring(request),
               "my_languages": [language_name(code) for code in my_languages(request)],
               "export_formats": EXPORT_FORMATS}
    template = "library/_results.html" if request.headers.get("HX-Request") else "library/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the page and its partial share a URL: caches keep both
    return response


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return min(int(text), 500) if text.isdigit() and int(text) > 0 else 1


def _querystring(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One resource: its description, creators, file, citation, exports and its other language versions."""
    resource = selectors.resource_get_for(viewer=request.user, pk=pk)
    context = {
        "resource": resource,
        "versions": selectors.resource_versions(resource=resource, viewer=request.user),
        "citation": citation_format(resource),
        "language": language_name(resource.language),
        "can_edit": request.user.has_perm("library.change_resource", resource),
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "library/resource_detail.html", context)


def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    """The resource's file, to whoever may see the resource."""
    resource = selectors.resource_get_for(viewer=request.user, pk=pk)
    if not resource.file:
        raise Http404
    response = FileResponse(resource.file.open("rb"), as_attachment=not resource.file_type.startswith("image/"),
                            filename=resource.file_name or str(resource.file.name).rsplit("/", 1)[-1],
                            content_type=resource.file_type or "application/octet-stream")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form_organisations(request: HttpRequest) -> Any:
    organisations = organisations_of(user=request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Join an organisation of the directory to add resources to the library."))
    return organisations


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    """A new resource, on behalf of one of the contributor's organisations."""
    organisations = _form_organisations(request)
    initial = {"organisation": organisations.first(), "language": getattr(request, "LANGUAGE_CODE", "")}
    form = ResourceForm(request.POST or None, request.FILES or None, organisations=organisations,
                        viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(organisation=form.cleaned_data["organisation"], by=request.user,
                                                data=form.resource_data(), upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _created_message(resource))
            return redirect("library:resource_detail", resource.pk)
    return render(request, "library/resource_form.html", {"form": form})


def _created_message(resource: Resource) -> str:
    if resource.moderation == Resource.Moderation.PENDING:
        return _("Thank you: the resource is saved and will be visible to others once a moderator has checked it.")
    return _("The resource is in the library.")


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a resource (its organisation's editors and admins, and operators)."""
    resource = selectors.resource_get_for(viewer=request.user, pk=pk, perm="library.change_resource")
    organisations = Organisation.objects.filter(pk=resource.organisation_id)  # a resource keeps its contributor
    form = ResourceForm(request.POST or None, request.FILES or None, organisations=organisations,
                        viewer=request.user, initial=resource_initial(resource))
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(resource=resource, by=request.user, data=form.resource_data(),
                                     upload=form.cleaned_data["file"], remove_file=form.cleaned_data["remove_file"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("library:resource_detail", resource.pk)
    return render(request, "library/resource_form.html", {"form": form, "resource": resource})


@login_required
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a resource (harvesters are told it was deleted)."""
    resource = selectors.resource_get_for(viewer=request.user, pk=pk, perm="library.delete_resource")
    if request.method == "POST":
        services.resource_delete(resource=resource, by=request.user)
        messages.success(request, _("The resource was deleted."))
        return redirect("library:organisation_resources", resource.organisation.slug)
    return render(request, "library/resource_delete.html", {"resource": resource})


@login_required
def organisation_resources(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's contributions, with their moderation state, for its people."""
    organisation = get_organisation_for(user=request.user, slug=slug, perm="library.add_resource")
    resources = selectors.organisation_resources(organisation=organisation, viewer=request.user)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/organisation_resources.html", {"organisation": organisation, "page": page})


@staff_member_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Operators' queue of contributions from new accounts."""
    page = Paginator(selectors.resource_pending_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/moderation.html", {"page": page, "form": ModerationForm()})


@staff_member_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish or reject one contribution."""
    resource = get_object_or_404(selectors.resource_pending_list(), pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish or reject the resource."))
        return redirect("library:moderation")
    try:
        services.resource_moderate(resource=resource, by=request.user,
                                   approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded: the contributor is notified."))
    return redirect("library:moderation")


class LatestResourcesFeed(Feed):
    """RSS of the latest public resources."""

    title = gettext_lazy("Sinergia library: latest resources")
    description = gettext_lazy("Documents, bibliography and good practices added to the library.")

    def link(self) -> str:
        return reverse("library:search")

    def items(self) -> Any:
        return selectors.resource_feed_list()

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        names = "; ".join(c.display_name for c in item.creators.all())
        return f"<p>{names}</p>{render_markdown(item.abstract)}" if names else render_markdown(item.abstract)

    def item_link(self, item: Resource) -> str:
        return reverse("library:resource_detail", args=[item.pk])

    def item_pubdate(self, item: Resource) -> Any:
        return item.created_at

    def item_updateddate(self, item: Resource) -> Any:
        return item.updated_at

    def item_categories(self, item: Resource) -> list[str]:
        return [topic.label for topic in item.topics.all()]

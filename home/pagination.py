"""One page of a listing, whatever page number a visitor typed."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(items, number, per_page):
    """A page of ``items``: a missing or non-numeric number gives the first page, one past the end the last."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)

from django.http import Http404


def public_detail(request, number):
    raise Http404

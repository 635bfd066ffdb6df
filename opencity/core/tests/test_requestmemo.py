"""The per-request memo: once per request, never across requests, nothing outside one."""

from django.http import HttpResponse
from django.test import RequestFactory

from opencity.core.requestmemo import RequestMemoMiddleware, request_memo, request_memo_forget


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_outside_a_request_every_call_computes():
    calls, compute = _counter()
    assert request_memo(("thing", 1), compute) == 1
    assert request_memo(("thing", 1), compute) == 2
    assert len(calls) == 2


def test_a_request_computes_once_per_key_and_the_next_request_afresh():
    calls, compute = _counter()
    seen = []

    def view(request):
        seen.append((request_memo(("thing", 1), compute), request_memo(("thing", 1), compute)))
        seen.append(request_memo(("thing", 2), compute))
        return HttpResponse()

    middleware = RequestMemoMiddleware(view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))
    assert seen == [(1, 1), 2, (3, 3), 4]


def test_forgetting_a_kind_reads_it_again_in_the_same_request():
    calls, compute = _counter()
    seen = []

    def view(request):
        seen.append(request_memo(("standing", 7), compute))
        seen.append(request_memo(("credential", "x"), compute))
        request_memo_forget("standing")
        seen.append(request_memo(("standing", 7), compute))
        seen.append(request_memo(("credential", "x"), compute))
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen == [1, 2, 3, 2]

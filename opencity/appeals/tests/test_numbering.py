import threading

import pytest
from django.db import connection

from opencity.appeals.models import AppealNumberCounter, Channel
from opencity.appeals.services import appeal_create, appeal_number_next
from opencity.appeals.tests.factories import CategoryFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import MunicipalityFactory

THREADS = 8
PER_THREAD = 5


@pytest.mark.django_db
def test_numbers_are_readable_and_count_per_municipality_and_year():
    kazan = MunicipalityFactory(code="kzn")
    other = MunicipalityFactory()

    assert appeal_number_next(municipality=kazan, year=2026) == "KZN-2026-000001"
    assert appeal_number_next(municipality=kazan, year=2026) == "KZN-2026-000002"
    # Each year and each city has its own sequence.
    assert appeal_number_next(municipality=kazan, year=2027) == "KZN-2027-000001"
    assert appeal_number_next(municipality=other, year=2026).endswith("-2026-000001")
    assert AppealNumberCounter.objects.get(municipality=kazan, year=2026).last_value == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_never_duplicates_a_number(request):
    # given a city with no counter row yet (the first numbers race to create it)
    city = MunicipalityFactory(code="CON")
    request.getfixturevalue("database_file")
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def take():
        try:
            start.wait()
            for _ in range(PER_THREAD):
                number = appeal_number_next(municipality=city, year=2026)
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    # when several threads take numbers at once, each on its own connection
    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every number is distinct and none is skipped
    assert failures == []
    assert len(numbers) == THREADS * PER_THREAD
    assert sorted(numbers) == [f"CON-2026-{n:06d}" for n in range(1, THREADS * PER_THREAD + 1)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_appeal_create_gives_every_appeal_its_own_number(request):
    category = CategoryFactory(municipality=MunicipalityFactory(code="PAR"))
    building = BuildingFactory(municipality=category.municipality)
    request.getfixturevalue("database_file")
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def file_appeals():
        try:
            start.wait()
            for n in range(3):
                appeal = appeal_create(
                    municipality=category.municipality,
                    category=category,
                    building=building,
                    description=f"Concurrent report {n}",
                    channel=Channel.API,
                )
                numbers.append(appeal.number)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    numbers: list[str] = []
    threads = [threading.Thread(target=file_appeals) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    year = numbers[0][4:8]
    assert sorted(numbers) == [f"PAR-{year}-{i:06d}" for i in range(1, 13)]

"""The demo's periodic jobs: thin, each calls a service."""

from celery import shared_task

from opencity.demo.simulation import simulation_tick


@shared_task(name="opencity.demo.tasks.demo_simulation_tick", ignore_result=True)
def demo_simulation_tick() -> int:
    """Take the simulated city's due steps on the demo cities' live appeals."""
    return simulation_tick().total

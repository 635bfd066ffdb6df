"""The demo city's "simulated city" mode: its organisations work on the appeals filed live.

A periodic task (``opencity.demo.tasks.demo_simulation_tick``, every minute while
``settings.DEMO_SIMULATION`` is on) moves each appeal filed in a demo municipality after its
generated history through the real lifecycle services: accepted and assigned within minutes,
started soon after, resolved with a work report well within the category's deadline. The
organisation's simulated staff act (``staff.py``), so the events, notifications and permission
checks are the real ones; the clock (``clock.py``) is derived from the appeal's id. The
resident's part (answers, confirmation, rating) is left to the resident.
"""

from opencity.demo.simulation.services import simulation_appeal_advance, simulation_tick

__all__ = ["simulation_appeal_advance", "simulation_tick"]

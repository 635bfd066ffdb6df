"""The periodic tasks Celery beat sends (CELERY_BEAT_SCHEDULE), one entry per sweep."""


def beat_schedule(*, demo_simulation: bool) -> dict:
    """Return the beat schedule; the demo's simulated city adds its tick when it is on."""
    schedule: dict = {
        "worker-heartbeat": {"task": "opencity.core.tasks.worker_heartbeat", "schedule": 60.0},
        "outbox-sweep": {"task": "opencity.core.tasks.outbox_sweep", "schedule": 30.0},
        # Idempotency-Key rows older than a day count as absent; this drops them.
        "idempotency-keys-purge": {
            "task": "opencity.core.tasks.idempotency_keys_purge",
            "schedule": 3600.0,
        },
        # Telegram resends an update for at most a day: older once-only marks are dropped.
        "telegram-updates-purge": {
            "task": "opencity.chatbot.tasks.telegram_updates_purge",
            "schedule": 3600.0,
        },
        "appeals-mark-overdue": {
            "task": "opencity.appeals.tasks.appeals_mark_overdue",
            "schedule": 60.0,
        },
        "appeals-auto-close": {
            "task": "opencity.appeals.tasks.appeals_auto_close",
            "schedule": 900.0,
        },
        "appeal-photos-sweep": {
            "task": "opencity.appeals.tasks.photos_process_due",
            "schedule": 300.0,
        },
        # Analytics' rollups: the appeals whose after-commit nudge was lost (idempotent).
        "analytics-rollups-sweep": {
            "task": "opencity.analytics.tasks.rollups_sweep",
            "schedule": 300.0,
        },
        "meters-remind": {"task": "opencity.meters.tasks.meters_remind", "schedule": 3600.0},
        # Idempotent: adds a season's plan once its window begins, and the buildings taken on since.
        "inspection-plans-schedule": {
            "task": "opencity.inspections.tasks.inspection_plans_schedule",
            "schedule": 3600.0,
        },
        # Marks and escalates overdue inspections once each; offers what an outage of the
        # broker kept from the after-commit offers of extraordinary inspections.
        "inspections-mark-overdue": {
            "task": "opencity.inspections.tasks.inspections_mark_overdue",
            "schedule": 300.0,
        },
        "outage-events-sweep": {
            "task": "opencity.outages.tasks.outage_events_sweep",
            "schedule": 120.0,
        },
        "appeal-kept-photos-purge": {
            "task": "opencity.appeals.tasks.kept_photos_purge",
            "schedule": 6 * 3600.0,
        },
    }
    if demo_simulation:
        schedule["demo-simulation-tick"] = {
            "task": "opencity.demo.tasks.demo_simulation_tick",
            "schedule": 60.0,
        }
    return schedule

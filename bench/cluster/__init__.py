"""The cluster trial's parts (bench/cluster_trial.py runs them).

common: the repository, the interpreter, free ports; replica: the PostgreSQL primary and its
streaming replica; nodes: the broker, the environment, the web nodes and the workers; load:
the writers, readers, the replica's watcher and the kills; checks: the outbox's drain, the
report and its checks.
"""

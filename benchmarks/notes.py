"""What the table says under a row: why ours trails there, and why core failed."""

from __future__ import annotations

# Why ours can trail on a row; printed under the table only for rows ours does not lead.
NOTES: dict[str, str] = {
    "latency": (
        "Both hand a push to the state machine in a fraction of a millisecond; the tail is made "
        "of pauses (preemption on the 2 shared cores, garbage collections: push.gc in the JSON), "
        "which vary from run to run."
    ),
    "setup_time": (
        "Ours registers about 47 entities per charge point (16 enabled: activity, power, "
        "session and lifetime values, binary sensors, switches, selects, stop, boost, departure "
        "time; the rest disabled), core about 20 (11 enabled): adding entities is nearly all of "
        "setup, so compare the row per "
        "registered entity. Ours also reads each charge point's full status (REST v2.1, every "
        "socket) before adding entities, so they start with real values."
    ),
    "setup_requests": (
        "Per charge point ours reads one status (REST v2.1, every socket), as core reads one "
        "GET_CH_STATUS; the rest is the account's transaction history for the lifetime totals "
        "(which core does not offer), one stream of 25 a page for all charge points, read in "
        "full only at the first setup (a restart reads one page)."
    ),
    "steady_rest": (
        "Ours reads new completed transactions once every 6 h, one page for the whole account "
        "(lifetime energy/cost sensors, which core lacks); core never polls at all, so it also "
        "never learns about new charge points, cards, settings changed in the app or the grid "
        "limits."
    ),
    "steady_commands": (
        "Ours polls the account every 10 min (4 commands: charge points, cards, sustainability, "
        "grid) to catch what the cloud does not push; core never polls. Ours still sends fewer "
        "frames in total: its heartbeat pings only after 20 s of silence, core's library pings "
        "every 20 s regardless."
    ),
    "cpu": (
        "A CH_STATUS push reaches only the entities that read the status, and each writes its "
        "state only when its value changed. python -m benchmarks.profiling --phase push "
        "(2,000 pushes, 10 charge points) gave own time of ours 0.39 s and Home Assistant "
        "0.14 s, against core's integration and client 0.16 s and Home Assistant 0.44 s; "
        "built-ins and the event loop (0.80 s ours, 1.27 s core, waiting aside) make up the "
        "rest, and vary from run to run by more than the difference."
    ),
    "memory": (
        "Memory per charge point follows the entity count (registry entries, states, entity "
        "objects): ours registers about 47 entities per charge point, core about 20 (see the "
        "rows per registered entity)."
    ),
    "loop_block_push": (
        "No push handler blocks for milliseconds on either side; the worst stall of a run is "
        "a garbage collection or a preemption, and both are well under a millisecond."
    ),
    "loop_block_setup": (
        "Ours adds entities 400 at a time with a pause in between; the longest stall left is "
        "Home Assistant adding one such batch, or a garbage collection."
    ),
    "recovery_server_error": (
        "Ours waits 0.5-1 s (jittered, doubling) before reconnecting, then re-reads every "
        "status; core waits a fixed 5 s."
    ),
    "pings": (
        "Ours pings only after 20 s without a frame from the cloud; when the cloud pushes more "
        "often than that, it never needs to."
    ),
}


RECOVERY_LABELS = {
    "server_error": "recovery: state right after server error (1011)",
    "cloud_restart": "recovery: state right after cloud restart (1001)",
}

# What went wrong on core's side, printed when core failed a row.
CORE_FAILURES: dict[str, str] = {
    "recovery_cloud_restart": (
        "core's Connector.run_task only sets its retry `delay` in the except branches; a clean "
        "close (1000/1001) ends client.connect() without an exception, so the first such close "
        "raises UnboundLocalError, the reconnect task dies and the entities keep showing the "
        "last state as if connected (websocket.connected is never cleared)."
    ),
}

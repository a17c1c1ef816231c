"""Sharded replicas at fleet scale (issue 18 §3), on the local control plane and one PostgreSQL
server with many databases, the operators as processes under deploy/'s ServiceAccount.

    python bench/fleet.py scale      # 3,000 resources over 300 databases, 3 replicas
    python bench/fleet.py rollout    # 1,000 resources, one database each, 3 replicas:
                                     #   a new migration for all; then another, one replica killed
    python bench/fleet.py rollout --resources 90     # the smoke run (was bench/shards_smoke.py)

**scale**: R replicas (``DB_MIGRATE_WORKERS`` each, default 8) are up and see each other; N
DatabaseMigrations are created at once (16 client threads), resource i on database i mod D.
The resources of one database share its history table, so they share its migration lock:
the first run applies the files, the others find them applied. Measured: seconds from the
first create until all are Ready (target 90 s); each replica's RSS and peak RSS (target
< 150 MiB), CPU seconds and share; each replica's most PostgreSQL connections at once
(``pg_stat_activity``, attributed to a replica by the client port of its socket, sampled every
0.1 s; target <= ``DB_MIGRATE_WORKERS``); per database the most operator sessions holding the
advisory migration lock at once (target: never 2); each file's side-effect rows per database
(exactly one each: no file applied twice, no run overlapped another's apply).

**rollout**: N resources, each with its own database, all reading one ConfigMap. After all
report V1: (1) a file V2 is added to the ConfigMap; seconds until all report V2 (target 60 s);
(2) a file V3 is added and 1 s later the replica with the largest share is killed (-9):
seconds until all report V3, and, for the killed replica's resources that had not reported V3
when it died, seconds from the kill until the last of them does (target 15 s). Then: the
side-effect rows (one per file and database), Stalled resources (none), and Ready transitions
per resource in each phase (a rollout moves Ready True -> False -> True once: two; more is a
flap).

Results: ``bench/results/fleet-<scenario>-<UTC time>.json`` and a ``.png`` beside it; the load
average is recorded before and after (``--max-load`` waits, up to 10 minutes, until the 1-minute
load average is below it).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchkit import fleetkit as fleet
from benchkit.fleetkit import FIRST_FILE, Fleet, Observer, PgSampler, Profiler, side_effect_file

BENCH = Path(__file__).resolve().parent


def wait_for_quiet(max_load: float, patience_s: float = 600) -> None:
    deadline = time.monotonic() + patience_s
    while fleet.loadavg()[0] > max_load and time.monotonic() < deadline:
        print(f"load average {fleet.loadavg()}: waiting for < {max_load}", flush=True)
        time.sleep(15)


def files(count: int) -> dict[str, str]:
    out = {"V1__one.sql": FIRST_FILE}
    for v in range(2, count + 1):
        out[f"V{v}__f{v}.sql"] = side_effect_file(f"V{v}__f{v}.sql")
    return out


def sampler_summary(sampler: PgSampler, workers: int) -> dict[str, Any]:
    return {
        "samples": sampler.samples, "interval_s": sampler.interval,
        "max_connections_per_replica": dict(sorted(sampler.max_connections.items())),
        "max_client_sockets_to_postgres_per_replica": dict(sorted(sampler.max_sockets.items())),
        "max_connections_target": workers,
        "max_operator_connections_total": sampler.max_total,
        "unattributed_connection_samples": sampler.unattributed,
        "max_lock_holders_per_database": sampler.max_lock_holders_per_db,
        "lock_holder_violations": sampler.lock_holder_violations[:20],
        "contended_database_samples": sampler.contended_samples,
    }


def transitions(observer: Observer, names: set[str], before: collections.Counter[str] | None = None,
                expected: int = 2, since: float = 0.0) -> dict[str, Any]:
    """Ready transitions per resource since ``before`` was counted; the timelines (seconds after
    ``since``, status, reason, version) of up to 10 resources with more than ``expected``."""
    before = before or collections.Counter()
    counts = {n: observer.transitions[n] - before[n] for n in names}
    histogram = collections.Counter(counts.values())
    flapped = sorted(n for n, c in counts.items() if c > expected)
    return {"max": max(counts.values()), "expected": expected,
            "histogram": {str(k): v for k, v in sorted(histogram.items())},
            "more_than_expected": len(flapped),
            "timelines": {n: [(round(t - since, 2), *rest) for t, *rest in observer.history[n]]
                          for n in flapped[:10]}}


def shares(f: Fleet, names: set[str]) -> tuple[dict[str, set[str]], int]:
    owned = {r: fleet.owned(op, f.ns) for r, op in f.ops.items() if op.process.poll() is None}
    overlap = sum(1 for n in names if sum(n in s for s in owned.values()) != 1)
    return owned, overlap


def extra_env(args: argparse.Namespace, f: Fleet) -> dict[str, dict[str, str]]:
    if not args.tracemalloc:
        return {}
    return {"r0": {"DB_MIGRATE_TRACEMALLOC": str(f.workdir / "r0-tracemalloc.txt")}}


def profile_start(args: argparse.Namespace, f: Fleet) -> Profiler | None:
    if not args.profile:
        return None
    return Profiler(f.ops["r0"].process.pid, args.out.with_name(args.out.stem + "-pyspy-r0.txt"))


def tracemalloc_dump(args: argparse.Namespace, f: Fleet, result: dict[str, Any]) -> None:
    """r0's largest allocations (operator/memdebug.py), beside the results."""
    if not args.tracemalloc:
        return
    dump = f.workdir / "r0-tracemalloc.txt"
    dump.unlink(missing_ok=True)
    f.ops["r0"].process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 600  # a snapshot of a large heap takes minutes
    while not dump.exists() and time.monotonic() < deadline:
        time.sleep(2)
    target = args.out.with_name(args.out.stem + "-tracemalloc-r0.txt")
    target.write_text(dump.read_text())
    result["tracemalloc_r0"] = target.name


def scale(args: argparse.Namespace, f: Fleet, result: dict[str, Any]) -> bool:
    dbs = [f"d{i:04d}" for i in range(args.databases)]
    names = {f"m{i:05d}": dbs[i % len(dbs)] for i in range(args.resources)}
    last = str(args.files)
    print(f"{len(dbs)} databases, {len(names)} resources", flush=True)
    f.databases(dbs)
    f.secrets({db: f.pg.url(db) for db in dbs})
    f.configmap("sql", files(args.files))
    f.start_operators(args.lease, args.renew, extra_env(args, f))
    observer = Observer(f.custom, f.ns, [last])
    observer.start()
    sampler = PgSampler(f.pg.connect(), f.pids(), f.pg.port)
    sampler.start()
    cpu0 = {r: s["cpu_s"] for r, s in f.stats().items()}
    all0 = f.cpu()
    result["load_average_at_start"] = fleet.loadavg()
    profiler = profile_start(args, f)
    started = time.monotonic()
    f.create(names)
    result["create_calls_s"] = round(time.monotonic() - started, 1)
    print(f"created {len(names)} in {result['create_calls_s']} s", flush=True)
    done = observer.wait(set(names), last, args.timeout, started)
    result["all_ready_s"] = round(done - started, 1)
    result["all_ready_target_s"] = 90
    result["load_average_at_end"] = fleet.loadavg()
    result["curve_s"] = observer.curve(names, last, started)
    result["cpu_s_until_all_ready"] = f.cpu_delta(all0, f.cpu())
    if profiler is not None:
        result["profile_r0"] = profiler.stop()
    time.sleep(args.renew + 2)
    sampler.stop.set()
    sampler.join()
    result["postgres"] = sampler_summary(sampler, args.workers)
    stats = f.stats()
    result["replicas_after"] = {r: {**s, "cpu_s_run": round(s["cpu_s"] - cpu0[r], 1)}
                                for r, s in stats.items()}
    result["rss_target_mib"] = 150
    owned, overlap = shares(f, set(names))
    result["share"] = {r: len(s) for r, s in owned.items()}
    result["owned_not_once"] = overlap
    mismatches = []
    expected = sorted(files(args.files))
    for db in dbs:
        rows = f.side_effects(db)
        if sorted(rows) != expected:
            mismatches.append((db, rows))
    result["side_effect_mismatches"] = mismatches[:20]
    result["side_effect_mismatch_count"] = len(mismatches)
    result["stalled"] = sorted(observer.stalled.items())[:20]
    result["ready_transitions"] = transitions(observer, set(names), expected=1, since=started)
    tracemalloc_dump(args, f, result)
    result["_series"] = sampler.series
    result["_started"] = started
    return not mismatches and not observer.stalled and not overlap \
        and sampler.max_lock_holders_per_db <= 1


def rollout(args: argparse.Namespace, f: Fleet, result: dict[str, Any]) -> bool:
    names = {f"m{i:04d}" for i in range(args.resources)}
    f.databases(names)
    f.secrets({n: f.pg.url(n) for n in names})
    v1 = files(1)
    f.configmap("sql", v1)
    f.start_operators(args.lease, args.renew, extra_env(args, f))
    observer = Observer(f.custom, f.ns, ["1", "2", "3"])
    observer.start()
    sampler = PgSampler(f.pg.connect(), f.pids(), f.pg.port)
    sampler.start()
    result["load_average_at_start"] = fleet.loadavg()
    started = time.monotonic()
    f.create({n: n for n in names})
    result["create_all_ready_s"] = round(observer.wait(names, "1", args.timeout, started) - started, 1)
    print(f"all {len(names)} at V1 after {result['create_all_ready_s']} s", flush=True)
    time.sleep(args.renew + 2)
    owned, overlap = shares(f, names)
    result["share"] = {r: len(s) for r, s in owned.items()}
    result["owned_not_once"] = overlap
    result["replicas_after_create"] = f.stats()
    tracemalloc_dump(args, f, result)
    result["_started"] = started

    # (1) A new migration, every replica up.
    before = collections.Counter(observer.transitions)
    cpu0 = f.cpu()
    v2 = {**v1, "V2__two.sql": side_effect_file("V2__two.sql")}
    result["load_average_before_rollout"] = fleet.loadavg()
    profiler = profile_start(args, f)
    f.patch_configmap("sql", v2)
    edited = time.monotonic()
    done = observer.wait(names, "2", args.timeout, edited)
    if profiler is not None:
        result["profile_r0_rollout"] = profiler.stop()
    result["rollout"] = {
        "all_s": round(done - edited, 1), "target_s": 60,
        "curve_s": observer.curve(names, "2", edited),
        "ready_transitions": transitions(observer, names, before, since=edited),
        "cpu_s": f.cpu_delta(cpu0, f.cpu()),
        "edited_at_s": round(edited - started, 1),
        "load_average_at_end": fleet.loadavg(),
    }
    print(f"rollout: all {len(names)} at V2 {result['rollout']['all_s']} s after the edit", flush=True)
    time.sleep(args.renew + 2)

    # (2) Another, and the replica with the largest share killed 1 s later.
    before = collections.Counter(observer.transitions)
    owned, _ = shares(f, names)
    victim = max(owned, key=lambda r: len(owned[r]))
    v3 = {**v2, "V3__three.sql": side_effect_file("V3__three.sql")}
    result["load_average_before_lost"] = fleet.loadavg()
    cpu0 = f.cpu()
    f.patch_configmap("sql", v3)
    edited = time.monotonic()
    time.sleep(args.kill_after)
    f.kill(victim)
    killed = time.monotonic()
    sampler.forget(victim)
    survivors = {r: op for r, op in f.ops.items() if r != victim}
    # Picked up: every survivor counts one member less and together they own every resource.
    while any(fleet.gauge(op, "db_migrate_shard_members") != len(survivors) for op in survivors.values()) \
            or sum(fleet.gauge(op, "db_migrate_shard_resources") for op in survivors.values()) < len(names):
        if time.monotonic() > killed + args.timeout:
            raise RuntimeError("the survivors never took the killed replica's share")
        time.sleep(0.5)
    picked_up = time.monotonic()
    orphans = {n for n in owned[victim] if "3" not in observer.reached[n]}
    done = observer.wait(names, "3", args.timeout, edited)
    orphans_done = max((observer.reached[n]["3"] for n in orphans), default=killed)
    time.sleep(args.renew + 2)
    result["replica_lost"] = {
        "killed": victim, "killed_share": len(owned[victim]),
        "killed_after_edit_s": round(killed - edited, 2),
        "orphans_at_kill": len(orphans),
        "orphans_sample": sorted(orphans)[:10],
        "owned_by_survivors_s_after_kill": round(picked_up - killed, 1),
        "orphans_all_s_after_kill": round(orphans_done - killed, 1), "target_s": 15,
        "orphans_curve_s": observer.curve(orphans, "3", killed),
        "all_s": round(done - edited, 1),
        "curve_s": observer.curve(names, "3", edited),
        "ready_transitions": transitions(observer, names, before, since=edited),
        "cpu_s": f.cpu_delta(cpu0, f.cpu()),
        "survivor_share_after": {r: fleet.gauge(op, "db_migrate_shard_resources")
                                 for r, op in survivors.items()},
        "survivor_members_after": {r: fleet.gauge(op, "db_migrate_shard_members")
                                   for r, op in survivors.items()},
        "edited_at_s": round(edited - started, 1),
        "load_average_at_end": fleet.loadavg(),
    }
    print(f"replica lost: all at V3 {result['replica_lost']['all_s']} s after the edit; "
          f"the killed share {result['replica_lost']['orphans_all_s_after_kill']} s after the kill",
          flush=True)
    sampler.stop.set()
    sampler.join()
    result["postgres"] = sampler_summary(sampler, args.workers)
    result["replicas_after"] = f.stats()
    mismatches = []
    for name in sorted(names):
        rows = f.side_effects(name)
        if rows != sorted(v3):
            mismatches.append((name, rows))
    result["side_effect_mismatches"] = mismatches[:20]
    result["side_effect_mismatch_count"] = len(mismatches)
    result["stalled"] = sorted(observer.stalled.items())[:20]
    result["ready_transitions_total"] = transitions(observer, names, expected=5, since=started)
    result["_series"] = sampler.series
    return not mismatches and not observer.stalled and not overlap


def plot(result: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series, started = result.pop("_series"), result.pop("_started")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    if result["scenario"] == "scale":
        curve = result["curve_s"]
        top.plot(curve, range(1, len(curve) + 1), label=f"Ready (target: all within {result['all_ready_target_s']} s)")
        top.axvline(result["all_ready_target_s"], color="red", linestyle=":")
    else:
        for key, label in (("rollout", "V2: new migration"), ("replica_lost", "V3: + replica killed")):
            phase = result[key]
            curve = [phase["edited_at_s"] + t for t in phase["curve_s"]]
            top.plot(curve, range(1, len(curve) + 1), label=f"{label} ({phase['all_s']} s)")
            top.axvline(phase["edited_at_s"], color="grey", linestyle=":")
    top.set_ylabel("resources at the version")
    top.legend(loc="lower right")
    replicas = sorted({r for _, per, _ in series for r in per})
    times = [t - started for t, _, _ in series]
    for r in replicas:
        bottom.plot(times, [per.get(r, 0) for _, per, _ in series], label=f"{r}: connections", lw=0.8)
    bottom.plot(times, [h for _, _, h in series], label="sessions holding a migration lock", lw=0.8,
                color="black", alpha=0.5)
    bottom.axhline(result["workers"], color="red", linestyle=":", label="DB_MIGRATE_WORKERS")
    bottom.set_xlabel("seconds since the first create")
    bottom.set_ylabel("PostgreSQL sessions")
    bottom.legend(loc="upper right", fontsize="small")
    fig.suptitle(f"bench/fleet.py {result['scenario']}: {result['resources']} resources, "
                 f"{result['replicas']} replicas (2-core machine, load {result['load_average_at_start'][0]})")
    fig.tight_layout()
    fig.savefig(out, dpi=90)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["scale", "rollout"])
    parser.add_argument("--resources", type=int)
    parser.add_argument("--databases", type=int, default=300, help="scale: databases")
    parser.add_argument("--files", type=int, default=3, help="scale: migrations per database")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8, help="DB_MIGRATE_WORKERS")
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--renew", type=float, default=2.0)
    parser.add_argument("--kill-after", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--max-load", type=float, default=0, help="wait for a lower load average first")
    parser.add_argument("--operator-env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--tag", default="", help="a suffix for the results' file name")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy record on r0 while resources are created (scale) or during "
                             "the first rollout (rollout); collapsed stacks beside the results")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="r0 traces its allocations (DB_MIGRATE_TRACEMALLOC), dumped at the end")
    args = parser.parse_args(argv)
    if args.resources is None:
        args.resources = 3000 if args.scenario == "scale" else 1000
    if args.max_load:
        wait_for_quiet(args.max_load)
    env = {"DB_MIGRATE_WORKERS": str(args.workers), **dict(kv.split("=", 1) for kv in args.operator_env)}
    result: dict[str, Any] = {
        "scenario": args.scenario, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": fleet.commit(), "machine": "2 cores, shared", "replicas": args.replicas,
        "resources": args.resources, "workers": args.workers, "lease_s": args.lease,
        "renew_s": args.renew, "operator_env": env}
    if args.scenario == "scale":
        result.update(databases=args.databases, files=args.files,
                      layout="resource i on database i mod D; a database's resources share its "
                             "history table (and lock); one ConfigMap")
    else:
        result["layout"] = "one database per resource; one ConfigMap"
    stamp = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
    args.out = BENCH / "results" / f"fleet-{args.scenario}-{args.resources}{args.tag}-{stamp}.json"
    ok = False
    with Fleet(Path(tempfile.mkdtemp(prefix="fleet-")), replicas=args.replicas, env=env) as f:
        try:
            ok = scale(args, f, result) if args.scenario == "scale" else rollout(args, f, result)
        finally:
            result["ok"] = ok
            result["logs"] = str(f.workdir)
    out = args.out
    if "_series" in result:
        plot(result, out.with_suffix(".png"))
        result["plot"] = out.with_suffix(".png").name
    out.write_text(json.dumps(result, indent=1) + "\n")
    brief = {k: v for k, v in result.items() if "curve" not in k}
    for phase in ("rollout", "replica_lost"):
        if phase in brief:
            brief[phase] = {k: v for k, v in brief[phase].items() if "curve" not in k}
    print(json.dumps(brief, indent=1))
    print(f"-> {out.relative_to(BENCH.parent)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

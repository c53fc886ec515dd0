"""CPython's ProcessPoolExecutor, measured the way `ProcessPoolWorker benchmark` measures ours.

    python3 process_pool_bench.py [startup|throughput|all] [--rounds N] [--json]

- startup: create a pool of 2 workers, submit one call, wait for its result (start methods
  "spawn" and "fork").
- throughput: map of 100,000 trivial calls on 2 warm workers at chunksize 1, 100 and 1000,
  in items per second (the default start method).

Each figure is the median of the rounds; with --json each is also printed as one JSON line.
"""
import json
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def identity(x):
    return x


def sleep_then_report_pid(milliseconds):
    import os
    time.sleep(milliseconds / 1000)
    return os.getpid()


def startup_seconds(method):
    start = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        pool.submit(identity, 1).result()
        elapsed = time.perf_counter() - start
    return elapsed


def throughput(chunksize, items=100_000):
    with ProcessPoolExecutor(2) as pool:
        # Warm up (as the Swift benchmark does): both workers started and each ran a call,
        # then a smaller map at the same chunk size, untimed.
        for future in [pool.submit(sleep_then_report_pid, 20) for _ in range(2)]:
            future.result()
        list(pool.map(identity, range(items // 10 if chunksize > 1 else 2_000), chunksize=chunksize))
        start = time.perf_counter()
        results = list(pool.map(identity, range(items), chunksize=chunksize))
        elapsed = time.perf_counter() - start
        assert len(results) == items and results[-1] == items - 1
    return items / elapsed


def main(arguments):
    which = next((a for a in arguments if not a.startswith("--") and not a.isdigit()), "all")
    rounds = int(arguments[arguments.index("--rounds") + 1]) if "--rounds" in arguments else 5
    as_json = "--json" in arguments

    def report(name, value, unit):
        print(f"{name}: {value:.2f} {unit}")
        if as_json:
            print(json.dumps({"name": name, "value": value, "unit": unit}))

    if which in ("startup", "all"):
        for method in ("spawn", "fork"):
            times = [startup_seconds(method) for _ in range(max(rounds, 5) * 3)]
            report(f"python_startup_{method}_ms", statistics.median(times) * 1000, "ms")
    if which in ("throughput", "all"):
        for chunksize in (1000, 100, 1):
            rates = [throughput(chunksize) for _ in range(rounds)]
            report(f"python_map_chunk{chunksize}_items_per_s", statistics.median(rates), "items/s")


if __name__ == "__main__":
    main(sys.argv[1:])

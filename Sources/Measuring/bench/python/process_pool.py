"""CPython's concurrent.futures.ProcessPoolExecutor on the bench's process-pool workloads.

The Swift bench runs this script once per round and start method, alternating it with its own
process pool, and reads the JSON object printed on the last line:

    python3 process_pool.py --method spawn|fork [--items N] [--chunk1-items N] [--round-trips N]
                            [--startups N]

It measures, like the Swift `process` suite (Sources/bench/Suites/ProcessPoolSuite.swift):

- startup_ms: create a pool of 2 workers, submit one call, wait for its result (median of
  --startups tries);
- roundtrip_p50_us, roundtrip_p99_us: single submit -> result calls on a warm pool;
- map_chunk1, map_chunk100, map_chunk1000: items per second of map over --items trivial calls
  (--chunk1-items at chunk size 1, which is slow) on a warm pool of 2 workers.

"Warm" means both workers were started and each ran a call before the clock starts.
"""
import json
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def identity(x):
    return x


def sleep_briefly(_):
    time.sleep(0.02)
    return 0


def percentile(sorted_values, fraction):
    """Nearest-rank percentile (the Swift side uses the same definition)."""
    index = max(0, min(len(sorted_values) - 1, int(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def warm_pool(context):
    pool = ProcessPoolExecutor(max_workers=2, mp_context=context)
    # Both workers started, and each ran a call (the 20 ms sleep keeps one worker from taking both).
    for future in [pool.submit(sleep_briefly, i) for i in range(2)]:
        future.result()
    return pool


def main(arguments):
    def option(name, default):
        return arguments[arguments.index(name) + 1] if name in arguments else default

    method = option("--method", "spawn")
    items = int(option("--items", 10_000))
    chunk1_items = int(option("--chunk1-items", items))
    round_trips = int(option("--round-trips", 1000))
    startups = int(option("--startups", 3))
    context = multiprocessing.get_context(method)
    metrics = {}

    times = []
    for _ in range(startups):
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            pool.submit(identity, 1).result()
            times.append(time.perf_counter() - start)
    metrics["startup_ms"] = statistics.median(times) * 1000

    with warm_pool(context) as pool:
        for i in range(100):
            pool.submit(identity, i).result()
        samples = []
        for i in range(round_trips):
            start = time.perf_counter()
            pool.submit(identity, i).result()
            samples.append(time.perf_counter() - start)
        samples.sort()
        metrics["roundtrip_p50_us"] = percentile(samples, 0.50) * 1e6
        metrics["roundtrip_p99_us"] = percentile(samples, 0.99) * 1e6

        for chunksize in (1, 100, 1000):
            count = chunk1_items if chunksize == 1 else items
            start = time.perf_counter()
            results = list(pool.map(identity, range(count), chunksize=chunksize))
            elapsed = time.perf_counter() - start
            assert len(results) == count and results[-1] == count - 1
            metrics[f"map_chunk{chunksize}"] = count / elapsed

    print(json.dumps({"metrics": metrics, "check": f"python {sys.version.split()[0]}, {method}"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

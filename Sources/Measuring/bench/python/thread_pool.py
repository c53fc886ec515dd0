"""CPython's concurrent.futures.ThreadPoolExecutor on the bench's thread-pool workloads.

The Swift bench (`swift run -c release bench`) runs this script once per round, alternating it
with its own programs, and reads the JSON object printed on the last line:

    {"metrics": {"rate": 41234.5}, "check": "..."}

    python3 thread_pool.py submit      --tasks N            submit N trivial tasks, then result() each
    python3 thread_pool.py map         --tasks N            list(pool.map(f, range(N)))
    python3 thread_pool.py ascompleted --tasks N            submit N, then as_completed over them
    python3 thread_pool.py latency     --tasks N            N single submit -> result round trips
    python3 thread_pool.py wait        --tasks N --window W wait(FIRST_COMPLETED) in a loop, W in flight
    (each of these five takes --workers W too: the pool's size, 2 by default)
    python3 thread_pool.py io          --tasks N --workers W --sleep-ms S
    python3 thread_pool.py cpu         --ranges N --width K sequential and on 2 threads

Every workload mirrors the Swift one of the same name in Sources/Measuring/bench/Suites. Each run creates
its pool and warms it up (threads started, code paths taken) before the clock starts. Only the
standard library is used.
"""
import json
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait


def trivial(i):
    """The trivial task of the throughput workloads (Swift: `trivialWork`)."""
    return i * 2 + 1


def expected_sum(n):
    """Sum of trivial(i) for i in range(n), to check that every result came back."""
    return n * (n - 1) + n


def warm_up(pool, workers=2):
    for future in [pool.submit(trivial, i) for i in range(1000 * workers)]:
        future.result()


def run_submit(n, workers=2):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warm_up(pool, workers)
        start = time.perf_counter()
        futures = [pool.submit(trivial, i) for i in range(n)]
        total = sum(f.result() for f in futures)
        elapsed = time.perf_counter() - start
    assert total == expected_sum(n)
    return {"rate": n / elapsed, "seconds": elapsed}


def run_map(n, workers=2):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warm_up(pool, workers)
        start = time.perf_counter()
        results = list(pool.map(trivial, range(n)))
        elapsed = time.perf_counter() - start
    assert sum(results) == expected_sum(n) and results[-1] == trivial(n - 1)
    return {"rate": n / elapsed, "seconds": elapsed}


def run_as_completed(n, workers=2):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warm_up(pool, workers)
        start = time.perf_counter()
        futures = [pool.submit(trivial, i) for i in range(n)]
        total = 0
        for future in as_completed(futures):
            total += future.result()
        elapsed = time.perf_counter() - start
    assert total == expected_sum(n)
    return {"rate": n / elapsed, "seconds": elapsed}


def percentile(sorted_values, fraction):
    """Nearest-rank percentile (the Swift side uses the same definition)."""
    index = max(0, min(len(sorted_values) - 1, int(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def run_latency(n, workers=2):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warm_up(pool, workers)
        for _ in range(200):
            pool.submit(trivial, 1).result()
        samples = []
        clock = time.perf_counter
        for i in range(n):
            start = clock()
            pool.submit(trivial, i).result()
            samples.append(clock() - start)
    samples.sort()
    return {"p50": percentile(samples, 0.50) * 1e6, "p99": percentile(samples, 0.99) * 1e6}


def run_wait(n, window, workers=2):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        warm_up(pool, workers)
        start = time.perf_counter()
        submitted = 0
        not_done = set()
        total = 0
        while submitted < window and submitted < n:
            not_done.add(pool.submit(trivial, submitted))
            submitted += 1
        while not_done:
            done, not_done = wait(not_done, return_when=FIRST_COMPLETED)
            for future in done:
                total += future.result()
            while len(not_done) < window and submitted < n:
                not_done.add(pool.submit(trivial, submitted))
                submitted += 1
        elapsed = time.perf_counter() - start
    assert total == expected_sum(n)
    return {"rate": n / elapsed, "seconds": elapsed}


def run_io(n, workers, sleep_ms):
    def io_like(_):
        time.sleep(sleep_ms / 1000)
        return 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(io_like, i) for i in range(n)]
        total = sum(f.result() for f in futures)
        elapsed = time.perf_counter() - start
    assert total == n
    return {"seconds": elapsed}


def count_primes(bounds):
    """Trial division over [lower, upper): the same loop as the Swift `countPrimes`."""
    lower, upper = bounds
    count = 0
    candidate = max(lower, 2)
    while candidate < upper:
        is_prime = True
        divisor = 2
        while divisor * divisor <= candidate:
            if candidate % divisor == 0:
                is_prime = False
                break
            divisor += 1
        if is_prime:
            count += 1
        candidate += 1
    return count


def run_cpu(ranges, width):
    bounds = [(2_000_000 + k * width, 2_000_000 + (k + 1) * width) for k in range(ranges)]
    start = time.perf_counter()
    sequential = [count_primes(b) for b in bounds]
    sequential_seconds = time.perf_counter() - start
    with ThreadPoolExecutor(max_workers=2) as pool:
        warm_up(pool)
        start = time.perf_counter()
        threaded = list(pool.map(count_primes, bounds))
        threaded_seconds = time.perf_counter() - start
    assert threaded == sequential
    return {"sequential": sequential_seconds, "threads2": threaded_seconds, "primes": sum(sequential)}


def option(arguments, name, default):
    return int(arguments[arguments.index(name) + 1]) if name in arguments else default


def main(arguments):
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 2
    suite = arguments[0]
    tasks = option(arguments, "--tasks", 10_000)
    workers = option(arguments, "--workers", 2)
    if suite == "submit":
        metrics = run_submit(tasks, workers)
    elif suite == "map":
        metrics = run_map(tasks, workers)
    elif suite == "ascompleted":
        metrics = run_as_completed(tasks, workers)
    elif suite == "latency":
        metrics = run_latency(tasks, workers)
    elif suite == "wait":
        metrics = run_wait(tasks, option(arguments, "--window", 32), workers)
    elif suite == "io":
        metrics = run_io(tasks, option(arguments, "--workers", 1), option(arguments, "--sleep-ms", 50))
    elif suite == "cpu":
        metrics = run_cpu(option(arguments, "--ranges", 2), option(arguments, "--width", 4000))
    else:
        print(f"thread_pool.py: unknown workload {suite!r}", file=sys.stderr)
        return 2
    print(json.dumps({"metrics": metrics, "check": f"python {sys.version.split()[0]}"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Runs the Swift process pool benchmark and CPython's side by side, alternating them, and
prints the medians and ratios.

    swift build -c release --product ProcessPoolWorker
    python3 Tests/ProcessPoolWorker/python/compare_process_pools.py .build/release/ProcessPoolWorker [--alternations N]

The machine may be noisy: each program is run several times, alternating Swift and Python so
that a slow moment hits both, and the figure kept is the median over all runs.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = {}
    for line in output.splitlines():
        if line.startswith("{"):
            figure = json.loads(line)
            figures[figure["name"]] = figure["value"]
    return figures


def main(arguments):
    worker = arguments[0]
    alternations = int(arguments[arguments.index("--alternations") + 1]) if "--alternations" in arguments else 3
    collected = {}
    for _ in range(alternations):
        for part in ("startup", "throughput", "cpu"):
            for name, value in run([worker, "benchmark", part, "--rounds", "1", "--json"]).items():
                collected.setdefault(name, []).append(value)
            if part != "cpu":
                script = os.path.join(HERE, "process_pool_bench.py")
                for name, value in run([sys.executable, script, part, "--rounds", "1", "--json"]).items():
                    collected.setdefault(name, []).append(value)
    medians = {name: statistics.median(values) for name, values in collected.items()}
    for name in sorted(medians):
        print(f"{name:40} {medians[name]:14.2f}   (runs: {', '.join(f'{v:.1f}' for v in collected[name])})")

    print()
    swift_startup = medians["startup_ms"]
    for method in ("spawn", "fork"):
        python = medians[f"python_startup_{method}_ms"]
        print(f"start-up, 2 workers, first result: Swift {swift_startup:.1f} ms, "
              f"CPython {method} {python:.1f} ms: Swift is {python / swift_startup:.1f}x faster")
    for chunk in (1, 100, 1000):
        swift = medians[f"map_chunk{chunk}_items_per_s"]
        python = medians[f"python_map_chunk{chunk}_items_per_s"]
        print(f"map throughput, chunkSize {chunk:4}: Swift {swift:,.0f} items/s, "
              f"CPython {python:,.0f} items/s: ratio {swift / python:.2f}")
    print(f"CPU-bound map, 64 items: speed-up over sequential {medians['cpu_speedup_1_worker']:.2f}x on 1 worker, "
          f"{medians['cpu_speedup_2_workers']:.2f}x on 2 workers")


if __name__ == "__main__":
    main(sys.argv[1:])

"""The concurrent word counter in CPython: the twin of the Swift `wordcount` suite.

    python3 word_count.py --variant sequential|threads|processes --corpus DIR [--workers 2]

Counts the words of every file in DIR (a word is a run of bytes between ASCII whitespace, as
`bytes.split()` and the Swift counter define it), one file per task, merges the counts and
takes the ten most frequent words. Prints, on its last line:

    {"metrics": {"seconds": 0.42, "words": 1700000}, "check": "the=81234 of=40100 ..."}

The variants: a plain loop; ThreadPoolExecutor (the GIL lets one thread run Python code at a
time, but reading files and parts of bytes.split release it or are fast C code); and
ProcessPoolExecutor with the default start method (fork on Linux), whose workers return one
Counter per file to the parent. The process pool is created and warmed up before the clock
starts, like the thread pool. "CPython's fastest variant" in the bench is the fastest of the
three in each round.
"""
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def count_file(path):
    with open(path, "rb") as file:
        return Counter(file.read().split())


def top_ten(counts):
    # Ties broken by the word, as the Swift side does.
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]


def main(arguments):
    def option(name, default):
        return arguments[arguments.index(name) + 1] if name in arguments else default

    variant = option("--variant", "sequential")
    corpus = option("--corpus", None)
    workers = int(option("--workers", 2))
    if corpus is None:
        print("word_count.py: --corpus DIR is required", file=sys.stderr)
        return 2
    paths = sorted(os.path.join(corpus, name) for name in os.listdir(corpus))

    pool = None
    if variant == "threads":
        pool = ThreadPoolExecutor(max_workers=workers)
    elif variant == "processes":
        pool = ProcessPoolExecutor(max_workers=workers)
    elif variant != "sequential":
        print(f"word_count.py: unknown variant {variant!r}", file=sys.stderr)
        return 2
    if pool is not None:
        list(pool.map(len, [b"warm"] * (4 * workers)))  # start the workers before the clock

    start = time.perf_counter()
    total = Counter()
    per_file = map(count_file, paths) if pool is None else pool.map(count_file, paths)
    for counts in per_file:
        total.update(counts)
    top = top_ten(total)
    elapsed = time.perf_counter() - start
    if pool is not None:
        pool.shutdown()

    check = " ".join(f"{word.decode()}={count}" for word, count in top)
    print(json.dumps({"metrics": {"seconds": elapsed, "words": sum(total.values())}, "check": check}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""Runs `ddpm bench` (C++) and bench/python/ddpm_bench.py (PyTorch) alternately, case by
case and round by round (C++ first in even rounds, Python first in odd ones), checks that
both built the same model (parameter count and FLOPs per image, each counted on its own
side), and prints the ratio C++/Python of steps per second per case: the median over the
rounds and the range.

    /usr/bin/python3 bench/compare.py [--ddpm build/release/app/ddpm] [--rounds 3]
        [--seconds 3] [--threads 1,2] [--case mlp] [--jsonl all-lines.jsonl]
        [--python-tcmalloc]

`ddpm` runs on the malloc its build linked (tcmalloc by default, docs/performance.md);
--python-tcmalloc preloads the same tcmalloc into Python, to separate the allocator's
share of the difference from the rest.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = ["train/mlp-b256", "train/unet-tiny-b64", "train/unet-tiny-b128",
         "sample/mlp-b256", "sample/unet-tiny-b64", "sample/unet-tiny-b128"]


def default_ddpm():
    for candidate in ("build/release/app/ddpm", "build/app/ddpm", "build-quality/app/ddpm"):
        path = os.path.join(ROOT, candidate)
        if os.access(path, os.X_OK):
            return path
    return os.path.join(ROOT, "build/release/app/ddpm")


TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def run(command, env=None):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if result.returncode != 0:
        sys.exit("compare.py: %s failed (%d):\n%s" % (" ".join(command), result.returncode, result.stderr))
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ddpm", default=default_ddpm(), help="the ddpm executable (default: %(default)s)")
    parser.add_argument("--python", default="/usr/bin/python3", help="Python with torch (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per case and run")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="timed steps per case and run, at least")
    parser.add_argument("--threads", default="", help="thread counts for both, e.g. 1,2 (default: each side's "
                        "per-model default, 1 for mlp and one per core but one for unets)")
    parser.add_argument("--case", default="", help="comma-separated filters on case names (default: all)")
    parser.add_argument("--sampling-mode", default="inference", choices=("inference", "no_grad"),
                        help="what the Python sampler runs under (default: %(default)s)")
    parser.add_argument("--python-tcmalloc", action="store_true", help="run Python with LD_PRELOAD=" + TCMALLOC)
    parser.add_argument("--jsonl", default="", help="also write every JSON line to this file")
    parser.add_argument("--from-jsonl", default="", help="summarise the lines of an earlier --jsonl, run nothing")
    args = parser.parse_args()

    filters = [f for f in args.case.split(",") if f]
    cases = [c for c in CASES if not filters or any(f in c for f in filters)]
    if not cases:
        sys.exit("compare.py: --case matches no case")
    common = ["--warmup", str(args.warmup), "--repeat", str(args.repeat), "--seconds", str(args.seconds)]
    if args.threads:
        common += ["--threads", args.threads]
    py_env = dict(os.environ, LD_PRELOAD=TCMALLOC) if args.python_tcmalloc else None
    lines = []
    if args.from_jsonl:
        with open(args.from_jsonl) as saved:
            lines = [json.loads(text) for text in saved if text.strip()]
    for r in range(0 if args.from_jsonl else args.rounds):
        for case in cases:
            cpp = [args.ddpm, "bench", "--case", case] + common
            py = [args.python, os.path.join(HERE, "python", "ddpm_bench.py"), "--case", case,
                  "--sampling-mode", args.sampling_mode] + common
            for command in ([cpp, py] if r % 2 == 0 else [py, cpp]):
                for line in run(command, py_env if command is py else None):
                    line["round"] = r
                    lines.append(line)
                    print(json.dumps(line), file=sys.stderr, flush=True)
    if args.jsonl:
        with open(args.jsonl, "w") as out:
            out.writelines(json.dumps(line) + "\n" for line in lines)

    # The same networks on both sides, counted independently.
    keys = sorted({(l["case"], l["threads"]) for l in lines}, key=lambda k: (CASES.index(k[0]), k[1]))
    for case, threads in keys:
        found = {l["impl"]: l for l in lines if l["case"] == case and l["threads"] == threads}
        if set(found) != {"cpp", "python"}:
            sys.exit("compare.py: %s at %d threads ran on one side only" % (case, threads))
        for field in ("parameters", "forward_flops_per_image"):
            if found["cpp"][field] != found["python"][field]:
                sys.exit("compare.py: %s differs for %s: C++ %s, Python %s" %
                         (field, case, found["cpp"][field], found["python"][field]))

    allocators = {impl: sorted({l.get("allocator", "?") for l in lines if l["impl"] == impl}) for impl in ("cpp", "python")}
    print("malloc: C++ %s, Python %s" % ("/".join(allocators["cpp"]), "/".join(allocators["python"])))
    print("| case | threads | params | GFLOP/img | C++ steps/s | Python steps/s | C++/Python (median, range) "
          "| C++/Python by fastest step (median, range) | C++/Python by CPU time per step (median, range) "
          "| C++ GFLOP/s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for case, threads in keys:
        per_round = {}
        for l in lines:
            if l["case"] == case and l["threads"] == threads:
                per_round.setdefault(l["round"], {})[l["impl"]] = l
        ratios = [v["cpp"]["steps_per_second"] / v["python"]["steps_per_second"]
                  for v in per_round.values() if len(v) == 2]
        cpp = [v["cpp"]["steps_per_second"] for v in per_round.values() if "cpp" in v]
        py = [v["python"]["steps_per_second"] for v in per_round.values() if "python" in v]
        # The fastest step of a run is the least disturbed by other work on a busy machine, and
        # CPU time per step does not count the time other processes held the cores.
        fastest = [v["python"]["step_ms_min"] / v["cpp"]["step_ms_min"] for v in per_round.values() if len(v) == 2]
        cpu = [v["python"]["cpu_ms_per_step"] / v["cpp"]["cpu_ms_per_step"] for v in per_round.values()
               if len(v) == 2 and "cpu_ms_per_step" in v["cpp"] and "cpu_ms_per_step" in v["python"]]
        cpu = cpu or [float("nan")]
        gflops = [v["cpp"]["gflops_per_second"] for v in per_round.values() if "cpp" in v]
        any_line = next(iter(per_round.values()))["cpp"]
        print("| %s | %d | %s | %.4g | %.4g | %.4g | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.3g |" % (
            case, threads, format(any_line["parameters"], ","), any_line["flops_per_image"] * 1e-9,
            statistics.median(cpp), statistics.median(py), statistics.median(ratios), min(ratios), max(ratios),
            statistics.median(fastest), min(fastest), max(fastest), statistics.median(cpu), min(cpu), max(cpu),
            statistics.median(gflops)))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Runs `ddpm bench` under several variants alternately (round robin, the order rotated
each round) and prints steps per second per case and variant: median and range over the
rounds. A variant is NAME[:VAR=VALUE[,VAR=VALUE…]][@PATH-TO-DDPM], e.g.

  # Debian's OpenBLAS builds without switching the system alternative
  /usr/bin/python3 bench/ab_compare.py --rounds 3 \\
      --variant pthread:LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread \\
      --variant openmp:LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
      --variant serial:LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-serial \\
      -- --case mlp --threads 1,2 --seconds 2
  # two builds of ddpm
  /usr/bin/python3 bench/ab_compare.py --variant before@old/ddpm --variant after@build/release/app/ddpm -- --case sample

Everything after `--` goes to every `ddpm bench` call.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_variant(text, default_ddpm):
    name, _, rest = text.partition(":")
    ddpm = default_ddpm
    if "@" in name:
        name, ddpm = name.split("@", 1)
    if "@" in rest:
        rest, ddpm = rest.split("@", 1)
    env = dict(os.environ)
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        env[key] = value
    return name, ddpm, env


def main():
    argv = sys.argv[1:]
    bench_args = []
    if "--" in argv:
        bench_args = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ddpm", default=os.path.join(ROOT, "build/release/app/ddpm"))
    parser.add_argument("--variant", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jsonl", default="")
    args = parser.parse_args(argv)
    variants = [parse_variant(v, args.ddpm) for v in args.variant]

    lines = []
    for r in range(args.rounds):
        order = variants[r % len(variants):] + variants[:r % len(variants)]
        for name, ddpm, env in order:
            result = subprocess.run([ddpm, "bench"] + bench_args, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            if result.returncode != 0:
                sys.exit("ab_compare.py: %s failed: %s" % (name, result.stderr))
            for text in result.stdout.splitlines():
                line = json.loads(text)
                line.update(variant=name, round=r)
                lines.append(line)
                print(json.dumps(line), file=sys.stderr, flush=True)
    if args.jsonl:
        with open(args.jsonl, "w") as out:
            out.writelines(json.dumps(line) + "\n" for line in lines)

    names = [v[0] for v in variants]
    keys = []
    for l in lines:
        if (l["case"], l["threads"]) not in keys:
            keys.append((l["case"], l["threads"]))
    print("| case | threads | " + " | ".join(names + ["%s/%s" % (n, names[0]) for n in names[1:]]) + " |")
    print("|---|---|" + "---|" * (2 * len(names) - 1))
    for case, threads in keys:
        cells, medians = [], {}
        for n in names:
            rates = [l["steps_per_second"] for l in lines if l["case"] == case and l["threads"] == threads
                     and l["variant"] == n]
            medians[n] = statistics.median(rates)
            cells.append("%.4g (%.4g–%.4g)" % (medians[n], min(rates), max(rates)))
        for n in names[1:]:
            ratios = []
            for r in range(args.rounds):
                a = [l["steps_per_second"] for l in lines if l["case"] == case and l["threads"] == threads
                     and l["round"] == r and l["variant"] == n]
                b = [l["steps_per_second"] for l in lines if l["case"] == case and l["threads"] == threads
                     and l["round"] == r and l["variant"] == names[0]]
                if a and b:
                    ratios.append(a[0] / b[0])
            cells.append("%.2f (%.2f–%.2f)" % (statistics.median(ratios), min(ratios), max(ratios)))
        print("| %s | %d | %s |" % (case, threads, " | ".join(cells)))


if __name__ == "__main__":
    main()

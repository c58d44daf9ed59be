#!/usr/bin/env python3
"""Writes a smiley face as 2D point files for `ddpm train --data csv:...` and
`ddpm score --data csv:...`: a train file and a held-out file, independent draws of the
same distribution (standard library only, fixed seeds, so every run writes the same files).

The shape: a ring (the face, radius 1), two round eyes and a smiling arc, each curve
blurred with Gaussian noise. Distinctly non-Gaussian and with thin structure, so a
model has to learn more than a blob to beat the Gaussian baseline.

usage: make_points_csv.py OUT_DIR [--n N] [--seed S]
       writes OUT_DIR/smiley_train.csv and OUT_DIR/smiley_heldout.csv (header x,y)
"""
import argparse
import math
import os
import random

RING_RADIUS = 1.0
EYES = ((-0.35, 0.35), (0.35, 0.35))
EYE_SIGMA = 0.07
SMILE_CENTRE = (0.0, 0.05)
SMILE_RADIUS = 0.55
SMILE_ANGLES = (math.radians(200), math.radians(340))
CURVE_NOISE = 0.025
# Share of the points in the ring, each eye, the smile.
WEIGHTS = (0.5, 0.1, 0.1, 0.3)


def smiley_point(rng):
    u = rng.random()
    if u < WEIGHTS[0]:
        a = rng.uniform(0, 2 * math.pi)
        x, y = RING_RADIUS * math.cos(a), RING_RADIUS * math.sin(a)
        return x + rng.gauss(0, CURVE_NOISE), y + rng.gauss(0, CURVE_NOISE)
    u -= WEIGHTS[0]
    for eye, weight in zip(EYES, WEIGHTS[1:3]):
        if u < weight:
            return eye[0] + rng.gauss(0, EYE_SIGMA), eye[1] + rng.gauss(0, EYE_SIGMA)
        u -= weight
    a = rng.uniform(*SMILE_ANGLES)
    x = SMILE_CENTRE[0] + SMILE_RADIUS * math.cos(a)
    y = SMILE_CENTRE[1] + SMILE_RADIUS * math.sin(a)
    return x + rng.gauss(0, CURVE_NOISE), y + rng.gauss(0, CURVE_NOISE)


def write_points(path, n, seed):
    rng = random.Random(seed)
    with open(path, "w", encoding="ascii") as out:
        out.write("x,y\n")
        for _ in range(n):
            x, y = smiley_point(rng)
            out.write(f"{x:.6f},{y:.6f}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--n", type=int, default=10000, help="points per file (default 10000)")
    parser.add_argument("--seed", type=int, default=2020, help="train seed; the held-out file uses seed + 1")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    write_points(os.path.join(args.out_dir, "smiley_train.csv"), args.n, args.seed)
    write_points(os.path.join(args.out_dir, "smiley_heldout.csv"), args.n, args.seed + 1)


if __name__ == "__main__":
    main()

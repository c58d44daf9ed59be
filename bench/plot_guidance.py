#!/usr/bin/env python3
"""Plots guidance's trade-off from bench/guidance_fashion.sh's CSV as an SVG: for each
weight w, the mean over classes of the class accuracy (x) against the mean Fréchet
distance to the class's test images (y, lower is better), one point per w, joined in
order of w. Standard library only (Debian has no matplotlib here).

    bench/plot_guidance.py docs/data/guidance_fashion.csv docs/images/guidance_fashion.svg
    bench/plot_guidance.py --classifier docs/data/classifier_guidance_fashion.csv docs/images/classifier_guidance_fashion.svg

--classifier: the CSV's w column is classifier guidance's scale s (NOISY_CLASSIFIER runs).
"""
import csv
import sys
from collections import defaultdict


def means(path):
    by_weight = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            by_weight[float(row["w"])].append((float(row["class_accuracy"]), float(row["fd"])))
    return [(w, sum(a for a, _ in r) / len(r), sum(d for _, d in r) / len(r)) for w, r in sorted(by_weight.items())]


def svg(points, kind="Classifier-free guidance", letter="w", width=640, height=420, margin=64):
    xs = [p[1] for p in points]
    ys = [p[2] for p in points]
    x0, x1 = 0.0, 1.0
    y0, y1 = 0.0, max(ys) * 1.15
    sx = lambda x: margin + (x - x0) / (x1 - x0) * (width - 2 * margin)
    sy = lambda y: height - margin - (y - y0) / (y1 - y0) * (height - 2 * margin)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="DejaVu Sans" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-weight="bold">'
           f'{kind}: class accuracy against Fréchet distance</text>']
    for i in range(6):  # grid and ticks
        x = x0 + i * (x1 - x0) / 5
        y = y0 + i * (y1 - y0) / 5
        out.append(f'<line x1="{sx(x)}" y1="{sy(y0)}" x2="{sx(x)}" y2="{sy(y1)}" stroke="#ddd"/>')
        out.append(f'<text x="{sx(x)}" y="{sy(y0) + 18}" text-anchor="middle">{x:.1f}</text>')
        out.append(f'<line x1="{sx(x0)}" y1="{sy(y)}" x2="{sx(x1)}" y2="{sy(y)}" stroke="#ddd"/>')
        out.append(f'<text x="{sx(x0) - 8}" y="{sy(y) + 4}" text-anchor="end">{y:.0f}</text>')
    out.append(f'<text x="{width / 2}" y="{height - 16}" text-anchor="middle">'
               'class accuracy (the project\'s classifier), mean over the 10 classes</text>')
    out.append(f'<text x="18" y="{height / 2}" text-anchor="middle" transform="rotate(-90 18 {height / 2})">'
               'Fréchet distance to the class (lower is better)</text>')
    path = " ".join(f"{sx(a):.1f},{sy(d):.1f}" for _, a, d in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="#2f6fd0" stroke-width="2"/>')
    for w, a, d in points:
        out.append(f'<circle cx="{sx(a):.1f}" cy="{sy(d):.1f}" r="5" fill="#2f6fd0"/>')
        out.append(f'<text x="{sx(a) + 8:.1f}" y="{sy(d) - 8:.1f}">{letter} = {w:g}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    arguments = sys.argv[1:]
    classifier = arguments[:1] == ["--classifier"]
    arguments = arguments[1:] if classifier else arguments
    if len(arguments) != 2:
        sys.exit(__doc__)
    kind, letter = ("Classifier guidance", "s") if classifier else ("Classifier-free guidance", "w")
    with open(arguments[1], "w") as f:
        f.write(svg(means(arguments[0]), kind, letter))

#!/usr/bin/env python3
"""Writes ddpm-studio.svg: a Swiss roll of points dissolving into Gaussian noise,
left to right, under the N(0, 1) bell curve. Deterministic (fixed seed). The PNGs
compiled into the app and installed for the desktop come from it with ImageMagick:
  for s in 16 32 48 64 128 256; do
    convert -background none ddpm-studio.svg -resize ${s}x${s} PNG32:ddpm-studio-$s.png
  done
"""
import colorsys
import math
import random

random.seed(11)
S = 256
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{S}" height="{S}" viewBox="0 0 {S} {S}">',
         f'<rect x="8" y="8" width="{S-16}" height="{S-16}" rx="48" ry="48" fill="#1f2937"/>']
n = 220
for i in range(n):
    u = i / (n - 1)                       # position along the roll
    theta = 1.5 * math.pi + 3 * math.pi * u
    x0, y0 = theta * math.cos(theta) / 15.0, theta * math.sin(theta) / 15.0   # roughly [-1, 1]
    # Noise grows from left (data) to right (noise): x_t = sqrt(ab) x0 + sqrt(1 - ab) eps.
    t = min(1.0, max(0.0, (x0 + 0.05) / 1.0))
    ab = 1.0 - t ** 1.8
    x = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * random.gauss(0.3, 0.38)
    y = math.sqrt(ab) * y0 + math.sqrt(1 - ab) * random.gauss(0, 0.55)
    px, py = 128 + 92 * x, 150 - 72 * y
    if not (28 < px < 228 and 96 < py < 228):
        continue
    r, g, b = colorsys.hsv_to_rgb((0.55 + 0.45 * u) % 1.0, 0.6, 1.0)
    parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.6" fill="#{int(r*255):02x}{int(g*255):02x}{int(b*255):02x}" fill-opacity="0.92"/>')
# Bell curve of N(0, 1) along the top.
pts = []
for k in range(61):
    z = -3 + 6 * k / 60
    pts.append(f'{128 + z * 32:.1f},{84 - 50 * math.exp(-z * z / 2):.1f}')
parts.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="#ff6b5b" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>')
parts.append('</svg>')
open('ddpm-studio.svg', 'w').write('\n'.join(parts) + '\n')

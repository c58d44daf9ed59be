#pragma once

#include <QImage>
#include <QRgb>
#include <QSize>
#include <QString>

#include <cstdint>
#include <vector>

namespace ddpm::ui {

struct TrajectoryLayout;

/// Lockstep playback of two runs with different step counts (say 1,000 DDPM steps and 50
/// DDIM steps): one slider of `positions` positions stands for the fraction of the run,
/// f = position / positions, and a run of K steps shows frame round(f · K), so both runs
/// are shown at the same progress from x_T (frame 0) to x_0 (frame K).
int lockstepFrame(int position, int positions, int steps);

/// Why two models cannot be compared sample by sample: a sentence naming both shapes
/// when their sample shapes differ; empty when they match.
QString sampleShapeMismatch(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);

/// Per-pixel |A − B| of two image grids stored as grey levels (quantiseUnit): level
/// |a − b| for every value, so black is "equal" and white a difference of 2 (one image at
/// −1, the other at +1). Laid out exactly as renderLevelGrid lays out A and B.
QImage renderDifferenceGrid(const std::uint8_t* a, const std::uint8_t* b, const TrajectoryLayout& layout, int columns);

/// Mean of |A − B| over all values, in the data's units ([−1, 1] images: 0..2), from levels.
double meanAbsLevelDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b);

/// The colours of run A and run B wherever they are drawn together.
QRgb runColourA();
QRgb runColourB();

/// Two clouds of `count` 2D points each (x, y interleaved) on one canvas: A in
/// runColourA(), B in runColourB(), B drawn over A.
QImage renderOverlaidClouds(const float* a, const float* b, int count, QSize pixels, qreal devicePixelRatio);

}  // namespace ddpm::ui

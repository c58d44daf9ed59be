#pragma once

class QComboBox;
class QWidget;

namespace ddpm::ui {

/// The network's precision as a menu: float32, or bf16 autocast where this machine can
/// sample in it (a GPU, or a CPU with AVX512_BF16); elsewhere bf16 stays in the menu,
/// greyed out, with core's reason as its tooltip. The Sampling view's Precision row and
/// each Compare column.
QComboBox* makePrecisionBox(QWidget* parent);
/// Whether `box` (from makePrecisionBox) is on bf16.
bool bf16Chosen(const QComboBox* box);
/// Puts `box` on bf16 when `bf16` and this machine can; else on float32. Returns whether
/// it is on bf16 now.
bool chooseBf16(QComboBox* box, bool bf16);

}  // namespace ddpm::ui

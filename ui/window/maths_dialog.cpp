#include "ui/window/maths_dialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ddpm::ui {

MathsDialog::MathsDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("The maths of DDPM Studio"));
  auto* browser = new QTextBrowser(this);
  browser->setOpenExternalLinks(true);
  browser->setHtml(html());
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(browser);
  layout->addWidget(buttons);
  resize(760, 680);
}

QString MathsDialog::html() {
  return tr(R"(
<h2>Denoising diffusion, the forward half</h2>
<p>Ho, Jain &amp; Abbeel (2020), <i>Denoising Diffusion Probabilistic Models</i>. Equation numbers are the paper's.</p>
<h3>The noise schedule</h3>
<p>A schedule is a list of variances β₁ … β_T in (0, 1). From it:</p>
<ul>
<li>αₜ = 1 − βₜ</li>
<li>ᾱₜ = α₁ α₂ ⋯ αₜ, the share of the data's variance that survives t steps</li>
<li>SNRₜ = ᾱₜ / (1 − ᾱₜ), the signal-to-noise ratio; log SNR falls from large to very negative</li>
</ul>
<p><b>Linear</b> (the paper): βₜ evenly spaced from β₁ = 10⁻⁴ to β_T = 0.02, T = 1000.
<b>Cosine</b> (Nichol &amp; Dhariwal 2021): ᾱₜ = f(t)/f(0) with f(t) = cos²(((t/T + s)/(1 + s))·π/2), s = 0.008,
βₜ = 1 − ᾱₜ/ᾱₜ₋₁ clipped at 0.999. <b>Quadratic</b>: √βₜ evenly spaced. <b>Sigmoid</b>: β₁ + (β_T − β₁)·σ(u), u evenly
spaced over [−6, 6]. <b>Custom</b>: any list of β read from a file (one per line).</p>
<p>If ᾱ_T is not close to 0, x_T still shows the data: sampling, which starts from pure noise, then starts from
the wrong distribution. DDPM Studio warns when ᾱ_T &gt; 0.01.</p>
<h3>The forward process q</h3>
<p>Each step adds a little Gaussian noise: q(xₜ | xₜ₋₁) = N(√(1 − βₜ) xₜ₋₁, βₜ I) (eq. 2). Steps compose in closed form:</p>
<p style='font-size:large'>q(xₜ | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I), &nbsp;that is&nbsp; xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε, ε ~ N(0, I) (eq. 4)</p>
<p>So any xₜ can be drawn in one go, which is what the Forward view does: one ε, fixed, and t moving.
The values of xₜ have variance ᾱₜ Var[x₀] + (1 − ᾱₜ): as ᾱₜ → 0 they become N(0, 1), whatever the data were.</p>
<h3>The posterior that training targets</h3>
<p>q(xₜ₋₁ | xₜ, x₀) = N(μ̃ₜ, β̃ₜ I) with</p>
<p>β̃ₜ = (1 − ᾱₜ₋₁)/(1 − ᾱₜ) · βₜ &nbsp;and&nbsp; μ̃ₜ = √ᾱₜ₋₁ βₜ/(1 − ᾱₜ) · x₀ + √αₜ (1 − ᾱₜ₋₁)/(1 − ᾱₜ) · xₜ (eq. 6–7).</p>
<h3>Indexing</h3>
<p>The app counts steps from 0, as code does: its t = 0 … T − 1 is the paper's step t + 1. So the slider at t = 0
shows the paper's x₁ (one step of noise) and ᾱ there is 1 − β₁; before any step (x₀) nothing is lost.</p>
<h3>Data</h3>
<p>Images are scaled from 0 … 255 to [−1, 1]; 2D points are standardised per coordinate. The diffusion acts there,
which is why N(0, 1) is the right reference for the histogram. Pictures show values clamped to [−1, 1].</p>
)");
}

}  // namespace ddpm::ui

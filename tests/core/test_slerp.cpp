// slerp (core/sampling/slerp.h) against values worked out by hand: exact endpoints, the
// norm kept along the arc for orthogonal inputs of equal norm, the midpoint's direction
// (a + b)/‖a + b‖, a hand-computed 60° case, the straight-line fallback for θ ≈ 0, and
// a clear error for mismatched shapes.
#include "core/sampling/slerp.h"
#include "core/util/error.h"

#include <QtTest>

#include <cmath>

using namespace ddpm;

class TestSlerp : public QObject {
  Q_OBJECT

 private slots:
  void endpoints_areTheInputsExactly();
  void orthogonalEqualNorm_keepsTheNormAtEveryLambda();
  void midpoint_pointsAlongTheSumOfTheInputs();
  void sixtyDegrees_matchesHandComputedWeights();
  void nearlyParallel_fallsBackToTheStraightLine();
  void gaussianNoise_keepsItsNormWhereTheLineShrinksIt();
  void differentShapes_throwAClearError();
};

void TestSlerp::endpoints_areTheInputsExactly() {
  torch::manual_seed(1);
  const auto a = torch::randn({2, 1, 5, 5});
  const auto b = torch::randn({2, 1, 5, 5});
  QVERIFY(torch::equal(slerp(a, b, 0.0), a));
  QVERIFY(torch::equal(slerp(a, b, 1.0), b));
}

void TestSlerp::orthogonalEqualNorm_keepsTheNormAtEveryLambda() {
  // a = (3, 0, 0, 4), b = (0, 5, 0, 0): orthogonal, both of norm 5, θ = π/2, so
  // slerp = cos(λπ/2) a + sin(λπ/2) b, of norm 5 for every λ.
  const auto a = torch::tensor({3.0, 0.0, 0.0, 4.0}, torch::kFloat64);
  const auto b = torch::tensor({0.0, 5.0, 0.0, 0.0}, torch::kFloat64);
  QCOMPARE(angle_between(a, b), M_PI / 2);
  for (int i = 0; i <= 8; ++i) {
    const double lambda = i / 8.0;
    const auto x = slerp(a, b, lambda);
    QVERIFY(std::abs(x.norm().item<double>() - 5.0) < 1e-12);
    const double c = std::cos(lambda * M_PI / 2), s = std::sin(lambda * M_PI / 2);
    QVERIFY(std::abs(x[0].item<double>() - 3 * c) < 1e-12);
    QVERIFY(std::abs(x[1].item<double>() - 5 * s) < 1e-12);
    QVERIFY(std::abs(x[3].item<double>() - 4 * c) < 1e-12);
  }
}

void TestSlerp::midpoint_pointsAlongTheSumOfTheInputs() {
  // Equal norms: the midpoint of the arc is the unit bisector (a + b)/‖a + b‖ times that norm.
  const auto a = torch::tensor({1.0, 2.0, 2.0}, torch::kFloat64);   // norm 3
  const auto b = torch::tensor({2.0, -1.0, 2.0}, torch::kFloat64);  // norm 3, ⟨a, b⟩ = 4
  const auto m = slerp(a, b, 0.5);
  const auto bisector = (a + b) / (a + b).norm() * 3.0;
  QVERIFY(torch::allclose(m, bisector, 0.0, 1e-12));
}

void TestSlerp::sixtyDegrees_matchesHandComputedWeights() {
  // θ = 60°: at λ = 1/3 the weights are sin(40°)/sin(60°) and sin(20°)/sin(60°).
  const auto a = torch::tensor({1.0, 0.0}, torch::kFloat64);
  const auto b = torch::tensor({0.5, std::sqrt(3.0) / 2}, torch::kFloat64);
  const auto x = slerp(a, b, 1.0 / 3.0);
  // On the unit circle at 20°.
  QVERIFY(std::abs(x[0].item<double>() - std::cos(M_PI / 9)) < 1e-12);
  QVERIFY(std::abs(x[1].item<double>() - std::sin(M_PI / 9)) < 1e-12);
}

void TestSlerp::nearlyParallel_fallsBackToTheStraightLine() {
  const auto a = torch::tensor({1.0, 2.0, 3.0}, torch::kFloat64);
  const auto b = a * 2.0;  // θ = 0: sin θ = 0 would divide by zero
  const auto x = slerp(a, b, 0.25);
  QVERIFY(torch::isfinite(x).all().item<bool>());
  QVERIFY(torch::allclose(x, a * 0.75 + b * 0.25, 0.0, 1e-12));
}

void TestSlerp::gaussianNoise_keepsItsNormWhereTheLineShrinksIt() {
  // 784 dimensions (one Fashion-MNIST x_T): ‖x‖ ≈ √784 = 28 for a, b and the slerp
  // midpoint; the linear midpoint is about 28/√2 ≈ 19.8.
  torch::manual_seed(7);
  const auto a = torch::randn({1, 28, 28}, torch::kFloat64);
  const auto b = torch::randn({1, 28, 28}, torch::kFloat64);
  const double na = a.norm().item<double>(), nb = b.norm().item<double>();
  const double mid = slerp(a, b, 0.5).norm().item<double>();
  const double line = ((a + b) * 0.5).norm().item<double>();
  QVERIFY2(mid > std::min(na, nb) - 0.5 && mid < std::max(na, nb) + 0.5, qPrintable(QString::number(mid)));
  QVERIFY2(line < 0.8 * mid, qPrintable(QString::number(line)));
}

void TestSlerp::differentShapes_throwAClearError() {
  try {
    slerp(torch::zeros({2, 2}), torch::zeros({4}), 0.5);
    QFAIL("no error");
  } catch (const Error& e) {
    QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("shape")));
  }
}

QTEST_GUILESS_MAIN(TestSlerp)
#include "test_slerp.moc"

// The trainer: exact resume (10 + 10 steps == 20 steps), learning on a 2D toy, the
// per-step report, EMA, pause / cancel between steps, autosaves, and NaN handling.
#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/models/denoiser.h"
#include "core/training/trainer.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <numeric>
#include <thread>

#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;

namespace {

Dataset swissroll(std::int64_t points = 2000) {
  DataOptions options;
  options.toy_points = points;
  return load_dataset("swissroll", options);
}

ModelConfig mlp() {
  return model_preset("mlp", {2});
}

TrainOptions cpu_options() {
  TrainOptions o;
  o.device = "cpu";
  o.batch_size = 32;
  o.seed = 5;
  o.learning_rate = 1e-3;
  o.warmup_steps = 5;
  o.grad_clip = 1.0;
  o.ema_decay = 0.9;
  return o;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool same_weights(const torch::nn::Module& a, const torch::nn::Module& b) {
  const NamedTensors wa = named_weights(a), wb = named_weights(b);
  if (wa.size() != wb.size()) return false;
  for (const auto& [name, w] : wa)
    if (!torch::equal(w, wb.at(name))) return false;
  return true;
}

template <typename Predicate>
bool wait_for(Predicate p, double seconds = 20) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!p()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void resume_tenPlusTenEqualsTwentyExactly() {
    const Dataset data = swissroll();
    const ScheduleSpec schedule;  // the paper's linear schedule, T = 1000

    std::vector<double> straight_losses;
    Trainer straight(data, mlp(), schedule, cpu_options());
    QCOMPARE(straight.run(20, [&](const TrainStepReport& r) { straight_losses.push_back(r.loss); }).status,
             TrainStatus::Finished);

    TrainOptions first_options = cpu_options();
    first_options.checkpoint_path = path("half.safetensors");
    Trainer first(data, mlp(), schedule, first_options);
    QCOMPARE(first.run(10).status, TrainStatus::Finished);

    const CheckpointData checkpoint = load_checkpoint(first_options.checkpoint_path);
    QCOMPARE(checkpoint.step, std::int64_t{10});
    QVERIFY(checkpoint.resumable);
    TrainOptions resumed_options = checkpoint.training;  // lr, batch, seed, warm-up, clip, EMA from the file
    resumed_options.device = "cpu";
    std::vector<double> resumed_losses;
    Trainer resumed(data, checkpoint, resumed_options);
    QCOMPARE(resumed.step(), std::int64_t{10});
    const TrainResult result = resumed.run(10, [&](const TrainStepReport& r) { resumed_losses.push_back(r.loss); });
    QVERIFY2(result.status == TrainStatus::Finished, result.message.c_str());
    QCOMPARE(resumed.step(), std::int64_t{20});

    // Bitwise equal: same batches, same Adam moments and step count, same EMA.
    for (std::size_t i = 0; i < resumed_losses.size(); ++i) QCOMPARE(resumed_losses[i], straight_losses[10 + i]);
    QVERIFY(same_weights(*resumed.model(), *straight.model()));
    QVERIFY(same_weights(*resumed.ema_model(), *straight.ema_model()));

    // The sampling model a checkpoint gives is the EMA copy.
    const std::string final_path = path("final.safetensors");
    straight.save(final_path);
    QVERIFY(same_weights(*load_denoiser(load_checkpoint(final_path)), *straight.ema_model()));
  }

  void training_lowersLossOnToy2d() {
    // 300 steps of batch 128 on the swiss roll (device auto: CUDA when present).
    // An untrained ε_θ ≈ 0 scores ≈ 1 (E‖ε‖²/dim), and the first 20 steps already
    // learn a little; learning shows as the mean loss of the last 50 steps falling
    // below 0.6 × the mean of the first 20 (measured on the CPU: 0.75 → 0.28; the
    // per-step noise of a 128-sample mean is ≈ 0.05).
    TrainOptions o = cpu_options();
    o.device = "auto";
    o.batch_size = 128;
    o.warmup_steps = 20;
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    std::vector<double> losses;
    std::vector<std::int64_t> all_t;
    QCOMPARE(trainer.run(300,
                         [&](const TrainStepReport& r) {
                           losses.push_back(r.loss);
                           all_t.insert(all_t.end(), r.t.begin(), r.t.end());
                         })
                 .status,
             TrainStatus::Finished);
    const double first = std::accumulate(losses.begin(), losses.begin() + 20, 0.0) / 20;
    const double last = std::accumulate(losses.end() - 50, losses.end(), 0.0) / 50;
    qInfo("device %s: mean loss first 20 steps %.4f, last 50 steps %.4f", trainer.device().str().c_str(), first, last);
    QVERIFY2(first > 0.5 && first < 1.3, std::to_string(first).c_str());
    QVERIFY2(last < 0.6 * first, (std::to_string(last) + " vs " + std::to_string(first)).c_str());

    // t ~ U{0..T−1}: mean (T − 1)/2 within 4 standard errors, both ends reached.
    const double T = 1000, n = double(all_t.size());
    const double mean_t = std::accumulate(all_t.begin(), all_t.end(), 0.0) / n;
    QVERIFY(std::abs(mean_t - (T - 1) / 2) < 4 * std::sqrt((T * T - 1) / 12 / n));
    QCOMPARE(*std::min_element(all_t.begin(), all_t.end()), std::int64_t{0});
    QCOMPARE(*std::max_element(all_t.begin(), all_t.end()), std::int64_t{999});
  }

  void callback_receivesEveryStep() {
    TrainOptions o = cpu_options();
    o.warmup_steps = 10;
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    std::vector<TrainStepReport> reports;
    QCOMPARE(trainer.run(25, [&](const TrainStepReport& r) { reports.push_back(r); }).status, TrainStatus::Finished);
    QCOMPARE(reports.size(), std::size_t{25});
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const TrainStepReport& r = reports[i];
      QCOMPARE(r.step, std::int64_t(i + 1));
      QCOMPARE(r.t.size(), std::size_t{32});
      QCOMPARE(r.per_sample_loss.size(), std::size_t{32});
      for (auto t : r.t) QVERIFY(t >= 0 && t < 1000);
      // L_simple is the mean of the per-sample losses.
      const double mean = std::accumulate(r.per_sample_loss.begin(), r.per_sample_loss.end(), 0.0) / 32;
      QVERIFY(std::abs(mean - r.loss) <= 1e-6 * std::max(1.0, r.loss));
      // Linear warm-up over 10 steps, then constant.
      QCOMPARE(r.learning_rate, 1e-3 * std::min(1.0, double(i + 1) / 10));
      QVERIFY(std::isfinite(r.steps_per_second) && r.steps_per_second > 0);
    }
  }

  void ema_followsTheDecayFormula() {
    // θ_ema(n+1) = d_n θ_ema(n) + (1 − d_n) θ(n+1), d_n = min(0.9, (1 + n)/(10 + n)),
    // recomputed here from the online weights the callback sees after each step.
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, cpu_options());
    NamedTensors expected = named_weights(*trainer.model());
    QVERIFY(same_weights(*trainer.model(), *trainer.ema_model()));
    std::int64_t n = 0;
    trainer.run(15, [&](const TrainStepReport&) {
      const double d = std::min(0.9, (1.0 + n) / (10.0 + n));
      const NamedTensors online = named_weights(*trainer.model());
      for (auto& [name, w] : expected) w = d * w + (1 - d) * online.at(name);
      ++n;
    });
    const NamedTensors ema = named_weights(*trainer.ema_model());
    for (const auto& [name, w] : expected) QVERIFY2(torch::allclose(ema.at(name), w, 1e-5, 1e-6), name.c_str());
    QVERIFY(!same_weights(*trainer.model(), *trainer.ema_model()));

    TrainOptions off = cpu_options();
    off.ema_decay = 0;
    Trainer plain(swissroll(), mlp(), ScheduleSpec{}, off);
    plain.run(5);
    QVERIFY(same_weights(*plain.model(), *plain.ema_model()));
  }

  void cancel_stopsBetweenStepsAndSaves() {
    TrainOptions o = cpu_options();
    o.checkpoint_path = path("cancel.safetensors");
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    int calls = 0;
    const TrainResult result = trainer.run(100, [&](const TrainStepReport& r) {
      ++calls;
      if (r.step == 5) trainer.cancel();
    });
    QCOMPARE(result.status, TrainStatus::Cancelled);
    QCOMPARE(result.step, std::int64_t{5});
    QCOMPARE(calls, 5);
    QCOMPARE(read_checkpoint_metadata(o.checkpoint_path).step, std::int64_t{5});
    // The request is consumed: the next run goes on.
    QCOMPARE(trainer.run(3).status, TrainStatus::Finished);
    QCOMPARE(trainer.step(), std::int64_t{8});
    // A cancel that arrives before run() still stops it, before any step.
    trainer.cancel();
    QCOMPARE(trainer.run(3).status, TrainStatus::Cancelled);
    QCOMPARE(trainer.step(), std::int64_t{8});
  }

  void pauseThenResume_continuesWithoutSpinning() {
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, cpu_options());
    std::atomic<std::int64_t> seen{0};
    TrainResult result;
    std::thread worker([&] {
      result = trainer.run(20, [&](const TrainStepReport& r) {
        seen = r.step;
        if (r.step == 3) trainer.set_paused(true);
      });
    });
    QVERIFY(wait_for([&] { return seen.load() == 3; }));
    const std::clock_t cpu_before = std::clock();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double cpu_seconds = double(std::clock() - cpu_before) / CLOCKS_PER_SEC;
    QCOMPARE(seen.load(), std::int64_t{3});  // no step while paused
    QVERIFY(trainer.paused());
    // Waiting on a condition variable costs no CPU; a spinning loop would burn ≈ 0.5 s.
    QVERIFY2(cpu_seconds < 0.15, std::to_string(cpu_seconds).c_str());
    trainer.set_paused(false);
    worker.join();
    QCOMPARE(result.status, TrainStatus::Finished);
    QCOMPARE(seen.load(), std::int64_t{20});
  }

  void cancelWhilePaused_wakesAndStops() {
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, cpu_options());
    std::atomic<std::int64_t> seen{0};
    std::atomic<bool> done{false};
    TrainResult result;
    std::thread worker([&] {
      result = trainer.run(50, [&](const TrainStepReport& r) {
        seen = r.step;
        if (r.step == 2) trainer.set_paused(true);
      });
      done = true;
    });
    QVERIFY(wait_for([&] { return seen.load() == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    trainer.cancel();
    const bool stopped = wait_for([&] { return done.load(); }, 2.0);
    worker.join();
    QVERIFY(stopped);
    QCOMPARE(result.status, TrainStatus::Cancelled);
    QCOMPARE(result.step, std::int64_t{2});
    // The cancelled run's pause does not carry over into the next run.
    QVERIFY(!trainer.paused());
    QCOMPARE(trainer.run(2).status, TrainStatus::Finished);
    QCOMPARE(trainer.step(), std::int64_t{4});
  }

  void autosave_everyNSteps() {
    TrainOptions o = cpu_options();
    o.checkpoint_path = path("auto.safetensors");
    o.autosave_every = 4;
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    std::vector<std::int64_t> saved_step;  // the file's step as each callback sees it
    trainer.run(10, [&](const TrainStepReport&) {
      saved_step.push_back(QFileInfo::exists(QString::fromStdString(o.checkpoint_path))
                               ? read_checkpoint_metadata(o.checkpoint_path).step
                               : -1);
    });
    QCOMPARE(saved_step, (std::vector<std::int64_t>{-1, -1, -1, 4, 4, 4, 4, 8, 8, 8}));
    QCOMPARE(read_checkpoint_metadata(o.checkpoint_path).step, std::int64_t{10});  // final save
    QCOMPARE(QDir(dir_.path()).entryList({"auto.safetensors.tmp*"}, QDir::Files).size(), 0);
  }

  // The saved range (where samplers clip x̂0) holds every training point with a tenth of
  // the width to spare on each side, and reads back from the file.
  void pointsCheckpoint_recordsTheDataRange() {
    TrainOptions o = cpu_options();
    o.checkpoint_path = path("range.safetensors");
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    trainer.run(2);
    const CheckpointData back = load_checkpoint(o.checkpoint_path);
    const auto x = trainer.dataset().x.to(torch::kFloat64);
    for (std::int64_t i = 0; i < 2; ++i) {
      const double lo = x.select(1, i).min().item<double>(), hi = x.select(1, i).max().item<double>();
      QCOMPARE(back.data_range.low[static_cast<std::size_t>(i)], lo - 0.1 * (hi - lo));
      QCOMPARE(back.data_range.high[static_cast<std::size_t>(i)], hi + 0.1 * (hi - lo));
    }
  }

  void nanInData_stopsAndKeepsLastGoodCheckpoint() {
    TrainOptions o = cpu_options();
    o.checkpoint_path = path("good.safetensors");
    o.autosave_every = 5;
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    QCOMPARE(trainer.run(10).status, TrainStatus::Finished);
    const std::string good_bytes = read_bytes(o.checkpoint_path);

    // Continue the run on data that has turned into NaN.
    Dataset poisoned = swissroll();
    poisoned.x = torch::full_like(poisoned.x, std::nanf(""));
    const CheckpointData checkpoint = load_checkpoint(o.checkpoint_path);
    TrainOptions resumed_options = checkpoint.training;
    resumed_options.device = "cpu";
    resumed_options.checkpoint_path = o.checkpoint_path;
    resumed_options.autosave_every = 1;
    Trainer resumed(poisoned, checkpoint, resumed_options);
    const TrainResult result = resumed.run(5);
    QCOMPARE(result.status, TrainStatus::Failed);
    qInfo("%s", result.message.c_str());
    QCOMPARE(result.step, std::int64_t{10});
    const std::string expected = "loss became NaN at step 11; the last good checkpoint '" + o.checkpoint_path +
                                 "' (step 10) is kept";
    QVERIFY2(result.message.find(expected) != std::string::npos, result.message.c_str());
    QCOMPARE(read_bytes(o.checkpoint_path), good_bytes);
    QCOMPARE(load_checkpoint(o.checkpoint_path).step, std::int64_t{10});
    QVERIFY(load_denoiser(load_checkpoint(o.checkpoint_path)) != nullptr);
    // A failed trainer refuses to go on with poisoned weights.
    QCOMPARE(resumed.run(1).status, TrainStatus::Failed);
  }

  void hugeLearningRate_stopsWithClearError() {
    TrainOptions o = cpu_options();
    o.learning_rate = 1e30;
    o.warmup_steps = 0;
    o.checkpoint_path = path("never.safetensors");
    o.autosave_every = 1000;
    Trainer trainer(swissroll(), mlp(), ScheduleSpec{}, o);
    const TrainResult result = trainer.run(50);
    QCOMPARE(result.status, TrainStatus::Failed);
    qInfo("%s", result.message.c_str());
    QVERIFY2(result.message.find("loss became") != std::string::npos, result.message.c_str());
    QVERIFY2(result.message.find("no checkpoint had been saved yet") != std::string::npos, result.message.c_str());
    QVERIFY(result.step < 50);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(o.checkpoint_path)));  // bad weights never written
  }

  void badSetup_reportsError() {
    TrainOptions o = cpu_options();
    o.learning_rate = -1;
    QVERIFY_THROWS_EXCEPTION(Error, Trainer(swissroll(), mlp(), ScheduleSpec{}, o));
    o = cpu_options();
    o.autosave_every = 10;  // without a path
    QVERIFY_THROWS_EXCEPTION(Error, Trainer(swissroll(), mlp(), ScheduleSpec{}, o));
    o = cpu_options();
    o.device = "tpu";
    QVERIFY_THROWS_EXCEPTION(Error, Trainer(swissroll(), mlp(), ScheduleSpec{}, o));
    // Samples of shape {3} do not fit an MLP for {2}.
    Dataset wide = swissroll();
    wide.x = torch::zeros({10, 3});
    QVERIFY_THROWS_EXCEPTION(Error, Trainer(wide, mlp(), ScheduleSpec{}, cpu_options()));
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"

// Data-parallel `ddpm train` (docs/cli.md, "Training on several processes"): processes
// launched the way torchrun launches them (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT), meeting on the loopback through c10d's TCPStore and averaging gradients
// with Gloo. Two ranks of batch B against one process drawing both ranks' shards
// (batch 2B) over the same examples and noise; a resume on the same world size that is
// bit-exact; a killed rank, and an interrupted one; a 2-rank checkpoint continued by one
// process; bad launch variables. Every wait is bounded.
#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/distributed/flat_tensors.h"
#include "core/distributed/launch_environment.h"
#include "core/distributed/process_group.h"
#include "core/jobs/training_job.h"
#include "core/runtime/device.h"
#include "core/training/trainer.h"

#include "core_test_support.h"

#include <QtTest>

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <csignal>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ddpm;

namespace {

// A TCP port nobody listens on now (the kernel's pick for port 0).
quint16 free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// 2D points on a noisy circle, written as a CSV, so every process and this test load the same data.
QString write_points(const QString& folder) {
  const QString path = folder + "/points.csv";
  QFile file(path);
  file.open(QIODevice::WriteOnly);
  QTextStream out(&file);
  for (int i = 0; i < 256; ++i) {
    const double angle = 0.1 * i, radius = 1.0 + 0.05 * ((i * 37) % 11 - 5);
    out << radius * std::cos(angle) << ',' << radius * std::sin(angle) << '\n';
  }
  return path;
}

// One rank of a run: `ddpm ARGS` with the launch variables torchrun would set.
std::unique_ptr<QProcess> start_rank(int rank, int world, quint16 port, const QStringList& arguments) {
  auto process = std::make_unique<QProcess>();
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("RANK", QString::number(rank));
  env.insert("LOCAL_RANK", QString::number(rank));
  env.insert("WORLD_SIZE", QString::number(world));
  env.insert("LOCAL_WORLD_SIZE", QString::number(world));
  env.insert("MASTER_ADDR", "127.0.0.1");
  env.insert("MASTER_PORT", QString::number(port));
  process->setProcessEnvironment(env);
  process->start(QStringLiteral(DDPM_CLI_PATH), arguments);
  return process;
}

struct Finished {
  int exit_code = -1;  // -1: crashed or did not finish in time
  QString err;
};

Finished finish(QProcess& process, int timeout_ms = 120000) {
  if (!process.waitForFinished(timeout_ms)) {
    process.kill();
    process.waitForFinished();
    return {-1, QString::fromUtf8(process.readAllStandardError())};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardError())};
}

// Runs `world` ranks of `ddpm ARGS` to the end; their exit codes and stderr, by rank.
std::vector<Finished> run_ranks(int world, const QStringList& arguments) {
  const quint16 port = free_port();
  std::vector<std::unique_ptr<QProcess>> ranks;
  for (int r = 0; r < world; ++r) ranks.push_back(start_rank(r, world, port, arguments));
  std::vector<Finished> results;
  for (auto& p : ranks) results.push_back(finish(*p));
  return results;
}

QStringList train_arguments(const QString& points, const QString& out, int steps) {
  return {"train", "--data", "csv:" + points, "--model", "mlp", "--steps", QString::number(steps),
          "--batch", "16", "--lr", "2e-3", "--seed", "7", "--out", out, "--group-timeout", "30"};
}

std::int64_t saved_step(const QString& path) {
  try {
    return read_checkpoint_metadata(path.toStdString()).step;
  } catch (const Error&) {
    return -1;
  }
}

// The largest |a − b| over the tensors both maps name.
double max_difference(const NamedTensors& a, const NamedTensors& b) {
  double worst = 0;
  for (const auto& [name, tensor] : a) {
    const auto other = b.find(name);
    if (other == b.end()) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, (tensor.to(torch::kFloat64) - other->second.to(torch::kFloat64)).abs().max().item<double>());
  }
  return worst;
}

// What one process computing `shards` of the checkpoint's run (same data, model, schedule,
// options, seed) holds after `steps` steps.
CheckpointData run_alone(const QString& points, const CheckpointData& like, std::vector<std::int64_t> shards,
                         std::int64_t steps) {
  TrainOptions options = like.training;
  options.checkpoint_path.clear();
  options.autosave_every = 0;
  Trainer trainer(load_dataset("csv:" + points.toStdString()), like.model, like.schedule, options);
  trainer.set_data_parallel({like.training.world_size, std::move(shards), nullptr});
  const TrainResult result = trainer.run(steps);
  if (result.status != TrainStatus::Finished) throw Error(result.message);
  return trainer.checkpoint_data();
}

}  // namespace

class TestDataParallel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (const std::string reason = distributed_unavailable_reason(); !reason.empty()) QSKIP(reason.c_str());
    QVERIFY(dir_.isValid());
    points_ = write_points(dir_.path());
  }

  void launchVariablesAreReadOrRefused() {
    using Variables = std::map<std::string, std::string>;
    const auto read = [](const Variables& vars) {
      return launch_environment([&](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
      });
    };
    QVERIFY(!read({}).has_value());
    const auto env = read({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                           {"MASTER_ADDR", "node0"}, {"MASTER_PORT", "29500"}});
    QVERIFY(env.has_value());
    QCOMPARE(env->rank, 1);
    QCOMPARE(env->world_size, 4);
    QCOMPARE(env->local_rank, 1);
    QCOMPARE(env->local_world_size, 2);
    QCOMPARE(env->master_addr, std::string("node0"));
    QCOMPARE(env->master_port, std::uint16_t{29500});
    QVERIFY(!env->launcher_serves_store);
    const auto no_local = read({{"RANK", "0"}, {"WORLD_SIZE", "3"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"},
                                {"TORCHELASTIC_USE_AGENT_STORE", "True"}});
    QCOMPARE(no_local->local_rank, 0);
    QCOMPARE(no_local->local_world_size, 3);
    QVERIFY(no_local->launcher_serves_store);

    const Variables base = {{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "29500"}};
    const std::pair<Variables, std::string> bad[] = {
        {{{"RANK", "0"}}, "WORLD_SIZE, MASTER_ADDR, MASTER_PORT are not set"},
        {{{"RANK", "2"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}, "RANK='2'"},
        {{{"RANK", "x"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}, "RANK='x'"},
        {{{"RANK", "0"}, {"WORLD_SIZE", "0"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}, "WORLD_SIZE='0'"},
        {{{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "70000"}}, "MASTER_PORT='70000'"},
        {{{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}, {"LOCAL_RANK", "2"}},
         "LOCAL_RANK='2'"},
    };
    for (const auto& [vars, expected] : bad) {
      try {
        read(vars);
        QFAIL(("accepted a launch missing or misstating " + expected).c_str());
      } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
      }
    }
    QVERIFY(read(base).has_value());
  }

  // LOCAL_RANK picks the GPU: "cuda:N" is a device choice; on the CPU a rank stays there.
  void rankDevices() {
    QVERIFY(is_device_choice("cuda:0") && is_device_choice("cuda:12") && is_device_choice("auto"));
    QVERIFY(!is_device_choice("cuda:") && !is_device_choice("cuda:x") && !is_device_choice("cuda:-1") &&
            !is_device_choice("gpu"));
    LaunchEnvironment env;
    env.local_rank = 1;
    QCOMPARE(device_for_rank("cpu", env), std::string("cpu"));
    if (torch::cuda::is_available()) {
      QCOMPARE(device_for_rank("auto", env), std::string("cuda:1"));
    } else {
      QCOMPARE(device_for_rank("auto", env), std::string("cpu"));
      QVERIFY_THROWS_EXCEPTION(Error, resolve_device("cuda:0"));
    }
  }

  void flatBuffersRoundTrip() {
    const std::vector<torch::Tensor> tensors = {torch::arange(6, torch::kFloat32).reshape({2, 3}),
                                                torch::full({4}, -1.5), torch::zeros({1, 1, 2})};
    const auto flat = flatten_tensors(tensors);
    QCOMPARE(flat.numel(), 12);
    QCOMPARE(flat[5].item<float>(), 5.0F);
    QCOMPARE(flat[6].item<float>(), -1.5F);
    std::vector<torch::Tensor> into = {torch::empty({2, 3}), torch::empty({4}), torch::empty({1, 1, 2})};
    unflatten_into(flat, into);
    for (std::size_t i = 0; i < tensors.size(); ++i) QVERIFY(torch::equal(into[i], tensors[i]));
    QVERIFY_THROWS_EXCEPTION(Error, unflatten_into(flat.narrow(0, 0, 11), into));
  }

  // 2 ranks × batch 16 and one process drawing both shards (batch 32) see the same
  // examples, t and ε, so the averaged, globally clipped gradients and the weights agree
  // to float32 rounding; one shard alone (batch 16) is far off, so the check can fail.
  void twoRanksMatchOneProcessDrawingBothShards() {
    const QString out = dir_.filePath("dp2.safetensors");
    const auto ranks = run_ranks(2, train_arguments(points_, out, 12));
    QVERIFY2(ranks[0].exit_code == 0, qPrintable(ranks[0].err));
    QVERIFY2(ranks[1].exit_code == 0, qPrintable(ranks[1].err));
    QVERIFY2(ranks[0].err.contains("global batch 32"), qPrintable(ranks[0].err));
    QVERIFY2(ranks[1].err.trimmed().isEmpty(), qPrintable(ranks[1].err));  // rank 1 reports nothing

    const CheckpointData saved = load_checkpoint(out.toStdString());
    QCOMPARE(saved.step, std::int64_t{12});
    QCOMPARE(saved.training.world_size, std::int64_t{2});
    QCOMPARE(saved.training.batch_size, std::int64_t{16});

    const CheckpointData both = run_alone(points_, saved, {0, 1}, 12);
    const double online = max_difference(saved.resume.online_weights, both.resume.online_weights);
    const double ema = max_difference(saved.weights, both.weights);
    const CheckpointData half = run_alone(points_, saved, {0}, 12);
    const double one_shard = max_difference(saved.resume.online_weights, half.resume.online_weights);
    qInfo("max |Δθ|: both shards %.3g (EMA %.3g), rank 0's shard alone %.3g", online, ema, one_shard);
    QVERIFY2(online < 2e-5 && ema < 2e-5, "the 2-rank run and the 1-process run over both shards differ");
    QVERIFY2(one_shard > 100 * 2e-5, "one shard alone gives the same weights: the comparison cannot fail");
  }

  // 6 steps, then --resume to 12, on 2 ranks: bit for bit the straight 12-step run (each
  // rank's draws restart from (seed, rank, step), and rank 0's Adam state is everyone's).
  void resumeOnTheSameWorldSizeIsExact() {
    const QString straight = dir_.filePath("straight.safetensors");
    const QString split = dir_.filePath("split.safetensors");
    for (const auto& r : run_ranks(2, train_arguments(points_, straight, 12))) QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    for (const auto& r : run_ranks(2, train_arguments(points_, split, 6))) QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QStringList again = train_arguments(points_, split, 12);
    again << "--resume" << split;
    for (const auto& r : run_ranks(2, again)) QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const CheckpointData a = load_checkpoint(straight.toStdString());
    const CheckpointData b = load_checkpoint(split.toStdString());
    QCOMPARE(b.step, std::int64_t{12});
    QCOMPARE(max_difference(a.weights, b.weights), 0.0);
    QCOMPARE(max_difference(a.resume.online_weights, b.resume.online_weights), 0.0);
  }

  // A 2-rank checkpoint continued by one process: it trains on (global batch 16 now),
  // says so, and records world size 1.
  void twoRankCheckpointResumesOnOneProcess() {
    const QString out = dir_.filePath("to_one.safetensors");
    for (const auto& r : run_ranks(2, train_arguments(points_, out, 6))) QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QProcess alone;
    alone.start(QStringLiteral(DDPM_CLI_PATH), {"train", "--resume", out, "--steps", "10", "--out", out});
    const Finished result = finish(alone);
    QVERIFY2(result.exit_code == 0, qPrintable(result.err));
    QVERIFY2(result.err.contains("trained on 2 process(es)"), qPrintable(result.err));
    const CheckpointData saved = load_checkpoint(out.toStdString());
    QCOMPARE(saved.step, std::int64_t{10});
    QCOMPARE(saved.training.world_size, std::int64_t{1});
  }

  // SIGKILL one rank mid-run: the other stops within the bounded time with one clear
  // error, exit 1, and the checkpoint is intact: readable, resumable, and when rank 0
  // survives, at the last complete step it names.
  void killedRankStopsTheOtherWithTheCheckpointIntact_data() {
    QTest::addColumn<int>("victim");
    QTest::newRow("rank 1 killed") << 1;
    QTest::newRow("rank 0 killed") << 0;
  }
  void killedRankStopsTheOtherWithTheCheckpointIntact() {
    QFETCH(int, victim);
    const QString out = dir_.filePath(QString("killed%1.safetensors").arg(victim));
    QStringList arguments = train_arguments(points_, out, 1000000);
    arguments << "--autosave-every" << "50";
    arguments.replace(arguments.indexOf("30"), "10");  // --group-timeout 10
    const quint16 port = free_port();
    std::unique_ptr<QProcess> ranks[] = {start_rank(0, 2, port, arguments), start_rank(1, 2, port, arguments)};
    QElapsedTimer clock;
    clock.start();
    while (saved_step(out) < 50 && clock.elapsed() < 60000 && ranks[0]->state() != QProcess::NotRunning)
      QThread::msleep(10);
    QVERIFY2(saved_step(out) >= 50, "no autosave appeared");
    ::kill(static_cast<pid_t>(ranks[victim]->processId()), SIGKILL);
    clock.restart();
    const Finished survivor = finish(*ranks[1 - victim], 60000);
    ranks[victim]->waitForFinished();
    qInfo("the survivor stopped %lld ms after the kill", static_cast<long long>(clock.elapsed()));
    QCOMPARE(survivor.exit_code, 1);
    QVERIFY2(survivor.err.contains("another process of the run stopped"), qPrintable(survivor.err));
    QVERIFY(QFileInfo(out).dir().entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden).isEmpty());
    const CheckpointData saved = load_checkpoint(out.toStdString());
    QVERIFY(saved.resumable);
    if (victim == 1) QVERIFY2(survivor.err.contains(QString("step %1 is saved").arg(saved.step)), qPrintable(survivor.err));
  }

  // Ctrl-C reaches one rank (as a signal can): all ranks stop after the same step, rank 0
  // saves it, and both exit as interrupted (130).
  void interruptedRankStopsEveryRank() {
    const QString out = dir_.filePath("stopped.safetensors");
    const quint16 port = free_port();
    const QStringList arguments = train_arguments(points_, out, 1000000) << "--autosave-every" << "100000";
    auto rank0 = start_rank(0, 2, port, arguments);
    auto rank1 = start_rank(1, 2, port, arguments);
    rank0->setReadChannel(QProcess::StandardError);
    QVERIFY(rank0->waitForReadyRead(60000));  // rank 0 has joined and speaks: it is training
    QThread::msleep(1500);
    ::kill(static_cast<pid_t>(rank1->processId()), SIGINT);
    const Finished first = finish(*rank0, 60000);
    const Finished second = finish(*rank1, 60000);
    QVERIFY2(first.exit_code == 130, qPrintable(first.err));
    QVERIFY2(second.exit_code == 130, qPrintable(second.err));
    const std::int64_t step = saved_step(out);
    QVERIFY(step > 0);
    QVERIFY2(first.err.contains(QString("stopped at step %1; saved").arg(step)), qPrintable(first.err));
  }

  // A loss that blows up reaches every rank through the all-reduce: all of them stop at the
  // same step with exit 1, nothing non-finite is saved.
  void aNonFiniteLossStopsEveryRank() {
    const QString out = dir_.filePath("nan.safetensors");
    QStringList arguments = train_arguments(points_, out, 200);
    arguments.replace(arguments.indexOf("2e-3"), "1e30");
    arguments << "--grad-clip" << "0";
    const auto ranks = run_ranks(2, arguments);
    for (const auto& r : ranks) {
      QVERIFY2(r.exit_code == 1, qPrintable(r.err));
      QVERIFY2(r.err.contains(QRegularExpression("loss became (NaN|infinite) at step \\d+")), qPrintable(r.err));
    }
    const auto step_of = [](const QString& err) {
      return QRegularExpression("at step (\\d+)").match(err).captured(1);
    };
    QCOMPARE(step_of(ranks[0].err), step_of(ranks[1].err));
    QVERIFY2(ranks[1].err.contains("rank 0 keeps the run's last good checkpoint"), qPrintable(ranks[1].err));
    if (QFile::exists(out)) {
      const CheckpointData saved = load_checkpoint(out.toStdString());
      for (const auto& [name, tensor] : saved.weights) QVERIFY2(torch::isfinite(tensor).all().item<bool>(), name.c_str());
    }
  }

  // A rank whose partners never come gives up after --group-timeout with a clear message.
  void aLonelyRankGivesUpAfterTheTimeout() {
    QStringList arguments = train_arguments(points_, dir_.filePath("lonely.safetensors"), 5);
    arguments.replace(arguments.indexOf("30"), "2");
    auto rank1 = start_rank(1, 2, free_port(), arguments);
    const Finished result = finish(*rank1, 60000);
    QVERIFY2(result.exit_code == 1, qPrintable(result.err));
    QVERIFY2(result.err.contains("could not meet the other 1 process(es) at 127.0.0.1:"), qPrintable(result.err));
  }

  void badLaunchIsAUsageError() {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RANK", "0");
    env.insert("WORLD_SIZE", "2");
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(DDPM_CLI_PATH), train_arguments(points_, dir_.filePath("bad.safetensors"), 5));
    const Finished result = finish(process);
    QCOMPARE(result.exit_code, 2);
    QVERIFY2(result.err.contains("MASTER_ADDR, MASTER_PORT are not set"), qPrintable(result.err));
    QVERIFY(!QFile::exists(dir_.filePath("bad.safetensors")));
  }

 private:
  QTemporaryDir dir_;
  QString points_;
};

QTEST_GUILESS_MAIN(TestDataParallel)
#include "test_data_parallel.moc"

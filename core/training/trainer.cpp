#include "core/training/trainer.h"

#include "core/training/objective_loss.h"

#include "core/runtime/cuda_speed.h"
#include "core/runtime/precision.h"
#include "core/runtime/device.h"
#include "core/runtime/random.h"
#include "core/distributed/flat_tensors.h"
#include "core/training/adam_state.h"
#include "core/training/gradient_clipping.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace ddpm {
namespace {

// Thrown by train_step when L_simple is not finite: the weights can no longer be trusted.
class NonFiniteLoss : public Error {
 public:
  using Error::Error;
};

// A trainer starts as a whole run on its own; set_data_parallel makes it part of a larger one.
TrainOptions checked(TrainOptions options) {
  options.world_size = 1;
  options.validate();
  return options;
}

}  // namespace

Trainer::Trainer(Dataset data, const ModelConfig& model, const ScheduleSpec& schedule, TrainOptions options)
    : options_(checked(std::move(options))),
      device_(resolve_device(options_.device)),
      data_(std::move(data)),
      diffusion_(NoiseSchedule(schedule), device_),
      generator_(make_generator(training_stream_seed(options_.seed, 0))) {
  validate_model_config(model);
  torch::manual_seed(options_.seed);  // the initial weights come from torch's global generator
  model_ = make_denoiser(model);
  ema_model_ = make_denoiser(model);
  check_data_fits();
  data_x_ = data_.x.to(device_, torch::kFloat32).contiguous();
  if (model_->config().conditional()) data_labels_ = data_.labels.to(device_, torch::kLong).contiguous();
  model_->to(device_);
  ema_model_->to(device_);
  model_->train();
  ema_model_->eval();
  ema_ = std::make_unique<Ema>(model_, ema_model_, options_.ema_decay);
  ema_->copy_online();
  build_optimizer();
}

Trainer::Trainer(Dataset data, const CheckpointData& checkpoint, TrainOptions options)
    : options_(checked(std::move(options))),
      device_(resolve_device(options_.device)),
      data_(std::move(data)),
      diffusion_(NoiseSchedule(checkpoint.schedule), device_),
      generator_(make_generator(training_stream_seed(options_.seed, checkpoint.step))) {
  const std::string source = checkpoint.source.empty() ? "the checkpoint" : checkpoint.source;
  model_ = make_denoiser(checkpoint.model);
  ema_model_ = make_denoiser(checkpoint.model);
  check_data_fits();
  data_x_ = data_.x.to(device_, torch::kFloat32).contiguous();
  if (model_->config().conditional()) data_labels_ = data_.labels.to(device_, torch::kLong).contiguous();
  const ResumeState& resume = checkpoint.resume;
  load_weights(*ema_model_, resume.ema_weights.empty() ? checkpoint.weights : resume.ema_weights, source);
  load_weights(*model_, resume.empty() ? checkpoint.weights : resume.online_weights, source);
  model_->to(device_);
  ema_model_->to(device_);
  model_->train();
  ema_model_->eval();
  ema_ = std::make_unique<Ema>(model_, ema_model_, options_.ema_decay);
  build_optimizer();
  step_ = checkpoint.step;
  if (!resume.empty()) {
    restore_adam_state(resume);
    try {
      std::lock_guard<std::mutex> lock(generator_.mutex());
      generator_.set_state(resume.rng_state);
    } catch (const c10::Error&) {
      throw Error("'" + source + "' has a generator state this build of LibTorch cannot use");
    }
  }
  if (!checkpoint.source.empty()) {
    last_saved_path_ = checkpoint.source;
    last_saved_step_ = checkpoint.step;
  }
}

Trainer::~Trainer() {
  cancel();  // wakes a paused run() if one is somehow still waiting
}

void Trainer::check_data_fits() const {
  if (data_.size() == 0) throw Error("the training data set is empty");
  if (data_.sample_shape() != model_->config().sample_shape) {
    const auto text = [](const std::vector<std::int64_t>& shape) {
      std::string s;
      for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
      return s;
    };
    throw Error("the data '" + data_.spec.text() + "' has samples of shape " + text(data_.sample_shape()) +
                " but the model expects " + text(model_->config().sample_shape));
  }
  const auto classes = model_->config().num_classes;
  if (classes == 0) return;
  require_labels(data_);
  if (data_.classes() != classes)
    throw Error("the data '" + data_.spec.text() + "' has " + std::to_string(data_.classes()) +
                " classes but the model was built for " + std::to_string(classes));
}

void Trainer::build_optimizer() {
  require_precision(device_, options_.precision, PrecisionUse::Training);
  prepare_device(device_);
  optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(),
                                                    torch::optim::AdamOptions(options_.learning_rate));
  if (FusedAdam::available(device_)) fused_adam_ = std::make_unique<FusedAdam>();
}

void Trainer::restore_adam_state(const ResumeState& resume) {
  auto& state = optimizer_->state();
  for (const auto& item : model_->named_parameters(true)) {
    const auto avg = resume.adam_exp_avg.find(item.key());
    const auto avg_sq = resume.adam_exp_avg_sq.find(item.key());
    if (avg == resume.adam_exp_avg.end() || avg_sq == resume.adam_exp_avg_sq.end()) continue;
    auto param_state = std::make_unique<torch::optim::AdamParamState>();
    param_state->step(resume.adam_step);
    param_state->exp_avg(avg->second.to(device_, torch::kFloat32).clone());
    param_state->exp_avg_sq(avg_sq->second.to(device_, torch::kFloat32).clone());
    state[optimizer_state_key<AdamStateMap>(item.value())] = std::move(param_state);
  }
}

void Trainer::export_adam_state(ResumeState& resume) const {
  auto& state = optimizer_->state();
  for (const auto& item : model_->named_parameters(true)) {
    const auto it = state.find(optimizer_state_key<AdamStateMap>(item.value()));
    if (it == state.end()) continue;
    const auto& s = static_cast<const torch::optim::AdamParamState&>(*it->second);
    resume.adam_exp_avg[item.key()] = s.exp_avg().detach().to(torch::kCPU).clone();
    resume.adam_exp_avg_sq[item.key()] = s.exp_avg_sq().detach().to(torch::kCPU).clone();
    resume.adam_step = s.step();
  }
}

double Trainer::learning_rate_at(std::int64_t step) const {
  if (options_.warmup_steps <= 0 || step >= options_.warmup_steps) return options_.learning_rate;
  return options_.learning_rate * static_cast<double>(step + 1) / static_cast<double>(options_.warmup_steps);
}

void Trainer::set_paused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(pause_mutex_);
    paused_ = paused;
  }
  pause_changed_.notify_all();
}

void Trainer::cancel() {
  {
    std::lock_guard<std::mutex> lock(pause_mutex_);
    cancel_requested_ = true;
  }
  pause_changed_.notify_all();
}

bool Trainer::wait_while_paused() {
  std::unique_lock<std::mutex> lock(pause_mutex_);
  pause_changed_.wait(lock, [this] { return !paused_.load() || cancel_requested_.load(); });
  return !cancel_requested_.load();
}

BatchSource Trainer::batch_source() const {
  BatchSource source;
  source.data_size = data_.size();
  source.timesteps = diffusion_.steps();
  source.sample_shape = data_.sample_shape();
  source.device = device_;
  source.labels = data_labels_;  // undefined for an unconditional model: nothing drawn, the stream stays as it was
  source.label_dropout = options_.label_dropout;
  source.null_label = null_label(model_->config());
  source.model_has_dropout = model_->config().dropout > 0;
  return source;
}

TrainingBatch Trainer::draw_batch() {
  const BatchSource source = batch_source();
  if (plan_.shards.empty()) return draw_training_batch(source, options_.batch_size, generator_);
  std::vector<TrainingBatch> parts;
  for (const std::int64_t shard : plan_.shards) {
    at::Generator stream = make_generator(shard_stream_seed(options_.seed, shard, step_));
    parts.push_back(draw_training_batch(source, options_.batch_size, stream));
  }
  return concatenate(parts);
}

// One all-reduce of [∇θ of every parameter, the loss, the stop requests]: the gradients
// and the loss become their means over the processes (each process's loss is the mean
// over its own batch_size rows, so this is the mean over the global batch), and a stop
// asked for on any process is seen by all. Returns the mean loss.
double Trainer::average_over_processes(const torch::Tensor& loss, double& seconds) {
  std::vector<torch::Tensor> gradients;
  for (const auto& p : model_->parameters())
    if (p.grad().defined()) gradients.push_back(p.grad());
  const auto stop = torch::full({1}, cancel_requested_.load() ? 1.0F : 0.0F, torch::TensorOptions(device_));
  auto flat = torch::cat({flatten_tensors(gradients), loss.detach().reshape({1}).to(torch::kFloat32), stop});
  const auto start = std::chrono::steady_clock::now();
  plan_.group->all_reduce_sum(flat);
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto n = flat.numel() - 2;
  flat.narrow(0, 0, n + 1).div_(static_cast<double>(plan_.world_size));
  unflatten_into(flat.narrow(0, 0, n), gradients);
  const auto tail = flat.narrow(0, n, 2).to(torch::kCPU, torch::kFloat64);
  stop_agreed_ = tail[1].item<double>() > 0;
  return tail[0].item<double>();
}

TrainStepReport Trainer::train_step() {
  const TrainingBatch batch = draw_batch();
  // Dropout draws from torch's global generator: seed it from ours so a resumed run repeats it.
  if (batch.dropout_seed) torch::manual_seed(*batch.dropout_seed);
  const auto x0 = data_x_.index_select(0, batch.index.to(device_));
  const auto t_device = batch.t.to(device_);

  // L_simple = ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖² (eq. 14) for the ε objective, or what
  // the run's objective and loss say (training_loss), averaged over dimensions.
  const auto x_t = diffusion_.q_sample(x0, t_device, batch.noise);
  torch::Tensor per_sample;
  {
    AutocastScope autocast(device_, options_.precision);  // bf16 forward pass when asked for
    const auto output = model_->forward(x_t, t_device, batch.labels).to(torch::kFloat32);
    per_sample = training_loss(diffusion_, model_->config().objective, loss_kind_from_string(options_.loss),
                               data_.kind == DataKind::Images, {x0, x_t, t_device, batch.noise, output});
  }
  const auto loss = per_sample.mean();
  const auto throw_if_not_finite = [this](double value) {
    if (std::isfinite(value)) return;
    throw NonFiniteLoss("loss became " + std::string(std::isnan(value) ? "NaN" : "infinite") + " at step " +
                        std::to_string(step_ + 1) + "; " + last_good_text() + " (try a lower learning rate)");
  };
  // Alone, a bad loss stops before the backward pass; in a group every process must reach
  // the all-reduce, which then tells all of them.
  double loss_value = plan_.group ? 0.0 : loss.item<double>();
  throw_if_not_finite(loss_value);

  const double lr = learning_rate_at(step_);
  for (auto& group : optimizer_->param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  optimizer_->zero_grad();
  loss.backward();
  double all_reduce_seconds = 0;
  if (plan_.group) {
    loss_value = average_over_processes(loss, all_reduce_seconds);
    throw_if_not_finite(loss_value);
  }
  if (options_.grad_clip > 0) clip_gradient_norm(model_->parameters(), options_.grad_clip);
  if (fused_adam_)
    fused_adam_->step(*optimizer_);
  else
    optimizer_->step();
  if (writes_checkpoints()) ema_->update(step_);
  ++step_;

  TrainStepReport report;
  report.step = step_;
  report.loss = loss_value;
  report.learning_rate = lr;
  report.all_reduce_seconds = all_reduce_seconds;
  const auto rows = batch.t.size(0);
  report.t = std::vector<std::int64_t>(batch.t.data_ptr<std::int64_t>(), batch.t.data_ptr<std::int64_t>() + rows);
  const auto losses = per_sample.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  report.per_sample_loss = std::vector<double>(losses.data_ptr<double>(), losses.data_ptr<double>() + rows);
  return report;
}

void Trainer::set_data_parallel(DataParallelPlan plan) {
  if (plan.world_size < 1 || plan.shards.empty())
    throw Error("a data-parallel plan needs a world size and at least one shard for this process");
  for (const std::int64_t shard : plan.shards)
    if (shard < 0 || shard >= plan.world_size)
      throw Error("shard " + std::to_string(shard) + " is outside the run's " + std::to_string(plan.world_size));
  if (plan.group && (plan.group->world_size() != plan.world_size || plan.shards.size() != 1 ||
                     plan.shards.front() != plan.group->rank()))
    throw Error("in a process group each process computes its own rank's shard");
  plan_ = std::move(plan);
  options_.world_size = plan_.world_size;
  if (!plan_.group) return;
  // Rank 0's weights, online and EMA, everywhere (a resumed run's are equal already; a
  // new run's are too when every rank has the same seed, but nothing should depend on it).
  std::vector<torch::Tensor> state;
  for (const auto& module : {model_, ema_model_}) {
    for (const auto& p : module->parameters()) state.push_back(p);
    for (const auto& b : module->buffers()) state.push_back(b);
  }
  auto flat = flatten_tensors(state);
  plan_.group->broadcast(flat, 0);
  unflatten_into(flat, state);
}

bool Trainer::writes_checkpoints() const { return !plan_.group || plan_.group->rank() == 0; }

bool Trainer::weights_finite() const {
  for (const auto& module : {model_, ema_model_})
    for (const auto& p : module->parameters())
      if (!torch::isfinite(p).all().item<bool>()) return false;
  return true;
}

std::string Trainer::last_good_text() const {
  if (!writes_checkpoints()) return "rank 0 keeps the run's last good checkpoint";
  if (last_saved_path_.empty()) return "no checkpoint had been saved yet";
  return "the last good checkpoint '" + last_saved_path_ + "' (step " + std::to_string(last_saved_step_) +
         ") is kept";
}

bool Trainer::run_checkpoint_current() const {
  return last_saved_path_ == options_.checkpoint_path && last_saved_step_ == step_;
}

void Trainer::save_to_run_checkpoint() {
  if (!weights_finite())
    throw Error("the weights became NaN or infinite at step " + std::to_string(step_) + "; " + last_good_text() +
                " (try a lower learning rate)");
  save(options_.checkpoint_path);
  last_saved_path_ = options_.checkpoint_path;
  last_saved_step_ = step_;
}

TrainResult Trainer::run(std::int64_t steps, const StepCallback& on_step) {
  if (broken_) return {TrainStatus::Failed, broken_message_, step_};
  const std::int64_t target = step_ + std::max<std::int64_t>(steps, 0);
  const bool saving = !options_.checkpoint_path.empty() && writes_checkpoints();
  const auto cancelled = [&] {
    cancel_requested_ = false;
    stop_agreed_ = false;
    paused_ = false;  // the run is over; the next one starts unpaused
    if (saving && !run_checkpoint_current()) save_to_run_checkpoint();
    return TrainResult{TrainStatus::Cancelled, "training cancelled at step " + std::to_string(step_), step_};
  };
  try {
    while (step_ < target) {
      // A group agrees on stopping inside the step (average_over_processes) instead.
      if (!plan_.group && !wait_while_paused()) return cancelled();
      const auto start = std::chrono::steady_clock::now();
      TrainStepReport report;
      try {
        report = train_step();
      } catch (const NonFiniteLoss& e) {
        broken_ = true;
        broken_message_ = e.what();
        return {TrainStatus::Failed, broken_message_, step_};
      }
      report.steps_per_second =
          recent_steps_per_second(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());

      if (saving && options_.autosave_every > 0 && step_ % options_.autosave_every == 0) save_to_run_checkpoint();
      if (on_step) on_step(report);
      if (stop_agreed_) return cancelled();
    }
    if (saving && !run_checkpoint_current()) save_to_run_checkpoint();
  } catch (const PeerFailure& e) {
    return {TrainStatus::Failed, keep_after_peer_failure(e.what(), saving), step_};
  } catch (const std::exception& e) {
    if (!weights_finite()) {
      broken_ = true;
      broken_message_ = e.what();
    }
    return {TrainStatus::Failed, e.what(), step_};
  }
  return {TrainStatus::Finished, "trained " + std::to_string(step_) + " steps", step_};
}

double Trainer::recent_steps_per_second(double step_seconds) {
  recent_step_seconds_.push_back(step_seconds);
  if (recent_step_seconds_.size() > 20) recent_step_seconds_.pop_front();
  double total = 0;
  for (double s : recent_step_seconds_) total += s;
  return total > 0 ? static_cast<double>(recent_step_seconds_.size()) / total : 0;
}

std::string Trainer::keep_after_peer_failure(std::string message, bool saving) {
  // The failed all-reduce came before the optimiser step: the weights are the last
  // complete step's, the same on every process, so rank 0 keeps them.
  if (!saving) return message;
  try {
    if (!run_checkpoint_current()) save_to_run_checkpoint();
  } catch (const std::exception& save_error) {
    return message + "; " + save_error.what();
  }
  return message + "; step " + std::to_string(step_) + " is saved in '" + options_.checkpoint_path + "'";
}

CheckpointData Trainer::checkpoint_data() const {
  CheckpointData d;
  d.model = model_->config();
  d.schedule = diffusion_.schedule().spec();
  d.data_spec = data_.spec.text();
  d.normalisation = data_.normalisation;
  if (data_.kind == DataKind::Points2D) d.data_range = DataRange::of_points(data_.x, kPointRangeMargin);
  d.sample_shape = data_.sample_shape();
  if (model_->config().conditional()) d.class_names = data_.class_names;
  d.step = step_;
  d.training = options_;
  d.weights = named_weights(*ema_model_);
  if (options_.save_resume_state) {
    d.resume.online_weights = named_weights(*model_);
    export_adam_state(d.resume);
    std::lock_guard<std::mutex> lock(generator_.mutex());
    d.resume.rng_state = generator_.get_state().clone();
  }
  return d;
}

void Trainer::save(const std::string& path, WeightPrecision precision) const {
  save_checkpoint(path, checkpoint_data(), precision);
}

}  // namespace ddpm

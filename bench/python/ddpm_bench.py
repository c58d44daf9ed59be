#!/usr/bin/python3
"""The PyTorch twin of `ddpm bench`: the same networks (layer for layer, the same
parameter counts), the same training step (L_simple, Adam, gradient clipping, EMA) and
the same reverse step, timed the same way, printed as the same JSON lines.

Run it with Debian's python3-torch (the same 1.13 build as the LibTorch the app links):
    /usr/bin/python3 bench/python/ddpm_bench.py [--case mlp] [--threads 1,2] [--seconds 3]

Everything mirrors core/ (models/*.cpp, training/trainer.cpp, sampling/reverse_process.cpp,
diffusion/gaussian_diffusion.cpp); change both together. FLOPs are counted independently
of the C++ count: forward hooks on every Conv2d/Linear (2 x weight elements x output
pixels) plus the attention matmuls from their actual shapes; --profile also prints
torch.profiler's with_flops total for one forward pass.
"""
import argparse
import contextlib
import ctypes
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- models (core/models)


def ddpm_init(layer, scale=1.0):
    """layer_init.cpp: Xavier-uniform with gain sqrt(scale) (scale 0 means 1e-10), zero bias."""
    effective = 1e-10 if scale == 0.0 else scale
    nn.init.xavier_uniform_(layer.weight, math.sqrt(effective))
    if layer.bias is not None:
        nn.init.zeros_(layer.bias)
    return layer


def timestep_embedding(t, dim):
    half = dim // 2
    step = math.log(10000.0) / (half - 1)
    frequencies = torch.exp(torch.arange(half, dtype=torch.float32, device=t.device) * -step)
    angles = t.to(torch.float32).unsqueeze(1) * frequencies.unsqueeze(0)
    embedding = torch.cat([torch.sin(angles), torch.cos(angles)], 1)
    if dim % 2 == 1:
        embedding = F.pad(embedding, (0, 1))
    return embedding


class MlpBlock(nn.Module):
    def __init__(self, width, temb_channels):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.linear1 = ddpm_init(nn.Linear(width, width))
        self.temb_proj = ddpm_init(nn.Linear(temb_channels, width))
        self.linear2 = ddpm_init(nn.Linear(width, width), 0.0)

    def forward(self, x, temb):
        h = self.linear1(F.silu(self.norm(x))) + self.temb_proj(F.silu(temb))
        return x + self.linear2(F.silu(h))


class MlpDenoiser(nn.Module):
    def __init__(self, dim=2, hidden=128, blocks=3, temb=128):
        super().__init__()
        self.hidden = hidden
        self.in_proj = ddpm_init(nn.Linear(dim, hidden))
        self.temb_dense0 = ddpm_init(nn.Linear(hidden, temb))
        self.temb_dense1 = ddpm_init(nn.Linear(temb, temb))
        self.blocks = nn.ModuleList([MlpBlock(hidden, temb) for _ in range(blocks)])
        self.norm_out = nn.LayerNorm(hidden)
        self.out_proj = ddpm_init(nn.Linear(hidden, dim), 0.0)

    def forward(self, x_t, t):
        steps = t.to(x_t.device, torch.float32)
        temb = self.temb_dense0(timestep_embedding(steps, self.hidden))
        temb = self.temb_dense1(F.silu(temb))
        h = self.in_proj(x_t)
        for block in self.blocks:
            h = block(h, temb)
        return self.out_proj(F.silu(self.norm_out(h)))


class ResidualBlock(nn.Module):
    def __init__(self, cin, cout, temb, groups, dropout=0.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-6)
        self.conv1 = ddpm_init(nn.Conv2d(cin, cout, 3, padding=1))
        self.temb_proj = ddpm_init(nn.Linear(temb, cout))
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-6)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = ddpm_init(nn.Conv2d(cout, cout, 3, padding=1), 0.0)
        self.shortcut = ddpm_init(nn.Conv2d(cin, cout, 1)) if cin != cout else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.temb_proj(F.silu(temb)).unsqueeze(-1).unsqueeze(-1)
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return (self.shortcut(x) if self.shortcut is not None else x) + h


class AttentionBlock(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, c, eps=1e-6)
        self.q = ddpm_init(nn.Conv2d(c, c, 1))
        self.k = ddpm_init(nn.Conv2d(c, c, 1))
        self.v = ddpm_init(nn.Conv2d(c, c, 1))
        self.proj_out = ddpm_init(nn.Conv2d(c, c, 1), 0.0)
        self.matmul_flops = 0  # per sample, set on every forward (FLOP check)

    def forward(self, x):
        b, c, height, width = x.shape
        h = self.norm(x)
        q = self.q(h).reshape(b, c, height * width).transpose(1, 2)
        k = self.k(h).reshape(b, c, height * width)
        v = self.v(h).reshape(b, c, height * width)
        w = torch.softmax(torch.bmm(q, k) * (1.0 / math.sqrt(c)), -1)
        attended = torch.bmm(v, w.transpose(1, 2)).reshape(b, c, height, width)
        n = height * width
        self.matmul_flops = 2 * (2 * n * n * c)
        return x + self.proj_out(attended)


class Downsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = ddpm_init(nn.Conv2d(c, c, 3, stride=2))

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class Upsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = ddpm_init(nn.Conv2d(c, c, 3, padding=1))

    def forward(self, x):
        return self.conv(F.interpolate(x, size=(2 * x.shape[2], 2 * x.shape[3]), mode="nearest"))


class UNetLevel(nn.Module):
    def __init__(self, block_in, out, temb, groups, dropout, attention, resample):
        super().__init__()
        self.res = nn.ModuleList([ResidualBlock(cin, out, temb, groups, dropout) for cin in block_in])
        self.attn = nn.ModuleList([AttentionBlock(out, groups) for _ in block_in]) if attention else None
        self.downsample = Downsample(out) if resample == "down" else None
        self.upsample = Upsample(out) if resample == "up" else None

    def forward_block(self, j, x, temb):
        h = self.res[j](x, temb)
        return self.attn[j](h) if self.attn is not None else h

    def resample(self, x):
        if self.downsample is not None:
            return self.downsample(x)
        if self.upsample is not None:
            return self.upsample(x)
        return x


class UNetDenoiser(nn.Module):
    def __init__(self, shape=(1, 28, 28), base=32, mult=(1, 2, 2), res_blocks=1, attention_resolutions=(7,),
                 dropout=0.0, groups=8, temb=0):
        super().__init__()
        temb = temb if temb > 0 else 4 * base
        levels = len(mult)
        image_channels, height = shape[0], shape[1]
        self.base = base

        def has_attention(level):
            return (height >> level) in attention_resolutions

        self.temb_dense0 = ddpm_init(nn.Linear(base, temb))
        self.temb_dense1 = ddpm_init(nn.Linear(temb, temb))
        self.conv_in = ddpm_init(nn.Conv2d(image_channels, base, 3, padding=1))
        skip_channels = [base]
        channels = base
        down = []
        for i in range(levels):
            out = base * mult[i]
            block_in = []
            for _ in range(res_blocks):
                block_in.append(channels)
                channels = out
                skip_channels.append(out)
            last = i == levels - 1
            if not last:
                skip_channels.append(out)
            down.append(UNetLevel(block_in, out, temb, groups, dropout, has_attention(i), None if last else "down"))
        self.down = nn.ModuleList(down)
        self.mid_block1 = ResidualBlock(channels, channels, temb, groups, dropout)
        self.mid_attn = AttentionBlock(channels, groups)
        self.mid_block2 = ResidualBlock(channels, channels, temb, groups, dropout)
        up = [None] * levels
        for i in reversed(range(levels)):
            out = base * mult[i]
            block_in = []
            for _ in range(res_blocks + 1):
                block_in.append(channels + skip_channels.pop())
                channels = out
            up[i] = UNetLevel(block_in, out, temb, groups, dropout, has_attention(i), None if i == 0 else "up")
        self.up = nn.ModuleList(up)
        self.norm_out = nn.GroupNorm(groups, channels, eps=1e-6)
        self.conv_out = ddpm_init(nn.Conv2d(channels, image_channels, 3, padding=1), 0.0)

    def forward(self, x_t, t):
        steps = t.to(x_t.device, torch.float32)
        temb = self.temb_dense0(timestep_embedding(steps, self.base))
        temb = self.temb_dense1(F.silu(temb))
        skips = [self.conv_in(x_t)]
        for i, level in enumerate(self.down):
            for j in range(len(level.res)):
                skips.append(level.forward_block(j, skips[-1], temb))
            if i + 1 < len(self.down):
                skips.append(level.resample(skips[-1]))
        h = self.mid_block1(skips[-1], temb)
        h = self.mid_attn(h)
        h = self.mid_block2(h, temb)
        for i in reversed(range(len(self.up))):
            level = self.up[i]
            for j in range(len(level.res)):
                h = level.forward_block(j, torch.cat([h, skips.pop()], 1), temb)
            h = level.resample(h)
        return self.conv_out(F.silu(self.norm_out(h)))


def make_model(name, shape):
    """core/models/model_presets.cpp."""
    if name == "mlp":
        return MlpDenoiser(dim=shape[0], hidden=128, blocks=3, temb=128)
    if name == "unet-tiny":
        return UNetDenoiser(shape, base=32, mult=(1, 2, 2), res_blocks=1, attention_resolutions=(shape[1] // 4,),
                            dropout=0.0, groups=8)
    if name == "unet-paper":
        return UNetDenoiser(shape, base=128, mult=(1, 2, 2, 2), res_blocks=2, attention_resolutions=(16,),
                            dropout=0.1, groups=32)
    raise ValueError("unknown model " + name)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def forward_flops(model, shape):
    """Per-sample forward FLOPs from one real forward pass: 2 x weight elements x output
    pixels for every Conv2d and Linear, plus the attention matmuls' 2·n·n·C each."""
    total = [0]

    def hook(module, inputs, output):
        pixels = output.shape[2] * output.shape[3] if output.dim() == 4 else 1
        total[0] += 2 * module.weight.numel() * pixels

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(torch.randn(1, *shape), torch.zeros(1, dtype=torch.long))
    for h in handles:
        h.remove()
    return total[0] + sum(m.matmul_flops for m in model.modules() if isinstance(m, AttentionBlock))


def profiler_flops(model, shape):
    """torch.profiler's with_flops total for one forward pass of one sample (its own
    formulas: it counts matmuls and convolutions, and elementwise mul/add as numel)."""
    from torch.profiler import profile, ProfilerActivity
    with torch.no_grad(), profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        model(torch.randn(1, *shape), torch.zeros(1, dtype=torch.long))
    by_op = {}
    for event in prof.key_averages():
        if event.flops:
            by_op[event.key] = by_op.get(event.key, 0) + event.flops
    return by_op


# ------------------------------------------------------ diffusion (core/diffusion)

class Diffusion:
    """The linear schedule (T = 1000, β 1e-4..0.02, computed in double, stored as float32)."""

    def __init__(self, steps=1000, beta_start=1e-4, beta_end=0.02):
        beta = torch.linspace(beta_start, beta_end, steps, dtype=torch.float64)
        alpha = 1 - beta
        alpha_bar = torch.cumprod(alpha, 0)
        alpha_bar_prev = torch.cat([torch.ones(1, dtype=torch.float64), alpha_bar[:-1]])
        posterior_variance = beta * (1 - alpha_bar_prev) / (1 - alpha_bar)
        f = lambda v: v.to(torch.float32)  # noqa: E731
        self.steps = steps
        self.beta, self.alpha = f(beta), f(alpha)
        self.sqrt_alpha_bar = f(alpha_bar.sqrt())
        self.sqrt_one_minus_alpha_bar = f((1 - alpha_bar).sqrt())
        self.sqrt_recip_alpha_bar = f(1 / alpha_bar.sqrt())
        self.sqrt_recip_alpha_bar_minus_one = f(((1 - alpha_bar) / alpha_bar).sqrt())
        self.posterior_variance = f(posterior_variance)
        clipped = posterior_variance.clone()
        clipped[0] = posterior_variance[1]
        self.posterior_log_variance_clipped = f(clipped.log())
        self.posterior_mean_coef1 = f(beta * alpha_bar_prev.sqrt() / (1 - alpha_bar))
        self.posterior_mean_coef2 = f((1 - alpha_bar_prev) * alpha.sqrt() / (1 - alpha_bar))
        self.sigma = posterior_variance.sqrt().tolist()  # not used: DDPM default σ_t² = β_t
        self.sigma_beta = beta.sqrt().tolist()
        self.sigma_beta[0] = 0.0

    def to(self, device):
        for name, value in list(vars(self).items()):
            if isinstance(value, torch.Tensor):
                setattr(self, name, value.to(device))
        return self

    @staticmethod
    def extract(coefficient, t, like):
        shape = [like.shape[0]] + [1] * (like.dim() - 1)
        return coefficient.index_select(0, t.to(torch.long)).view(shape)

    def q_sample(self, x0, t, noise):
        return self.extract(self.sqrt_alpha_bar, t, x0) * x0 + self.extract(self.sqrt_one_minus_alpha_bar, t, x0) * noise


# ------------------------------------------------------------- the timed steps

def prepare_device(device):
    """runtime/cuda_speed.cpp prepare_device: TF32 and cuDNN's autotuner on CUDA."""
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True


def autocast(device, precision):
    """runtime/cuda_speed.h AutocastScope: bf16 autocast on CUDA when asked for."""
    if device.type != "cuda" or precision != "bf16":
        return contextlib.nullcontext()
    return torch.autocast("cuda", dtype=torch.bfloat16)


class Trainer:
    """training/trainer.cpp train_step + ema.cpp update."""

    def __init__(self, model_name, shape, batch, seed=0, device=torch.device("cpu"), precision="fp32"):
        torch.manual_seed(seed)
        prepare_device(device)
        self.device, self.precision = device, precision
        self.model = make_model(model_name, shape).to(device)
        self.ema_model = make_model(model_name, shape).to(device)
        self.ema_model.load_state_dict(self.model.state_dict())
        self.model.train()
        self.ema_model.eval()
        self.online = list(self.model.parameters())
        self.shadow = list(self.ema_model.parameters())
        # fused=True on CUDA, as the C++ trainer's FusedAdam (training/fused_adam.h)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=2e-4, fused=device.type == "cuda")
        self.diffusion = Diffusion().to(device)
        self.generator = torch.Generator().manual_seed(seed)
        self.data = torch.randn(4096, *shape).clamp_(-1, 1).to(device)
        self.batch, self.shape, self.step_index = batch, shape, 0

    def step(self):
        g, batch = self.generator, self.batch
        index = torch.randint(self.data.shape[0], (batch,), generator=g)
        t = torch.randint(self.diffusion.steps, (batch,), generator=g)
        noise = torch.randn((batch, *self.shape), generator=g).to(self.device)
        t_device = t.to(self.device)
        x0 = self.data.index_select(0, index.to(self.device))
        x_t = self.diffusion.q_sample(x0, t_device, noise)
        with autocast(self.device, self.precision):
            eps = self.model(x_t, t_device).float()
            per_sample = (noise - eps).pow(2).flatten(1).mean(1)
        loss = per_sample.mean()
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            raise RuntimeError("loss became " + str(loss_value))
        for group in self.optimizer.param_groups:
            group["lr"] = 2e-4
        self.optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.online, 1.0)
        self.optimizer.step()
        with torch.no_grad():
            d = min(0.999, (1.0 + self.step_index) / (10.0 + self.step_index))
            torch._foreach_mul_(self.shadow, d)
            torch._foreach_add_(self.shadow, self.online, alpha=1.0 - d)
        self.step_index += 1
        report_t = t.tolist()  # the trainer's TrainStepReport copies t and the per-sample losses
        report_losses = per_sample.detach().to(torch.float64).tolist()
        return loss_value, report_t, report_losses


class Sampler:
    """sampling/reverse_process.cpp ReverseProcess::step for DDPM, σ_t² = β_t."""

    def __init__(self, model_name, shape, n, mode="inference", seed=0, device=torch.device("cpu"), precision="fp32"):
        torch.manual_seed(0)
        prepare_device(device)
        self.device, self.precision = device, precision
        self.model = make_model(model_name, shape).to(device).eval()
        self.diffusion = Diffusion().to(device)
        self.shape, self.n, self.mode = (n, *shape), n, mode
        self.clip_x0 = len(shape) == 3
        self.seed = seed
        self.restart()

    def restart(self):
        self.generator = torch.Generator().manual_seed(self.seed)
        self.x = self.noise()
        self.t = self.diffusion.steps

    def noise(self):
        """ReverseProcess::draw_noise: drawn on the CPU (pinned on CUDA), copied without waiting."""
        if self.device.type != "cuda":
            return torch.randn(self.shape, generator=self.generator)
        host = torch.empty(self.shape, pin_memory=True).normal_(generator=self.generator)
        return host.to(self.device, non_blocking=True)

    def done(self):
        return self.t == 0

    def step(self):
        if self.t == 0:
            self.restart()
        guard = torch.inference_mode() if self.mode == "inference" else torch.no_grad()
        with guard:
            d, x = self.diffusion, self.x
            t = self.t - 1
            t_batch = torch.full((self.n,), t, dtype=torch.long, device=self.device)
            with autocast(self.device, self.precision):
                eps = self.model(x, t_batch).float()
            x0 = d.extract(d.sqrt_recip_alpha_bar, t_batch, x) * x - d.extract(d.sqrt_recip_alpha_bar_minus_one, t_batch, x) * eps
            if self.clip_x0:
                x0.clamp_(-1.0, 1.0)
                # q_posterior: mean (eq. 7) and the variance columns it also returns
                mean = d.extract(d.posterior_mean_coef1, t_batch, x) * x0 + d.extract(d.posterior_mean_coef2, t_batch, x) * x
                d.extract(d.posterior_variance, t_batch, x).expand_as(x)
                d.extract(d.posterior_log_variance_clipped, t_batch, x).expand_as(x)
            else:
                mean = d.extract(d.alpha, t_batch, x).rsqrt() * (
                    x - d.extract(d.beta, t_batch, x) / d.extract(d.sqrt_one_minus_alpha_bar, t_batch, x) * eps)
            sigma = d.sigma_beta[t]
            if sigma > 0:
                mean.add_(self.noise(), alpha=sigma)
            self.x, self.x0, self.eps = mean, x0, eps
            self.t = t


# ------------------------------------------------------------------ the cases

CASES = [(kind, model, batch) for kind in ("train", "sample")
         for (model, batch) in (("mlp", 256), ("unet-tiny", 64), ("unet-tiny", 128))]
# GPU-sized, as in ddpm bench: run on CUDA only, or when --case names unet-paper.
CASES += [("train", "unet-paper", 128), ("sample", "unet-paper", 256)]


def allocator_name():
    """The malloc this process runs on, as `ddpm bench` reports it (tcmalloc only if preloaded)."""
    return "tcmalloc" if hasattr(ctypes.CDLL(None), "tc_malloc") else "glibc"


def shape_of(model):
    return {"mlp": (2,), "unet-paper": (3, 32, 32)}.get(model, (1, 28, 28))


def case_name(kind, model, batch):
    return "%s/%s-b%d" % (kind, model, batch)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_case(kind, model, batch, warmup, repeat, seconds, mode, device, precision, full_run=False):
    """Per-step times, CPU seconds, the network, and (sampling with full_run) one whole run's seconds."""
    shape = shape_of(model)
    runner = (Trainer(model, shape, batch, device=device, precision=precision) if kind == "train"
              else Sampler(model, shape, batch, mode, device=device, precision=precision))
    for _ in range(warmup):
        runner.step()
    synchronize(device)
    times = []
    cpu_start = time.process_time()
    last = time.perf_counter()
    while len(times) < repeat or sum(times) < seconds:
        runner.step()
        synchronize(device)
        now = time.perf_counter()
        times.append(now - last)
        last = now
    cpu_seconds = time.process_time() - cpu_start
    run_seconds = 0.0
    if full_run and kind == "sample":
        runner.restart()
        synchronize(device)
        start = time.perf_counter()
        while not runner.done():
            runner.step()
        synchronize(device)
        run_seconds = time.perf_counter() - start
    return times, cpu_seconds, runner.model, run_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", default="", help="comma-separated filters on case names (default: all)")
    parser.add_argument("--threads", default="", help="comma-separated torch thread counts (default: 1 for mlp, "
                        "one per core but one for unets, as ddpm bench)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--sampling-mode", choices=("inference", "no_grad"), default="inference",
                        help="torch.inference_mode() (default) or torch.no_grad() around each reverse step")
    parser.add_argument("--profile", action="store_true", help="also print torch.profiler's FLOP count per model")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"), help="bf16: autocast (CUDA only)")
    parser.add_argument("--full-run", action="store_true", help="sampling cases: also time one whole run of T steps")
    parser.add_argument("--peak-tflops", type=float, default=0.0, help="the device's peak rate, for peak_fraction")
    args = parser.parse_args()
    device = torch.device(args.device)
    if args.precision == "bf16" and device.type != "cuda":
        sys.exit("ddpm_bench.py: --precision bf16 needs --device cuda")

    filters = [f for f in args.case.split(",") if f]
    cases = [c for c in CASES if (not filters or any(f in case_name(*c) for f in filters))
             and (c[1] != "unet-paper" or device.type == "cuda" or any("unet-paper" in f for f in filters))]
    if not cases:
        sys.exit("ddpm_bench.py: --case matches no case")
    thread_counts = [int(x) for x in args.threads.split(",") if x]
    for kind, model, batch in cases:
        counts = thread_counts or [1 if model == "mlp" else max(1, (os.cpu_count() or 1) - 1)]
        for threads in counts:
            torch.set_num_threads(threads)
            times, cpu_seconds, net, run_seconds = time_case(kind, model, batch, args.warmup, args.repeat,
                                                             args.seconds, args.sampling_mode, device, args.precision,
                                                             args.full_run)
            forward = forward_flops(make_model(model, shape_of(model)), shape_of(model))  # counted on a CPU copy
            per_image = 3 * forward if kind == "train" else forward
            total = sum(times)
            steps_per_second = len(times) / total
            ordered = sorted(times)
            n = len(ordered)
            median = ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])
            line = {
                "case": case_name(kind, model, batch), "impl": "python", "kind": kind, "model": model, "batch": batch,
                "sample_shape": list(shape_of(model)), "threads": torch.get_num_threads(), "precision": args.precision,
                "device": str(device) if device.type == "cpu" else "cuda", "torch": torch.__version__, "allocator": allocator_name(), "parameters": parameter_count(net),
                "forward_flops_per_image": forward, "flops_per_image": per_image,
                "flops_note": ("3 x forward (backward ~ 2 x forward); conv, linear, attention matmuls" if kind == "train"
                               else "forward; conv, linear, attention matmuls"),
                "steps": n, "seconds": total, "steps_per_second": steps_per_second,
                "images_per_second": steps_per_second * batch, "step_ms_median": 1e3 * median,
                "step_ms_min": 1e3 * ordered[0], "cpu_ms_per_step": 1e3 * cpu_seconds / n,
                "gflops_per_second": steps_per_second * batch * per_image * 1e-9,
            }
            if args.peak_tflops > 0:
                line["peak_fraction"] = line["gflops_per_second"] * 1e-3 / args.peak_tflops
            if run_seconds > 0:
                line["run_seconds"] = run_seconds
            if kind == "sample":
                line["sampling_mode"] = args.sampling_mode
            print(json.dumps(line), flush=True)
    if args.profile:
        for model in sorted({m for _, m, _ in cases}):
            net = make_model(model, shape_of(model)).eval()
            by_op = profiler_flops(net, shape_of(model))
            print(json.dumps({"profile": model, "hook_flops": forward_flops(net, shape_of(model)),
                              "profiler_flops_total": sum(by_op.values()), "profiler_flops_by_op": by_op}), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# ASan + UBSan build of core, the CLI and the tests that fit CI's time budget (CMake
# preset "asan": GUI off, -O1 -g1, -fno-sanitize-recover so any UB finding fails): every
# file reader (fuzzed, at a quarter of their inputs), the fault tests (kill -9, full disk,
# read-only folder) through the sanitized `ddpm`, and the core maths, trainer and sampler
# suites (docs/reliability.md). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
cmake --preset asan >/dev/null
suites=(test_noise_schedule test_gaussian_diffusion test_datasets test_image_folder test_safetensors
        test_checkpoint test_checkpoint_compat test_fuzz_checkpoint test_fuzz_data_readers
        test_reverse_process test_guidance test_classifier_guidance test_trainer test_objectives test_frechet_distance test_cli_faults
        test_data_parallel)
cmake --build --preset asan -j "$(nproc)" --target ddpm "${suites[@]}"
built=$(date +%s)

supp="$PWD/tests/sanitizers"
# LibTorch, OpenMP and Qt are not instrumented: ASan still sees their heap (malloc is
# intercepted) but not their stack or globals. Leak checking stays on, with the few
# one-off allocations of those libraries suppressed by name (lsan.supp says why).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp:${UBSAN_OPTIONS:-}"
export DDPM_FUZZ_SCALE="${DDPM_FUZZ_SCALE:-0.25}"
export QT_QPA_PLATFORM=offscreen
ctest --preset asan -j "$(nproc)" -R "^($(IFS='|'; echo "${suites[*]}"))\$" "$@"
echo "sanitize.sh: build $((built - start)) s, tests $(($(date +%s) - built)) s"

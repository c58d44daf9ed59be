#!/usr/bin/python3
"""A lesson through DDPM Studio's real window, by keyboard and mouse.

Starts Xvfb and openbox (a small window manager, so focus and dialogs behave as on a
desktop), runs ddpm-studio on the xcb platform with --automation, and drives it with
xdotool: Ctrl+1…6, drag the forward process's t slider, type a schedule value, start,
pause, resume and stop training, sample, scrub, export a PNG through the file dialog,
open a corrupt checkpoint and dismiss the message. After each action it asks the window
for its state (ui/window/automation_probe.h) until the expected state shows or a
deadline passes; nothing waits a fixed time.

  tests/gui_input/lesson.py --studio build/release/app/ddpm-studio [--keep DIR]

Exit 0 when every step reached its state; 1 with the step, what was expected and the
last answer otherwise; 2 when Xvfb, openbox or xdotool is missing (scripts/setup.sh
installs them).
"""
import argparse
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

VIEWS = ["Schedule", "Forward process", "Training", "Sampling", "Compare", "Evaluate"]


class StepFailed(Exception):
    pass


class Display:
    """Xvfb on a free display number, with openbox on it."""

    def __init__(self):
        for tool in ("Xvfb", "openbox", "xdotool"):
            if not shutil.which(tool):
                print(f"lesson: {tool} is not installed (bash scripts/setup.sh installs it)", file=sys.stderr)
                sys.exit(2)
        read_fd, write_fd = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number when it is ready.
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten",
                                      "tcp"], pass_fds=(write_fd,))
        os.close(write_fd)
        # Read up to the newline: Xvfb writes the number and the newline separately and
        # dies if the pipe is closed between the two.
        number, deadline = b"", time.monotonic() + 20
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                raise StepFailed("Xvfb did not start within 20 s")
            chunk = os.read(read_fd, 16)
            if not chunk:
                raise StepFailed("Xvfb exited before it was ready")
            number += chunk
        self.name = ":" + number.decode().strip()
        os.close(read_fd)
        self.env = dict(os.environ, DISPLAY=self.name)
        deadline = time.monotonic() + 20
        while subprocess.run(["xdotool", "getdisplaygeometry"], env=self.env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise StepFailed(f"display {self.name} does not answer")
            time.sleep(0.05)
        self.env.pop("QT_QPA_PLATFORM", None)  # ctest runs offscreen; this test needs xcb
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)

    def xdotool(self, *args):
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def close(self):
        for p in (self.wm, self.xvfb):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


class Studio:
    """ddpm-studio with --automation: questions on its stdin, answers on its stdout."""

    def __init__(self, exe, display, args):
        self.process = subprocess.Popen([exe, "--fresh", "--automation", "--size", "1500x940", *args], env=display.env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.buffer = ""

    def ask(self, question, timeout=10.0):
        if self.process.poll() is not None:
            raise StepFailed(f"ddpm-studio exited with {self.process.returncode}: {self.process.stderr.read()[-2000:]}")
        self.process.stdin.write(question + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            while "\n" in self.buffer:
                line, self.buffer = self.buffer.split("\n", 1)
                if line.startswith("probe "):
                    return line[len("probe "):]
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                raise StepFailed(f"no answer to '{question}' within {timeout} s")
            chunk = os.read(self.process.stdout.fileno(), 65536).decode()
            if not chunk:
                raise StepFailed(f"ddpm-studio closed its output: {self.process.stderr.read()[-2000:]}")
            self.buffer += chunk

    def wait_for(self, question, accept, what, timeout=30.0):
        """Asks until accept(answer) holds; returns that answer."""
        deadline = time.monotonic() + timeout
        answer = None
        while time.monotonic() < deadline:
            answer = self.ask(question)
            if accept(answer):
                return answer
            time.sleep(0.05)
        raise StepFailed(f"{what}: '{question}' still answers '{answer}' after {timeout} s")

    def wait_active(self, window_class, what):
        """Waits until a window of window_class has the keyboard: a key sent before a new
        dialog is active goes to the window behind it (the window manager activates a new
        dialog a moment after it is shown, later on a loaded machine)."""
        return self.wait_for("active", lambda a: a.startswith(f"active {window_class} "), what)

    def rect(self, selector):
        answer = self.wait_for(f"rect {selector}", lambda a: a.startswith("rect "), f"{selector} is shown")
        x, y, w, h = (int(v) for v in answer.split()[1:])
        return x, y, w, h

    def state(self, selector):
        answer = self.ask(f"state {selector}")
        if not answer.startswith("state"):
            raise StepFailed(f"no visible widget {selector} (answer '{answer}')")
        return answer[len("state "):]

    def slider(self, selector):
        value, low, high = (int(v) for v in self.state(selector).split())
        return value, low, high

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def numbers(answer):
    """The numbers of a slider's or progress bar's answer 'state VALUE MINIMUM MAXIMUM'."""
    return [int(v) for v in answer.split()[1:]]


def centre(rect):
    x, y, w, h = rect
    return x + w // 2, y + h // 2


def click(display, studio, selector):
    x, y = centre(studio.rect(selector))
    display.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")


MAIN_WINDOW = "ddpm::ui::MainWindow"


def drag(display, rect_from, to):
    """Presses at rect_from's left end (a slider's handle at its minimum) and drags to `to`."""
    x, y, w, h = rect_from
    display.xdotool("mousemove", "--sync", str(x + 6), str(y + h // 2), "mousedown", "1")
    for k in range(1, 9):  # several moves, as a hand does: Qt sees a drag, not a jump
        display.xdotool("mousemove", "--sync", str(x + 6 + (to[0] - x - 6) * k // 8), str(to[1]))
    display.xdotool("mouseup", "1")


def lesson(display, studio, folder):
    steps = []

    def step(name):
        steps.append(name)
        print(f"lesson: {name}", flush=True)

    step("the window opens")
    studio.wait_for("view", lambda a: a != "view ", "a view is current", timeout=60)
    display.xdotool("search", "--sync", "--onlyvisible", "--name", "DDPM Studio", "windowactivate", "--sync")
    studio.wait_active(MAIN_WINDOW, "the window has the keyboard")

    step("Ctrl+1…6 show the six views in order, and Ctrl+1 comes back")
    for number, title in list(enumerate(VIEWS, 1)) + [(1, VIEWS[0])]:
        display.xdotool("key", "--clearmodifiers", f"ctrl+{number}")
        studio.wait_for("view", lambda a, t=title: a == f"view {t}", f"Ctrl+{number} shows {title}", timeout=10)

    step("Schedule: type β_T = 0.03 and press Enter")
    click(display, studio, "#scheduleBetaEnd")
    display.xdotool("key", "--clearmodifiers", "ctrl+a")
    display.xdotool("type", "--delay", "30", "0.03")
    display.xdotool("key", "Return")
    studio.wait_for("state #scheduleBetaEnd", lambda a: a == "state 0.03", "β_T field reads 0.03")
    studio.wait_for("state #scheduleMessage", lambda a: "error" not in a.lower(), "no schedule error")
    display.xdotool("key", "--clearmodifiers", "ctrl+a")
    display.xdotool("type", "--delay", "30", "0.02")  # back to the paper's value for the later steps
    display.xdotool("key", "Return")
    studio.wait_for("state #scheduleBetaEnd", lambda a: a == "state 0.02", "β_T field reads 0.02 again")

    step("Forward process: Home, then drag the t slider to the middle")
    display.xdotool("key", "--clearmodifiers", "ctrl+2")
    studio.wait_for("view", lambda a: a == "view Forward process", "Ctrl+2 shows the forward process")
    display.xdotool("key", "Home")
    studio.wait_for("state #timestepSlider", lambda a: numbers(a)[0] == numbers(a)[1], "t at its first step")
    slider = studio.rect("#timestepSlider")
    drag(display, slider, (slider[0] + slider[2] // 2, slider[1] + slider[3] // 2))
    _, low, high = studio.slider("#timestepSlider")
    studio.wait_for("state #timestepSlider",
                    lambda a: abs(numbers(a)[0] - (low + high) / 2) < 0.15 * (high - low),
                    "t near the middle after the drag")
    t = numbers("state " + studio.state("#timestepSlider"))[0]
    studio.wait_for("state #timestepSpin", lambda a: a.split()[-1] == str(t), f"the t field shows t = {t}")

    step("Training: Start, Pause, Resume, Stop")
    display.xdotool("key", "--clearmodifiers", "ctrl+3")
    studio.wait_for("view", lambda a: a == "view Training", "Ctrl+3 shows training")
    click(display, studio, "#trainingStart")
    studio.wait_for("state #trainingPause", lambda a: a.startswith("state enabled"), "Pause is enabled", timeout=60)
    studio.wait_for("state #trainingProgress", lambda a: numbers(a)[0] > numbers(a)[1],
                    "the progress bar moves", timeout=90)
    click(display, studio, "#trainingPause")
    paused = studio.wait_for("state #trainingStatus", lambda a: "paus" in a.lower(), "the status says paused")
    click(display, studio, "#trainingPause")  # the same button resumes
    studio.wait_for("state #trainingStatus", lambda a: a != paused and "paus" not in a.lower(), "training resumes")
    click(display, studio, "#trainingStop")
    studio.wait_for("state #trainingStart", lambda a: a.startswith("state enabled"), "Start is enabled again",
                    timeout=60)
    studio.wait_for("dialogs", lambda a: a == "dialogs 0", "no message after stopping")

    step("Sampling: Sample, wait for the last step, scrub back with the mouse")
    display.xdotool("key", "--clearmodifiers", "ctrl+4")
    studio.wait_for("view", lambda a: a == "view Sampling", "Ctrl+4 shows sampling")
    if numbers("state " + studio.state("#samplingScrubber"))[2] != 0:
        raise StepFailed("the scrubber has steps before any sampling run")
    click(display, studio, "#samplingStart")
    studio.wait_for("state #samplingScrubber", lambda a: numbers(a)[2] > 0 and numbers(a)[0] == numbers(a)[2],
                    "the run ends on its last step", timeout=90)
    studio.wait_for("state #samplingStart", lambda a: a.startswith("state enabled"), "Sample is enabled again")
    display.xdotool("key", "Home")  # the scrubber to step 0 (x_T), then drag it forward
    studio.wait_for("state #samplingScrubber", lambda a: numbers(a)[0] == numbers(a)[1], "scrubbed to x_T")
    scrubber = studio.rect("#samplingScrubber")
    drag(display, scrubber, (scrubber[0] + scrubber[2] // 3, scrubber[1] + scrubber[3] // 2))
    studio.wait_for("state #samplingScrubber",
                    lambda a: 0 < numbers(a)[0] < numbers(a)[2], "the drag lands between the ends")

    step("Export the frame as PNG through the file dialog (Ctrl+E)")
    png = os.path.join(folder, "frame.png")
    display.xdotool("key", "--clearmodifiers", "ctrl+e")
    studio.wait_for("dialogs", lambda a: a.startswith("dialogs 1"), "a file dialog opens")
    studio.wait_active("QFileDialog", "the file dialog has the keyboard")
    display.xdotool("key", "--clearmodifiers", "ctrl+a")
    display.xdotool("type", "--delay", "10", png)
    display.xdotool("key", "Return")
    studio.wait_for("dialogs", lambda a: a == "dialogs 0", "the dialog closes")
    studio.wait_active(MAIN_WINDOW, "the window has the keyboard again")
    deadline = time.monotonic() + 10
    while not (os.path.exists(png) and os.path.getsize(png) > 100):
        if time.monotonic() > deadline:
            raise StepFailed(f"no PNG at {png}")
        time.sleep(0.05)
    with open(png, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            raise StepFailed(f"{png} is not a PNG")

    step("Open a corrupt checkpoint (Ctrl+Alt+O), read the message, dismiss it")
    corrupt = os.path.join(folder, "corrupt.safetensors")
    with open(corrupt, "wb") as f:
        f.write(b"\x40\x00\x00\x00\x00\x00\x00\x00{\"not\": \"a checkpoint\"" + b"\x00" * 64)
    display.xdotool("key", "--clearmodifiers", "ctrl+alt+o")
    studio.wait_for("dialogs", lambda a: a.startswith("dialogs 1"), "a file dialog opens")
    studio.wait_active("QFileDialog", "the file dialog has the keyboard")
    display.xdotool("key", "--clearmodifiers", "ctrl+a")
    display.xdotool("type", "--delay", "10", corrupt)
    display.xdotool("key", "Return")
    message = studio.wait_for("dialogs", lambda a: a.startswith("dialogs 1") and "corrupt.safetensors" in a,
                              "a message names the file")
    print(f"lesson:   the message: {message}", flush=True)
    studio.wait_active("QMessageBox", "the message has the keyboard")
    display.xdotool("key", "Return")
    studio.wait_for("dialogs", lambda a: a == "dialogs 0", "the message is dismissed")
    studio.wait_active(MAIN_WINDOW, "the window has the keyboard again")
    studio.wait_for("view", lambda a: a == "view Sampling", "the window is still there, on the same view")
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studio", required=True, help="the ddpm-studio executable")
    parser.add_argument("--keep", help="a folder for the exported files (default: a temporary one)")
    parser.add_argument("studio_args", nargs="*", help="more ddpm-studio options, after --")
    options = parser.parse_args()
    started = time.monotonic()
    folder = options.keep or tempfile.mkdtemp(prefix="ddpm-lesson-")
    os.makedirs(folder, exist_ok=True)
    display = Display()
    studio = None
    try:
        studio = Studio(os.path.abspath(options.studio), display, options.studio_args)
        steps = lesson(display, studio, folder)
        print(f"lesson: PASS, {len(steps)} steps in {time.monotonic() - started:.1f} s", flush=True)
        return 0
    except StepFailed as failure:
        print(f"lesson: FAIL: {failure}", file=sys.stderr, flush=True)
        if shutil.which("import"):  # ImageMagick: what the screen showed
            shot = os.path.join(options.keep or tempfile.gettempdir(), "lesson-failure.png")
            subprocess.run(["import", "-window", "root", shot], env=display.env, check=False)
            print(f"lesson: the screen at the failure: {shot}", file=sys.stderr)
        return 1
    finally:
        if studio:
            studio.close()
        display.close()
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

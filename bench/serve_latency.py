"""Measures `sitrep serve` on a generated briefing, for bench/run.

Usage: serve_latency.py SITREP SITE RUNS [INCIDENT_TARGET_MS CLAIM_TARGET_MS]

Starts `sitrep serve --root SITE --port P`, waits for the first build, then RUNS times
each: edits one incident's Markdown (an atomic save: temporary file, then rename) and one
claim of a figure, and times from the rename until the served page has the new text. That
is the edit-to-new-page latency a reloading browser sees, debounce included. Where serve
prints its own rebuild time ("… 12 ms" / "… 0.012 s") after an edit, that is reported too.
Restores the edited files at the end. Prints a Markdown table (and the rebuild targets, by
default those at 10,000 incidents). SERVE_TIMEOUT (seconds, default 60) bounds the first
build and each edit. Standard library only.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

TIMEOUT = float(os.environ.get("SERVE_TIMEOUT", "60"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url, text):
    start = time.monotonic()
    while time.monotonic() - start < TIMEOUT:
        if text in fetch(url):
            return True
        time.sleep(0.002)
    return False


def atomic_write(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


class Output:
    """Collects serve's output lines in the background."""

    def __init__(self, stream):
        self.lines = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.lock:
                self.lines.append(line.rstrip())

    def mark(self):
        with self.lock:
            return len(self.lines)

    def since(self, mark):
        with self.lock:
            return self.lines[mark:]


DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s)\b")


def reported_ms(lines):
    """The last duration serve printed in `lines`, in ms, if any."""
    for line in reversed(lines):
        found = DURATION.findall(line)
        if found:
            value, unit = found[-1]
            return float(value) * (1000.0 if unit == "s" else 1.0)
    return None


def first_claim_without_note(site):
    """A figure file whose first claim has no `note:`, and the text with a note added."""
    folder = os.path.join(site, "content", "figures")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.split("\n")
        start = next((i for i, l in enumerate(lines) if l.startswith("  - ")), None)
        if start is None:
            continue
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("  - ")),
            len(lines),
        )
        if not any(l.startswith("    note:") for l in lines[start:end]):
            return path, text, start
    sys.exit("serve_latency: no figure with a claim to edit")


def main():
    sitrep, site, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    targets = sys.argv[4:6] if len(sys.argv) >= 6 else ["10", "50"]
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sitrep, "serve", "--root", site, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Output(proc.stdout)
    incident_dir = os.path.join(site, "content", "incidents")
    incident = os.path.join(incident_dir, sorted(os.listdir(incident_dir))[0])
    incident_id = os.path.splitext(os.path.basename(incident))[0]
    with open(incident, encoding="utf-8") as f:
        incident_text = f.read()
    figure, figure_text, claim_line = first_claim_without_note(site)
    figure_id = os.path.splitext(os.path.basename(figure))[0]
    results = {"incident": ([], []), "claim": ([], [])}
    try:
        started = time.monotonic()
        if not wait_for(base + "index.html", "</html>"):
            sys.exit(f"serve_latency: sitrep serve did not serve the site within {TIMEOUT:.0f} s")
        first_build = time.monotonic() - started
        time.sleep(1.0)
        for n in range(runs):
            for kind in ("incident", "claim"):
                marker = f"bench-edit-{kind}-{n}"
                if kind == "incident":
                    path, url = incident, f"{base}incidents/{incident_id}.html"
                    text = incident_text + f"\nA {marker} paragraph.\n"
                else:
                    path, url = figure, f"{base}figures/{figure_id}.html"
                    lines = figure_text.split("\n")
                    lines.insert(claim_line + 1, f"    note: {marker}")
                    text = "\n".join(lines)
                mark = output.mark()
                t0 = time.monotonic()
                atomic_write(path, text)
                if not wait_for(url, marker):
                    sys.exit(f"serve_latency: the {kind} edit never reached {url}")
                results[kind][0].append((time.monotonic() - t0) * 1000.0)
                time.sleep(0.5)
                ms = reported_ms(output.since(mark))
                if ms is not None:
                    results[kind][1].append(ms)
    finally:
        atomic_write(incident, incident_text)
        atomic_write(figure, figure_text)
        time.sleep(0.5)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    print(f"First build and serve: {first_build:.2f} s.")
    print()
    print("| edit | edit → new page served, ms (median) | rebuild time serve reports, ms (median) |")
    print("|---|---:|---:|")
    for kind, (latency, reported) in results.items():
        shown = f"{statistics.median(reported):.1f}" if reported else "not printed"
        print(f"| one {kind} | {statistics.median(latency):.1f} | {shown} |")
    print()
    print(
        f"Medians of {runs} edits each; targets: rebuild ≤ {targets[0]} ms (incident), "
        f"≤ {targets[1]} ms (claim)."
    )


if __name__ == "__main__":
    main()

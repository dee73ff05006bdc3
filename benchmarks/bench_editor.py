"""Keystroke-to-repaint latency of the SQL editor (CodeEditor) next to a plain TextArea.

Each case runs a headless app (`run_test(size=(120, 40))`) holding one editor on a generated dbt
model (CTEs, `{{ ref() }}`, `{% if is_incremental() %}`, `{# #}` and `/* */` comments, strings),
with the cursor on the middle line and in view. For every keystroke the clock starts just before
`pilot.press("x")` and stops when the editor's `render_lines` (Textual's public Line API entry
point, which the compositor calls to compose the screen) returns for the first repaint after the
key. The figure therefore includes key dispatch, the edit, TextArea's own bookkeeping, the
highlighter's re-lex, styling every visible line and Textual's frame pacing (an update waits for
the next tick of its ~60 Hz refresh timer, the ~16 ms floor); it excludes writing to a terminal.

The plain TextArea has the same options (no wrap, line numbers, tab indents) and no language. The
two editors alternate in rounds (fresh app each round, after 5 warm-up keys) so that other load on
a shared machine falls on both. The 10,000-line model is exactly at CodeEditor's limit, so its
highlighting is on. Prints median and p90 per case and the ratio of medians to the plain TextArea.

    .venv/bin/python benchmarks/bench_editor.py [--keys 200] [--rounds 10] [--sizes 2000,10000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.geometry import Region  # noqa: E402
from textual.strip import Strip  # noqa: E402
from textual.widgets import TextArea  # noqa: E402

from tui.widgets.editor.code_editor import CodeEditor  # noqa: E402

TARGET_RATIO = 1.2
WARM_UP_KEYS = 5
PAINT_TIMEOUT_S = 10.0
ENTITIES = ("orders", "payments", "customers", "invoices", "refunds", "sessions", "tickets")
COLUMNS = ("status", "amount", "currency_code", "created_at", "updated_at", "country_code",
           "channel", "quantity", "discount_amount", "is_active", "region", "score")


def cte(index: int, rnd: random.Random) -> list[str]:
    """One CTE of the kind dbt models are made of, 20-40 lines."""
    entity = rnd.choice(ENTITIES)
    columns = rnd.sample(COLUMNS, rnd.randint(5, len(COLUMNS)))
    lines = [f"{entity}_{index} as (", "", "    /* cleaned rows of the upstream model;",
             "       test accounts are dropped */", "    select", f"        {entity}.id as {entity}_id,"]
    for column in columns:
        lines.append(f"        cast({entity}.{column} as varchar) as {column},  -- from source")
    lines += [
        "        case",
        f"            when {entity}.status = 'cancelled' then 'closed'",
        f"            when {entity}.amount > {rnd.randint(10, 9000)} then 'large'",
        "            else 'open'",
        "        end as bucket,",
        f"        {{{{ dbt_utils.generate_surrogate_key(['{entity}.id', '{entity}.day']) }}}} as sk",
        f"    from {{{{ ref('stg_{entity}') }}}} as {entity}",
        f"    left join {{{{ source('raw', '{entity}_meta') }}}} as meta on meta.id = {entity}.id",
        "    where {{ entity }}.status <> 'deleted'".replace("{{ entity }}", entity),
        "    {% if is_incremental() %}",
        f"      and {entity}.updated_at > (select max(updated_at) from {{{{ this }}}})",
        "    {% endif %}",
        "),",
        "",
    ]
    return lines


def dbt_model(line_count: int, seed: int = 7) -> str:
    """A deterministic dbt model of exactly `line_count` lines."""
    rnd = random.Random(seed)
    lines = ["{{ config(materialized='incremental', unique_key='id', tags=['finance']) }}", "",
             "{# one row per order and payment; see the docs block #}", "with", ""]
    index = 0
    while len(lines) < line_count - 3:
        index += 1
        lines += cte(index, rnd)
    tail = ["final as (select * from orders_1)", "", "select * from final"]
    return "\n".join((lines[: line_count - len(tail)] + tail)[:line_count])


class PaintProbe:
    """Records when the editor last finished composing its lines."""

    def __init__(self) -> None:
        self.painted_at: float | None = None
        self.cpu_at = 0.0
        self.painted = asyncio.Event()

    def arm(self) -> None:
        self.painted_at = None
        self.painted.clear()

    def stamp(self) -> None:
        if self.painted_at is None:
            self.painted_at = time.perf_counter()
            self.cpu_at = time.process_time()
            self.painted.set()


class ProbedTextArea(TextArea):
    probe: PaintProbe

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self.probe.stamp()
        return lines


class ProbedCodeEditor(CodeEditor):
    probe: PaintProbe

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self.probe.stamp()
        return lines


class EditorApp(App):
    def __init__(self, editor: TextArea) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        yield self.editor


def make_editor(kind: str, text: str, probe: PaintProbe) -> TextArea:
    if kind == "CodeEditor":
        editor: TextArea = ProbedCodeEditor(text, "sql+jinja")
    else:
        editor = ProbedTextArea(text, soft_wrap=False, tab_behavior="indent", show_line_numbers=True)
    editor.probe = probe
    return editor


@dataclass
class Result:
    kind: str
    lines: int
    latencies: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p90_ms(self) -> float:
        return percentile(self.latencies, 0.9) * 1000

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_times) * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def measure(kind: str, line_count: int, keys: int) -> Result:
    probe = PaintProbe()
    app = EditorApp(make_editor(kind, dbt_model(line_count), probe))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.editor
        editor.cursor_blink = False
        editor.focus()
        editor.move_cursor((line_count // 2, 8), center=True)
        await pilot.pause()
        if isinstance(editor, CodeEditor):
            assert editor.highlighting_enabled, editor.notice
        timings = [await one_key(pilot, probe) for _ in range(WARM_UP_KEYS + keys)][WARM_UP_KEYS:]
    return Result(kind, line_count, [wall for wall, _ in timings], [cpu for _, cpu in timings])


async def one_key(pilot, probe: PaintProbe) -> tuple[float, float]:
    """Wall and process CPU seconds from sending the key to the end of the repaint after it."""
    probe.arm()
    started, cpu_started = time.perf_counter(), time.process_time()
    await pilot.press("x")
    await asyncio.wait_for(probe.painted.wait(), PAINT_TIMEOUT_S)
    await pilot.pause()
    assert probe.painted_at is not None
    return probe.painted_at - started, probe.cpu_at - cpu_started


def report(results: list[Result]) -> bool:
    """Print one row per case and the ratio to the plain TextArea; True if all meet the target."""
    print(f"{'editor':<12} {'lines':>7} {'median ms':>10} {'p90 ms':>8} {'ratio':>7}   {'CPU median ms':>13} {'ratio':>7}")
    plain = {r.lines: r for r in results if r.kind == "TextArea"}
    ok = True
    for result in results:
        base = plain[result.lines]
        ratio = result.median_ms / base.median_ms
        cpu_ratio = result.cpu_median_ms / base.cpu_median_ms
        ok = ok and (result.kind == "TextArea" or ratio <= TARGET_RATIO)
        print(
            f"{result.kind:<12} {result.lines:>7,} {result.median_ms:>10.1f} {result.p90_ms:>8.1f} "
            f"{ratio:>6.2f}x   {result.cpu_median_ms:>13.1f} {cpu_ratio:>6.2f}x"
        )
    print(f"target: CodeEditor median within {TARGET_RATIO}x of the plain TextArea -> {'met' if ok else 'NOT met'}")
    return ok


async def run(sizes: list[int], keys: int, rounds: int) -> list[Result]:
    """Alternate the two editors in rounds, so load from other processes hits both alike."""
    results = []
    for size in sizes:
        pooled = {"TextArea": Result("TextArea", size), "CodeEditor": Result("CodeEditor", size)}
        for round_index in range(rounds):
            kinds = ("TextArea", "CodeEditor") if round_index % 2 == 0 else ("CodeEditor", "TextArea")
            for kind in kinds:
                measured = await measure(kind, size, keys // rounds)
                pooled[kind].latencies += measured.latencies
                pooled[kind].cpu_times += measured.cpu_times
        results += pooled.values()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200, help="keystrokes measured per case")
    parser.add_argument("--sizes", default="2000,10000", help="model sizes in lines")
    parser.add_argument("--rounds", type=int, default=10, help="alternations of the two editors")
    args = parser.parse_args(argv)
    results = asyncio.run(run([int(size) for size in args.sizes.split(",")], args.keys, args.rounds))
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""PDF export time against a bare reportlab document with the same paragraphs.

A full assessment (every shipped module the setting allows, long free text in every text
item) is exported with ``export_pdf``: open the assessment, render, record the export in
the audit trail, write atomically. The baseline lays out the plain text of every paragraph
of that export as a bare Paragraph in the same font in a SimpleDocTemplate and writes the
file: no tables, no header or footer, no text checks, no database. Goal: ratio <= 1.5.
The two run alternately and medians are taken, so load from other processes falls on both
alike; CPU times are printed beside wall times. Prints figures; not a timed test.

    python -m benchmarks            # every benchmark
    python -m benchmarks.bench_pdf  # this one
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pypdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from screening_app.app import Workspace, load_content
from screening_app.content.models import ItemType
from screening_app.export.pdf import build_report, document
from screening_app.export.pdf.fonts import SANS, register_fonts
from screening_app.export.pdf.textsafe import TextNotes
from screening_app.store import Store, open_database

GOAL = 1.5
RUNS = 9
SENTENCE = ("She said she has not been sleeping, she worries about her mum and about school, "
            "and she does not know who to talk to about it. ")
LONG_TEXT = SENTENCE * 40  # about 5,000 characters per free-text answer


def _value(item):  # noqa: ANN001, ANN202
    """A valid answer that opens branches: yes, the highest-scoring option, the top of a scale."""
    if item.type == ItemType.YES_NO:
        return "yes"
    if item.type == ItemType.SINGLE_CHOICE:
        return max(item.options, key=lambda o: o.score or 0).code
    if item.type == ItemType.MULTI_CHOICE:
        return [o.code for o in item.options[:2]]
    if item.type == ItemType.SCALE:
        return int(item.max)
    if item.type == ItemType.NUMBER:
        return item.min if item.min is not None else 1
    if item.type == ItemType.DATE:
        return "2025-01-31"
    return LONG_TEXT[:item.max_length]


def full_assessment(ctx: Workspace, setting: str = "ed", age: int = 15) -> str:
    """Every module allowed for the setting and age, every shown item answered."""
    extra = tuple(m.model.id for m in ctx.catalog.modules.values()
                  if setting in m.model.settings and m.model.ages.admits(age))
    a = ctx.start(setting=setting, age=age, reference="BENCH-1",
                  presenting_issue=LONG_TEXT[:2000], modules=extra)
    for _ in range(50):  # answering can show more items; stop when nothing new appears
        todo = [(m, i) for m, i in a.session.visible_items()
                if i.answerable and (m.id, i.id) not in a.session.answers]
        if not todo:
            break
        for module, item in todo:
            a.answer(module.id, item.id, _value(item))
    for flag in a.session.evaluation.flags:
        a.acknowledge(flag.id)
    a.complete()
    return a.id


def paragraph_texts(report) -> list[str]:  # noqa: ANN001
    """The plain text of every paragraph our export lays out, in order."""
    info = document.PageInfo(marking="OFFICIAL-SENSITIVE", reference="BENCH-1",
                             variant_title="Professional record", document_id="bench",
                             versions="", draft=False)
    story = document._story(report, info, annex=True, flat=False, notes=TextNotes())
    texts: list[str] = []

    def walk(item) -> None:  # noqa: ANN001
        if isinstance(item, Paragraph):
            texts.append(item.getPlainText())
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    walk(cell)
        elif isinstance(item, list | tuple):
            for x in item:
                walk(x)

    walk(story)
    return texts


def bare_pdf(strings: list[str], out: Path) -> None:
    style = ParagraphStyle("bare", fontName=SANS, fontSize=9.5, leading=12.8)
    story = [Paragraph(escape(s).replace("\n", "<br/>"), style) for s in strings]
    SimpleDocTemplate(str(out), pagesize=A4).build(story)


def _medians(first, second, runs: int = RUNS) -> dict[str, float]:  # noqa: ANN001
    """Median wall and CPU times of two callables, run alternately."""
    times: dict[str, list[float]] = {k: [] for k in ("a_wall", "a_cpu", "b_wall", "b_cpu")}
    for _ in range(runs):
        for fn, key in ((first, "a"), (second, "b")):
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[f"{key}_wall"].append(time.perf_counter() - wall)
            times[f"{key}_cpu"].append(time.process_time() - cpu)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> dict:
    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx = Workspace(load_content(), Store(open_database(f"sqlite:///{folder / 'bench.db'}")),
                         user="bench")
        aid = full_assessment(ctx)
        opened = ctx.open(aid)
        report = build_report(opened.result(), record=opened.record, session=opened.session,
                              catalog=ctx.catalog)
        strings = paragraph_texts(report)
        chars = sum(len(s) for s in strings)
        out, bare_out = folder / "export.pdf", folder / "bare.pdf"
        ctx.export_pdf(aid, out, overwrite=True)  # warm up: font loading, imports
        bare_pdf(strings, bare_out)
        m = _medians(lambda: ctx.export_pdf(aid, out, overwrite=True),
                     lambda: bare_pdf(strings, bare_out))
        pages = len(pypdf.PdfReader(str(out)).pages)
        bare_pages = len(pypdf.PdfReader(str(bare_out)).pages)
    ratio = m["a_wall"] / m["b_wall"]
    cpu_ratio = m["a_cpu"] / m["b_cpu"]
    print(f"bench_pdf: full assessment, {len(report.annex)} modules, {len(strings)} paragraphs, "
          f"{chars:,} characters; medians of {RUNS} alternating runs")
    print(f"  export_pdf (full variant):  {m['a_wall'] * 1000:7.1f} ms wall, "
          f"{m['a_cpu'] * 1000:7.1f} ms CPU  ({pages} pages)")
    print(f"  bare reportlab, same text:  {m['b_wall'] * 1000:7.1f} ms wall, "
          f"{m['b_cpu'] * 1000:7.1f} ms CPU  ({bare_pages} pages)")
    print(f"  ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU (goal <= {GOAL}): "
          f"{'OK' if ratio <= GOAL else 'OVER GOAL'}")
    return {"ours_s": m["a_wall"], "bare_s": m["b_wall"], "ratio": ratio,
            "cpu_ratio": cpu_ratio, "pages": pages}


if __name__ == "__main__":
    main()

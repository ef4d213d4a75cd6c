"""A Process drawn as SVG: one box per step, top to bottom, who acts and the clauses in the box,
time limits and thresholds beside it (the path the project takes marked, the other greyed).

Drawn with drawsvg (pure Python, no system binary): the layout is a column, so a graph layout
engine (Graphviz's `dot`, a system package) would add an install step to `make run` without
changing the picture. Text is escaped by drawsvg; CJK lines are wrapped by character count."""

from __future__ import annotations

import drawsvg as draw

from assistant.answers.process import Process, Step

WIDTH = 820
LEFT_X, LEFT_W = 16, 290
RIGHT_X = LEFT_X + LEFT_W + 24
RIGHT_W = WIDTH - RIGHT_X - 16
FONT = 13
LINE = 19            # line height, px
PAD = 10
GAP = 30             # between steps (the arrow)
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLOURS = {"box": "#eef4fb", "edge": "#3b6ea8", "missing": "#8c959f", "taken": "#1a7f37",
           "not_taken": "#8c959f", "open": "#9a6700", "text": "#1f2328"}


def wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters (CJK text has no spaces to break at)."""
    return [text[i:i + chars] for i in range(0, len(text), chars)] or [""]


def _left_lines(step: Step) -> list[tuple[str, dict]]:
    chars = (LEFT_W - 2 * PAD) // FONT
    if not step.provided:
        return [(step.stage, {"font_weight": "bold"}), ("该文件未作规定", {"fill": COLOURS["missing"]})]
    out = [(step.stage, {"font_weight": "bold", "font_size": FONT + 3})]
    if step.actor:
        out += [(x, {}) for x in wrap(f"主体：{step.actor}", chars)]
    out += [(x, {"fill": COLOURS["edge"]}) for x in wrap("依据：" + "、".join(step.clauses), chars)]
    return out


def _right_lines(step: Step) -> list[tuple[str, dict]]:
    chars = (RIGHT_W - 2 * PAD) // FONT
    out: list[tuple[str, dict]] = []
    for t in step.timings:
        out += [(x, {}) for x in wrap(f"时限：{t.statement}（{t.article}）", chars)]
    for b in step.branches:
        open_ = "视调整比例而定" if b.fact == "change_ratio" else "视金额而定"
        mark, colour = {True: ("✔ 适用", COLOURS["taken"]), False: ("✘ 不适用", COLOURS["not_taken"]),
                        None: (open_, COLOURS["open"])}[b.taken]
        line = f"{b.condition}：{b.then}（{b.article}）〔{mark}〕"
        style = {"fill": colour, "font_weight": "bold" if b.taken else "normal"}
        out += [(x, style) for x in wrap(line, chars)]
        if b.otherwise and b.taken is not True:
            # The text's other path, taken when the condition fails.
            mark = "✔ 适用" if b.taken is False else open_
            style = {"fill": COLOURS["taken"] if b.taken is False else COLOURS["open"],
                     "font_weight": "bold" if b.taken is False else "normal"}
            out += [(x, style) for x in wrap(f"否则：{b.otherwise}（{b.article}）〔{mark}〕", chars)]
    return out


def _text(d: draw.Drawing, lines: list[tuple[str, dict]], x: float, y: float) -> None:
    for i, (line, style) in enumerate(lines):
        style = dict(style)  # wrapped lines share one style: read, never consume it
        size = style.pop("font_size", FONT)
        d.append(draw.Text(line, size, x, y + PAD + (i + 0.8) * LINE, fill=style.pop("fill", COLOURS["text"]),
                           font_family=FONT_FAMILY, **style))


def to_svg(process: Process) -> str:
    """The process as a standalone SVG document."""
    title = f"{process.city}《{process.title}》项目流程"
    if process.facts.amount is not None:
        title += f"（项目金额 {process.facts.amount:g}万元）"
    header = [(title, {"font_weight": "bold", "font_size": FONT + 3})]
    if process.note:
        header += [(x, {"fill": COLOURS["open"]}) for x in wrap(process.note, (WIDTH - 2 * PAD) // FONT)]
    if process.missing:
        header.append((f"未作规定的环节：{'、'.join(process.missing)}", {"fill": COLOURS["missing"]}))
    blocks = [(_left_lines(s), _right_lines(s)) for s in process.steps]
    heights = [max(len(left), len(right), 1) * LINE + 2 * PAD for left, right in blocks]
    top = len(header) * LINE + 2 * PAD
    height = top + sum(heights) + GAP * (len(heights) - 1) + PAD
    d = draw.Drawing(WIDTH, height, id_prefix=f"p-{process.doc_id}-")
    d.append(draw.Rectangle(0, 0, WIDTH, height, fill="white"))
    _text(d, header, LEFT_X, 0)
    arrow = draw.Marker(-0.1, -0.51, 0.9, 0.5, scale=5, orient="auto")
    arrow.append(draw.Lines(-0.1, 0.5, -0.1, -0.5, 0.9, 0, fill=COLOURS["edge"], close=True))
    y = top
    for i, (step, (left, right), h) in enumerate(zip(process.steps, blocks, heights)):
        provided = step.provided
        d.append(draw.Rectangle(LEFT_X, y, LEFT_W, h, rx=8, fill=COLOURS["box"] if provided else "white",
                                stroke=COLOURS["edge"] if provided else COLOURS["missing"], stroke_width=1.5,
                                stroke_dasharray="none" if provided else "6,4"))
        _text(d, left, LEFT_X + PAD, y)
        if right:
            d.append(draw.Line(LEFT_X + LEFT_W, y + h / 2, RIGHT_X, y + h / 2, stroke=COLOURS["missing"],
                               stroke_dasharray="3,3"))
            _text(d, right, RIGHT_X, y)
        if i < len(process.steps) - 1:
            x = LEFT_X + LEFT_W / 2
            d.append(draw.Line(x, y + h, x, y + h + GAP - 4, stroke=COLOURS["edge"], stroke_width=1.5,
                               marker_end=arrow))
        y += h + GAP
    return d.as_svg()

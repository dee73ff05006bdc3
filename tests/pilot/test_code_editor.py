"""CodeEditor driven by key presses: typing, colours, undo/redo, go-to-line, find, big files."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.editor.code_editor import HIGHLIGHT_LINE_LIMIT, CodeEditor

MODEL = """\
select
    order_id,
    amount
from {{ ref('stg_orders') }}
where status <> 'deleted'
"""


class EditorApp(App):
    """One CodeEditor, focused, cursor not blinking (deterministic frames)."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        yield self.editor

    def on_mount(self) -> None:
        self.editor.cursor_blink = False
        self.editor.focus()


def style_at(line: Text, column: int) -> Style:
    """The combined style the highlighter gave one character."""
    styles = [span.style for span in line.spans if span.start <= column < span.end]
    return Style.combine([Style(), *(s if isinstance(s, Style) else Style.parse(s) for s in styles)])


async def test_typed_keys_land_in_the_text() -> None:
    app = EditorApp(CodeEditor(MODEL))
    async with app.run_test() as pilot:
        await pilot.press("x", "y", "tab")
        assert app.editor.text.startswith("xy  select")  # tab indents to the next 4-column stop
        assert app.editor.highlighting_enabled and app.editor.notice is None


async def test_read_only_editor_ignores_typing() -> None:
    app = EditorApp(CodeEditor(MODEL, read_only=True))
    async with app.run_test() as pilot:
        await pilot.press("x")
        assert app.editor.text == MODEL


async def test_jinja_and_sql_keywords_are_coloured_differently() -> None:
    app = EditorApp(CodeEditor(MODEL))
    async with app.run_test() as pilot:
        await pilot.pause()
        line = app.editor.get_line(3)  # from {{ ref('stg_orders') }}
        keyword, jinja, name = style_at(line, 0), style_at(line, 5), style_at(line, 8)
        assert keyword.color is not None and jinja.color is not None and name.color is not None
        assert len({keyword, jinja, name}) == 3
        assert style_at(app.editor.get_line(4), 20) != style_at(app.editor.get_line(4), 0)  # 'deleted'


async def test_undo_and_redo_restore_text_and_colours() -> None:
    app = EditorApp(CodeEditor(MODEL))
    async with app.run_test() as pilot:
        editor = app.editor
        plain_name = style_at(editor.get_line(1), 4)
        await pilot.press("slash", "asterisk")
        commented = style_at(editor.get_line(1), 4)
        assert commented != plain_name and commented.italic
        for _ in range(2):  # the history may have kept the two keys in one batch or two
            if editor.text != MODEL:
                await pilot.press("ctrl+z")
        assert editor.text == MODEL
        assert style_at(editor.get_line(1), 4) == plain_name
        editor.redo()
        editor.redo()
        await pilot.pause()
        assert editor.text == "/*" + MODEL
        assert style_at(editor.get_line(1), 4) == commented


async def test_go_to_line_moves_the_cursor_into_view() -> None:
    text = "\n".join(f"select {n} as c" for n in range(300))
    app = EditorApp(CodeEditor(text))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.editor
        editor.go_to_line(200)
        await pilot.pause()
        assert editor.cursor_location == (199, 0)
        top = editor.scroll_offset.y
        assert top <= 199 < top + editor.scrollable_content_region.height
        editor.go_to_line(10_000)
        assert editor.cursor_location == (299, 0)
        editor.go_to_line(0)
        assert editor.cursor_location == (0, 0)


async def test_find_next_selects_matches_and_wraps() -> None:
    text = "select a FROM x\n" + "select 1\n" * 100 + "union all select b from y\n"
    app = EditorApp(CodeEditor(text))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.editor
        assert editor.find_next("from")
        assert tuple(editor.selection) == ((0, 9), (0, 13))
        assert editor.find_next("FROM")
        assert tuple(editor.selection) == ((101, 19), (101, 23))
        await pilot.pause()
        assert editor.scroll_offset.y > 0  # scrolled to the match
        assert editor.find_next("from")  # wraps around
        assert editor.cursor_location == (0, 13)
        assert editor.find_next("from", backwards=True)  # wraps backwards
        assert editor.cursor_location == (101, 23)
        assert not editor.find_next("nowhere")
        assert editor.cursor_location == (101, 23)


async def test_a_file_over_the_limit_opens_without_highlighting() -> None:
    over = "select 1\n" * HIGHLIGHT_LINE_LIMIT  # 10,000 newlines: 10,001 lines
    app = EditorApp(CodeEditor(over))
    async with app.run_test() as pilot:
        editor = app.editor
        assert editor.document.line_count == 10_001
        assert not editor.highlighting_enabled
        assert editor.notice == "Highlighting is off: 10,001 lines (over 10,000)"
        assert editor.get_line(0).spans == []
        await pilot.press("x")
        assert editor.text.startswith("xselect")
        editor.load("select 1\n" * (HIGHLIGHT_LINE_LIMIT - 1), "sql+jinja")  # exactly 10,000 lines
        assert editor.highlighting_enabled and editor.notice is None
        assert editor.get_line(0).spans


async def test_load_replaces_text_lexer_and_history() -> None:
    app = EditorApp(CodeEditor(MODEL))
    async with app.run_test() as pilot:
        editor = app.editor
        await pilot.press("x")
        editor.load("models:\n  - name: fct_orders\n", "yaml")
        await pilot.pause()
        assert editor.indent_width == 2 and editor.lexer == "yaml"
        editor.undo()
        assert editor.text == "models:\n  - name: fct_orders\n"
        assert style_at(editor.get_line(1), 4) != style_at(editor.get_line(1), 10)  # key vs value
        editor.load("plain", None)
        assert not editor.highlighting_enabled and editor.notice is None

"""Files holding U+2028, form feeds and the other characters str.splitlines breaks lines at.

Textual's TextArea holds such a file with each of them turned into \\n. `editor_form` predicts that
text (so a pane is not modified the moment it opens) and `restore_line_breaks` puts the file's own
breaks back on save, so the bytes outside the edited lines stay exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets.text_area import Document

from tui.core.buffers import disk_version, open_sql, save_buffer
from tui.core.line_breaks import LINE_BREAKS, editor_form, restore_line_breaks
from tui.core.project.layers import Layer
from tui.core.project.records import ModelFile

OTHER_BREAKS = ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\r"]
MODEL = "-- notes\x0cpage two\nselect 'a\u2028b' as x,\n    'c\u2029d' as y\nfrom t\n"


def test_line_breaks_are_those_of_str_splitlines() -> None:
    every_character = "".join(chr(code) for code in range(0x3000))
    splitting = {char for char in every_character if len(f"a{char}b".splitlines()) == 2}
    assert splitting == set(LINE_BREAKS)


@pytest.mark.parametrize("text", [
    MODEL, "", "\n", "a", "a\u2028", "\u2028", "a\u2028\u2029b", "a\r\nb\x85", "a\rb\r", "\x0c\n\x0c",
])
def test_editor_form_splits_lines_as_textual_does(text: str) -> None:
    textual = Document(text).lines
    ours = editor_form(text).split("\n")
    # Given the raw text, Textual drops the empty last line after a trailing U+2028 (say); the
    # pane loads editor_form's text instead, which keeps that line and so its break.
    assert ours[: len(textual)] == textual and ours[len(textual):] in ([], [""])
    assert Document(editor_form(text)).text == editor_form(text)  # what the pane loads, it gets back


@pytest.mark.parametrize("separator", OTHER_BREAKS)
@pytest.mark.parametrize("template", ["a{}b\n", "{}a\n", "a{}", "a{}{}b", "a\n{}\nb"])
def test_an_unedited_text_comes_back_byte_for_byte(separator: str, template: str) -> None:
    original = template.format(separator, separator)
    shown = editor_form(original)
    assert separator not in shown
    assert restore_line_breaks(shown, original) == original


def test_an_edit_on_another_line_keeps_every_break() -> None:
    edited = editor_form(MODEL).replace("from t", "from u")
    assert restore_line_breaks(edited, MODEL) == MODEL.replace("from t", "from u")


def test_a_line_edited_in_place_keeps_its_break() -> None:
    edited = editor_form(MODEL).replace("select 'a\n", "select 'A\n")
    assert restore_line_breaks(edited, MODEL) == MODEL.replace("select 'a\u2028", "select 'A\u2028")


def test_added_lines_end_in_newline() -> None:
    edited = "-- new\n" + editor_form(MODEL) + "-- end"
    assert restore_line_breaks(edited, MODEL) == "-- new\n" + MODEL + "-- end"


def test_appending_to_a_last_line_without_a_break() -> None:
    assert restore_line_breaks("a\nb\nc", "a\u2028b") == "a\u2028b\nc"


def test_a_split_line_keeps_its_break_at_the_end() -> None:
    assert restore_line_breaks("a\nb\nc\n", "ab\u2028c\n") == "a\nb\u2028c\n"


def test_joined_lines_keep_the_second_ones_break() -> None:
    assert restore_line_breaks("abc\n", "ab\u2028c\n") == "abc\n"  # the user deleted the U+2028


def test_a_deleted_line_takes_its_break_with_it() -> None:
    assert restore_line_breaks("a\nc\n", "a\nb\u2028c\n") == "a\nc\n"
    assert restore_line_breaks("b\nc\n", "a\u2029b\u2028c\n") == "b\u2028c\n"


def test_repeated_lines_are_matched_as_a_diff_would() -> None:
    original = "x\u2028x\nx\x0cx\n"
    edited = "x\nx\nnew\nx\nx\n"
    assert restore_line_breaks(edited, original) == "x\u2028x\nnew\nx\x0cx\n"


def test_a_big_file_edited_at_both_ends_keeps_the_breaks_in_between() -> None:
    # Blank and repeated lines are what a diff finds hardest to pair up.
    original = "".join(f"select {n} as c, 'x\u2028y' -- {n % 7}\n\n" for n in range(5000))
    edited = "-- top\n" + editor_form(original) + "-- end\n"
    assert restore_line_breaks(edited, original) == "-- top\n" + original + "-- end\n"


def test_a_text_with_only_newlines_is_left_as_edited() -> None:
    assert restore_line_breaks("b\n", "a\n") == "b\n"
    assert editor_form("a\nb\n") == "a\nb\n"


def _model(root: Path, data: bytes) -> ModelFile:
    path = root / "models" / "m.sql"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return ModelFile("m", "models/m.sql", ("models",), Layer.OTHER, "sql")


def test_sql_buffer_is_clean_in_editor_form_and_saves_only_the_edit(tmp_path: Path) -> None:
    data = MODEL.replace("\n", "\r\n").encode("utf-8")  # CRLF as well as the others
    model = _model(tmp_path, data)
    buffer = open_sql(tmp_path, model)
    assert buffer.shown == editor_form(MODEL)
    assert save_buffer(tmp_path, buffer, buffer.shown) is None  # nothing to write
    assert (tmp_path / model.path).read_bytes() == data
    saved = save_buffer(tmp_path, buffer, buffer.shown.replace("from t", "from u"))
    assert (tmp_path / model.path).read_bytes() == data.replace(b"from t", b"from u")
    assert saved is not None and saved.shown == editor_form(MODEL).replace("from t", "from u")


def test_disk_version_is_in_the_panes_terms(tmp_path: Path) -> None:
    model = _model(tmp_path, MODEL.encode("utf-8"))
    buffer = open_sql(tmp_path, model)
    assert disk_version(tmp_path, buffer, MODEL.encode("utf-8")) == buffer.shown

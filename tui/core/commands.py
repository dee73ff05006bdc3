"""Every user action as plain data: its binding id, default keys, action and words for people.

The same records make the key bindings, the footer, the help screen and the command palette
(tui/bindings.py turns them into Textual bindings), so nothing the user can do is reachable one
way but not the others. Users rebind keys by id in the `keys:` section of their configuration,
which rejects an id that is not here. No Textual in this module: configuration reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True, slots=True)
class Command:
    """One user action; `id` is what configuration uses to rebind `keys` (comma separated)."""

    id: str
    keys: str
    action: str
    """`app.<action>` or `screen.<action>`: where the action runs."""
    title: str
    help: str
    show: bool = True
    """Shown in the footer (every command is in the help screen and the command palette)."""
    priority: bool = False
    """Handled as the key arrives, before keys typed after it are routed (see MAIN_COMMANDS)."""

    def keys_in_force(self, overrides: Mapping[str, str]) -> list[str]:
        """The key names bound now, after the user's overrides."""
        return [key.strip() for key in overrides.get(self.id, self.keys).split(",") if key.strip()]

    @property
    def target(self) -> str:
        """'app' or 'screen'."""
        return self.action.split(".", 1)[0]

    @property
    def action_name(self) -> str:
        """The action without its target, as a Textual binding names it."""
        return self.action.split(".", 1)[1]


UNSAFE_KEYS: Mapping[str, str] = {
    "ctrl+s": "flow control: many terminals stop output on it (XOFF)",
    "ctrl+q": "flow control: many terminals resume output on it (XON)",
    "ctrl+h": "terminals send it for backspace",
    "ctrl+i": "terminals send it for tab",
    "ctrl+m": "terminals send it for enter",
    "ctrl+j": "terminals send it as a line feed (enter in some)",
    "ctrl+enter": "most terminals send plain enter for it",
    "ctrl+b": "tmux's prefix key: tmux keeps it",
}
"""Keys a terminal, SSH or tmux swallows or aliases, with why: no default uses them, and a user
keymap that binds one gets a warning naming the key."""


def unsafe_key_warnings(overrides: Mapping[str, str]) -> list[str]:
    """One sentence per key of the user's keymap that may never reach the app."""
    warnings = []
    for command_id, keys in overrides.items():
        for key in (k.strip().lower() for k in keys.split(",")):
            if key in UNSAFE_KEYS:
                warnings.append(f"keys.{command_id}: {key} may never reach the workbench ({UNSAFE_KEYS[key]}).")
    return warnings


APP_COMMANDS: tuple[Command, ...] = (
    Command("help", "question_mark,f1", "app.help", "Help", "List every key and what it does"),
    Command("quit", "q", "app.quit", "Quit", "Leave dbt-workbench"),
)

MAIN_COMMANDS: tuple[Command, ...] = (
    # The footer shows these in this order after Help and Quit; at 80 columns the last ones drop off.
    Command("save", "ctrl+o", "screen.save", "Save", "Write modified panes (a file changed elsewhere is never overwritten silently)"),
    # A priority binding: "/fct" typed fast must land in the box, not in the tree it replaces.
    Command("filter", "slash", "screen.filter", "Filter", "Narrow the model tree by fuzzy name match", priority=True),
    Command("clear_filter", "escape", "screen.clear_filter", "Back to tree", "Clear the filter, leave an editor: back to the tree", show=False),
    Command("switch_pane", "v", "screen.switch_pane", "SQL/YAML", "Switch between the SQL and YAML tabs (narrow screens)"),
    Command("focus_tree", "t", "screen.focus_tree", "Tree", "Move the focus to the model tree", show=False),
    Command("focus_lint", "f", "screen.focus_lint", "Findings", "Move the focus to the open model's findings (enter: go to the line)", show=False),
    Command("focus_similar", "s", "screen.focus_similar", "Similar", "Move the focus to the models like the open one (enter: open it)", show=False),
    Command("new_model", "n", "screen.new_model", "New model", "Create a model: layer, a checked name, its source, and the existing models like it first"),
    Command("search", "g", "screen.search", "Search models", "Find a word in every model's SQL and YAML; enter opens the model at the line"),
    Command("find_data", "d", "screen.find_data", "Find data", "Say what data you need: marts first, then staging, then a declared source (never a raw table)"),
    Command("dupes_report", "D", "screen.dupes_report", "Duplicates", "Every likely duplicate pair in the project, with the reasons (dbt-workbench dupes --all)", show=False),
    Command("review_step", "a", "screen.review_step", "Approve step", "Review the open model's current workflow step (SQL, docs, tests) and approve it or request changes; on step 4, run it"),
    Command("start_change", "w", "screen.start_change", "Start change", "Bring the open model into the four-step workflow (models made with the wizard are in it already)", show=False),
    Command("docs_scaffold", "o", "screen.docs_scaffold", "Docs scaffold", "Step 2: fill the YAML entry with the model's output columns, descriptions inherited where a column passes through unchanged (into the editor, not saved)", show=False),
    Command("suggest_tests", "k", "screen.suggest_tests", "Suggest tests", "Step 3: profile the model's data (read-only) and pick tests to add, each with its evidence", show=False),
    Command("run_model", "x", "screen.run_model", "Run+test", "dbt run --select the open model, then dbt test --select it if the run passed (j: the jobs)"),
    Command("jobs", "j", "screen.jobs", "Jobs", "The session's dbt jobs: live progress, results, failing test rows"),
    Command("preview", "p", "screen.preview", "Preview", "The open model's compiled SQL (from the file as it is now) and its first rows, a page at a time"),
    Command("cancel_job", "X", "screen.cancel_job", "Cancel job", "Stop the running dbt job (and drop the waiting ones)", show=False),
    Command("rescan", "r", "screen.rescan", "Rescan", "Read the project's files again"),
    Command("copy_name", "c", "screen.copy_name", "Copy name", "Copy the open model's name (OSC 52 and the local clipboard)", show=False),
    Command("lint", "l", "screen.lint", "Lint", "Every finding of the project by rule; enter opens the model at the line"),
    Command("layer_mapping", "m", "screen.layer_mapping", "Layers", "Review a layer mapping derived from the project's folders and prefixes (saved to dbt-workbench.yml only when you accept)", show=False),
    Command("edit_sql", "e", "screen.edit_sql", "Edit SQL", "Put the cursor in the model's SQL", priority=True),
    Command("edit_yaml", "y", "screen.edit_yaml", "Edit YAML", "Put the cursor in the model's YAML entry", priority=True),
    Command("revert", "ctrl+r", "screen.revert", "Revert", "Drop the focused pane's edits and reload it from disk"),
    Command("goto_line", "ctrl+g", "screen.goto_line", "Go to line", "Move the cursor to a line of the focused editor", show=False),
    Command("find", "ctrl+f", "screen.find", "Find", "Find text in the focused editor", show=False),
    Command("find_next", "f3", "screen.find_next", "Find next", "Find the next match of the last search", show=False),
)

CONFLICT_COMMANDS: tuple[Command, ...] = (
    Command("conflict_reload", "r", "screen.choose('reload')", "Reload", "Take the file from disk; your edits are dropped"),
    Command("conflict_overwrite", "o", "screen.choose('overwrite')", "Overwrite", "Write your edits over the file on disk"),
    Command("conflict_diff", "d", "screen.toggle_diff", "Show diff", "Show what your edits change in the file as it is now"),
    Command("conflict_cancel", "escape,c", "screen.choose('cancel')", "Cancel", "Keep your edits and the file as they are"),
)

UNSAVED_COMMANDS: tuple[Command, ...] = (
    Command("unsaved_save", "s", "screen.choose('save')", "Save", "Save the edits, then go on"),
    Command("unsaved_discard", "d", "screen.choose('discard')", "Discard", "Drop the edits, then go on"),
    Command("unsaved_cancel", "escape,c", "screen.choose('cancel')", "Cancel", "Stay, with the edits kept"),
)

PROMPT_COMMANDS: tuple[Command, ...] = (
    Command("prompt_cancel", "escape", "screen.cancel", "Cancel", "Close the question without an answer"),
)

HELP_COMMANDS: tuple[Command, ...] = (
    Command("close_help", "escape,q,question_mark,f1", "screen.dismiss", "Close", "Close the help screen"),
)

LINT_SCREEN_COMMANDS: tuple[Command, ...] = (
    Command("close_lint", "escape,q", "screen.dismiss(None)", "Close", "Close the lint screen"),
)

LAYER_MAPPING_COMMANDS: tuple[Command, ...] = (
    Command("layers_next", "space,right", "screen.cycle(1)", "Next layer", "Give the row under the cursor the next layer", priority=True),
    Command("layers_previous", "left", "screen.cycle(-1)", "Previous layer", "Give the row under the cursor the previous layer", priority=True),
    Command("layers_accept", "a", "screen.accept", "Accept & save", "Save the mapping to dbt-workbench.yml and read the project again"),
    Command("layers_cancel", "escape", "screen.dismiss(None)", "Cancel", "Close without saving anything"),
)

NEW_MODEL_COMMANDS: tuple[Command, ...] = (
    Command("new_model_create", "ctrl+o", "screen.create", "Create", "Check the name, then show the file to write (enter in the name does the same)"),
    Command("new_model_open", "o", "screen.open_candidate", "Open it", "Open the highlighted existing model instead of creating one"),
    Command("new_model_extend", "x", "screen.extend_candidate", "Extend instead", "Open the highlighted model in the SQL editor to extend it"),
    Command("new_model_cancel", "escape", "screen.cancel", "Cancel", "Close the wizard; nothing is written (what you typed is back when it opens again)"),
)

FIND_DATA_COMMANDS: tuple[Command, ...] = (
    Command("find_data_copy", "c", "screen.copy_snippet", "Copy snippet", "Copy the highlighted model's select ... from ref() snippet"),
    Command("find_data_open", "o", "screen.open_match", "Open it", "Open the highlighted model in the editors"),
    Command("find_data_new", "w", "screen.new_model", "New model", "No mart fits: the wizard at the marts layer; nothing fits: a staging model over the highlighted source"),
    Command("find_data_close", "escape", "screen.dismiss(None)", "Close", "Back to the tree"),
)

DUPES_REPORT_COMMANDS: tuple[Command, ...] = (
    Command("dupes_open_first", "enter", "screen.open_first", "Open first", "Open the pair's first model"),
    Command("dupes_open_second", "o", "screen.open_second", "Open second", "Open the pair's second model"),
    Command("dupes_close", "escape", "screen.dismiss(None)", "Close", "Back to the tree"),
)

JOBS_COMMANDS: tuple[Command, ...] = (
    Command("jobs_cancel", "c", "screen.cancel_job", "Cancel job", "Stop the running job: dbt cancels its queries, then the process ends"),
    Command("jobs_error", "e", "screen.go_to_error", "Go to error", "Open the file and line the job's error names"),
    Command("jobs_older", "left,comma", "screen.show_job(-1)", "Older job", "Show the job before this one"),
    Command("jobs_newer", "right,full_stop", "screen.show_job(1)", "Newer job", "Show the job after this one"),
    Command("jobs_close", "escape", "screen.dismiss(None)", "Close", "Back to the tree; running jobs go on"),
)

REVIEW_COMMANDS: tuple[Command, ...] = (
    Command("review_approve", "a", "screen.approve", "Approve", "Approve exactly what is shown (a note is optional; a SQL naming relations directly needs a reason)"),
    Command("review_changes", "c", "screen.request_changes", "Request changes", "Keep the step open and record what should change"),
    Command("review_close", "escape", "screen.dismiss(None)", "Back", "Close without a decision"),
)

SUGGEST_TESTS_COMMANDS: tuple[Command, ...] = (
    Command("suggest_accept", "enter,a", "screen.accept", "Add kept tests", "Add the kept tests to the model's YAML entry in the editor (not saved yet)", priority=True),
    Command("suggest_close", "escape", "screen.dismiss(None)", "Cancel", "Close; no test is added"),
)

PREVIEW_COMMANDS: tuple[Command, ...] = (
    Command("preview_next", "n,pagedown", "screen.page(1)", "Next page", "The next 100 rows"),
    Command("preview_previous", "p,pageup", "screen.page(-1)", "Previous page", "The 100 rows before"),
    Command("preview_copy_sql", "c", "screen.copy_sql", "Copy SQL", "Copy the compiled SQL (OSC 52 and the local clipboard)"),
    Command("preview_copy_row", "y", "screen.copy_row", "Copy row", "Copy the highlighted row, tab-separated, under its column names"),
    Command("preview_close", "escape", "screen.dismiss(None)", "Close", "Back to the tree"),
)

CREATE_CONFIRM_COMMANDS: tuple[Command, ...] = (
    Command("create_confirm", "y", "screen.confirm", "Create", "Write the model file shown and open it"),
    Command("create_back", "escape,n", "screen.back", "Back", "Back to the wizard; nothing is written"),
)

RECOVERY_COMMANDS: tuple[Command, ...] = (
    Command("recovery_restore", "r", "screen.choose('restore')", "Restore", "Put the recovered edits back into the model's panes, unsaved (save with the usual checks)"),
    Command("recovery_discard", "d", "screen.choose('discard')", "Discard", "Set the recovered edits aside (the file stays in .dbt-workbench/recovery/ as .discarded)"),
    Command("recovery_later", "escape,l", "screen.choose('cancel')", "Later", "Keep the recovery for the next start; nothing changes"),
)

SEARCH_COMMANDS: tuple[Command, ...] = (
    Command("search_results", "down", "screen.focus_results", "Results", "From the search box to the results; enter opens the highlighted one at its line"),
    Command("search_close", "escape", "screen.dismiss(None)", "Close", "Close the search; nothing is opened"),
)

ALL_COMMANDS: tuple[Command, ...] = (
    *APP_COMMANDS,
    *MAIN_COMMANDS,
    *CONFLICT_COMMANDS,
    *UNSAVED_COMMANDS,
    *RECOVERY_COMMANDS,
    *PROMPT_COMMANDS,
    *HELP_COMMANDS,
    *LINT_SCREEN_COMMANDS,
    *LAYER_MAPPING_COMMANDS,
    *NEW_MODEL_COMMANDS,
    *SEARCH_COMMANDS,
    *CREATE_CONFIRM_COMMANDS,
    *FIND_DATA_COMMANDS,
    *DUPES_REPORT_COMMANDS,
    *JOBS_COMMANDS,
    *PREVIEW_COMMANDS,
    *REVIEW_COMMANDS,
    *SUGGEST_TESTS_COMMANDS,
)
COMMAND_IDS: frozenset[str] = frozenset(command.id for command in ALL_COMMANDS)

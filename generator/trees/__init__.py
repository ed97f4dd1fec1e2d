"""Decision trees: load the YAML a publisher writes, check it, compile it for the engine.

format.py holds the format's vocabulary; state.py the state of one file's check (`CheckState`),
which every check function takes as its first argument; checker.py the structure of a tree,
texts.py its texts and references, forms.py its forms and templates, routing.py its conditions
and paths (judged by the engine); loading.py the files; pathfiles.py the reviewable path files,
whose text the check returns in the compiled tree ("paths").

A tree is one file `decision_trees/<id>.yml` (see docs/tree-format.md). Loading reports
every problem of a file at once, each with the file, the line and a fix in plain words;
a file with errors compiles to nothing. Expressions are parsed and every path is walked
by the engine (`generator.engine`), so the check here and the run in the browser agree.

Texts may refer to contacts and to other flows (`[[nummer:KEY]]`, `[[kontakt:KEY]]`,
`[[flode:ID]]`); each reference is checked here and rendered by `generator.flowpage`. A step
or action whose words ask the reader to call or report, and that shows no contact, is a
warning (`requests_without_contact`).
"""

from generator.trees.format import HTML_RE, ID_RE, PATHS_DIR, REFERENCE_RE, TREES_DIR, reference_kind
from generator.trees.loading import load_tree, load_trees, tree_files
from generator.trees.pathfiles import path_file, stale_path_files, write_path_files
from generator.trees.texts import contacts_used

__all__ = ["HTML_RE", "ID_RE", "PATHS_DIR", "REFERENCE_RE", "TREES_DIR", "reference_kind", "contacts_used",
           "load_tree", "load_trees", "path_file", "stale_path_files", "tree_files", "write_path_files"]

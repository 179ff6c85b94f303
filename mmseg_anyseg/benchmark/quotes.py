"""Pages quote the leaderboard through generated blocks, never by hand.

A Markdown page asks for a table with a comment that names the leaderboard JSON, its rows and
its columns; ``python tools/benchmark/run.py SPEC --collect`` writes the table under it, and a
test checks that every block equals a fresh rendering::

    <!-- leaderboard {"source": "docs/results/leaderboard/leaderboard.json",
                      "rows": ["PML teacher", "L_sup", "AnySeg"],
                      "columns": ["mean", "RDEL", "size 1", "vs reference"]} -->
    | model | ... |                 <- written by the tool
    <!-- end leaderboard -->

Metafiles quote the same way: a ``Results`` entry whose ``Source`` is
``<leaderboard JSON>, row <name>`` has its ``Metrics`` (``mean mIoU (15 subsets)``,
``std over seeds``, ``seeds``, ``mIoU (<subset>)``) rewritten from that row.

Columns: ``mean``, a subset name (``RDEL``), ``size K`` (the mean over the subsets of K
modalities), ``seeds``, ``iterations`` (the row's own and in all), ``vs reference`` (the
paired-seed difference to the spec's reference row), ``vs ROW`` (the same to another row, a
control, say), ``worst vs max(ROW | ROW ...)`` (the smallest margin, over the subsets, of the
row's mean above the best of the named rows on that subset, with the subset: ``-0.98 (RDEL)``
says the row is at most 0.98 points under the best of them on every subset) and
``scenario NAME`` (mIoU^Avg under a sensor-failure scenario, ``emm_zero``, ``rmm_r050``, ...). A row that has not finished yet is
written as such, so that a page never shows a number its source does not have.
"""
import glob
import io
import json
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from .leaderboard import paired_difference

BLOCK = re.compile(
    r'<!-- leaderboard (?P<args>\{.*?\}) -->\n(?P<body>.*?)<!-- end leaderboard -->', re.S)
SOURCE = re.compile(r'^(?P<source>\S+\.json), row (?P<row>.+)$')
WORST = re.compile(r'worst vs max\((?P<rows>.+)\)')


class QuoteError(ValueError):
    """A quote block that cannot be rendered: names the page and what is wrong."""


def _cell(stat: Sequence[float]) -> str:
    return f'{stat[0]:.2f} ± {stat[1]:.2f}' if stat[1] else f'{stat[0]:.2f}'


def _int_seeds(row: dict) -> dict:
    """A row read from JSON, its per-seed results keyed by int seed as when collected."""
    return dict(row, per_seed={int(seed): r for seed, r in row['per_seed'].items()})


def _column(board: dict, row: dict, column: str, where: str) -> str:
    if column == 'mean':
        return _cell(row['mean'])
    if column == 'seeds':
        done, planned = len(row['seeds']), len(row['planned_seeds'])
        return str(done) if done == planned else f'{done} of {planned}'
    if column == 'iterations':
        return f'{row["iterations"]} ({row["total_iterations"]})'
    if column == 'vs reference':
        diff = row.get('vs_reference')
        if diff is None:
            return '-'
        return f'{diff["mean"][0]:+.2f} ± {diff["mean"][1]:.2f}'
    worst = WORST.fullmatch(column)
    if worst:
        return _worst_margin(board, row, [n.strip() for n in worst['rows'].split('|')], where)
    if column.startswith('vs '):
        other = board['rows'].get(column[3:])
        if other is None:
            raise QuoteError(f'{where}: column {column!r} names no finished row of the '
                             f'leaderboard; rows: {", ".join(board["rows"])}')
        diff = paired_difference(_int_seeds(row), _int_seeds(other))
        return '-' if diff is None or row is other else \
            f'{diff["mean"][0]:+.2f} ± {diff["mean"][1]:.2f}'
    if column.startswith('size '):
        return _cell(row['sizes'][column[5:]])
    if column.startswith('scenario '):
        stat = row.get('robustness', {}).get(column[9:])
        return '-' if stat is None else _cell(stat)
    if column in row['subsets']:
        return _cell(row['subsets'][column])
    raise QuoteError(f'{where}: unknown column {column!r}; columns: mean, seeds, iterations, '
                     f'vs reference, vs ROW, worst vs max(ROW | ROW), size K, scenario NAME, '
                     f'or a subset '
                     f'({", ".join(row["subsets"])})')


def _worst_margin(board: dict, row: dict, others: Sequence[str], where: str) -> str:
    """The smallest, over the subsets, of the row's mean minus the best mean of ``others``."""
    missing = [name for name in others if name not in board['rows']]
    if missing:
        raise QuoteError(f'{where}: worst vs max(...) names no finished row {missing}; rows: '
                         f'{", ".join(board["rows"])}')
    margins = {subset: stat[0] - max(board['rows'][name]['subsets'][subset][0]
                                     for name in others)
               for subset, stat in row['subsets'].items()}
    subset = min(margins, key=margins.get)
    return f'{margins[subset]:+.2f} ({subset})'


def _header(board: dict, column: str) -> str:
    if column == 'vs reference':
        return f'vs {board["reference"]}'
    if column.startswith('size '):
        k = column[5:]
        return f'{k} modalit{"y" if k == "1" else "ies"}'
    if column.startswith('scenario '):
        return column[9:]
    worst = WORST.fullmatch(column)
    if worst:  # a '|' would split the Markdown cell
        return f'worst vs max({", ".join(n.strip() for n in worst["rows"].split("|"))})'
    return column


def render(board: dict, rows: Sequence[str], columns: Sequence[str], where: str) -> str:
    """A Markdown table of the named rows and columns of a leaderboard."""
    lines = ['| model | ' + ' | '.join(_header(board, c) for c in columns) + ' |',
             '|---|' + '---:|' * len(columns)]
    for name in rows:
        row = board['rows'].get(name)
        if row is None:
            lines.append(f'| {name} | ' + ' | '.join('not run yet' if i == 0 else ''
                                                     for i in range(len(columns))) + ' |')
            continue
        lines.append(f'| {name} | ' + ' | '.join(_column(board, row, c, where)
                                                 for c in columns) + ' |')
    return '\n'.join(lines) + '\n'


def quoted_blocks(text: str, page: str) -> List[dict]:
    """The quote blocks of a page: their arguments, current body and span."""
    blocks = []
    for match in BLOCK.finditer(text):
        try:
            args = json.loads(match['args'])
        except json.JSONDecodeError as error:
            raise QuoteError(f'{page}: a leaderboard block is not valid JSON: {error}') from None
        missing = {'source', 'rows', 'columns'} - set(args)
        if missing:
            raise QuoteError(f'{page}: a leaderboard block lacks {sorted(missing)}')
        blocks.append(dict(args=args, body=match['body'], span=match.span('body')))
    return blocks



def pages(root: str = '.') -> List[str]:
    """The pages that may quote a leaderboard: the README, the method READMEs and metafiles,
    and ``docs/``."""
    found = [osp.join(root, 'README.md')]
    found += sorted(glob.glob(osp.join(root, 'configs', '*', 'README.md')))
    found += sorted(glob.glob(osp.join(root, 'configs', '*', 'metafile.yaml')))
    found += sorted(glob.glob(osp.join(root, 'docs', '**', '*.md'), recursive=True))
    return [p for p in found if osp.isfile(p)]


def _load_board(boards: Dict[str, dict], source: str, root: str, page: str) -> dict:
    if source not in boards:
        path = osp.join(root, source)
        if not osp.isfile(path):
            raise QuoteError(f'{page}: leaderboard {source} not found')
        with open(path) as f:
            boards[source] = json.load(f)
    return boards[source]


def _metric(row: dict, name: str, where: str):
    if name == 'mean mIoU (15 subsets)':
        return round(row['mean'][0], 2)
    if name == 'std over seeds':
        return round(row['mean'][1], 2)
    if name == 'seeds':
        return len(row['seeds'])
    match = re.fullmatch(r'mIoU \((\w+)\)', name)
    if match and match[1] in row['subsets']:
        return round(row['subsets'][match[1]][0], 2)
    raise QuoteError(f'{where}: metric {name!r} cannot be quoted from a leaderboard; metrics: '
                     'mean mIoU (15 subsets), std over seeds, seeds, mIoU (<subset>)')


def _sources(text: str, path: str) -> List[str]:
    """The leaderboard JSONs a page quotes."""
    if path.endswith('.yaml'):
        return [m['source'] for m in (SOURCE.match(line.split('Source:', 1)[1].strip(' \'"'))
                                      for line in text.splitlines() if 'Source:' in line) if m]
    return [block['args']['source'] for block in quoted_blocks(text, path)]


def rendered_metafile(path: str, root: str = '.') -> Tuple[str, str]:
    """A metafile as it is and with every leaderboard-sourced ``Metrics`` rewritten."""
    with open(path) as f:
        text = f.read()
    meta = yaml.safe_load(text)
    boards: Dict[str, dict] = {}
    for model in meta.get('Models', []):
        for result in model.get('Results', []):
            match = SOURCE.match(str(result.get('Source', '')))
            if not match:
                continue
            where = f'{path}: {model["Name"]}'
            row = _load_board(boards, match['source'], root, where)['rows'].get(match['row'])
            if row is None:
                raise QuoteError(f'{where} quotes row {match["row"]!r}, which '
                                 f'{match["source"]} does not have (not run yet?)')
            result['Metrics'] = {name: _metric(row, name, where) for name in result['Metrics']}
    out = io.StringIO()
    yaml.safe_dump(meta, out, sort_keys=False, allow_unicode=True, width=100)
    return text, out.getvalue()


def rendered_page(path: str, root: str = '.') -> Tuple[str, str]:
    """A page's text as it is and with every quote rendered from its leaderboard JSON.

    Args:
        path: The page.
        root: The repository root, against which each block's ``source`` is resolved.

    Returns:
        tuple: the current text and the rendered one (equal when the page is up to date).
    """
    if path.endswith('.yaml'):
        return rendered_metafile(path, root)
    with open(path) as f:
        text = f.read()
    boards: Dict[str, dict] = {}
    pieces, last = [], 0
    for block in quoted_blocks(text, path):
        board = _load_board(boards, block['args']['source'], root, path)
        start, end = block['span']
        pieces += [text[last:start], render(board, block['args']['rows'],
                                            block['args']['columns'], path)]
        last = end
    return text, ''.join(pieces) + text[last:]


def refresh_pages(root: str = '.', source: Optional[str] = None) -> List[str]:
    """Rewrite the out-of-date quote blocks of the repository's pages.

    Args:
        root: The repository root.
        source: Only pages that quote this leaderboard JSON (a path relative to ``root``);
            all pages if None.

    Returns:
        list: the pages changed.
    """
    changed = []
    for path in pages(root):
        with open(path) as f:
            if source is not None and source not in _sources(f.read(), path):
                continue
        text, new = rendered_page(path, root)
        if new != text:
            with open(path, 'w') as f:
                f.write(new)
            changed.append(path)
    return changed

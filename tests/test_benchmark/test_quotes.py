"""Every synthetic number a page quotes comes from a leaderboard, and every leaderboard from its
raw runs."""
import glob
import json
import os.path as osp
import re

import pytest

from mmseg_anyseg.benchmark import QuoteError, collect
from mmseg_anyseg.benchmark.quotes import _sources, pages, render, rendered_page
from tests.conftest import REPO_ROOT

SPECS = sorted(glob.glob(osp.join(REPO_ROOT, 'docs', 'results', '*', 'spec.py')))
MEAN_STD = re.compile(r'\d+\.\d+ ± \d+\.\d+')


def board(**rows) -> dict:
    return dict(reference='L_sup', rows={
        name: dict(seeds=seeds, planned_seeds=[0, 1, 2], iterations=1600,
                   total_iterations=4800, mean=[mean, 1.0], subsets={'R': [mean - 5, 2.0]},
                   sizes={'1': [mean - 5, 2.0]}, robustness={},
                   vs_reference=dict(mean=[mean - 40.0, 0.5]))
        for name, (mean, seeds) in rows.items()})


@pytest.mark.parametrize('spec', SPECS, ids=lambda p: osp.basename(osp.dirname(p)))
def test_each_leaderboard_is_a_fresh_aggregation_of_its_raw_runs(spec, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    folder = osp.relpath(osp.dirname(spec), REPO_ROOT)
    fresh = collect(osp.join(folder, 'spec.py'), osp.join('docs', 'results', 'raw'),
                    osp.join('work_dirs', 'benchmark'))
    with open(osp.join(folder, 'leaderboard.json')) as f:
        committed = json.load(f)
    assert json.dumps(fresh, sort_keys=True) == json.dumps(committed, sort_keys=True), (
        f'{folder}/leaderboard.json is not what its raw runs give: run '
        f'python tools/benchmark/run.py {folder}/spec.py --collect')


def test_no_raw_record_names_a_folder_of_one_machine():
    absolute = re.compile(r"['\" ]/[A-Za-z][^'\" ]*/")
    found = [f'{osp.relpath(path, REPO_ROOT)}: {match.group(0)}'
             for path in glob.glob(osp.join(REPO_ROOT, 'docs', 'results', 'raw', '**', '*.*'),
                                   recursive=True) if path.endswith(('.json', '.py'))
             for match in [absolute.search(open(path).read())] if match]
    assert not found, found


@pytest.mark.parametrize('page', pages(REPO_ROOT), ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_every_quote_equals_its_leaderboard(page):
    text, rendered = rendered_page(page, REPO_ROOT)
    assert text == rendered, (f'{osp.relpath(page, REPO_ROOT)} quotes figures its leaderboard '
                              'does not have: run tools/benchmark/run.py SPEC --collect')


def test_no_page_pastes_a_mean_and_std_by_hand():
    """Means over seeds appear only inside quote blocks, generated tables (leaderboards, the
    analysis tools' outputs under ``docs/results/*/diagnostics/``) and history."""
    pasted = []
    for page in pages(REPO_ROOT):
        relative = osp.relpath(page, REPO_ROOT)
        if (relative.startswith(osp.join('docs', 'results', 'history'))
                or osp.basename(page) == 'leaderboard.md' or page.endswith('.yaml')
                or osp.basename(osp.dirname(page)) == 'diagnostics'):
            continue
        with open(page) as f:
            text = re.sub(r'<!-- leaderboard .*?<!-- end leaderboard -->', '', f.read(),
                          flags=re.S)
        pasted += [f'{relative}: {m}' for m in MEAN_STD.findall(text)]
    assert not pasted, pasted


def test_a_quote_renders_rows_not_yet_run_and_names_a_bad_column():
    table = render(board(L_sup=(50.0, [0, 1, 2]), AnySeg=(52.5, [0])), ['L_sup', 'AnySeg',
                                                                       'MAGIC'],
                   ['seeds', 'mean', 'size 1', 'vs reference'], 'page.md')
    assert table.splitlines() == [
        '| model | seeds | mean | 1 modality | vs L_sup |', '|---|---:|---:|---:|---:|',
        '| L_sup | 3 | 50.00 ± 1.00 | 45.00 ± 2.00 | +10.00 ± 0.50 |',
        '| AnySeg | 1 of 3 | 52.50 ± 1.00 | 47.50 ± 2.00 | +12.50 ± 0.50 |',
        '| MAGIC | not run yet |  |  |  |']
    with pytest.raises(QuoteError, match=r"page.md: unknown column 'RDLE'.*subset \(R\)"):
        render(board(L_sup=(50.0, [0])), ['L_sup'], ['RDLE'], 'page.md')



def test_a_quote_gives_the_paired_difference_to_any_row_seed_by_seed():
    def row(per_seed: dict) -> dict:  # as read back from JSON: seeds as strings
        return dict(seeds=sorted(int(s) for s in per_seed), per_seed={
            s: dict(mean=m, subsets={'R': m - 1}) for s, m in per_seed.items()})
    rows = dict(control=row({'0': 60.0, '1': 62.0, '2': 61.0}),
                recipe=row({'0': 63.0, '1': 63.0}))
    table = render(dict(reference='L_sup', rows=rows), ['recipe', 'control'], ['vs control'],
                   'page.md')
    # seeds 0 and 1 only: differences 3 and 1, mean 2, sample std sqrt(2)
    assert table.splitlines()[2:] == ['| recipe | +2.00 ± 1.41 |', '| control | - |']
    assert table.splitlines()[0] == '| model | vs control |'
    with pytest.raises(QuoteError, match=r"column 'vs contrl' names no finished row.*control"):
        render(dict(reference='L_sup', rows=rows), ['recipe'], ['vs contrl'], 'page.md')


def test_a_quote_gives_the_worst_margin_over_the_best_of_other_rows():
    def row(**subsets: float) -> dict:
        return dict(subsets={name: [mean, 0.5] for name, mean in subsets.items()})
    rows = dict(teacher=row(R=20.0, RDEL=82.0), L_sup=row(R=43.0, RDEL=67.0),
                recipe=row(R=52.0, RDEL=80.9))
    table = render(dict(reference='L_sup', rows=rows), ['recipe', 'L_sup'],
                   ['worst vs max(teacher | L_sup)'], 'page.md')
    # recipe: R 52 - max(20, 43) = +9, RDEL 80.9 - max(82, 67) = -1.1; L_sup: RDEL 67 - 82
    assert table.splitlines() == ['| model | worst vs max(teacher, L_sup) |', '|---|---:|',
                                  '| recipe | -1.10 (RDEL) |', '| L_sup | -15.00 (RDEL) |']
    with pytest.raises(QuoteError, match=r"names no finished row \['techer'\]"):
        render(dict(reference='L_sup', rows=rows), ['recipe'],
               ['worst vs max(techer | L_sup)'], 'page.md')


def test_a_page_and_a_metafile_are_rewritten_from_their_leaderboard(tmp_path):
    (tmp_path / 'board.json').write_text(json.dumps(board(AnySeg=(52.5, [0, 1, 2]))))
    page = tmp_path / 'page.md'
    page.write_text('Intro.\n<!-- leaderboard {"source": "board.json", "rows": ["AnySeg"], '
                    '"columns": ["mean"]} -->\n| stale |\n<!-- end leaderboard -->\nEnd.\n')
    text, new = rendered_page(str(page), str(tmp_path))
    assert new == ('Intro.\n<!-- leaderboard {"source": "board.json", "rows": ["AnySeg"], '
                   '"columns": ["mean"]} -->\n| model | mean |\n|---|---:|\n'
                   '| AnySeg | 52.50 ± 1.00 |\n<!-- end leaderboard -->\nEnd.\n')
    metafile = tmp_path / 'metafile.yaml'
    metafile.write_text('Models:\n- Name: anyseg\n  Results:\n  - Task: Semantic Segmentation\n'
                        '    Metrics:\n      mean mIoU (15 subsets): 29.59\n      seeds: 3\n'
                        '      mIoU (R): 1.0\n    Source: board.json, row AnySeg\n')
    _, new = rendered_page(str(metafile), str(tmp_path))
    assert '      mean mIoU (15 subsets): 52.5\n      seeds: 3\n      mIoU (R): 47.5\n' in new
    # A row name with a colon is quoted in YAML; the page still counts as quoting the board.
    (tmp_path / 'board.json').write_text(json.dumps(board(**{'Recipe: A': (50.0, [0])})))
    metafile.write_text(metafile.read_text().replace('Source: board.json, row AnySeg',
                                                     "Source: 'board.json, row Recipe: A'"))
    assert _sources(metafile.read_text(), str(metafile)) == ['board.json']
    assert '      mean mIoU (15 subsets): 50.0\n      seeds: 1\n' in rendered_page(
        str(metafile), str(tmp_path))[1]
    metafile.write_text(metafile.read_text().replace("'board.json, row Recipe: A'",
                                                     'board.json, row MAGIC'))
    with pytest.raises(QuoteError, match="anyseg quotes row 'MAGIC', which board.json does "
                       r'not have \(not run yet\?\)'):
        rendered_page(str(metafile), str(tmp_path))

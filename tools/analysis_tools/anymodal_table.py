"""Compare models over every modality subset: a Markdown table and a PNG chart.

Reads the JSON files that ``tools/test.py --anymodal-out`` (or
``AnymodalIoUMetric(out_file=...)``) writes::

    python tools/analysis_tools/anymodal_table.py teacher/anymodal.json \
        student/anymodal.json --out comparison
"""
import argparse
import os
import os.path as osp

from mmseg_anyseg.reports import anymodal_markdown, load_anymodal_results
from mmseg_anyseg.visualization import plot_anymodal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('results', nargs='+', help='anymodal JSON files, one per model')
    parser.add_argument('--out', required=True, help='output prefix (.md and .png are added)')
    parser.add_argument('--metric', default='IoU', choices=['IoU', 'Acc', 'Fscore'])
    args = parser.parse_args()
    results = load_anymodal_results(args.results)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    table = anymodal_markdown(results, args.metric)
    with open(f'{args.out}.md', 'w') as f:
        f.write(table + '\n')
    plot_anymodal(results, f'{args.out}.png', args.metric)
    print(table)
    print(f'\nwritten: {args.out}.md, {args.out}.png')


if __name__ == '__main__':
    main()

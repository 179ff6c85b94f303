"""The user's pages: every relative link resolves (results pages move into history)."""
import glob
import os.path as osp
import re

from tests.conftest import REPO_ROOT

LINK = re.compile(r'\]\(([^)\s]+)\)')


def test_every_relative_link_of_the_pages_resolves():
    pages = [osp.join(REPO_ROOT, 'README.md')]
    for folder in ('configs', 'docs'):
        pages += glob.glob(osp.join(REPO_ROOT, folder, '**', '*.md'), recursive=True)
    broken = []
    for page in pages:
        with open(page) as f:
            for target in LINK.findall(f.read()):
                path = target.split('#')[0]
                if path and not re.match(r'[a-z]+:', path) and not osp.exists(
                        osp.join(osp.dirname(page), path)):
                    broken.append(f'{osp.relpath(page, REPO_ROOT)} -> {target}')
    assert len(pages) > 20 and not broken, broken

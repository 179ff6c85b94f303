import pytest

from mmseg_anyseg.utils import all_subsets, resolve_subsets, subset_name

DELIVER = ('rgb', 'depth', 'event', 'lidar')


def test_all_subsets_follow_paper_column_order():
    names = [subset_name(s) for s in all_subsets(DELIVER)]
    assert names == ['R', 'D', 'E', 'L', 'RD', 'RE', 'RL', 'DE', 'DL', 'EL', 'RDE', 'RDL', 'REL',
                     'DEL', 'RDEL']
    assert [subset_name(s) for s in all_subsets(('frame', 'event', 'lidar'))] == [
        'F', 'E', 'L', 'FE', 'FL', 'EL', 'FEL']


def test_resolve_subsets_by_code_size_and_names():
    assert resolve_subsets(DELIVER, ['RD', ('lidar', 'rgb')]) == [('rgb', 'depth'),
                                                                 ('rgb', 'lidar')]
    assert len(resolve_subsets(DELIVER, 2)) == 6
    assert resolve_subsets(DELIVER, dict(sizes=(1, 4)))[-1] == DELIVER
    with pytest.raises(ValueError, match='radar'):
        resolve_subsets(DELIVER, [('rgb', 'radar')])

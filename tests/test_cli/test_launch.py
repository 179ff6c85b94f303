"""mmseg_anyseg.cli.launch: what ``--resume`` resumes from, and what ``load_from`` must fill."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmseg_anyseg.cli import check_load_from, resume_from_work_dir


def config(tmp_path, load_from=None) -> Config:
    return Config(dict(work_dir=str(tmp_path / 'work'), load_from=load_from, resume=False))


def write_checkpoint_record(tmp_path, name: str) -> str:
    """The work dir of a killed training: ``last_checkpoint`` names its latest checkpoint."""
    work_dir = tmp_path / 'work'
    work_dir.mkdir(exist_ok=True)
    path = str(work_dir / name)
    open(path, 'wb').close()
    (work_dir / 'last_checkpoint').write_text(path)
    return path


@pytest.mark.parametrize('load_from', [None, 'teacher/iter_3200.pth'])
def test_resume_continues_from_the_work_dirs_latest_checkpoint_not_load_from(tmp_path, load_from):
    latest = write_checkpoint_record(tmp_path, 'iter_1200.pth')
    cfg = config(tmp_path, load_from)
    resume_from_work_dir(cfg, resume=True)
    assert (cfg.resume, cfg.load_from) == (True, latest)


@pytest.mark.parametrize('load_from', [None, 'teacher/iter_3200.pth'])
def test_resume_with_nothing_saved_starts_anew_from_load_from(tmp_path, load_from):
    cfg = config(tmp_path, load_from)
    resume_from_work_dir(cfg, resume=True)
    # mmengine would resume from load_from here: its iteration, optimizer and schedule
    assert (cfg.resume, cfg.load_from) == (False, load_from)


def test_without_resume_a_saved_checkpoint_is_not_used(tmp_path):
    write_checkpoint_record(tmp_path, 'iter_1200.pth')
    cfg = config(tmp_path, 'teacher/iter_3200.pth')
    resume_from_work_dir(cfg, resume=False)
    assert (cfg.resume, cfg.load_from) == (False, 'teacher/iter_3200.pth')
    assert osp.isfile(osp.join(cfg.work_dir, 'last_checkpoint'))


def test_a_training_from_load_from_checks_what_it_fills_once_and_a_resume_does_not():
    hooks = [dict(type='RandomStateHook')]
    cfg = Config(dict(load_from='teacher/iter_3200.pth', resume=False, custom_hooks=hooks))
    check_load_from(cfg)
    check_load_from(cfg)
    assert [h['type'] for h in cfg.custom_hooks] == ['RandomStateHook', 'LoadFromCoverageHook']
    for unchecked in (dict(load_from=None, resume=False), dict(load_from='w/iter_2.pth',
                                                                resume=True)):
        cfg = Config(dict(unchecked, custom_hooks=list(hooks)))
        check_load_from(cfg)
        assert [h['type'] for h in cfg.custom_hooks] == ['RandomStateHook']

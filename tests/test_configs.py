"""Every shipped config parses, and every segmentor config builds its model."""
import glob
import math
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmseg.registry import MODELS

from mmseg_anyseg.models import inference_model_cfg
from mmseg_anyseg.utils import all_subsets, subset_name
from tests.conftest import REPO_ROOT

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True))
TOP_LEVEL = [c for c in CONFIGS if '_base_' not in c]


def test_configs_are_found():
    assert len(TOP_LEVEL) >= 30


@pytest.mark.parametrize('path', TOP_LEVEL, ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmseg' and 'mmseg_anyseg' in cfg.custom_imports.imports
    assert dict(type='RandomStateHook') in cfg.custom_hooks  # resumes with the same draws
    assert dict(type='FiniteLossHook') in cfg.custom_hooks
    if 'convnext' in path:
        pytest.importorskip('mmpretrain', reason='mmpretrain is an optional extra')
    model_cfg = inference_model_cfg(cfg.model)
    model_cfg.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    model = MODELS.build(model_cfg).eval()
    modalities = len(cfg.modalities)
    assert model.backbone.num_modalities == modalities
    assert model.decode_head.num_classes == cfg.num_classes
    if cfg.model.type == 'AnySegDistiller':
        dropout = cfg.model.data_preprocessor.modality_dropout
        # the authors' draw, unless a recipe beyond the paper names another
        assert (dropout.type, dropout.get('per')) == (
            ('independent', None) if 'independent-dropout' in path else ('size_uniform', 'batch'))
        assert dropout.get('fill', 'drop') == ('zero' if 'zero-fill' in path else 'drop')
        assert osp.isfile(osp.join(REPO_ROOT, cfg.model.teacher.config))
    with torch.no_grad():
        out = model._forward(torch.zeros(1, modalities, 3, 64, 64))
    assert out.shape == (1, cfg.num_classes, 16, 16)


def cpu_sized(path: str, data_root: str, work_dir: str, **overrides) -> Config:
    """A paper config on a tiny synthetic tree: 32x32 crops, batch 2, no workers."""
    cfg = Config.fromfile(path)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(batch_size=2, num_workers=0, persistent_workers=False)
        cfg[loader].dataset.data_root = data_root
    for step in cfg.train_dataloader.dataset.pipeline:
        if step.type == 'RandomResize':
            step.scale = (32, 32)
        if step.type == 'RandomCrop':
            step.crop_size = (32, 32)
    model = cfg.model.get('student', cfg.model)
    model.backbone.get('rgb_branch', model.backbone).init_cfg = None
    model.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    for loader in ('val_dataloader', 'test_dataloader'):
        for step in cfg[loader].dataset.pipeline:
            if step.type == 'ResizeOnLoad':
                step.scale = (128, 32)
    for preprocessor in (cfg.model.data_preprocessor, model.data_preprocessor):
        preprocessor.size = (32, 32)
    settings = dict(work_dir=work_dir, train_cfg=dict(max_iters=2, val_interval=2),
                    default_hooks=dict(logger=dict(interval=1),
                                       checkpoint=dict(interval=2, save_best=None)),
                    visualizer=dict(vis_backends=[dict(type='LocalVisBackend')]))
    settings.update(overrides)
    cfg.merge_from_dict(settings)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    return cfg


@pytest.mark.slow
def test_paper_deliver_configs_train_with_the_authors_protocol(tmp_path, synthetic_deliver):
    """The DELIVER teacher (B2) and student (B0) configs, as shipped, train on CPU."""
    teacher_cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/pml/pml_segb2_deliver.py'),
                            synthetic_deliver, str(tmp_path / 'teacher'))
    assert teacher_cfg.model.decode_head.loss_decode.type == 'OhemCrossEntropyLoss'
    assert teacher_cfg.optim_wrapper.paramwise_cfg == dict(flat_decay_mult=0.0)
    assert teacher_cfg.test_dataloader.dataset.split == 'val'
    assert teacher_cfg.test_evaluator.nan_to_num == 0
    Runner.from_cfg(teacher_cfg).train()
    teacher_cfg.dump(str(tmp_path / 'teacher.py'))

    student_cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/anyseg/anyseg_segb0_deliver.py'),
                            synthetic_deliver, str(tmp_path / 'student'))
    student_cfg.model.teacher = dict(config=str(tmp_path / 'teacher.py'),
                                     checkpoint=str(tmp_path / 'teacher' / 'iter_2.pth'))
    mad, umd, cmd = (student_cfg.model.distill_losses[k].loss for k in ('mad', 'umd', 'cmd'))
    assert mad.resolution == 'input'
    assert umd.modality_reduction == 'sum'
    # the released loop's weights, scale and UMD.py / CMD.py computations (issues 19, 27)
    assert (mad.channel_reduction, mad.loss_weight, umd.channel_reduction, umd.loss_weight,
            umd.softmax_axis, cmd.mode, cmd.loss_weight) == (
                'mean', 50.0, 'mean', 5.0, 'height', 'released', 10.0)
    assert student_cfg.default_hooks.checkpoint.save_best is None  # cpu_sized; shipped below
    runner = Runner.from_cfg(student_cfg)
    runner.train()
    logged = runner.message_hub.log_scalars
    for key in ('train/loss_mad', 'train/loss_umd', 'train/loss_cmd', 'train/decode.loss_ce'):
        assert key in logged and torch.isfinite(torch.tensor(logged[key].current()))
    assert logged['train/loss_cmd'].current() > 0

    # the paper's equations, one option config each, train one iteration from the same teacher
    for option in ('umd-channel', 'cmd-literal', 'cmd-bernoulli'):
        option_cfg = cpu_sized(
            osp.join(REPO_ROOT, f'configs/anyseg/ablations/anyseg_segb0_deliver_{option}.py'),
            synthetic_deliver, str(tmp_path / option),
            train_cfg=dict(max_iters=1, val_interval=1), default_hooks=dict(
                logger=dict(interval=1), checkpoint=dict(interval=1, save_best=None)))
        option_cfg.model.teacher = student_cfg.model.teacher
        losses = option_cfg.model.distill_losses
        assert (losses.umd.loss.softmax_axis, losses.cmd.loss.mode) == {
            'umd-channel': ('channel', 'released'), 'cmd-literal': ('height', 'literal'),
            'cmd-bernoulli': ('height', 'bernoulli')}[option]
        runner = Runner.from_cfg(option_cfg)
        runner.train()
        assert runner.iter == 1
        assert torch.isfinite(torch.tensor(runner.message_hub.log_scalars['train/loss'].current()))

    robust_cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/robustseg/robustseg_segb0_deliver.py'),
                           synthetic_deliver, str(tmp_path / 'robustseg'))
    robust_cfg.model.teacher = student_cfg.model.teacher
    robust = robust_cfg.model.distill_losses
    assert robust.rrm.loss.softmax_dim == 'released'  # the tuned scale
    # 32x32 crops leave stage 4 one pixel high, where the height-axis softmax is 0/0 (the loss
    # says so): the channel axis here
    robust.rrm.loss.softmax_dim = 'channel'
    assert robust_cfg.model.type == 'AnySegDistiller'
    assert robust.umd is None and robust.cmd is None
    assert (robust.hpdm.loss.loss_weight, robust.rrm.loss.loss_weight,
            robust.rrm.loss.reg_lambda) == (100.0, 12.0, 1e-5)
    runner = Runner.from_cfg(robust_cfg)
    runner.train()
    logged = runner.message_hub.log_scalars
    for key in ('train/loss_mad', 'train/loss_hpdm', 'train/loss_rrm'):
        assert key in logged and torch.isfinite(torch.tensor(logged[key].current()))

    # the released zero-padding (random) training: zero-filled inputs, random pairing, RRM x 1.2e-4
    zero_cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/robustseg/robustseg_segb0_deliver_'
                                  'zero-fill-random.py'), synthetic_deliver, str(tmp_path / 'zero'))
    zero_cfg.model.teacher = student_cfg.model.teacher
    zero = zero_cfg.model.distill_losses
    zero.rrm.loss.softmax_dim = 'channel'  # 32x32 crops, as above
    assert zero_cfg.model.data_preprocessor.modality_dropout.fill == 'zero'
    assert (zero.hpdm.inputs.student, zero.rrm.inputs.student, zero.rrm.loss.loss_weight) == (
        'student.connected_random_partners', 'student.connected_random_partners', 0.00012)
    # non-zero biases, as pretrained weights have: from mmseg's zero-bias MiT init a zero image
    # gives constant activations and NaN gradients (FiniteLossHook, configs/robustseg/README.md)
    zero_cfg.model.student.backbone.init_cfg = dict(type='Normal', layer=['Conv2d', 'Linear'],
                                                    std=0.02, bias=0.02)
    runner = Runner.from_cfg(zero_cfg)
    runner.train()
    for key in ('train/loss_hpdm', 'train/loss_rrm'):
        assert torch.isfinite(torch.tensor(runner.message_hub.log_scalars[key].data[0])).all()


@pytest.mark.slow
def test_recipe_configs_train_with_their_terms_logged(tmp_path, synthetic_deliver):
    teacher_cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/synthetic/pml_segb0_synthetic.py'),
                            synthetic_deliver, str(tmp_path / 'teacher'))
    Runner.from_cfg(teacher_cfg).train()
    teacher_cfg.dump(str(tmp_path / 'teacher.py'))
    expected = {'subset-kd': ('loss_subset_kd', ), 'full-path': ('loss_mad', 'loss_full_path'),
                'self-kd': ('loss_full_path', 'loss_self_kd'),
                'subset-kd_full-path': ('loss_subset_kd', 'loss_full_path'),
                'independent-dropout': ('loss_mad', 'loss_umd', 'loss_cmd'),
                'teacher-init_independent-dropout_full-path': ('loss_full_path', ),
                'teacher-init_independent-dropout_full-path_self-kd': ('loss_full_path',
                                                                       'loss_self_kd')}
    for name, terms in expected.items():
        cfg = cpu_sized(osp.join(REPO_ROOT, f'configs/synthetic/recipes/recipe_{name}_segb0_'
                                 'synthetic.py'), synthetic_deliver, str(tmp_path / name),
                        train_cfg=dict(max_iters=1, val_interval=1), default_hooks=dict(
                            logger=dict(interval=1), checkpoint=dict(interval=1, save_best=None)))
        cfg.model.teacher = dict(config=str(tmp_path / 'teacher.py'),
                                 checkpoint=str(tmp_path / 'teacher' / 'iter_2.pth'))
        if name.startswith('teacher-init'):
            cfg.load_from = cfg.model.teacher.checkpoint
        runner = Runner.from_cfg(cfg)
        runner.train()
        logged = {k[len('train/'):] for k in runner.message_hub.log_scalars if 'loss' in k}
        assert {t for t in logged if t.startswith('loss_')} == set(terms), (name, logged)
        for term in terms:
            value = runner.message_hub.log_scalars[f'train/{term}'].current()
            assert math.isfinite(value) and value >= 0, (name, term, value)


def test_the_annealed_recipe_draws_less_in_its_last_steps(tmp_path, synthetic_deliver):
    cfg = cpu_sized(osp.join(REPO_ROOT, 'configs/synthetic/recipes/recipe_teacher-init_'
                             'independent-dropout_anneal_segb0_synthetic.py'), synthetic_deliver,
                    str(tmp_path), train_cfg=dict(max_iters=8, val_interval=8),
                    default_hooks=dict(checkpoint=dict(interval=8, save_best=None)))
    cfg.load_from = None
    runner = Runner.from_cfg(cfg)
    runner.train()
    # start=0.75 of 8 iterations: the share falls from iteration 6 and reaches 0 at 8
    shares = runner.message_hub.log_scalars['train/dropout_share'].data[0]
    assert shares.tolist() == [1.0] * 7 + [0.5]


def test_optimizer_has_no_decay_on_one_dimensional_parameters_and_one_lr():
    """The authors' get_optimizer (jamycheung/DELIVER, semseg/optimizers.py)."""
    from mmengine.optim import build_optim_wrapper
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/pml/pml_segb0_deliver.py'))
    cfg.model.backbone.init_cfg = None
    cfg.model.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    groups = wrapper.optimizer.param_groups
    decay = {id(p): g['weight_decay'] for g in groups for p in g['params']}
    lrs = {g['lr'] for g in groups}
    assert lrs == {6e-5}
    for name, param in model.named_parameters():
        expected = 0.0 if param.ndim == 1 else 0.01
        assert decay[id(param)] == pytest.approx(expected), name


@pytest.mark.parametrize('name,missing', [('cmnext', 'zero'), ('cmx', 'zero'),
                                          ('magic', 'drop')])
@pytest.mark.slow
def test_baseline_configs_train_and_evaluate_every_subset(tmp_path, synthetic_deliver, name,
                                                          missing):
    """CMNeXt, CMX and MAGIC as shipped for DELIVER: 2 Runner iterations, then the 15 subsets
    with the convention each admits by default; tools/test.py titles its table with it."""
    path = osp.join(REPO_ROOT, f'configs/baselines/{name}_segb0_deliver.py')
    cfg = cpu_sized(path, synthetic_deliver, str(tmp_path / 'work'))
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    subsets = [subset_name(s) for s in all_subsets(cfg.modalities)]
    assert len(subsets) == 15 and {f'mIoU/{n}' for n in subsets} <= set(metrics)
    assert runner.model.test_protocol.missing == missing
    if name != 'cmnext':
        return
    config = str(tmp_path / 'cmnext.py')
    cfg.dump(config)
    result = subprocess.run(
        [sys.executable, 'tools/test.py', config, str(tmp_path / 'work' / 'iter_2.pth'),
         '--work-dir', str(tmp_path / 'test')], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'Anymodal evaluation (missing modalities: zero)' in result.stdout + result.stderr
    drop = subprocess.run(
        [sys.executable, 'tools/test.py', config, str(tmp_path / 'work' / 'iter_2.pth'),
         '--work-dir', str(tmp_path / 'test'), '--scenario',
         osp.join(REPO_ROOT, 'configs/_base_/robustness/emm_drop.py')],
        cwd=REPO_ROOT, capture_output=True, text=True)
    assert drop.returncode != 0 and "use test_cfg.missing='zero'" in drop.stderr


@pytest.mark.slow
def test_paper_configs_official_head_widths_best_checkpoint_and_loss_options():
    """Official SegFormer head, 256 wide for B0 and 768 for B2; the best-mIoU checkpoint;
    the released UMD and CMD in every student; the literal sum, eq. 4's UMD, eq. 5 and the
    Bernoulli CMD stay one config away."""
    load = lambda rel: Config.fromfile(osp.join(REPO_ROOT, 'configs', rel))  # noqa: E731
    teacher, student = load('pml/pml_segb2_deliver.py'), load('anyseg/anyseg_segb0_deliver.py')
    assert (teacher.model.decode_head.type, teacher.model.decode_head.channels) == (
        'SegformerLinearHead', 768)
    assert (student.model.student.decode_head.type, student.model.student.decode_head.channels) \
        == ('SegformerLinearHead', 256)
    assert load('anyseg/ablations/anyseg_segb0_deliver_head768.py'
                ).model.student.decode_head.channels == 768
    for cfg in (teacher, student, load('anyseg/anyseg_segb0_muses.py')):
        assert cfg.default_hooks.checkpoint.save_best == 'mIoU'
    kl_sum = load('anyseg/ablations/anyseg_segb0_deliver_kl-sum.py').model
    kl_sum = kl_sum.distill_losses
    assert kl_sum.mad.loss.channel_reduction == kl_sum.umd.loss.channel_reduction == 'sum'
    assert kl_sum.cmd.loss.mode == 'released'
    for student in ('anyseg/anyseg_segb0_deliver.py', 'anyseg/anyseg_segb0_muses.py',
                    'anyseg/anyseg_segb0_muses_authors-data.py',
                    'synthetic/anyseg_segb0_synthetic.py'):
        losses = load(student).model.distill_losses
        assert (losses.umd.loss.softmax_axis, losses.cmd.loss.mode) == ('height', 'released')
        assert MODELS.build(losses.umd.loss).softmax_axis == 'height'
        assert MODELS.build(losses.cmd.loss).mode == 'released'
    synthetic = 'synthetic/ablations/anyseg_segb0_synthetic_'
    options = {'cmd-bernoulli': ('height', 'bernoulli'), 'umd-channel': ('channel', 'released'),
               'paper-eqs': ('channel', 'literal')}
    for option, expected in options.items():
        losses = load(f'{synthetic}{option}.py').model.distill_losses
        assert (losses.umd.loss.softmax_axis, losses.cmd.loss.mode) == expected
        assert losses.mad.loss.channel_reduction == 'mean'


def test_every_method_folder_has_a_readme_and_a_metafile_naming_real_configs():
    import re

    import yaml
    root = osp.join(REPO_ROOT, 'configs')
    folders = [d for d in sorted(os.listdir(root))
               if osp.isdir(osp.join(root, d)) and d != '_base_']
    assert folders == ['anyseg', 'baselines', 'pml', 'recipes', 'robustseg', 'synthetic']
    for folder in folders:
        readme = open(osp.join(root, folder, 'README.md')).read()
        for link in re.findall(r'\]\(([^)#]+)\)', readme):
            assert osp.exists(osp.join(root, folder, link)), (folder, link)
        with open(osp.join(root, folder, 'metafile.yaml')) as f:
            meta = yaml.safe_load(f)
        collections = {c['Name'] for c in meta['Collections']}
        for model in meta['Models']:
            assert model['In Collection'] in collections
            assert osp.isfile(osp.join(REPO_ROOT, model['Config'])), model['Config']
            assert osp.basename(model['Config']) == model['Name'] + '.py'

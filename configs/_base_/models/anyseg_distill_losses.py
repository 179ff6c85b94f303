# The three AnySeg distillation terms as the released training loop computed them, with its
# weights (lambda=50, alpha=5, beta=10). The weights: zhengxuJosh/AnySeg, configs/muses.yaml
# names its checkpoint ..._MaD50_UMD5_CMD10/..., configs/deliver_rgbdel.yaml saves to
# ..._mad50_UMD5_CMD10_.... The computations: AnySeg's repository releases no loss code; the
# loop's loss lines and functions are public in RobustSeg/RobustSeg, whose project lead is
# AnySeg's first author, built on AnySeg's model files (not AnySeg's repository):
# tools/train_deliver_mad50_proto_cur.py keeps `loss_kl(logits, logits_s).clamp(min=0) * 50`
# beside `# loss_umd = UMD(index, ms_feat, ms_feat_s) * 5` and
# `# loss_cmd = CMD(index, ms_feat, ms_feat_s) * 10`; tools/train_deliver_mad50.py imports
# them from semseg/models/segformer/UMD.py and CMD.py (docs/paper_vs_code.md).
# MAD, eq. 6: pixel KL at the input resolution where the authors' model compares its logits
# (zhengxuJosh/AnySeg, seg_block_select_UMD.py upsamples before any loss), exactly
# nn.KLDivLoss(reduction='mean'); channel_reduction='sum' is eq. 6 read literally
# (ablations/*_kl-sum.py).
mad = dict(
    loss=dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0, channel_reduction='mean',
              resolution='input'),
    inputs=dict(student_logits='student.logits', teacher_logits='teacher.logits',
                input_size='input_size'))
# UMD as UMD.py computes it (not eq. 4): nn.KLDivLoss(reduction='mean') of each kept
# modality's [C, h, w] map with the softmax on dim=1 of that map, the height axis, clamped at
# 0, summed over stages and kept modalities, divided by the batch size.
# softmax_axis='channel' is eq. 4's channel softmax (ablations/*_umd-channel.py).
umd = dict(
    loss=dict(type='UnimodalDistillLoss', loss_weight=5.0, channel_reduction='mean',
              modality_reduction='sum', softmax_axis='height'),
    inputs=dict(student='student.connected', teacher='teacher.features', modality_mask='kept'))
# CMD as CMD.py computes it (not eq. 5): nn.MSELoss between the student's and the teacher's
# correlation matrices of every kept (sample, modality) map of the batch, per stage, summed,
# divided by the batch size. mode='literal' is eq. 5 as written, S_t log(S_t / S_s), which
# collapses the student's modalities (ablations/*_cmd-literal.py); mode='bernoulli' this
# project's proper-KL reading of eq. 5 (ablations/*_cmd-bernoulli.py).
cmd = dict(
    loss=dict(type='CrossModalDistillLoss', loss_weight=10.0, mode='released'),
    inputs=dict(student='student.features', teacher='teacher.features', modality_mask='kept'))
# AnySegDistiller's loss table (model.distill_losses; a new term is a new entry, a term is
# switched off with None: --cfg-options model.distill_losses.cmd=None).
distill_losses = dict(mad=mad, umd=umd, cmd=cmd)
# KD on the fused features (paper Table 8 adds it to the full loss with weights 1, 3, 5, 10;
# Table 7 distils CMNeXt and MAGIC teachers with MAD and it alone): UMD's channel-softmax KL on
# the fused features of every stage, the student's at the teacher's widths.
fused_kd = dict(
    loss=dict(type='UnimodalDistillLoss', loss_weight=5.0),
    inputs=dict(student='student.fused_slot', teacher='teacher.fused_slot',
                modality_mask='one_slot'))
# A teacher without per-modality features (CMNeXt, CMX, MAGIC's MAM): MAD and fused KD only,
# as the paper's Table 7 rows distil them.
fused_teacher_losses = dict(umd=None, cmd=None, fused_kd=fused_kd)

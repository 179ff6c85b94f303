# A loss-table entry of the student recipes (configs/recipes/README.md) and its record fields,
# in a base of its own so that only the configs that use it carry it: KD on the fused features
# of every stage from the teacher decoded on the student's own kept subset, UMD's
# channel-softmax KL between the two, the student's at the teacher's widths (the fused KD of
# the paper's Table 8 compares with the teacher on every modality instead). A student trained
# from scratch with AnySeg's terms ends with fused features nearly orthogonal to its
# teacher's on every subset (the per-subset diagnosis in configs/recipes/README.md). The
# weight is UMD's alpha = 5 at its per-element scale (channel_reduction='mean'), which the
# released loop (RobustSeg/RobustSeg, semseg/models/segformer/UMD.py, called as UMD(...) * 5)
# tuned for per-modality features, not for this term: an untuned choice.
subset_feature_kd = dict(
    loss=dict(type='UnimodalDistillLoss', loss_weight=5.0),
    inputs=dict(student='student.fused_slot', teacher='teacher.on_kept.fused_slot',
                modality_mask='one_slot'))
subset_feature_fields = {
    'teacher.on_kept.fused': dict(type='TeacherOnSubset', mask='kept', output='fused'),
    'teacher.on_kept.fused_slot': dict(type='ModalitySlot', source='teacher.on_kept.fused'),
}

# Loss-table entries and record fields of the student recipes beyond the paper
# (configs/recipes/README.md). Each is a config entry of AnySegDistiller's table, logged as
# loss_<key>; a recipe config switches the paper's terms off or keeps them and adds these.
# KD from the teacher decoded on the student's own kept subset (one more fusion and decoder
# pass of the frozen PML teacher, no backbone pass), at the pixels where that prediction is
# right, at MAD's per-element scale and weight.
subset_kd = dict(
    loss=dict(type='GatedLogitDistillLoss', gate='correct', loss_weight=50.0),
    inputs=dict(student_logits='student.logits', teacher_logits='teacher.on_kept.logits',
                labels='labels'))
# A full-modality supervised path beside the dropped one in every step (CHARM, arXiv
# 2508.03060): the student's own pass on every present modality, trained with the labels.
full_path = dict(
    loss=dict(type='LabelCrossEntropyLoss', loss_weight=1.0),
    inputs=dict(logits='student.on_present.logits', labels='labels'))
# Self-distillation from the student's full-set pass to its kept subset where the full-set
# pass is right (CCSD, arXiv 2511.14599; MMANet, CVPR 2023).
self_kd = dict(
    loss=dict(type='GatedLogitDistillLoss', gate='correct', loss_weight=50.0),
    inputs=dict(student_logits='student.logits', teacher_logits='student.on_present.logits',
                labels='labels'))
recipe_fields = {
    'teacher.on_kept.logits': dict(type='TeacherOnSubset', mask='kept', output='logits'),
    'student.on_present.logits': dict(type='StudentOnAllPresent', output='logits'),
}

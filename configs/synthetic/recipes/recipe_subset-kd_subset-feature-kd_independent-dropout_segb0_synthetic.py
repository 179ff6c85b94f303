# Recipe: L_sup + KD from the teacher decoded on the student's own kept subset, on its
# predictions where they are right (subset_kd) and on its fused features (subset_feature_kd),
# each modality dropped independently with p=0.2; trained from scratch, so that it applies
# to a teacher wider than the student.
_base_ = [
    './recipe_subset-kd_segb0_synthetic.py', '../../_base_/models/recipe_subset_feature_kd.py'
]
model = dict(
    data_preprocessor=dict(modality_dropout=dict(
        _delete_=True, type='independent', drop_prob=0.2)),
    distill_losses=dict(subset_feature_kd={{_base_.subset_feature_kd}}),
    record_fields={{_base_.subset_feature_fields}})

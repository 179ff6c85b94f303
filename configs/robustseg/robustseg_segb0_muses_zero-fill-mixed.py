# The released MUSES zero-padding training (RobustSeg/RobustSeg,
# tools/train_deliver_mad50_proto_cur_reg_zero_padding_mixed.py, teacher B0_MUSES): zero-filled
# inputs, HPDM x 110 with a random student modality per teacher modality, RRM x 0.0001 with the
# same modality. As released, that script calls the three-argument RUMD of
# mmkd/RUMD_zero_padding_all.py with four and stops at its first step; this is its evident intent.
_base_ = ['./robustseg_segb0_muses.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(fill='zero')),
             distill_losses=dict(
                 hpdm=dict(loss=dict(loss_weight=110.0),
                           inputs=dict(student='student.connected_random_partners')),
                 rrm=dict(loss=dict(loss_weight=0.0001))))

# RobustSeg's distillation terms at the released run's weights and scale
# (RobustSeg/RobustSeg, tools/train_deliver_mad50_proto_cur_reg.py): MAD x 50 (AnySeg's
# mad entry, configs/_base_/models/anyseg_distill_losses.py), HPDM x 100
# (mmkd/PCUMD.py), RRM x 12 with RegParameters(1e-5) (mmkd/RUMD.py, mmkd/regularization.py);
# UMD and CMD off. Scale: a weight is faithful only at the scale it was tuned at, so these use
# the released computations the weights were tuned with (docs/paper_vs_code.md):
# prototype_norm='released' (mmkd/Prototype.py, calculate_batch_prototypes: class means divided
# by the class' pixel count a second time) and softmax_dim='released' for RRM (mmkd/RUMD.py:
# softmax on the height axis). The plain readings, 'mean' and 'channel', are the losses' own
# defaults; at 'mean' HPDM x 100 is a larger term than in the released run and costs 3 points
# of mean mIoU on synthetic data (docs/results/history/robustseg_synthetic/README.md).
# AnySegDistiller gives HPDM num_classes and stage_channels (the student's classes, the
# teacher's widths). Each term compares the teacher's modality k with the student's modality k
# (student.connected); the zero-padding *_random scripts pair it with a random student modality
# (student.connected_random_partners, a new draw per term).
hpdm = dict(
    loss=dict(type='PrototypeDistillLoss', loss_weight=100.0, prototype_norm='released',
              softmax_dim='class', global_loss_weight=0.0),
    inputs=dict(student='student.connected', teacher='teacher.features', kept='kept',
                labels='labels'))
rrm = dict(
    loss=dict(type='FunctionalEntropyRegLoss', loss_weight=12.0, reg_lambda=1e-5, num_samples=10,
              softmax_dim='released'),
    inputs=dict(student='student.connected', teacher='teacher.features', kept='kept'))
random_partners = dict(inputs=dict(student='student.connected_random_partners'))
# Merged into AnySeg's table (model.distill_losses of configs/{robustseg,synthetic}/robustseg_*.py):
# MAD as AnySeg's, UMD and CMD off, HPDM and RRM added.
robustseg_losses = dict(umd=None, cmd=None, hpdm=hpdm, rrm=rrm)
# The zero-padding trainings (tools/train_deliver_mad50_proto_cur_reg_zero_padding_{all,random}.py):
# the modalities anymodal dropout removes are fed to the student as zero images and distilled
# like the others; RRM x 0.00012 (12 x 1e-5) instead of 12. Merged into a RobustSeg model.
zero_fill_model = dict(data_preprocessor=dict(modality_dropout=dict(fill='zero')),
                       distill_losses=dict(rrm=dict(loss=dict(loss_weight=0.00012))))
# Zero-filled, with each teacher modality met by a random student modality in both terms
# (tools/train_deliver_mad50_proto_cur_reg_zero_padding_random.py).
zero_fill_random_model = dict(
    data_preprocessor=zero_fill_model['data_preprocessor'],
    distill_losses=dict(hpdm=random_partners,
                        rrm=dict(zero_fill_model['distill_losses']['rrm'], **random_partners)))

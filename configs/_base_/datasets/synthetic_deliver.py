# The built-in synthetic multi-sensor dataset, in DELIVER's layout, for CPU demos:
# write it with tools/dataset_converters/make_synthetic_deliver.py.
_base_ = ['./deliver_rdel.py']
data_root = 'data/synthetic_deliver'
crop_size = (128, 128)
anymodal_data_preprocessor = dict(size=crop_size)
student_data_preprocessor = dict(size=crop_size)
train_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(type='RandomResize', scale=(128, 128), ratio_range=(0.75, 1.5), keep_ratio=True,
         resize_type='MultiModalResize', modality_interpolation={{_base_.sparse_interpolation}}),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalPhotoMetricDistortion', modalities=('rgb', )),
    dict(type='PackSegInputs', meta_keys={{_base_.meta_keys}}),
]
train_dataloader = dict(batch_size=8, num_workers=2, persistent_workers=True,
                        dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=2, dataset=dict(data_root=data_root))
test_dataloader = dict(batch_size=4, num_workers=2, dataset=dict(data_root=data_root))

# DELIVER the mmseg way instead of the authors' (docs/paper_vs_code.md): ImageNet
# statistics for every modality, PhotoMetricDistortion on RGB, nearest-neighbour resizing of
# the sparse event and LiDAR images, category-balanced crops, and absent classes skipped
# in the mean IoU. Use it in place of deliver_rdel.py
# (configs/pml/pml_segb0_deliver_mmseg-protocol.py).
_base_ = ['./deliver_rdel.py']
imagenet_normalisation = dict(
    mean={m: [123.675, 116.28, 103.53] for m in ('depth', 'event', 'lidar')},
    std={m: [58.395, 57.12, 57.375] for m in ('depth', 'event', 'lidar')})
anymodal_data_preprocessor = imagenet_normalisation
student_data_preprocessor = imagenet_normalisation
dataset_model = dict(data_preprocessor=imagenet_normalisation)
sparse_interpolation = dict(event='nearest', lidar='nearest')
train_pipeline = [
    {{_base_.load_images}},
    dict(type='LoadMultiModalAnnotations'),
    dict(type='RandomResize', scale={{_base_.crop_size}}, ratio_range=(0.5, 2.0),
         keep_ratio=True, resize_type='MultiModalResize',
         modality_interpolation=sparse_interpolation),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalPhotoMetricDistortion', modalities=('rgb', )),
    dict(type='PackAnymodalInputs', meta_keys={{_base_.meta_keys}}),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_evaluator = dict(nan_to_num=None)
test_evaluator = dict(nan_to_num=None)

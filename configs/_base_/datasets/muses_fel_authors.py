# MUSES exactly as the authors' loader reads it (zhengxuJosh/AnySeg,
# semseg/datasets/muses.py: 8-bit PNGs beside the frame camera, layout='authors'; how those
# PNGs were made from the download is not released: docs/paper_vs_code.md), for figures comparable with the paper's MUSES tables
# (Tables 1, 3-8): every modality squashed to 1024x1024 (PIL's default bicubic resampling,
# aspect ratio lost) and scored at that size, the label resized with nearest neighbours,
# void (255) mapped to class 0 ('road', so void pixels are trained on and scored as road),
# no augmentation (the transform call is commented out) and unnormalised 0-255 inputs.
# Not a correct protocol: the README says which numbers each base gives.
_base_ = ['./muses_fel.py']
anymodal_data_preprocessor = dict(
    mean={m: [0.0, 0.0, 0.0] for m in ('frame', 'event', 'lidar')},
    std={m: [1.0, 1.0, 1.0] for m in ('frame', 'event', 'lidar')})
student_data_preprocessor = anymodal_data_preprocessor
dataset_model = dict(data_preprocessor=anymodal_data_preprocessor)
authors_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    # Bicubic as PIL's default resampling; cv2's kernel (PIL's filters take no 9-channel
    # stacks), which differs from PIL's antialiased one by a few grey levels.
    dict(type='ResizeOnLoad', scale=(1024, 1024), keep_ratio=False, interpolation='bicubic'),
    dict(type='RemapLabel', mapping={255: 0}),
    dict(type='PackAnymodalInputs', meta_keys={{_base_.meta_keys}}),
]
train_dataloader = dict(dataset=dict(layout='authors', pipeline=authors_pipeline))
val_dataloader = dict(dataset=dict(layout='authors', pipeline=authors_pipeline))
test_dataloader = val_dataloader

# Why is depth weak under the authors' protocol on synthetic data? L_sup with every
# modality normalised by ImageNet statistics (as deliver_rdel_mmseg.py does) instead of the
# authors' division by 255 for depth, event and LiDAR; everything else unchanged.
_base_ = ['../pml_segb0_synthetic.py']
imagenet = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])
model = dict(data_preprocessor=dict(
    modality_dropout={{_base_.student_data_preprocessor.modality_dropout}},
    mean={m: imagenet['mean'] for m in ('depth', 'event', 'lidar')},
    std={m: imagenet['std'] for m in ('depth', 'event', 'lidar')}))

# MUSES with all four sensors: frame camera, event camera, LiDAR and radar, the last three
# projected to the frame camera (tools/dataset_converters/muses.py): the 15-subset anymodal table.
# The per-modality statistics of muses_fel.py, radar's added (merged into its dicts).
_base_ = ['./muses_fel.py']
modalities = ('frame', 'event', 'lidar', 'radar')
num_modalities = len(modalities)
radar_normalisation = dict(mean=dict(radar={{_base_.projection_mean.radar}}),
                           std=dict(radar={{_base_.projection_std.radar}}))
anymodal_data_preprocessor = dict(modalities=modalities, **radar_normalisation)
student_data_preprocessor = dict(modalities=modalities, **radar_normalisation)
dataset_model = dict(data_preprocessor=anymodal_data_preprocessor,
                     backbone=dict(num_modalities=num_modalities))
train_dataloader = dict(dataset=dict(modalities=modalities))
val_dataloader = dict(dataset=dict(modalities=modalities))
test_dataloader = val_dataloader

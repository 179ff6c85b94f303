# The MUSES PML teacher on the authors' MUSES data protocol (squashed 1024x1024 frames,
# void as road, raw 0-255 inputs: _base_/datasets/muses_fel_authors.py), for figures
# comparable with the paper's MUSES tables. pml_segb0_muses.py is the correct protocol.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/muses_fel_authors.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = {{_base_.dataset_model}}

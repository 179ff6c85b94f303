# MAGIC-B0 (ECCV 2024; no public code, written from a public summary of the paper: see
# MAGICMiT and MAGICEncoderDecoder for the sources and every decision): the shared-weight
# MiT over the modalities folded into the batch, a multi-modal aggregation module (MAM) per
# stage, the same SegFormer head and OHEM loss as the PML teacher, and the training-only
# arbitrary-modal selection module with its second MAM, L_S (selective GT smoothing) and
# L_C (consistency), weights lambda = beta = 1 (not given by the paper's summary).
# Evaluated like PML, from one backbone pass per modality; 'drop' and 'zero' both apply.
_base_ = ['./anymodal_segformer_mit-b0.py']
model = dict(
    type='MAGICEncoderDecoder',
    selection_loss_weight=1.0,
    consistency_loss_weight=1.0,
    backbone=dict(type='MAGICMiT'))

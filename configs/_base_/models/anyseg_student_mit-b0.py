# The AnySeg distiller around a SegFormer-B0 student (anymodal_segformer_mit-b0.py), with the
# released loop's loss table (anyseg_distill_losses.py). A student config inherits it beside
# its dataset, runtime and schedule, and writes one block:
#   model = dict(data_preprocessor={{_base_.student_data_preprocessor}},  # anymodal dropout
#                student={{_base_.dataset_model}},                        # modalities, classes
#                teacher=dict(config=..., checkpoint=...))
_base_ = ['./anymodal_segformer_mit-b0.py', './anyseg_distill_losses.py']
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    student={{_base_.model}},
    teacher=dict(config=None, checkpoint=None),
    distill_losses={{_base_.distill_losses}})

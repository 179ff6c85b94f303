_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmseg_anyseg'], allow_failed_imports=False)
# Draws every input modality beside ground truth and prediction; add
# dict(type='TensorboardVisBackend') to vis_backends for TensorBoard.
visualizer = dict(type='AnymodalSegLocalVisualizer', vis_backends=[dict(type='LocalVisBackend')],
                  name='visualizer')
# A resumed training continues with the random draws (modality dropout masks) of the
# killed one, so that its loss curve is the uninterrupted one; a NaN or infinite loss stops
# the training at once, naming the terms.
custom_hooks = [dict(type='RandomStateHook'), dict(type='FiniteLossHook')]

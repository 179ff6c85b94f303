_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmseg_anyseg'], allow_failed_imports=False)
# Draws every input modality beside ground truth and prediction; add
# dict(type='TensorboardVisBackend') to vis_backends for TensorBoard.
visualizer = dict(type='AnymodalSegLocalVisualizer', vis_backends=[dict(type='LocalVisBackend')],
                  name='visualizer')

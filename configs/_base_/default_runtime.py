_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmseg_anyseg'], allow_failed_imports=False)
